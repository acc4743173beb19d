ALTER DOMAIN "public"."code" ADD CONSTRAINT "upper" CHECK ((VALUE = upper(VALUE))) NOT VALID;

-- strata: every value of every column typed with the domain is checked; PostgreSQL refuses to validate if one violates the constraint
ALTER DOMAIN "public"."code" VALIDATE CONSTRAINT "short";

ALTER DOMAIN "public"."qty" SET DEFAULT 5;

-- strata: every column typed with the domain is scanned; PostgreSQL refuses SET NOT NULL if one holds a NULL
ALTER DOMAIN "public"."qty" SET NOT NULL;

ALTER DOMAIN "public"."qty" DROP CONSTRAINT "gone";

ALTER DOMAIN "public"."qty" DROP CONSTRAINT "positive";

ALTER DOMAIN "public"."qty" RENAME CONSTRAINT "old_name" TO "new_name";

-- strata: every value of every column typed with the domain is checked; PostgreSQL refuses the constraint if one violates it (declare it not_valid to skip existing rows)
ALTER DOMAIN "public"."qty" ADD CONSTRAINT "even" CHECK (((VALUE % 2) = 0));

-- strata: every value of every column typed with the domain is checked; PostgreSQL refuses the constraint if one violates it (declare it not_valid to skip existing rows)
ALTER DOMAIN "public"."qty" ADD CONSTRAINT "positive" CHECK ((VALUE >= 0));

COMMENT ON DOMAIN "public"."qty" IS 'quantities';

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE character varying(40) USING "a"::character varying(40);

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE text USING "b"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; brief (no rewrite needed)
ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE numeric(12,2) USING "c"::numeric(12,2);

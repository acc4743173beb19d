-- strata: ACCESS EXCLUSIVE lock on "public"."cities"; brief
ALTER TABLE "public"."cities" DROP CONSTRAINT "cities_country_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."cities"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."cities" ALTER COLUMN "country" TYPE text USING "country"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."countries"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."countries" ALTER COLUMN "code" TYPE text USING "code"::text;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."cities" and "public"."countries" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."cities" ADD CONSTRAINT "cities_country_fkey" FOREIGN KEY (country) REFERENCES public.countries(code) ON UPDATE CASCADE;

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."people", brief; code using the old name breaks
ALTER TABLE "public"."people" RENAME TO "persons";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."persons", brief; code using the old name breaks
ALTER TABLE "public"."persons" RENAME COLUMN "name" TO "full_name";

-- strata: ACCESS EXCLUSIVE lock on "public"."persons"; brief
ALTER TABLE "public"."persons" RENAME CONSTRAINT "people_pkey" TO "persons_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."persons"; brief
ALTER TABLE "public"."persons" RENAME CONSTRAINT "people_id_not_null" TO "persons_id_not_null";

CREATE OR REPLACE VIEW "public"."names" AS
SELECT id,
    full_name AS name
   FROM public.persons;

-- DESTRUCTIVE: removes value(s) "c" from enum order: rows holding them make the conversion fail
ALTER TYPE "public"."order" RENAME TO "order__strata_old";

CREATE TYPE "public"."order" AS ENUM ('a', 'b');

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table
ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE "public"."order" USING "c"::text::"public"."order";

-- strata: the old type, now unused
DROP TYPE "public"."order__strata_old";

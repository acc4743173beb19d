-- DESTRUCTIVE: drops table u and all its rows
DROP TABLE "public"."u";

-- DESTRUCTIVE: removes value(s) "c" from enum e: rows holding them make the conversion fail
ALTER TYPE "public"."e" RENAME TO "e__strata_old";

CREATE TYPE "public"."e" AS ENUM ('a', 'b');

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table
ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE "public"."e" USING "c"::text::"public"."e";

-- strata: the old type, now unused
DROP TYPE "public"."e__strata_old";

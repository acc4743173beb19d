ALTER TYPE "public"."level" RENAME TO "level__strata_old";

CREATE TYPE "public"."level" AS ENUM ('low', 'medium', 'high');

-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table
ALTER TABLE "public"."t" ALTER COLUMN "l" TYPE "public"."level" USING "l"::text::"public"."level";

-- strata: the old type, now unused
DROP TYPE "public"."level__strata_old";

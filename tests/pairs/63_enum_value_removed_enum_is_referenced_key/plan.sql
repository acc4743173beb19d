-- strata: ACCESS EXCLUSIVE lock on "public"."things"; brief
ALTER TABLE "public"."things" DROP CONSTRAINT "things_k_fkey";

-- DESTRUCTIVE: removes value(s) "zombie" from enum kind: rows holding them make the conversion fail
ALTER TYPE "public"."kind" RENAME TO "kind__strata_old";

CREATE TYPE "public"."kind" AS ENUM ('a', 'b', 'c');

-- strata: ACCESS EXCLUSIVE lock on "public"."kinds"; rewrites the table
ALTER TABLE "public"."kinds" ALTER COLUMN "k" TYPE "public"."kind" USING "k"::text::"public"."kind";

-- strata: ACCESS EXCLUSIVE lock on "public"."things"; rewrites the table
ALTER TABLE "public"."things" ALTER COLUMN "k" TYPE "public"."kind" USING "k"::text::"public"."kind";

-- strata: the old type, now unused
DROP TYPE "public"."kind__strata_old";

-- strata: SHARE ROW EXCLUSIVE lock on "public"."things" and "public"."kinds" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."things" ADD CONSTRAINT "things_k_fkey" FOREIGN KEY (k) REFERENCES public.kinds(k);

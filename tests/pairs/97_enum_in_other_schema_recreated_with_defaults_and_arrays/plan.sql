-- DESTRUCTIVE: removes value(s) "extreme" from enum app.level: rows holding them make the conversion fail
ALTER TYPE "app"."level" RENAME TO "level__strata_old";

CREATE TYPE "app"."level" AS ENUM ('low', 'high', 'mid');

ALTER TABLE "app"."alerts" ALTER COLUMN "level" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "app"."alerts"; rewrites the table
ALTER TABLE "app"."alerts" ALTER COLUMN "level" TYPE "app"."level" USING "level"::text::"app"."level";

ALTER TABLE "app"."alerts" ALTER COLUMN "level" SET DEFAULT 'low'::app.level;

ALTER TABLE "app"."alerts" ALTER COLUMN "seen" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "app"."alerts"; rewrites the table
ALTER TABLE "app"."alerts" ALTER COLUMN "seen" TYPE "app"."level"[] USING "seen"::text[]::"app"."level"[];

ALTER TABLE "app"."alerts" ALTER COLUMN "seen" SET DEFAULT '{low,high}'::app.level[];

ALTER TABLE "public"."notes" ALTER COLUMN "level" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "public"."notes"; rewrites the table
ALTER TABLE "public"."notes" ALTER COLUMN "level" TYPE "app"."level" USING "level"::text::"app"."level";

ALTER TABLE "public"."notes" ALTER COLUMN "level" SET DEFAULT 'high'::app.level;

-- strata: the old type, now unused
DROP TYPE "app"."level__strata_old";

-- strata: ACCESS EXCLUSIVE lock on "app"."alerts"; brief
ALTER TABLE "app"."alerts" ALTER COLUMN "seen" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "app"."alerts"; brief
ALTER TABLE "app"."alerts" ALTER COLUMN "seen" SET DEFAULT '{low,high}'::app.level[];

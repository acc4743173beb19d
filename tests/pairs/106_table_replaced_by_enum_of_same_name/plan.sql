-- strata: ACCESS EXCLUSIVE lock on "public"."tickets"; brief
ALTER TABLE "public"."tickets" DROP CONSTRAINT "tickets_priority_fkey";

-- DESTRUCTIVE: drops table priority and all its rows
DROP TABLE "public"."priority";

CREATE TYPE "public"."priority" AS ENUM ('low', 'high');

-- DESTRUCTIVE: changes tickets.priority from text to public.priority: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."tickets"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."tickets" ALTER COLUMN "priority" TYPE public.priority USING "priority"::public.priority;

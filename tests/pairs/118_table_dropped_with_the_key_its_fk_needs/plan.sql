-- strata: ACCESS EXCLUSIVE lock on "public"."child"; brief
ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_code_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief
ALTER TABLE "public"."parent" DROP CONSTRAINT "parent_code_key";

-- DESTRUCTIVE: drops table child and all its rows
DROP TABLE "public"."child";

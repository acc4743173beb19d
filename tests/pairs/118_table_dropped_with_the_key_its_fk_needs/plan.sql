-- DESTRUCTIVE: drops table child and all its rows
DROP TABLE "public"."child";

-- strata: ACCESS EXCLUSIVE lock on "public"."parent"; brief
ALTER TABLE "public"."parent" DROP CONSTRAINT "parent_code_key";

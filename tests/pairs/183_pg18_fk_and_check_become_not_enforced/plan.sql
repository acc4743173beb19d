-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief
ALTER TABLE "public"."children" DROP CONSTRAINT "qty_positive";

-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief (NOT ENFORCED: rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "qty_positive" CHECK ((qty > 0)) NOT ENFORCED;

-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief (NOT ENFORCED: its triggers are dropped)
-- strata: ACCESS EXCLUSIVE lock on "public"."parents"; brief (NOT ENFORCED: its triggers are dropped)
ALTER TABLE "public"."children" ALTER CONSTRAINT "children_parent_id_fkey" NOT ENFORCED;

COMMENT ON CONSTRAINT "children_parent_id_fkey" ON "public"."children" IS 'owner, not yet checked';

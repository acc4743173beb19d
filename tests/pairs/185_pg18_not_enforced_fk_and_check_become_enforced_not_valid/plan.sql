-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief
ALTER TABLE "public"."children" DROP CONSTRAINT "children_parent_id_fkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief
ALTER TABLE "public"."children" DROP CONSTRAINT "children_qty_check";

-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief (NOT VALID: existing rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "children_qty_check" CHECK ((qty > 0)) NOT VALID;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."children"; brief (NOT VALID: existing rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "children_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.parents(id) NOT VALID;

-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief (NOT ENFORCED: rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "children_qty_check" CHECK ((qty > 0)) NOT ENFORCED;

-- strata: ACCESS EXCLUSIVE lock on "public"."children"; brief (NOT ENFORCED: rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "small" CHECK ((qty < 100)) NOT ENFORCED;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."children"; brief (NOT ENFORCED: rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "children_code_fkey" FOREIGN KEY (code) REFERENCES public.parents(code) MATCH FULL NOT ENFORCED;

-- strata: SHARE ROW EXCLUSIVE lock on "public"."children"; brief (NOT ENFORCED: rows are not checked)
ALTER TABLE "public"."children" ADD CONSTRAINT "children_parent_id_fkey" FOREIGN KEY (parent_id) REFERENCES public.parents(id) NOT ENFORCED;

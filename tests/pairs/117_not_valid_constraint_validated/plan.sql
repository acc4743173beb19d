-- strata: scans "public"."child" under SHARE UPDATE EXCLUSIVE (reads and writes go on)
ALTER TABLE "public"."child" VALIDATE CONSTRAINT "child_qty_check";

-- strata: scans "public"."child" under SHARE UPDATE EXCLUSIVE (reads and writes go on)
ALTER TABLE "public"."child" VALIDATE CONSTRAINT "child_parent_id_fkey";

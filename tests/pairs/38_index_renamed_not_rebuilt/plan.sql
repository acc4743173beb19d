ALTER INDEX "public"."old_idx" RENAME TO "new_idx";

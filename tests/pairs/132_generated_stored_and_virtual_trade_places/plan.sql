-- strata: doubled is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "doubled";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" ADD COLUMN "doubled" integer GENERATED ALWAYS AS ((price * 2)) VIRTUAL;

-- strata: shout is a virtual generated column (nothing stored, nothing lost); it is recreated below
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "shout";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."items" ADD COLUMN "shout" text GENERATED ALWAYS AS (upper((id)::text)) STORED;

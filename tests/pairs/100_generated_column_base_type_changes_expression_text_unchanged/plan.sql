-- strata: doubled is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "doubled";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."items" ALTER COLUMN "price" TYPE bigint USING "price"::bigint;

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."items" ADD COLUMN "doubled" bigint GENERATED ALWAYS AS ((price * 2)) STORED;

-- strata: shout is recreated below (its generation expression, or the type of a column it uses, changed); values are recomputed
-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" DROP COLUMN "shout";

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (no rewrite needed)
ALTER TABLE "public"."items" ALTER COLUMN "label" TYPE text USING "label"::text;

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."items" ADD COLUMN "shout" text GENERATED ALWAYS AS (upper(label)) STORED;

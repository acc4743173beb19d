-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" ADD COLUMN "total" integer GENERATED ALWAYS AS ((price * qty)) VIRTUAL;

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; brief (catalog change only)
ALTER TABLE "public"."items" ADD COLUMN "label" text GENERATED ALWAYS AS (('#'::text || (id)::text)) VIRTUAL NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."items"; rewrites the table (the new column's values are computed per row)
ALTER TABLE "public"."items" ADD COLUMN "doubled" integer GENERATED ALWAYS AS ((price * 2)) STORED;

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."orders"; dropping extended statistics
DROP STATISTICS "public"."orders_geo";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."orders"; dropping extended statistics
DROP STATISTICS "public"."orders_legacy";

CREATE TABLE "public"."Odd Table" (
    "A Col" integer,
    "b""q" integer
);

CREATE STATISTICS "public"."Odd Stats" (dependencies) ON "A Col", "b""q" FROM "public"."Odd Table";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."orders"; creating extended statistics
-- strata: the statistics are gathered by the next ANALYZE of the table; until then the planner has none
CREATE STATISTICS "public"."orders_email_domain" ON "country", (lower(split_part(email, '@'::text, 2))) FROM "public"."orders";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."orders"; creating extended statistics
-- strata: the statistics are gathered by the next ANALYZE of the table; until then the planner has none
CREATE STATISTICS "public"."orders_email_lower" ON (lower(email)) FROM "public"."orders";

-- strata: SHARE UPDATE EXCLUSIVE lock on "public"."orders"; creating extended statistics
-- strata: the statistics are gathered by the next ANALYZE of the table; until then the planner has none
CREATE STATISTICS "public"."orders_geo" (ndistinct, mcv) ON "city", "country" FROM "public"."orders";

ALTER STATISTICS "public"."orders_geo" SET STATISTICS 100;

ALTER STATISTICS "public"."orders_city_zip" SET STATISTICS 500;

-- DESTRUCTIVE: drops column orders.legacy and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."orders"; brief (catalog change only)
ALTER TABLE "public"."orders" DROP COLUMN "legacy";

COMMENT ON STATISTICS "public"."orders_city_zip" IS 'city and zip move together; it''s ''obvious''';

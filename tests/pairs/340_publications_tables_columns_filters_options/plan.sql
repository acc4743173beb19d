-- strata: subscriptions naming publication old_feed fail until altered to events_feed
ALTER PUBLICATION "old_feed" RENAME TO "events_feed";

-- strata: subscribers of publication goes_away stop receiving changes (their subscriptions fail until altered or dropped)
DROP PUBLICATION "goes_away";

-- strata: subscribers of publication app_changes receive other columns or rows of its tables from now on, and stop receiving changes to orders
ALTER PUBLICATION "app_changes" SET TABLE "app"."events", "public"."customers" ("id", "email") WHERE (active);

-- strata: subscribers of publication app_changes stop receiving delete, truncate; subscribers of publication app_changes receive partitions' changes as changes of their root table
ALTER PUBLICATION "app_changes" SET (publish = 'insert, update', publish_via_partition_root = true);

COMMENT ON PUBLICATION "app_changes" IS 'Feeds the warehouse and the audit log';

CREATE PUBLICATION "new_feed" FOR TABLE "public"."orders" WHERE ((total > (0)::numeric));

-- DESTRUCTIVE: drops column customers.legacy_code and its data
-- strata: ACCESS EXCLUSIVE lock on "public"."customers"; brief (catalog change only)
ALTER TABLE "public"."customers" DROP COLUMN "legacy_code";

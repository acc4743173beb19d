-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."purchases", brief; code using the old name breaks
ALTER TABLE "public"."purchases" RENAME TO "orders";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."people", brief; code using the old name breaks
ALTER TABLE "public"."people" RENAME COLUMN "mail" TO "email";

-- strata: subscribers of publication everything stop receiving changes to scratch
ALTER PUBLICATION "everything" DROP TABLE "public"."scratch";

-- strata: orders leave(s) publication feed while a column it publishes changes type, and come(s) back in the same transaction
ALTER PUBLICATION "feed" DROP TABLE "public"."orders";

-- strata: subscribers of publication feed stop receiving changes to scratch
ALTER PUBLICATION "feed" DROP TABLE "public"."scratch";

-- strata: ACCESS EXCLUSIVE lock on "public"."orders"; brief
ALTER TABLE "public"."orders" RENAME CONSTRAINT "purchases_pkey" TO "orders_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."orders"; brief
ALTER TABLE "public"."orders" RENAME CONSTRAINT "purchases_id_not_null" TO "orders_id_not_null";

-- DESTRUCTIVE: changes orders.status from text to character varying(20): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."orders"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."orders" ALTER COLUMN "status" TYPE character varying(20);

-- strata: subscribers of publication everything receive orders only after ALTER SUBSCRIPTION … REFRESH PUBLICATION
ALTER PUBLICATION "everything" ADD TABLE "public"."orders";

ALTER PUBLICATION "feed" ADD TABLE "public"."orders" WHERE (((status)::text <> 'draft'::text));

-- DESTRUCTIVE: drops table scratch and all its rows
DROP TABLE "public"."scratch";

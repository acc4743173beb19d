-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."docs", brief; code using the old name breaks
ALTER TABLE "public"."docs" RENAME TO "articles";

ALTER SEQUENCE "public"."docs_id_seq" RENAME TO "articles_id_seq";

-- strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on "public"."articles", brief; code using the old name breaks
ALTER TABLE "public"."articles" RENAME COLUMN "title" TO "headline";

-- strata: ACCESS EXCLUSIVE lock on "public"."articles"; brief
ALTER TABLE "public"."articles" RENAME CONSTRAINT "docs_pkey" TO "articles_pkey";

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief
ALTER TABLE "public"."people" RENAME CONSTRAINT "people_id_not_null" TO "people_id_required";

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief
ALTER TABLE "public"."people" RENAME CONSTRAINT "people_email_not_null" TO "email_required";

CREATE TABLE "public"."addresses" (
    "id" integer CONSTRAINT "Address Id" NOT NULL,
    "line" text CONSTRAINT "line_required" NOT NULL,
    "zip" text CONSTRAINT "addresses_zip_not_null" NOT NULL,
    CONSTRAINT "addresses_pkey" PRIMARY KEY (id)
);

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" ADD COLUMN "city" text DEFAULT '?'::text CONSTRAINT "city_required" NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief (catalog change only)
ALTER TABLE "public"."people" ADD COLUMN "fax" text DEFAULT ''::text CONSTRAINT "addresses_zip_not_null" NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."people" ADD CONSTRAINT "nick_required" NOT NULL "nick";

-- strata: ACCESS EXCLUSIVE lock on "public"."people"; brief
ALTER TABLE "public"."people" ALTER COLUMN "phone" DROP NOT NULL;

-- strata: ACCESS EXCLUSIVE lock on "public"."tags"; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL
ALTER TABLE "public"."tags" ADD CONSTRAINT "tags_code_required" NOT NULL "code";

-- strata: ACCESS EXCLUSIVE lock on "public"."tags" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."tags" ADD CONSTRAINT "tags_pkey" PRIMARY KEY (code);

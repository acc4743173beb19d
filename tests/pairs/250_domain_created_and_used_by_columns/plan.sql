CREATE SCHEMA "app";

CREATE DOMAIN "app"."us_zip" AS character varying(10) CONSTRAINT "us_zip_check" CHECK (((VALUE)::text ~ '^\d{5}(-\d{4})?$'::text));

CREATE DOMAIN "public"."email" AS text CONSTRAINT "email_check" CHECK ((VALUE ~ '^[^@]+@[^@]+$'::text));

CREATE DOMAIN "public"."positive_int" AS integer DEFAULT 1 NOT NULL CONSTRAINT "positive" CHECK ((VALUE > 0));

COMMENT ON CONSTRAINT "positive" ON DOMAIN "public"."positive_int" IS 'strictly';

-- strata: ACCESS EXCLUSIVE lock on "public"."contacts"; rewrites the table (the new column's value is checked against its domain's constraints on every row)
ALTER TABLE "public"."contacts" ADD COLUMN "mail" public.email;

-- strata: ACCESS EXCLUSIVE lock on "public"."contacts"; rewrites the table (the new column's value is checked against its domain's constraints on every row)
ALTER TABLE "public"."contacts" ADD COLUMN "qty" public.positive_int;

-- strata: ACCESS EXCLUSIVE lock on "public"."contacts"; rewrites the table (the new column's value is checked against its domain's constraints on every row)
ALTER TABLE "public"."contacts" ADD COLUMN "zip" app.us_zip;

-- strata: ACCESS EXCLUSIVE lock on "public"."contacts"; brief (catalog change only)
ALTER TABLE "public"."contacts" ADD COLUMN "zips" app.us_zip[];

-- strata: SHARE lock on "public"."contacts" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "contacts_mail_idx" ON "public"."contacts" USING btree (mail);

COMMENT ON DOMAIN "public"."email" IS 'An e-mail address';

-- strata: view click_count is dropped to be created again (PostgreSQL cannot change it, or what it reads, in place): queries using it fail until it exists again
DROP VIEW "public"."click_count";

-- strata: view clicks is dropped: queries using it fail until it exists again
DROP VIEW "public"."clicks";

CREATE TABLE "public"."clicks" (
    "id" bigint NOT NULL,
    CONSTRAINT "clicks_pkey" PRIMARY KEY (id)
);

-- strata: view click_count is created again: grants on it are not restored
CREATE VIEW "public"."click_count" AS
SELECT count(*) AS n
   FROM public.clicks;

-- DESTRUCTIVE: changes t.u from uuid to character varying(20): values may not convert or may lose precision
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "u" TYPE character varying(20) USING "u"::character varying(20);

-- DESTRUCTIVE: changes t.slug from character varying(64) to character varying(16): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "slug" TYPE character varying(16);

-- DESTRUCTIVE: changes t.note from text to character varying(20): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "note" TYPE character varying(20);

-- DESTRUCTIVE: changes t.code from character(10) to character(4): a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "code" TYPE character(4);

-- DESTRUCTIVE: changes t.tags from character varying(10)[] to character varying(3)[]: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "tags" TYPE character varying(3)[];

-- DESTRUCTIVE: changes t.amount from numeric(12,4) to numeric(10,2): a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "amount" TYPE numeric(10,2) USING CASE WHEN "amount"::numeric(10,2)::numeric(12,4) IS NOT DISTINCT FROM "amount" THEN "amount"::numeric(10,2) ELSE ('strata: "amount" value does not fit numeric(10,2) unchanged: ' || "amount"::text)::numeric(10,2) END;

-- DESTRUCTIVE: changes t.whole from numeric(10,2) to integer: a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "whole" TYPE integer USING CASE WHEN "whole"::integer::numeric(10,2) IS NOT DISTINCT FROM "whole" THEN "whole"::integer ELSE ('strata: "whole" value does not fit integer unchanged: ' || "whole"::text)::integer END;

-- DESTRUCTIVE: changes t.ratio from double precision to real: a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "ratio" TYPE real USING CASE WHEN "ratio"::real::double precision IS NOT DISTINCT FROM "ratio" THEN "ratio"::real ELSE ('strata: "ratio" value does not fit real unchanged: ' || "ratio"::text)::real END;

-- DESTRUCTIVE: changes t.big from bigint to integer: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "big" TYPE integer USING "big"::integer;

-- DESTRUCTIVE: changes t.small from integer to smallint: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "small" TYPE smallint USING "small"::smallint;

-- DESTRUCTIVE: changes t.at from timestamp(6) without time zone to timestamp(0) without time zone: a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "at" TYPE timestamp(0) without time zone USING CASE WHEN "at"::timestamp(0) without time zone::timestamp(6) without time zone IS NOT DISTINCT FROM "at" THEN "at"::timestamp(0) without time zone ELSE ('strata: "at" value does not fit timestamp(0) without time zone unchanged: ' || "at"::text)::timestamp(0) without time zone END;

-- DESTRUCTIVE: changes t.day from timestamp without time zone to date: a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "day" TYPE date USING CASE WHEN "day"::date::timestamp without time zone IS NOT DISTINCT FROM "day" THEN "day"::date ELSE ('strata: "day" value does not fit date unchanged: ' || "day"::text)::date END;

-- DESTRUCTIVE: changes t.zoned from timestamp(6) with time zone to timestamp(2) with time zone: a value that would be rounded or cut makes the migration fail (the conversion is guarded)
-- strata: ACCESS EXCLUSIVE lock on "public"."t"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."t" ALTER COLUMN "zoned" TYPE timestamp(2) with time zone USING CASE WHEN "zoned"::timestamp(2) with time zone::timestamp(6) with time zone IS NOT DISTINCT FROM "zoned" THEN "zoned"::timestamp(2) with time zone ELSE ('strata: "zoned" value does not fit timestamp(2) with time zone unchanged: ' || "zoned"::text)::timestamp(2) with time zone END;

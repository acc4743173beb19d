CREATE SEQUENCE "App"."seq_b" INCREMENT BY 5;

-- strata: ACCESS EXCLUSIVE lock on "App"."t"; brief
ALTER TABLE "App"."t" ALTER COLUMN "n" DROP DEFAULT;

-- strata: ACCESS EXCLUSIVE lock on "App"."t"; brief
ALTER TABLE "App"."t" ALTER COLUMN "n" SET DEFAULT nextval('"App".seq_b'::regclass);

ALTER SEQUENCE "App"."seq_b" OWNED BY "App"."t"."n";

-- DESTRUCTIVE: drops sequence App.Seq A and its current value
DROP SEQUENCE "App"."Seq A";

COMMENT ON SEQUENCE "App"."seq_b" IS 'numbers, from now on';

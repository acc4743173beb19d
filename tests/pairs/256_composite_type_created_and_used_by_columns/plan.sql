CREATE TYPE "public"."money_amount" AS ("amount" numeric(12,2), "currency" character(3) COLLATE "C");

-- strata: ACCESS EXCLUSIVE lock on "public"."prices"; brief (catalog change only)
ALTER TABLE "public"."prices" ADD COLUMN "price" public.money_amount;

-- strata: ACCESS EXCLUSIVE lock on "public"."prices"; brief (catalog change only)
ALTER TABLE "public"."prices" ADD COLUMN "history" public.money_amount[];

COMMENT ON TYPE "public"."money_amount" IS 'an amount of money';

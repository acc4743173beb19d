-- DESTRUCTIVE: removes value(s) "c" from enum order: rows holding them make the conversion fail
ALTER TYPE "public"."order" RENAME TO "order__strata_old";

CREATE TYPE "public"."order" AS ENUM ('a', 'b');

-- strata: the old type, now unused
DROP TYPE "public"."order__strata_old";

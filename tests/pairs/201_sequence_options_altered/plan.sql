-- strata: PostgreSQL refuses the new type or bounds if the sequence's current value does not fit in them
ALTER SEQUENCE "public"."s" AS integer INCREMENT BY -1 MINVALUE -1000 MAXVALUE 500 START WITH 10 CACHE 10 CYCLE;

ALTER SEQUENCE "public"."widened" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;

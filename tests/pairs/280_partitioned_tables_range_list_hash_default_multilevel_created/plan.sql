CREATE TABLE "public"."event" (
    "id" bigint NOT NULL,
    "kind" text NOT NULL,
    "tenant" integer NOT NULL
) PARTITION BY LIST (kind);

CREATE TABLE "public"."event_ab" PARTITION OF "public"."event" FOR VALUES IN ('a', 'b') PARTITION BY HASH (tenant);

CREATE TABLE "public"."event_ab_0" PARTITION OF "public"."event_ab" FOR VALUES WITH (modulus 2, remainder 0);

CREATE TABLE "public"."event_ab_1" PARTITION OF "public"."event_ab" (
    CONSTRAINT "ab1_positive" CHECK ((id > 0))
) FOR VALUES WITH (modulus 2, remainder 1);

CREATE TABLE "public"."payment" (
    "id" bigserial,
    "customer_id" integer NOT NULL,
    "amount" numeric(5,2) NOT NULL,
    "payment_date" timestamp with time zone NOT NULL,
    CONSTRAINT "payment_pkey" PRIMARY KEY (id, payment_date),
    CONSTRAINT "payment_amount_check" CHECK ((amount >= (0)::numeric)),
    CONSTRAINT "payment_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES public.customer(id)
) PARTITION BY RANGE (payment_date);

CREATE TABLE "public"."payment_2022_01" PARTITION OF "public"."payment" FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');

CREATE TABLE "public"."payment_2022_02" PARTITION OF "public"."payment" FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00');

CREATE TABLE "public"."payment_other" PARTITION OF "public"."payment" DEFAULT;

CREATE INDEX "payment_customer_id_idx" ON "public"."payment" USING btree (customer_id);

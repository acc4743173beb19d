CREATE SCHEMA "My Schema";

CREATE TABLE "My Schema"."Order Items" (
    "userId" integer NOT NULL,
    "select" text,
    "weird""name" text,
    CONSTRAINT "Order Items_pkey" PRIMARY KEY ("userId")
);

CREATE TABLE "public"."user" (
    "order" integer,
    CONSTRAINT "user_order_fkey" FOREIGN KEY ("order") REFERENCES "My Schema"."Order Items"("userId")
);

CREATE INDEX "Order Items_select_idx" ON "My Schema"."Order Items" USING btree ("select");

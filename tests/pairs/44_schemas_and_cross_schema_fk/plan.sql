CREATE SCHEMA "app";

CREATE SCHEMA "audit";

CREATE TYPE "app"."state" AS ENUM ('on', 'off');

CREATE TABLE "app"."accounts" (
    "id" bigint NOT NULL,
    "state" app.state,
    CONSTRAINT "accounts_pkey" PRIMARY KEY (id)
);

CREATE TABLE "audit"."events" (
    "id" bigint GENERATED ALWAYS AS IDENTITY,
    "account_id" bigint,
    CONSTRAINT "events_pkey" PRIMARY KEY (id),
    CONSTRAINT "events_account_id_fkey" FOREIGN KEY (account_id) REFERENCES app.accounts(id)
);

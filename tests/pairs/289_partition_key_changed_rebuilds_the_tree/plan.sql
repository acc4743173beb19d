-- strata: ACCESS EXCLUSIVE lock on "public"."readings"; brief; fails if a foreign key still references rows of the partition
ALTER TABLE "public"."readings" DETACH PARTITION "public"."readings_2024";

-- DESTRUCTIVE: drops table readings_2024 and all its rows
DROP TABLE "public"."readings_2024";

-- DESTRUCTIVE: drops table readings and all its rows
DROP TABLE "public"."readings";

CREATE TABLE "public"."readings" (
    "sensor" integer NOT NULL,
    "taken_on" date NOT NULL,
    "value" numeric
) PARTITION BY LIST (sensor);

CREATE TABLE "public"."readings_2024" PARTITION OF "public"."readings" FOR VALUES IN (1, 2);

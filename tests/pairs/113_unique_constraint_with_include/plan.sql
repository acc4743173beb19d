-- strata: ACCESS EXCLUSIVE lock on "public"."t" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."t" ADD CONSTRAINT "t_code_name_key" UNIQUE (code) INCLUDE (name);

-- strata: ACCESS EXCLUSIVE lock on "public"."event"; a DEFAULT partition of it is scanned for rows of the new bound; on a busy table create the table alone and ATTACH PARTITION it (SHARE UPDATE EXCLUSIVE)
CREATE TABLE "public"."event_c" PARTITION OF "public"."event" FOR VALUES IN ('c') PARTITION BY RANGE (id);

CREATE TABLE "public"."event_c_low" PARTITION OF "public"."event_c" FOR VALUES FROM (MINVALUE) TO ('1000');

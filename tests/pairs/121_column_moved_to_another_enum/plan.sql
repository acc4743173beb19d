-- strata: ACCESS EXCLUSIVE lock on "public"."posts"; brief
ALTER TABLE "public"."posts" ALTER COLUMN "status" DROP DEFAULT;

-- DESTRUCTIVE: changes posts.status from public.old_status to public.new_status: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."posts"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."posts" ALTER COLUMN "status" TYPE public.new_status USING "status"::text::public.new_status;

-- strata: ACCESS EXCLUSIVE lock on "public"."posts"; brief
ALTER TABLE "public"."posts" ALTER COLUMN "status" SET DEFAULT 'draft'::public.new_status;

-- DESTRUCTIVE: changes posts.history from public.old_status[] to public.new_status[]: a value that does not convert or fit makes the migration fail
-- strata: ACCESS EXCLUSIVE lock on "public"."posts"; rewrites the table and rebuilds its indexes
ALTER TABLE "public"."posts" ALTER COLUMN "history" TYPE public.new_status[] USING "history"::text[]::public.new_status[];

-- strata: the new value "queued" cannot be used until this transaction commits
ALTER TYPE "public"."job_status" ADD VALUE 'queued' BEFORE 'pending';

-- strata: the new value "running" cannot be used until this transaction commits
ALTER TYPE "public"."job_status" ADD VALUE 'running' BEFORE 'done';

-- strata: the new value "failed" cannot be used until this transaction commits
ALTER TYPE "public"."job_status" ADD VALUE 'failed';

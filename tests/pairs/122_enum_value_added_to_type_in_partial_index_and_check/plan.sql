-- strata: the new value "queued" cannot be used until this transaction commits
ALTER TYPE "public"."job_status" ADD VALUE 'queued' BEFORE 'running';

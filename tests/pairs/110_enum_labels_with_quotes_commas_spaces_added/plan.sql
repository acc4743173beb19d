-- strata: the new value "say \"hi\"" cannot be used until this transaction commits
ALTER TYPE "public"."label" ADD VALUE 'say "hi"';

-- strata: the new value "{brace}" cannot be used until this transaction commits
ALTER TYPE "public"."label" ADD VALUE '{brace}';

-- strata: the new value "Été" cannot be used until this transaction commits
ALTER TYPE "public"."label" ADD VALUE 'Été';

CREATE OR REPLACE AGGREGATE "public"."msum"(integer) (
    SFUNC = public._madd,
    STYPE = bigint,
    INITCOND = '0',
    FINALFUNC = public._mfin,
    MSFUNC = public._madd,
    MINVFUNC = public._msub,
    MSTYPE = bigint,
    MSSPACE = 8,
    MINITCOND = '0',
    MFINALFUNC = public._mfin,
    MFINALFUNC_MODIFY = SHAREABLE
);

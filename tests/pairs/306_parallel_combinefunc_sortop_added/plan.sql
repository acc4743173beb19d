CREATE OR REPLACE AGGREGATE "app"."tally"(*) (
    SFUNC = int8inc,
    STYPE = bigint,
    INITCOND = '0',
    COMBINEFUNC = int8pl,
    PARALLEL = RESTRICTED
);

CREATE OR REPLACE AGGREGATE "public"."my_max"(integer) (
    SFUNC = int4larger,
    STYPE = integer,
    SSPACE = 4,
    COMBINEFUNC = int4larger,
    SORTOP = >,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE "app"."tally"(*) IS 'Rows';

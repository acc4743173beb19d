-- A column whose type is a composite type (unmanaged)
-- unmanaged: composite types public.money_amount
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
CREATE TABLE prices (id int PRIMARY KEY, price money_amount, history money_amount[]);

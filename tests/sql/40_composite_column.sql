-- Columns whose type is a composite type (managed: pull writes them under types:)
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
CREATE TABLE prices (id int PRIMARY KEY, price money_amount, history money_amount[]);
CREATE TYPE labelled AS (label text COLLATE "C", amount money_amount);
COMMENT ON TYPE labelled IS 'nested';
CREATE TABLE tagged (id int PRIMARY KEY, l labelled);

-- Enums whose values were added later with ALTER TYPE ADD VALUE BEFORE/AFTER
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
ALTER TYPE order_status ADD VALUE 'cancelled';
ALTER TYPE order_status ADD VALUE 'packed' BEFORE 'shipped';
ALTER TYPE order_status ADD VALUE 'pending_payment' AFTER 'new';
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'draft' BEFORE 'new';
ALTER TYPE order_status RENAME VALUE 'shipped' TO 'dispatched';
CREATE TYPE priority AS ENUM ('low', 'high');
ALTER TYPE priority ADD VALUE 'medium' AFTER 'low';
COMMIT; -- ADD VALUE values are usable only once committed (psql autocommits)
CREATE TABLE orders (
  id int PRIMARY KEY,
  status order_status NOT NULL DEFAULT 'new',
  prio priority DEFAULT 'medium'::priority,
  history order_status[] DEFAULT ARRAY['new']::order_status[]
);
CREATE INDEX orders_open_idx ON orders (id) WHERE status <> 'cancelled';
ALTER TYPE priority RENAME TO task_priority;

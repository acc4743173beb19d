-- Constraints left NOT VALID (never validated) on a live table
CREATE TABLE orders (id int PRIMARY KEY, qty int, customer_id int);
CREATE TABLE customers (id int PRIMARY KEY);
ALTER TABLE orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers(id) NOT VALID;

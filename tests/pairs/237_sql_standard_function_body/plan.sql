SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.order_total(o integer)
 RETURNS numeric
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT orders.total
    FROM public.orders
   WHERE (orders.id = order_total.o);
END;

CREATE OR REPLACE FUNCTION public.twice(x integer)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
RETURN (x * 2);

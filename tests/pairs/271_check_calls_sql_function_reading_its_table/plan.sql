SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.in_range(numeric)
 RETURNS boolean
 LANGUAGE sql
 STABLE
AS $function$select $1 <= coalesce((select max(total) from public.orders), 0) + 1000$function$;

CREATE TABLE "public"."orders" (
    "id" integer NOT NULL,
    "total" numeric NOT NULL,
    CONSTRAINT "orders_pkey" PRIMARY KEY (id),
    CONSTRAINT "orders_total_in_range" CHECK (public.in_range(total))
);

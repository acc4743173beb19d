CREATE OR REPLACE VIEW "public"."cheap" AS
SELECT items.id,
    items.price
   FROM public.items
  WHERE (items.price < 20);

CREATE OR REPLACE VIEW "public"."pricey" WITH (check_option=cascaded) AS
SELECT items.id,
    items.price
   FROM public.items
  WHERE (items.price > 100);

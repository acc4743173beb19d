CREATE OR REPLACE VIEW "public"."cheap" AS
SELECT id,
    price
   FROM public.items
  WHERE (price < 20);

CREATE OR REPLACE VIEW "public"."pricey" WITH (check_option=cascaded) AS
SELECT id,
    price
   FROM public.items
  WHERE (price > 100);

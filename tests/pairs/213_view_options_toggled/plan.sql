ALTER VIEW "public"."barrier" RESET (security_barrier);

ALTER VIEW "public"."my_orders" SET (security_barrier=true);

ALTER VIEW "public"."invoker" RESET (security_invoker);

ALTER VIEW "public"."my_orders" SET (security_invoker=true);

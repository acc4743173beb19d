ALTER VIEW "public"."cheap" SET (check_option=cascaded);

CREATE SEQUENCE "public"."fresh";

ALTER SEQUENCE "public"."fresh" OWNED BY "public"."t"."a";

ALTER SEQUENCE "public"."kept" OWNED BY NONE;

ALTER SEQUENCE "public"."s" OWNED BY "public"."t"."b";

-- DESTRUCTIVE: drops table old and all its rows
DROP TABLE "public"."old";

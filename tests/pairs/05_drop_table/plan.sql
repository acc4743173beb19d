-- DESTRUCTIVE: drops table gone and all its rows
DROP TABLE "public"."gone";

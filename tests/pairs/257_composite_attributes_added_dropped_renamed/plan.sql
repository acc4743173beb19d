ALTER TYPE "public"."pair" RENAME ATTRIBUTE "b" TO "label";

-- DESTRUCTIVE: drops attribute c of pair and its values in every column using the type
ALTER TYPE "public"."pair" DROP ATTRIBUTE "c";

ALTER TYPE "public"."pair" ADD ATTRIBUTE "d" boolean;

-- DESTRUCTIVE: drops enum type mood
DROP TYPE "public"."mood";

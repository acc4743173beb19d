GRANT USAGE ON SCHEMA "app" TO "Priv Writer" WITH GRANT OPTION;

GRANT SELECT ON TABLE "app"."emails" TO "app_reader";

GRANT SELECT ON TABLE "app"."users" TO "Priv Writer" WITH GRANT OPTION;

-- strata: Priv Writer loses DELETE on table app.users
REVOKE DELETE ON TABLE "app"."users" FROM "Priv Writer";

GRANT SELECT, USAGE ON SEQUENCE "app"."tickets" TO "Priv Writer";

-- strata: Priv Writer loses USAGE on sequence app.users_id_seq
REVOKE USAGE ON SEQUENCE "app"."users_id_seq" FROM "Priv Writer";

GRANT SELECT ("email") ON TABLE "app"."users" TO PUBLIC;

GRANT UPDATE ("name") ON TABLE "app"."users" TO "app_reader";

-- strata: public loses EXECUTE on function app.answer()
REVOKE EXECUTE ON ROUTINE "app"."answer"() FROM PUBLIC;

GRANT EXECUTE ON ROUTINE "app"."answer"() TO "app_reader";

GRANT EXECUTE ON ROUTINE "app"."double"(x integer) TO PUBLIC;

-- strata: public loses USAGE on type app.mood
REVOKE USAGE ON TYPE "app"."mood" FROM PUBLIC;

GRANT USAGE ON TYPE "app"."mood" TO "app_reader";

CREATE TABLE "public"."organization_membership_invitation_history_record_archive_table" (
    "id" serial,
    "invitation_accepted_by_administrator_user_identifier" integer,
    "éééééééééééééééééééééééééééééééx" text,
    CONSTRAINT "organization_membership_invitation_history_record_archive__pkey" PRIMARY KEY (id),
    CONSTRAINT "organization_membership_invit_éééééééééééééé_key" UNIQUE ("éééééééééééééééééééééééééééééééx")
);

-- strata: ACCESS EXCLUSIVE lock on "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x"; brief (catalog change only)
ALTER TABLE "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" ADD COLUMN "invitation_accepted_by_administrator_user_identifier" integer;

-- strata: ACCESS EXCLUSIVE lock on "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x"; brief (catalog change only)
ALTER TABLE "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" ADD COLUMN "email_address_of_the_person_who_was_invited_to_the_organization" text;

-- strata: ACCESS EXCLUSIVE lock on "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX
ALTER TABLE "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" ADD CONSTRAINT "parent_with_a_rather_long_nam_invitation_accepted_by_admini_key" UNIQUE (invitation_accepted_by_administrator_user_identifier);

-- strata: ACCESS EXCLUSIVE lock on "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" while every row is checked; on a large table add it NOT VALID and VALIDATE CONSTRAINT separately
ALTER TABLE "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" ADD CONSTRAINT "parent_with_a_rather_long_na_invitation_accepted_by_admin_check" CHECK ((invitation_accepted_by_administrator_user_identifier > 0));

-- strata: SHARE lock on "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "parent_with_a_rather_long_nam_invitation_accepted_by_admini_idx" ON "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" USING btree (invitation_accepted_by_administrator_user_identifier, email_address_of_the_person_who_was_invited_to_the_organization);

-- strata: SHARE lock on "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration
CREATE INDEX "parent_with_a_rather_long_name_for_testing_truncation_lower_idx" ON "public"."parent_with_a_rather_long_name_for_testing_truncation_rules_x" USING btree (lower(email_address_of_the_person_who_was_invited_to_the_organization));

ALTER TABLE "public"."organization_membership_invitation_history_record_archive_table" ADD CONSTRAINT "organization_membership_invit_invitation_accepted_by_admin_fkey" FOREIGN KEY (invitation_accepted_by_administrator_user_identifier) REFERENCES public.parent_with_a_rather_long_name_for_testing_truncation_rules_x(invitation_accepted_by_administrator_user_identifier);

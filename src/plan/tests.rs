use super::*;
use crate::diff::ColumnChange;
use crate::model::{Column, EnumType, ForeignKey, Index, PrimaryKey, QualifiedName, Table};

fn q(n: &str) -> QualifiedName {
    QualifiedName::new("public", n)
}

fn table(name: &str, refs: &[&str]) -> Table {
    Table {
        name: q(name),
        columns: vec![Column {
            name: "id".into(),
            data_type: "integer".into(),
            not_null: true,
            ..Default::default()
        }],
        primary_key: Some(PrimaryKey {
            name: Some(format!("{name}_pkey")),
            columns: vec!["id".into()],
            ..Default::default()
        }),
        foreign_keys: refs
            .iter()
            .map(|r| ForeignKey {
                name: Some(format!("{name}_{r}_fkey")),
                columns: vec!["id".into()],
                ref_table: q(r),
                ref_columns: vec!["id".into()],
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn db(tables: Vec<Table>) -> Database {
    Database {
        tables: tables.into_iter().map(|t| (t.name.clone(), t)).collect(),
        ..Default::default()
    }
}

/// Position of the first statement containing `needle` (and the plan's
/// graph had no cycle).
fn at(p: &Plan, needle: &str) -> usize {
    assert!(p.cycle_broken_at.is_empty(), "{:?}", p.cycle_broken_at);
    p.statements
        .iter()
        .position(|s| s.sql.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} in\n{}", p.to_sql()))
}

#[test]
fn parents_are_created_before_children() {
    let want = db(vec![
        table("a_child", &["b_parent"]),
        table("b_parent", &[]),
    ]);
    let p = plan(
        &crate::diff::diff(&Database::default(), &want),
        &Database::default(),
    );
    let sql = p.to_sql();
    assert!(at(&p, "TABLE \"public\".\"b_parent\"") < at(&p, "TABLE \"public\".\"a_child\""));
    assert!(!sql.contains("ALTER TABLE"), "FK should be inline:\n{sql}");
}

#[test]
fn foreign_key_cycles_are_closed_with_alter_table() {
    let want = db(vec![table("orgs", &["users"]), table("users", &["orgs"])]);
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(
            &crate::diff::diff(&Database::default(), &want),
            &Database::default(),
            ties,
        );
        let sql = p.to_sql();
        assert_eq!(sql.matches("CREATE TABLE").count(), 2, "{sql}");
        assert_eq!(sql.matches("ALTER TABLE").count(), 1, "{sql}");
        let alter = sql.find("ALTER TABLE").unwrap();
        assert!(sql.rfind("CREATE TABLE").unwrap() < alter, "{sql}");
    }
}

#[test]
fn tables_hanging_off_a_cycle_keep_inline_keys() {
    let want = db(vec![
        table("a_leaf", &["orgs"]),
        table("orgs", &["users"]),
        table("users", &["orgs"]),
    ]);
    let p = plan(
        &crate::diff::diff(&Database::default(), &want),
        &Database::default(),
    );
    let sql = p.to_sql();
    assert_eq!(sql.matches("ALTER TABLE").count(), 1, "{sql}");
    assert!(!sql.contains("ALTER TABLE \"public\".\"a_leaf\""), "{sql}");
    assert!(at(&p, "TABLE \"public\".\"orgs\"") < at(&p, "TABLE \"public\".\"a_leaf\""));
}

#[test]
fn drops_are_destructive_and_refused() {
    let have = db(vec![table("orgs", &["users"]), table("users", &["orgs"])]);
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&crate::diff::diff(&have, &Database::default()), &have, ties);
        assert_eq!(p.destructive().len(), 2);
        assert!(p.check_destructive(false).is_err());
        assert!(p.check_destructive(true).is_ok());
        assert!(p.hazard_kinds().contains(&HazardKind::DataLoss));
        // The cycle is cut before either table is dropped.
        let sql = p.to_sql();
        let cut = sql.find("DROP CONSTRAINT").unwrap();
        assert!(cut < sql.find("DROP TABLE").unwrap(), "{sql}");
    }
}

#[test]
fn changes_on_existing_tables_carry_lock_notes() {
    let have = db(vec![table("t", &[])]);
    let mut want = have.clone();
    want.tables
        .values_mut()
        .next()
        .unwrap()
        .columns
        .push(Column {
            name: "n".into(),
            data_type: "integer".into(),
            not_null: true,
            ..Default::default()
        });
    let p = plan(&crate::diff::diff(&have, &want), &have);
    let sql = p.to_sql();
    assert!(sql.contains("ACCESS EXCLUSIVE"), "{sql}");
    assert!(sql.contains("fails if the table has rows"), "{sql}");
    let kinds = p.hazard_kinds();
    assert!(kinds.contains(&HazardKind::Lock) && kinds.contains(&HazardKind::MayFail));
}

fn partial_index() -> Index {
    Index {
        name: Some("t_live".into()),
        definition: "USING btree (status) WHERE (status = 'a'::public.job_status)".into(),
        ..Default::default()
    }
}

fn status_column(data_type: &str) -> Column {
    Column {
        name: "status".into(),
        data_type: data_type.into(),
        ..Default::default()
    }
}

/// The design's acceptance test: "drop the dependent object, change the
/// column, re-create the dependent object" is three changes and the edges
/// between them, whatever order they come in and whichever way ties go.
#[test]
fn drop_dependent_change_column_recreate_dependent_is_edges_alone() {
    let t = q("t");
    let have = db(vec![Table {
        name: t.clone(),
        columns: vec![status_column("integer")],
        indexes: vec![partial_index()],
        ..Default::default()
    }]);
    let changes = vec![
        Change::CreateIndex {
            table: t.clone(),
            index: partial_index(),
        },
        Change::AlterColumn {
            table: t.clone(),
            from: status_column("integer"),
            to: status_column("bigint"),
            changes: vec![ColumnChange::Type {
                lossy: false,
                rewrite: true,
            }],
        },
        Change::DropIndex {
            table: t.clone(),
            index: partial_index(),
        },
    ];
    let mut edges = deps::edges(&changes, &have);
    edges.sort_unstable();
    edges.dedup();
    // drop → alter (the index uses the column), alter → create (it needs
    // the column in its new form), drop → create (the name is free again).
    assert_eq!(edges, vec![(1, 0), (2, 0), (2, 1)]);
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&changes, &have, ties);
        let (drop, alter, create) = (
            at(&p, "DROP INDEX"),
            at(&p, "TYPE bigint"),
            at(&p, "CREATE INDEX"),
        );
        assert!(drop < alter && alter < create, "{ties:?}:\n{}", p.to_sql());
    }
}

/// Issue 11 item 3: recreating an enum (the down file of an added value)
/// must drop the partial index that compares the column with a label and
/// create it again after the conversion — from the current catalog, not
/// from the diff (whose drop/re-create pair of an unchanged index a
/// normalisation step would discard as a phantom).
#[test]
fn enum_recreation_rebuilds_a_partial_index_around_itself() {
    let t = q("t");
    let ty = q("job_status");
    let old = EnumType {
        name: ty.clone(),
        values: vec!["a".into(), "queued".into(), "b".into()],
        ..Default::default()
    };
    let new = EnumType {
        values: vec!["a".into(), "b".into()],
        ..old.clone()
    };
    let mut have = db(vec![Table {
        name: t.clone(),
        columns: vec![status_column("public.job_status")],
        indexes: vec![partial_index()],
        ..Default::default()
    }]);
    have.enums.insert(ty.clone(), old.clone());
    let changes = vec![Change::RecreateEnum {
        from: old,
        to: new,
        columns: vec![(t.clone(), status_column("public.job_status"))],
    }];
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&changes, &have, ties);
        let sql = p.to_sql();
        let drop = at(&p, "DROP INDEX \"public\".\"t_live\"");
        let rename = at(&p, "RENAME TO \"job_status__strata_old\"");
        let convert = at(&p, "USING \"status\"::text::\"public\".\"job_status\"");
        let old_gone = at(&p, "DROP TYPE");
        let create = at(&p, "CREATE INDEX \"t_live\"");
        assert!(drop < rename && rename < convert, "{sql}");
        assert!(convert < create && convert < old_gone, "{sql}");
        assert!(p.destructive().len() == 1, "{sql}");
    }
}

#[test]
fn a_column_moving_between_enums_goes_through_text() {
    let t = q("t");
    let mut have = db(vec![Table {
        name: t.clone(),
        columns: vec![status_column("public.a")],
        ..Default::default()
    }]);
    for n in ["a", "b"] {
        have.enums.insert(
            q(n),
            EnumType {
                name: q(n),
                values: vec!["x".into()],
                ..Default::default()
            },
        );
    }
    let mut want = have.clone();
    want.tables.get_mut(&t).unwrap().columns[0].data_type = "public.b".into();
    let p = plan(&crate::diff::diff(&have, &want), &have);
    assert!(
        p.to_sql()
            .contains("TYPE public.b USING \"status\"::text::public.b;"),
        "{}",
        p.to_sql()
    );
}

#[test]
fn narrowing_never_truncates_or_rounds() {
    let t = q("t");
    let col = |n: &str, ty: &str| Column {
        name: n.into(),
        data_type: ty.into(),
        ..Default::default()
    };
    let have = db(vec![Table {
        name: t.clone(),
        columns: vec![
            col("slug", "character varying(64)"),
            col("amount", "numeric(12,4)"),
            col("n", "bigint"),
        ],
        ..Default::default()
    }]);
    let mut want = have.clone();
    let cols = &mut want.tables.get_mut(&t).unwrap().columns;
    cols[0].data_type = "character varying(16)".into();
    cols[1].data_type = "numeric(10,2)".into();
    cols[2].data_type = "integer".into();
    let p = plan(&crate::diff::diff(&have, &want), &have);
    let sql = p.to_sql();
    assert_eq!(p.destructive().len(), 3, "{sql}");
    // No explicit cast to the shorter type: PostgreSQL's assignment
    // conversion raises "value too long" instead of truncating.
    assert!(
        sql.contains("ALTER COLUMN \"slug\" TYPE character varying(16);"),
        "{sql}"
    );
    assert!(!sql.contains("::character varying(16)"), "{sql}");
    // Rounding is guarded.
    assert!(sql.contains("USING CASE WHEN \"amount\"::numeric(10,2)::numeric(12,4) IS NOT DISTINCT FROM \"amount\""), "{sql}");
    // An integer cast raises on overflow by itself.
    assert!(sql.contains("TYPE integer USING \"n\"::integer;"), "{sql}");
}

/// A table of columns (name, PostgreSQL 18 NOT NULL name) on 18.
fn named_not_nulls(name: &str, cols: &[(&str, Option<&str>)]) -> Table {
    Table {
        name: q(name),
        columns: cols
            .iter()
            .map(|(c, nn)| Column {
                name: c.to_string(),
                data_type: "integer".into(),
                not_null: nn.is_some(),
                not_null_name: nn.map(str::to_string),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn not_null_names_are_renamed_spelled_out_and_added_by_name() {
    let from = db(vec![named_not_nulls(
        "t",
        &[
            ("a", Some("old_a")),
            ("b", None),
            ("c", Some("t_c_not_null")),
        ],
    )]);
    let to = db(vec![
        named_not_nulls(
            "t",
            &[
                ("a", Some("new_a")),
                ("b", Some("b_set")),
                ("c", Some("t_c_not_null")),
            ],
        ),
        // Default names stay implicit unless another table holds them
        // (then PostgreSQL would pick `u_x_not_null1`).
        named_not_nulls("u", &[("x", Some("u_x_not_null")), ("y", Some("y_set"))]),
        named_not_nulls("v", &[("z", Some("v_z_not_null"))]),
        named_not_nulls("w", &[("k", Some("u_x_not_null"))]),
    ]);
    let sql = plan(&crate::diff::diff(&from, &to), &from).to_sql();
    assert!(
        sql.contains(r#"RENAME CONSTRAINT "old_a" TO "new_a";"#),
        "{sql}"
    );
    assert!(
        sql.contains(r#"ADD CONSTRAINT "b_set" NOT NULL "b";"#),
        "{sql}"
    );
    assert!(
        sql.contains(r#""x" integer CONSTRAINT "u_x_not_null" NOT NULL,"#),
        "{sql}"
    );
    assert!(
        sql.contains(r#""y" integer CONSTRAINT "y_set" NOT NULL"#),
        "{sql}"
    );
    assert!(sql.contains(r#""z" integer NOT NULL"#), "{sql}");
    assert!(!sql.contains("t_c_not_null"), "{sql}");
    // A server that names no NOT NULL (before 18): nothing to rename.
    let unnamed = db(vec![named_not_nulls("t", &[("a", None)])]);
    let mut nn = unnamed.clone();
    nn.tables.get_mut(&q("t")).unwrap().columns[0].not_null = true;
    assert!(crate::diff::diff(&from_names(&nn, Some("x")), &nn).is_empty());
}

/// `db` with the first column's NOT NULL named `name`.
fn from_names(db: &Database, name: Option<&str>) -> Database {
    let mut d = db.clone();
    d.tables.get_mut(&q("t")).unwrap().columns[0].not_null_name = name.map(str::to_string);
    d
}

#[test]
fn virtual_columns_are_rebuilt_and_keep_their_values_when_made_plain() {
    let col = |name: &str, generated: Option<&str>, is_virtual: bool, not_null: bool| Column {
        name: name.into(),
        data_type: "integer".into(),
        generated: generated.map(str::to_string),
        generated_virtual: is_virtual,
        not_null,
        ..Default::default()
    };
    let t = |cols: Vec<Column>| Table {
        name: q("t"),
        columns: cols,
        ..Default::default()
    };
    let from = db(vec![t(vec![
        col("a", None, false, false),
        col("v", Some("(a * 2)"), true, false),
        col("s", Some("(a * 3)"), false, false),
        col("w", Some("(a * 4)"), true, false),
    ])]);
    let to = db(vec![t(vec![
        col("a", None, false, false),
        col("v", None, false, true),
        col("s", Some("(a * 3)"), true, false),
        col("w", Some("(a * 5)"), true, false),
    ])]);
    let p = plan(&crate::diff::diff(&from, &to), &from);
    let sql = p.to_sql();
    // Virtual → plain: no DROP EXPRESSION (18 refuses it); filled, then NOT NULL.
    assert!(!sql.contains("DROP EXPRESSION"), "{sql}");
    let added = at(&p, r#"ADD COLUMN "v" integer;"#);
    let filled = at(&p, r#"UPDATE "public"."t" SET "v" = ((a * 2));"#);
    let not_null = at(&p, r#"ALTER COLUMN "v" SET NOT NULL"#);
    assert!(at(&p, r#"DROP COLUMN "v""#) < added && added < filled && filled < not_null);
    // Stored → virtual and a new virtual expression: rebuilt, no rewrite.
    assert!(
        sql.contains(r#"ADD COLUMN "s" integer GENERATED ALWAYS AS ((a * 3)) VIRTUAL;"#),
        "{sql}"
    );
    assert!(
        sql.contains(r#"ADD COLUMN "w" integer GENERATED ALWAYS AS ((a * 5)) VIRTUAL;"#),
        "{sql}"
    );
    assert!(!sql.contains("rewrites the table"), "{sql}");
    assert!(p.destructive().is_empty(), "{sql}");
}

#[test]
fn a_not_null_name_moving_to_another_column_is_freed_first() {
    let from = db(vec![named_not_nulls(
        "t",
        &[("a", Some("foo")), ("b", None), ("c", Some("bar"))],
    )]);
    let to = db(vec![named_not_nulls(
        "t",
        &[("a", None), ("b", Some("foo")), ("c", Some("t_c_not_null"))],
    )]);
    let changes = crate::diff::diff(&from, &to);
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&changes, &from, ties);
        assert!(
            at(&p, r#"ALTER COLUMN "a" DROP NOT NULL"#)
                < at(&p, r#"ADD CONSTRAINT "foo" NOT NULL "b""#)
        );
    }
}

fn with_sequence(mut d: Database, name: &str, owned_by: Option<(&str, &str)>) -> Database {
    let s = crate::model::StandaloneSequence {
        name: q(name),
        owned_by: owned_by.map(|(t, c)| (q(t), c.to_string())),
        ..Default::default()
    };
    d.sequences.insert(q(name), s);
    d
}

/// Table `name` whose `n` column draws from sequence `seq` (catalog text).
fn drawing_from(name: &str, seq: &str) -> Table {
    let mut t = table(name, &[]);
    t.columns.push(Column {
        name: "n".into(),
        data_type: "bigint".into(),
        default: Some(format!("nextval('public.{seq}'::regclass)")),
        ..Default::default()
    });
    t
}

#[test]
fn a_sequence_comes_before_the_default_using_it_and_goes_after() {
    let bare = {
        let mut t = drawing_from("t", "s");
        t.columns[1].default = None;
        db(vec![t])
    };
    let using = with_sequence(db(vec![drawing_from("t", "s")]), "s", None);
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&crate::diff::diff(&bare, &using), &bare, ties);
        assert!(
            at(&p, "CREATE SEQUENCE") < at(&p, "SET DEFAULT"),
            "{}",
            p.to_sql()
        );
        let p = plan_with(&crate::diff::diff(&using, &bare), &using, ties);
        assert!(
            at(&p, "DROP DEFAULT") < at(&p, "DROP SEQUENCE"),
            "{}",
            p.to_sql()
        );
        assert!(p.hazard_kinds().contains(&HazardKind::DataLoss));
    }
}

#[test]
fn a_table_owning_a_sequence_another_uses_is_dropped_after_that_one() {
    let have = with_sequence(
        db(vec![table("old", &[]), drawing_from("t", "kept")]),
        "kept",
        Some(("old", "id")),
    );
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&crate::diff::diff(&have, &Database::default()), &have, ties);
        let sql = p.to_sql();
        // PostgreSQL drops the owned sequence with its table.
        assert!(!sql.contains("DROP SEQUENCE"), "{sql}");
        assert!(at(&p, "TABLE \"public\".\"t\"") < at(&p, "TABLE \"public\".\"old\""));
    }
}

/// A range type is dropped after the columns typed with it or with its
/// multirange.
#[test]
fn range_dropped_after_columns_of_its_multirange() {
    let mut from = db(vec![table("t", &[])]);
    let t = from.tables.get_mut(&q("t")).unwrap();
    t.columns.push(Column {
        name: "rs".into(),
        data_type: "public.floatmultirange".into(),
        ..Default::default()
    });
    let r = crate::model::RangeType {
        name: q("floatrange"),
        subtype: "double precision".into(),
        ..Default::default()
    };
    from.ranges.insert(r.name.clone(), r);
    let to = db(vec![table("t", &[])]);
    let changes = crate::diff::diff(&from, &to);
    for ties in [Ties::Rank, Ties::Reversed] {
        let p = plan_with(&changes, &from, ties);
        assert!(
            at(&p, "DROP COLUMN \"rs\"") < at(&p, "DROP TYPE"),
            "{}",
            p.to_sql()
        );
    }
}

#[test]
fn function_mentions_are_calls_by_name() {
    use super::deps::mentions_function;
    let f = QualifiedName::new("public", "norm");
    assert!(mentions_function(
        "CHECK ((public.norm(email) <> ''::text))",
        &f
    ));
    assert!(mentions_function("norm(email) <> ''", &f));
    assert!(!mentions_function("public.normal(email)", &f));
    assert!(!mentions_function("abnorm(email)", &f));
    assert!(!mentions_function("other.norm(email)", &f));
    let g = QualifiedName::new("util", "Clamp");
    assert!(mentions_function("util.\"Clamp\"(v, 0, 10)", &g));
    assert!(!mentions_function("\"Clamp\"(v)", &g));
}

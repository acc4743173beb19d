//! Every kind of problem in schema YAML is reported with file:line:col,
//! and all of them are reported together.

use std::path::{Path, PathBuf};

use strata::spec::{load_str, load_texts, SpecError};

/// `line:col: message` for each issue of a one-file load.
fn issues(text: &str) -> Vec<String> {
    match load_str(Path::new("s.yaml"), text) {
        Ok(_) => vec![],
        Err(SpecError::Invalid(list)) => list
            .iter()
            .map(|i| {
                assert_eq!(i.file, Path::new("s.yaml"));
                format!("{}:{}: {}", i.line, i.column, i.message)
            })
            .collect(),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn one(text: &str) -> String {
    let all = issues(text);
    assert_eq!(all.len(), 1, "expected one issue, got {all:#?}");
    all.into_iter().next().unwrap_or_default()
}

#[test]
fn yaml_syntax_error() {
    assert_eq!(
        one("tables:\n  t:\n    columns: [a, b\n"),
        "4:1: YAML syntax error: while parsing a flow sequence, expected ',' or ']'"
    );
}

#[test]
fn duplicate_yaml_key() {
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      id: int\n      id: text\n"),
        "5:7: duplicate key \"id\" (first defined at line 4, column 7)"
    );
}

#[test]
fn unknown_key_with_suggestion() {
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      id: {type: int, primary_kye: true}\n"),
        "4:23: unknown key \"primary_kye\" in column \"id\"; did you mean \"primary_key\"?"
    );
    assert_eq!(
        one("tabels:\n  t: {}\n"),
        "1:1: unknown key \"tabels\" in the top level; did you mean \"tables\"?"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns: {a: int}\n    indexs: []\n"),
        "4:5: unknown key \"indexs\" in table \"t\"; did you mean \"indexes\"?"
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        one("tables:\n  t:\n    columns: {a: int}\n    primary_key: {columns: {a: 1}}\n"),
        "4:28: expected a list of column names, found a map"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: {type: int, not_null: yes}\n"),
        "4:32: expected true or false, found a string"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: [int]\n"),
        "4:10: expected a type string or a column map for column \"a\", found a list"
    );
    assert_eq!(
        one("tables: [a, b]\n"),
        "1:9: expected a map of table names to tables, found a list"
    );
}

#[test]
fn shorthand_errors_point_into_the_string() {
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: text not nul\n"),
        "4:19: in column \"a\": expected \"null\" after \"not\", found \"nul\""
    );
    // Quoted scalars: the column counts from the first character inside the quotes.
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: \"int primary kye\"\n"),
        "4:23: in column \"a\": expected \"key\" after \"primary\", found \"kye\""
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: int check x > 0\n"),
        "4:20: in column \"a\": expected a parenthesised expression after \"check\", found \"x\""
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: not null\n"),
        "4:10: in column \"a\": expected a column type first, found \"not\""
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: numeric(10,3 not null\n"),
        "4:17: in column \"a\": unbalanced parenthesis"
    );
}

#[test]
fn hints_for_common_yaml_mistakes() {
    assert_eq!(
        issues("tables:\n  t: {columns: {a: int, c: numeric(10,2)}}\n"),
        vec![
            "2:35: in column \"c\": unbalanced parenthesis (inside {…} YAML splits at commas: quote the value, e.g. \"numeric(10,2)\")",
            "2:39: column \"2)\" has no type",
        ]
    );
    assert_eq!(
        one("tables:\n  t: {columns: {tags: text[], b: int}}\n"),
        "2:27: YAML syntax error: while parsing a flow mapping, did not find expected ',' or '}' \
         (inside {…} or […] YAML splits at commas and brackets: quote values such as \"numeric(10,2)\" or \"text[]\")"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      d: jsonb default '{\"a\": 1}'::jsonb\n"),
        "4:29: YAML syntax error: mapping values are not allowed in this context (a value containing \": \" must be quoted)"
    );
}

#[test]
fn unknown_references() {
    let text = "\
tables:
  parent:
    columns:
      id: int primary key
  child:
    mixins: [audit]
    columns:
      parent_id: int references parnt(id)
      other_id: {type: int, references: parent.idd}
      x: int
    primary_key: [xx]
    unique: [[x, y]]
    indexes:
      - {columns: [x, lower(x), {column: z}], include: [w]}
    foreign_keys:
      - {columns: [x], references: {table: nowhere}}
";
    assert_eq!(
        issues(text),
        vec![
            "6:14: unknown mixin \"audit\"",
            "8:33: foreign key references unknown table \"parnt\"; did you mean \"parent\"?",
            "9:41: foreign key references unknown column \"idd\" of table \"parent\"; did you mean \"id\"?",
            "11:19: primary key column \"xx\" does not exist in table \"child\"; did you mean \"x\"?",
            "12:18: unique constraint column \"y\" does not exist in table \"child\"",
            "14:42: index column \"z\" does not exist in table \"child\"",
            "14:57: index include column \"w\" does not exist in table \"child\"",
            "16:44: foreign key references unknown table \"nowhere\"",
        ]
    );
}

#[test]
fn fk_to_table_without_primary_key() {
    assert_eq!(
        one("tables:\n  p:\n    columns: {id: int}\n  c:\n    columns:\n      p_id: int references p\n"),
        "6:28: table \"p\" has no primary key; name the referenced columns (e.g. p(id))"
    );
}

#[test]
fn fk_column_count_mismatch() {
    let text = "tables:\n  p:\n    columns: {a: int, b: int}\n    primary_key: [a, b]\n  c:\n    columns: {x: int}\n    foreign_keys:\n      - {columns: [x], references: p}\n";
    assert_eq!(
        one(text),
        "8:36: foreign key has 1 column(s) but references 2 column(s) of table \"p\""
    );
}

#[test]
fn duplicate_column_from_mixin() {
    let text = "mixins:\n  m:\n    columns:\n      id: int\ntables:\n  t:\n    mixins: [m]\n    columns:\n      id: bigint\n";
    assert_eq!(
        one(text),
        "7:14: mixin \"m\" adds column \"id\", which table \"t\" already has (declared at s.yaml:9:7)"
    );
}

#[test]
fn duplicate_names_in_a_schema() {
    let text = "\
tables:
  a:
    columns: {x: int}
    indexes:
      - {columns: [x], name: a_x}
  b:
    columns: {x: int}
    unique: [{columns: [x], name: a_x}]
    checks: [{expression: x > 0, name: c1}, {expression: x < 9, name: c1}]
";
    assert_eq!(
        issues(text),
        vec![
            "8:14: unique constraint name \"a_x\" is already used by an index in schema \"public\" (at s.yaml:5:9)",
            "9:45: constraint name \"c1\" is used twice in table \"b\" (first at s.yaml:9:14)",
        ]
    );
}

#[test]
fn same_table_in_two_files() {
    let files = vec![
        (
            PathBuf::from("a.yaml"),
            "tables:\n  users:\n    columns: {id: int}\n".to_string(),
        ),
        (
            PathBuf::from("b.yaml"),
            "\n\ntables:\n  public.users:\n    columns: {id: int}\n".to_string(),
        ),
    ];
    let Err(SpecError::Invalid(list)) = load_texts(&files) else {
        panic!("expected an error")
    };
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].to_string(),
        "b.yaml:4:3: table \"users\" is defined twice: at a.yaml:2:3 and at b.yaml:4:3"
    );
}

#[test]
fn undeclared_schema() {
    assert_eq!(
        one("tables:\n  app.t:\n    columns: {id: int}\n"),
        "2:3: schema \"app\" of table \"t\" is not declared (add it under schemas:)"
    );
}

#[test]
fn all_issues_are_collected_across_files() {
    let files = vec![
        (
            PathBuf::from("a.yaml"),
            "tables:\n  t:\n    columns: {id: {typ: int}}\n".to_string(),
        ),
        (PathBuf::from("b.yaml"), "tables: [\n".to_string()),
        (
            PathBuf::from("c.yaml"),
            "enums:\n  e: [x, y, x]\n".to_string(),
        ),
    ];
    let Err(SpecError::Invalid(list)) = load_texts(&files) else {
        panic!("expected an error")
    };
    let got: Vec<String> = list.iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        vec![
            "a.yaml:3:20: unknown key \"typ\" in column \"id\"; did you mean \"type\"?",
            "a.yaml:3:20: column \"id\" has no type",
            "b.yaml:2:1: YAML syntax error: while parsing a node, did not find expected node content",
            "c.yaml:2:13: duplicate value \"x\" in enum \"e\"",
        ]
    );
}

#[test]
fn conflicting_column_settings() {
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: {type: serial, default: 1}\n"),
        "4:34: column \"a\": identity and serial columns cannot have a default"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: {type: int, on_delete: cascade}\n"),
        "4:22: column \"a\": on_delete needs references"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: int primary key\n      b: int primary key\n"),
        "5:7: column \"b\": the table already has a primary key; declare a composite key as primary_key: [a, b]"
    );
}

#[test]
fn generated_and_not_null_constraint_keys() {
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: int\n      v: {type: int, generated: {expresion: a, stored: false}}\n"),
        "5:34: unknown key \"expresion\" in generated; did you mean \"expression\"?"
    );
    let two = issues(
        "tables:\n  t:\n    columns:\n      a: int\n      v: {type: int, generated: {stored: maybe}}\n",
    );
    assert_eq!(
        two,
        vec![
            "5:34: generated: the map needs an expression",
            "5:42: expected true or false, found a string",
        ]
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      v: {type: int, generated: [a]}\n"),
        "4:33: expected a generation expression or a map, found a list"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: {type: int, nullable: true, not_null_constraint: a_set}\n"),
        "4:59: column \"a\": not_null_constraint names the NOT NULL constraint of a column declared nullable"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: {type: int, not_null_constraint: {name: x}}\n"),
        "4:43: expected a constraint name, found a map"
    );
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      a: {type: int, not_null_constraint: dup}\n    checks: [{name: dup, expression: a > 0}]\n"),
        "4:7: constraint name \"dup\" is used twice in table \"t\" (first at s.yaml:5:14)"
    );
    let long = "n".repeat(64);
    let issue = one(&format!(
        "tables:\n  t:\n    columns:\n      a: {{type: int, not_null_constraint: {long}}}\n"
    ));
    assert!(
        issue.starts_with("4:7: NOT NULL constraint name \"") && issue.contains("is 64 bytes"),
        "{issue}"
    );
}

#[test]
fn no_cascading_errors() {
    // The broken column still exists for the index; the broken file's
    // table is not reported as unknown by the other file.
    assert_eq!(
        one("tables:\n  t:\n    columns:\n      x: text not nul\n    indexes: [{columns: [x]}]\n"),
        "4:19: in column \"x\": expected \"null\" after \"not\", found \"nul\""
    );
    let files = vec![
        (
            PathBuf::from("a.yaml"),
            "tables:\n  p: {columns: {id: int primary key}\n".to_string(),
        ),
        (
            PathBuf::from("b.yaml"),
            "tables:\n  c: {columns: {p_id: int references p}}\n".to_string(),
        ),
    ];
    let Err(SpecError::Invalid(list)) = load_texts(&files) else {
        panic!("expected an error")
    };
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].file, PathBuf::from("a.yaml"));
}

#[test]
fn multiple_documents_are_refused() {
    assert_eq!(
        one("tables: {}\n---\ntables: {}\n"),
        "2:1: only one YAML document per file is supported (found `---` separator)"
    );
}

#[test]
fn duplicate_declarations_across_files() {
    let files = vec![
        (
            PathBuf::from("a.yaml"),
            "schemas: [app]\nextensions: [pgcrypto]\nenums: {e: [x]}\nmixins: {m: {columns: {a: int}}}\n".to_string(),
        ),
        (
            PathBuf::from("b.yaml"),
            "schemas: {app: {comment: again}}\nextensions: {pgcrypto: {schema: app}}\nenums:\n  public.e: [y]\nmixins:\n  m: {columns: {b: int}}\n".to_string(),
        ),
    ];
    let Err(SpecError::Invalid(list)) = load_texts(&files) else {
        panic!("expected an error")
    };
    let got: Vec<String> = list.iter().map(|i| i.to_string()).collect();
    assert_eq!(
        got,
        vec![
            "b.yaml:1:11: schema \"app\" is declared twice (first at a.yaml:1:11)",
            "b.yaml:2:14: extension \"pgcrypto\" is declared twice (first at a.yaml:2:14)",
            "b.yaml:4:3: enum \"e\" is declared twice (first at a.yaml:3:9)",
            "b.yaml:6:3: mixin \"m\" is declared twice (first at a.yaml:4:10)",
        ]
    );
}

#[test]
fn mixin_errors() {
    let text = "\
mixins:
  keyed:
    position: middle
    columns:
      id: int primary key
tables:
  t:
    mixins: [keyed, keyd]
    columns:
      x: int primary key
";
    assert_eq!(
        issues(text),
        vec![
            "3:15: expected first or last, found \"middle\"",
            "8:14: mixin \"keyed\" adds a primary key, but table \"t\" already has one",
            "8:21: unknown mixin \"keyd\"; did you mean \"keyed\"?",
        ]
    );
}

#[test]
fn enum_in_undeclared_schema_and_bad_names() {
    assert_eq!(
        issues("enums:\n  app.e: [x]\n  a.b.c: [y]\ntables:\n  '\"x\"y': {columns: {a: int}}\n"),
        vec![
            "2:3: schema \"app\" of enum \"e\" is not declared (add it under schemas:)",
            "3:3: too many dots in name \"a.b.c\" (expected name or schema.name)",
            "5:3: unexpected 'y' after a quoted name in \"\"x\"y\"",
        ]
    );
}

#[test]
fn include_and_on_delete_column_errors() {
    let text = "\
tables:
  p:
    columns: {a: int, b: int}
    primary_key: {columns: [a, b], include: [zz]}
    unique: [{columns: [a], include: [b, nope]}]
  c:
    columns:
      x: int
      y: int references p.a on delete set null (x)
      z: {type: int, references: p.a, on_delete: set default (q)}
    foreign_keys:
      - {columns: [x, y], references: p, on_delete: \"set null (x, w)\"}
      - {columns: [x, y], references: p, on_delete: cascade (x)}
      - {columns: [x, y], references: p, on_update: set null (x)}
";
    assert_eq!(
        issues(text),
        vec![
            "4:46: primary key include column \"zz\" does not exist in table \"p\"",
            "5:42: unique constraint include column \"nope\" does not exist in table \"p\"",
            "9:25: column \"y\": on delete column \"x\" is not a column of the foreign key (y)",
            "10:50: column \"z\": on delete column \"q\" is not a column of the foreign key (z)",
            "12:53: on delete column \"w\" is not a column of the foreign key (x, y)",
            "13:53: a column list is allowed only after set null or set default, found \"cascade (x)\"",
            "14:53: expected cascade, restrict, set null, set default or no action, found \"set null (x)\"",
        ]
    );
}

#[test]
fn temporal_key_and_enforcement_errors() {
    let text = "\
tables:
  p:
    columns: {id: int, during: tstzrange}
    primary_key: {columns: [during], without_overlaps: true}
    unique: [{columns: [during], without_overlaps: yes please}]
  q:
    columns: {id: int, during: tstzrange}
    primary_key: {columns: [id, during], without_overlaps: true}
  c:
    columns: {id: int, during: tstzrange}
    foreign_keys:
      - {columns: [during], references: p(during), period: true}
      - {columns: [id, during], references: q, period: true, on_delete: cascade, on_update: set null}
      - {columns: [id, during], references: q}
      - {columns: [id], references: p(id), period: true}
      - {columns: [id], references: p(id), enforced: no}
      - {columns: [id], references: p(id), enforce: false}
    checks:
      - {expression: id > 0, enforced: 0}
";
    assert_eq!(
        issues(text),
        vec![
            "4:56: without_overlaps needs at least two columns: the last one (a range or multirange) must not overlap among rows equal on the others",
            "5:52: expected true or false, found a string",
            "12:60: period needs at least two columns: the last one is the range or multirange that must lie within the referenced rows'",
            "13:73: on_delete must be no action on a foreign key with period: true (PostgreSQL 18 supports no other), found cascade",
            "13:93: on_update must be no action on a foreign key with period: true (PostgreSQL 18 supports no other), found set null",
            "14:45: foreign key references the primary key of table \"q\", which is WITHOUT OVERLAPS: set period: true",
            "15:52: period needs at least two columns: the last one is the range or multirange that must lie within the referenced rows'",
            "16:54: expected true or false, found a string",
            "17:44: unknown key \"enforce\" in foreign key; did you mean \"enforced\"?",
            "19:40: expected true or false, found a number",
        ]
    );
}

#[test]
fn period_on_a_plain_primary_key() {
    assert_eq!(
        one("tables:\n  p: {columns: {id: int, during: tstzrange}, primary_key: [id, during]}\n  c:\n    columns: {id: int, during: tstzrange}\n    foreign_keys: [{columns: [id, during], references: p, period: true}]\n"),
        "5:56: foreign key references the primary key of table \"p\", which is not WITHOUT OVERLAPS: remove period: true, or name the referenced columns of a temporal unique key"
    );
}

#[test]
fn sequence_section_problems() {
    assert_eq!(
        one("sequences:\n  s: {incremnt: 2}\n"),
        "2:7: unknown key \"incremnt\" in sequence \"s\"; did you mean \"increment\"?"
    );
    let bad = one("sequences:\n  s: {start: ten}\n");
    assert!(bad.starts_with("2:14: "), "{bad}");
    let t = "tables:\n  t: {columns: {id: int}}\n";
    assert_eq!(
        one(&format!("sequences:\n  s: {{owned_by: tt.id}}\n{t}")),
        "2:3: sequence \"s\" is owned_by table \"tt\", which is not declared; did you mean \"t\"?"
    );
    assert_eq!(
        one(&format!("sequences:\n  s: {{owned_by: t.idd}}\n{t}")),
        "2:3: sequence \"s\" is owned_by column \"idd\", which table \"t\" does not have; \
         did you mean \"id\"?"
    );
    assert_eq!(
        one("sequences:\n  s: {owned_by: id}\n"),
        "2:17: owned_by \"id\" is not table.column (or schema.table.column)"
    );
    assert_eq!(
        one(&format!("sequences:\n  t:\n{t}")),
        "2:3: sequence \"t\" has the same name as table declared at s.yaml:4:3"
    );
    assert_eq!(
        one("sequences:\n  app.s: {}\n"),
        "2:3: schema \"app\" of sequence \"s\" is not declared (add it under schemas:)"
    );
    assert!(issues("sequences:\n  s:\n  u: {as: integer, cycle: true}\n").is_empty());
}

#[test]
fn domains_types_and_collations_are_checked_where_written() {
    let all = issues(
        "domains:\n  d: {type: int, defualt: 1}\n  e: {not_null: true}\n\
         types:\n  t: {attributes: {a: int}, range: {subtype: int}}\n  u: {}\n  \
         r: {range: {subtyp: int}}\n  tbl: {attributes: {a: int}}\n\
         collations:\n  c: {provider: icu}\n  k: {provider: icuu, locale: x}\n  \
         other.x: {locale: C}\n\
         tables:\n  tbl: {columns: {id: int}}\n",
    );
    let want = [
        "2:18: unknown key \"defualt\" in domain \"d\"; did you mean \"default\"?",
        "3:3: domain \"e\" needs a type (its base type)",
        "5:3: type \"t\" has both attributes and range: a type is one or the other",
        "6:3: type \"u\" needs attributes (a composite type) or range (a range type)",
        "7:14: range type \"r\" needs a subtype",
        "7:15: unknown key \"subtyp\" in range type \"r\"; did you mean \"subtype\"?",
        "8:3: type \"tbl\" has the same name as table declared at s.yaml:14:3",
        "10:3: collation \"c\" needs a locale (or lc_collate and lc_ctype)",
        "11:17: expected libc, icu or builtin, found \"icuu\"",
        "12:3: schema \"other\" of collation \"x\" is not declared (add it under schemas:)",
    ];
    assert_eq!(all, want);
}

#[test]
fn long_domain_type_and_collation_names_are_refused() {
    let long = "d".repeat(64);
    let all = issues(&format!(
        "domains:\n  {long}: int\ntypes:\n  {long}x: {{attributes: {{a: int}}}}\n\
         collations:\n  {long}: {{locale: C}}\n"
    ));
    let kinds: Vec<&str> = all
        .iter()
        .map(|i| i.split(" name ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        ["2:3: domain", "4:3: type", "6:3: collation"],
        "{all:#?}"
    );
}

#[test]
fn view_section_problems() {
    assert_eq!(
        one("views:\n  v: {query: SELECT 1, materialised: true}\n"),
        "2:24: unknown key \"materialised\" in view \"v\"; did you mean \"materialized\"?"
    );
    assert_eq!(
        one("views:\n  v: {materialized: true}\n"),
        "2:3: view \"v\" has no query"
    );
    let bad = one("views:\n  v: {query: SELECT 1, check_option: strict}\n");
    assert!(bad.starts_with("2:38: expected local or cascaded"), "{bad}");
    assert_eq!(
        one("views:\n  v: {query: SELECT 1, with_data: false}\n"),
        "2:35: with_data in view \"v\" is only for a materialized view"
    );
    assert_eq!(
        one("views:\n  v: {query: SELECT 1, materialized: true, security_barrier: true}\n"),
        "2:62: security_barrier in view \"v\" is only for a view that is not materialized"
    );
    assert_eq!(
        one("views:\n  app.v: SELECT 1\n"),
        "2:3: schema \"app\" of view \"v\" is not declared (add it under schemas:)"
    );
    assert_eq!(
        one("tables:\n  t: {columns: {id: int}}\nviews:\n  t: SELECT 1\n"),
        "4:3: view \"t\" has the same name as the table declared at s.yaml:2:3"
    );
    let long = "v".repeat(64);
    let err = one(&format!("views:\n  {long}: SELECT 1\n"));
    assert!(
        err.starts_with("2:3: view name \"") && err.contains("is 64 bytes"),
        "{err}"
    );
    assert_eq!(
        one("views:\n  v: [SELECT 1]\n"),
        "2:6: expected a query or a map (query: …), found a list"
    );
    assert!(issues(
        "views:\n  v: SELECT 1\n  m:\n    query: SELECT 1 AS x\n    materialized: true\n    \
         with_data: false\n    indexes: [{columns: [x]}]\n    columns: {x: the x}\n"
    )
    .is_empty());
}

#[test]
fn function_and_trigger_errors() {
    assert_eq!(
        one("functions:\n  f():\n    returns: int\n    languge: sql\n    language: sql\n    body: select 1\n"),
        "4:5: unknown key \"languge\" in function \"f()\"; did you mean \"language\"?"
    );
    assert_eq!(
        one("functions:\n  f:\n    returns: int\n    language: sql\n    body: select 1\n"),
        "2:3: function \"f\" needs its arguments: name(…), e.g. f() or f(a integer)"
    );
    assert_eq!(
        one("functions:\n  p():\n    procedure: true\n    returns: int\n    language: sql\n    body: select 1\n"),
        "2:3: function \"p()\": a procedure has no returns"
    );
    assert_eq!(
        one("functions:\n  f():\n    returns: int\n    body: select 1\n"),
        "2:3: function \"f()\" needs a language and a body"
    );
    assert_eq!(
        one("functions:\n  f():\n    returns: int\n    language: sql\n    volatility: pure\n    body: select 1\n"),
        "5:17: expected immutable, stable or volatile, found \"pure\""
    );
    let table = "tables:\n  t:\n    columns: {id: int}\n    triggers:\n      tr:\n";
    assert_eq!(
        one(&format!(
            "{table}        timing: before\n        event: [insert]\n        function: f()\n"
        )),
        "7:9: unknown key \"event\" in trigger \"tr\"; did you mean \"events\"?"
    );
    let all = issues(&format!(
        "{table}        timing: sometime\n        events: [insert]\n        function: f()\n"
    ));
    assert_eq!(
        all[0],
        "6:17: expected before, after or instead of, found \"sometime\""
    );
    assert_eq!(
        one(&format!("{table}        timing: after\n        events: [insert]\n        function: f()\n        enabled: maybe\n")),
        "9:18: expected true, false, replica or always, found \"maybe\""
    );
}

#[test]
fn aggregate_errors() {
    assert_eq!(
        one("aggregates:\n  g(text):\n    sfunc: f\n    stype: text\n    initcon: x\n"),
        "5:5: unknown key \"initcon\" in aggregate \"g(text)\"; did you mean \"initcond\"?"
    );
    assert_eq!(
        one("aggregates:\n  g:\n    sfunc: f\n    stype: text\n"),
        "2:3: aggregate \"g\" needs its arguments: name(…), e.g. agg(text) or agg(*)"
    );
    assert_eq!(
        one("aggregates:\n  g(text):\n    stype: text\n"),
        "2:3: aggregate \"g(text)\" needs an sfunc and an stype"
    );
    let bad = one("aggregates:\n  g(text): {sfunc: f, stype: text, parallel: maybe}\n");
    assert!(
        bad.starts_with("2:46: expected safe, restricted or unsafe"),
        "{bad}"
    );
    let bad = one("aggregates:\n  g(text): {sfunc: f, stype: text, finalfunc_modify: rw}\n");
    assert!(
        bad.starts_with("2:54: expected read_only, shareable or read_write"),
        "{bad}"
    );
    assert_eq!(
        one("aggregates:\n  g(text): {sfunc: f, stype: text}\n  g(text ): {sfunc: f, stype: text}\n"),
        "3:3: aggregate \"g(text)\" is declared twice (first at s.yaml:2:3)"
    );
    assert!(issues(
        "aggregates:\n  g(*): {sfunc: int8inc, stype: int8, initcond: 0, hypothetical: false}\n  \
         g(text):\n    schema: app\n    sfunc: f\n    stype: text\n    sspace: 8\n"
    )
    .is_empty());
}

#[test]
fn partition_mistakes() {
    let text = "\
tables:
  payment:
    partition_by: RANGE (paid_at)
    columns: {id: int, paid_at: date}
  plain: {columns: {id: int}}
  p1:
    partition_of: paymnt
    bound: default
  p2:
    partition_of: payment
    bound: FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')
    columns: {id: int}
  p3:
    partition_of: payment
  p4:
    bound: default
    columns: {id: int}
  p5:
    partition_of: plain
    bound: default
  p6:
    partition_of: payment
    bound: default
    indexes: [{columns: [paid_at, nope]}]
  p7: {partition_of: payment, bound: default, mixins: [m]}
mixins:
  m: {columns: {extra: int}}
";
    assert_eq!(
        issues(text),
        vec![
            "7:19: partition_of names unknown table \"paymnt\"; did you mean \"payment\"?",
            "12:14: table \"p2\" is a partition: its columns are its parent's (remove columns:)",
            "14:19: table \"p3\" is a partition without a bound (add bound: FOR VALUES … or bound: default)",
            "16:12: table \"p4\" has a bound but no partition_of",
            "19:19: table \"plain\" is not partitioned (give it partition_by:)",
            "24:35: index column \"nope\" does not exist in table \"p6\"",
            "25:55: table \"p7\" is a partition: its columns are its parent's (remove mixins:)",
        ]
    );
}

#[test]
fn column_property_and_statistics_errors() {
    let col = |body: &str| {
        format!("tables:\n  t:\n    columns:\n      a: {{type: text, {body}}}\n      b: text\n")
    };
    assert_eq!(
        one(&col("statistcs: 10")),
        "4:23: unknown key \"statistcs\" in column \"a\"; did you mean \"statistics\"?"
    );
    assert_eq!(
        one(&col("statistics: 10001")),
        "4:35: column \"a\": statistics 10001 is not between 0 and 10000"
    );
    assert_eq!(
        one(&col("statistics: '1; DROP TABLE t'")),
        "4:35: expected an integer, found a string"
    );
    assert_eq!(
        one(&col("storage: \"plain; DROP TABLE t\"")),
        "4:32: expected plain, external, extended or main, found \"plain; DROP TABLE t\""
    );
    assert_eq!(
        one(&col("compression: zstd")),
        "4:36: expected pglz, lz4 or default, found \"zstd\""
    );
    assert_eq!(
        one(&col("n_distinct: -2")),
        "4:35: column \"a\": n_distinct -2 is below -1 (-1 to 0: a fraction of the rows)"
    );
    let stats = |body: &str| {
        format!(
            "tables:\n  t:\n    columns: {{a: int, b: int}}\n    statistics:\n      s: {body}\n"
        )
    };
    assert_eq!(
        one(&stats("{columns: [a, b], kinds: [ndistinct, histogram]}")),
        "5:47: table \"t\": statistics \"s\": kind \"histogram\" is not ndistinct, dependencies or mcv"
    );
    assert_eq!(
        one(&stats("{columns: [a, b], target: 20000}")),
        "5:36: table \"t\": statistics \"s\": target 20000 is not between 0 and 10000"
    );
    let misspelt = issues(&stats("{column: [a, b]}"));
    assert!(
        misspelt.contains(&"5:11: unknown key \"column\" in table \"t\": statistics \"s\"; did you mean \"columns\"?".to_string()),
        "{misspelt:?}"
    );
    assert!(one(&stats("[a]")).contains("needs two columns or more, or an expression"));
    assert!(issues(&stats("{expressions: [\"lower(a::text)\"]}")).is_empty());
}

#[test]
fn publication_errors() {
    let tables = "tables:\n  orders:\n    columns: {id: int, total: numeric}\n";
    let with = |p: &str| format!("{tables}publications:\n{p}");
    assert_eq!(
        one(&with(
            "  feed:\n    tables: [orders]\n    publsh: [insert]\n"
        )),
        "7:5: unknown key \"publsh\" in publication \"feed\"; did you mean \"publish\"?"
    );
    assert_eq!(
        one(&with("  feed:\n    tables: [order]\n")),
        "6:14: publication \"feed\": unknown table \"order\"; did you mean \"orders\"?"
    );
    assert_eq!(
        one(&with("  feed:\n    tables:\n      - {table: orders, colums: [id]}\n")),
        "7:25: unknown key \"colums\" in a table of publication \"feed\"; did you mean \"columns\"?"
    );
    assert_eq!(
        one(&with("  feed:\n    tables:\n      - {table: orders, columns: [id, totl]}\n")),
        "7:17: publication \"feed\": table \"orders\" has no column \"totl\"; did you mean \"total\"?"
    );
    let bad_publish = one(&with(
        "  feed:\n    tables: [orders]\n    publish: [insert, upsert]\n",
    ));
    assert!(bad_publish.starts_with("7:23: "), "{bad_publish}");
    assert!(bad_publish.contains("upsert"), "{bad_publish}");
    assert_eq!(
        one(&with(
            "  feed:\n    all_tables: true\n    tables: [orders]\n"
        )),
        "5:3: publication \"feed\": all_tables publishes every table; leave out tables and schemas"
    );
    assert_eq!(
        one(&with("  feed: {tables: [orders]}\n  feed: {}\n")),
        "6:3: duplicate key \"feed\" (first defined at line 5, column 3)"
    );
}

//! The JSON Schema of a schema file (`schema/**/*.yaml`), built from the
//! key lists the decoders in this module check ([`crate::json_schema`]).
//! docs/schema-format.md is the reference; descriptions here are one line.

use serde_json::{json, Value};

use crate::json_schema::{
    any, boolean, either, integer, list, map_of, names, number, one_of_words, string, Gen,
};

use super::{
    aggregates, column_map, column_props, constraints, decode, functions, indexes, policies,
    publications, sequences, statistics, table_props, triggers, types, views,
};

/// The whole file.
pub fn file(g: &mut Gen) -> Value {
    let column = column(g);
    let table_body = table_parts(g, &column);
    let grants = grants_map(g);
    let table = table(g, &table_body, &grants);
    let mixin = mixin(g, &table_body);
    let named = |v: Value, d: &str| map_of(v, d);
    let described = vec![
        ("schemas", schemas(g, &grants)),
        ("extensions", extensions(g)),
        ("enums", named(enum_type(g), "Enum types by name")),
        ("sequences", named(sequence(g, &grants), "Standalone sequences by name")),
        ("domains", named(domain(g), "Domains by name")),
        ("types", named(composite_or_range(g), "Composite and range types by name")),
        ("collations", named(collation(g), "Collations by name")),
        ("functions", named(function(g, &grants), "Functions and procedures by signature, e.g. `app.answer(int)`")),
        ("aggregates", named(aggregate(g), "Aggregates by signature")),
        ("mixins", named(mixin, "Column and constraint sets tables include with `mixins: [name]`")),
        ("tables", named(table, "Tables by name (`schema.table` or `table` with `schema:`)")),
        ("views", named(view(g, &grants), "Views and materialized views by name")),
        ("publications", named(publication(g), "Logical-replication publications by name")),
        ("grants", map_of(grants.clone(), "Privileges by object (`table app.users`, `schema app`, …); needs `manage: [privileges]`")),
    ];
    g.object("a schema file", decode::FILE_KEYS, described, &[])
}

/// `{role: [privilege, …]}` — who holds what beyond the owner.
fn grants_map(g: &mut Gen) -> Value {
    let v = map_of(
        list(
            string("a privilege, e.g. select, update(email), usage with grant option"),
            "privileges",
        ),
        "Privileges by role (`public` is PUBLIC); needs `manage: [privileges]` in strata.yaml",
    );
    g.define("grants", v)
}

fn schemas(g: &mut Gen, grants: &Value) -> Value {
    let entry = g.object(
        "a schema",
        decode::SCHEMA_ENTRY_KEYS,
        vec![
            ("comment", string("COMMENT ON SCHEMA")),
            ("grants", grants.clone()),
        ],
        &[],
    );
    either(
        list(string("a schema name"), ""),
        map_of(entry, ""),
        "Schemas strata creates: a list of names, or a map of names to {comment, grants}",
    )
}

fn extensions(g: &mut Gen) -> Value {
    let entry = g.object(
        "an extension",
        decode::EXTENSION_KEYS,
        vec![("schema", string("the schema the extension is installed in"))],
        &[],
    );
    either(
        list(string("an extension name"), ""),
        map_of(entry, ""),
        "Extensions: a list of names, or a map of names to {schema}",
    )
}

fn enum_type(g: &mut Gen) -> Value {
    let values = list(string("a label"), "the labels, in order");
    let entry = g.object(
        "an enum",
        decode::ENUM_KEYS,
        vec![
            ("values", values.clone()),
            ("comment", string("COMMENT ON TYPE")),
            ("schema", string("the enum's schema")),
        ],
        &[],
    );
    either(
        values,
        entry,
        "An enum: its labels, or {values, comment, schema}",
    )
}

fn sequence_options() -> Vec<(&'static str, Value)> {
    vec![
        (
            "as",
            one_of_words(&["smallint", "integer", "bigint"], "the sequence's type"),
        ),
        ("start", integer("START WITH")),
        ("increment", integer("INCREMENT BY")),
        ("min_value", integer("MINVALUE")),
        ("max_value", integer("MAXVALUE")),
        ("cache", integer("CACHE")),
        ("cycle", boolean("CYCLE")),
    ]
}

fn sequence(g: &mut Gen, grants: &Value) -> Value {
    let keys: Vec<&str> = column_map::SEQUENCE_KEYS
        .iter()
        .chain(sequences::KEYS)
        .copied()
        .collect();
    let mut d = sequence_options();
    d.extend([
        ("schema", string("the sequence's schema")),
        ("comment", string("COMMENT ON SEQUENCE")),
        (
            "renamed_from",
            string("the sequence's previous name (renamed, not re-created)"),
        ),
        ("owned_by", string("OWNED BY table.column")),
        ("grants", grants.clone()),
    ]);
    let entry = g.object("a sequence", &keys, d, &[]);
    json!({"anyOf": [entry, {"type": "null"}], "description": "A standalone sequence"})
}

fn check_entry(g: &mut Gen, keys: &[&str], what: &str) -> Value {
    let mut d = vec![
        ("expression", string("the CHECK expression")),
        ("name", string("the constraint's name")),
        ("comment", string("COMMENT ON CONSTRAINT")),
        (
            "not_valid",
            boolean("added NOT VALID (existing rows not checked)"),
        ),
    ];
    if keys.contains(&"enforced") {
        d.push(("enforced", boolean("false: NOT ENFORCED (PostgreSQL 18)")));
    }
    let entry = g.object(what, keys, d, &[]);
    either(
        string("a CHECK expression"),
        entry,
        "A check: an expression or a map",
    )
}

fn domain(g: &mut Gen) -> Value {
    let check = check_entry(g, types::CHECK_KEYS, "a domain check");
    let entry = g.object(
        "a domain",
        types::DOMAIN_KEYS,
        vec![
            ("type", string("the base type")),
            ("default", any("DEFAULT expression")),
            ("not_null", boolean("NOT NULL")),
            ("collation", string("COLLATE")),
            (
                "checks",
                either(
                    list(check.clone(), ""),
                    map_of(check, ""),
                    "CHECK constraints",
                ),
            ),
            ("comment", string("COMMENT ON DOMAIN")),
            ("renamed_from", string("the domain's previous name")),
            ("schema", string("the domain's schema")),
        ],
        &["type"],
    );
    either(
        string("the base type"),
        entry,
        "A domain: its base type, or a map",
    )
}

fn composite_or_range(g: &mut Gen) -> Value {
    let attribute = g.object(
        "a composite attribute",
        types::ATTRIBUTE_KEYS,
        vec![
            ("type", string("the attribute's type")),
            ("collation", string("COLLATE")),
        ],
        &[],
    );
    let range = g.object(
        "a range",
        types::RANGE_KEYS,
        vec![
            ("subtype", string("SUBTYPE")),
            ("subtype_opclass", string("SUBTYPE_OPCLASS")),
            ("collation", string("COLLATION")),
            ("canonical", string("CANONICAL function")),
            ("subtype_diff", string("SUBTYPE_DIFF function")),
            ("multirange", string("MULTIRANGE_TYPE_NAME")),
        ],
        &[],
    );
    g.object(
        "a type",
        types::TYPE_KEYS,
        vec![
            (
                "attributes",
                map_of(
                    either(string("a type"), attribute, ""),
                    "A composite type's attributes, in order",
                ),
            ),
            (
                "range",
                either(string("the subtype"), range, "A range type"),
            ),
            ("comment", string("COMMENT ON TYPE")),
            ("schema", string("the type's schema")),
        ],
        &[],
    )
}

fn collation(g: &mut Gen) -> Value {
    g.object(
        "a collation",
        types::COLLATION_KEYS,
        vec![
            (
                "provider",
                one_of_words(&["icu", "libc", "builtin"], "PROVIDER"),
            ),
            ("locale", string("LOCALE")),
            ("lc_collate", string("LC_COLLATE")),
            ("lc_ctype", string("LC_CTYPE")),
            ("rules", string("RULES (ICU, PostgreSQL 16+)")),
            ("deterministic", boolean("DETERMINISTIC")),
            ("comment", string("COMMENT ON COLLATION")),
            ("schema", string("the collation's schema")),
        ],
        &[],
    )
}

fn function(g: &mut Gen, grants: &Value) -> Value {
    g.object(
        "a function",
        functions::KEYS,
        vec![
            ("returns", string("RETURNS type (omit for a procedure)")),
            ("language", string("LANGUAGE (sql, plpgsql, …)")),
            ("body", string("the function's body")),
            ("procedure", boolean("a procedure rather than a function")),
            (
                "volatility",
                one_of_words(&["volatile", "stable", "immutable"], "volatility"),
            ),
            ("strict", boolean("STRICT (NULL in, NULL out)")),
            ("security_definer", boolean("SECURITY DEFINER")),
            ("leakproof", boolean("LEAKPROOF")),
            (
                "parallel",
                one_of_words(&["unsafe", "restricted", "safe"], "PARALLEL"),
            ),
            ("cost", number("COST")),
            ("rows", number("ROWS (set-returning functions)")),
            (
                "set",
                map_of(
                    any("a value or a list"),
                    "SET parameter = value on the function",
                ),
            ),
            ("comment", string("COMMENT ON FUNCTION")),
            ("grants", grants.clone()),
        ],
        &[],
    )
}

fn aggregate(g: &mut Gen) -> Value {
    let keys: Vec<&str> = aggregates::TEXT_KEYS
        .iter()
        .chain(aggregates::OTHER_KEYS)
        .copied()
        .collect();
    let mut d: Vec<(&str, Value)> = aggregates::TEXT_KEYS
        .iter()
        .map(|k| (*k, string("CREATE AGGREGATE option of that name")))
        .collect();
    d.extend([
        ("sspace", integer("SSPACE")),
        ("msspace", integer("MSSPACE")),
        ("finalfunc_extra", boolean("FINALFUNC_EXTRA")),
        ("mfinalfunc_extra", boolean("MFINALFUNC_EXTRA")),
        (
            "finalfunc_modify",
            one_of_words(
                &["read_only", "shareable", "read_write"],
                "FINALFUNC_MODIFY",
            ),
        ),
        (
            "mfinalfunc_modify",
            one_of_words(
                &["read_only", "shareable", "read_write"],
                "MFINALFUNC_MODIFY",
            ),
        ),
        ("hypothetical", boolean("HYPOTHETICAL")),
        (
            "parallel",
            one_of_words(&["unsafe", "restricted", "safe"], "PARALLEL"),
        ),
        ("comment", string("COMMENT ON AGGREGATE")),
        ("schema", string("the aggregate's schema")),
    ]);
    g.object("an aggregate", &keys, d, &[])
}

fn view(g: &mut Gen, grants: &Value) -> Value {
    let index = index(g);
    let entry = g.object(
        "a view",
        views::KEYS,
        vec![
            ("query", string("the SELECT")),
            ("schema", string("the view's schema")),
            ("materialized", boolean("a materialized view")),
            (
                "with_data",
                boolean("materialized: filled when created (default true)"),
            ),
            ("security_barrier", boolean("security_barrier")),
            (
                "security_invoker",
                boolean("security_invoker (PostgreSQL 15+)"),
            ),
            (
                "check_option",
                one_of_words(&["local", "cascaded"], "WITH CHECK OPTION"),
            ),
            ("comment", string("COMMENT ON VIEW")),
            ("columns", any("column names, or a map of column comments")),
            ("indexes", list(index, "a materialized view's indexes")),
            (
                "with",
                map_of(any("a value"), "storage parameters (materialized views)"),
            ),
            (
                "cluster_on",
                string("CLUSTER ON index (materialized views)"),
            ),
            ("renamed_from", string("the view's previous name")),
            ("grants", grants.clone()),
        ],
        &[],
    );
    either(string("the SELECT"), entry, "A view: its query, or a map")
}

fn publication(g: &mut Gen) -> Value {
    let table = g.object(
        "a published table",
        publications::TABLE_KEYS,
        vec![
            ("table", string("the table")),
            (
                "columns",
                list(string("a column"), "published columns (PostgreSQL 15+)"),
            ),
            ("where", string("row filter (PostgreSQL 15+)")),
        ],
        &["table"],
    );
    g.object(
        "a publication",
        publications::KEYS,
        vec![
            (
                "tables",
                list(either(string("a table"), table, ""), "published tables"),
            ),
            ("all_tables", boolean("FOR ALL TABLES")),
            (
                "schemas",
                list(string("a schema"), "FOR TABLES IN SCHEMA (PostgreSQL 15+)"),
            ),
            (
                "publish",
                list(
                    one_of_words(&["insert", "update", "delete", "truncate"], ""),
                    "published operations",
                ),
            ),
            ("via_partition_root", boolean("publish_via_partition_root")),
            ("comment", string("COMMENT ON PUBLICATION")),
            ("renamed_from", string("the publication's previous name")),
        ],
        &[],
    )
}

/// A column: shorthand (`bigint primary key`) or a map.
fn column(g: &mut Gen) -> Value {
    let keys: Vec<&str> = column_map::COLUMN_KEYS
        .iter()
        .chain(column_props::KEYS)
        .copied()
        .collect();
    let references = g.object(
        "references",
        constraints::REFERENCES_KEYS,
        vec![
            ("table", string("the referenced table")),
            ("column", string("the referenced column")),
            ("columns", names("the referenced columns")),
        ],
        &["table"],
    );
    let generated = g.object(
        "generated",
        column_map::GENERATED_KEYS,
        vec![
            ("expression", string("GENERATED ALWAYS AS (expression)")),
            ("stored", boolean("STORED (default true)")),
        ],
        &[],
    );
    let id_keys: Vec<&str> = column_map::SEQUENCE_KEYS
        .iter()
        .copied()
        .chain(["generation"])
        .collect();
    let mut id = sequence_options();
    id.push((
        "generation",
        one_of_words(&["always", "by_default"], "GENERATED ALWAYS / BY DEFAULT"),
    ));
    let identity = g.object("identity", &id_keys, id, &[]);
    let sequence = g.object(
        "sequence",
        column_map::SEQUENCE_KEYS,
        sequence_options(),
        &[],
    );
    let actions = [
        "cascade",
        "restrict",
        "set null",
        "set default",
        "no action",
    ];
    let map = g.object(
        "a column",
        &keys,
        vec![
            (
                "type",
                string("the column's type, e.g. text, numeric(10,2), timestamptz"),
            ),
            ("not_null", boolean("NOT NULL")),
            (
                "not_null_constraint",
                string("the NOT NULL constraint's name (PostgreSQL 18)"),
            ),
            ("nullable", boolean("the opposite of not_null")),
            ("default", any("DEFAULT expression (strings are SQL)")),
            ("primary_key", boolean("a one-column primary key")),
            ("unique", any("true, or the constraint's name")),
            (
                "references",
                either(
                    string("table or table.column"),
                    references,
                    "FOREIGN KEY … REFERENCES",
                ),
            ),
            ("on_delete", one_of_words(&actions, "ON DELETE")),
            ("on_update", one_of_words(&actions, "ON UPDATE")),
            ("match", one_of_words(&["simple", "full"], "MATCH")),
            ("deferrable", boolean("DEFERRABLE")),
            ("initially_deferred", boolean("INITIALLY DEFERRED")),
            ("check", string("a CHECK expression on this column")),
            (
                "identity",
                either(
                    one_of_words(&["always", "by_default"], ""),
                    identity,
                    "GENERATED … AS IDENTITY",
                ),
            ),
            (
                "generated",
                either(
                    string("expression"),
                    generated,
                    "GENERATED ALWAYS AS (…) STORED",
                ),
            ),
            ("collation", string("COLLATE")),
            ("comment", string("COMMENT ON COLUMN")),
            ("sequence", sequence),
            (
                "renamed_from",
                string("the column's previous name (renamed, rows kept)"),
            ),
            ("statistics", integer("ALTER COLUMN … SET STATISTICS")),
            (
                "storage",
                one_of_words(
                    &["plain", "external", "extended", "main", "default"],
                    "SET STORAGE",
                ),
            ),
            (
                "compression",
                one_of_words(&["pglz", "lz4", "default"], "SET COMPRESSION"),
            ),
            ("n_distinct", number("attribute option n_distinct")),
            (
                "n_distinct_inherited",
                number("attribute option n_distinct_inherited"),
            ),
        ],
        &[],
    );
    let v = json!({"description": "A column: shorthand such as `bigint primary key` or a map",
        "anyOf": [{"type": "string"}, map, {"type": "null"}]});
    g.define("column", v)
}

fn index(g: &mut Gen) -> Value {
    let key = g.object(
        "an index column",
        indexes::INDEX_COLUMN_KEYS,
        vec![
            ("column", string("a column")),
            ("expression", string("an expression")),
            ("opclass", string("operator class")),
            ("collation", string("COLLATE")),
            ("order", one_of_words(&["asc", "desc"], "ASC / DESC")),
            (
                "nulls",
                one_of_words(&["first", "last"], "NULLS FIRST / LAST"),
            ),
        ],
        &[],
    );
    let entry = g.object(
        "an index",
        indexes::INDEX_KEYS,
        vec![
            (
                "columns",
                either(
                    string("a column"),
                    list(either(string("a column or `col desc`"), key, ""), ""),
                    "the key",
                ),
            ),
            ("where", string("partial index predicate")),
            ("unique", boolean("UNIQUE")),
            ("method", string("USING method (btree, gin, gist, …)")),
            ("using", string("same as method")),
            ("include", names("INCLUDE columns")),
            ("name", string("the index's name")),
            ("comment", string("COMMENT ON INDEX")),
            (
                "nulls_not_distinct",
                boolean("NULLS NOT DISTINCT (PostgreSQL 15+)"),
            ),
            ("with", map_of(any("a value"), "storage parameters")),
        ],
        &[],
    );
    let v = either(string("a column list shorthand"), entry, "An index");
    g.define("index", v)
}

/// What tables and mixins share: constraints, indexes, triggers, policies.
struct TableParts {
    described: Vec<(&'static str, Value)>,
}

fn table_parts(g: &mut Gen, column: &Value) -> TableParts {
    let pk = g.object(
        "a primary key",
        constraints::PRIMARY_KEY_KEYS,
        vec![
            ("columns", names("the key's columns")),
            ("include", names("INCLUDE columns")),
            (
                "without_overlaps",
                boolean("the last column WITHOUT OVERLAPS (PostgreSQL 18)"),
            ),
            ("deferrable", boolean("DEFERRABLE")),
            ("initially_deferred", boolean("INITIALLY DEFERRED")),
            ("name", string("the constraint's name")),
            ("comment", string("COMMENT ON CONSTRAINT")),
        ],
        &[],
    );
    let actions = [
        "cascade",
        "restrict",
        "set null",
        "set default",
        "no action",
    ];
    let fk = g.object(
        "a foreign key",
        constraints::FOREIGN_KEY_KEYS,
        vec![
            ("columns", names("the referencing columns")),
            (
                "references",
                any("table, table(columns) or {table, columns}"),
            ),
            (
                "on_delete",
                any("ON DELETE action (set null may name columns)"),
            ),
            ("on_update", one_of_words(&actions, "ON UPDATE")),
            ("match", one_of_words(&["simple", "full"], "MATCH")),
            (
                "period",
                boolean("the last column is PERIOD (PostgreSQL 18)"),
            ),
            ("deferrable", boolean("DEFERRABLE")),
            ("initially_deferred", boolean("INITIALLY DEFERRED")),
            ("not_valid", boolean("added NOT VALID")),
            ("enforced", boolean("false: NOT ENFORCED (PostgreSQL 18)")),
            ("name", string("the constraint's name")),
            ("comment", string("COMMENT ON CONSTRAINT")),
        ],
        &[],
    );
    let unique = g.object(
        "a unique constraint",
        constraints::UNIQUE_KEYS,
        vec![
            ("columns", names("the columns")),
            ("include", names("INCLUDE columns")),
            ("name", string("the constraint's name")),
            (
                "nulls_not_distinct",
                boolean("NULLS NOT DISTINCT (PostgreSQL 15+)"),
            ),
            (
                "without_overlaps",
                boolean("the last column WITHOUT OVERLAPS (PostgreSQL 18)"),
            ),
            ("deferrable", boolean("DEFERRABLE")),
            ("initially_deferred", boolean("INITIALLY DEFERRED")),
            ("comment", string("COMMENT ON CONSTRAINT")),
        ],
        &[],
    );
    let check = check_entry(g, constraints::CHECK_KEYS, "a check constraint");
    let exclusion = g.object(
        "an exclusion constraint",
        constraints::EXCLUSION_KEYS,
        vec![
            ("using", string("index method")),
            ("method", string("same as using")),
            (
                "elements",
                list(string("`column WITH operator`"), "the elements"),
            ),
            ("where", string("predicate")),
            ("with", map_of(any("a value"), "storage parameters")),
            ("name", string("the constraint's name")),
            ("deferrable", boolean("DEFERRABLE")),
            ("initially_deferred", boolean("INITIALLY DEFERRED")),
            ("comment", string("COMMENT ON CONSTRAINT")),
        ],
        &[],
    );
    let index = index(g);
    let trigger = trigger(g);
    let policy = policy(g);
    TableParts {
        described: vec![
            (
                "columns",
                map_of(column.clone(), "Columns by name, in order"),
            ),
            (
                "primary_key",
                either(names("the key's columns"), pk, "PRIMARY KEY"),
            ),
            ("foreign_keys", list(fk, "FOREIGN KEY constraints")),
            (
                "unique",
                list(either(names("columns"), unique, ""), "UNIQUE constraints"),
            ),
            (
                "checks",
                either(
                    list(check.clone(), ""),
                    map_of(check, ""),
                    "CHECK constraints",
                ),
            ),
            ("exclusions", list(exclusion, "EXCLUDE constraints")),
            ("indexes", list(index, "Indexes")),
            ("triggers", map_of(trigger, "Triggers by name")),
            (
                "policies",
                map_of(policy, "Row-level security policies by name"),
            ),
        ],
    }
}

fn trigger(g: &mut Gen) -> Value {
    let referencing = g.object(
        "referencing",
        triggers::REFERENCING_KEYS,
        vec![
            ("old_table", string("OLD TABLE AS")),
            ("new_table", string("NEW TABLE AS")),
        ],
        &[],
    );
    let constraint = g.object(
        "constraint",
        triggers::CONSTRAINT_KEYS,
        vec![
            ("deferrable", boolean("DEFERRABLE")),
            ("initially_deferred", boolean("INITIALLY DEFERRED")),
        ],
        &[],
    );
    g.object(
        "a trigger",
        triggers::KEYS,
        vec![
            (
                "timing",
                one_of_words(
                    &["before", "after", "instead of"],
                    "BEFORE / AFTER / INSTEAD OF",
                ),
            ),
            (
                "events",
                any("insert, update, update of (cols), delete, truncate — one or a list"),
            ),
            ("for_each", one_of_words(&["row", "statement"], "FOR EACH")),
            ("when", string("WHEN condition")),
            ("function", string("EXECUTE FUNCTION name(args)")),
            ("referencing", referencing),
            (
                "from",
                string("FROM referenced table (constraint triggers)"),
            ),
            (
                "constraint",
                either(
                    boolean("a constraint trigger"),
                    constraint,
                    "CONSTRAINT TRIGGER",
                ),
            ),
            ("enabled", any("true, false, replica or always")),
            ("comment", string("COMMENT ON TRIGGER")),
        ],
        &[],
    )
}

fn policy(g: &mut Gen) -> Value {
    g.object(
        "a policy",
        policies::KEYS,
        vec![
            (
                "command",
                one_of_words(
                    &["all", "select", "insert", "update", "delete"],
                    "FOR command",
                ),
            ),
            (
                "as",
                one_of_words(
                    &["permissive", "restrictive"],
                    "AS PERMISSIVE / RESTRICTIVE",
                ),
            ),
            ("to", names("roles (public for PUBLIC)")),
            ("using", string("USING expression")),
            ("with_check", string("WITH CHECK expression")),
            ("comment", string("COMMENT ON POLICY")),
            ("renamed_from", string("the policy's previous name")),
        ],
        &[],
    )
}

fn statistics_entry(g: &mut Gen) -> Value {
    g.object(
        "extended statistics",
        statistics::ENTRY_KEYS,
        vec![
            ("columns", names("columns")),
            (
                "expressions",
                list(string("an expression"), "expressions (PostgreSQL 14+)"),
            ),
            (
                "kinds",
                list(
                    one_of_words(&["ndistinct", "dependencies", "mcv"], ""),
                    "statistics kinds",
                ),
            ),
            ("target", integer("ALTER STATISTICS … SET STATISTICS")),
            ("comment", string("COMMENT ON STATISTICS")),
        ],
        &[],
    )
}

fn table(g: &mut Gen, parts: &TableParts, grants: &Value) -> Value {
    let keys: Vec<&str> = decode::TABLE_KEYS
        .iter()
        .chain(table_props::KEYS)
        .chain(statistics::KEYS)
        .copied()
        .collect();
    let rls = g.object(
        "row_level_security",
        table_props::RLS_KEYS,
        vec![
            ("enabled", boolean("ENABLE ROW LEVEL SECURITY")),
            ("forced", boolean("FORCE (the owner too)")),
        ],
        &[],
    );
    let stats = either(
        names("columns"),
        statistics_entry(g),
        "extended statistics: columns, or a map",
    );
    let mut d = parts.described.clone();
    d.extend([
        ("schema", string("the table's schema")),
        ("comment", string("COMMENT ON TABLE")),
        (
            "renamed_from",
            string("the table's previous name (renamed, rows kept)"),
        ),
        (
            "mixins",
            list(
                string("a mixin's name"),
                "mixins whose columns and constraints this table includes",
            ),
        ),
        ("grants", grants.clone()),
        ("partition_by", string("PARTITION BY RANGE|LIST|HASH (key)")),
        ("partition_of", string("the partitioned parent")),
        ("bound", string("FOR VALUES … or default")),
        ("unlogged", boolean("UNLOGGED")),
        (
            "with",
            map_of(
                any("a value"),
                "storage parameters (fillfactor, autovacuum_*, toast.*)",
            ),
        ),
        (
            "replica_identity",
            any("default, full, nothing, or {index: name}"),
        ),
        ("cluster_on", string("CLUSTER ON index")),
        (
            "row_level_security",
            either(
                one_of_words(&["enabled", "forced", "disabled"], ""),
                rls,
                "ROW LEVEL SECURITY",
            ),
        ),
        (
            "statistics",
            map_of(stats, "extended statistics (CREATE STATISTICS) by name"),
        ),
    ]);
    g.object("a table", &keys, d, &[])
}

fn mixin(g: &mut Gen, parts: &TableParts) -> Value {
    let mut d = parts.described.clone();
    d.extend([
        ("comment", string("what the mixin is for")),
        (
            "position",
            one_of_words(
                &["first", "last"],
                "where its columns go in a table (default last)",
            ),
        ),
    ]);
    g.object("a mixin", decode::MIXIN_KEYS, d, &[])
}

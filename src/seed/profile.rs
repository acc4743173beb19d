//! Seed profiles: `seeds/<name>.yaml`, validated against the target's
//! catalog model. The format is documented in docs/seed-format.md.
//!
//! ```yaml
//! seed: 42
//! locale: en
//! tables:
//!   organizations: {rows: 3, columns: {name: company_name}}
//!   users:
//!     per_parent: {organizations: 5..15}
//!     columns:
//!       email: {email, unique: true}
//!       role: {one_of: {user: 9, admin: 1}}
//! ```
//!
//! Loading reports every problem at once, each at `file:line:col`, and
//! produces a ready [`TableGen`] per table: nothing is left to fail later
//! except what depends on the data (parents without rows, `unique`
//! running out of values).

use std::path::{Path, PathBuf};

use marked_yaml::types::MarkedMappingNode;
use marked_yaml::Node;

use super::generators::spec::{self, ColumnGen, Ctx};
use super::generators::{defaults, Gen, Locale};
use super::limits::MAX_ROWS;
use super::rng::stream_key;
use super::table::{Cell, FkSlot, Source, TableGen, UniqueGroup};
use super::SeedError;
use crate::model::{Column, Database, Origin, QualifiedName, Table};
use crate::seed::coltype::ColType;
use crate::spec::yaml::{self, did_you_mean, node_pos, Pos, Reader};

#[derive(Clone, Debug)]
pub struct Profile {
    pub file: PathBuf,
    /// `seed:` (0 when absent).
    pub seed: u64,
    pub locale: Locale,
    /// In file order (the `seed` command orders them by dependencies).
    pub tables: Vec<TableProfile>,
}

impl Profile {
    pub fn table(&self, name: &QualifiedName) -> Option<&TableProfile> {
        self.tables.iter().find(|t| &t.table == name)
    }
}

#[derive(Clone, Debug)]
pub struct TableProfile {
    pub table: QualifiedName,
    /// Where the table's entry is (for messages).
    pub origin: Origin,
    pub size: Size,
    pub gen: TableGen,
}

/// How many rows a table gets.
#[derive(Clone, Debug)]
pub enum Size {
    Rows(u64),
    /// `per_parent: {organizations: 5..15}`: every parent row gets between
    /// `min` and `max` children (inclusive) — see [`super::FanOut`].
    PerParent {
        parent: QualifiedName,
        /// Index of the FK in [`TableGen::fks`].
        slot: usize,
        min: u64,
        max: u64,
    },
    /// `import: {file: x.csv, …}`: the rows come from a CSV file through
    /// an import spec (docs/import-format.md), paths relative to the
    /// profile; the generator is empty.
    Import(Box<crate::import::spec::ImportSpec>),
}

pub(crate) const PROFILE_KEYS: &[&str] = &["seed", "locale", "tables"];

pub(crate) const TABLE_KEYS: &[&str] = &["rows", "per_parent", "columns", "import"];

/// Read and validate a profile file. `base_dir` is where `one_of_file`
/// paths are relative to (the project root).
pub fn load(path: &Path, db: &Database, base_dir: &Path) -> Result<Profile, SeedError> {
    let text =
        crate::files::read_regular(path, super::limits::MAX_PROFILE_BYTES).map_err(|source| {
            SeedError::Io {
                path: path.to_path_buf(),
                source,
            }
        })?;
    load_str(path, &text, db, base_dir)
}

/// Validate a profile given as text (`file` names it in messages).
pub fn load_str(
    file: &Path,
    text: &str,
    db: &Database,
    base_dir: &Path,
) -> Result<Profile, SeedError> {
    let root = yaml::parse(file, text).map_err(|i| SeedError::Invalid(vec![i]))?;
    let mut r = Reader::new(file, text);
    let profile = decode(&mut r, &root, db, base_dir);
    let mut issues = r.issues;
    if issues.is_empty() {
        if let Some(p) = profile {
            return Ok(p);
        }
    }
    issues.sort_by_key(|i| (i.line, i.column));
    issues.dedup();
    Err(SeedError::Invalid(issues))
}

fn decode(r: &mut Reader, root: &Node, db: &Database, base_dir: &Path) -> Option<Profile> {
    let map = r.map(root, "a map with `seed`, `locale` and `tables`")?;
    r.check_keys(map, PROFILE_KEYS, "the profile");
    let seed = match map.get_node("seed") {
        Some(n) => decode_seed(r, n)?,
        None => 0,
    };
    let locale = match map.get_node("locale") {
        Some(n) => spec::decode_locale(r, n)?,
        None => Locale::En,
    };
    let Some(tables_node) = map.get_node("tables") else {
        r.error(
            node_pos(root),
            "the profile needs `tables:` (e.g. tables: {users: {rows: 100}})",
        );
        return None;
    };
    let tables_map = r.map(tables_node, "a map of table: {rows: N, …}")?;
    let ctx = Ctx::new(locale, base_dir);
    let mut tables: Vec<TableProfile> = Vec::new();
    for (name, pos, node) in yaml::entries(tables_map) {
        let Some(table) = find_table(r, db, name, pos) else {
            continue;
        };
        if let Some(of) = &table.partition_of {
            // Rows go through the parent, which routes each to its
            // partition: seeding a partition too would fill it twice.
            r.error(
                pos,
                format!(
                    "{} is a partition of {}: profile the parent (COPY into it routes each row to its partition)",
                    table.name, of.parent
                ),
            );
            continue;
        }
        if let Some(prev) = tables.iter().find(|t| t.table == table.name) {
            r.error(
                pos,
                format!(
                    "table {} is already profiled at line {}",
                    table.name, prev.origin.line
                ),
            );
            continue;
        }
        if let Some((size, gen)) = decode_table(r, node, table, db, seed, &ctx) {
            tables.push(TableProfile {
                table: table.name.clone(),
                origin: r.origin(pos),
                size,
                gen,
            });
        }
    }
    Some(Profile {
        file: r.file.clone(),
        seed,
        locale,
        tables,
    })
}

fn decode_seed(r: &mut Reader, node: &Node) -> Option<u64> {
    let text = r.string(node, "a seed (a non-negative integer)")?;
    let seed = text.trim().parse::<u64>().ok();
    if seed.is_none() {
        r.error(
            node_pos(node),
            format!("expected a seed (a non-negative integer), found \"{text}\""),
        );
    }
    seed
}

/// `users` (any schema, `public` first) or `app.users` (dotted syntax:
/// `"a.b"` is one name).
pub fn find_table<'a>(r: &mut Reader, db: &'a Database, name: &str, pos: Pos) -> Option<&'a Table> {
    let parts = crate::pg::ident::split_dotted(name).unwrap_or_else(|_| vec![name.to_string()]);
    let found = match parts.as_slice() {
        [schema, table] => db.tables.get(&QualifiedName::new(schema, table)),
        [table] => db
            .tables
            .get(&QualifiedName::new("public", table))
            .or_else(|| db.tables.values().find(|t| &t.name.name == table)),
        _ => None,
    };
    if found.is_none() {
        let long = parts.iter().find_map(|p| crate::pg::ident::too_long(p));
        if let Some(why) = long {
            r.error(pos, format!("table {why}"));
            return None;
        }
        let names: Vec<String> = db.tables.keys().map(|q| q.to_string()).collect();
        let hint = did_you_mean(name, names.iter().map(String::as_str));
        r.error(pos, format!("unknown table \"{name}\"{hint}"));
    }
    found
}

/// One table's entry: `{rows: N | per_parent: {…}, columns: {…}}`. Public
/// for inline profiles (an import spec filling columns the CSV lacks).
pub fn decode_table(
    r: &mut Reader,
    node: &Node,
    table: &Table,
    db: &Database,
    seed: u64,
    ctx: &Ctx,
) -> Option<(Size, TableGen)> {
    let map = r.map(node, "a map with `rows` or `per_parent`, and `columns`")?;
    let context = format!("table {}", table.name);
    r.check_keys(map, TABLE_KEYS, &context);
    if let Some(n) = map.get_node("import") {
        return decode_import(r, node, n, table)
            .map(|s| (s, TableGen::new(table.name.clone(), seed)));
    }
    let mut columns = Vec::new();
    if let Some(cols) = map.get_node("columns") {
        columns = decode_columns(r, cols, table, db, ctx)?;
    }
    let per_parent = match map.get_node("per_parent") {
        Some(n) => Some(decode_per_parent(r, n, table, db)?),
        None => None,
    };
    let gen = build(
        r,
        table,
        db,
        seed,
        ctx.locale,
        &columns,
        per_parent.as_ref().map(|p| p.0),
        node_pos(node),
    )?;
    let size = match (map.get_node("rows"), per_parent) {
        (Some(_), Some(_)) => {
            r.error(
                node_pos(node),
                format!(
                    "table {}: give `rows` or `per_parent`, not both",
                    table.name
                ),
            );
            return None;
        }
        (Some(n), None) => {
            let rows = r.i64(n)?;
            if rows < 0 {
                r.error(
                    node_pos(n),
                    format!("rows cannot be negative, found {rows}"),
                );
                return None;
            }
            if rows as u64 > MAX_ROWS {
                r.error(
                    node_pos(n),
                    format!("a table gets at most {MAX_ROWS} rows, found {rows} (docs/seed-format.md, Limits)"),
                );
                return None;
            }
            Size::Rows(rows as u64)
        }
        (None, Some((fk_index, parent, min, max))) => {
            let slot = gen.fks.iter().position(|f| f.fk_index == fk_index)?;
            Size::PerParent {
                parent,
                slot,
                min,
                max,
            }
        }
        (None, None) => {
            r.error(
                node_pos(node),
                format!(
                    "table {} needs `rows: N` or `per_parent: {{parent_table: 5..15}}`",
                    table.name
                ),
            );
            return None;
        }
    };
    Some((size, gen))
}

/// `import: {file: …, columns: …}` or `import: path/to/spec.yaml`: alone,
/// and with a `file:`.
fn decode_import(r: &mut Reader, entry: &Node, node: &Node, table: &Table) -> Option<Size> {
    if let Node::Mapping(m) = entry {
        for key in ["rows", "per_parent", "columns"] {
            if let Some(k) = m.keys().find(|k| k.as_str() == key) {
                r.error(
                    yaml::scalar_pos(k),
                    format!(
                        "table {}: `import:` replaces `{key}:` (the rows come from the CSV)",
                        table.name
                    ),
                );
            }
        }
    }
    let spec = match node {
        // `import: fixtures/x.import.yaml`: a spec file, relative to the profile.
        Node::Scalar(s) => {
            let dir = r.file.parent().unwrap_or(Path::new("")).to_path_buf();
            match crate::import::spec::load(&dir.join(s.as_str())) {
                Ok(spec) => spec,
                Err(issues) => {
                    for i in issues {
                        if i.line == 0 {
                            // Unreadable: said where the profile names it.
                            r.error(yaml::scalar_pos(s), i.message);
                        } else {
                            r.issues.push(i); // where it is, in the spec file
                        }
                    }
                    return None;
                }
            }
        }
        _ => {
            r.map(
                node,
                "an import spec {file: x.csv, columns: …} or a spec file's path",
            )?;
            crate::import::spec::decode_inline(r, node)
        }
    };
    if spec.file.is_none() {
        r.error(
            node_pos(node),
            "`import:` needs `file:` (relative to the profile)",
        );
    }
    if let Some((t, at)) = &spec.table {
        let last = crate::pg::ident::split_dotted(t)
            .ok()
            .and_then(|p| p.last().cloned());
        if last.as_deref() != Some(table.name.name.as_str()) {
            r.error(*at, format!("table: {t}, but this entry is {}", table.name));
        }
    }
    Some(Size::Import(Box::new(spec)))
}

type Entry = (String, Pos, ColumnGen);

fn decode_columns(
    r: &mut Reader,
    node: &Node,
    table: &Table,
    db: &Database,
    ctx: &Ctx,
) -> Option<Vec<Entry>> {
    let map = r.map(node, "a map of column: generator")?;
    let mut out = Vec::new();
    for (name, pos, spec_node) in yaml::entries(map) {
        let Some(col) = table.column(name) else {
            if let Some(why) = crate::pg::ident::too_long(name) {
                r.error(pos, format!("column {why}"));
                continue;
            }
            let hint = did_you_mean(name, table.columns.iter().map(|c| c.name.as_str()));
            r.error(
                pos,
                format!("table {} has no column \"{name}\"{hint}", table.name),
            );
            continue;
        };
        let ty = ColType::parse(&col.data_type, db);
        if let Some(g) = spec::decode(r, spec_node, &ty, ctx) {
            out.push((name.to_string(), pos, g));
        }
    }
    Some(out)
}

type PerParent = (usize, QualifiedName, u64, u64);

/// `{organizations: 5..15}` or `{organizations: 5..15, via: owner_id}`.
fn decode_per_parent(
    r: &mut Reader,
    node: &Node,
    table: &Table,
    db: &Database,
) -> Option<PerParent> {
    let map: &MarkedMappingNode = r.map(node, "a map such as {organizations: 5..15}")?;
    let parents: Vec<(&str, Pos, &Node)> =
        yaml::entries(map).filter(|(k, _, _)| *k != "via").collect();
    let [(parent_name, ppos, range_node)] = parents.as_slice() else {
        r.error(
            node_pos(node),
            "per_parent names one parent table, e.g. {organizations: 5..15}",
        );
        return None;
    };
    let parent = find_table(r, db, parent_name, *ppos)?;
    let (min, max) = spec::bounded_count(r, range_node, MAX_ROWS as usize, "per_parent")?;
    let candidates: Vec<usize> = (0..table.foreign_keys.len())
        .filter(|&i| table.foreign_keys[i].ref_table == parent.name)
        .collect();
    let via = match map.get_node("via") {
        Some(n) => Some((r.string(n, "a foreign-key column")?, node_pos(n))),
        None => None,
    };
    let describe = |i: &usize| table.foreign_keys[*i].columns.join(", ");
    let chosen = match (&via, candidates.as_slice()) {
        (_, []) => {
            r.error(
                *ppos,
                format!("table {} has no foreign key to {}", table.name, parent.name),
            );
            return None;
        }
        (None, [one]) => *one,
        (None, many) => {
            let list: Vec<String> = many.iter().map(describe).collect();
            r.error(
                *ppos,
                format!(
                    "table {} has {} foreign keys to {} ({}): name one with `via: column`",
                    table.name,
                    many.len(),
                    parent.name,
                    list.join("; ")
                ),
            );
            return None;
        }
        (Some((col, vpos)), many) => match many
            .iter()
            .find(|i| table.foreign_keys[**i].columns.iter().any(|c| c == col))
        {
            Some(i) => *i,
            None => {
                let cols: Vec<String> = many.iter().map(describe).collect();
                let hint = did_you_mean(col, cols.iter().map(String::as_str));
                r.error(
                    *vpos,
                    format!(
                        "no foreign key of {} to {} uses column \"{col}\"{hint}",
                        table.name, parent.name
                    ),
                );
                return None;
            }
        },
    };
    Some((chosen, parent.name.clone(), min as u64, max as u64))
}

/// True for defaults that differ on every run (`now()`,
/// `gen_random_uuid()`): strata generates those columns instead, so that
/// the same seed gives the same data.
pub fn volatile_default(default: &str) -> bool {
    let d = default.to_ascii_lowercase();
    [
        "gen_random_uuid(",
        "uuid_generate_v",
        "now()",
        "current_timestamp",
        "clock_timestamp(",
        "statement_timestamp(",
        "transaction_timestamp(",
        "localtimestamp",
        "current_date",
        "current_time",
        "random(",
    ]
    .iter()
    .any(|f| d.contains(f))
}

/// The generators of a table the profile does not mention (every column
/// by its defaults), e.g. a parent the `seed` command must fill too.
pub fn default_table(
    table: &Table,
    db: &Database,
    seed: u64,
    locale: Locale,
) -> Result<TableGen, SeedError> {
    let mut r = Reader::new(Path::new("<defaults>"), "");
    let gen = build(&mut r, table, db, seed, locale, &[], None, Pos::default());
    match gen {
        Some(g) if r.issues.is_empty() => Ok(g),
        _ => Err(SeedError::Invalid(r.issues)),
    }
}

/// Why the database, not strata, fills a column (`None` = strata does).
fn database_fills(col: &Column) -> Option<&'static str> {
    if col.generated.is_some() {
        Some("generated")
    } else if col.identity.is_some() {
        Some("an identity column")
    } else if col.serial.is_some() {
        Some("serial")
    } else if col.default.as_deref().is_some_and(|d| !volatile_default(d)) {
        Some("has a default")
    } else {
        None
    }
}

/// Columns of single-column primary keys and unique constraints/indexes.
fn single_unique(table: &Table, col: &str) -> bool {
    let one = |cols: &[String]| cols.len() == 1 && cols[0] == col;
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| one(&pk.columns))
        || table.uniques.iter().any(|u| one(&u.columns))
        || table.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.keys.len() == 1
                && !i.keys[0].is_expression
                && i.keys[0].expr == col
        })
}

#[allow(clippy::too_many_arguments)]
fn build(
    r: &mut Reader,
    table: &Table,
    db: &Database,
    seed: u64,
    locale: Locale,
    entries: &[Entry],
    per_parent_fk: Option<usize>,
    table_pos: Pos,
) -> Option<TableGen> {
    let tname = table.name.to_string();
    let mut gen = TableGen::new(table.name.clone(), seed);
    // A column in several foreign keys follows the widest: with (org_id,
    // user_id) → users(org_id, id) and org_id → orgs, taking org_id from
    // the users row keeps both constraints.
    let fk_of = |col: &str| {
        (0..table.foreign_keys.len())
            .filter(|&i| table.foreign_keys[i].columns.iter().any(|c| c == col))
            .max_by_key(|&i| (table.foreign_keys[i].columns.len(), std::cmp::Reverse(i)))
    };
    let mut ok = true;
    let mut unique_cols: Vec<String> = Vec::new();
    for col in &table.columns {
        let entry = entries.iter().find(|(n, _, _)| *n == col.name);
        let ty = ColType::parse(&col.data_type, db);
        if let Some((_, pos, g)) = entry {
            if let (Some(p), false) = (g.null_ratio_pos, g.null_ratio == 0.0) {
                if col.not_null {
                    r.error(
                        p,
                        format!("{}.{} is NOT NULL: null_ratio must be 0", tname, col.name),
                    );
                    ok = false;
                }
            }
            if g.unique {
                unique_cols.push(col.name.clone());
            }
            if col.generated.is_some()
                || matches!(&col.identity, Some(i) if i.kind == crate::model::IdentityKind::Always)
            {
                let what = if col.generated.is_some() {
                    "a generated column"
                } else {
                    "GENERATED ALWAYS AS IDENTITY"
                };
                r.error(
                    *pos,
                    format!("{}.{} is {what}: the database fills it", tname, col.name),
                );
                ok = false;
                continue;
            }
        }
        let explicit = entry.and_then(|(_, _, g)| g.gen.clone());
        if let (Some(Gen::Constant(v)), Some((_, pos, _)), true) = (&explicit, entry, col.not_null)
        {
            if v.is_null() {
                r.error(
                    *pos,
                    format!(
                        "{}.{} is NOT NULL: it cannot be a constant null",
                        tname, col.name
                    ),
                );
                ok = false;
                continue;
            }
        }
        let null_ratio = entry.map(|(_, _, g)| g.null_ratio).unwrap_or(0.0);
        if let Some(fp) = entry.and_then(|(_, _, g)| g.from_parent.as_ref()) {
            let via = fk_of(&fp.via).filter(|_| fp.via != col.name);
            let Some(fk) = via else {
                r.error(fp.pos, format!("{}.{}: from_parent needs another foreign-key column of {tname}; {} is not one", tname, col.name, fp.via));
                ok = false;
                continue;
            };
            let parent_col = fp.column.clone().unwrap_or_else(|| col.name.clone());
            let parent = &table.foreign_keys[fk].ref_table;
            if db
                .tables
                .get(parent)
                .and_then(|t| t.column(&parent_col))
                .is_none()
            {
                r.error(
                    fp.pos,
                    format!(
                        "{}.{}: {parent} has no column {parent_col} to copy",
                        tname, col.name
                    ),
                );
                ok = false;
                continue;
            }
            let slot = fk_slot(&mut gen, table, db, fk, per_parent_fk == Some(fk), seed);
            let s = &mut gen.fks[slot];
            let at = match s.extra.iter().position(|c| *c == parent_col) {
                Some(i) => i,
                None => {
                    s.extra.push(parent_col);
                    s.extra.len() - 1
                }
            };
            let part = s.ref_columns.len() + at;
            gen.columns.push(col.name.clone());
            gen.cells.push(Cell {
                name: col.name.clone(),
                source: Source::Fk { slot, part },
                ty,
                null_ratio: 0.0,
            });
            continue;
        }
        if let Some(fk) = fk_of(&col.name) {
            if let (Some(_), Some((_, pos, _))) = (&explicit, entry) {
                let target = &table.foreign_keys[fk].ref_table;
                r.error(*pos, format!("{}.{} references {target}: its values come from {target}'s rows (only null_ratio and unique apply)", tname, col.name));
                ok = false;
                continue;
            }
            if per_parent_fk == Some(fk) && null_ratio > 0.0 {
                if let Some((_, pos, _)) = entry {
                    r.error(
                        *pos,
                        format!(
                            "{}.{} is the per_parent foreign key: it cannot be NULL",
                            tname, col.name
                        ),
                    );
                    ok = false;
                }
            }
            add_fk_cell(
                &mut gen,
                table,
                db,
                fk,
                &col.name,
                null_ratio,
                per_parent_fk == Some(fk),
                ty,
                seed,
            );
            continue;
        }
        let chosen = match explicit {
            Some(g) => Some(g),
            None if entry.is_none() && database_fills(col).is_some() => continue,
            None => super::partition_keys::default_for_key(db, table, col, &ty)
                .or_else(|| default_for(table, col, &ty, locale)),
        };
        let Some(g) = chosen else {
            if col.not_null {
                let at = entry.map(|(_, p, _)| *p).unwrap_or(table_pos);
                r.error(at, format!("{}.{} ({}) is NOT NULL and has no default generator: give one under `columns:`", tname, col.name, col.data_type));
                ok = false;
            }
            continue;
        };
        let key = stream_key(seed, &table.name.unescaped(), &col.name);
        gen.columns.push(col.name.clone());
        gen.cells.push(Cell {
            name: col.name.clone(),
            source: Source::Gen { gen: g, key },
            ty,
            null_ratio,
        });
    }
    add_unique_groups(&mut gen, table, &unique_cols);
    ok.then_some(gen)
}

/// A column's default generator; a lone integer key counts 1, 2, 3, ….
fn default_for(table: &Table, col: &Column, ty: &ColType, locale: Locale) -> Option<Gen> {
    if matches!(ty, ColType::Int { .. }) && single_unique(table, &col.name) {
        return Some(Gen::Sequence { start: 1, step: 1 });
    }
    defaults::for_column(&col.name, ty, locale)
}

#[allow(clippy::too_many_arguments)]
fn add_fk_cell(
    gen: &mut TableGen,
    table: &Table,
    db: &Database,
    fk_index: usize,
    col: &str,
    null_ratio: f64,
    per_parent: bool,
    ty: ColType,
    seed: u64,
) {
    let fk = &table.foreign_keys[fk_index];
    let slot = fk_slot(gen, table, db, fk_index, per_parent, seed);
    // A tuple is NULL or not as a whole: the largest ratio of its columns.
    gen.fks[slot].null_ratio = gen.fks[slot].null_ratio.max(null_ratio);
    let part = fk.columns.iter().position(|c| c == col).unwrap_or(0);
    gen.columns.push(col.to_string());
    gen.cells.push(Cell {
        name: col.to_string(),
        source: Source::Fk { slot, part },
        ty,
        null_ratio: 0.0,
    });
}

/// The FK slot of foreign key `fk_index`, created on first use.
fn fk_slot(
    gen: &mut TableGen,
    table: &Table,
    db: &Database,
    fk_index: usize,
    per_parent: bool,
    seed: u64,
) -> usize {
    let fk = &table.foreign_keys[fk_index];
    match gen.fks.iter().position(|s| s.fk_index == fk_index) {
        Some(s) => s,
        None => {
            let ref_columns = if fk.ref_columns.is_empty() {
                db.tables
                    .get(&fk.ref_table)
                    .and_then(|t| t.primary_key.as_ref())
                    .map(|pk| pk.columns.clone())
                    .unwrap_or_default()
            } else {
                fk.ref_columns.clone()
            };
            let key = stream_key(
                seed,
                &gen.table.unescaped(),
                &format!("\u{0}fk:{}", fk.columns.join(",")),
            );
            gen.fks.push(FkSlot {
                fk_index,
                columns: fk.columns.clone(),
                ref_table: fk.ref_table.clone(),
                ref_columns,
                extra: Vec::new(),
                null_ratio: 0.0,
                per_parent,
                key,
            });
            gen.fks.len() - 1
        }
    }
}

/// Unique groups from the table's constraints and the profile's `unique`.
fn add_unique_groups(gen: &mut TableGen, table: &Table, unique_cols: &[String]) {
    let mut sets: Vec<(Vec<String>, bool)> = Vec::new();
    if let Some(pk) = &table.primary_key {
        sets.push((pk.columns.clone(), true));
    }
    for u in &table.uniques {
        sets.push((u.columns.clone(), !u.nulls_not_distinct));
    }
    for i in table
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
    {
        if i.keys.iter().all(|k| !k.is_expression) {
            sets.push((
                i.keys.iter().map(|k| k.expr.clone()).collect(),
                !i.nulls_not_distinct,
            ));
        }
    }
    for c in unique_cols {
        sets.push((vec![c.clone()], true));
    }
    for (cols, nulls_distinct) in sets {
        // A column the database fills (identity, serial) makes the tuple
        // unique already; so does an injective generator.
        let Some(cells) = cols
            .iter()
            .map(|c| gen.columns.iter().position(|o| o == c))
            .collect::<Option<Vec<usize>>>()
        else {
            continue;
        };
        let injective: Vec<usize> = cells
            .iter()
            .copied()
            .filter(|&c| matches!(&gen.cells[c].source, Source::Gen { gen, .. } if gen.injective()))
            .collect();
        let mut sorted = cells.clone();
        sorted.sort_unstable();
        if !injective.is_empty() {
            for c in injective {
                if !gen.injective_unique.contains(&c) {
                    gen.injective_unique.push(c);
                }
            }
            continue;
        }
        if gen.unique.iter().any(|g| g.cells == sorted) {
            continue;
        }
        gen.unique.push(UniqueGroup {
            cells: sorted,
            nulls_distinct,
        });
    }
}

//! Sample rows for the data-preservation proof: a few rows in every table
//! of a database, made by the seed machinery (the project's profile where
//! it covers a table, the seeder's defaults by column name and type
//! otherwise), parents before children, foreign keys drawn from the
//! parents' rows, unique constraints kept, cycles and self-references
//! filled afterwards.
//!
//! Everything runs inside the caller's transaction, one savepoint per
//! table: a table the seeder cannot fill (a CHECK its values miss, a type
//! it has no generator for, a NOT NULL reference to a table left empty) is
//! skipped and reported, never an error. The rows depend only on the model
//! and the seed: the same database gets the same rows every time.
//!
//! Round trips are what this costs (500 tables: ~1 ms each would double
//! `generate`), so each table is one round trip: one multi-row `INSERT`
//! of text literals (the server casts them to the column types; COPY's
//! per-column type lookups cost more than 3–5 rows) inside its savepoint,
//! `RETURNING` the key columns its children draw from, which are kept in
//! memory instead of read back. Which tables already have rows is asked
//! once for all.

use std::collections::BTreeSet;

use tokio_postgres::Client;

use crate::copy::Value;
use crate::model::{quote_ident, quote_literal, Database, ForeignKey, QualifiedName, Table};
use crate::seed::coltype::ColType;
use crate::seed::generators::Locale;
use crate::seed::order::{load_order, Step};
use crate::seed::{Inputs, Pool, Profile, Size, TableGen, UniqueState};
use crate::{Error, Result};

/// How many rows, from which seed.
#[derive(Debug, Clone)]
pub struct FillOptions {
    /// Rows per table (tables that already hold rows are left as they are).
    pub rows: u64,
    /// Seed of the default generators (a profile brings its own).
    pub seed: u64,
}

impl Default for FillOptions {
    fn default() -> Self {
        FillOptions { rows: 4, seed: 0 }
    }
}

/// What [`fill`] did, table by table.
#[derive(Debug, Default, Clone)]
pub struct Filled {
    /// Tables that got rows, with how many.
    pub filled: Vec<(QualifiedName, u64)>,
    /// Tables that held rows already (from the migrations): left alone,
    /// their rows are checked like the others.
    pub kept: Vec<QualifiedName>,
    pub skipped: Vec<Skipped>,
}

/// A table that could not be filled, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub table: QualifiedName,
    pub reason: String,
}

/// Rows a candidate table may try, per row wanted, when the server
/// refuses some (a CHECK the generated values miss): each is inserted
/// alone, the refused ones are dropped.
const RETRIES_PER_ROW: u64 = 8;

/// Put `o.rows` rows into every empty table of `model` (the database
/// `client` is connected to), inside the caller's open transaction.
pub async fn fill(
    client: &Client,
    model: &Database,
    profile: Option<&Profile>,
    o: &FillOptions,
) -> Result<Filled> {
    let mut out = Filled::default();
    let steps = order(model, &mut out.skipped);
    let occupied = occupied(client, &steps).await?;
    let gens: Vec<std::result::Result<TableGen, String>> = steps
        .iter()
        .map(|s| generator(model, &model.tables[&s.table], s, profile, o))
        .collect();
    let mut keys = Keys::new(&gens);
    let mut filled: Vec<(&Step, &TableGen)> = Vec::new();
    for (step, gen) in steps.iter().zip(&gens) {
        let table = &model.tables[&step.table];
        if occupied.contains(&step.table) {
            out.kept.push(table.name.clone());
            continue;
        }
        let skip = |reason: String| Skipped {
            table: table.name.clone(),
            reason,
        };
        let gen = match gen {
            Ok(g) => g,
            Err(reason) => {
                out.skipped.push(skip(reason.clone()));
                continue;
            }
        };
        match fill_table(client, model, table, step, gen, o.rows, &mut keys).await {
            Ok(n) => {
                out.filled.push((table.name.clone(), n));
                filled.push((step, gen));
            }
            Err(reason) => out.skipped.push(skip(reason)),
        }
    }
    for (step, gen) in filled {
        fill_deferred(client, model, step, gen, &mut out.skipped).await?;
    }
    Ok(out)
}

/// Tables (of `steps`) that hold rows already: one query for all.
async fn occupied(client: &Client, steps: &[Step]) -> Result<BTreeSet<QualifiedName>> {
    let mut out = BTreeSet::new();
    for chunk in steps.chunks(200) {
        let probes: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "SELECT {i} WHERE EXISTS (SELECT 1 FROM {})",
                    s.table.quoted()
                )
            })
            .collect();
        for row in simple_rows(client, &probes.join(" UNION ALL "))
            .await
            .map_err(|source| {
                Error::Db(crate::db::DbError::Query {
                    context: "checking which tables have rows".into(),
                    source,
                })
            })?
        {
            if let Some(i) = row[0].as_deref().and_then(|i| i.parse::<usize>().ok()) {
                out.insert(chunk[i].table.clone());
            }
        }
    }
    Ok(out)
}

/// The rows of a simple-protocol query (all statements), as text.
pub(super) async fn simple_rows(
    client: &Client,
    sql: &str,
) -> std::result::Result<Vec<Vec<Option<String>>>, tokio_postgres::Error> {
    use tokio_postgres::SimpleQueryMessage;
    let messages = client.simple_query(sql).await?;
    Ok(messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect())
}

/// The key columns of the rows filled so far that children draw from,
/// as the server returned them (text), per table.
struct Keys {
    /// Per parent table: the columns its children's foreign keys read.
    wanted: std::collections::HashMap<QualifiedName, Vec<String>>,
    rows: std::collections::HashMap<QualifiedName, Vec<Vec<Option<String>>>>,
}

impl Keys {
    fn new(gens: &[std::result::Result<TableGen, String>]) -> Keys {
        let mut wanted: std::collections::HashMap<QualifiedName, Vec<String>> =
            std::collections::HashMap::new();
        for slot in gens.iter().flatten().flat_map(|g| &g.fks) {
            let cols = wanted.entry(slot.ref_table.clone()).or_default();
            for c in slot.pool_columns() {
                if !cols.contains(&c) {
                    cols.push(c);
                }
            }
        }
        Keys {
            wanted,
            rows: std::collections::HashMap::new(),
        }
    }

    /// `RETURNING …` for a table's inserts ("" when no child needs it).
    fn returning(&self, table: &Table) -> String {
        match self.wanted.get(&table.name) {
            Some(cols) if !cols.is_empty() => format!(
                " RETURNING {}",
                crate::seed::keys::select_list(table, cols).join(", ")
            ),
            _ => String::new(),
        }
    }

    fn add(&mut self, table: &QualifiedName, rows: Vec<Vec<Option<String>>>) {
        if self.wanted.contains_key(table) {
            self.rows.entry(table.clone()).or_default().extend(rows);
        }
    }

    /// The pool of `columns` of `parent`, when its rows were filled here.
    fn pool(
        &self,
        model: &Database,
        parent: &Table,
        columns: &[String],
    ) -> Option<std::result::Result<Vec<Vec<Value>>, String>> {
        let rows = self.rows.get(&parent.name)?;
        let wanted = &self.wanted[&parent.name];
        let at: Vec<usize> = columns
            .iter()
            .map(|c| wanted.iter().position(|w| w == c))
            .collect::<Option<_>>()?;
        let types: Vec<ColType> = columns
            .iter()
            .map(|c| ColType::parse(&crate::seed::keys::column_type(parent, c), model))
            .collect();
        let typed = rows
            .iter()
            .filter(|r| at.iter().any(|&i| r[i].is_some()))
            .map(|r| {
                at.iter()
                    .zip(&types)
                    .map(|(&i, ty)| crate::seed::keys::typed(r[i].clone().unwrap_or_default(), ty))
                    .collect::<std::result::Result<Vec<Value>, String>>()
            })
            .collect();
        Some(typed)
    }
}

/// Load order over every table; tables on a cycle of NOT NULL foreign
/// keys (no table of it can go first) are skipped.
fn order(model: &Database, skipped: &mut Vec<Skipped>) -> Vec<Step> {
    let mut names: Vec<QualifiedName> = model
        .tables
        .keys()
        .filter(|n| !crate::migrations::is_bookkeeping(&n.name))
        .cloned()
        .collect();
    if let Ok(steps) = load_order(model, &names) {
        return steps;
    }
    let cyclic: BTreeSet<QualifiedName> = names
        .iter()
        .filter(|n| on_cycle(model, n))
        .cloned()
        .collect();
    for t in &cyclic {
        skipped.push(Skipped {
            table: t.clone(),
            reason: "on a cycle of foreign keys".into(),
        });
    }
    names.retain(|n| !cyclic.contains(n));
    load_order(model, &names).unwrap_or_default()
}

/// Does a chain of foreign keys (self-references aside) lead from `start`
/// back to it?
fn on_cycle(model: &Database, start: &QualifiedName) -> bool {
    let parents = |t: &QualifiedName| -> Vec<QualifiedName> {
        model.tables.get(t).map_or_else(Vec::new, |t| {
            t.foreign_keys
                .iter()
                .filter(|fk| fk.ref_table != t.name)
                .map(|fk| fk.ref_table.clone())
                .collect()
        })
    };
    let mut seen = BTreeSet::new();
    let mut stack = parents(start);
    while let Some(t) = stack.pop() {
        if &t == start {
            return true;
        }
        if seen.insert(t.clone()) {
            stack.extend(parents(&t));
        }
    }
    false
}

/// The table's generators: the profile's when it has the table (its
/// `per_parent` turned into a plain foreign key: a few rows are wanted,
/// not a fan-out), the seeder's defaults otherwise.
fn generator(
    model: &Database,
    table: &Table,
    step: &Step,
    profile: Option<&Profile>,
    o: &FillOptions,
) -> std::result::Result<TableGen, String> {
    if let Some(fk) = step.self_refs.iter().find(|fk| not_null(table, fk)) {
        return Err(format!(
            "references itself through NOT NULL column(s) {}",
            fk.columns.join(", ")
        ));
    }
    let from_profile = profile
        .and_then(|p| p.table(&table.name))
        .filter(|tp| !matches!(tp.size, Size::Import(_)));
    if let Some(tp) = from_profile {
        let mut gen = tp.gen.clone();
        for slot in &mut gen.fks {
            slot.per_parent = false;
        }
        return Ok(gen);
    }
    crate::seed::profile::default_table(table, model, o.seed, Locale::En)
        .map_err(|e| e.to_string().replace('\n', "; "))
}

fn not_null(table: &Table, fk: &ForeignKey) -> bool {
    fk.columns
        .iter()
        .any(|c| table.column(c).is_some_and(|c| c.not_null))
}

async fn savepoint(client: &Client, sql: &str) -> Result<()> {
    client.batch_execute(sql).await.map_err(|source| {
        Error::Db(crate::db::DbError::Query {
            context: "filling sample rows".into(),
            source,
        })
    })
}

/// Generate and insert the rows of one table; `Err` says why it could
/// not (and then nothing of it stays).
async fn fill_table(
    client: &Client,
    model: &Database,
    table: &Table,
    step: &Step,
    gen: &TableGen,
    rows: u64,
    keys: &mut Keys,
) -> std::result::Result<u64, String> {
    let pools = pools(client, model, table, step, gen, keys).await?;
    let inputs = Inputs {
        pools: &pools,
        fan_out: None,
    };
    // A unique key over a small domain (a two-label enum) has room for
    // fewer rows: take as many as it has.
    let (batch, rows) = fitting(gen, rows, &inputs)?;
    let returning = keys.returning(table);
    if let Ok(got) = insert(client, table, gen, &batch, &returning).await {
        keys.add(&table.name, got);
        return Ok(rows);
    }
    // Some row is refused (a CHECK the values miss): try candidates one
    // by one, keeping those the server accepts.
    let (candidates, _) = fitting(gen, rows * RETRIES_PER_ROW, &inputs)?;
    let mut loaded = 0;
    let mut last_error = String::new();
    for row in candidates {
        if loaded == rows {
            break;
        }
        match insert(client, table, gen, std::slice::from_ref(&row), &returning).await {
            Ok(got) => {
                keys.add(&table.name, got);
                loaded += 1;
            }
            Err(e) => last_error = e,
        }
    }
    if loaded == 0 {
        return Err(last_error);
    }
    Ok(loaded)
}

/// Insert `rows` in a savepoint, one round trip; a refusal leaves nothing
/// behind. Returns the `RETURNING` rows.
async fn insert(
    client: &Client,
    table: &Table,
    gen: &TableGen,
    rows: &[Vec<Value>],
    returning: &str,
) -> std::result::Result<Vec<Vec<Option<String>>>, String> {
    let sql = format!(
        "SAVEPOINT strata_fill; {} RELEASE SAVEPOINT strata_fill",
        insert_sql(table, gen, rows, returning)
    );
    match simple_rows(client, &sql).await {
        Ok(got) => Ok(got),
        Err(e) => {
            let undo = "ROLLBACK TO SAVEPOINT strata_fill; RELEASE SAVEPOINT strata_fill";
            savepoint(client, undo).await.map_err(|e| e.to_string())?;
            Err(crate::db::describe(&e))
        }
    }
}

/// `rows` rows, or the most (halving) that the unique constraints leave
/// room for.
fn fitting(
    gen: &TableGen,
    rows: u64,
    inputs: &Inputs<'_>,
) -> std::result::Result<(Vec<Vec<Value>>, u64), String> {
    let mut n = rows;
    loop {
        match generate(gen, 0..n, inputs) {
            Ok(batch) => return Ok((batch, n)),
            Err(e) if n <= 1 => return Err(e),
            Err(_) => n /= 2,
        }
    }
}

/// Rows `range`, unique constraints settled.
fn generate(
    gen: &TableGen,
    range: std::ops::Range<u64>,
    inputs: &Inputs,
) -> std::result::Result<Vec<Vec<Value>>, String> {
    let mut rows = gen
        .generate(range.clone(), inputs)
        .map_err(|e| e.to_string())?;
    UniqueState::new(gen)
        .resolve(gen, range.start, &mut rows, inputs)
        .map_err(|e| e.to_string())?;
    Ok(rows)
}

/// One pool of parent keys per foreign key the generator fills: the rows
/// filled here, or (a table that had rows) read from the database. Keys
/// filled later (cycles, self-references) and nullable references to a
/// table without rows start NULL.
async fn pools(
    client: &Client,
    model: &Database,
    table: &Table,
    step: &Step,
    gen: &TableGen,
    keys: &Keys,
) -> std::result::Result<Vec<Pool>, String> {
    let mut out = Vec::new();
    for slot in &gen.fks {
        let fk = &table.foreign_keys[slot.fk_index];
        if is_deferred(step, fk) {
            out.push(Pool::Deferred);
            continue;
        }
        let parent = model
            .tables
            .get(&slot.ref_table)
            .ok_or_else(|| format!("{} is not in the database", slot.ref_table))?;
        let columns = slot.pool_columns();
        let pool = match keys.pool(model, parent, &columns) {
            Some(p) => p?,
            None => crate::seed::keys::pool(client, model, parent, &columns)
                .await
                .map_err(|e| e.to_string())?,
        };
        if pool.is_empty() {
            if not_null(table, fk) {
                return Err(format!("{} has no rows to reference", slot.ref_table));
            }
            out.push(Pool::Deferred);
            continue;
        }
        out.push(Pool::Keys(pool));
    }
    Ok(out)
}

fn is_deferred(step: &Step, fk: &ForeignKey) -> bool {
    step.deferred
        .iter()
        .chain(&step.self_refs)
        .any(|d| d.columns == fk.columns && d.ref_table == fk.ref_table)
}

/// Point the foreign keys loaded NULL (cycles, self-references) at rows
/// that now exist. A failure leaves them NULL and is reported.
async fn fill_deferred(
    client: &Client,
    model: &Database,
    step: &Step,
    gen: &TableGen,
    skipped: &mut Vec<Skipped>,
) -> Result<()> {
    let table = &model.tables[&step.table];
    for (slot, s) in gen.fks.iter().enumerate() {
        let fk = &table.foreign_keys[s.fk_index];
        if !is_deferred(step, fk) {
            continue;
        }
        savepoint(client, "SAVEPOINT strata_fill").await?;
        match crate::seed::fill::fill(client, model, table, gen, slot).await {
            Ok(_) => savepoint(client, "RELEASE SAVEPOINT strata_fill").await?,
            Err(e) => {
                savepoint(client, "ROLLBACK TO SAVEPOINT strata_fill").await?;
                skipped.push(Skipped {
                    table: table.name.clone(),
                    reason: format!("{}({}) left NULL: {e}", table.name, fk.columns.join(", ")),
                });
            }
        }
    }
    Ok(())
}

/// `INSERT INTO t (cols) VALUES (…), (…) RETURNING …;` with every value
/// a text literal.
fn insert_sql(table: &Table, gen: &TableGen, rows: &[Vec<Value>], returning: &str) -> String {
    if gen.columns.is_empty() {
        // Every column is filled by the database.
        return (0..rows.len())
            .map(|_| {
                format!(
                    "INSERT INTO {} DEFAULT VALUES{returning};",
                    table.name.quoted()
                )
            })
            .collect();
    }
    let cols: Vec<String> = gen.columns.iter().map(|c| quote_ident(c)).collect();
    let values: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(literal).collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {} ({}) VALUES {}{returning};",
        table.name.quoted(),
        cols.join(", "),
        values.join(", ")
    )
}

/// A value as an untyped SQL literal in its type's input syntax.
fn literal(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        _ => quote_literal(&input_text(v)),
    }
}

/// The text PostgreSQL's input function of the value's type accepts.
fn input_text(v: &Value) -> String {
    match v {
        Value::Float(f) if f.is_nan() => "NaN".into(),
        Value::Float(f) if f.is_infinite() => {
            if *f > 0.0 { "Infinity" } else { "-Infinity" }.into()
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::Null => "NULL".into(),
                    other => {
                        let t = input_text(other);
                        format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
                    }
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        other => crate::seed::coltype::text_form(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_use_each_types_input_syntax() {
        assert_eq!(literal(&Value::Null), "NULL");
        assert_eq!(literal(&Value::Text("it's".into())), "'it''s'");
        assert_eq!(literal(&Value::Float(f64::NAN)), "'NaN'");
        assert_eq!(literal(&Value::Float(f64::NEG_INFINITY)), "'-Infinity'");
        let arr = Value::Array(vec![Value::Text("a\"b".into()), Value::Null, Value::Int(3)]);
        assert_eq!(literal(&arr), "E'{\"a\\\\\"b\",NULL,\"3\"}'");
    }
}

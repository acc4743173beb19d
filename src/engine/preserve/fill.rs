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
//! Rows go in with one multi-row `INSERT` of text literals per table (the
//! server casts them to the column types), not over COPY: for 3–5 rows the
//! per-column type lookups COPY needs cost more than the rows.

use std::collections::BTreeSet;

use tokio_postgres::Client;

use crate::copy::Value;
use crate::model::{quote_ident, quote_literal, Database, ForeignKey, QualifiedName, Table};
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
    let mut gens: Vec<(&Step, TableGen)> = Vec::new();
    for step in &steps {
        let table = &model.tables[&step.table];
        if has_rows(client, table).await? {
            out.kept.push(table.name.clone());
            continue;
        }
        let gen = match generator(model, table, step, profile, o) {
            Ok(g) => g,
            Err(reason) => {
                out.skipped.push(Skipped {
                    table: table.name.clone(),
                    reason,
                });
                continue;
            }
        };
        savepoint(client, "SAVEPOINT strata_fill").await?;
        match fill_table(client, model, table, step, &gen, o.rows).await {
            Ok(n) => {
                savepoint(client, "RELEASE SAVEPOINT strata_fill").await?;
                out.filled.push((table.name.clone(), n));
                gens.push((step, gen));
            }
            Err(reason) => {
                savepoint(client, "ROLLBACK TO SAVEPOINT strata_fill").await?;
                out.skipped.push(Skipped {
                    table: table.name.clone(),
                    reason,
                });
            }
        }
    }
    for (step, gen) in &gens {
        fill_deferred(client, model, step, gen, &mut out.skipped).await?;
    }
    Ok(out)
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

async fn has_rows(client: &Client, table: &Table) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", table.name.quoted());
    let row = client.query_one(&sql, &[]).await.map_err(|source| {
        Error::Db(crate::db::DbError::Query {
            context: format!("checking whether {} has rows", table.name),
            source,
        })
    })?;
    Ok(row.get(0))
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

/// Generate and insert the rows of one table; `Err` says why it could not.
async fn fill_table(
    client: &Client,
    model: &Database,
    table: &Table,
    step: &Step,
    gen: &TableGen,
    rows: u64,
) -> std::result::Result<u64, String> {
    let pools = pools(client, model, table, step, gen).await?;
    let inputs = Inputs {
        pools: &pools,
        fan_out: None,
    };
    // A unique key over a small domain (a two-label enum) has room for
    // fewer rows: take as many as it has.
    let (batch, rows) = fitting(gen, rows, &inputs)?;
    let all = insert_sql(table, gen, &batch);
    if client.batch_execute(&all).await.is_ok() {
        return Ok(rows);
    }
    // Some row is refused: roll that statement back and try candidates one
    // by one, keeping those the server accepts.
    savepoint(client, "ROLLBACK TO SAVEPOINT strata_fill")
        .await
        .map_err(|e| e.to_string())?;
    let (candidates, _) = fitting(gen, rows * RETRIES_PER_ROW, &inputs)?;
    let mut loaded = 0;
    let mut last_error = String::new();
    for row in candidates {
        if loaded == rows {
            break;
        }
        let one = format!(
            "SAVEPOINT strata_row; {}",
            insert_sql(table, gen, std::slice::from_ref(&row))
        );
        match client.batch_execute(&one).await {
            Ok(()) => {
                savepoint(client, "RELEASE SAVEPOINT strata_row")
                    .await
                    .map_err(|e| e.to_string())?;
                loaded += 1;
            }
            Err(e) => {
                last_error = crate::db::describe(&e);
                savepoint(client, "ROLLBACK TO SAVEPOINT strata_row")
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    if loaded == 0 {
        return Err(last_error);
    }
    Ok(loaded)
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

/// One pool of parent keys per foreign key the generator fills. Keys
/// filled later (cycles, self-references) and nullable references to a
/// table without rows start NULL.
async fn pools(
    client: &Client,
    model: &Database,
    table: &Table,
    step: &Step,
    gen: &TableGen,
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
        let keys = crate::seed::keys::pool(client, model, parent, &slot.pool_columns())
            .await
            .map_err(|e| e.to_string())?;
        if keys.is_empty() {
            if not_null(table, fk) {
                return Err(format!("{} has no rows to reference", slot.ref_table));
            }
            out.push(Pool::Deferred);
            continue;
        }
        out.push(Pool::Keys(keys));
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

/// `INSERT INTO t (cols) VALUES (…), (…)` with every value a text literal.
fn insert_sql(table: &Table, gen: &TableGen, rows: &[Vec<Value>]) -> String {
    let cols: Vec<String> = gen.columns.iter().map(|c| quote_ident(c)).collect();
    let values: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().map(literal).collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    if cols.is_empty() {
        // Every column is filled by the database.
        return (0..rows.len())
            .map(|_| format!("INSERT INTO {} DEFAULT VALUES;", table.name.quoted()))
            .collect();
    }
    format!(
        "INSERT INTO {} ({}) VALUES {};",
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

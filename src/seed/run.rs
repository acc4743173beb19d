//! A seed run: pick the profile's tables, order them (parents first,
//! cycles broken), empty them (`--force`) or refuse when they have rows,
//! then for each table read its parents' keys back, generate its rows in
//! parallel batches and stream them through one COPY; finally fill the
//! foreign keys that were loaded as NULL (cycles, self-references).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_postgres::Client;

use super::order::{load_order, Step};
use super::table::{Inputs, Pool, TableGen};
use super::unique::{check_capacity, UniqueState};
use super::{constraints, fill, keys, limits, FanOut, Profile, SeedError, Size, TableProfile};
use crate::copy::{self, CopyError, CopyTarget, Feed};
use crate::model::{Database, ForeignKey, QualifiedName, Table};
use crate::progress::Task;
use crate::{Error, Result};

#[derive(Debug, Clone)]
pub struct SeedOptions {
    /// `--tables`: seed only these (their parents must have rows or be listed).
    pub tables: Option<Vec<String>>,
    /// Empty the tables first (`TRUNCATE … RESTART IDENTITY CASCADE`).
    pub force: bool,
    /// Multiply `rows:` counts (fan-outs follow their parents).
    pub scale: f64,
    /// Generator threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// Rows per COPY batch: bounds memory, never changes the data.
    pub batch_rows: u64,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            tables: None,
            force: false,
            scale: 1.0,
            jobs: None,
            batch_rows: 10_000,
        }
    }
}

impl SeedOptions {
    /// Refuse flags outside their documented range (see [`super::limits`]):
    /// a NaN or negative `--scale`, a batch or thread count that would
    /// exhaust memory.
    pub fn check(&self) -> Result<()> {
        if !self.scale.is_finite() || self.scale < 0.0 {
            return Err(Error::Config(format!(
                "--scale must be a finite number ≥ 0, found {}",
                self.scale
            )));
        }
        if !(1..=limits::MAX_BATCH_ROWS).contains(&self.batch_rows) {
            return Err(Error::Config(format!(
                "--batch-size must be between 1 and {} rows, found {}",
                limits::MAX_BATCH_ROWS,
                self.batch_rows
            )));
        }
        if let Some(j) = self.jobs {
            if !(1..=limits::MAX_JOBS).contains(&j) {
                return Err(Error::Config(format!(
                    "--jobs must be between 1 and {}, found {j}",
                    limits::MAX_JOBS
                )));
            }
        }
        Ok(())
    }
}

/// What was loaded into one table.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub table: QualifiedName,
    pub rows: u64,
    pub elapsed: Duration,
}

/// The tables to seed, in load order.
pub fn plan<'p>(
    db: &Database,
    profile: &'p Profile,
    only: Option<&[String]>,
) -> Result<Vec<(Step, &'p TableProfile)>> {
    let chosen: Vec<&TableProfile> = match only {
        None => profile.tables.iter().collect(),
        Some(names) => names
            .iter()
            .map(|n| find(profile, n))
            .collect::<Result<_>>()?,
    };
    let names: Vec<QualifiedName> = chosen.iter().map(|t| t.table.clone()).collect();
    let steps = load_order(db, &names).map_err(|e| Error::Config(e.to_string()))?;
    steps
        .into_iter()
        .map(|s| {
            let tp = profile
                .table(&s.table)
                .expect("ordered tables come from the profile");
            refuse_not_null_self_refs(db, &s)?;
            Ok((s, tp))
        })
        .collect()
}

fn find<'p>(profile: &'p Profile, name: &str) -> Result<&'p TableProfile> {
    profile
        .tables
        .iter()
        .find(|t| {
            t.table.unescaped() == name || format!("{}.{}", t.table.schema, t.table.name) == name
        })
        .ok_or_else(|| {
            if let Some(why) = name.split('.').find_map(crate::pg::ident::too_long) {
                return Error::Config(format!("--tables: {why}"));
            }
            let known: Vec<String> = profile.tables.iter().map(|t| t.table.to_string()).collect();
            Error::Config(format!(
                "--tables: {name} is not in profile {} (it has: {})",
                profile.file.display(),
                known.join(", ")
            ))
        })
}

/// Self-references are filled after loading, so their columns start NULL.
fn refuse_not_null_self_refs(db: &Database, s: &Step) -> Result<()> {
    let t = &db.tables[&s.table];
    for fk in &s.self_refs {
        if fk
            .columns
            .iter()
            .any(|c| t.column(c).is_some_and(|c| c.not_null))
        {
            return Err(Error::Config(format!(
                "{}({}) references {} itself and is NOT NULL: strata loads such rows first and then points each at an earlier row, which needs the column nullable",
                s.table,
                fk.columns.join(", "),
                s.table
            )));
        }
    }
    Ok(())
}

/// Seed the planned tables through `client`, in one transaction: a
/// failure (or a kill) leaves the database as it was, `--force`'s
/// TRUNCATE included.
pub async fn seed(
    client: &Client,
    db: &Database,
    planned: &[(Step, &TableProfile)],
    o: &SeedOptions,
) -> Result<Vec<Loaded>> {
    o.check()?;
    let begin = client.batch_execute("BEGIN").await;
    begin.map_err(|source| {
        Error::Db(crate::db::DbError::Query {
            context: "starting the seed transaction".into(),
            source,
        })
    })?;
    match seed_in_transaction(client, db, planned, o).await {
        Ok(loaded) => {
            client.batch_execute("COMMIT").await.map_err(|source| {
                Error::Db(crate::db::DbError::Query {
                    context: "committing the seed".into(),
                    source,
                })
            })?;
            Ok(loaded)
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

async fn seed_in_transaction(
    client: &Client,
    db: &Database,
    planned: &[(Step, &TableProfile)],
    o: &SeedOptions,
) -> Result<Vec<Loaded>> {
    let tables: Vec<QualifiedName> = planned.iter().map(|(s, _)| s.table.clone()).collect();
    // Before anything reads or writes them: the seed's COPY, its key
    // lookups in referenced tables and the "is it empty?" test.
    let lifted =
        crate::copy::rls::lift_in_transaction(client, &with_referenced(db, &tables)).await?;
    if !lifted.names().is_empty() {
        eprintln!(
            "FORCE ROW LEVEL SECURITY lifted inside the seed's transaction (restored before it commits) on {}",
            lifted.names().join(", ")
        );
    }
    prepare(client, db, &tables, o.force).await?;
    // Imported tables keep their constraints: the server checks the CSV's
    // rows as they arrive (generated rows are correct by construction).
    let generated: Vec<QualifiedName> = planned
        .iter()
        .filter(|(_, tp)| !matches!(tp.size, Size::Import(_)))
        .map(|(s, _)| s.table.clone())
        .collect();
    let suspended = constraints::suspend(client, db, &generated).await?;
    let threads = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(o.jobs.unwrap_or(0))
            .build()
            .map_err(|e| {
                Error::Config(format!("cannot start {:?} generator threads: {e}", o.jobs))
            })?,
    );
    let mut out = Vec::new();
    let progress = crate::progress::rows("seed", None);
    let mut totals = Totals::new(client, planned, o, &progress).await;
    for (i, (step, tp)) in planned.iter().enumerate() {
        let started = Instant::now();
        progress.set_stage(step.table.to_string());
        if let Size::Import(spec) = &tp.size {
            let rows = import_table(client, &step.table, spec, o, &progress).await?;
            out.push(Loaded {
                table: step.table.clone(),
                rows,
                elapsed: started.elapsed(),
            });
            continue;
        }
        let table = &db.tables[&step.table];
        let (pools, fan) = inputs_for(client, db, table, tp, step, &progress).await?;
        let rows = match (&tp.size, &fan) {
            (_, Some(f)) => f.total(),
            (Size::Rows(n), None) => scaled_rows(&step.table, *n, o.scale)?,
            (Size::PerParent { .. } | Size::Import(_), None) => 0,
        };
        check_capacity(&tp.gen, rows, &pools)?;
        super::unique::check_limits(&tp.gen, rows).map_err(Error::Config)?;
        check_deferred_rows(step, table, &tp.gen, rows)?;
        totals.starting(i, rows, &progress);
        let job = (tp.gen.clone(), rows, pools, fan);
        let n = load_table(client, job, o, threads.clone(), &progress).await?;
        out.push(Loaded {
            table: step.table.clone(),
            rows: n,
            elapsed: started.elapsed(),
        });
    }
    progress.finish();
    for (step, tp) in planned {
        fill_deferred(client, db, step, &tp.gen).await?;
    }
    if let Some(s) = suspended {
        let t0 = Instant::now();
        constraints::restore(client, s).await?;
        eprintln!(
            "foreign keys restored and validated in {:.2} s",
            t0.elapsed().as_secs_f64()
        );
    }
    crate::copy::rls::restore(client, lifted).await?;
    Ok(out)
}

/// The seed's row total for its progress report: each table's planned
/// count (as `--dry-run` counts them), replaced by the real count when
/// the table starts. Unknown when a table is imported from CSV (its
/// rows are known once read, and tables fanned out over it follow them).
struct Totals {
    planned: Option<Vec<u64>>,
}

impl Totals {
    async fn new(
        client: &Client,
        planned: &[(Step, &TableProfile)],
        o: &SeedOptions,
        progress: &Task,
    ) -> Totals {
        let imports = planned
            .iter()
            .any(|(_, tp)| matches!(tp.size, Size::Import(_)));
        if !progress.is_active() || imports {
            return Totals { planned: None };
        }
        // In a savepoint: counting a parent outside the run must not
        // abort the seed's transaction if it fails; the report then
        // goes without a total.
        let counts = match client.batch_execute("SAVEPOINT strata_progress").await {
            Ok(()) => planned_rows(client, planned, o.scale).await,
            Err(e) => Err(Error::Config(e.to_string())),
        };
        let end = match counts {
            Ok(_) => "RELEASE SAVEPOINT strata_progress",
            Err(_) => "ROLLBACK TO SAVEPOINT strata_progress",
        };
        let _ = client.batch_execute(end).await;
        let Ok(counts) = counts else {
            return Totals { planned: None };
        };
        let rows: Vec<u64> = planned
            .iter()
            .map(|(s, _)| counts.get(&s.table).copied().unwrap_or(0))
            .collect();
        progress.set_total(Some(rows.iter().fold(0, |a, n| a.saturating_add(*n))));
        Totals {
            planned: Some(rows),
        }
    }

    /// Table `i` starts with `rows` rows: rows done so far, these, and
    /// the planned rows of the tables after it.
    fn starting(&mut self, i: usize, rows: u64, progress: &Task) {
        let Some(planned) = &mut self.planned else {
            return;
        };
        planned[i] = rows;
        let rest = planned[i..].iter().fold(0u64, |a, n| a.saturating_add(*n));
        progress.set_total(Some(progress.done().saturating_add(rest)));
    }
}

/// `tables` and the tables their foreign keys reference (the seed reads
/// keys from them).
fn with_referenced(db: &Database, tables: &[QualifiedName]) -> Vec<QualifiedName> {
    let mut out: Vec<QualifiedName> = tables.to_vec();
    for t in tables.iter().filter_map(|t| db.tables.get(t)) {
        out.extend(t.foreign_keys.iter().map(|fk| fk.ref_table.clone()));
    }
    out.sort();
    out.dedup();
    out
}

/// A table whose rows come from CSV (`import:`), inside the seed's
/// transaction. Rejected records go to the rejects file next to the CSV
/// and are reported, not fatal; a row the server refuses aborts the seed.
async fn import_table(
    client: &Client,
    table: &QualifiedName,
    spec: &crate::import::spec::ImportSpec,
    o: &SeedOptions,
    progress: &Task,
) -> Result<u64> {
    let file = spec.file.clone().unwrap_or_default();
    let mut io = spec.options(table.clone(), &file);
    io.batch_rows = spec.batch_size.unwrap_or(o.batch_rows as usize);
    // A regular file only: a FIFO named by a profile would wait for a
    // writer, /dev/zero would be read forever. Then read as `strata
    // import` reads it (gzip recognised; the rejects file can never be it).
    crate::files::open_regular(&file, u64::MAX)
        .map_err(|e| Error::io(format!("opening {}", file.display()), e))?;
    let input = crate::import::input::Input::open(&file)
        .map_err(|e| Error::io(format!("opening {}", file.display()), e))?;
    let s = crate::import::inline::import_in_transaction(client, input, &io, progress)
        .await
        .map_err(|e| match e {
            crate::import::ImportError::Mapping(m) => Error::Config(m),
            crate::import::ImportError::Spec(issues) => {
                Error::Spec(crate::spec::SpecError::Invalid(issues))
            }
            other => Error::Import(other),
        })?;
    progress.suspend(|| {
        eprintln!(
            "{table}: imported from {}: read {}, loaded {}, rejected {}{}",
            tidy(&file).display(),
            s.read,
            s.loaded,
            s.rejected,
            s.rejects
                .map(|p| format!(" (rejected rows in {})", tidy(&p).display()))
                .unwrap_or_default()
        );
        for a in &s.sequences {
            eprintln!("{table}: sequence {} advanced to {}", a.sequence, a.value);
        }
    });
    Ok(s.loaded)
}

/// `seeds/../fixtures/x.csv` as `fixtures/x.csv` (paths relative to the
/// profile read better without the detour; no file system access, so a
/// symlinked directory is taken at its word).
fn tidy(p: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub fn scaled(n: u64, scale: f64) -> u64 {
    (n as f64 * scale).round() as u64
}

/// `rows × --scale`, refused above [`limits::MAX_ROWS`] (the float product
/// is compared before it is turned into a count, so nothing saturates or
/// wraps silently).
pub fn scaled_rows(table: &QualifiedName, n: u64, scale: f64) -> Result<u64> {
    let rows = (n as f64 * scale).round();
    if !rows.is_finite() || rows < 0.0 || rows > limits::MAX_ROWS as f64 {
        return Err(Error::Config(format!(
            "{table}: {n} rows × --scale {scale} is more than the {} rows a table may get",
            limits::MAX_ROWS
        )));
    }
    Ok(rows as u64)
}

/// A fan-out over `parents` rows, refused when its total passes
/// [`limits::MAX_ROWS`] (each parent's count is within it alone; their sum
/// is what can overflow).
pub fn fan_out(
    table: &QualifiedName,
    key: u64,
    parents: usize,
    min: u64,
    max: u64,
) -> Result<FanOut> {
    let too_many = |what: String| {
        Error::Config(format!(
            "{table}: {what} is more than the {} rows a table may get",
            limits::MAX_ROWS
        ))
    };
    // Decided before drawing: the offsets take 8 bytes a parent.
    if parents as u64 > limits::MAX_PARENT_KEYS {
        return Err(Error::Config(format!(
            "{table}: fanning out over {parents} parent rows is more than the {} strata holds in memory",
            limits::MAX_PARENT_KEYS
        )));
    }
    let fan = FanOut::assign(key, parents, min, max);
    if fan.total() > limits::MAX_ROWS {
        return Err(too_many(format!(
            "{parents} parents × {min}..{max} children each"
        )));
    }
    Ok(fan)
}

/// A table with foreign keys filled after loading (cycles,
/// self-references) is updated in one statement over all its rows, which
/// holds every row's identity in memory: refused above
/// [`limits::MAX_PARENT_KEYS`] rows, before anything is generated.
fn check_deferred_rows(step: &Step, table: &Table, gen: &TableGen, rows: u64) -> Result<()> {
    let deferred = gen
        .fks
        .iter()
        .any(|s| is_deferred(step, &table.foreign_keys[s.fk_index]));
    if deferred && rows > limits::MAX_PARENT_KEYS {
        return Err(Error::Config(format!(
            "{}: {rows} rows with a foreign key filled after loading (a cycle or self-reference) is more than the {} rows strata can fill in one update; seed fewer rows",
            table.name,
            limits::MAX_PARENT_KEYS
        )));
    }
    Ok(())
}

/// Refuse tables that have rows, or (`--force`) empty them in one statement.
async fn prepare(
    client: &Client,
    db: &Database,
    tables: &[QualifiedName],
    force: bool,
) -> Result<()> {
    let list: Vec<String> = tables.iter().map(QualifiedName::quoted).collect();
    if force {
        let also = cascaded(db, tables);
        if !also.is_empty() {
            eprintln!(
                "warning: TRUNCATE … CASCADE also empties {} (they reference seeded tables)",
                also.join(", ")
            );
        }
        let sql = format!("TRUNCATE {} RESTART IDENTITY CASCADE", list.join(", "));
        return client.batch_execute(&sql).await.map_err(|source| {
            Error::Db(crate::db::DbError::Query {
                context: "emptying the tables (--force)".into(),
                source,
            })
        });
    }
    let mut full = Vec::new();
    for t in tables {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", t.quoted());
        let has: bool = client
            .query_one(&sql, &[])
            .await
            .map_err(|source| {
                Error::Db(crate::db::DbError::Query {
                    context: format!("checking whether {t} is empty"),
                    source,
                })
            })?
            .get(0);
        if has {
            full.push(t.to_string());
        }
    }
    if full.is_empty() {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "refusing to seed tables that already have rows: {}\n  pass --force to empty them first (TRUNCATE … RESTART IDENTITY CASCADE), or --tables to seed others",
            full.join(", ")
        )))
    }
}

/// Tables outside `tables` that a CASCADE truncation empties too.
fn cascaded(db: &Database, tables: &[QualifiedName]) -> Vec<String> {
    let mut hit: BTreeSet<QualifiedName> = tables.iter().cloned().collect();
    loop {
        let more: Vec<QualifiedName> = db
            .tables
            .values()
            .filter(|t| !hit.contains(&t.name))
            .filter(|t| t.foreign_keys.iter().any(|fk| hit.contains(&fk.ref_table)))
            .map(|t| t.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        hit.extend(more);
    }
    hit.into_iter()
        .filter(|t| !tables.contains(t))
        .map(|t| t.to_string())
        .collect()
}

/// Parent key pools (deferred keys get [`Pool::Deferred`]) and the fan-out.
async fn inputs_for(
    client: &Client,
    db: &Database,
    table: &Table,
    tp: &TableProfile,
    step: &Step,
    progress: &Task,
) -> Result<(Vec<Pool>, Option<FanOut>)> {
    let mut pools = Vec::new();
    for slot in &tp.gen.fks {
        let fk = &table.foreign_keys[slot.fk_index];
        if is_deferred(step, fk) {
            if !slot.extra.is_empty() {
                return Err(Error::Config(format!(
                    "{}: from_parent through {}({}) is not possible: that foreign key is filled after loading (a cycle or self-reference)",
                    table.name,
                    table.name,
                    fk.columns.join(", ")
                )));
            }
            pools.push(Pool::Deferred);
            continue;
        }
        let parent = db
            .tables
            .get(&slot.ref_table)
            .ok_or_else(|| Error::Config(format!("{} is not in the database", slot.ref_table)))?;
        let keys = keys::pool(client, db, parent, &slot.pool_columns()).await?;
        let outside = step.external.iter().any(|e| e.columns == fk.columns);
        if keys.is_empty() && outside && slot.per_parent {
            return Err(Error::Config(format!(
                "{} is seeded per row of {}, which has no rows and is not in this run: seed {} first (or include it in --tables)",
                table.name, slot.ref_table, slot.ref_table
            )));
        }
        if keys.is_empty() && outside && !slot.per_parent && nullable(table, &fk.columns) {
            // A nullable reference to a table nobody seeds and that has no
            // rows: NULL is the only value that holds.
            progress.suspend(|| {
                eprintln!(
                    "warning: {}({}) left NULL: {} has no rows and is not in this run",
                    table.name,
                    crate::escape::line(&fk.columns.join(", ")),
                    slot.ref_table
                )
            });
            pools.push(Pool::Deferred);
            continue;
        }
        pools.push(Pool::Keys(keys));
    }
    let fan = match &tp.size {
        Size::PerParent { slot, min, max, .. } => {
            let parents = match &pools[*slot] {
                Pool::Keys(k) => k.len(),
                Pool::Deferred => 0,
            };
            Some(fan_out(
                &table.name,
                tp.gen.fan_out_key,
                parents,
                *min,
                *max,
            )?)
        }
        Size::Rows(_) | Size::Import(_) => None,
    };
    Ok((pools, fan))
}

fn nullable(table: &Table, columns: &[String]) -> bool {
    columns
        .iter()
        .all(|c| table.column(c).is_some_and(|c| !c.not_null))
}

fn is_deferred(step: &Step, fk: &ForeignKey) -> bool {
    step.deferred
        .iter()
        .chain(&step.self_refs)
        .any(|d| d.columns == fk.columns && d.ref_table == fk.ref_table)
}

/// Generate `rows` rows on the rayon pool, batch by batch, and stream them
/// through one COPY. Returns the rows the server loaded.
async fn load_table(
    client: &Client,
    (gen, rows, pools, fan): (TableGen, u64, Vec<Pool>, Option<FanOut>),
    o: &SeedOptions,
    threads: Arc<rayon::ThreadPool>,
    progress: &Task,
) -> Result<u64> {
    let info = copy::table_info(client, &gen.table).await?;
    let names: Vec<&str> = gen.columns.iter().map(String::as_str).collect();
    let target = Arc::new(CopyTarget::new(&info, &names)?);
    let (tx, rx) = mpsc::channel(2);
    let rows_per_batch = batch_rows(&gen, o.batch_rows);
    let job = Producer {
        gen,
        pools,
        fan,
        target: target.clone(),
        batch_rows: rows_per_batch,
        progress: progress.clone(),
    };
    let producer = tokio::task::spawn_blocking(move || threads.install(|| job.run(rows, &tx)));
    let loaded = copy::load_stream(client, &target, rx).await;
    let produced = producer
        .await
        .map_err(|e| Error::Config(format!("the row generator stopped: {e}")))?;
    // A generator error explains the aborted COPY better than the COPY does.
    produced?;
    loaded.map_err(no_partition_hint)
}

/// A row no partition takes: the generators cannot know the partitions'
/// bounds, so say what the user can do about it.
fn no_partition_hint(e: CopyError) -> Error {
    let text = e.to_string();
    if !text.contains("no partition of relation") {
        return e.into();
    }
    Error::Refused(format!(
        "{text}
  hint: seeding a partitioned table routes each row by its partition key, and the          generators know nothing of the partitions' bounds: give the key column a generator whose          values fall inside them (e.g. one_of, or a range), or add a DEFAULT partition"
    ))
}

/// Rows per batch for a table: `--batch-size`, fewer when the table's
/// rows can be wide, so that a batch stays near [`limits::BATCH_BYTES`]
/// (estimated from the generators' maxima). Never changes the data.
fn batch_rows(gen: &TableGen, requested: u64) -> u64 {
    let width = gen.max_row_bytes().max(1);
    requested.min(limits::BATCH_BYTES / width).max(1)
}

/// The blocking side of a table load: generate, settle uniqueness, encode.
struct Producer {
    gen: TableGen,
    pools: Vec<Pool>,
    fan: Option<FanOut>,
    target: Arc<CopyTarget>,
    batch_rows: u64,
    /// Counts rows as they are handed to the COPY (at most two batches
    /// ahead of the server).
    progress: Task,
}

/// Rows per parallel generation chunk: small enough to spread over the
/// threads, large enough to amortise the task overhead. Not part of the
/// data: any chunk size gives the same rows.
const CHUNK: u64 = 512;

impl Producer {
    fn run(self, rows: u64, tx: &mpsc::Sender<Feed>) -> std::result::Result<(), SeedError> {
        let inputs = Inputs {
            pools: &self.pools,
            fan_out: self.fan.as_ref(),
        };
        let mut unique = UniqueState::new(&self.gen);
        let mut start = 0;
        while start < rows {
            let end = start.saturating_add(self.batch_rows).min(rows);
            let mut batch_rows = self.gen.generate_par(start..end, CHUNK, &inputs)?;
            unique.resolve(&self.gen, start, &mut batch_rows, &inputs)?;
            let mut batch = self.target.batch();
            for (i, row) in batch_rows.iter().enumerate() {
                if let Err(source) = batch.push_row(&self.target, row) {
                    let err = CopyError::Row {
                        row: start + i as u64 + 1,
                        source,
                    };
                    let _ = tx.blocking_send(Feed::Abort(err));
                    return Ok(());
                }
            }
            if tx.blocking_send(Feed::Batch(batch)).is_err() {
                return Ok(()); // the COPY failed; its error is reported
            }
            self.progress.inc(end - start);
            start = end;
        }
        let _ = tx.blocking_send(Feed::End);
        Ok(())
    }
}

/// UPDATE the foreign keys this table was loaded without.
async fn fill_deferred(client: &Client, db: &Database, step: &Step, gen: &TableGen) -> Result<()> {
    let table = &db.tables[&step.table];
    for (slot, s) in gen.fks.iter().enumerate() {
        let fk = &table.foreign_keys[s.fk_index];
        if is_deferred(step, fk) {
            let n = fill::fill(client, db, table, gen, slot).await?;
            eprintln!(
                "filled {}({}) on {n} rows",
                step.table,
                crate::escape::line(&fk.columns.join(", "))
            );
        }
    }
    Ok(())
}

/// Planned row counts for `--dry-run` (parents outside the run are counted).
pub async fn planned_rows(
    client: &Client,
    planned: &[(Step, &TableProfile)],
    scale: f64,
) -> Result<HashMap<QualifiedName, u64>> {
    let mut counts: HashMap<QualifiedName, u64> = HashMap::new();
    for (step, tp) in planned {
        let n = match &tp.size {
            Size::Rows(n) => scaled_rows(&step.table, *n, scale)?,
            Size::PerParent {
                parent, min, max, ..
            } => {
                let parents = match counts.get(parent) {
                    Some(n) => *n,
                    None => count(client, parent).await?,
                };
                let parents = usize::try_from(parents).unwrap_or(usize::MAX);
                fan_out(&step.table, tp.gen.fan_out_key, parents, *min, *max)?.total()
            }
            // Unknown before the file is read; the import reports its counts.
            Size::Import(_) => 0,
        };
        counts.insert(step.table.clone(), n);
    }
    Ok(counts)
}

async fn count(client: &Client, t: &QualifiedName) -> Result<u64> {
    let n: i64 = client
        .query_one(&format!("SELECT count(*) FROM {}", t.quoted()), &[])
        .await
        .map_err(|source| {
            Error::Db(crate::db::DbError::Query {
                context: format!("counting {t}"),
                source,
            })
        })?
        .get(0);
    Ok(n as u64)
}

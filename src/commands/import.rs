//! `strata import TABLE FILE`: load a CSV file (`-` for stdin; gzip-compressed
//! input is recognised by its magic bytes) into a
//! table, validated row by row; rejected rows go to a rejects file as
//! their original bytes. Exit 0 whenever the import ran to the end, with
//! or without rejects (they are reported and kept); 1 when it stopped
//! (`--max-rejects` exceeded, a database or I/O error); 4 (invalid input)
//! for a mapping error or a `--resume` id whose stored input identity
//! differs from this input's.

use std::path::{Path, PathBuf};

use super::Settings;
use crate::import::input::Input;
use crate::import::spec::{self, ImportSpec};
use crate::import::{self, ImportOptions, Summary};
use crate::model::QualifiedName;
use crate::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct ImportCommand {
    /// Target table: `table` (schema public) or `schema.table` [default: `table:` of the spec].
    pub table: Option<String>,
    /// CSV file, or `-` for stdin [default: `file:` of the spec].
    pub file: Option<PathBuf>,
    /// Import spec (YAML: format, per-column rules; docs/import-format.md). Flags override its keys. `--config FILE` means the same for import when --spec is not given.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Rename a CSV column: csv_col=table_col; csv_col=- skips it. Repeatable.
    #[arg(long = "map", value_name = "CSV=TABLE")]
    pub maps: Vec<String>,
    /// Rejects file [default: FILE.rejects.csv, or rejects.csv for stdin]; reasons go to PATH.errors.csv.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Rows per COPY batch (each commits on its own unless --single-transaction) [default: 10000; 1 to 1000000].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::import::spec::MAX_BATCH as u64))]
    pub batch_size: Option<u64>,
    /// Load batches over N connections at once [default: 1] (each batch its own transaction). Forced to 1 with --single-transaction, --dry-run, or a table with a foreign key to itself. With N > 1, which of two duplicate rows in different batches is rejected depends on commit order.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=crate::import::spec::MAX_JOBS as u64))]
    pub jobs: Option<u64>,
    /// Record each committed batch under ID (table public.strata_import_progress); re-running with the same ID continues after the last committed batch, or reports an import that finished. Exit 4 if the input is not the one ID started with.
    #[arg(long, value_name = "ID", conflicts_with_all = ["single_transaction", "dry_run"])]
    pub resume: Option<String>,
    /// A record (row) longer than this is rejected without being read into memory: listed in PATH.errors.csv with its place in the input, its bytes not copied to the rejects file [default: 67108864 = 64 MiB; at most 1 GiB].
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..=crate::import::reader::MAX_MAX_RECORD as u64))]
    pub max_record_bytes: Option<u64>,
    /// Stop once more than N rows are rejected (exit 1).
    #[arg(long, value_name = "N")]
    pub max_rejects: Option<u64>,
    /// Validate everything (the server's unique and foreign-key checks too, in a transaction rolled back); write the rejects, load nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// All or nothing: one transaction for the whole import.
    #[arg(long)]
    pub single_transaction: bool,
    /// Field delimiter [default: ,].
    #[arg(long)]
    pub delimiter: Option<char>,
    /// Quote character [default: "].
    #[arg(long)]
    pub quote: Option<char>,
    /// Escape character inside quotes [default: the quote, i.e. "" for a quote].
    #[arg(long)]
    pub escape: Option<char>,
    /// Input encoding: utf-8 (a BOM is skipped) or latin1 (= windows-1252) [default: utf-8].
    #[arg(long)]
    pub encoding: Option<String>,
    /// The first line is data: fields map by position to the table's columns.
    #[arg(long)]
    pub no_header: bool,
}

pub async fn run(s: &Settings, c: &ImportCommand) -> Result<Summary> {
    let spec = match &c.spec {
        Some(path) => Some(spec::load(path).map_err(spec_err)?),
        None => None,
    };
    let spec = spec.unwrap_or_default();
    let file = match (&c.file, &spec.file) {
        (Some(f), _) => f.clone(),
        (None, Some(f)) => f.clone(),
        (None, None) => {
            return Err(Error::Config(
                "no input: give FILE (or `-` for stdin), or `file:` in the import spec".into(),
            ))
        }
    };
    let mut o = options(c, &spec, &file)?;
    let input =
        Input::open(&file).map_err(|e| Error::io(format!("opening {}", file.display()), e))?;
    let target = s.target()?;
    let mut client = target.connect().await?;
    o.database = Some(target);
    let t0 = std::time::Instant::now();
    let summary = import::import(&mut client, input, &o).await.map_err(into)?;
    let secs = t0.elapsed().as_secs_f64();
    let loaded = if o.dry_run { "would load" } else { "loaded" };
    if summary.already_complete {
        eprint!("already complete: ");
    }
    eprintln!(
        "read {}, {loaded} {}, rejected {} ({secs:.2} s){}",
        summary.read,
        summary.loaded,
        summary.rejected,
        if o.dry_run {
            " — dry run: nothing was written to the database"
        } else {
            ""
        }
    );
    if let Some(p) = &summary.rejects {
        let errors = format!("{}.errors.csv", p.display());
        eprintln!("rejected rows: {} (reasons: {errors})", p.display());
    }
    for a in &summary.sequences {
        eprintln!(
            "sequence {} advanced to {} (past the imported values)",
            a.sequence, a.value
        );
    }
    Ok(summary)
}

fn spec_err(issues: Vec<crate::spec::SpecIssue>) -> Error {
    Error::Spec(crate::spec::SpecError::Invalid(issues))
}

fn into(e: import::ImportError) -> Error {
    match e {
        import::ImportError::Mapping(m) | import::ImportError::Resume(m) => Error::Config(m),
        import::ImportError::Spec(issues) => spec_err(issues),
        other => Error::Import(other),
    }
}

/// Flags beat the spec beat the defaults.
fn options(c: &ImportCommand, spec: &ImportSpec, file: &Path) -> Result<ImportOptions> {
    let mut o = spec.options(table_name(&target_table(c, spec)?), file);
    o.renames = c
        .maps
        .iter()
        .map(|m| import::mapping::parse_rename(m).map_err(into))
        .collect::<Result<Vec<_>>>()?;
    if let Some(e) = &c.encoding {
        o.dialect.encoding = spec::parse_encoding(e).ok_or_else(|| {
            Error::Config(format!("--encoding {e:?}: utf-8, latin1 or windows-1252"))
        })?;
    }
    let d = &mut o.dialect;
    d.delimiter = ascii("--delimiter", c.delimiter)?.unwrap_or(d.delimiter);
    d.quote = ascii("--quote", c.quote)?.unwrap_or(d.quote);
    d.escape = ascii("--escape", c.escape)?.or(d.escape);
    if let Some(r) = &c.rejects {
        o.rejects = r.clone();
    }
    o.batch_rows = c.batch_size.map_or(o.batch_rows, |b| b as usize).max(1);
    o.max_rejects = c.max_rejects.or(o.max_rejects);
    if let Some(n) = c.max_record_bytes {
        o.max_record_bytes = n as usize;
    }
    o.dry_run |= c.dry_run;
    o.single_transaction |= c.single_transaction;
    o.header &= !c.no_header;
    o.jobs = c.jobs.map_or(o.jobs, |j| j as usize).max(1);
    o.resume = c.resume.clone().or(o.resume);
    if o.resume.is_some() && (o.dry_run || o.single_transaction) {
        return Err(Error::Config(
            "--resume cannot be combined with --dry-run or --single-transaction (also from the spec)".into(),
        ));
    }
    Ok(o)
}

/// TABLE, or the spec's `table:`; both given and different is an error.
fn target_table(c: &ImportCommand, spec: &ImportSpec) -> Result<String> {
    match (&c.table, &spec.table) {
        (Some(t), Some((s, at))) if table_name(t) != table_name(s) => {
            Err(spec_err(vec![crate::spec::SpecIssue {
                file: spec.path.clone(),
                line: at.line,
                column: at.column,
                message: format!("table: {s}, but the command line says {t}"),
            }]))
        }
        (Some(t), _) => {
            if let Some(why) = long_part(t) {
                return Err(Error::Config(format!("TABLE {why}")));
            }
            Ok(t.clone())
        }
        (None, Some((s, at))) => {
            if let Some(why) = long_part(s) {
                return Err(spec_err(vec![crate::spec::SpecIssue {
                    file: spec.path.clone(),
                    line: at.line,
                    column: at.column,
                    message: format!("table: {why}"),
                }]));
            }
            Ok(s.clone())
        }
        (None, None) => Err(Error::Config(
            "no table: give TABLE, or `table:` in the import spec".into(),
        )),
    }
}

fn ascii(flag: &str, c: Option<char>) -> Result<Option<u8>> {
    match c {
        Some(ch) if !ch.is_ascii() => Err(Error::Config(format!(
            "{flag} {ch:?}: must be one ASCII character"
        ))),
        Some(ch) => Ok(Some(ch as u8)),
        None => Ok(None),
    }
}

/// Why a part of `schema.table` can name no table, if it cannot.
fn long_part(t: &str) -> Option<String> {
    let q = table_name(t);
    crate::pg::ident::too_long(&q.schema).or_else(|| crate::pg::ident::too_long(&q.name))
}

/// `schema.table`, or `table` in `public` (strata's dotted syntax, so
/// `"a.b"` is one name); anything else is taken as one table name.
fn table_name(t: &str) -> QualifiedName {
    match crate::pg::ident::split_table_name(t, "public") {
        Some((schema, name)) => QualifiedName::new(schema, name),
        None => QualifiedName::new("public", t),
    }
}

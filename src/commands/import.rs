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
use crate::import::reader::Dialect;
use crate::import::{self, ImportOptions, Summary};
use crate::model::QualifiedName;
use crate::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct ImportCommand {
    /// Target table: `table` (schema public) or `schema.table`.
    pub table: String,
    /// CSV file, or `-` for stdin.
    pub file: PathBuf,
    /// Rename a CSV column: csv_col=table_col; csv_col=- skips it. Repeatable.
    #[arg(long = "map", value_name = "CSV=TABLE")]
    pub maps: Vec<String>,
    /// Rejects file [default: FILE.rejects.csv, or rejects.csv for stdin]; reasons go to PATH.errors.csv.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Rows per COPY batch (each batch one transaction unless --single-transaction).
    #[arg(long, default_value_t = 5000)]
    pub batch_size: usize,
    /// Load batches over N connections at once (each batch its own transaction). Forced to 1 with --single-transaction, --dry-run, or a table with a foreign key to itself. With N > 1, which of two duplicate rows in different batches is rejected depends on commit order.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub jobs: usize,
    /// Record each committed batch under ID (table public.strata_import_progress); re-running with the same ID continues after the last committed batch, or reports an import that finished. Exit 4 if the input is not the one ID started with.
    #[arg(long, value_name = "ID", conflicts_with_all = ["single_transaction", "dry_run"])]
    pub resume: Option<String>,
    /// Stop once more than N rows are rejected (exit 1).
    #[arg(long, value_name = "N")]
    pub max_rejects: Option<u64>,
    /// Validate everything (the server's unique and foreign-key checks too, in a transaction rolled back); write the rejects, load nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// All or nothing: one transaction for the whole import.
    #[arg(long)]
    pub single_transaction: bool,
    /// Field delimiter.
    #[arg(long, default_value_t = ',')]
    pub delimiter: char,
    /// The first line is data: fields map by position to the table's columns.
    #[arg(long)]
    pub no_header: bool,
}

pub async fn run(s: &Settings, c: &ImportCommand) -> Result<Summary> {
    let mut o = options(c)?;
    let input =
        Input::open(&c.file).map_err(|e| Error::io(format!("opening {}", c.file.display()), e))?;
    let target = s.target()?;
    let mut client = target.connect().await?;
    o.database = Some(target);
    let t0 = std::time::Instant::now();
    let summary = import::import(&mut client, input, &o).await.map_err(into)?;
    let secs = t0.elapsed().as_secs_f64();
    let loaded = if c.dry_run { "would load" } else { "loaded" };
    if summary.already_complete {
        eprint!("already complete: ");
    }
    eprintln!(
        "read {}, {loaded} {}, rejected {} ({secs:.2} s){}",
        summary.read,
        summary.loaded,
        summary.rejected,
        if c.dry_run {
            " — dry run: nothing was written to the database"
        } else {
            ""
        }
    );
    if let Some(p) = &summary.rejects {
        let errors = format!("{}.errors.csv", p.display());
        eprintln!("rejected rows: {} (reasons: {errors})", p.display());
    }
    Ok(summary)
}

fn into(e: import::ImportError) -> Error {
    match e {
        import::ImportError::Mapping(m) | import::ImportError::Resume(m) => Error::Config(m),
        other => Error::Import(other),
    }
}

fn options(c: &ImportCommand) -> Result<ImportOptions> {
    let renames = c
        .maps
        .iter()
        .map(|m| import::mapping::parse_rename(m).map_err(into))
        .collect::<Result<Vec<_>>>()?;
    if !c.delimiter.is_ascii() {
        return Err(Error::Config(format!(
            "--delimiter {:?}: must be one ASCII character",
            c.delimiter
        )));
    }
    Ok(ImportOptions {
        table: table_name(&c.table),
        renames,
        rejects: c
            .rejects
            .clone()
            .unwrap_or_else(|| default_rejects(&c.file)),
        batch_rows: c.batch_size.max(1),
        max_rejects: c.max_rejects,
        dry_run: c.dry_run,
        single_transaction: c.single_transaction,
        header: !c.no_header,
        dialect: Dialect {
            delimiter: c.delimiter as u8,
            ..Dialect::default()
        },
        jobs: c.jobs.max(1),
        database: None, // set once connected
        resume: c.resume.clone(),
    })
}

/// `schema.table`, or `table` in `public`.
fn table_name(t: &str) -> QualifiedName {
    match t.split_once('.') {
        Some((schema, name)) => QualifiedName::new(schema, name),
        None => QualifiedName::new("public", t),
    }
}

/// `<FILE>.rejects.csv` next to the input; `rejects.csv` for stdin.
fn default_rejects(file: &Path) -> PathBuf {
    if file == Path::new("-") {
        return PathBuf::from("rejects.csv");
    }
    let mut p = file.as_os_str().to_owned();
    p.push(".rejects.csv");
    PathBuf::from(p)
}

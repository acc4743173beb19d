//! The `strata` binary: parse the command line, resolve settings, run the
//! command, render errors with context and map them to exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use strata::commands::{self, Settings};
use strata::error::exit;
use strata::escape::terminal;

// No `Debug`: it would print --database-url / --dev-url with their passwords.
#[derive(Parser)]
#[command(
    name = "strata",
    version,
    about = "Declarative migrations and seeding for PostgreSQL",
    long_about = "Declarative migrations and seeding for PostgreSQL.\n\nDescribe the schema in YAML under schema/, let strata write reviewable SQL migrations under migrations/, apply them safely.",
    after_help = "Example:\n  strata init && strata generate initial\n\nExit codes: 0 ok, 1 error (or `validate` findings), 2 changes pending (--exit-code), 3 destructive changes refused, 4 invalid YAML/config (or --strict meeting objects strata does not manage), 5 PostgreSQL binaries missing or embedded server failed, 64 bad command line, 130 interrupted."
)]
struct Cli {
    /// Target database (libpq URL or key=value string). Falls back to
    /// DATABASE_URL, then database_url in strata.yaml; PG* variables fill gaps.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Use this server for scratch (shadow) databases instead of the embedded one.
    #[arg(long, global = true, env = "STRATA_DEV_URL", hide_env_values = true)]
    dev_url: Option<String>,
    /// Project configuration file [default: strata.yaml]. For `import`
    /// without --spec, this names the import spec instead (the project file
    /// is then strata.yaml).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Directory of schema YAML files [default: schema, or schema_dir in strata.yaml].
    #[arg(long, global = true)]
    schema: Option<PathBuf>,
    /// Directory of migration files [default: migrations, or migrations_dir in strata.yaml].
    #[arg(long, global = true)]
    migrations: Option<PathBuf>,
    /// Directory of seed profiles [default: seeds, or seeds_dir in strata.yaml].
    #[arg(long, global = true)]
    seeds: Option<PathBuf>,
    /// Progress of long work (seed, import, statements running for more
    /// than a few seconds) on stderr: a bar, a line every 5 s (for CI
    /// logs), or none; auto = a bar on a terminal, lines otherwise.
    #[arg(
        long,
        global = true,
        value_enum,
        env = "STRATA_PROGRESS",
        default_value = "auto"
    )]
    progress: strata::progress::Mode,
    #[command(subcommand)]
    command: Command,
}

// No `Debug`: `diff --from/--to` may be connection strings.
#[derive(Subcommand)]
enum Command {
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    #[command(
        after_help = "Examples:\n  strata completions bash > ~/.local/share/bash-completion/completions/strata\n  strata completions zsh > \"${fpath[1]}/_strata\"\n  strata completions fish > ~/.config/fish/completions/strata.fish"
    )]
    Completions {
        /// The shell to write completions for.
        shell: clap_complete::Shell,
    },
    /// Scaffold strata.yaml, schema/, seeds/dev.yaml and migrations/ with a small working example.
    #[command(after_help = "Example:\n  strata init && strata generate initial")]
    Init {
        /// Directory to create the project in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write the next migration: replay migrations/ and build schema/ in shadow databases, diff them.
    #[command(
        after_help = "Example:\n  strata generate add_orders   # writes migrations/V7__add_orders.sql\n\nWith `migrations: {versions: timestamp}` in strata.yaml the version is the UTC time (V20240101120000__add_orders.sql).\nNo database of yours is needed: the shadow databases live on an embedded PostgreSQL (or --dev-url).\nObjects schema/*.sql creates that strata does not diff (text search configurations, operators, casts, …) and the migrations lack are carried into the new migration as pg_dump prints them, in an order PostgreSQL accepts; its down file drops them."
    )]
    Generate {
        // Not `{n}` in help text: clap prints it as a line break.
        /// Name of the migration (becomes V{version}__{name}.sql).
        name: String,
        /// Allow drops and data-losing type changes.
        #[arg(long)]
        allow_destructive: bool,
        /// Do not replay the new migration to prove it reaches schema/ (implies --no-data-check).
        #[arg(long)]
        no_verify: bool,
        /// Accept a schema directory that declares nothing (the database should be empty).
        #[arg(long)]
        allow_empty: bool,
        /// Do not fill the replayed migrations with sample rows to prove the new migration keeps every row and value it does not mean to drop.
        #[arg(long)]
        no_data_check: bool,
        /// Fail (exit 4) listing every object strata does not manage, instead of warning; also `strict: true` in strata.yaml.
        #[arg(long)]
        strict: bool,
    },
    /// Write an empty, correctly numbered migration and its down file, for SQL written by hand (data fixes).
    #[command(
        after_help = "Example:\n  strata new backfill_emails   # writes migrations/V8__backfill_emails.sql and its down file\n\nNumbered like `generate` (by UTC time with `migrations: {versions: timestamp}` in strata.yaml); never overwrites a file. Write the SQL and its undoing in the down file, then run `strata rehash`. Until its `-- strata:destructive:` line is deleted, the down file is refused by rollback without --allow-destructive."
    )]
    New {
        /// Name of the migration (becomes V{version}__{name}.sql; other characters than letters and digits become `_`).
        name: String,
    },
    /// Print the SQL that would bring the target database to schema/.
    #[command(
        after_help = "Example:\n  strata plan --database-url postgres://app@db/app --exit-code   # exit 2 when changes are pending"
    )]
    Plan {
        /// Exit 0 when there is nothing to do, 2 when there is.
        #[arg(long)]
        exit_code: bool,
        /// Allow drops and data-losing type changes.
        #[arg(long)]
        allow_destructive: bool,
        /// Accept a schema directory that declares nothing (the database should be empty).
        #[arg(long)]
        allow_empty: bool,
        /// Fail (exit 4) listing every object strata does not manage, instead of warning; also `strict: true` in strata.yaml.
        #[arg(long)]
        strict: bool,
    },
    /// Write the live schema of the target database as YAML files (and, for
    /// kinds YAML cannot express, unmodelled.sql beside them, via pg_dump).
    #[command(
        after_help = "Example:\n  strata pull --database-url postgres://app@db/app --out schema/"
    )]
    Pull {
        /// Output directory.
        #[arg(long, default_value = "schema")]
        out: PathBuf,
        /// Replace the YAML files (and unmodelled.sql) already in the output
        /// directory.
        #[arg(long)]
        force: bool,
        /// Fail (exit 4) listing every object strata does not manage, instead of warning; also `strict: true` in strata.yaml.
        #[arg(long)]
        strict: bool,
    },
    /// Print the SQL that turns one state into another; each side is a database URL or a schema directory.
    #[command(
        after_help = "Examples:\n  strata diff --from postgres://localhost/staging --to postgres://localhost/prod\n  strata diff --from schema-v1/ --to schema/"
    )]
    Diff {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// Allow drops and data-losing type changes.
        #[arg(long)]
        allow_destructive: bool,
        /// Exit 0 when there is no difference, 2 when there is.
        #[arg(long)]
        exit_code: bool,
        /// Accept a schema directory that declares nothing (the database should be empty).
        #[arg(long)]
        allow_empty: bool,
        /// Fail (exit 4) listing every object strata does not manage, instead of warning; also `strict: true` in strata.yaml.
        #[arg(long)]
        strict: bool,
    },
    /// Apply pending migrations to the target database, in order, under a lock, recorded in refinery's history table.
    #[command(
        after_help = "Examples:\n  strata migrate --database-url postgres://app@db/app\n  strata migrate --dry-run          # print the SQL that would run, change nothing\n  strata migrate --target 3         # stop after V3\n  strata migrate --backup backups/  # pg_dump --format=custom first; stop if it fails\n\nA file whose header says `-- strata:no-transaction` runs statement by statement outside a transaction (CREATE INDEX CONCURRENTLY)."
    )]
    Migrate {
        /// Stop after this version (`_` between digits is ignored: 20240101_120000).
        #[arg(long, value_parser = version_arg)]
        target: Option<u64>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Undo applied migrations with their down files (migrations/down/), newest first.
    #[command(
        after_help = "Examples:\n  strata rollback                 # undo the newest applied migration\n  strata rollback --to 3          # undo everything after V3\n  strata rollback --to 0 --dry-run\n\nA down file whose header has `-- strata:destructive:` lines loses data (it drops what later migrations created, or cannot restore what they dropped): rollback refuses it (exit 3) unless --allow-destructive."
    )]
    Rollback {
        /// Keep versions up to N applied (0: undo everything). Default: undo the newest only.
        #[arg(long, value_name = "N", value_parser = version_arg)]
        to: Option<u64>,
        /// Run down files that lose data.
        #[arg(long)]
        allow_destructive: bool,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Fill the target database with generated rows from a seed profile (seeds/<profile>.yaml), over COPY.
    #[command(
        after_help = "Examples:\n  strata seed --database-url postgres://localhost/app_dev   # profile `dev`\n  strata seed --profile ci --force                          # empty the profile's tables first\n  strata seed --tables users,molecules --scale 10 --dry-run # plan, counts and sample rows only\n\nParents load before children, foreign keys are filled from rows that exist, cycles are loaded NULL and filled by one UPDATE. The same profile and seed give the same rows whatever --jobs is. Tables that already have rows are refused unless --force."
    )]
    Seed {
        /// Profile name: seeds/<profile>.yaml.
        #[arg(long, default_value = "dev")]
        profile: String,
        /// Seed only these tables (comma-separated); their parents must have rows or be listed.
        #[arg(long, value_delimiter = ',')]
        tables: Option<Vec<String>>,
        /// Empty the profile's tables first: TRUNCATE … RESTART IDENTITY CASCADE.
        #[arg(long)]
        force: bool,
        /// Multiply every `rows:` count (fan-outs follow their parents).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Generator threads [default: one per core]; never changes the data.
        #[arg(long)]
        jobs: Option<usize>,
        /// Rows per COPY batch (bounds memory; never changes the data).
        #[arg(long, default_value_t = 10_000)]
        batch_size: u64,
        /// Print the plan (order, row counts) and sample rows; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Load a CSV file into a table over COPY, every row validated against the live table; rejected rows keep their original bytes.
    #[command(
        after_help = "Examples:\n  strata import molecules legacy.csv   # rejects in legacy.csv.rejects.csv\n  strata import chem.molecules - --map MW=molecular_weight --map notes=- < legacy.csv\n  strata import molecules legacy.csv --single-transaction --max-rejects 100\n  strata import molecules legacy.csv --dry-run             # check everything, load nothing\n  strata import --spec fixtures/molecules.import.yaml      # table, file and per-column rules from the spec\n  strata import molecules legacy.csv --config import.yaml  # same as --spec for import (strata.yaml stays the project file)\n  strata import molecules legacy.csv.gz --resume mol-1     # after a crash: run it again\n\nHeader names match table columns case-insensitively; table columns missing from the CSV get their defaults. Empty fields and \\N are NULL. An import spec (docs/import-format.md) adds per-column rules: required, transforms, map, default, date formats, arrays, on_error reject|null|default; flags override its keys; spec errors exit 4. A rejected row is written to the rejects file exactly as read, with line, column and reason in PATH.errors.csv. Prints `read N, loaded L, rejected R` (N = L + R). Exit 0 when the import ran to the end (rejects are reported, not errors); 1 when it stopped (--max-rejects exceeded, a database or I/O error); 4 for a bad spec or mapping, or a --resume ID of another input."
    )]
    Import(commands::import::ImportCommand),
    /// Show applied, pending, edited and missing migrations, the strata.sum check, and drift of the live schema.
    #[command(
        after_help = "Examples:\n  strata status --database-url postgres://app@db/app\n  strata status --format json --exit-code   # CI: exit 2 when anything is pending, edited, missing or drifted"
    )]
    Status {
        /// Output format: text or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Exit 2 unless everything is applied, the sum matches and there is no drift.
        #[arg(long)]
        exit_code: bool,
        /// Fail (exit 4) listing every object strata does not manage, instead of warning; also `strict: true` in strata.yaml.
        #[arg(long)]
        strict: bool,
    },
    /// Record an existing database as being at version N without running anything (Alembic's stamp).
    #[command(
        after_help = "Examples:\n  strata baseline 2 --database-url postgres://app@db/app   # V1, V2 recorded as applied; migrate starts at V3\n  strata baseline 2 --force   # record even though the live schema differs from V1..V2\n\nThe live schema is first compared with V1..VN replayed in a shadow database; a mismatch is refused with the SQL that would reconcile it."
    )]
    Baseline {
        /// The version the database is at (a migration file with this version must exist).
        #[arg(value_parser = version_arg)]
        version: u64,
        /// Record the versions even when the live schema differs from what they produce.
        #[arg(long)]
        force: bool,
        /// Seconds to wait for another runner's lock.
        #[arg(long, default_value_t = 60)]
        lock_wait: u64,
    },
    /// Print the JSON Schema of a kind of strata YAML file, or write all four for editors.
    #[command(
        name = "schema-json",
        after_help = "Examples:\n  strata schema-json schema > schema.json   # schema/*.yaml\n  strata schema-json --write                 # .strata/json-schema/{schema,seed,import,strata}.json in the project\n\n`init` and `pull` write them and put `# yaml-language-server: $schema=…` on the files they write, so completion and validation work in editors with the YAML language server (VS Code, Neovim, Helix, Zed, JetBrains). Run `--write` again after upgrading strata."
    )]
    SchemaJson {
        /// Which file kind: schema (schema/*.yaml), seed (seeds/*.yaml), import (import specs), config (strata.yaml).
        #[arg(required_unless_present = "write")]
        kind: Option<strata::json_schema::Kind>,
        /// Write all four into .strata/json-schema/ under the project root (the directory of strata.yaml, else the current one).
        #[arg(long, conflicts_with = "kind")]
        write: bool,
    },
    /// Rewrite migrations/strata.sum after a deliberate edit of migration files.
    #[command(
        after_help = "Example:\n  strata rehash   # accept the edited files; migrate stops refusing them"
    )]
    Rehash,
    /// Report invalid indexes, NOT VALID constraints (with violating rows), sequences behind their column and tables without a primary key.
    #[command(
        after_help = "Examples:\n  strata validate --database-url postgres://app@db/app\n  strata validate --format json --schema-name app --statement-timeout 30\n\nRead-only (one READ ONLY transaction); every finding comes with the SQL that fixes it.\nExit codes: 0 nothing found, 1 findings reported (stdout) — or an error (stderr, starting with `error:`)."
    )]
    Validate {
        /// Output format: text or json ({"ok": bool, "findings": [{"check", "object", "detail", "fix"}]}).
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Check only this schema (repeat, or comma-separate) [default: schemas in strata.yaml, else every user schema].
        #[arg(long = "schema-name", value_name = "S", value_delimiter = ',')]
        schema_name: Vec<String>,
        /// statement_timeout in seconds for each query (counting violating rows scans whole tables); 0 = none.
        #[arg(long)]
        statement_timeout: Option<f64>,
    },
    /// Start the embedded PostgreSQL, apply migrations/ to a fresh database, check it against schema/, seed it.
    #[command(
        after_help = "Examples:\n  strata dev                  # build, check, seed with seeds/dev.yaml, report and stop\n  strata dev --keep           # … then print the URL and keep running until Ctrl-C\n  strata dev --profile ci     # seed with seeds/ci.yaml instead (--no-seed: none)"
    )]
    Dev {
        /// Keep the server running and print its URL on stdout.
        #[arg(long)]
        keep: bool,
        /// Seed profile loaded after the migrations when seeds/<profile>.yaml exists.
        #[arg(long, default_value = "dev")]
        profile: String,
        /// Do not seed.
        #[arg(long)]
        no_seed: bool,
    },
}

impl Command {
    /// `--strict` on the commands that compare or read a schema.
    fn strict(&self) -> bool {
        match self {
            Command::Generate { strict, .. }
            | Command::Plan { strict, .. }
            | Command::Pull { strict, .. }
            | Command::Diff { strict, .. }
            | Command::Status { strict, .. } => *strict,
            _ => false,
        }
    }

    /// Seeding and importing encode rows on worker threads while several
    /// COPY streams are in flight: they get a multi-threaded runtime. Every
    /// other command mostly waits on PostgreSQL (catalog reads pipelined on
    /// one connection per side), where one thread is cheaper: no wake-ups
    /// across threads for each batch of rows, and on a 2-core machine the
    /// CPU stays with the servers doing the work (a diff of two 500-table
    /// databases: about 5% faster).
    fn wants_threads(&self) -> bool {
        matches!(
            self,
            Command::Seed { .. } | Command::Import(_) | Command::Dev { .. }
        )
    }
}

/// How `migrate` and `rollback` run their files.
#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Print the SQL that would run and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Seconds to wait for another runner's lock.
    #[arg(long, default_value_t = 60)]
    lock_wait: u64,
    /// lock_timeout for each migration, in seconds: fail fast rather than stall traffic.
    #[arg(long, default_value_t = 5.0, value_parser = seconds_arg)]
    lock_timeout: f64,
    /// statement_timeout for each migration, in seconds (default: the server's).
    #[arg(long, value_parser = seconds_arg)]
    statement_timeout: Option<f64>,
    /// Before changing anything, pg_dump --format=custom the database into DIR
    /// (as <db>-<UTC time>-before-V<n>.dump); stop if the dump fails.
    #[arg(long, value_name = "DIR")]
    backup: Option<PathBuf>,
}

impl RunArgs {
    fn options(&self, target: Option<u64>, s: &Settings) -> strata::migrate::MigrateOptions {
        strata::migrate::MigrateOptions {
            target,
            dry_run: self.dry_run,
            lock_wait: std::time::Duration::from_secs(self.lock_wait),
            lock_timeout: std::time::Duration::from_secs_f64(self.lock_timeout),
            statement_timeout: self
                .statement_timeout
                .map(std::time::Duration::from_secs_f64),
            backup: self.backup.clone(),
            binaries: s.embedded.clone(),
            column: s.versions.column,
        }
    }
}

/// `strata --version`: the version, then the PostgreSQL server binaries
/// embedded mode would use (`-V` prints the version alone).
fn long_version() -> String {
    let config = strata::config::Config::find().unwrap_or_default();
    let found = strata::embedded::find_binaries(&strata::embedded::EmbeddedOptions {
        bindir: config.embedded_bindir,
        run_as: None,
        prefer_major: config.embedded_major,
    });
    let pg = match found {
        Ok(b) => format!(
            "PostgreSQL server binaries: {} (PostgreSQL {})",
            b.bindir.display(),
            b.version
        ),
        Err(e) => format!("PostgreSQL server binaries: none found ({e})"),
    };
    format!("{}\n{}", env!("CARGO_PKG_VERSION"), terminal(&pg))
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = Cli::command();
    if std::env::args_os().skip(1).any(|a| a == "--version") {
        command = command.long_version(&*Box::leak(long_version().into_boxed_str()));
    }
    let parsed = command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            // clap quotes stray arguments and bad values as given: a
            // connection string among them loses its password (and the
            // colours, only then).
            let plain = e.render().to_string();
            let safe = strata::db::redact_quoted(&plain);
            if safe == plain {
                let _ = e.print();
            } else if e.use_stderr() {
                eprint!("{safe}");
            } else {
                print!("{safe}");
            }
            return ExitCode::from(code as u8);
        }
    };
    // Ctrl-C / SIGTERM / SIGHUP / SIGQUIT: stop embedded servers, drop
    // scratch databases, exit 128 + signal.
    if let Err(e) = strata::embedded::install_signal_handler() {
        eprintln!("warning: {e}");
    }
    strata::notice::set_handler(|m| eprintln!("warning: {}", terminal(m)));
    let interval = strata::progress::interval_from_env();
    strata::progress::install(cli.progress, interval, |l| eprintln!("{l}"));
    // `strata plan | head -1`: a closed stdout exits 141 after the same
    // cleanup, instead of panicking.
    strata::embedded::exit_quietly_on_broken_pipe();
    let mut builder = if cli.command.wants_threads() {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::ERROR as u8);
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(_) if strata::embedded::stopping() => {
            // Ctrl-C: the signal handler is removing the embedded server and
            // will exit with 130; errors caused by that are not news.
            std::thread::sleep(std::time::Duration::from_secs(30));
            exit::INTERRUPTED
        }
        Err(e) => {
            print_error(&e);
            e.exit_code()
        }
    };
    ExitCode::from(code as u8)
}

/// `error: …` on stderr; positioned YAML problems each get their source
/// line with a caret under the column (at most 20 of them: past that the
/// list itself is the message).
fn print_error(e: &strata::Error) {
    let Some(issues) = e.spec_issues().filter(|v| v.len() <= 20) else {
        eprintln!("error: {}", terminal(&e.to_string()));
        return;
    };
    for issue in issues {
        eprintln!("error: {}", terminal(&issue.to_string()));
        if let Some(snippet) = strata::spec::snippet::render(issue) {
            eprintln!("{snippet}");
        }
    }
}

async fn run(mut cli: Cli) -> strata::Result<i32> {
    // `strata import T F --config import.yaml`: the issue's spelling of --spec.
    if let Command::Import(c) = &mut cli.command {
        if c.spec.is_none() {
            c.spec = cli.config.take();
        }
    }
    // Needs no project: a broken strata.yaml must not stop it.
    if let Command::Completions { shell } = cli.command {
        use clap::CommandFactory;
        // Into a buffer, then print!: a closed pipe (`| head`) then exits
        // quietly like every other output (exit_quietly_on_broken_pipe).
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "strata", &mut script);
        print!("{}", String::from_utf8_lossy(&script));
        return Ok(exit::OK);
    }
    let mut settings = settings(&cli)?;
    settings.strict |= cli.command.strict();
    match cli.command {
        // Answered before the settings are read.
        Command::Completions { .. } => Ok(exit::OK),
        Command::Init { dir } => {
            for f in commands::init(&dir)? {
                println!("{f}");
            }
            eprintln!("Next: edit schema/*.yaml, then `strata generate initial`.");
            Ok(exit::OK)
        }
        Command::Generate {
            name,
            allow_destructive,
            no_verify,
            allow_empty,
            no_data_check,
            ..
        } => {
            let o = commands::generate::GenerateOptions {
                name,
                allow_destructive,
                no_verify,
                allow_empty,
                no_data_check,
            };
            if let Some(path) = commands::generate(&settings, &o).await? {
                println!("{}", path.display());
            }
            Ok(exit::OK)
        }
        Command::New { name } => {
            let made = commands::new_migration(&settings, &name)?;
            println!("{}", made.up.display());
            println!("{}", made.down.display());
            eprintln!(
                "Write the SQL (and in the down file, its undoing), then run `strata rehash`."
            );
            Ok(exit::OK)
        }
        Command::Plan {
            exit_code,
            allow_destructive,
            allow_empty,
            ..
        } => {
            let o = commands::plan::PlanOptions {
                exit_code,
                allow_destructive,
                allow_empty,
            };
            commands::plan(&settings, &o).await
        }
        Command::Pull { out, force, .. } => {
            commands::pull(&settings, &out, force).await?;
            Ok(exit::OK)
        }
        Command::Diff {
            from,
            to,
            allow_destructive,
            exit_code,
            allow_empty,
            ..
        } => {
            let o = commands::diff::DiffOptions {
                from,
                to,
                allow_destructive,
                exit_code,
                allow_empty,
            };
            commands::diff(&settings, &o).await
        }
        Command::Migrate { target, run } => {
            let dry_run = run.dry_run;
            let o = run.options(target, &settings);
            let out =
                strata::migrate::migrate(&settings.target()?, &settings.migrations_dir, &o).await?;
            report_run(
                &out,
                dry_run,
                "applied",
                "Nothing to apply: the database is up to date.",
            );
            Ok(exit::OK)
        }
        Command::Rollback {
            to,
            allow_destructive,
            run,
        } => {
            let o = strata::migrate::rollback::RollbackOptions {
                to,
                allow_destructive,
                run: run.options(None, &settings),
            };
            let out = strata::migrate::rollback::rollback(
                &settings.target()?,
                &settings.migrations_dir,
                &o,
            )
            .await?;
            report_run(&out, run.dry_run, "rolled back", "Nothing to roll back.");
            if !out.refused.is_empty() {
                return Err(strata::Error::Destructive(out.refused));
            }
            Ok(exit::OK)
        }
        Command::Seed {
            profile,
            tables,
            force,
            scale,
            jobs,
            batch_size,
            dry_run,
        } => {
            let o = commands::seed::SeedCommand {
                profile,
                dry_run,
                run: strata::seed::run::SeedOptions {
                    tables,
                    force,
                    scale,
                    jobs,
                    batch_rows: batch_size,
                },
            };
            commands::seed(&settings, &o).await?;
            Ok(exit::OK)
        }
        Command::Import(c) => {
            commands::import::run(&settings, &c).await?;
            Ok(exit::OK)
        }
        Command::Status {
            format, exit_code, ..
        } => {
            let o = commands::status::StatusOptions {
                json: format == "json",
                exit_code,
            };
            commands::status(&settings, &o).await
        }
        Command::Baseline {
            version,
            force,
            lock_wait,
        } => {
            let o = commands::baseline::BaselineOptions {
                version,
                force,
                lock_wait: std::time::Duration::from_secs(lock_wait),
            };
            let recorded = commands::baseline(&settings, &o).await?;
            if recorded.is_empty() {
                eprintln!("Nothing to record: V1..V{version} are already in the history.");
            } else {
                let list: Vec<String> = recorded.iter().map(|v| format!("V{v}")).collect();
                eprintln!("Recorded {} as applied (nothing was run).", list.join(", "));
            }
            Ok(exit::OK)
        }
        Command::SchemaJson { kind, write } => {
            if write {
                let root = settings
                    .project
                    .as_deref()
                    .map(strata::files::dir_of)
                    .unwrap_or(std::path::Path::new("."));
                for f in strata::json_schema::write_project_files(root)? {
                    println!("{}", f.display());
                }
            } else if let Some(kind) = kind {
                let text = strata::json_schema::to_text(kind)
                    .map_err(|p| strata::Error::Bug(p.join("; ")))?;
                print!("{text}");
            }
            Ok(exit::OK)
        }
        Command::Rehash => {
            strata::migrate::sum::rehash(&settings.migrations_dir, settings.versions.column)?;
            eprintln!(
                "Wrote {}.",
                settings
                    .migrations_dir
                    .join(strata::migrate::sum::FILE)
                    .display()
            );
            Ok(exit::OK)
        }
        Command::Validate {
            format,
            schema_name,
            statement_timeout,
        } => {
            let o = commands::validate::ValidateOptions {
                json: format == "json",
                schemas: schema_name,
                statement_timeout: seconds(statement_timeout)?,
            };
            match commands::validate(&settings, &o).await {
                Ok(code) => Ok(code),
                Err(e) => {
                    // Findings also exit 1: say plainly this is not a report.
                    eprintln!("error: {}", terminal(&e.to_string()));
                    eprintln!(
                        "error: strata validate could not run its checks (an error, not a findings report)"
                    );
                    Ok(e.exit_code())
                }
            }
        }
        Command::Dev {
            keep,
            profile,
            no_seed,
        } => {
            let o = commands::dev::DevOptions {
                keep,
                seed_profile: (!no_seed).then_some(profile),
            };
            commands::dev(&settings, &o).await?;
            Ok(exit::OK)
        }
    }
}

/// A migration version: digits, `_` between them ignored (guide 003
/// writes `--target=20240101_120000` for V20240101120000).
fn version_arg(s: &str) -> Result<u64, String> {
    let digits: String = s.chars().filter(|&c| c != '_').collect();
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !s.starts_with('_')
        && !s.ends_with('_');
    match digits.parse::<u64>() {
        Ok(v) if plain => Ok(v),
        // Not the value: clap quotes it, redacted if it holds a password.
        _ => Err("this is not a migration version (digits, such as 7 or 20240101120000)".into()),
    }
}

/// A number of seconds a `Duration` can hold (`from_secs_f64` panics on
/// a negative, NaN or huge value).
fn seconds_arg(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{e}"))?;
    std::time::Duration::try_from_secs_f64(v)
        .map(|_| v)
        .map_err(|_| format!("{v} is not a number of seconds (0 or more, finite)"))
}

/// A timeout flag in seconds; negative or non-finite values are refused.
fn seconds(s: Option<f64>) -> strata::Result<Option<std::time::Duration>> {
    s.map(|v| {
        std::time::Duration::try_from_secs_f64(v).map_err(|_| {
            strata::Error::Config(format!(
                "--statement-timeout: {v} is not a number of seconds"
            ))
        })
    })
    .transpose()
}

/// The SQL of a dry run on stdout; what happened on stderr.
fn report_run(out: &strata::migrate::Outcome, dry_run: bool, done: &str, nothing: &str) {
    let n = out.applied.len();
    if dry_run {
        print!("{}", out.sql);
        eprintln!("{n} migration(s) would be {done} (dry run: nothing changed).");
    } else if n == 0 {
        eprintln!("{nothing}");
    } else {
        eprintln!("{n} migration(s) {done}.");
    }
}

/// Flags beat environment beat strata.yaml beat defaults.
fn settings(cli: &Cli) -> strata::Result<Settings> {
    // An explicit --config must exist; otherwise the nearest strata.yaml
    // at or above the working directory, or the defaults.
    let config = match &cli.config {
        Some(path) => strata::config::Config::load(path)?,
        None => strata::config::Config::find()?,
    };
    for w in &config.warnings {
        eprintln!("warning: {}", terminal(&w.to_string()));
    }
    Ok(Settings {
        database_url: cli.database_url.clone().or(config.database_url),
        dev_url: cli.dev_url.clone().or(config.dev_url),
        schema_dir: cli.schema.clone().unwrap_or(config.schema_dir),
        migrations_dir: cli.migrations.clone().unwrap_or(config.migrations_dir),
        seeds_dir: cli.seeds.clone().unwrap_or(config.seeds_dir),
        schemas: config.schemas,
        embedded: strata::embedded::EmbeddedOptions {
            bindir: config.embedded_bindir,
            run_as: config.embedded_user,
            prefer_major: config.embedded_major,
        },
        strict: config.strict,
        manage: config.manage,
        versions: config.versions,
        project: config.file,
    })
}

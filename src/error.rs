//! The library's error type and the exit codes the CLI maps it to.

use std::path::PathBuf;

/// Documented exit codes (README "Exit codes").
pub mod exit {
    pub const OK: i32 = 0;
    /// Any failure not covered below (database error, I/O, …); also
    /// `validate` when it reports findings (errors then say `error:`).
    pub const ERROR: i32 = 1;
    /// `plan --exit-code` / `diff --exit-code`: changes are pending.
    pub const CHANGES_PENDING: i32 = 2;
    /// Destructive changes were needed but `--allow-destructive` was not given.
    pub const DESTRUCTIVE_REFUSED: i32 = 3;
    /// The YAML (schema, config) is invalid; nothing touched a database.
    /// Also `--strict` meeting objects strata does not manage.
    pub const INVALID_INPUT: i32 = 4;
    /// No PostgreSQL server binaries, or the embedded cluster failed.
    pub const NO_POSTGRES: i32 = 5;
    /// Bad command line.
    pub const USAGE: i32 = 64;
    /// strata's own bug (an internal check failed); please report it.
    pub const BUG: i32 = 70;
    /// Interrupted by Ctrl-C / SIGTERM.
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Spec(#[from] crate::spec::SpecError),
    #[error(transparent)]
    Catalog(#[from] crate::catalog::CatalogError),
    #[error(transparent)]
    Embedded(#[from] crate::embedded::EmbeddedError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Seed(#[from] crate::seed::SeedError),
    #[error(transparent)]
    Copy(#[from] crate::copy::CopyError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error("{0}")]
    Config(String),
    #[error("refusing destructive changes (pass --allow-destructive to apply them):\n{}", .0.iter().map(|s| format!("  - {}", crate::escape::line(s))).collect::<Vec<_>>().join("\n"))]
    Destructive(Vec<String>),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("applying the desired schema to the shadow database failed{}: {message}", .origin.as_ref().map(|o| format!(" (declared at {o})")).unwrap_or_default())]
    Shadow {
        message: String,
        origin: Option<String>,
    },
    #[error("migration {file} failed: {message}")]
    Migration { file: PathBuf, message: String },
    #[error("interrupted")]
    Interrupted,
    #[error("{0}")]
    Locked(String),
    #[error("the migration history does not match the migrations directory:\n{}", .0.iter().map(|s| format!("  - {}", crate::escape::line(s))).collect::<Vec<_>>().join("\n"))]
    History(Vec<String>),
    /// A safety check said no (e.g. `baseline` on a database that does not
    /// match the migrations); the message says how to override.
    #[error("{0}")]
    Refused(String),
    /// `--strict` / `strict: true`: objects strata does not manage exist in
    /// `place`; each is `kind name`.
    #[error("strict: {} object(s) in {place} not managed by strata (model them, drop them, or run without --strict / `strict: true`):\n{}", .objects.len(), .objects.iter().map(|s| format!("  - {}", crate::escape::line(s))).collect::<Vec<_>>().join("\n"))]
    Unmanaged { place: String, objects: Vec<String> },
    /// An internal check failed: strata's own bug, not the user's input.
    #[error("{0}\n(this is a bug in strata; please report it)")]
    Bug(String),
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The positioned problems behind this error, when it is a list of
    /// them (invalid YAML, profile, import spec), so the CLI can show each
    /// with its source line.
    pub fn spec_issues(&self) -> Option<&[crate::spec::SpecIssue]> {
        match self {
            Error::Spec(crate::spec::SpecError::Invalid(v))
            | Error::Seed(crate::seed::SeedError::Invalid(v))
            | Error::Import(crate::import::ImportError::Spec(v)) => Some(v),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            // A schema PostgreSQL rejects in the shadow is invalid input too.
            Error::Spec(_) | Error::Config(_) | Error::Shadow { .. } => exit::INVALID_INPUT,
            // A project that declared itself strict, meeting objects outside
            // its model: the input (database + files) is not what it promised.
            Error::Unmanaged { .. } => exit::INVALID_INPUT,
            // An invalid or unreadable seed profile: nothing was generated or written.
            Error::Seed(crate::seed::SeedError::Invalid(_) | crate::seed::SeedError::Io { .. }) => {
                exit::INVALID_INPUT
            }
            Error::Destructive(_) => exit::DESTRUCTIVE_REFUSED,
            Error::Embedded(_) => exit::NO_POSTGRES,
            Error::Interrupted => exit::INTERRUPTED,
            Error::Bug(_) => exit::BUG,
            _ => exit::ERROR,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

//! What a reviewer must know about a statement, as typed values: data
//! loss (refused without `--allow-destructive`), table rewrites, locks,
//! validation scans, index builds. Each has one message, rendered as a
//! `-- ` comment line above the statement.

use std::fmt;

use crate::model::QualifiedName;

/// The table lock a statement takes (PostgreSQL's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockLevel {
    AccessExclusive,
    ShareRowExclusive,
    Share,
    ShareUpdateExclusive,
}

impl fmt::Display for LockLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LockLevel::AccessExclusive => "ACCESS EXCLUSIVE",
            LockLevel::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockLevel::Share => "SHARE",
            LockLevel::ShareUpdateExclusive => "SHARE UPDATE EXCLUSIVE",
        })
    }
}

/// Why every row of a table is read.
#[derive(Clone, Debug, PartialEq)]
pub enum Scan {
    /// `SET NOT NULL` looks for NULLs.
    NotNull,
    /// A new CHECK constraint is checked on every row.
    Check,
    /// A new foreign key is checked on every row.
    ForeignKey { references: QualifiedName },
    /// `VALIDATE CONSTRAINT` of a `NOT VALID` one.
    Validate,
    /// `ALTER CONSTRAINT … ENFORCED` of a foreign key (`references`) that
    /// was `NOT ENFORCED`.
    Enforce { references: Option<QualifiedName> },
}

/// What builds an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Build {
    Index,
    /// A primary key, unique or exclusion constraint.
    Constraint,
    /// A temporal (`WITHOUT OVERLAPS`) primary key or unique constraint:
    /// its GiST index cannot be built beforehand (GiST has no unique
    /// indexes to add `USING INDEX`).
    TemporalKey,
    /// An index on a partitioned table, built on every partition
    /// (`CONCURRENTLY` is not possible on the parent).
    Partitioned,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Hazard {
    /// Data is lost, or values may not survive: refused without
    /// `--allow-destructive`. `what` says what.
    DataLoss { what: String },
    /// The table is rewritten (and its indexes rebuilt) under an ACCESS
    /// EXCLUSIVE lock.
    TableRewrite {
        table: QualifiedName,
        what: &'static str,
    },
    /// A lock held for a catalog change or a short update.
    Lock {
        level: LockLevel,
        on: QualifiedName,
        what: &'static str,
    },
    /// Every row is read while a lock is held.
    ValidationScan { table: QualifiedName, scan: Scan },
    /// An index is built while writes wait.
    IndexBuild { table: QualifiedName, by: Build },
    /// The statement fails when existing rows do not allow it.
    MayFail { why: &'static str },
    /// `ALTER TYPE … ADD VALUE`: the value cannot be used before commit.
    UnusableUntilCommit { value: String },
    /// A hinted rename: code using the old name breaks.
    Renamed { on: QualifiedName },
    /// Something a reader should know that is no hazard.
    Note(String),
}

/// A hazard's kind without its details: what golden tests pin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HazardKind {
    DataLoss,
    TableRewrite,
    Lock,
    ValidationScan,
    IndexBuild,
    MayFail,
    UnusableUntilCommit,
    Renamed,
    Note,
}

impl HazardKind {
    /// snake_case name, for files and reports.
    pub fn name(self) -> &'static str {
        match self {
            HazardKind::DataLoss => "data_loss",
            HazardKind::TableRewrite => "table_rewrite",
            HazardKind::Lock => "lock",
            HazardKind::ValidationScan => "validation_scan",
            HazardKind::IndexBuild => "index_build",
            HazardKind::MayFail => "may_fail",
            HazardKind::UnusableUntilCommit => "unusable_until_commit",
            HazardKind::Renamed => "renamed",
            HazardKind::Note => "note",
        }
    }
}

impl fmt::Display for HazardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

const LARGE_TABLE_CHECK: &str =
    "on a large table add it NOT VALID and VALIDATE CONSTRAINT separately";

impl Hazard {
    pub fn kind(&self) -> HazardKind {
        match self {
            Hazard::DataLoss { .. } => HazardKind::DataLoss,
            Hazard::TableRewrite { .. } => HazardKind::TableRewrite,
            Hazard::Lock { .. } => HazardKind::Lock,
            Hazard::ValidationScan { .. } => HazardKind::ValidationScan,
            Hazard::IndexBuild { .. } => HazardKind::IndexBuild,
            Hazard::MayFail { .. } => HazardKind::MayFail,
            Hazard::UnusableUntilCommit { .. } => HazardKind::UnusableUntilCommit,
            Hazard::Renamed { .. } => HazardKind::Renamed,
            Hazard::Note(_) => HazardKind::Note,
        }
    }

    /// The comment text (without `-- `).
    pub fn message(&self) -> String {
        match self {
            Hazard::DataLoss { what } => format!("DESTRUCTIVE: {what}"),
            Hazard::TableRewrite { table, what } => {
                format!("strata: ACCESS EXCLUSIVE lock on {}; {what}", table.quoted())
            }
            Hazard::Lock { level, on, what } => {
                format!("strata: {level} lock on {}; {what}", on.quoted())
            }
            Hazard::ValidationScan { table, scan } => scan_message(table, scan),
            Hazard::IndexBuild { table, by: Build::Index } => format!(
                "strata: SHARE lock on {} blocks writes while the index builds; on a busy table build it with CREATE INDEX CONCURRENTLY in a `-- strata:no-transaction` migration",
                table.quoted()
            ),
            Hazard::IndexBuild { table, by: Build::Constraint } => format!(
                "strata: ACCESS EXCLUSIVE lock on {} while the index builds; on a large table build a unique index CONCURRENTLY first and add the constraint USING INDEX",
                table.quoted()
            ),
            Hazard::IndexBuild { table, by: Build::Partitioned } => format!(
                "strata: SHARE lock on {} and each partition blocks writes while the index builds on every partition; on busy tables create it ON ONLY the parent, build each partition's CONCURRENTLY and ATTACH it (a partitioned index cannot be built CONCURRENTLY)",
                table.quoted()
            ),
            Hazard::IndexBuild { table, by: Build::TemporalKey } => format!(
                "strata: ACCESS EXCLUSIVE lock on {} while the GiST index of the WITHOUT OVERLAPS key builds (it cannot be built CONCURRENTLY beforehand)",
                table.quoted()
            ),
            Hazard::MayFail { why } => format!("strata: {why}"),
            Hazard::UnusableUntilCommit { value } => format!(
                "strata: the new value {value:?} cannot be used until this transaction commits"
            ),
            Hazard::Renamed { on } => format!(
                "strata: renamed (renamed_from); ACCESS EXCLUSIVE lock on {}, brief; code using the old name breaks",
                on.quoted()
            ),
            Hazard::Note(text) => format!("strata: {text}"),
        }
    }
}

fn scan_message(table: &QualifiedName, scan: &Scan) -> String {
    let t = table.quoted();
    match scan {
        Scan::NotNull => format!(
            "strata: ACCESS EXCLUSIVE lock on {t}; scans the whole table for NULLs; on a large table add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL"
        ),
        Scan::Check => format!(
            "strata: ACCESS EXCLUSIVE lock on {t} while every row is checked; {LARGE_TABLE_CHECK}"
        ),
        Scan::ForeignKey { references } => format!(
            "strata: SHARE ROW EXCLUSIVE lock on {t} and {} while every row is checked; {LARGE_TABLE_CHECK}",
            references.quoted()
        ),
        Scan::Enforce { references } => format!(
            "strata: ACCESS EXCLUSIVE lock on {t}{} while every row is checked; on a large table declare it not_valid (strata then adds it back NOT VALID) and validate it in a later migration",
            references
                .as_ref()
                .filter(|r| *r != table)
                .map(|r| format!(" (SHARE ROW EXCLUSIVE on {})", r.quoted()))
                .unwrap_or_default()
        ),
        Scan::Validate => {
            format!("strata: scans {t} under SHARE UPDATE EXCLUSIVE (reads and writes go on)")
        }
    }
}

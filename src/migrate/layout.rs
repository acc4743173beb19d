//! Which version column the history table has, against the one strata.yaml
//! asks for (`migrations.version_column`). The table is the truth for
//! reading (checksums are computed the way its layout computes them); the
//! setting decides how a new table is created and whether an `int4` table
//! is widened to `int8` — by `migrate` and `baseline`, the commands that
//! write the history, in the transaction that writes it. Nothing is ever
//! narrowed: an `int8` table with an `int4` setting is an error saying
//! what to set. See docs/decisions.md.

use tokio_postgres::GenericClient;

use super::{history, Loaded};
use crate::migrations::{VersionColumn, HISTORY_TABLE};
use crate::{Error, Result};

/// The history table's version column as a run finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The column checksums are computed for now: the table's, or the
    /// setting's when there is no table yet.
    pub current: VersionColumn,
    /// The table exists.
    pub exists: bool,
    /// The table is `int4` and the setting `int8`: the next write widens it.
    pub widen: bool,
}

/// Read the table's column and hold it against `wanted`.
pub async fn find(client: &impl GenericClient, wanted: VersionColumn) -> Result<Found> {
    let table = match history::column(client).await? {
        None => {
            return Ok(Found {
                current: wanted,
                exists: false,
                widen: false,
            })
        }
        Some(Ok(c)) => c,
        Some(Err(other)) => {
            return Err(Error::Config(format!(
                "{HISTORY_TABLE}.version is {other}; strata (like refinery) expects int4 or int8"
            )))
        }
    };
    if table == VersionColumn::Int8 && wanted == VersionColumn::Int4 {
        return Err(Error::Config(format!(
            "{HISTORY_TABLE} stores versions as int8 (the layout of refinery's int8-versions \
             feature, or of `version_column: int8`), but strata.yaml asks for int4: set \
             `migrations: {{version_column: int8}}` in strata.yaml (nothing is changed until then)"
        )));
    }
    Ok(Found {
        current: table,
        exists: true,
        widen: table == VersionColumn::Int4 && wanted == VersionColumn::Int8,
    })
}

/// Make the table what a write needs: create it with `wanted` when there
/// is none, widen it when [`Found::widen`]. `applied` rows must match
/// `files` (checked by the caller): their checksums are re-recorded from
/// the files. Returns the column in effect afterwards and, when the table
/// was widened, a line saying so for the user.
pub async fn prepare(
    client: &impl GenericClient,
    found: Found,
    wanted: VersionColumn,
    files: &[Loaded],
    applied: &[history::Applied],
) -> Result<(VersionColumn, Option<String>)> {
    if !found.exists {
        history::ensure(client, wanted).await?;
        return Ok((wanted, None));
    }
    if !found.widen {
        return Ok((found.current, None));
    }
    let mut sums = Vec::new();
    for a in applied {
        let f = files
            .iter()
            .find(|f| f.version == a.version)
            .ok_or_else(|| Error::Bug(format!("widening: no file for applied V{}", a.version)))?;
        let sum = history::checksum(&f.file.name, f.version, &f.sql, VersionColumn::Int8);
        sums.push((a.version, sum));
    }
    history::widen(client, &sums).await?;
    let note = format!(
        "widened {HISTORY_TABLE}.version from int4 to int8 (migrations.version_column: int8 in \
         strata.yaml) and re-recorded {} checksum(s) as refinery's int8-versions computes them",
        sums.len()
    );
    Ok((VersionColumn::Int8, Some(note)))
}

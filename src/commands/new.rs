//! `strata new NAME`: an empty, correctly numbered migration and its down
//! file, for SQL written by hand (a data fix, a backfill, anything the
//! schema YAML cannot say). Numbered like `generate` (`migrations.versions`
//! in strata.yaml), named like it, never over an existing file; strata.sum
//! is re-written as `generate` re-writes it, so after filling the files in
//! `strata rehash` records them as reviewed.

use std::path::PathBuf;

use super::Settings;
use crate::migrate::{dirlock, sum};
use crate::migrations::{self, DESTRUCTIVE_MARK, DOWN_DIR};
use crate::{Error, Result};

/// The two files written.
#[derive(Debug)]
pub struct NewFiles {
    pub up: PathBuf,
    pub down: PathBuf,
}

pub fn new_migration(s: &Settings, raw_name: &str) -> Result<NewFiles> {
    let name = migrations::new_name(raw_name)?;
    let dir = &s.migrations_dir;
    let column = s.versions.column;
    // Held to the end, as in `generate`: one writer picks the version.
    let _lock = dirlock::lock(dir)?;
    sum::require_match(dir, column)?;
    let existing = migrations::list(dir, column)?;
    let version = migrations::next_version(&existing, s.versions.naming, chrono::Utc::now());
    if version > column.max() {
        return Err(Error::Config(format!(
            "no version is left after the highest one: {}",
            migrations::too_wide(version, column)
        )));
    }
    let title = format!("V{version}__{name}");
    let down_dir = dir.join(DOWN_DIR);
    let down_path = down_dir.join(format!("{title}.sql"));
    if std::fs::symlink_metadata(&down_path).is_ok() {
        return Err(Error::Config(format!(
            "{} already exists; move it away (strata new never overwrites a file)",
            down_path.display()
        )));
    }
    let up = migrations::write(dir, version, &name, &up_text(&title))?;
    let down = migrations::write_down(&down_dir, version, &name, &down_text(&title), &up)?;
    sum::write(dir, column)?;
    Ok(NewFiles { up, down })
}

fn up_text(title: &str) -> String {
    format!(
        "-- {title}: written by `strata new` for SQL by hand (a data fix, a backfill, …).\n\
         -- It runs in one transaction. To run it statement by statement instead (CREATE INDEX\n\
         -- CONCURRENTLY), make `-- strata:no-transaction` a line of this header.\n\
         -- When it is written, run `strata rehash`: strata.sum holds the file as `new` wrote it.\n\n"
    )
}

/// The down file refuses to run (`--allow-destructive` aside) until it is
/// written: rolling back a migration with an empty down file would record
/// it as undone while its changes stay.
fn down_text(title: &str) -> String {
    format!(
        "-- Down file of {title}: the SQL that undoes it, run by `strata rollback`.\n\
         {DESTRUCTIVE_MARK} {title} was written by hand and this down file undoes nothing yet \
         (delete this line once the SQL below undoes it)\n\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &std::path::Path, versions: migrations::Versions) -> Settings {
        Settings {
            migrations_dir: dir.to_path_buf(),
            versions,
            ..Default::default()
        }
    }

    #[test]
    fn numbers_names_and_never_overwrites() {
        let d = tempfile::tempdir().unwrap();
        let s = settings(d.path(), Default::default());
        let first = new_migration(&s, "Fix Emails!").unwrap();
        assert_eq!(first.up, d.path().join("V1__fix_emails.sql"));
        assert_eq!(first.down, d.path().join("down/V1__fix_emails.sql"));
        let up = std::fs::read_to_string(&first.up).unwrap();
        assert!(
            up.starts_with("-- V1__fix_emails: written by `strata new`"),
            "{up}"
        );
        assert!(!migrations::is_no_transaction(&up), "{up}");
        let down = std::fs::read_to_string(&first.down).unwrap();
        assert_eq!(migrations::destructive_reasons(&down).len(), 1, "{down}");
        assert!(sum::check(d.path(), Default::default()).unwrap());
        // The next one follows; a stray down file for it is never replaced.
        std::fs::write(d.path().join("down/V2__again.sql"), "mine").unwrap();
        let e = new_migration(&s, "again").unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        assert!(!d.path().join("V2__again.sql").exists());
        assert_eq!(
            std::fs::read_to_string(d.path().join("down/V2__again.sql")).unwrap(),
            "mine"
        );
        assert!(new_migration(&s, "../x").is_err());
    }

    #[test]
    fn timestamps_when_asked() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("V3__old.sql"), "SELECT 1;").unwrap();
        sum::write(d.path(), Default::default()).unwrap();
        let versions = migrations::Versions {
            naming: migrations::Naming::Timestamp,
            column: migrations::VersionColumn::Int8,
        };
        let before = chrono::Utc::now().format("%Y%m%d%H%M%S").to_string();
        let made = new_migration(&settings(d.path(), versions), "data fix").unwrap();
        let file = made.up.file_name().unwrap().to_string_lossy().to_string();
        let (v, name) = migrations::parse_file_name(&file).unwrap();
        assert_eq!(name, "data_fix");
        assert!(
            v >= before.parse::<u64>().unwrap() && v < 30000101000000,
            "{file}"
        );
    }
}

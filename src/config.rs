//! TEMPORARY stub: replaced by the spec branch's config loader.
use std::path::{Path, PathBuf};
#[derive(Debug, Default)]
pub struct Config {
    pub database_url: Option<String>,
    pub dev_url: Option<String>,
    pub schema_dir: PathBuf,
    pub migrations_dir: PathBuf,
    pub schemas: Option<Vec<String>>,
    pub embedded_bindir: Option<PathBuf>,
    pub embedded_user: Option<String>,
}
impl Config {
    pub fn load_or_default(_p: &Path) -> crate::Result<Config> {
        Ok(Config {
            schema_dir: "schema".into(),
            migrations_dir: "migrations".into(),
            ..Default::default()
        })
    }
}

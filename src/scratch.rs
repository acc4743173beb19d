//! placeholder until the embedded branch lands
pub enum ScratchServer {
    Embedded(crate::embedded::Cluster),
    External(crate::db::Target),
}
pub struct ScratchDb {
    pub name: String,
    pub target: crate::db::Target,
}
impl ScratchServer {
    pub fn start(
        _d: Option<&str>,
        _o: &crate::embedded::EmbeddedOptions,
    ) -> crate::Result<ScratchServer> {
        todo!()
    }
    pub async fn create_database(&self, _prefix: &str) -> crate::Result<ScratchDb> {
        todo!()
    }
    pub async fn drop_database(&self, _db: &ScratchDb) -> crate::Result<()> {
        todo!()
    }
}

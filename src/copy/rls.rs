//! Row-level security and COPY. PostgreSQL refuses `COPY FROM` into a
//! table whose policies apply to the loading role ("COPY FROM not
//! supported with row-level security"), and a query reading such a table
//! (a seed's key lookups, "is it empty?") silently sees only the rows the
//! policies grant — with no application setting, none.
//!
//! Who is affected is `row_security_active(table)`: not superusers and
//! BYPASSRLS roles, not the owner unless the table has `FORCE ROW LEVEL
//! SECURITY`. The owner under FORCE is the common case (the application's
//! role owns its tables, and FORCE keeps it from seeing every tenant): a
//! load inside one transaction lifts FORCE for the transaction and puts it
//! back before the commit, so a failure or a kill leaves it as it was.
//! Any other role the policies apply to is refused before anything is
//! written, with who may load instead.

use tokio_postgres::GenericClient;

use super::CopyError;
use crate::model::QualifiedName;

/// Tables whose FORCE was lifted, to put back before the commit.
#[derive(Debug, Default)]
pub struct Lifted {
    tables: Vec<String>,
}

impl Lifted {
    /// The tables, as `regclass` prints them, for a message.
    pub fn names(&self) -> &[String] {
        &self.tables
    }
}

/// How each of `tables` stands: (name, policies apply, FORCE, owned by
/// the current role).
async fn status(
    client: &impl GenericClient,
    tables: &[QualifiedName],
) -> Result<Vec<(String, bool, bool, bool)>, CopyError> {
    let names: Vec<String> = tables.iter().map(QualifiedName::quoted).collect();
    let sql = "SELECT c.oid::regclass::text, row_security_active(c.oid), c.relforcerowsecurity, \
                      pg_has_role(c.relowner, 'USAGE') \
                 FROM unnest($1::text[]) n JOIN pg_class c ON c.oid = to_regclass(n)";
    let rows = client
        .query(sql, &[&names])
        .await
        .map_err(|source| CopyError::Query {
            context: "checking row-level security on the tables to load".into(),
            source,
        })?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
}

/// Refuse when policies apply to the loading role on any of `tables` in a
/// way lifting FORCE does not cure; otherwise list the ones FORCE would
/// have to be lifted on.
async fn forced(
    client: &impl GenericClient,
    tables: &[QualifiedName],
) -> Result<Vec<String>, CopyError> {
    let mut lift = Vec::new();
    let mut refused = Vec::new();
    for (name, active, force, owns) in status(client, tables).await? {
        match (active, force && owns) {
            (false, _) => {}
            (true, true) => lift.push(name),
            (true, false) => refused.push(name),
        }
    }
    if !refused.is_empty() {
        return Err(CopyError::RowSecurity(format!(
            "row-level security applies to this role on {}: COPY cannot load such a table and \
             reads of it see only the rows its policies grant. Load as the tables' owner, a \
             superuser or a role with BYPASSRLS",
            refused.join(", ")
        )));
    }
    Ok(lift)
}

/// Inside the caller's transaction: lift `FORCE ROW LEVEL SECURITY` on the
/// tables of `tables` the current role owns and policies would apply to;
/// refuse (before anything is written) when policies apply otherwise.
pub async fn lift_in_transaction(
    client: &impl GenericClient,
    tables: &[QualifiedName],
) -> Result<Lifted, CopyError> {
    let tables = forced(client, tables).await?;
    for t in &tables {
        alter(client, t, "NO FORCE").await?;
    }
    Ok(Lifted { tables })
}

/// Put FORCE back (before the caller commits).
pub async fn restore(client: &impl GenericClient, lifted: Lifted) -> Result<(), CopyError> {
    for t in &lifted.tables {
        alter(client, t, "FORCE").await?;
    }
    Ok(())
}

/// Refuse a load that is not one transaction when policies apply to the
/// loading role on `table` (FORCE could only be lifted outside a
/// transaction, which a failure would leave lifted).
pub async fn refuse_outside_transaction(
    client: &impl GenericClient,
    table: &QualifiedName,
) -> Result<(), CopyError> {
    let lift = forced(client, std::slice::from_ref(table)).await?;
    if lift.is_empty() {
        return Ok(());
    }
    Err(CopyError::RowSecurity(format!(
        "{} has FORCE ROW LEVEL SECURITY and this role owns it: COPY cannot load it while its \
         policies apply. Pass --single-transaction (FORCE is then lifted inside the import's \
         transaction, which holds an ACCESS EXCLUSIVE lock on the table until it commits, and \
         restored before the commit), or load as a superuser or a role with BYPASSRLS",
        lift.join(", ")
    )))
}

async fn alter(client: &impl GenericClient, regclass: &str, what: &str) -> Result<(), CopyError> {
    // `regclass` text is quoted and qualified as needed.
    let sql = format!("ALTER TABLE {regclass} {what} ROW LEVEL SECURITY");
    client
        .batch_execute(&sql)
        .await
        .map_err(|source| CopyError::Query {
            context: format!("{what} ROW LEVEL SECURITY on {regclass}"),
            source,
        })
}

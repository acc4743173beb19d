//! Objects of kinds strata does not diff (aggregates, casts, operators,
//! text search configurations, … defined in `schema/*.sql`, e.g. by
//! `pull`'s `unmodelled.sql`) that the migrations lack. The plan cannot
//! create them (nothing compares them), but the next migration must, or a
//! pulled database's first migration would not build what the files
//! describe. They are written as pg_dump prints them from the desired
//! shadow — exactly the ones the replayed migrations' dump lacks — and
//! interleaved with the plan's statements in an order PostgreSQL accepts:
//! modelled and unmodelled objects may depend on each other both ways (a
//! YAML function behind an aggregate, a YAML view over that aggregate), so
//! the order is found by running everything on the replayed database in a
//! transaction that is rolled back ([`crate::engine::Side::order`]).

use std::collections::HashSet;

use super::Settings;
use crate::engine::Side;
use crate::plan::Plan;
use crate::render::hazard::Hazard;
use crate::render::Statement;
use crate::spec::dump_sql::Unmodelled;
use crate::{Error, Result};

/// The plan with the undiffed objects added, and how to drop them again
/// (for the down file).
pub struct Carried {
    pub plan: Plan,
    pub drops: Vec<String>,
}

/// `plan` with the undiffed objects `desired` has and `current` lacks
/// added in a working order; `plan` itself when there are none.
pub async fn carry(s: &Settings, current: &Side, desired: &Side, plan: Plan) -> Result<Carried> {
    let Some(missing) = super::super::not_diffed(
        &desired.model,
        &current.model,
        &s.schema_dir,
        "the migrations",
    ) else {
        return Ok(Carried {
            plan,
            drops: Vec::new(),
        });
    };
    let (want, have) = tokio::try_join!(dump(s, desired), dump(s, current))?;
    let had: HashSet<String> = have
        .lines
        .iter()
        .filter_map(|l| Unmodelled::key(l))
        .collect();
    let lines: Vec<&str> = want
        .lines
        .iter()
        .filter(|l| Unmodelled::key(l).is_some_and(|k| !had.contains(&k)))
        .map(String::as_str)
        .collect();
    let Some(sql) = want.restore(&lines).await? else {
        return Err(Error::Refused(format!(
            "{missing}: pg_dump writes none of them for a migration (roles, policies and \
             superuser-only kinds are not written); write a migration that creates them first; \
             nothing written"
        )));
    };
    let extra: Vec<String> = crate::migrate::split::statements(&sql)
        .iter()
        .map(|st| format!("{};", st.sql.trim()))
        .collect();
    Ok(Carried {
        plan: interleave(current, "", plan, extra, Tried::After).await?,
        drops: want.drops(&lines).await?,
    })
}

/// Where `extra` is tried: after the plan's statements (creations: the
/// carried objects mostly build on modelled ones) or before them (drops:
/// a carried trigger on a view goes before the view does).
#[derive(Clone, Copy, PartialEq)]
pub enum Tried {
    After,
    Before,
}

/// `plan` and `extra` (SQL from schema/*.sql) in one order that runs on
/// `side`'s database after the script `first`.
pub async fn interleave(
    side: &Side,
    first: &str,
    plan: Plan,
    extra: Vec<String>,
    tried: Tried,
) -> Result<Plan> {
    if extra.is_empty() {
        return Ok(plan);
    }
    let planned: Vec<String> = plan.statements.iter().map(|st| st.sql.clone()).collect();
    let (n, e) = (planned.len(), extra.len());
    let all: Vec<String> = match tried {
        Tried::After => planned.into_iter().chain(extra.iter().cloned()).collect(),
        Tried::Before => extra.iter().cloned().chain(planned).collect(),
    };
    // Index into `all` → Ok(plan index) or Err(extra index).
    let which = |i: usize| match tried {
        Tried::After if i < n => Ok(i),
        Tried::After => Err(i - n),
        Tried::Before if i < e => Err(i),
        Tried::Before => Ok(i - e),
    };
    let order = side.order(first, &all).await?;
    let mut statements: Vec<Option<Statement>> = plan.statements.into_iter().map(Some).collect();
    let mut extra: Vec<Option<String>> = extra.into_iter().map(Some).collect();
    // Said once above each run of carried statements (a text search
    // configuration is a CREATE and a dozen ALTERs).
    let note = "from schema/*.sql, a kind strata does not diff (as pg_dump writes it)";
    let mut out: Vec<Statement> = Vec::with_capacity(order.len());
    let mut in_run = false;
    for i in order {
        let j = match which(i) {
            Ok(k) => {
                out.extend(statements[k].take());
                in_run = false;
                continue;
            }
            Err(j) => j,
        };
        let Some(sql) = extra[j].take() else { continue };
        let st = Statement::new(sql);
        out.push(match in_run {
            true => st,
            false => st.with([Hazard::Note(note.to_string())]),
        });
        in_run = true;
    }
    Ok(Plan {
        statements: out,
        cycle_broken_at: plan.cycle_broken_at,
    })
}

/// The schema-only dump of one side's open scratch database.
async fn dump(s: &Settings, side: &Side) -> Result<Unmodelled> {
    let (Some(client), Some(target)) = (side.client(), side.target()) else {
        return Err(Error::Bug("dumping a closed side".into()));
    };
    Unmodelled::dump(client, target, &s.embedded).await
}

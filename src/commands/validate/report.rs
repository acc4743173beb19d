//! The text form of a report: findings grouped by check, each with its
//! count, detail and fix SQL.

use super::{Check, Report};
use crate::escape::line;

fn title(c: Check) -> &'static str {
    match c {
        Check::InvalidIndex => "invalid indexes",
        Check::NotValidConstraint => "NOT VALID constraints",
        Check::SequenceBehind => "sequences behind their column",
        Check::MissingPrimaryKey => "tables without a primary key",
        Check::RowsInDefaultPartition => "rows in DEFAULT partitions",
        Check::HashPartitionGap => "hash partitions leaving remainders uncovered",
    }
}

pub fn text(r: &Report, target: &str) -> String {
    let mut out = String::new();
    for check in Check::ALL {
        let found: Vec<_> = r.findings.iter().filter(|f| f.check == check).collect();
        if found.is_empty() {
            out.push_str(&format!("{}: none\n", title(check)));
            continue;
        }
        out.push_str(&format!("{}: {}\n", title(check), found.len()));
        for f in found {
            // Names and definitions come from the catalog: one line each,
            // whatever they hold (the JSON form keeps them exact).
            out.push_str(&format!(
                "  {}\n    {}\n    fix:\n",
                line(&f.object),
                line(&f.detail)
            ));
            for l in f.fix.split('\n') {
                out.push_str(&format!("      {}\n", line(l)));
            }
        }
    }
    out.push_str(&if r.ok {
        format!("ok: nothing to report in {target}\n")
    } else {
        format!("{} finding(s) in {target}\n", r.findings.len())
    });
    out
}

//! A figure stated in the explanatory text agrees with the same figure in a table:
//! same metric, basis family and subject. The text figure passes when any table
//! figure of that metric equals it (reports print several scopes of one metric).

use std::collections::BTreeMap;

use super::{check, close, num, rounding, skipped};
use crate::model::{Basis, Check, CheckStatus, Doc, Fact, FactSource};
use crate::patterns::PatternSet;

const ID: &str = "text_vs_table";

fn family(b: Option<Basis>) -> Option<Basis> {
    match b {
        Some(Basis::BudgetInitial | Basis::BudgetFinal) => Some(Basis::Budget),
        b => b,
    }
}

pub fn run(doc: &Doc, pats: &PatternSet) -> Vec<Check> {
    type Key<'a> = (&'a str, Option<Basis>, Option<&'a str>);
    let mut table: BTreeMap<Key, Vec<&Fact>> = BTreeMap::new();
    for f in &doc.facts {
        if let (FactSource::Table, Some(m)) = (f.source, f.metric.as_deref()) {
            table
                .entry((m, family(f.basis), f.subject.as_deref()))
                .or_default()
                .push(f);
        }
    }
    let mut out = vec![];
    let mut seen = std::collections::BTreeSet::new();
    for f in &doc.facts {
        let (FactSource::Text, Some(m)) = (f.source, f.metric.as_deref()) else {
            continue;
        };
        if f.basis == Some(Basis::Change) || f.approx {
            continue;
        }
        let key = (m, family(f.basis), f.subject.as_deref());
        let Some(cands) = table.get(&key) else {
            continue;
        };
        if !seen.insert((m, family(f.basis), f.subject.as_deref(), f.value)) {
            continue;
        }
        let tol = cands
            .iter()
            .map(|c| rounding(c))
            .chain(std::iter::once(rounding(f)))
            .max()
            .unwrap_or_default()
            * pats.checks.money_tolerance_digits;
        let hit = cands.iter().find(|c| close(c.value, f.value, tol));
        let shown = hit.copied().unwrap_or(cands[0]);
        out.push(check(
            ID,
            CheckStatus::of(hit.is_some()),
            num(shown.value),
            num(f.value),
            format!(
                "{m}: text {} {} table {}{}",
                f.raw,
                if hit.is_some() { "=" } else { "≠" },
                shown.raw,
                shown
                    .table_id
                    .map(|t| format!(" (table {t})"))
                    .unwrap_or_default()
            ),
            vec![f.span, shown.span],
            Some(tol),
        ));
    }
    if out.is_empty() {
        out.push(skipped(
            ID,
            "no figure is stated both in the text and in a table",
        ));
    }
    out
}

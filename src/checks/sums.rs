//! Totals that must equal the sum of their parts, over facts (`[[sum]]` rules).

use std::collections::BTreeMap;

use super::{check, close, num, skipped, sum_tolerance};
use crate::model::{Basis, Check, CheckStatus, Doc, Fact, FactSource};
use crate::patterns::PatternSet;
use rust_decimal::Decimal;

/// Where figures that may be summed together come from: one table, or one section's
/// text with one basis and subject.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    Table(u32),
    Text(Option<u32>, Option<Basis>, Option<String>),
}

fn context(f: &Fact) -> Context {
    match (f.source, f.table_id) {
        (FactSource::Table, Some(t)) => Context::Table(t),
        _ => Context::Text(f.section_id, f.basis, f.subject.clone()),
    }
}

pub fn run(doc: &Doc, pats: &PatternSet) -> Vec<Check> {
    let mut out = vec![];
    for rule in &pats.checks.sums {
        let metrics: Vec<&str> = std::iter::once(rule.total.as_str())
            .chain(rule.parts.iter().map(String::as_str))
            .collect();
        // context → metric → first fact of that metric there (per basis for tables)
        let mut groups: BTreeMap<(Context, Option<Basis>), BTreeMap<&str, &Fact>> = BTreeMap::new();
        for f in &doc.facts {
            let Some(m) = f.metric.as_deref() else {
                continue;
            };
            let Some(&m) = metrics.iter().find(|x| **x == m) else {
                continue;
            };
            if f.basis == Some(Basis::Change) {
                continue;
            }
            groups
                .entry((context(f), f.basis))
                .or_default()
                .entry(m)
                .or_insert(f);
        }
        let mut ran = false;
        for found in groups.values() {
            let Some(total) = found.get(rule.total.as_str()) else {
                continue;
            };
            let parts: Vec<&Fact> = rule
                .parts
                .iter()
                .filter_map(|p| found.get(p.as_str()).copied())
                .collect();
            if parts.len() != rule.parts.len() {
                continue;
            }
            ran = true;
            let sum: Decimal = parts.iter().map(|f| f.value).sum();
            let tol = sum_tolerance(pats, parts.iter().copied().chain(std::iter::once(*total)));
            let ok = close(sum, total.value, tol);
            let raws: Vec<&str> = parts.iter().map(|f| f.raw.as_str()).collect();
            out.push(check(
                &rule.id,
                CheckStatus::of(ok),
                num(total.value),
                num(sum),
                format!(
                    "{}: {} = {} {} {}",
                    rule.description,
                    raws.join(" + "),
                    sum.normalize(),
                    if ok { "≈" } else { "≠" },
                    total.raw
                ),
                std::iter::once(total.span)
                    .chain(parts.iter().map(|f| f.span))
                    .collect(),
                Some(tol),
            ));
        }
        if !ran {
            let present: Vec<&str> = metrics
                .iter()
                .copied()
                .filter(|m| groups.values().any(|g| g.contains_key(m)))
                .collect();
            let reason = if present.is_empty() {
                format!("{}: none of its figures are stated", rule.description)
            } else {
                format!(
                    "{}: never stated together (found only {})",
                    rule.description,
                    present.join(", ")
                )
            };
            out.push(skipped(&rule.id, reason));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::fact;
    use crate::model::Basis::Actual;
    use rust_decimal_macros::dec;

    fn doc_with(facts: Vec<Fact>) -> Doc {
        let mut d = crate::checks::tests_support::empty_doc();
        d.facts = facts;
        d
    }

    #[test]
    fn sums_pass_fail_and_skip() {
        let p = PatternSet::embedded().unwrap();
        let d = doc_with(vec![
            fact("expenditure.total", Actual, dec!(740000), "74万元"),
            fact("expenditure.basic", Actual, dec!(740000), "74万元"),
            fact("expenditure.project", Actual, dec!(0), "0万元"),
            fact(
                "expenditure.personnel",
                Actual,
                dec!(1373500),
                "137.35 万元",
            ),
        ]);
        let out = run(&d, &p);
        let exp = out
            .iter()
            .find(|c| c.check == "sum.expenditure_parts")
            .unwrap();
        assert_eq!(exp.status, CheckStatus::Pass, "{exp:?}");
        let basic = out.iter().find(|c| c.check == "sum.basic_parts").unwrap();
        assert_eq!(basic.status, CheckStatus::Skipped);
        assert!(basic.message.contains("never stated together"));

        let bad = doc_with(vec![
            fact("three_public.vehicle", Actual, dec!(365600), "36.56万元"),
            fact(
                "three_public.vehicle_purchase",
                Actual,
                dec!(150000),
                "15万元",
            ),
            fact(
                "three_public.vehicle_operation",
                Actual,
                dec!(205600),
                "20.56万元",
            ),
        ]);
        let c = run(&bad, &p)
            .into_iter()
            .find(|c| c.check == "sum.three_public_vehicle")
            .unwrap();
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(c.spans.len(), 3);
    }
}

//! Column plans: a one-row table read by its standard columns.
//!
//! The 三公 table is one row of twelve figures under a three-line header, and
//! pdftotext can scramble that header (a banner spread over every column, pairs of
//! 预算数/决算数 wrapped over two lines). The row's own arithmetic tells readings
//! apart: the header's reading stands when it keeps the `[[sum]]`s of checks.toml
//! over the plan's columns; otherwise a `[[column_plan]]` of metrics.toml whose
//! reading keeps every one of them (one over figures not all zero) replaces it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::context::Context;
use crate::checks::{close, sum_tolerance};
use crate::model::{Basis, Fact, Table, Unit};
use crate::patterns::checks::SumRule;
use crate::patterns::metrics::ColumnPlan;
use crate::patterns::PatternSet;

/// Whether any plan may apply to the table, to skip the rest for other tables.
pub fn any_for(pats: &PatternSet, t: &Table) -> bool {
    pats.metrics.column_plans.iter().any(|p| covers(pats, p, t))
}

fn covers(pats: &PatternSet, p: &ColumnPlan, t: &Table) -> bool {
    p.kind == t.kind
        || pats
            .metrics
            .table_kinds
            .iter()
            .any(|k| k.kind == p.kind && k.applies(t.kind, t.title.as_deref()))
}

/// Read `row`, the facts of one table row in column order, by a plan when the
/// header's reading breaks the sums a plan keeps.
pub fn apply(pats: &PatternSet, ctx: &Context, t: &Table, header: &str, row: &mut [Fact]) {
    if row.iter().any(|f| f.unit != Unit::Cny) {
        return;
    }
    let plans: Vec<&ColumnPlan> = pats
        .metrics
        .column_plans
        .iter()
        .filter(|p| p.columns.len() == row.len() && covers(pats, p, t))
        .filter(|p| p.header_words.iter().all(|w| header.contains(w.as_str())))
        .collect();
    let current: Vec<(Option<&str>, Option<Basis>)> =
        row.iter().map(|f| (f.metric.as_deref(), f.basis)).collect();
    let mut chosen: Option<&ColumnPlan> = None;
    for p in plans {
        let sums: Vec<&SumRule> = pats.checks.sums.iter().filter(|s| p.has_sum(s)).collect();
        let bases: Vec<Basis> = p.columns.iter().map(|c| c.1).collect();
        if keeps(pats, &sums, &bases, &current, row) == Some(true) {
            return;
        }
        let planned: Vec<(Option<&str>, Option<Basis>)> = p
            .columns
            .iter()
            .map(|(m, b)| (Some(m.as_str()), Some(*b)))
            .collect();
        if keeps(pats, &sums, &bases, &planned, row) != Some(true) {
            continue;
        }
        let evidence = row.iter().any(|f| !f.value.is_zero());
        if !evidence {
            continue;
        }
        match chosen {
            None => chosen = Some(p),
            // Two plans that read the row differently: no telling which.
            Some(c) if c.columns != p.columns => return,
            Some(_) => {}
        }
    }
    let Some(p) = chosen else { return };
    for (f, (m, b)) in row.iter_mut().zip(&p.columns) {
        f.metric = Some(m.clone());
        f.basis = Some(*b);
        f.period = ctx.period(Some(*b));
        f.rule = p.id.clone();
    }
}

/// Whether `reading` (metric and basis per figure) keeps every sum on every basis:
/// `None` when a sum's total or a part is missing or stated twice over.
fn keeps(
    pats: &PatternSet,
    sums: &[&SumRule],
    bases: &[Basis],
    reading: &[(Option<&str>, Option<Basis>)],
    row: &[Fact],
) -> Option<bool> {
    let mut at: BTreeMap<(&str, Basis), &Fact> = BTreeMap::new();
    for ((m, b), f) in reading.iter().zip(row) {
        if let (Some(m), Some(b)) = (m, b) {
            if at.insert((m, *b), f).is_some() {
                return None;
            }
        }
    }
    let mut seen: Vec<Basis> = bases.to_vec();
    seen.sort();
    seen.dedup();
    for &b in &seen {
        for s in sums {
            let total = at.get(&(s.total.as_str(), b))?;
            let parts: Vec<&Fact> = s
                .parts
                .iter()
                .map(|p| at.get(&(p.as_str(), b)).copied())
                .collect::<Option<_>>()?;
            let sum: Decimal = parts.iter().map(|f| f.value).sum();
            let tol = sum_tolerance(pats, parts.iter().copied().chain(std::iter::once(*total)));
            if !close(sum, total.value, tol) {
                return Some(false);
            }
        }
    }
    Some(true)
}

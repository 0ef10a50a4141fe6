//! Performance-indicator tables: each score within its weight, scores and weights
//! adding up to the stated 总分 and to each level-1 heading's `(50分)`, and the
//! stated grade matching the score band (≥90 优, 80–89 良, 60–79 中, <60 差).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::json;

use super::{check, close, num, skipped};
use crate::model::{Check, CheckStatus, Doc, Grade, Indicator};

const ID_WEIGHT: &str = "indicator.score_within_weight";
const ID_TOTAL: &str = "indicator.scores_sum_to_total";
const ID_LEVEL1: &str = "indicator.weights_sum_to_level1";
const ID_GRADE: &str = "indicator.grade_matches_score";

fn tol() -> Decimal {
    Decimal::new(1, 2)
}

pub fn run(doc: &Doc) -> Vec<Check> {
    let mut by_table: BTreeMap<u32, Vec<&Indicator>> = BTreeMap::new();
    for i in &doc.indicators {
        by_table.entry(i.table_id).or_default().push(i);
    }
    let mut out = vec![];
    if by_table.is_empty() {
        for id in [ID_WEIGHT, ID_TOTAL, ID_LEVEL1] {
            out.push(skipped(id, "no performance-indicator table"));
        }
    }
    for (table, rows) in &by_table {
        let (totals, items): (Vec<&Indicator>, Vec<&Indicator>) =
            rows.iter().partition(|i| i.is_total);
        out.push(within_weight(*table, &items));
        out.push(
            match totals
                .first()
                .filter(|t| t.score.is_some() || t.weight.is_some())
            {
                Some(total) => sums_to_total(doc, *table, &items, total),
                None => sums_to_self_eval(doc, *table, &items),
            },
        );
        out.extend(level1(*table, &items));
    }
    out.push(grade(doc));
    out
}

fn within_weight(table: u32, items: &[&Indicator]) -> Check {
    let rated: Vec<&&Indicator> = items
        .iter()
        .filter(|i| i.weight.is_some() && i.score.is_some())
        .collect();
    if rated.is_empty() {
        return skipped(
            ID_WEIGHT,
            format!("table {table}: no row has both 分值 and 得分"),
        );
    }
    let over: Vec<&&Indicator> = rated
        .iter()
        .copied()
        .filter(|i| i.score > i.weight)
        .collect();
    let status = CheckStatus::of(over.is_empty());
    let found: Vec<_> = over
        .iter()
        .map(
            |i| json!({"level3": i.level3, "weight": i.weight.map(num), "score": i.score.map(num)}),
        )
        .collect();
    check(
        ID_WEIGHT,
        status,
        json!({"rows": rated.len(), "over_weight": 0}),
        json!({"rows": rated.len(), "over_weight": over.len(), "over": found}),
        format!(
            "table {table}: {} of {} indicator scores exceed their weight",
            over.len(),
            rated.len()
        ),
        if over.is_empty() {
            rated.iter().map(|i| i.span).collect()
        } else {
            over.iter().map(|i| i.span).collect()
        },
        Some(tol()),
    )
}

/// The budget-execution row of a table (`年度资金总额 … 分值 10 … 得分 5`), which
/// the usual whole-unit template counts in the 100 points beside the indicators.
struct BudgetRow {
    weight: Option<Decimal>,
    score: Option<Decimal>,
    span: Option<crate::model::Span>,
}

fn budget_row(doc: &Doc, table: u32) -> Option<BudgetRow> {
    let t = doc.tables.iter().find(|t| t.table_id == table)?;
    let column = |word: &str| {
        t.header.iter().chain(t.rows.iter()).find_map(|h| {
            h.iter()
                .position(|c| crate::patterns::tables::compact(&c.text) == word)
        })
    };
    let row = t
        .rows
        .iter()
        .find(|r| r.iter().any(|c| c.text.contains("资金总额")))?;
    let value = |col: Option<usize>| {
        let cell = row.get(col?)?;
        let text = cell.text.trim();
        let (v, n) = crate::numbers::read_decimal(text)?;
        (n == text.len()).then_some((v, cell.span))
    };
    let score = value(column("得分"));
    let weight = value(column("分值"));
    (score.is_some() || weight.is_some()).then(|| BudgetRow {
        span: score.and_then(|s| s.1),
        score: score.map(|s| s.0),
        weight: weight.map(|w| w.0),
    })
}

/// A whole-unit table without a 总分 figure: its scores (with the budget-execution
/// row's) against the self-evaluation score the report states.
fn sums_to_self_eval(doc: &Doc, table: u32, items: &[&Indicator]) -> Check {
    let stated = doc.card.self_eval.score;
    let whole_unit = items.iter().all(|i| i.subject.is_none());
    let Some(stated) = stated.filter(|_| whole_unit && !items.is_empty()) else {
        return skipped(
            ID_TOTAL,
            format!("table {table}: no 总分 row with figures and no stated self-evaluation score"),
        );
    };
    let budget = budget_row(doc, table).filter(|b| b.score.is_some());
    let sum: Decimal = items.iter().filter_map(|i| i.score).sum::<Decimal>()
        + budget.as_ref().and_then(|b| b.score).unwrap_or_default();
    let ok = close(sum, stated, tol());
    let spans = doc
        .facts
        .iter()
        .filter(|f| f.metric.as_deref() == Some("self_eval.score") && f.subject.is_none())
        .map(|f| f.span)
        .take(1)
        .chain(budget.as_ref().and_then(|b| b.span))
        .chain(items.iter().map(|i| i.span))
        .collect();
    check(
        ID_TOTAL,
        CheckStatus::of(ok),
        json!({"score": num(stated)}),
        json!({"score": num(sum)}),
        format!(
            "table {table}: no 总分 figures; indicator scores{} add to {}, the stated self-evaluation score is {}",
            if budget.is_some() { " and the budget-execution row's" } else { "" },
            sum.normalize(),
            stated.normalize()
        ),
        spans,
        Some(tol()),
    )
}

/// The rows against the 总分 row: the indicators alone, or (the usual whole-unit
/// template) the indicators and the budget-execution row together.
fn sums_to_total(doc: &Doc, table: u32, items: &[&Indicator], total: &Indicator) -> Check {
    let agrees = |score: Decimal, weight: Decimal| {
        total.score.is_none_or(|s| close(s, score, tol()))
            && total.weight.is_none_or(|w| close(w, weight, tol()))
    };
    let mut score_sum: Decimal = items.iter().filter_map(|i| i.score).sum();
    let mut weight_sum: Decimal = items.iter().filter_map(|i| i.weight).sum();
    let mut ok = agrees(score_sum, weight_sum);
    let mut with_budget = false;
    if !ok {
        if let Some(b) = budget_row(doc, table) {
            let (s, w) = (
                score_sum + b.score.unwrap_or_default(),
                weight_sum + b.weight.unwrap_or_default(),
            );
            if agrees(s, w) {
                (score_sum, weight_sum, ok, with_budget) = (s, w, true, true);
            }
        }
    }
    check(
        ID_TOTAL,
        CheckStatus::of(ok),
        json!({"score": total.score.map(num), "weight": total.weight.map(num)}),
        json!({"score": num(score_sum), "weight": num(weight_sum)}),
        format!(
            "table {table}: rows{} add to score {} / weight {}; 总分 row states {} / {}",
            if with_budget {
                " and the budget-execution row"
            } else {
                ""
            },
            score_sum.normalize(),
            weight_sum.normalize(),
            total
                .score
                .map(|d| d.normalize().to_string())
                .unwrap_or("—".into()),
            total
                .weight
                .map(|d| d.normalize().to_string())
                .unwrap_or("—".into()),
        ),
        std::iter::once(total.span)
            .chain(items.iter().map(|i| i.span))
            .collect(),
        Some(tol()),
    )
}

fn level1(table: u32, items: &[&Indicator]) -> Vec<Check> {
    let mut groups: Vec<(String, Decimal, Vec<&Indicator>)> = vec![];
    for i in items {
        let (Some(l1), Some(w)) = (i.level1.clone(), i.level1_weight) else {
            continue;
        };
        match groups.iter_mut().find(|g| g.0 == l1) {
            Some(g) => g.2.push(i),
            None => groups.push((l1, w, vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(l1, w, rows)| {
            let sum: Decimal = rows.iter().filter_map(|i| i.weight).sum();
            let ok = close(sum, w, tol());
            check(
                ID_LEVEL1,
                CheckStatus::of(ok),
                num(w),
                num(sum),
                format!(
                    "table {table}: {l1} states {}分, its rows' weights add to {}",
                    w.normalize(),
                    sum.normalize()
                ),
                rows.iter().map(|i| i.span).collect(),
                Some(tol()),
            )
        })
        .collect()
}

pub fn band(score: Decimal) -> Grade {
    if score >= Decimal::from(90) {
        Grade::Excellent
    } else if score >= Decimal::from(80) {
        Grade::Good
    } else if score >= Decimal::from(60) {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

fn grade(doc: &Doc) -> Check {
    let se = &doc.card.self_eval;
    let (Some(score), Some(g)) = (se.score, se.grade) else {
        return skipped(
            ID_GRADE,
            "the document does not state both a self-evaluation score and grade",
        );
    };
    let want = band(score);
    let spans: Vec<_> = doc
        .facts
        .iter()
        .filter(|f| f.metric.as_deref() == Some("self_eval.score") && f.subject.is_none())
        .map(|f| f.span)
        .take(1)
        .collect();
    check(
        ID_GRADE,
        CheckStatus::of(want == g),
        serde_json::to_value(want).unwrap_or_default(),
        serde_json::to_value(g).unwrap_or_default(),
        format!(
            "self-evaluation {} points bands as {}, stated {}",
            score.normalize(),
            want.as_str(),
            se.grade_raw.as_deref().unwrap_or("?")
        ),
        spans,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests_support::empty_doc;
    use crate::model::{Measure, Span};
    use rust_decimal_macros::dec;

    fn row(
        l1: &str,
        w1: Decimal,
        l3: &str,
        weight: Decimal,
        score: Decimal,
        total: bool,
    ) -> Indicator {
        Indicator {
            table_id: 1,
            subject: None,
            level1: Some(l1.into()),
            level1_weight: Some(w1),
            level2: None,
            level3: Some(l3.into()),
            target: Measure::default(),
            actual: Measure::default(),
            weight: Some(weight),
            score: Some(score),
            note: None,
            span: Span::default(),
            is_total: total,
        }
    }

    #[test]
    fn indicator_checks() {
        let mut d = empty_doc();
        d.indicators = vec![
            row("产出指标", dec!(50), "a", dec!(25), dec!(25), false),
            row("产出指标", dec!(50), "b", dec!(25), dec!(20), false),
            row("效益指标", dec!(30), "c", dec!(40), dec!(50), false),
            row("", dec!(0), "总分", dec!(90), dec!(95), true),
        ];
        let out = run(&d);
        let st = |id: &str| {
            out.iter()
                .filter(|c| c.check == id)
                .map(|c| c.status)
                .collect::<Vec<_>>()
        };
        assert_eq!(st(ID_WEIGHT), vec![CheckStatus::Fail]);
        assert_eq!(st(ID_TOTAL), vec![CheckStatus::Pass]);
        assert_eq!(st(ID_LEVEL1), vec![CheckStatus::Pass, CheckStatus::Fail]);
        assert_eq!(st(ID_GRADE), vec![CheckStatus::Skipped]);
    }

    #[test]
    fn bands() {
        assert_eq!(band(dec!(95)), Grade::Excellent);
        assert_eq!(band(dec!(89.5)), Grade::Good);
        assert_eq!(band(dec!(60)), Grade::Fair);
        assert_eq!(band(dec!(59.9)), Grade::Poor);
    }
}

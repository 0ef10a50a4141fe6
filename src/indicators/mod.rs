//! Stage 4b: the rows of performance-indicator (绩效指标) blocks.
//!
//! A block starts at a row whose cells name the indicator columns (一级指标,
//! 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因…; the words are in
//! `patterns/tables.toml`), wherever it sits in a table: evaluation forms put it
//! below the funds and goals blocks. Each following row is an indicator: merged
//! level-1/level-2 cells were filled down by the tables stage (and are carried
//! forward here too), `产出指标(50分)` gives level 1 and its weight, target and
//! actual are read as quantities (`≥95%` → ≥, 95, percent). Rows with only a
//! level-2 label and nothing else are placeholders and skipped; the 总分 row is
//! kept with `is_total` for the checks stage.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::{Cell, Indicator, Measure, Span, Table, TableKind};
use crate::normalize::{simplified, NormDoc};
use crate::numbers::{parse_quantity, read_decimal};
use crate::patterns::tables::{any, compact, IndicatorColumn};
use crate::patterns::PatternSet;

/// Indicator rows of every 绩效指标 block in `tables`.
pub fn extract(norm: &NormDoc, tables: &[Table], pats: &PatternSet) -> Vec<Indicator> {
    let mut out = vec![];
    for t in tables {
        let rows: Vec<&Vec<Cell>> = t.header.iter().chain(t.rows.iter()).collect();
        let mut block: Option<Block> = None;
        for r in rows {
            if let Some(b) = header_columns(r, pats) {
                block = Some(b);
                continue;
            }
            let Some(b) = block.as_mut() else {
                continue;
            };
            match read_row(norm, t, b, r, pats) {
                Row::Indicator(i) => out.push(*i),
                Row::Total(i) => {
                    out.push(*i);
                    block = None;
                }
                Row::Skip => {}
            }
        }
    }
    out
}

/// A 绩效指标 block being read: which column holds what, and the labels carried
/// down from the rows above.
struct Block {
    /// First and last table column under each heading: a layout reader splits a
    /// column whose values are aligned both ways (`≥90%` right, `≥620万毫升` left)
    /// and repeats its heading over both halves.
    columns: BTreeMap<IndicatorColumn, (usize, usize)>,
    width: usize,
    /// The column of level 1's own points, in scoring tables.
    level1_weight: Option<usize>,
    /// What that column said for the current level 1.
    level1_points: Option<Decimal>,
    level1: Option<String>,
    level2: Option<String>,
}

/// The row names the indicator columns: level 3 and at least two of the others.
fn header_columns(r: &[Cell], pats: &PatternSet) -> Option<Block> {
    let mut columns = BTreeMap::new();
    let mut weights = vec![];
    for (j, c) in r.iter().enumerate() {
        if c.text.is_empty() {
            continue;
        }
        let s = compact(&c.text);
        if let Some(rule) = pats
            .tables
            .indicator_columns
            .iter()
            .find(|rule| rule.re.is_match(&s))
        {
            if rule.column == IndicatorColumn::Weight {
                weights.push(j);
                continue;
            }
            let at = columns.entry(rule.column).or_insert((j, j));
            if at.1 + 1 == j {
                at.1 = j;
            }
        }
    }
    // Scoring tables give each level its points (`一级指标 | 分值 | 二级指标 | 分值 |
    // 三级指标 | 分值`): an indicator's weight is the 分值 after level 3, and the one
    // right after level 1 is level 1's.
    let level3 = columns.get(&IndicatorColumn::Level3).map(|&(_, k)| k);
    let level1 = columns.get(&IndicatorColumn::Level1).map(|&(_, k)| k);
    let mut level1_weight = None;
    let leaf = match level3 {
        Some(l3) if weights.iter().any(|&j| j > l3) => {
            level1_weight = level1
                .filter(|&l1| l1 < l3 && weights.contains(&(l1 + 1)))
                .map(|l1| l1 + 1);
            weights.iter().position(|&j| j > l3).unwrap_or(0)
        }
        _ => 0,
    };
    if let Some(&first) = weights.get(leaf) {
        let mut last = first;
        for &j in &weights[leaf + 1..] {
            if j != last + 1 {
                break;
            }
            last = j;
        }
        columns.insert(IndicatorColumn::Weight, (first, last));
    }
    let has = |c: IndicatorColumn| columns.contains_key(&c);
    let others = [
        IndicatorColumn::Level1,
        IndicatorColumn::Level2,
        IndicatorColumn::Target,
        IndicatorColumn::Actual,
        IndicatorColumn::Weight,
        IndicatorColumn::Score,
    ]
    .into_iter()
    .filter(|&c| has(c))
    .count();
    (has(IndicatorColumn::Level3) && others >= 2).then_some(Block {
        columns,
        width: r.len(),
        level1_weight,
        level1_points: None,
        level1: None,
        level2: None,
    })
}

enum Row {
    Indicator(Box<Indicator>),
    Total(Box<Indicator>),
    Skip,
}

fn read_row(norm: &NormDoc, t: &Table, b: &mut Block, r: &[Cell], pats: &PatternSet) -> Row {
    if r.iter().all(|c| c.text.is_empty()) {
        return Row::Skip;
    }
    let span = r
        .iter()
        .filter(|c| !c.filled)
        .filter_map(|c| c.span)
        .reduce(Span::cover)
        .unwrap_or_default();
    let subject = if t.kind == TableKind::DeptEval {
        None
    } else {
        t.subject.clone()
    };

    // The 总分 row: its figures are the total weight and score, in that order. Its
    // label is the first cell's, or, where a wrapped label above spilled onto its
    // line (`（10分） | 指标 | 总分`), any cell's of a row with two figures at most.
    let first = r.iter().find(|c| !c.text.is_empty() && !c.filled);
    let is_total = |c: &Cell| !c.filled && any(&pats.tables.indicator_totals, &compact(&c.text));
    let figures: Vec<Decimal> = r.iter().filter_map(|c| number(&c.text, pats)).collect();
    if first.is_some_and(is_total) || (figures.len() <= 2 && r.iter().any(is_total)) {
        return Row::Total(Box::new(Indicator {
            table_id: t.table_id,
            subject,
            level1: None,
            level1_weight: None,
            level2: None,
            level3: None,
            target: Measure::default(),
            actual: Measure::default(),
            weight: figures.first().copied(),
            score: figures.get(1).copied(),
            note: None,
            span,
            is_total: true,
        }));
    }

    // Cells by column. A row too narrow to reach the figure columns lost its
    // leading (merged) cells; one that only lacks trailing cells is aligned as is.
    let last_needed = b
        .columns
        .iter()
        .filter(|(c, _)| **c != IndicatorColumn::Note)
        .map(|(_, &(j, _))| j)
        .max()
        .unwrap_or(0);
    // Unless only the shift puts figures under 分值 and 得分: the row lost a
    // leading cell merged over the whole block (`绩效指标`).
    let shifted = b.width.saturating_sub(r.len());
    let figures_at = |off: usize| {
        [IndicatorColumn::Weight, IndicatorColumn::Score]
            .iter()
            .filter_map(|c| b.columns.get(c))
            .filter(|&&(j, _)| {
                j.checked_sub(off)
                    .and_then(|j| r.get(j))
                    .is_some_and(|c| number(&c.text, pats).is_some())
            })
            .count()
    };
    let offset = if r.len() <= last_needed || figures_at(shifted) > figures_at(0) {
        shifted
    } else {
        0
    };
    let cell = |c: IndicatorColumn| -> Option<Cell> {
        let &(j, k) = b.columns.get(&c)?;
        let j = j.checked_sub(offset)?;
        let k = k.saturating_sub(offset);
        let under = r.get(j..=k.min(r.len().saturating_sub(1)))?;
        let first = under.iter().find(|c| !c.text.is_empty())?;
        // A merged cell's copies (`filled`) are not more of its text.
        let mut parts = under.iter().filter(|c| !c.text.is_empty() && !c.filled);
        let Some(mut out) = parts.next().cloned() else {
            return Some(first.clone());
        };
        for p in parts {
            out.text.push_str(&p.text);
            out.span = match (out.span, p.span) {
                (Some(a), Some(b)) => Some(a.cover(b)),
                (a, b) => a.or(b),
            };
        }
        Some(out)
    };
    let text = |c: IndicatorColumn| cell(c).map(|x| x.text.clone());

    let points = b
        .level1_weight
        .and_then(|j| r.get(j.checked_sub(offset)?))
        .and_then(|c| number(&c.text, pats));
    let level1_raw = text(IndicatorColumn::Level1);
    if level1_raw.is_some() || points.is_some() {
        b.level1_points = points;
    }
    if let Some(l1) = level1_raw {
        b.level1 = Some(match b.level1.take() {
            // The points of the level-1 label above, wrapped onto this row
            // (`产出指标` centred over its rows, `(50分)` a line below).
            Some(prev) if points_only(&l1, pats) && split_level1(&prev, pats).1.is_none() => {
                prev + &l1
            }
            _ => l1,
        });
    }
    if let Some(l2) = text(IndicatorColumn::Level2) {
        b.level2 = Some(l2);
    }
    let level3 = text(IndicatorColumn::Level3);
    let target = cell(IndicatorColumn::Target).map(|c| measure(norm, &c, pats));
    let actual = cell(IndicatorColumn::Actual).map(|c| measure(norm, &c, pats));
    let weight = text(IndicatorColumn::Weight).and_then(|s| number(&s, pats));
    let score = text(IndicatorColumn::Score).and_then(|s| number(&s, pats));
    if level3.is_none()
        && target.is_none()
        && actual.is_none()
        && weight.is_none()
        && score.is_none()
    {
        // A placeholder row (a level-2 label with nothing under it).
        return Row::Skip;
    }
    let (level1, level1_weight) = match &b.level1 {
        Some(l1) => split_level1(l1, pats),
        None => (None, None),
    };
    let level1_weight = level1_weight.or(b.level1_points);
    Row::Indicator(Box::new(Indicator {
        table_id: t.table_id,
        subject,
        level1,
        level1_weight,
        level2: b.level2.clone(),
        level3,
        target: target.unwrap_or_default(),
        actual: actual.unwrap_or_default(),
        weight,
        score,
        note: text(IndicatorColumn::Note),
        span,
        is_total: false,
    }))
}

/// `产出指标(50分)` → (`产出指标`, 50).
fn split_level1(s: &str, pats: &PatternSet) -> (Option<String>, Option<Decimal>) {
    for r in &pats.tables.level1_weights {
        if let Some(c) = r.re.captures(s) {
            let name = c.name("name").map(|m| m.as_str().trim().to_string());
            let w = c
                .name("weight")
                .and_then(|m| read_decimal(m.as_str()))
                .map(|(v, _)| v);
            return (name, w);
        }
    }
    (Some(s.to_string()), None)
}

/// A level-1 cell that holds only its points (`(50分)`).
fn points_only(s: &str, pats: &PatternSet) -> bool {
    let (name, w) = split_level1(&format!("指标{s}"), pats);
    w.is_some() && name.as_deref() == Some("指标")
}

/// A weight or score cell: a bare number, or one with a unit word (`10分`).
fn number(s: &str, pats: &PatternSet) -> Option<Decimal> {
    parse_quantity(s, &pats.units).map(|(_, v, _)| v)
}

/// A target or actual cell: the text as written (simplified, like the indicator's
/// names), and the quantity when it is one.
fn measure(norm: &NormDoc, c: &Cell, pats: &PatternSet) -> Measure {
    let raw = simplified(&source_text(norm, c));
    match parse_quantity(&c.text, &pats.units) {
        Some((op, value, unit)) => Measure {
            raw: Some(raw),
            value: Some(value),
            unit,
            op,
        },
        None => Measure {
            raw: Some(raw),
            value: None,
            unit: None,
            op: None,
        },
    }
}

/// The decoded text of a one-line cell (a figure as published); the cell's shown
/// text when it spans lines.
fn source_text(norm: &NormDoc, c: &Cell) -> String {
    match c.span {
        Some(sp) if sp.line == sp.line_end && sp.end > sp.start && sp.line >= 1 => {
            // Within its own line only: no walk over the whole document.
            let src = &norm.source;
            let (ls, le) = src.line_range((sp.line as usize - 1).min(src.line_count() - 1));
            let first_char = src.char_of_byte(ls as u32);
            let s: String = src.as_str()[ls..le]
                .chars()
                .skip(sp.start.saturating_sub(first_char) as usize)
                .take((sp.end - sp.start) as usize)
                .collect();
            let s = s.trim();
            if s.is_empty() {
                c.text.clone()
            } else {
                s.to_string()
            }
        }
        _ => c.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn level1_weights() {
        let p = PatternSet::embedded().unwrap();
        assert_eq!(
            split_level1("产出指标(50分)", &p),
            (Some("产出指标".into()), Some(dec!(50)))
        );
        assert_eq!(split_level1("满意度", &p), (Some("满意度".into()), None));
        assert!(points_only("(50分)", &p) && points_only("50分", &p));
        assert!(!points_only("满意度指标(10分)", &p) && !points_only("满意度", &p));
    }

    /// Regression: a 总分 row that a wrapped label above spilled onto
    /// (`（10分） | 指标 | 总分 | 100 | 95.31`) was read as an indicator named 总分.
    #[test]
    fn a_total_row_under_spilled_labels() {
        let p = PatternSet::embedded().unwrap();
        let cell = |s: &str| Cell {
            text: s.to_string(),
            span: None,
            filled: false,
        };
        let row = |cells: &[&str]| cells.iter().map(|c| cell(c)).collect::<Vec<_>>();
        let norm = NormDoc::new(String::new());
        let t = Table {
            table_id: 1,
            section_id: None,
            kind: TableKind::DeptEval,
            title: None,
            subject: None,
            unit: None,
            layout: crate::model::Layout::Aligned,
            header: vec![row(&[
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
            ])],
            rows: vec![
                row(&[
                    "满意度指标",
                    "服务对象满意度指标",
                    "受益群众满意度",
                    "≥90%",
                    "88.7%",
                    "10",
                    "9",
                ]),
                row(&["(10分)", "指标", "总分", "", "", "100", "95.31"]),
            ],
            span: Span::default(),
            lines: (0, 3),
            title_line: None,
            rule: String::new(),
        };
        let got = extract(&norm, &[t], &p);
        assert_eq!(got.len(), 2);
        assert!(
            got[1].is_total && got[1].score == Some(dec!(95.31)),
            "{got:?}"
        );
    }
}

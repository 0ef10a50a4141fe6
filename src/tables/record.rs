//! `record`: a form typed out as `label：value` lines — a 自评表 written in Word one
//! field per line, each indicator a block of `一级指标：…` / `三级指标：…` /
//! `得分：…` lines. Nothing in such a line says "table" but its label, so a run of
//! them is read only when it holds an indicator record (a level and at least two
//! other indicator columns, `patterns/tables.toml` `[[indicator_column]]`) or
//! repeated blocks of fields (below).
//!
//! The rows are what a cell-per-line reader makes of the same form, so the table is
//! reported as `cell_per_line` and later stages need nothing new:
//! - a field is a row `[label, value]`;
//! - a label without a value over fields of figures (`项目资金：` / `年度预算数：96.00万元`
//!   / `执行率：97.50%`) is a header row `[label, names…]` and a row `[label, figures…]`;
//! - indicator records are a header row of their labels and a row per record; a new
//!   record starts where a label comes again or after a blank line;
//! - the `总分` line after them is the block's total row: its figure under 分值 when a
//!   score line (`自评得分：`) follows and goes under 得分, else under 得分;
//! - label lines over blocks of the same fields (a 基础数据表: `“三公”经费` over
//!   `　　2023年决算数：5.86` / `　　2024年预算数：6.50`) are the rows of one grid,
//!   the field names its header, printed once; a block no other repeats keeps its
//!   fields as rows of their own. Three such blocks make a table too.
//!
//! A run holding several forms is cut before each further `项目名称` line.

use crate::model::{Cell, Layout, LineRole};
use crate::normalize::{is_han, NormDoc};
use crate::numbers::parse_quantity;
use crate::patterns::tables::{any, compact, IndicatorColumn};
use crate::patterns::PatternSet;

use super::grid::{self, Rows};
use super::text::{is_placeholder, RawCell};
use super::{transparent, Found};

/// A label longer than this is a sentence, not a field name.
const MAX_LABEL_CHARS: usize = 16;
/// A line naming a block of fields is no longer than this.
const MAX_HEADING_CHARS: usize = 30;
/// Blocks of fields under label lines, with the same field names, that make a
/// table without indicator records.
const MIN_KEYED_BLOCKS: usize = 3;

/// A `label：value` line: the label's and the value's byte ranges in the
/// normalised text (the value's may be empty); or, with no value at all, a label
/// line over a block of fields (`项目支出` / `　　2024年预算数：1286.40`).
#[derive(Debug, Clone, Copy)]
struct Pair {
    line: usize,
    label: (usize, usize),
    value: (usize, usize),
    /// A line of its own naming the fields below it, not a field.
    heading: bool,
    /// A blank line lies between this pair and the one before it.
    after_blank: bool,
}

fn pair_at(norm: &NormDoc, i: usize) -> Option<Pair> {
    let (a, b) = norm.line_bounds(i);
    let line = &norm.text.as_str()[a..b];
    let colon = line.find(':')?;
    let label = line[..colon].trim();
    let lead = line.len() - line.trim_start().len();
    let chars = label.chars().count();
    let labelish = (2..=MAX_LABEL_CHARS).contains(&chars)
        && label.chars().filter(|&c| is_han(c)).count() >= 2
        && label
            .chars()
            .all(|c| is_han(c) || c.is_ascii_digit() || matches!(c, '(' | ')' | '、' | '/'));
    if !labelish {
        return None;
    }
    let value = &line[colon + 1..];
    let vlead = value.len() - value.trim_start().len();
    let va = a + colon + 1 + vlead;
    let vb = (a + colon + 1 + value.trim_end().len()).max(va);
    Some(Pair {
        line: i,
        label: (a + lead, a + lead + label.len()),
        value: (va, vb),
        heading: false,
        after_blank: false,
    })
}

/// A short line of words without a colon: perhaps the name of the fields below it.
fn heading_at(norm: &NormDoc, i: usize) -> Option<Pair> {
    let (a, b) = norm.line_bounds(i);
    let line = &norm.text.as_str()[a..b];
    let t = line.trim();
    let ok = !t.is_empty()
        && t.chars().count() <= MAX_HEADING_CHARS
        && !t.contains([':', '\t'])
        && !crate::segment::has_sentence_punct(t)
        && t.chars().any(is_han);
    let lead = line.len() - line.trim_start().len();
    ok.then_some(Pair {
        line: i,
        label: (a + lead, a + lead + t.len()),
        value: (a + lead + t.len(), a + lead + t.len()),
        heading: true,
        after_blank: false,
    })
}

/// Forms written as `label：value` lines, outside lines already `used`.
pub(crate) fn find(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    used: &[bool],
) -> Vec<Found> {
    let n = norm.line_count();
    let skip = |i: usize| roles.get(i).copied().is_some_and(transparent);
    let mut out = vec![];
    let mut i = 0;
    while i < n {
        if used[i] || skip(i) {
            i += 1;
            continue;
        }
        // A run starts on a field, or on a label line right over one; not on a
        // table's meta line (`填报单位：`, `金额单位：万元`).
        let meta = any(&pats.tables.meta, norm.line(i).trim());
        let Some(first) = pair_at(norm, i)
            .filter(|_| !meta)
            .or_else(|| heading_at(norm, i).filter(|_| next_pair(norm, roles, used, i + 1)))
        else {
            i += 1;
            continue;
        };
        // The run: fields and label lines over fields, blank lines between allowed.
        let mut run = vec![first];
        let mut blank = false;
        let mut j = i + 1;
        while j < n && !used[j] {
            if skip(j) {
                j += 1;
                continue;
            }
            if norm.line(j).trim().is_empty() {
                blank = true;
                j += 1;
                continue;
            }
            let next = pair_at(norm, j)
                .or_else(|| heading_at(norm, j).filter(|_| next_pair(norm, roles, used, j + 1)));
            let Some(mut p) = next else { break };
            p.after_blank = blank;
            blank = false;
            run.push(p);
            j += 1;
        }
        i = run.last().map_or(i, |p| p.line) + 1;
        for form in forms(norm, pats, &run) {
            if let Some(f) = read_form(norm, pats, form) {
                out.push(f);
            }
        }
    }
    out
}

/// Whether a field follows from line `i` on, no blank line between, past at most
/// one more label line (`【经费控制情况】` over `“三公”经费` over its fields).
fn next_pair(norm: &NormDoc, roles: &[LineRole], used: &[bool], i: usize) -> bool {
    let ok = |i: usize| {
        i < norm.line_count() && !used[i] && !roles.get(i).copied().is_some_and(transparent)
    };
    ok(i)
        && (pair_at(norm, i).is_some()
            || (heading_at(norm, i).is_some() && ok(i + 1) && pair_at(norm, i + 1).is_some()))
}

fn label_of<'n>(norm: &'n NormDoc, p: &Pair) -> std::borrow::Cow<'n, str> {
    compact(&norm.text.as_str()[p.label.0..p.label.1])
}

fn value_of<'a>(norm: &'a NormDoc, p: &Pair) -> &'a str {
    &norm.text.as_str()[p.value.0..p.value.1]
}

fn column_of(norm: &NormDoc, pats: &PatternSet, p: &Pair) -> Option<IndicatorColumn> {
    let s = label_of(norm, p);
    pats.tables
        .indicator_columns
        .iter()
        .find(|r| r.re.is_match(&s))
        .map(|r| r.column)
}

/// The run cut before each `项目名称` line that follows a form's own.
fn forms<'a>(norm: &NormDoc, pats: &PatternSet, run: &'a [Pair]) -> Vec<&'a [Pair]> {
    let mut out = vec![];
    let mut start = 0;
    let mut named = false;
    for (k, p) in run.iter().enumerate() {
        if any(&pats.tables.subjects, &label_of(norm, p)) {
            if named && k > start {
                out.push(&run[start..k]);
                start = k;
            }
            named = true;
        }
    }
    out.push(&run[start..]);
    out
}

fn cell(norm: &NormDoc, range: (usize, usize)) -> Cell {
    RawCell::from_range(norm, range.0, range.1).to_cell(norm)
}

fn is_level(c: Option<IndicatorColumn>) -> bool {
    matches!(
        c,
        Some(IndicatorColumn::Level1 | IndicatorColumn::Level2 | IndicatorColumn::Level3)
    )
}

/// One form's rows, or `None` when it holds no indicator record.
fn read_form(norm: &NormDoc, pats: &PatternSet, form: &[Pair]) -> Option<Found> {
    let figure = |p: &Pair| {
        let v = value_of(norm, p);
        is_placeholder(v) || parse_quantity(v, &pats.units).is_some()
    };
    // How many fields of figures follow a label at `k`, and their names.
    let fields_under = |k: usize| {
        if figure(&form[k]) {
            return 0;
        }
        let n = form[k + 1..]
            .iter()
            .take_while(|q| !q.heading && figure(q) && !is_level(column_of(norm, pats, q)))
            .count();
        if n >= 2 {
            n
        } else {
            0
        }
    };
    let names_at = |k: usize| -> Vec<std::borrow::Cow<str>> {
        form[k + 1..=k + fields_under(k)]
            .iter()
            .map(|q| label_of(norm, q))
            .collect()
    };
    let mut rows: Vec<Vec<Cell>> = vec![];
    let mut records = false;
    // Field names of the last block under a label line, and how many blocks had them.
    let mut keys: Vec<std::borrow::Cow<str>> = vec![];
    // The first row of figures: the rows above it are the header, whatever the
    // grid would make of figures with units (`52人`).
    let mut first_data: Option<usize> = None;
    let mut keyed = 0;
    let mut most_keyed = 0;
    let mut k = 0;
    while k < form.len() {
        let p = &form[k];
        let col = column_of(norm, pats, p);
        // A label over fields of figures: a label line, a label field without
        // a value (`项目资金：`), or a field of words (`其中：公车购置`), which is
        // then a label line.
        let figs = fields_under(k);
        let names = names_at(k);
        // A label line over fields no other block repeats (`【人员情况】` over
        // `编制数：52人`): the fields are rows of their own.
        let next = k + figs + 1;
        let alone = p.heading && names != keys && (next >= form.len() || names_at(next) != names);
        if !alone && figs >= 2 {
            let group = &form[k + 1..=k + figs];
            let mut p = *p;
            if p.value.0 < p.value.1 {
                p = Pair {
                    label: (p.label.0, p.value.1),
                    value: (p.value.1, p.value.1),
                    heading: true,
                    ..p
                };
            }
            let label = cell(norm, p.label);
            // A label line heads a row of a grid whose header is the field
            // names, printed once; a label field (`项目资金：`) heads its own.
            if !p.heading || names != keys {
                let corner = if p.heading {
                    Cell::empty()
                } else {
                    label.clone()
                };
                rows.push(
                    std::iter::once(corner)
                        .chain(group.iter().map(|q| cell(norm, q.label)))
                        .collect(),
                );
                keyed = 0;
            }
            if p.heading {
                keyed += 1;
                most_keyed = most_keyed.max(keyed);
            }
            keys = if p.heading { names } else { vec![] };
            first_data.get_or_insert(rows.len());
            rows.push(
                std::iter::once(label)
                    .chain(group.iter().map(|q| cell(norm, q.value)))
                    .collect(),
            );
            k += figs + 1;
            continue;
        }
        if is_level(col) {
            let (taken, block) = records_at(norm, pats, &form[k..]);
            if let Some(block) = block {
                first_data.get_or_insert(rows.len() + 1);
                rows.extend(block);
                records = true;
                k += taken;
                continue;
            }
        }
        if p.heading {
            rows.push(vec![cell(norm, p.label)]);
        } else {
            if figure(p) {
                first_data.get_or_insert(rows.len());
            }
            rows.push(vec![cell(norm, p.label), cell(norm, p.value)]);
        }
        k += 1;
    }
    let records = records || most_keyed >= MIN_KEYED_BLOCKS;
    if !records {
        return None;
    }
    let shaped = grid::shape(
        Rows {
            rows,
            header_hint: first_data,
        },
        grid::Width::Ragged,
        pats,
    );
    Some(Found {
        layout: Layout::CellPerLine,
        body: (form.first()?.line, form.last()?.line),
        header: shaped.header,
        rows: shaped.rows,
        title_line: None,
        meta_lines: vec![],
    })
}

/// Indicator records from the start of `pairs`, with the total row after them:
/// how many pairs they take and their rows (header first), or `None` when they are
/// no record (fewer than three indicator columns, or no level among them).
fn records_at(
    norm: &NormDoc,
    pats: &PatternSet,
    pairs: &[Pair],
) -> (usize, Option<Vec<Vec<Cell>>>) {
    // Columns in the order first seen; each record maps column → pair.
    let mut header: Vec<(IndicatorColumn, usize)> = vec![];
    let mut records: Vec<Vec<(IndicatorColumn, usize)>> = vec![];
    let mut k = 0;
    while k < pairs.len() {
        let Some(col) = column_of(norm, pats, &pairs[k]) else {
            break;
        };
        let fresh = match records.last() {
            None => true,
            Some(r) => r.iter().any(|(c, _)| *c == col) || pairs[k].after_blank,
        };
        if fresh {
            records.push(vec![]);
        }
        if !header.iter().any(|(c, _)| *c == col) {
            header.push((col, k));
        }
        records.last_mut().expect("a record").push((col, k));
        k += 1;
    }
    let full = records
        .iter()
        .any(|r| r.len() >= 3 && r.iter().any(|(c, _)| is_level(Some(*c))));
    if !full {
        return (0, None);
    }
    let at = |col: IndicatorColumn| header.iter().position(|(c, _)| *c == col);
    let mut rows = vec![header
        .iter()
        .map(|&(_, p)| cell(norm, pairs[p].label))
        .collect::<Vec<_>>()];
    for r in &records {
        let mut row = vec![Cell::empty(); header.len()];
        for &(col, p) in r {
            if let Some(j) = at(col) {
                row[j] = cell(norm, pairs[p].value);
            }
        }
        rows.push(row);
    }
    // The total line, and a score line right after it.
    if let Some(total) = pairs
        .get(k)
        .filter(|p| any(&pats.tables.indicator_totals, &label_of(norm, p)))
    {
        let score = pairs
            .get(k + 1)
            .filter(|p| column_of(norm, pats, p) == Some(IndicatorColumn::Score));
        let (weight_at, score_at) = (at(IndicatorColumn::Weight), at(IndicatorColumn::Score));
        let mut row = vec![Cell::empty(); header.len().max(2)];
        row[0] = cell(norm, total.label);
        match (score, weight_at, score_at) {
            (Some(s), Some(w), Some(j)) if w > 0 && j > 0 => {
                row[w] = cell(norm, total.value);
                row[j] = cell(norm, s.value);
                k += 2;
            }
            (None, _, Some(j)) if j > 0 => {
                row[j] = cell(norm, total.value);
                k += 1;
            }
            _ => {
                row.truncate(1);
                row.push(cell(norm, total.value));
                k += 1;
            }
        }
        rows.push(row);
    }
    (k, Some(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Found> {
        let pats = PatternSet::embedded().unwrap();
        let norm = NormDoc::new(text.to_string());
        let roles = vec![LineRole::Text; norm.line_count()];
        let used = vec![false; norm.line_count()];
        find(&norm, &roles, &pats, &used)
    }

    fn texts(rows: &[Vec<Cell>]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    const FORM: &str = "项目名称：乡村学校少年宫运行补助\n主管部门：某某县教育局\n项目资金：\n全年预算数：20.00万元\n全年执行数：18.50万元\n执行率：92.50%\n分值：10\n得分：9.25\n\n一级指标：产出指标\n二级指标：数量指标\n三级指标：开展活动场次\n年度指标值：≥40场\n实际完成值：46场\n分值：30\n得分：30\n\n一级指标：满意度指标\n二级指标：服务对象满意度指标\n三级指标：学生满意度\n年度指标值：≥90%\n实际完成值：93%\n分值：60\n得分：55\n偏差原因分析及改进措施：活动器材更新慢。\n总分：100\n自评得分：94.25\n自评等级：优\n";

    #[test]
    fn a_form_of_fields_reads_as_cell_rows() {
        let f = read(FORM);
        assert_eq!(f.len(), 1, "{f:#?}");
        let mut all = f[0].header.clone();
        all.extend(f[0].rows.clone());
        let rows = texts(&all);
        assert!(rows.contains(&vec!["项目名称", "乡村学校少年宫运行补助"]));
        assert!(rows.contains(&vec![
            "项目资金",
            "全年预算数",
            "全年执行数",
            "执行率",
            "分值",
            "得分"
        ]));
        assert!(rows.contains(&vec![
            "项目资金",
            "20.00万元",
            "18.50万元",
            "92.50%",
            "10",
            "9.25"
        ]));
        let head = vec![
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ];
        assert!(rows.contains(&head), "{rows:?}");
        assert!(rows.contains(&vec![
            "满意度指标",
            "服务对象满意度指标",
            "学生满意度",
            "≥90%",
            "93%",
            "60",
            "55",
            "活动器材更新慢。"
        ]));
        // 总分 is the full marks when a score line follows.
        assert!(
            rows.contains(&vec!["总分", "", "", "", "", "100", "94.25", ""]),
            "{rows:?}"
        );
        assert_eq!(f[0].body, (0, 27));
    }

    #[test]
    fn records_without_blank_lines_split_on_a_repeated_label() {
        let text = FORM.replace("\n\n", "\n");
        let f = read(&text);
        assert_eq!(f.len(), 1);
        let rows = f[0]
            .header
            .iter()
            .chain(&f[0].rows)
            .filter(|r| r.len() == 8)
            .count();
        // The header and two records (the total row is as wide).
        assert_eq!(rows, 4, "{:#?}", f[0]);
    }

    #[test]
    fn two_forms_in_a_run_are_two_tables() {
        let f = read(&format!(
            "{FORM}\n{}",
            FORM.replace("乡村学校少年宫", "校园安保")
        ));
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].body.0, 29);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        #[test]
        fn never_panics(s in "(一级指标|二级指标|三级指标|年度指标值|得分|分值|总分|项目名称|其中|2023年决算数|【经费】|：|:|\\n|\\n\\n|　　|12.5|——|万元|%){0,60}") {
            let _ = read(&s);
        }
    }

    #[test]
    fn fields_without_indicator_records_are_no_table() {
        assert!(read(
            "项目名称：某项目\n主管部门：某某局\n年度预算数：20.00万元\n执行数：18万元\n"
        )
        .is_empty());
        assert!(read("一级指标：产出指标\n说明：下文\n").is_empty());
    }
}

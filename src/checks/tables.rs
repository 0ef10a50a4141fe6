//! Checks on table structure: a 合计 column against the columns it breaks into, a
//! classification code against its children, a total row against the rows it adds
//! up, and the two sides of a 收支总表. The wording is data (`[[row_sum]]`,
//! `[[code_sum]]`, `[[label_sum]]`, `[[panel_balance]]` in `patterns/checks.toml`);
//! reading a table into panels and columns is here.
//!
//! Values are compared in the table's printed unit and reported in yuan when the
//! unit is known, so `expected` / `found` read like the facts'.

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::Decimal;

use super::{check, num, skipped};
use crate::model::{Cell, Check, CheckStatus, Doc, Span, Table};
use crate::numbers::read_decimal;
use crate::patterns::checks::{Panel, TableRule};
use crate::patterns::PatternSet;

pub fn run(doc: &Doc, pats: &PatternSet) -> Vec<Check> {
    let c = &pats.checks;
    let mut out = vec![];
    let grids: Vec<Grid> = doc.tables.iter().map(|t| Grid::new(t, pats)).collect();
    let mut each = |rules: &[TableRule], f: fn(&TableRule, &Grid, &Tol, &mut Vec<Check>)| {
        for r in rules {
            let mut found = vec![];
            let mut read = 0;
            for g in grids.iter().filter(|g| r.kinds.contains(&g.t.kind)) {
                read += 1;
                f(r, g, &Tol(c.money_tolerance_digits), &mut found);
            }
            if found.is_empty() {
                out.push(skipped(
                    &r.id,
                    if read == 0 {
                        format!(
                            "{}: no {} table",
                            r.description,
                            r.kinds
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(" / ")
                        )
                    } else {
                        format!(
                            "{}: the {read} table(s) of its kinds state no such total",
                            r.description
                        )
                    },
                ));
            }
            out.extend(found);
        }
    };
    each(&c.row_sums, row_sum);
    each(&c.code_sums, code_sum);
    each(&c.label_sums, label_sum);
    each(&c.panel_balances, panel_balance);
    out
}

/// Rounding allowed for a sum of `n` printed figures with `scale` decimals: half a
/// unit of the last digit per figure (total included), at least `digits` units.
struct Tol(Decimal);

impl Tol {
    fn of(&self, scale: u32, n: usize) -> Decimal {
        let unit = Decimal::new(1, scale);
        let half = Decimal::from(n as u64 + 1) / Decimal::from(2);
        (unit * half.floor()).max(unit * self.0)
    }
}

/// A figure read from one cell.
#[derive(Clone, Copy)]
struct Val {
    v: Decimal,
    span: Option<Span>,
    scale: u32,
    stated: bool,
}

impl Val {
    fn zero() -> Val {
        Val {
            v: Decimal::ZERO,
            span: None,
            scale: 0,
            stated: false,
        }
    }
}

/// A money cell: `1,960.73`, `2，001.35`, `-3.50`; empty or a dash is zero (not stated).
fn cell_value(c: &Cell) -> Option<Val> {
    let s: String = c
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，'))
        .collect();
    if s.is_empty() || s.chars().all(|c| matches!(c, '-' | '—' | '－' | '–')) {
        return Some(Val::zero());
    }
    let (v, n) = read_decimal(&s)?;
    (n == s.len()).then_some(Val {
        v,
        span: c.span,
        scale: v.scale(),
        stated: true,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Label,
    Code,
    Seq,
    Value,
}

/// A table read as panels of label, code and value columns.
struct Grid<'a> {
    t: &'a Table,
    /// The innermost meaningful header of each column (`类`, `本年收入合计`).
    leaf: Vec<String>,
    role: Vec<Role>,
    panels: Vec<Range<usize>>,
    /// Yuan per printed unit (万元 → 10000), 1 when unknown.
    scale: Decimal,
    known_unit: bool,
}

fn squash(s: &str) -> std::borrow::Cow<'_, str> {
    crate::patterns::tables::compact(s)
}

impl<'a> Grid<'a> {
    fn new(t: &'a Table, pats: &PatternSet) -> Grid<'a> {
        let width = t
            .rows
            .iter()
            .chain(&t.header)
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        let leaf: Vec<String> = (0..width)
            .map(|c| {
                t.header
                    .iter()
                    .rev()
                    .filter_map(|h| h.get(c))
                    .map(|x| squash(&x.text))
                    .find(|x| {
                        !x.is_empty() && x != "栏次" && !x.chars().all(|c| c.is_ascii_digit())
                    })
                    .map(|x| x.into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let role: Vec<Role> = leaf
            .iter()
            .map(|h| {
                if h.contains("编码")
                    || h.contains("代码")
                    || matches!(h.as_str(), "类" | "款" | "项")
                {
                    Role::Code
                } else if h == "行次" || h == "栏次" {
                    Role::Seq
                } else if h.is_empty() || h == "项目" || h.contains("名称") {
                    Role::Label
                } else {
                    Role::Value
                }
            })
            .collect();
        let mut starts = vec![0];
        if let Some(first) = leaf.first().filter(|h| !h.is_empty()) {
            starts.extend((1..width).filter(|&c| &leaf[c] == first && leaf[c - 1] != *first));
        }
        let panels = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(width))
            .collect();
        let unit = t
            .unit
            .as_deref()
            .and_then(|u| pats.units.unit_after(u.trim(), false));
        Grid {
            t,
            leaf,
            role,
            panels,
            scale: unit.map(|w| w.scale).unwrap_or(Decimal::ONE),
            known_unit: unit.is_some(),
        }
    }

    fn cell(&self, row: &[Cell], c: usize) -> Val {
        row.get(c).and_then(cell_value).unwrap_or_else(Val::zero)
    }

    /// Text of the first label cell of a row within a panel (code cells count when
    /// they hold words, as `合计` often sits there).
    fn label(&self, row: &[Cell], p: &Range<usize>) -> String {
        p.clone()
            .filter(|&c| matches!(self.role[c], Role::Label | Role::Code))
            .filter_map(|c| row.get(c))
            .map(|c| squash(&c.text))
            .find(|s| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit()))
            .map(|s| s.into_owned())
            .unwrap_or_default()
    }

    fn values(&self, p: &Range<usize>) -> Vec<usize> {
        p.clone().filter(|&c| self.role[c] == Role::Value).collect()
    }

    fn yuan(&self, v: Decimal) -> Decimal {
        (v * self.scale).normalize()
    }

    fn place(&self, row_label: &str, col: usize) -> String {
        format!(
            "table {} ({}) row {} column {}",
            self.t.table_id,
            self.t.title.as_deref().unwrap_or(self.t.kind.as_str()),
            if row_label.is_empty() {
                "—"
            } else {
                row_label
            },
            self.leaf.get(col).map(String::as_str).unwrap_or("?")
        )
    }

    /// One comparison: `total` against the sum of `parts`.
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &self,
        id: &str,
        description: &str,
        place: String,
        total: Val,
        parts: &[Val],
        tol: &Tol,
        out: &mut Vec<Check>,
    ) {
        let sum: Decimal = parts.iter().map(|p| p.v).sum();
        let scale = parts
            .iter()
            .chain(std::iter::once(&total))
            .filter(|p| p.stated)
            .map(|p| p.scale)
            .max()
            .unwrap_or(0);
        // Only printed figures carry rounding; an empty cell is an exact zero.
        let allowed = tol.of(scale, parts.iter().filter(|p| p.stated).count());
        let ok = (sum - total.v).abs() <= allowed;
        let shown: Vec<String> = parts
            .iter()
            .map(|p| {
                if p.stated {
                    p.v.to_string()
                } else {
                    "0".into()
                }
            })
            .collect();
        let unit = if self.known_unit {
            self.t.unit.as_deref().unwrap_or("")
        } else {
            ""
        };
        out.push(check(
            id,
            CheckStatus::of(ok),
            num(self.yuan(total.v)),
            num(self.yuan(sum)),
            format!(
                "{description}: {place}: {} = {} {} {} {unit}",
                shown.join(" + "),
                sum,
                if ok { "≈" } else { "≠" },
                total.v
            )
            .trim_end()
            .to_string(),
            std::iter::once(total.span)
                .chain(parts.iter().map(|p| p.span))
                .flatten()
                .collect(),
            Some(self.yuan(allowed)),
        ));
    }
}

/// `[[row_sum]]`: in each row, the total column = Σ the value columns to its right.
fn row_sum(r: &TableRule, g: &Grid, tol: &Tol, out: &mut Vec<Check>) {
    for p in &g.panels {
        let vals = g.values(p);
        for (i, &tc) in vals.iter().enumerate() {
            if !r.total.is_match(&g.leaf[tc]) {
                continue;
            }
            let parts: Vec<usize> = vals[i + 1..]
                .iter()
                .copied()
                .take_while(|&c| !r.total.is_match(&g.leaf[c]))
                .filter(|&c| !r.exclude.as_ref().is_some_and(|x| x.is_match(&g.leaf[c])))
                .collect();
            if parts.len() < 2 {
                continue;
            }
            for row in &g.t.rows {
                let total = g.cell(row, tc);
                let pv: Vec<Val> = parts.iter().map(|&c| g.cell(row, c)).collect();
                if !total.stated || !pv.iter().any(|v| v.stated) {
                    continue;
                }
                g.compare(
                    &r.id,
                    &r.description,
                    g.place(&g.label(row, p), tc),
                    total,
                    &pv,
                    tol,
                    out,
                );
            }
        }
    }
}

/// The classification code of a row in a panel: one code column (`2010601`) or
/// 类 | 款 | 项 columns (`201` `06` `01`).
fn row_code(g: &Grid, row: &[Cell], p: &Range<usize>) -> Option<String> {
    let cols: Vec<usize> = p.clone().filter(|&c| g.role[c] == Role::Code).collect();
    let mut code = String::new();
    for (i, &c) in cols.iter().enumerate() {
        let s = squash(&row.get(c)?.text);
        if s.is_empty() {
            continue;
        }
        if !s.chars().all(|c| c.is_ascii_digit()) || (i > 0 && s.len() != 2) {
            return None;
        }
        code.push_str(&s);
    }
    matches!(code.len(), 3 | 5 | 7).then_some(code)
}

/// `[[code_sum]]`: parent code = Σ children; the total row = Σ 3-digit codes.
fn code_sum(r: &TableRule, g: &Grid, tol: &Tol, out: &mut Vec<Check>) {
    // (code → (label, values by value-column ordinal)), first occurrence wins;
    // panels of one table share codes (a side-by-side table continues its list).
    let mut codes: BTreeMap<String, (String, Vec<(usize, Val)>)> = BTreeMap::new();
    let mut totals: Vec<(Vec<(usize, Val)>, String)> = vec![];
    for p in &g.panels {
        if !p.clone().any(|c| g.role[c] == Role::Code) {
            continue;
        }
        let vals = g.values(p);
        for row in &g.t.rows {
            let v: Vec<(usize, Val)> = vals
                .iter()
                .enumerate()
                .map(|(j, &c)| (j, g.cell(row, c)))
                .collect();
            let label = g.label(row, p);
            if let Some(code) = row_code(g, row, p) {
                codes.entry(code).or_insert((label, v));
            } else if r.total.is_match(&label) {
                totals.push((v, label));
            }
        }
    }
    // Messages name a value column by the first coded panel's header.
    let first: Vec<usize> = g
        .panels
        .iter()
        .find(|p| (*p).clone().any(|c| g.role[c] == Role::Code))
        .map(|p| g.values(p))
        .unwrap_or_default();
    let col_of = |j: usize| first.get(j).copied().unwrap_or(0);
    let mut compare = |label: &str, parent: &[(usize, Val)], kids: Vec<&Vec<(usize, Val)>>| {
        for &(j, total) in parent {
            let parts: Vec<Val> = kids
                .iter()
                .map(|k| k.get(j).map(|x| x.1).unwrap_or_else(Val::zero))
                .collect();
            if !total.stated && !parts.iter().any(|v| v.stated) {
                continue;
            }
            if !total.stated {
                // An empty parent over stated children is a gap in the layout more
                // often than in the report; say nothing rather than guess.
                continue;
            }
            g.compare(
                &r.id,
                &r.description,
                g.place(label, col_of(j)),
                total,
                &parts,
                tol,
                out,
            );
        }
    };
    for (code, (label, v)) in &codes {
        let kids: Vec<&Vec<(usize, Val)>> = codes
            .range(code.clone()..)
            .take_while(|(k, _)| k.starts_with(code.as_str()))
            .filter(|(k, _)| k.len() == code.len() + 2)
            .map(|(_, (_, kv))| kv)
            .collect();
        if kids.is_empty() {
            continue;
        }
        compare(&format!("{code} {label}"), v, kids);
    }
    for (v, label) in &totals {
        let kids: Vec<&Vec<(usize, Val)>> = codes
            .iter()
            .filter(|(k, _)| k.len() == 3)
            .map(|(_, (_, kv))| kv)
            .collect();
        if kids.is_empty() {
            continue;
        }
        compare(label, v, kids);
    }
}

/// The panel a rule reads, with its first value column.
fn panel_value<'g>(g: &'g Grid, which: Panel) -> Option<(&'g Range<usize>, usize)> {
    let p = match which {
        Panel::First => g.panels.first()?,
        Panel::Last => g.panels.last()?,
    };
    Some((p, *g.values(p).first()?))
}

/// `[[label_sum]]`: a total row = the rows above it whose labels match `parts`.
fn label_sum(r: &TableRule, g: &Grid, tol: &Tol, out: &mut Vec<Check>) {
    if g.panels.len() < 2 && r.panel == Panel::Last {
        return;
    }
    let Some((p, vc)) = panel_value(g, r.panel) else {
        return;
    };
    let mut from = 0;
    for (i, row) in g.t.rows.iter().enumerate() {
        let label = g.label(row, p);
        if !r.total.is_match(&label) {
            continue;
        }
        let total = g.cell(row, vc);
        let above: Vec<(String, Val)> = g.t.rows[from..i]
            .iter()
            .map(|row| (g.label(row, p), g.cell(row, vc)))
            .collect();
        from = i + 1;
        if !total.stated
            || !r
                .parts
                .iter()
                .all(|re| above.iter().any(|(l, _)| re.is_match(l)))
        {
            continue;
        }
        let parts: Vec<Val> = above
            .iter()
            .filter(|(l, _)| r.parts.iter().any(|re| re.is_match(l)))
            .map(|x| x.1)
            .collect();
        g.compare(
            &r.id,
            &r.description,
            g.place(&label, vc),
            total,
            &parts,
            tol,
            out,
        );
    }
}

/// `[[panel_balance]]`: the labelled row's first-panel value = its last-panel value.
fn panel_balance(r: &TableRule, g: &Grid, tol: &Tol, out: &mut Vec<Check>) {
    if g.panels.len() < 2 {
        return;
    }
    let (Some((pf, cf)), Some((pl, cl))) =
        (panel_value(g, Panel::First), panel_value(g, Panel::Last))
    else {
        return;
    };
    let find = |p: &Range<usize>, c: usize| {
        g.t.rows
            .iter()
            .rev()
            .find(|row| r.total.is_match(&g.label(row, p)))
            .map(|row| g.cell(row, c))
    };
    let (Some(left), Some(right)) = (find(pf, cf), find(pl, cl)) else {
        return;
    };
    if !left.stated || !right.stated {
        return;
    }
    let mut one = vec![];
    g.compare(
        &r.id,
        &r.description,
        format!(
            "table {} ({}) {} {} vs {} {}",
            g.t.table_id,
            g.t.title.as_deref().unwrap_or(g.t.kind.as_str()),
            g.leaf[cf],
            left.v,
            g.leaf[cl],
            right.v
        ),
        left,
        &[right],
        tol,
        &mut one,
    );
    out.extend(one);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Layout, TableKind};

    fn cells(xs: &[&str]) -> Vec<Cell> {
        xs.iter()
            .map(|x| Cell {
                text: x.to_string(),
                span: None,
                filled: false,
            })
            .collect()
    }

    fn table(kind: TableKind, header: &[&[&str]], rows: &[&[&str]]) -> Table {
        Table {
            table_id: 1,
            section_id: None,
            kind,
            title: None,
            subject: None,
            unit: Some("万元".into()),
            layout: Layout::Tsv,
            header: header.iter().map(|h| cells(h)).collect(),
            rows: rows.iter().map(|r| cells(r)).collect(),
            span: Span::default(),
            lines: (0, 0),
            title_line: None,
            rule: String::new(),
        }
    }

    fn run_on(t: Table) -> Vec<Check> {
        let mut d = crate::checks::tests_support::empty_doc();
        d.tables = vec![t];
        run(&d, &PatternSet::embedded().unwrap())
    }

    fn statuses<'c>(out: &'c [Check], id: &str) -> Vec<(&'c str, CheckStatus)> {
        out.iter()
            .filter(|c| c.check == id)
            .map(|c| (c.message.as_str(), c.status))
            .collect()
    }

    #[test]
    fn income_row_sum_flags_a_row_that_does_not_add_up() {
        let t = table(
            TableKind::Income,
            &[&[
                "功能分类科目编码",
                "科目名称",
                "本年收入合计",
                "财政拨款收入",
                "其他收入",
            ]],
            &[
                &["", "合计", "1980.73", "1960.73", "20.00"],
                &["201", "一般公共服务支出", "1974.84", "1954.84", "20.00"],
                &["210", "卫生健康支出", "5.88", "5.88", "20.00"],
            ],
        );
        let out = run_on(t);
        let rows = statuses(&out, "table.row_sum");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].1, CheckStatus::Pass);
        assert_eq!(rows[1].1, CheckStatus::Pass);
        assert_eq!(rows[2].1, CheckStatus::Fail, "{}", rows[2].0);
        assert!(rows[2].0.contains("卫生健康支出"));
        let bad = out
            .iter()
            .find(|c| c.check == "table.row_sum" && c.status == CheckStatus::Fail)
            .unwrap();
        assert_eq!(bad.expected, num(Decimal::from(58800)));
        assert_eq!(bad.found, num(Decimal::from(258800)));
        // 合计 = 201 + 210 in the first two columns; 其他收入 20 + 20 ≠ 20.
        let codes = statuses(&out, "table.code_sum");
        assert_eq!(
            codes.iter().filter(|c| c.1 == CheckStatus::Fail).count(),
            1,
            "{codes:?}"
        );
    }

    #[test]
    fn codes_in_class_columns_and_rounding() {
        let t = table(
            TableKind::Expenditure,
            &[&[
                "类",
                "款",
                "项",
                "科目名称",
                "本年支出合计",
                "基本支出",
                "项目支出",
            ]],
            &[
                &["", "", "", "合计", "2,940.05", "2,336.91", "603.14"],
                &[
                    "201",
                    "",
                    "",
                    "一般公共服务支出",
                    "2,940.05",
                    "2,336.91",
                    "603.14",
                ],
                &[
                    "201",
                    "06",
                    "",
                    "财政事务",
                    "2,940.05",
                    "2,336.91",
                    "603.14",
                ],
                &[
                    "201",
                    "06",
                    "01",
                    "行政运行",
                    "1,511.89",
                    "1,503.52",
                    "8.37",
                ],
                &["201", "06", "02", "其他", "1,428.17", "833.39", "594.77"],
            ],
        );
        let out = run_on(t);
        let bad: Vec<&Check> = out
            .iter()
            .filter(|c| c.check.starts_with("table.") && c.status == CheckStatus::Fail)
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
        // 1511.89 + 1428.17 = 2940.06 vs 2940.05: within two figures' rounding.
        assert!(statuses(&out, "table.code_sum").len() >= 6);
    }

    #[test]
    fn summary_balances_and_items_above_the_total() {
        let t = table(
            TableKind::FiscalSummary,
            &[&[
                "项目",
                "决算数",
                "项目",
                "合计",
                "一般公共预算财政拨款",
                "政府性基金预算财政拨款",
            ]],
            &[
                &[
                    "一、一般公共预算财政拨款",
                    "2,940.05",
                    "一、一般公共服务支出",
                    "2,106.66",
                    "2,106.66",
                    "",
                ],
                &["", "", "八、社会保障和就业支出", "833.39", "833.39", ""],
                &[
                    "本年收入合计",
                    "2,940.05",
                    "本年支出合计",
                    "2,940.05",
                    "2,940.05",
                    "",
                ],
                &[
                    "年初财政拨款结转和结余",
                    "21.63",
                    "年末财政拨款结转和结余",
                    "21.63",
                    "21.63",
                    "",
                ],
                &["一、一般公共预算财政拨款", "21.63", "", "", "", ""],
                &["总计", "2,961.68", "总计", "2,961.68", "2,961.68", ""],
            ],
        );
        let out = run_on(t);
        for id in [
            "table.income_items",
            "table.expenditure_items",
            "balance.income_side",
            "balance.expenditure_side",
            "balance.totals",
        ] {
            let s = statuses(&out, id);
            assert_eq!(s.len(), 1, "{id}: {out:?}");
            assert_eq!(s[0].1, CheckStatus::Pass, "{id}: {}", s[0].0);
        }
        let rows = statuses(&out, "table.row_sum");
        assert!(!rows.is_empty() && rows.iter().all(|r| r.1 == CheckStatus::Pass));
    }

    #[test]
    fn unbalanced_summary_fails_and_missing_tables_skip() {
        let t = table(
            TableKind::IncomeExpenditureSummary,
            &[&["项目", "决算数", "项目", "决算数"]],
            &[
                &[
                    "一、一般公共预算财政拨款收入",
                    "100.00",
                    "一、一般公共服务支出",
                    "90.00",
                ],
                &["本年收入合计", "100.00", "本年支出合计", "90.00"],
                &["年初结转和结余", "5.00", "年末结转和结余", "5.00"],
                &["总计", "105.00", "总计", "95.00"],
            ],
        );
        let out = run_on(t);
        assert_eq!(statuses(&out, "balance.totals")[0].1, CheckStatus::Fail);
        assert_eq!(
            statuses(&out, "balance.expenditure_side")[0].1,
            CheckStatus::Pass
        );
        let code = statuses(&out, "table.code_sum");
        assert_eq!(code.len(), 1);
        assert_eq!(code[0].1, CheckStatus::Skipped);
    }
}

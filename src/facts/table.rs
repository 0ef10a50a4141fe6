//! Figures in table cells: each number under its column header, on its row label.
//!
//! A cell's metric comes from its row label (`本年收入合计`, `年度资金总额`,
//! `30216 培训费`), or, on a total row (`合计`, blank), from its column header
//! (`基本支出`, `编制数`); the basis from the column header (`年初预算数`,
//! `全年执行数`, `2022 年决算数` → prior year). Bare numbers take the unit of their
//! column (`执行率` → percent, `得分` → score, `（万元）` → yuan ×10⁴) or of the
//! table. Table kinds may read a topic in front of every label (the 三公 table's
//! columns are 三公经费 items) or rename metrics (the 财政拨款 summary's 本年收入合计
//! is `income.fiscal`). Rows of a 绩效指标 block belong to the indicators dataset:
//! their figures are kept without a metric. Numbered rows under a row whose metric
//! lists items (`项目支出` → `1、业务工作经费`) are that metric for the item as subject.

use rust_decimal::Decimal;

use super::context::Context;
use super::label::{
    find_metric, is_total, money_basis, normalize_label, scope_named, year_in, Found, Query,
};
use crate::model::{Cell, Doc, Fact, FactSource, Span, Table, Unit};
use crate::numbers::{read_figure, read_op};
use crate::patterns::metrics::{FundColumn, MetricRule, Metrics, TableKindRule};
use crate::patterns::tables::{any, compact};
use crate::patterns::units::Units;
use crate::patterns::PatternSet;

/// Placeholders for an empty cell.
fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '/' | '／' | '…' | '.'))
        || matches!(t, "无" | "不适用" | "——")
}

/// A number filling a whole cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellNumber {
    pub value: Decimal,
    /// Unit written in the cell (`70%`, `35人次`); `None` for a bare number.
    pub unit: Option<Unit>,
    pub unit_word: Option<String>,
    pub unit_rule: Option<String>,
    /// Written without a decimal point or unit: may be a code (`30216`).
    pub integer: bool,
}

/// Read a cell that holds one figure and nothing else (`1,960.73`, `-5.00`, `70%`,
/// `121.93%%`, `35人次`). A comparison in front (`≥95%`) is a target, not a figure.
pub fn parse_cell(text: &str, units: &Units) -> Option<CellNumber> {
    let t = text.trim();
    if t.is_empty() || read_op(t).is_some() {
        return None;
    }
    let (neg, body) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let f = read_figure(body, 0, units)?;
    if f.end != body.len() || f.value_max.is_some() || f.approx || f.points {
        return None;
    }
    let integer = f.unit.is_none() && !body.contains(['.', ',']);
    Some(CellNumber {
        value: if neg { -f.value } else { f.value },
        unit: f.unit,
        unit_word: f.unit_word,
        unit_rule: f.unit_rule,
        integer,
    })
}

/// A unit word in brackets or after `单位：` (`经费控制情况（万元）`, `单位：元`).
fn bracket_unit<'u>(text: &str, units: &'u Units) -> Option<&'u crate::patterns::units::UnitWord> {
    let t = text.replace(['（', '〔'], "(").replace(['）', '〕'], ")");
    let mut candidates = vec![];
    let mut rest = t.as_str();
    while let Some(k) = rest.find('(') {
        let inner = &rest[k + 1..];
        let end = inner.find(')').unwrap_or(inner.len());
        candidates.push(inner[..end].trim().to_string());
        rest = &inner[end.min(inner.len())..];
    }
    if let Some(k) = t.find("单位") {
        let after = t[k + "单位".len()..].trim_start_matches([':', '：', ' ']);
        let w: String = after.chars().take_while(|c| !c.is_whitespace()).collect();
        candidates.push(w);
    }
    candidates.iter().find_map(|c| {
        units
            .unit_after(c, false)
            .filter(|w| w.word.len() == c.len())
    })
}

/// A cell that is only a unit in brackets (`（人）`, `(万元)`).
fn is_unit_note(text: &str, units: &Units) -> bool {
    let t = text.trim();
    t.starts_with(['(', '（'])
        && t.ends_with([')', '）'])
        && t.chars().count() <= 6
        && bracket_unit(t, units).is_some()
}

/// Whether column `j` holds row numbers: three or more whole numbers below 200 that
/// count up from 1 or 2, and nothing else.
/// `nums` holds every body cell read by [`parse_cell`].
fn row_numbers(t: &Table, nums: &[Vec<Option<CellNumber>>], j: usize) -> bool {
    let mut seen: Vec<Decimal> = vec![];
    for (r, n) in t.rows.iter().zip(nums) {
        let Some(c) = r.get(j) else { continue };
        if is_placeholder(&c.text) {
            continue;
        }
        match &n[j] {
            Some(n) if n.integer && n.value < Decimal::from(200) => seen.push(n.value),
            _ => return false,
        }
    }
    seen.len() >= 3 && seen[0] <= Decimal::TWO && seen.windows(2).all(|w| w[1] > w[0])
}

/// The metric a listing's bare budget or spending column names for its project
/// (`全年预算数（万元）`, `执行数`): the `named` alone rules, as for a project named
/// in running text.
fn project_funds<'r>(m: &'r Metrics, ctx: &Context, header: &str) -> Option<&'r MetricRule> {
    let words = header.split('(').next().unwrap_or(header);
    let named: Vec<usize> = ctx
        .alone
        .iter()
        .copied()
        .filter(|&i| m.alone.get(i).is_some_and(|r| r.named))
        .collect();
    // The header's last words: a banner joined in front (`全年执行数全年预算数`)
    // is another column's.
    words.char_indices().find_map(|(i, _)| {
        let tail = &words[i..];
        let q = Query {
            label: tail,
            after: "",
            context: tail,
            unit: Unit::Cny,
            unit_word: None,
            scope: "unit",
        };
        super::label::find_alone(m, &named, &q, true).map(|h| h.rule)
    })
}

/// A form's lead label wrapped over the rows beside it (`项目资` / `金（万` / `元）`
/// in front of `年度资金总额`, `其中：财政拨款`): a bracketed unit only two
/// consecutive row labels make together.
fn wrapped_lead_unit<'u>(
    t: &Table,
    units: &'u Units,
) -> Option<&'u crate::patterns::units::UnitWord> {
    let lead: Vec<&str> = t
        .rows
        .iter()
        .map(|r| r.first().map_or("", |c| c.text.as_str()))
        .collect();
    lead.windows(2).find_map(|w| {
        if bracket_unit(w[0], units).is_some() || bracket_unit(w[1], units).is_some() {
            return None;
        }
        bracket_unit(&format!("{}{}", w[0], w[1]), units)
    })
}

/// The unit of a column's bare numbers from its header wording.
fn header_unit(m: &Metrics, units: &Units, header: &str) -> Option<(Unit, Decimal)> {
    if let Some(w) = bracket_unit(header, units) {
        return Some((w.unit, w.scale));
    }
    let h = normalize_label(header, &m.rewrites);
    m.column_units
        .iter()
        .find(|r| r.re.is_match(&h))
        .map(|r| (r.unit, Decimal::ONE))
}

/// Source text of a span (character offsets into the decoded text).
struct SourceChars<'a> {
    text: &'a str,
    /// Byte offset of every char, and the text length at the end.
    starts: Vec<usize>,
}

impl<'a> SourceChars<'a> {
    fn new(text: &'a str) -> SourceChars<'a> {
        let mut starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        starts.push(text.len());
        SourceChars { text, starts }
    }

    fn slice(&self, span: Span) -> Option<&'a str> {
        let a = *self.starts.get(span.start as usize)?;
        let b = *self.starts.get(span.end as usize)?;
        self.text.get(a..b)
    }
}

pub fn extract(doc: &Doc, pats: &PatternSet, ctx: &Context) -> Vec<Fact> {
    if doc.tables.is_empty() {
        return vec![];
    }
    let src = SourceChars::new(doc.norm.source.as_str());
    let mut out = vec![];
    let mut memo = Memo::default();
    for t in &doc.tables {
        let at = doc
            .norm
            .line_bounds(t.lines.0.min(doc.norm.line_count().saturating_sub(1)))
            .0;
        table_facts(pats, ctx.at(at), t, &src, &mut memo, &mut out);
    }
    out
}

/// The metric a label names, asked once per document for each distinct label, unit
/// and unit word: tables repeat their labels and headers cell after cell.
type Asked<'r> = Option<(&'r MetricRule, String)>;

/// A question put to the metric rules: label, unit, unit word, fund scope.
type Question<'r> = (String, Unit, Option<String>, Option<&'r str>);

#[derive(Default)]
struct Memo<'r> {
    asked: foldhash::HashMap<Question<'r>, Asked<'r>>,
}

impl<'r> Memo<'r> {
    /// [`find_metric`] for a table label (context is the label itself, nothing after).
    fn ask(&mut self, m: &'r Metrics, label: String, unit: Unit, word: Option<&str>) -> Asked<'r> {
        self.ask_in(m, label, None, unit, word)
    }

    /// [`Self::ask`] in the fund `scope` unless the label names another fund.
    fn ask_in(
        &mut self,
        m: &'r Metrics,
        label: String,
        scope: Option<&'r str>,
        unit: Unit,
        word: Option<&str>,
    ) -> Asked<'r> {
        let key = (label, unit, word.map(str::to_string), scope);
        if let Some(a) = self.asked.get(&key) {
            return a.clone();
        }
        let label = key.0.as_str();
        let scope = match (scope, scope_named(m, label)) {
            (Some(s), None | Some("unit")) => s,
            (_, named) => named.unwrap_or("unit"),
        };
        let q = Query {
            label,
            after: "",
            context: label,
            unit,
            unit_word: word,
            scope,
        };
        let a = match find_metric(m, &q) {
            Found::One(h) => Some((h.rule, h.words(label).to_string())),
            _ => None,
        };
        self.asked.insert(key, a.clone());
        a
    }
}

/// A column header as the rules see it, worked out once per header text.
struct Head {
    norm: String,
    /// The fund a figure column holds the part of (`政府性基金预算财政拨款`).
    fund: Option<usize>,
    /// Without a banner over every figure column ([`own_headers`]).
    own: String,
    /// A column without figures (`行次`).
    skip: bool,
    /// Unit of its bare numbers.
    unit: Option<(Unit, Decimal)>,
    /// The unit word of a count's or person's heading (`公务接待人次（人次）`).
    word: Option<String>,
    /// What the metric rules are asked ([`Head::levels`]); `norm` by default.
    ask: String,
    /// A part of a banner's metric, not the metric ([`Head::levels`]).
    part: bool,
}

impl Head {
    fn new(m: &Metrics, units: &Units, header: &str, own: &str) -> Head {
        let norm = normalize_label(header, &m.rewrites);
        Head {
            own: if own == header {
                norm.clone()
            } else {
                normalize_label(own, &m.rewrites)
            },
            skip: m.skip_column.is_match(&norm),
            unit: header_unit(m, units, &norm),
            word: bracket_unit(&norm, units)
                .filter(|w| w.unit != Unit::Cny)
                .map(|w| w.word.clone()),
            fund: fund_column(m, &norm),
            ask: norm.clone(),
            part: false,
            norm,
        }
    }
}

/// Columns that hold figures in more of the rows than words.
/// `nums` holds every body cell read by [`parse_cell`].
fn figure_columns(t: &Table, nums: &[Vec<Option<CellNumber>>], width: usize) -> Vec<bool> {
    let mut score = vec![0i32; width];
    for (row, n) in t.rows.iter().zip(nums) {
        for (j, c) in row.iter().enumerate().take(width) {
            let text = c.text.trim();
            if is_placeholder(text) {
                continue;
            }
            score[j] += if n[j].is_some() { 1 } else { -1 };
        }
    }
    score.into_iter().map(|s| s > 0).collect()
}

fn fund_column(m: &Metrics, norm: &str) -> Option<usize> {
    m.fund_columns.iter().position(|f| f.re.is_match(norm))
}

/// The fund column a header is, read from any of its lower rows (a banner such as
/// `支出` may stand over the fund's name).
fn fund_of_stack(m: &Metrics, header: &[Vec<Cell>], j: usize) -> Option<usize> {
    (0..header.len()).find_map(|k| {
        let text: String = header[k..]
            .iter()
            .filter_map(|r| r.get(j))
            .map(|c| c.text.trim())
            .collect();
        fund_column(m, &normalize_label(&text, &m.rewrites))
    })
}

/// Each column's header texts without a banner that runs from its column to the
/// table's right edge over two or more columns (`一般公共预算基本支出` over 合计 ·
/// 人员经费 · 公用经费): the scope of all those figures, not a split of them.
fn own_headers(header: &[Vec<Cell>], width: usize) -> Vec<String> {
    fn text(r: &[Cell], j: usize) -> &str {
        r.get(j).map_or("", |c| c.text.trim())
    }
    let banner_from = |r: &[Cell]| -> Option<usize> {
        let last = text(r, width.checked_sub(1)?);
        if last.is_empty() {
            return None;
        }
        let start = (0..width)
            .rev()
            .take_while(|&j| text(r, j) == last)
            .last()?;
        (start >= 1 && width - start >= 2).then_some(start)
    };
    let banners: Vec<Option<usize>> = header.iter().map(|r| banner_from(r)).collect();
    (0..width)
        .map(|j| {
            header
                .iter()
                .zip(&banners)
                .filter(|(_, b)| !b.is_some_and(|k| j >= k))
                .map(|(r, _)| text(r, j))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Cell texts of a row.
fn texts(row: &[Cell]) -> Vec<&str> {
    row.iter().map(|c| c.text.trim()).collect()
}

/// A row of words only (at least two non-empty cells past the first, none a
/// number): a header inside the table body (`经费控制情况（万元） | 2022 年决算数 | …`).
/// `empty` and `nums` are the row's placeholders and cell numbers.
fn is_header_row(empty: &[bool], nums: &[Option<CellNumber>]) -> bool {
    let words = (1..empty.len()).filter(|&k| !empty[k]).collect::<Vec<_>>();
    words.len() >= 2 && words.iter().all(|&k| nums[k].is_none())
}

/// Numbered item (`1、业务工作经费`, `（2）…`): its name without the marker.
fn list_item(label: &str) -> Option<String> {
    let t = label.trim();
    let body = t.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '(' | '（' | ')' | '）' | '、' | '.' | '．' | ' ')
    });
    (body.len() < t.len()
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '(' || c == '（'))
    .then(|| body.trim().to_string())
    .filter(|b| !b.is_empty())
}

/// A part named under a listing row (`其中：高标准农田建设`): its name.
fn part_item(label: &str) -> Option<String> {
    let body = label.trim().strip_prefix("其中")?;
    let body = body.trim_start_matches([':', '：', ',', '，', ' ']).trim();
    (!body.is_empty()).then(|| body.to_string())
}

/// A cell that is only a skipped column's title (`栏次`, `序号`), not a row label
/// that happens to hold one (`质量强县及标准化建设经费`).
fn is_column_word(m: &Metrics, s: &str) -> bool {
    m.skip_column
        .find(s)
        .is_some_and(|x| x.start() == 0 && x.end() == s.len())
}

fn table_facts<'r>(
    pats: &'r PatternSet,
    ctx: &Context,
    t: &Table,
    src: &SourceChars,
    memo: &mut Memo<'r>,
    out: &mut Vec<Fact>,
) {
    let m = &pats.metrics;
    let units = &pats.units;
    let kind: Option<&TableKindRule> = m
        .table_kinds
        .iter()
        .find(|k| k.applies(t.kind, t.title.as_deref()));
    let topic = kind.and_then(|k| k.topic.as_deref()).unwrap_or("");
    let width = t
        .header
        .iter()
        .chain(&t.rows)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    // The header without its column-numbering row (`栏次 | 1 | 2`), for fund
    // columns: `政府性基金预算财政拨款 4` is the fund's.
    let header: Vec<Vec<Cell>> = t
        .header
        .iter()
        .filter(|r| !crate::tables::grid::is_numbering_row(r, pats))
        .cloned()
        .collect();
    // Column headers: every header row's text for the column, joined.
    let mut headers: Vec<String> = (0..width)
        .map(|j| {
            t.header
                .iter()
                .filter_map(|r| r.get(j))
                .map(|c| c.text.trim())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // Unit of bare money figures for the whole table, then for a row group.
    let title_unit = t
        .unit
        .as_deref()
        .and_then(|u| units.unit_after(u.trim(), false))
        .or_else(|| t.title.as_deref().and_then(|x| bracket_unit(x, units)))
        .or_else(|| {
            t.header
                .iter()
                .flatten()
                .find_map(|c| bracket_unit(&c.text, units))
        })
        .or_else(|| wrapped_lead_unit(t, units));
    let mut group_unit = title_unit.map(|w| (w.unit, w.scale));
    let mut indicator_block = headers.iter().any(|h| m.indicator_header.is_match(h));
    let blank_head = Head::new(m, units, "", "");
    let own = own_headers(&t.header, width);
    let mut heads: Vec<Head> = headers
        .iter()
        .zip(&own)
        .map(|(h, o)| Head::new(m, units, h, o))
        .collect();
    for (j, h) in heads.iter_mut().enumerate() {
        if h.fund.is_none() {
            h.fund = fund_of_stack(m, &header, j);
        }
    }
    // A fund column with no other figure column beside it (`项目 | 一般公共预算财政
    // 拨款` in a summary that has no 合计 column) holds the side's whole figures.
    // Every body cell read as a figure once: the column tests below and the rows
    // all ask.
    let cell_nums: Vec<Vec<Option<CellNumber>>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| parse_cell(&c.text, units)).collect())
        .collect();
    let figures = figure_columns(t, &cell_nums, width);
    for j in 0..width {
        let alone = (j == 0 || !figures[j - 1]) && (j + 1 >= width || !figures[j + 1]);
        if alone && figures[j] {
            heads[j].fund = None;
        }
    }
    // Row numbers that pdftotext set under another heading than 行次: a column of
    // small whole numbers counting up from 1 or 2.
    for (j, h) in heads.iter_mut().enumerate() {
        h.skip |= row_numbers(t, &cell_nums, j);
    }
    // A listing of projects (`项目名称 | 全年预算数 | 全年执行数 | 执行率 | 自评得分`):
    // each row is its project's, its figures named by their columns.
    // A form about one project (`项目名称 | 业务经费`) is no listing.
    let listing = t.subject.is_none()
        && header.iter().any(|r| {
            r.first().is_some_and(|c| {
                m.subject_column
                    .is_match(&normalize_label(&c.text, &m.rewrites))
            })
        });
    // The row whose metric lists numbered items below it.
    let mut parent: Option<&MetricRule> = None;
    // The last row was a `其中：` part of it: unnumbered rows after it are parts too.
    let mut parts_open = false;
    // Metrics of the last row that was not a `其中` part, and of the current row.
    let mut above: Vec<&str> = vec![];
    // The last row of figures was a `其中` part of the row above it: its siblings
    // after it (`其他资金` after `其中：财政拨款`) are parts too.
    let mut in_parts = false;
    let mut this_row: Vec<&str> = vec![];
    let plan_header = super::plan::any_for(pats, t).then(|| headers.join(" "));
    // The header rows read so far in the body's current run of them: per column,
    // its words, the last word, and the words above that one.
    let mut body_head: Vec<String> = vec![];
    let mut body_last: Vec<String> = vec![];
    let mut body_upper: Vec<String> = vec![];
    let mut in_head = false;
    // The caption of the current block: the label cell of its header rows
    // (`三、“三公”经费情况`), or of its first row beside the row's own label
    // (`三公经费 | 2022年决算数 | 2.46 …`).
    let mut caption = String::new();
    let empties =
        |row: &[Cell]| -> Vec<bool> { texts(row).iter().map(|c| is_placeholder(c)).collect() };
    for (i, (row, nums)) in t.rows.iter().zip(&cell_nums).enumerate() {
        let row_start = out.len();
        let cells = texts(row);
        let empty = empties(row);
        if is_header_row(&empty, nums) {
            // Header rows in a row stack (`“三公”经费预算数` over `公务用车购置
            // 及运行维护费` over `运行维护费`): a column's words are all of theirs.
            // A run of them that names every figure of the first row of figures
            // below starts a block: a column they leave empty takes no heading
            // from the blocks above. (Not the wrapped words of a scoring table's
            // cells, between rows whose 分值 and 得分 they do not name.)
            if !in_head {
                body_head = vec![String::new(); width];
                body_last = vec![String::new(); width];
                body_upper = vec![String::new(); width];
                caption.clear();
                let mut named = vec![false; width];
                let mut below = (t.rows[i..].iter())
                    .zip(&cell_nums[i..])
                    .map(|(r, n)| (r, (empties(r), n)));
                let block = loop {
                    let Some((r, (e, n))) = below.next() else {
                        break false;
                    };
                    if is_header_row(&e, n) {
                        for (j, c) in r.iter().enumerate().take(width) {
                            named[j] |= !e[j] && !c.text.trim().is_empty();
                        }
                    } else if n.iter().any(Option::is_some) {
                        break (1..n.len()).all(|j| n[j].is_none() || named.get(j) == Some(&true));
                    }
                };
                if block {
                    for j in 1..width {
                        headers[j].clear();
                        heads[j] = Head::new(m, units, "", "");
                    }
                }
            }
            in_head = true;
            if caption.is_empty()
                && !empty[0]
                && !is_column_word(m, &normalize_label(cells[0], &m.rewrites))
            {
                caption = normalize_label(cells[0], &m.rewrites);
            }
            for (j, c) in cells.iter().enumerate().skip(1) {
                if !empty[j] && j < headers.len() {
                    // A merged cell filled down repeats its word: one word.
                    if body_last[j] != *c {
                        body_upper[j] = body_head[j].clone();
                        let stack = &mut body_head[j];
                        if !stack.is_empty() {
                            stack.push(' ');
                        }
                        stack.push_str(c);
                        body_last[j] = c.to_string();
                    }
                    headers[j] = body_head[j].clone();
                    heads[j] = Head::new(m, units, &body_head[j], c);
                }
            }
            levels(m, units, memo, &body_last, &body_upper, &mut heads);
            if let Some(w) = cells.first().and_then(|c| bracket_unit(c, units)) {
                group_unit = Some((w.unit, w.scale));
            }
            indicator_block = headers.iter().any(|h| m.indicator_header.is_match(h));
            // A block label naming a listing metric (`七、重点项目支出情况`) heads
            // the numbered items below it.
            parent = cells
                .first()
                .map(|c| normalize_label(c, &m.rewrites))
                .and_then(|l| memo.ask(m, l, Unit::Cny, None))
                .map(|(r, _)| r)
                .filter(|r| r.list_children);
            continue;
        }
        in_head = false;
        // Column-number rows (`栏次 | 1 | 2 | 3`) hold no figures.
        let words_at = |k: usize| !empty[k] && nums[k].is_none();
        let first_words = (0..cells.len()).find(|&k| words_at(k)).map(|k| cells[k]);
        if first_words.is_some_and(|c| is_column_word(m, &normalize_label(c, &m.rewrites))) {
            continue;
        }
        // A row of label-figure pairs (`决算数 | 612.84 | 人员经费决算数 | 548.37`):
        // each label names its own figure, whatever the column headers say.
        let pairs = (0..cells.len())
            .filter(|&k| {
                words_at(k)
                    && (k + 1..cells.len())
                        .find(|&n| !empty[n])
                        .is_some_and(|n| nums[n].is_some())
            })
            .count()
            >= 2;
        // A row of figures with no label of its own under a header that names one
        // over its label column (`年度资金总额 | 年初预算数 | 全年预算数` over
        // `| 1,856.40 | 2,412.75`, a form's row label set on the headings' line),
        // when it names an amount and its figures' headings name no metric.
        let names_metric = |memo: &mut Memo<'r>, h: &str| {
            let h = normalize_label(h, &m.rewrites);
            [Unit::Cny, Unit::Person, Unit::Count]
                .into_iter()
                .any(|u| memo.ask(m, h.clone(), u, None).is_some())
        };
        let figures_here: Vec<usize> = (0..nums.len()).filter(|&k| nums[k].is_some()).collect();
        // A block's caption beside its first row's own label, a total or a
        // basis alone (`三公经费 | 2022年决算数 | 2.46 …`).
        if let Some(&f) = figures_here.first() {
            let own = (1..f).rev().find(|&k| words_at(k)).map(|k| {
                let l = normalize_label(cells[k], &m.rewrites);
                is_total(m, &l) || m.basis_label.is_match(&l)
            });
            if !pairs && words_at(0) && own == Some(true) {
                caption = normalize_label(cells[0], &m.rewrites);
            }
        }
        let mut label = figures_here
            .first()
            .copied()
            .filter(|&f| f > 0 && (0..f).all(|k| empty[k]) && figures_here.len() >= 2)
            .and_then(|f| {
                (0..f)
                    .rev()
                    .map(|k| headers[k].trim())
                    .find(|h| !h.is_empty())
            })
            .map(str::to_string)
            .filter(|h| {
                memo.ask(m, normalize_label(h, &m.rewrites), Unit::Cny, None)
                    .is_some()
                    && !figures_here
                        .iter()
                        .any(|&k| headers.get(k).is_some_and(|x| names_metric(memo, x)))
            })
            .unwrap_or_default();
        // `label` normalised, once per label.
        let mut lab = normalize_label(&label, &m.rewrites);
        let mut child_subject: Option<String> = None;
        // The last words of the row that name an item, not a basis alone.
        let mut item_label = String::new();
        let mut unit_note: Option<&str> = None;
        let mut row_parent: Option<&MetricRule> = None;
        // Whether the row's figures were read as a `其中：` part of the listing row.
        let mut row_part = false;
        // A row with a classification code is an item of the table's topic, not
        // the topic itself (`21208 国有土地使用权出让收入安排的支出`).
        let mut coded = false;
        let mut part_of_above = false;
        for (j, cell) in row.iter().enumerate() {
            let text = cells[j];
            if empty[j] {
                continue;
            }
            let head = heads.get(j).unwrap_or(&blank_head);
            let Some(num) = &nums[j] else {
                // Sentences under a skipped column (a 评分标准 cell:
                // `按要求公开…的得15分，…`) label nothing.
                if head.skip && text.contains(['，', '。', '；', ',', ';']) {
                    continue;
                }
                // A unit alone in brackets (`（人）` under `人员编制数`) labels
                // nothing: it is the unit of the figures to its right.
                if is_unit_note(text, units) {
                    unit_note = Some(text);
                    label.clear();
                    lab.clear();
                    continue;
                }
                unit_note = None;
                // A words cell: the label of the figures to its right.
                label = text.to_string();
                lab = normalize_label(&label, &m.rewrites);
                if j == 0 && is_column_word(m, &lab) {
                    label.clear();
                    lab = normalize_label(&label, &m.rewrites);
                }
                // In a row of pairs a basis alone (`会议费 | 预算数 | 1.50 | 决算数 |
                // 1.28`) is the basis of the item named before it on the row.
                if pairs && !lab.is_empty() {
                    let basis_alone = is_total(m, &lab) || m.basis_label.is_match(&lab);
                    if !basis_alone && !mentions_basis(m, &lab) {
                        item_label = label.clone();
                    } else if basis_alone && !item_label.is_empty() {
                        label = format!("{item_label}{label}");
                        lab = normalize_label(&label, &m.rewrites);
                    }
                }
                child_subject = None;
                continue;
            };
            // Codes (`30216 培训费`, split `208 | 05 | 01 | 行政单位离退休`) and row
            // numbers are not figures.
            let next_is_words = (j + 1..cells.len())
                .find(|&k| !empty[k] && !nums[k].as_ref().is_some_and(|n| n.integer))
                .is_some_and(|k| nums[k].is_none());
            // In a listing, a score before its grade (`96 | 优`) is no code; nor,
            // in a row of label-figure pairs, is a zero or a count right after its
            // label (`编制数（人） | 28 | 实有人数（人） | 26`).
            // A zero is no code, and a label with its unit (`（人）`) is a count's.
            let counted = || {
                pairs
                    && !lab.is_empty()
                    && (0..j)
                        .rev()
                        .find(|&k| !empty[k])
                        .is_some_and(|k| nums[k].is_none())
                    && (num.value.is_zero() || bracket_unit(&label, units).is_some())
            };
            if num.integer && next_is_words && (!listing || lab.is_empty()) && !counted() {
                coded = true;
                continue;
            }
            if head.skip {
                continue;
            }
            if cell.filled || cell.span.is_none() {
                continue;
            }
            let Some(span) = cell.span else { continue };
            let Some(raw) = src.slice(span) else { continue };
            let last_number = !nums[j + 1..].iter().any(Option::is_some);
            let part_weight = nums[..j]
                .iter()
                .rev()
                .flatten()
                .next()
                .is_some_and(|w| w.value < FULL_MARKS);
            let project = (listing && !lab.is_empty() && !is_total(m, &lab) && !indicator_block)
                .then(|| label.trim().to_string());
            let own_metric = pairs && !lab.is_empty() && names_metric(memo, &lab);
            let cell_fig = CellFig {
                last_number,
                part_weight,
                num,
                label: if project.is_some() { "" } else { &lab },
                header: &head.ask,
                own_header: &head.own,
                // In a row of label-figure pairs a label that names a metric says
                // what is counted, not the column (`培训费决算数 | 5.72` under a
                // block above's `接待批次（批）`).
                header_unit: head.unit.filter(|u| !own_metric || u.0 == Unit::Cny),
                header_word: head.word.as_deref().filter(|_| !own_metric),
                header_part: head.part,
                topic: if coded { "" } else { topic },
                caption: &caption,
                pairs,
                group_unit,
                row_unit: bracket_unit(unit_note.unwrap_or(&label), units)
                    .filter(|w| w.unit != Unit::Cny),
                indicator: indicator_block,
                bare: kind.and_then(|k| k.bare.as_ref()),
            };
            let mut d = decide(pats, memo, &cell_fig);
            if num.value.checked_mul(d.scale).is_none() {
                continue;
            }
            if let Some(p) = project {
                if d.metric.is_none() && d.unit == Unit::Cny {
                    d.metric = project_funds(m, ctx, &head.norm);
                }
                child_subject = Some(p);
            }
            // `其中：外事接待批次（个）` under `国内公务接待批次（个）`: a part, not the metric.
            if let Some(r) = d.metric {
                if (lab.starts_with("其中") || in_parts) && above.contains(&r.metric.as_str()) {
                    d.metric = None;
                    part_of_above = true;
                } else {
                    this_row.push(&r.metric);
                }
            }
            // Numbered items under a listing row take its metric, each its own subject;
            // so do its `其中：` parts and the rows after them.
            if d.metric.is_none() && !indicator_block {
                let item = list_item(&label).or_else(|| {
                    let part = part_item(&label).or_else(|| {
                        let t = label.trim();
                        (parts_open && !t.is_empty()).then(|| t.to_string())
                    });
                    row_part |= part.is_some();
                    part
                });
                if let (Some(p), Some(item)) = (parent, item) {
                    if d.unit == p.unit || (d.unit == Unit::Cny && num.unit.is_none()) {
                        d = Decided {
                            metric: Some(p),
                            unit: p.unit,
                            scale: d.scale,
                            words: Some(format!("{}…{}", p.metric, item)),
                        };
                        child_subject = Some(item);
                    } else if d.unit == Unit::Percent {
                        // The item's own rate column (`执行率`).
                        if let Some((r, w)) = memo.ask(m, head.norm.clone(), Unit::Percent, None) {
                            d = Decided {
                                metric: Some(r),
                                unit: Unit::Percent,
                                scale: Decimal::ONE,
                                words: Some(w),
                            };
                            child_subject = Some(item);
                        }
                    }
                }
            }
            if let Some(r) = d.metric {
                if r.list_children && child_subject.is_none() {
                    row_parent = Some(r);
                }
            }
            out.push(make_fact(
                pats,
                ctx,
                t,
                num,
                &d,
                &lab,
                &head.norm,
                raw,
                span,
                child_subject.clone(),
                head.fund.and_then(|f| m.fund_columns.get(f)),
                pairs,
            ));
        }
        if let Some(h) = &plan_header {
            super::plan::apply(pats, ctx, t, h, &mut out[row_start..]);
        }
        let row_label = first_words.unwrap_or("");
        // A row without figures (a block label) leaves the rows around it as they are.
        let figures = nums.iter().any(Option::is_some);
        if figures && !normalize_label(row_label, &m.rewrites).starts_with("其中") && !part_of_above
        {
            above = std::mem::take(&mut this_row);
        }
        if figures {
            in_parts = part_of_above;
        }
        this_row.clear();
        // A block label alone on its row (`七、重点项目支出情况`) heads the
        // numbered items below it.
        if row_parent.is_none() && nums.iter().all(Option::is_none) {
            row_parent = memo
                .ask(m, normalize_label(row_label, &m.rewrites), Unit::Cny, None)
                .map(|(r, _)| r)
                .filter(|r| r.list_children);
        }
        let part_row = row_part && child_subject.is_some();
        parts_open = part_row;
        match row_parent {
            Some(p) => parent = Some(p),
            None if list_item(row_label).is_none() && !row_label.is_empty() && !part_row => {
                parent = None
            }
            None => {}
        }
    }
}

/// What the rules are asked of each column a body header run heads, level by
/// level (`last`: a column's lowest word, `upper`: the words above it):
/// - under a total or a basis alone (`合计`, `小计`, `预算数`), the banner above
///   names the metric (`政府采购实际支出` over `合计`, not `支出合计`);
/// - a word that names a metric alone where the banner's already names the
///   column's (`购置费` under `公务用车购置及运行维护费`) names its own;
/// - a word that names nothing beside a total column under the same banner
///   (`货物类` beside `合计` under `政府采购实际支出`) is a part of the banner's
///   metric.
fn levels<'r>(
    m: &'r Metrics,
    units: &Units,
    memo: &mut Memo<'r>,
    last: &[String],
    upper: &[String],
    heads: &mut [Head],
) {
    let norm = |s: &str| normalize_label(s, &m.rewrites);
    let mut names = |s: String| {
        [Unit::Cny, Unit::Person, Unit::Count]
            .into_iter()
            .find_map(|u| memo.ask(m, s.clone(), u, None))
            .map(|(r, _)| r.metric.as_str())
    };
    let alone = |own: &str| is_total(m, own) || m.basis_label.is_match(own);
    for j in 1..heads.len().min(last.len()) {
        let (own, up) = (norm(&last[j]), norm(&upper[j]));
        if up.is_empty() || own.is_empty() {
            continue;
        }
        if alone(&own) {
            if names(up.clone()).is_some() {
                heads[j].ask = up;
            }
            continue;
        }
        let (full, above, mine) = (
            names(heads[j].norm.clone()),
            names(up.clone()),
            names(own.clone()),
        );
        if mine.is_some() && above.is_some() && full == above {
            heads[j].ask = own;
        } else if mine.is_none()
            && above.is_some()
            && !is_unit_note(&last[j], units)
            && (1..last.len())
                .any(|k| k != j && upper[k] == upper[j] && is_total(m, &norm(&last[k])))
        {
            heads[j].part = true;
        }
    }
}

struct CellFig<'a> {
    num: &'a CellNumber,
    /// Normalised row label and column header.
    label: &'a str,
    header: &'a str,
    own_header: &'a str,
    /// Unit of the column's bare numbers ([`header_unit`] of `header`), and the
    /// word of a count's.
    header_unit: Option<(Unit, Decimal)>,
    header_word: Option<&'a str>,
    /// A part of its banner's metric ([`Head::part`]).
    header_part: bool,
    topic: &'a str,
    /// The caption of the rows' block (`三公经费` beside `2022年决算数`).
    caption: &'a str,
    /// A row of label-figure pairs: a metric over a figure column heads a group of
    /// side-by-side rows (`人员经费` | `公用经费` over economic classes), no split.
    pairs: bool,
    group_unit: Option<(Unit, Decimal)>,
    /// A count's unit in its row label (`公务用车保有量（辆）` in a money table).
    row_unit: Option<&'a crate::patterns::units::UnitWord>,
    indicator: bool,
    /// The last number of its row.
    last_number: bool,
    /// The number before it on its row is a weight short of [`FULL_MARKS`].
    part_weight: bool,
    /// The table kind's bare basis label and its metric ([`TableKindRule::bare`]).
    bare: Option<&'a (regex::Regex, String)>,
}

/// A whole score's weight.
const FULL_MARKS: Decimal = Decimal::ONE_HUNDRED;

struct Decided<'r> {
    metric: Option<&'r MetricRule>,
    unit: Unit,
    /// Multiplier into the unit (money in 万元 → 10000).
    scale: Decimal,
    words: Option<String>,
}

fn decide<'r>(pats: &'r PatternSet, memo: &mut Memo<'r>, c: &CellFig) -> Decided<'r> {
    let m = &pats.metrics;
    // The unit: written in the cell, else the column's, else the row group's or the
    // table's; money in a column without its own multiplier takes the table's.
    let row = c
        .row_unit
        .filter(|_| c.header_unit.is_none_or(|h| h.0 == Unit::Cny));
    let col = row.map(|w| (w.unit, w.scale)).or(c.header_unit);
    let money_scale = c
        .group_unit
        .filter(|g| g.0 == Unit::Cny)
        .map_or(Decimal::ONE, |g| g.1);
    let (unit, scale, sure) = match (c.num.unit, col, c.group_unit) {
        (Some(u), _, _) => (u, Decimal::ONE, true),
        (None, Some((Unit::Cny, s)), _) if s == Decimal::ONE => (Unit::Cny, money_scale, true),
        (None, Some((u, s)), _) => (u, s, true),
        (None, None, Some((u, s))) => (u, s, true),
        (None, None, None) => (Unit::Cny, Decimal::ONE, false),
    };
    let none = Decided {
        metric: None,
        unit,
        scale,
        words: None,
    };
    // A total score row (`总分 | 100 | 98`): its last number is the score, the others
    // are weights, whatever columns the cells fell under.
    if c.num.unit.is_none() {
        let label = format!("{}{}", c.topic, c.label);
        if let Some((r, w)) = memo.ask(m, label, Unit::Score, None) {
            if !c.last_number {
                return none;
            }
            return Decided {
                metric: Some(r),
                unit: Unit::Score,
                scale: Decimal::ONE,
                words: Some(w),
            };
        }
    }
    // In a 绩效指标 block only the total score row is a fact of a metric; one
    // labelled as the block's total (`合计 | 100 | 98`) says 总分, unless its
    // weight is short of full marks (`合计 | 90 | 88`: the indicators' part only).
    if c.indicator {
        if c.last_number
            && !c.part_weight
            && c.num.unit.is_none()
            && any(&pats.tables.indicator_totals, &compact(c.label))
        {
            if let Some((r, _)) = memo.ask(m, "总分".to_string(), Unit::Score, None) {
                return Decided {
                    metric: Some(r),
                    unit: Unit::Score,
                    scale: Decimal::ONE,
                    words: Some(c.label.to_string()),
                };
            }
        }
        return none;
    }
    let word = c
        .num
        .unit_word
        .as_deref()
        .or(row.map(|w| w.word.as_str()))
        .or(c.header_word);
    // A fund's table (the 政府性基金 table) keeps its figures in that fund, whatever
    // a column says (`本年收入`, `项目支出`), unless the label names another.
    let fund = scope_named(m, c.topic).filter(|s| *s != "unit");
    let mut ask_as = |topic: &str, label: &str, unit: Unit| {
        let scope = if topic.is_empty() { None } else { fund };
        memo.ask_in(m, format!("{topic}{label}"), scope, unit, word)
    };
    const ALL: [Unit; 5] = [
        Unit::Cny,
        Unit::Person,
        Unit::Count,
        Unit::Score,
        Unit::Percent,
    ];
    // A bare number in a table that says nothing of units may be any kind of figure.
    let tries: &[Unit] = if sure { &[unit] } else { &ALL };
    let total = is_total(m, c.label);
    let mut found = None;
    if total && c.header_part {
        return none;
    }
    for &u in tries {
        found = if total {
            // A block's total row or a row of one basis (`2022年决算数`) under
            // headings that name no metric (`合计`) is the block caption's.
            match ask_as(c.topic, c.header, u) {
                Some(x) => Some(x),
                None => ask_as(c.topic, c.label, u).or_else(|| {
                    (!c.caption.is_empty())
                        .then(|| ask_as(c.topic, &format!("{}{}", c.caption, c.header), u))
                        .flatten()
                }),
            }
        } else {
            match ask_as(c.topic, c.label, u) {
                Some(x) => Some(x),
                // The rate column of a row about an amount (`年度资金总额` …
                // `执行率 121.93%`): the column names the figure, unless the rule
                // turns the row's words away (`基本支出` … `执行率 99.37%`).
                None if sure
                    && u == Unit::Percent
                    && ALL
                        .into_iter()
                        .any(|v| v != unit && ask_as(c.topic, c.label, v).is_some()) =>
                {
                    ask_as(c.topic, c.header, u)
                        .filter(|(r, _)| !r.not.as_ref().is_some_and(|n| n.is_match(c.label)))
                }
                None => None,
            }
        };
        if found.is_some() {
            break;
        }
    }
    // A row of the table's topic whose own words name nothing (`（1）国内接待费` under
    // 公务接待费 in the 三公 table) is not the topic's total.
    if let (false, false, Some((r, _))) = (total, c.topic.is_empty(), &found) {
        if ask_as("", c.label, r.unit).is_none()
            && ask_as(c.topic, "", r.unit).is_some_and(|(t, _)| t.metric == r.metric)
        {
            return none;
        }
    }
    // A cross-tabulated cell (`会议费` under `人员经费`): part of the row's metric and
    // of the column's, a fact of neither. A banner over every figure column splits
    // nothing.
    if let (false, false, Some((r, _))) = (total, c.pairs, &found) {
        if ask_as(c.topic, c.own_header, r.unit)
            .is_some_and(|(h, _)| h.splits_rows && h.metric != r.metric)
        {
            return none;
        }
    }
    // A bare basis label (`年初预算数`) where the table kind says what it stands for.
    if found.is_none() {
        if let Some((re, metric)) = c.bare {
            if re.is_match(c.label) {
                found = m
                    .rules
                    .iter()
                    .find(|r| &r.metric == metric && (r.unit == unit || !sure))
                    .map(|r| (r, c.label.to_string()));
            }
        }
    }
    match found {
        Some((r, w)) => Decided {
            metric: Some(r),
            unit: r.unit,
            scale: if r.unit == Unit::Cny && c.num.unit.is_none() {
                if unit == Unit::Cny {
                    scale
                } else {
                    money_scale
                }
            } else {
                Decimal::ONE
            },
            words: Some(w),
        },
        None => none,
    }
}

#[allow(clippy::too_many_arguments)]
fn make_fact(
    pats: &PatternSet,
    ctx: &Context,
    t: &Table,
    num: &CellNumber,
    d: &Decided,
    label: &str,
    header: &str,
    raw: &str,
    span: Span,
    child_subject: Option<String>,
    fund: Option<&FundColumn>,
    pairs: bool,
) -> Fact {
    let m = &pats.metrics;
    let mut metric = d.metric;
    // Kind renames (`本年收入合计` of the 财政拨款 summary is income.fiscal).
    if let (Some(r), Some(k)) = (
        metric,
        m.table_kinds
            .iter()
            .find(|k| k.applies(t.kind, t.title.as_deref())),
    ) {
        if let Some((_, to)) = k.rename.iter().find(|(from, _)| *from == r.metric) {
            metric = m.rules.iter().find(|x| &x.metric == to);
        }
    }
    // A fund column's cell is the row's figure for that fund only.
    if let (Some(r), Some(f)) = (metric, fund) {
        metric = f
            .metric_of(&r.metric)
            .and_then(|to| m.rules.iter().find(|x| x.metric == to));
    }
    let mut value = num.value.checked_mul(d.scale).unwrap_or(num.value);
    let mut basis = None;
    if d.unit == Unit::Cny {
        // The column says the basis (`年初预算数`), else the row label; in a row
        // of pairs the label that names one.
        let prior = matches!((year_in(header), ctx.year), (Some(y), Some(d)) if y < d);
        let own = pairs && mentions_basis(m, label);
        let (b, sign) = if !own && (prior || mentions_basis(m, header)) {
            money_basis(m, header, metric, ctx.default_basis, ctx.year)
        } else {
            money_basis(m, label, metric, ctx.default_basis, ctx.year)
        };
        basis = Some(b);
        if sign < 0 {
            value = -value;
        }
    }
    let words = d
        .words
        .clone()
        .or_else(|| Some(label.to_string()))
        .filter(|w| !w.is_empty());
    Fact {
        metric: metric.map(|r| r.metric.clone()),
        basis,
        subject: child_subject
            .or_else(|| t.subject.clone())
            .or_else(|| ctx.subject.clone()),
        value: value.normalize(),
        unit: d.unit,
        raw: raw.to_string(),
        label: words,
        period: ctx.period(basis),
        source: FactSource::Table,
        section_id: t.section_id,
        table_id: Some(t.table_id),
        span,
        rule: metric
            .map(|r| r.id.clone())
            .or_else(|| num.unit_rule.clone())
            .unwrap_or_else(|| {
                if t.rule.is_empty() {
                    "table".to_string()
                } else {
                    t.rule.clone()
                }
            }),
        approx: false,
        value_max: None,
    }
}

/// Does the wording name a basis or change at all?
fn mentions_basis(m: &Metrics, s: &str) -> bool {
    m.basis.iter().any(|r| r.re.is_match(s)) || m.change.iter().any(|r| r.re.is_match(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Layout, LineRole, TableKind};
    use crate::normalize::NormDoc;
    use rust_decimal_macros::dec;

    /// A document holding one table written as tab-separated lines; the first
    /// `header` lines are the header rows. Cells carry spans into the text.
    fn doc_with_table(
        title: &str,
        lines: &[&str],
        header: usize,
        kind: TableKind,
        unit: Option<&str>,
    ) -> Doc {
        let mut text = format!("{title}\n");
        let mut rows: Vec<Vec<Cell>> = vec![];
        for l in lines {
            let mut row = vec![];
            let mut pos = text.chars().count() as u32;
            for cell in l.split('\t') {
                let n = cell.chars().count() as u32;
                row.push(Cell {
                    text: cell.to_string(),
                    span: (!cell.trim().is_empty()).then_some(Span {
                        line: 0,
                        line_end: 0,
                        start: pos,
                        end: pos + n,
                    }),
                    filled: false,
                });
                pos += n + 1;
            }
            rows.push(row);
            text.push_str(l);
            text.push('\n');
        }
        let norm = NormDoc::new(text);
        let roles = vec![LineRole::Table; norm.line_count()];
        let body = rows.split_off(header);
        Doc {
            doc_id: "t".into(),
            path: "t.txt".into(),
            sha256: String::new(),
            bytes: 0,
            encoding: "UTF-8".into(),
            markers: vec![None; norm.line_count()],
            norm,
            roles,
            sections: vec![],
            tables: vec![Table {
                table_id: 1,
                section_id: None,
                kind,
                title: Some(title.to_string()),
                subject: None,
                unit: unit.map(str::to_string),
                layout: Layout::Tsv,
                header: rows,
                rows: body,
                span: Span::default(),
                lines: (0, lines.len()),
                title_line: None,
                rule: String::new(),
            }],
            indicators: vec![],
            facts: vec![],
            checks: vec![],
            card: Default::default(),
            warnings: vec![],
        }
    }

    fn keys(doc: &Doc) -> Vec<(String, Option<Basis>, Decimal)> {
        let p = crate::patterns::test_set();
        let facts = super::super::extract(doc, p);
        let src = SourceChars::new(doc.norm.source.as_str());
        for f in &facts {
            assert_eq!(
                src.slice(f.span),
                Some(f.raw.as_str()),
                "raw != text at span: {f:?}"
            );
        }
        let mut k: Vec<_> = facts
            .into_iter()
            .filter_map(|f| f.metric.map(|m| (m, f.basis, f.value)))
            .collect();
        k.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        k.dedup();
        k
    }

    fn has(k: &[(String, Option<Basis>, Decimal)], m: &str, b: Option<Basis>, v: Decimal) -> bool {
        k.iter().any(|x| x.0 == m && x.1 == b && x.2 == v)
    }

    use crate::model::Basis;

    #[test]
    fn cells() {
        let u = &crate::patterns::test_set().units;
        assert_eq!(
            parse_cell("1,960.73", u).map(|c| c.value),
            Some(dec!(1960.73))
        );
        assert_eq!(
            parse_cell(" 70% ", u).map(|c| c.unit),
            Some(Some(Unit::Percent))
        );
        assert_eq!(
            parse_cell("121.93%%", u).map(|c| c.value),
            Some(dec!(121.93))
        );
        assert_eq!(parse_cell("-5.00", u).map(|c| c.value), Some(dec!(-5)));
        assert!(parse_cell("30216", u).unwrap().integer);
        assert_eq!(parse_cell("≥95%", u), None);
        assert_eq!(parse_cell("一般公共预算：74", u), None);
        assert_eq!(parse_cell("2024.6.18", u), None);
        assert!(is_placeholder("——"));
    }

    #[test]
    fn income_expenditure_summary_tsv() {
        // 醴陵 公开01 收入支出决算总表, 单位：万元.
        let doc = doc_with_table(
            "收入支出决算总表",
            &[
                "收入\t\t\t支出\t\t",
                "项 目\t行次\t决算数\t项 目\t行次\t决算数",
                "栏 次\t\t1\t栏 次\t\t2",
                "一、一般公共预算财政拨款收入\t1\t1960.73\t一、一般公共服务支出\t14\t2027.27",
                "二、政府性基金预算财政拨款收入\t2\t\t二、外交支出\t15\t",
                "八、其他收入\t8\t20.00\t九、卫生健康支出\t21\t5.88",
                "本年收入合计\t10\t1980.73\t本年支出合计\t23\t2033.15",
                "使用非财政拨款结余\t11\t6.44\t结余分配\t24\t",
                "年初结转和结余\t12\t48.03\t年末结转和结余\t25\t2.06",
                "总计\t13\t2035.21\t总计\t26\t2035.21",
            ],
            2,
            TableKind::IncomeExpenditureSummary,
            Some("万元"),
        );
        let k = keys(&doc);
        let a = Some(Basis::Actual);
        assert!(has(&k, "income.fiscal", a, dec!(19607300)), "{k:?}");
        assert!(has(&k, "income.other", a, dec!(200000)), "{k:?}");
        assert!(has(&k, "income.total", a, dec!(19807300)), "{k:?}");
        assert!(has(&k, "expenditure.total", a, dec!(20331500)), "{k:?}");
        assert!(has(&k, "carryover.begin", a, dec!(480300)), "{k:?}");
        assert!(has(&k, "carryover.end", a, dec!(20600)), "{k:?}");
        assert!(has(&k, "funds.grand_total", a, dec!(20352100)), "{k:?}");
        // Functional classes, row numbers and 使用非财政拨款结余 are not vocabulary facts.
        assert_eq!(k.len(), 7, "{k:?}");
    }

    /// A fund column holds the row's figure for that fund: 政府性基金 expenditure,
    /// no grand total or carry-over of a part.
    #[test]
    fn fund_columns_are_parts_of_the_row() {
        let doc = doc_with_table(
            "财政拨款收支预算总表",
            &[
                "收 入\t\t支 出\t\t\t",
                "项 目\t预算数\t项 目\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算",
                "一、本年收入\t6,486.43\t一、本年支出\t6,486.43\t5,286.43\t1,200.00\t0.00",
                "二、上年结转\t0.00\t二、年终结转结余\t10.00\t4.00\t6.00\t",
                "收入总计\t6,486.43\t支出总计\t6,496.43\t5,290.43\t1,206.00\t0.00",
            ],
            2,
            TableKind::Other,
            Some("万元"),
        );
        let k = keys(&doc);
        let hv = |m: &str, v: Decimal| k.iter().any(|x| x.0 == m && x.2 == v);
        assert!(hv("fiscal.expenditure", dec!(64864300)), "{k:?}");
        assert!(hv("fiscal.expenditure", dec!(52864300)), "{k:?}");
        assert!(hv("gov_fund.expenditure", dec!(12000000)), "{k:?}");
        assert!(hv("funds.grand_total", dec!(64964300)), "{k:?}");
        assert!(!hv("funds.grand_total", dec!(52904300)), "{k:?}");
        assert!(!hv("funds.grand_total", dec!(12060000)), "{k:?}");
        assert!(!hv("carryover.end", dec!(40000)), "{k:?}");
        assert!(!hv("carryover.end", dec!(60000)), "{k:?}");
        assert!(!hv("fiscal.expenditure", dec!(0)), "{k:?}");
    }

    /// Regression: a summary whose 支出 side has only the 一般公共预算财政拨款
    /// column (no 合计) lost its carry-over and total rows as fund parts.
    #[test]
    fn a_fund_column_alone_on_its_side_holds_the_whole() {
        let doc = doc_with_table(
            "财政拨款收入支出决算总表",
            &[
                "项目\t决算数\t项目\t一般公共预算财政拨款",
                "一、一般公共预算财政拨款\t61,873,452.36\t一、卫生健康支出\t62,968,517.85",
                "本年收入合计\t61,873,452.36\t本年支出合计\t62,968,517.85",
                "年初财政拨款结转和结余\t3,106,820.40\t年末财政拨款结转和结余\t2,011,754.91",
                "总计\t64,980,272.76\t总计\t64,980,272.76",
            ],
            1,
            TableKind::FiscalSummary,
            Some("元"),
        );
        let k = keys(&doc);
        let hv = |m: &str, v: Decimal| k.iter().any(|x| x.0 == m && x.2 == v);
        assert!(hv("carryover.end", dec!(2011754.91)), "{k:?}");
        assert!(hv("fiscal.expenditure", dec!(62968517.85)), "{k:?}");
    }

    /// The basic-data form's key projects: a block label alone on its row names
    /// the listing metric; each numbered row is that metric for its project, its
    /// 执行率 the project's; a savings column holds no figure of the row.
    #[test]
    fn key_project_rows_under_a_block_label() {
        let doc = doc_with_table(
            "部门整体支出绩效评价基础数据表",
            &[
                "\t预算数\t实际采购数\t节约资金",
                "政府采购金额\t186.50\t178.26\t8.24",
                "\t年初预算数\t全年预算数\t全年支出数\t执行率",
                "七、重点项目支出情况\t\t\t\t",
                "1.食品安全抽检监测经费\t100.00\t120.00\t118.36\t98.63",
                "2.特种设备安全监察专项经费\t65.00\t65.00\t61.20\t94.15",
            ],
            0,
            TableKind::EvalBasicData,
            Some("万元"),
        );
        let k = keys(&doc);
        let hv = |m: &str, v: Decimal| k.iter().any(|x| x.0 == m && x.2 == v);
        assert!(hv("procurement.total", dec!(1782600)), "{k:?}");
        assert!(!hv("procurement.total", dec!(82400)), "{k:?}");
        assert!(
            has(
                &k,
                "expenditure.project",
                Some(Basis::BudgetInitial),
                dec!(1000000)
            ),
            "{k:?}"
        );
        assert!(
            has(
                &k,
                "expenditure.project",
                Some(Basis::Actual),
                dec!(1183600)
            ),
            "{k:?}"
        );
        assert!(hv("funds.execution_rate", dec!(98.63)), "{k:?}");
        assert!(hv("funds.execution_rate", dec!(94.15)), "{k:?}");
    }

    #[test]
    fn fiscal_summary_totals_are_fiscal() {
        let doc = doc_with_table(
            "财政拨款收入支出决算总表",
            &[
                "项 目\t行次\t金 额\t项 目\t行次\t合 计\t一般公共预算财政拨款",
                "本年收入合计\t9\t1,960.73\t本年支出合计\t23\t2,007.23\t2,007.23",
                "年初财政拨款结转和结余\t10\t48.03\t年末财政拨款结转和结余\t24\t1.53\t1.53",
                "总计\t14\t2,008.76\t总计\t28\t2,008.76\t2,008.76",
            ],
            1,
            TableKind::FiscalSummary,
            Some("万元"),
        );
        let k = keys(&doc);
        let a = Some(Basis::Actual);
        assert!(has(&k, "income.fiscal", a, dec!(19607300)), "{k:?}");
        assert!(has(&k, "fiscal.expenditure", a, dec!(20072300)), "{k:?}");
        assert!(has(&k, "carryover.end", a, dec!(15300)), "{k:?}");
        assert!(has(&k, "funds.grand_total", a, dec!(20087600)), "{k:?}");
        assert!(
            !k.iter()
                .any(|x| x.0 == "income.total" || x.0 == "expenditure.total"),
            "{k:?}"
        );
        // Regression: the 总计 row's fund-source column is the grand total, not
        // fiscal expenditure.
        assert!(!has(&k, "fiscal.expenditure", a, dec!(20087600)), "{k:?}");
    }

    #[test]
    fn basic_expenditure_detail_with_codes() {
        // 一般公共预算财政拨款基本支出决算明细表: three code/name/value column groups.
        let doc = doc_with_table(
            "一般公共预算财政拨款基本支出决算明细表",
            &[
                "经济分类科目编码\t科目名称\t决算数\t经济分类科目编码\t科目名称\t决算数",
                "301\t工资福利支出\t1,060.20\t302\t商品和服务支出\t733.09",
                "30101\t基本工资\t388.18\t30215\t会议费\t",
                "30102\t津贴补贴\t55.85\t30216\t培训费\t14.14",
                "30103\t奖金\t145.41\t30217\t公务接待费\t1.64",
                "30112\t其他社会保障缴费\t108.95\t30212\t因公出国（境）费用\t0.00",
                "人员经费合计\t\t1060.26\t公用经费合计\t\t772.12",
            ],
            1,
            TableKind::BasicExpenditureDetail,
            Some("万元"),
        );
        let k = keys(&doc);
        let a = Some(Basis::Actual);
        assert!(has(&k, "training.expense", a, dec!(141400)), "{k:?}");
        assert!(has(&k, "three_public.reception", a, dec!(16400)), "{k:?}");
        assert!(has(&k, "three_public.overseas", a, dec!(0)), "{k:?}");
        assert!(has(&k, "expenditure.personnel", a, dec!(10602600)), "{k:?}");
        assert!(
            has(&k, "expenditure.public_admin", a, dec!(7721200)),
            "{k:?}"
        );
        // 会议费 is blank: no fact; codes are no figures.
        assert!(!k.iter().any(|x| x.0 == "meeting.expense"), "{k:?}");
        assert_eq!(k.len(), 5, "{k:?}");
    }

    /// Regression (普陀 budget, 基本支出经济分类预算表): `会议费` under `人员经费` is a
    /// part of the meeting expense, not the meeting expense.
    #[test]
    fn cross_tabulated_cells_are_no_fact_of_the_row() {
        let doc = doc_with_table(
            "一般公共预算基本支出部门预算经济分类预算表",
            &[
                "科目编码\t科目名称\t合计\t人员经费\t公用经费",
                "30215\t会议费\t30,000\t0\t30,000",
                "30216\t培训费\t83,000\t0\t83,000",
                "合计\t\t113,000\t0\t113,000",
            ],
            1,
            TableKind::Other,
            Some("元"),
        );
        let k = keys(&doc);
        let b = Some(Basis::Budget);
        assert!(has(&k, "meeting.expense", b, dec!(30000)), "{k:?}");
        assert!(!has(&k, "meeting.expense", b, dec!(0)), "{k:?}");
        assert!(!has(&k, "training.expense", b, dec!(0)), "{k:?}");
        assert!(has(&k, "expenditure.personnel", b, dec!(0)), "{k:?}");
        assert!(
            has(&k, "expenditure.public_admin", b, dec!(113000)),
            "{k:?}"
        );
    }

    /// Regression (普陀 budget, the same table as printed): its `一般公共预算基本支出`
    /// banner over 合计 · 人员经费 · 公用经费 is the scope of every figure, so
    /// `会议费 | 合计` is still the meeting expense and `合计 | 合计` is 基本支出.
    #[test]
    fn a_banner_over_every_figure_column_splits_nothing() {
        let doc = doc_with_table(
            "一般公共预算基本支出部门预算经济分类预算表",
            &[
                "科目编码\t项目\t一般公共预算基本支出\t一般公共预算基本支出\t一般公共预算基本支出",
                "科目编码\t科目名称\t合计\t人员经费\t公用经费",
                "30215\t会议费\t30,000\t0\t30,000",
                "合计\t\t113,000\t0\t113,000",
            ],
            2,
            TableKind::Other,
            Some("元"),
        );
        let k = keys(&doc);
        let b = Some(Basis::Budget);
        assert!(has(&k, "meeting.expense", b, dec!(30000)), "{k:?}");
        assert!(has(&k, "expenditure.basic", b, dec!(113000)), "{k:?}");
        assert!(
            has(&k, "expenditure.public_admin", b, dec!(113000)),
            "{k:?}"
        );
        assert!(!has(&k, "expenditure.total", b, dec!(113000)), "{k:?}");
    }

    /// Economic classes side by side under 人员经费 and 公用经费, with codes split
    /// into 类/款 columns: the banners group the rows, the codes are no figures.
    #[test]
    fn side_by_side_groups_and_split_codes() {
        let doc = doc_with_table(
            "一般公共预算财政拨款基本支出决算表",
            &[
                "人员经费\t人员经费\t人员经费\t公用经费\t公用经费\t公用经费",
                "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数",
                "30199\t其他工资福利支出\t38.60\t30215\t会议费\t2.45",
                "303\t对个人和家庭的补助\t23.16\t30216\t培训费\t3.80",
            ],
            2,
            TableKind::BasicExpenditureDetail,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(
            has(&k, "meeting.expense", Some(Basis::Actual), dec!(24500)),
            "{k:?}"
        );
        assert!(
            has(&k, "training.expense", Some(Basis::Actual), dec!(38000)),
            "{k:?}"
        );
        let doc = doc_with_table(
            "一般公共预算财政拨款支出决算表",
            &[
                "类\t款\t项\t科目名称\t合计\t基本支出\t项目支出",
                "208\t05\t01\t行政单位离退休\t68.40\t68.40\t",
                "合计\t\t\t\t68.40\t68.40\t",
            ],
            1,
            TableKind::GeneralBudgetExpenditure,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(
            k.iter().all(|x| x.2 != dec!(50000) && x.2 != dec!(10000)),
            "{k:?}"
        );
    }

    #[test]
    fn own_headers_drop_only_a_banner_to_the_right_edge() {
        let row = |c: &[&str]| -> Vec<Cell> {
            c.iter()
                .map(|t| Cell {
                    text: t.to_string(),
                    ..Cell::empty()
                })
                .collect()
        };
        let h = [
            row(&["项目", "支出", "支出", "支出"]),
            row(&["科目名称", "合计", "基本支出", "项目支出"]),
        ];
        assert_eq!(
            own_headers(&h, 4),
            vec!["项目 科目名称", "合计", "基本支出", "项目支出"]
        );
        // Sides of a summary table: 收入 over the left, 支出 over the right.
        let h = [
            row(&["收入", "收入", "支出", "支出"]),
            row(&["项目", "金额", "项目", "金额"]),
        ];
        assert_eq!(
            own_headers(&h, 4),
            vec!["收入 项目", "收入 金额", "项目", "金额"]
        );
        // A heading over one column is that column's own.
        let h = [row(&["项目", "合计", "基本支出"])];
        assert_eq!(own_headers(&h, 3), vec!["项目", "合计", "基本支出"]);
    }

    #[test]
    fn three_public_purchase_column_under_a_repeated_group_heading() {
        // Regression (普陀 aligned header): the spanning 公务用车购置及运行维护费 lands
        // in the 购置费 column's stack as well as the 小计's.
        let doc = doc_with_table(
            "财政拨款“三公”经费支出决算表",
            &[
                "合计\t合计\t公务用车\t公务用车\t公务用车\t公务用车",
                "预算数\t决算数\t公务用车购置及运行维护费\t公务用车购置及运行维护费\t运行维护费\t运行维护费",
                "预算数\t决算数\t购置费\t购置费\t预算数\t决算数",
                "预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
                "2.85\t0.39\t0.00\t0.00\t1.00\t0.50",
            ],
            4,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        let (b, a) = (Some(Basis::Budget), Some(Basis::Actual));
        assert!(
            has(&k, "three_public.vehicle_purchase", b, dec!(0)),
            "{k:?}"
        );
        assert!(
            has(&k, "three_public.vehicle_purchase", a, dec!(0)),
            "{k:?}"
        );
        assert!(
            has(&k, "three_public.vehicle_operation", b, dec!(10000)),
            "{k:?}"
        );
        assert!(!k.iter().any(|x| x.0 == "three_public.vehicle"), "{k:?}");
    }

    /// The national form's 三公 table lists items down the rows, then counts under
    /// a `统计数` header: a row's bracketed unit (`（辆）`) beats the table's 万元, a
    /// sub-item that names nothing is not the 三公 total, a `其中` row is a part.
    #[test]
    fn three_public_rows_and_their_counts() {
        let doc = doc_with_table(
            "财政拨款“三公”经费支出决算表",
            &[
                "项目\t预算数\t决算数",
                "合计\t10.50\t8.23",
                "3．公务接待费\t2.50\t1.38",
                "（1）国内接待费\t2.50\t1.38",
                "项目\t统计数\t",
                "4．公务用车保有量（辆）\t3\t",
                "5．国内公务接待批次（个）\t12\t",
                "其中：外事接待批次（个）\t0\t",
                "6．国内公务接待人次（人）\t86\t",
            ],
            1,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        let hv = |m: &str, v: Decimal| k.iter().any(|x| x.0 == m && x.2 == v);
        assert!(hv("three_public.total", dec!(105000)), "{k:?}");
        assert!(hv("three_public.reception", dec!(13800)), "{k:?}");
        assert!(!hv("three_public.total", dec!(13800)), "{k:?}");
        assert!(hv("vehicles.count", dec!(3)), "{k:?}");
        assert!(hv("reception.batches", dec!(12)), "{k:?}");
        assert!(!hv("reception.batches", dec!(0)), "{k:?}");
        assert!(hv("reception.visitors", dec!(86)), "{k:?}");
        assert_eq!(k.len(), 7, "{k:?}");
    }

    #[test]
    fn three_public_table_columns() {
        // 醴陵 公开07: the columns are the 三公 items, one data row.
        let doc = doc_with_table(
            "一般公共预算财政拨款“三公”经费支出决算表",
            &[
                "预算数\t预算数\t预算数\t预算数\t预算数\t预算数\t决算数\t决算数\t决算数\t决算数\t决算数\t决算数",
                "合计\t因公出国 (境)费\t公务用车购置及运行费\t公务用车购置及运行费\t公务用车购置及运行费\t公务接待 费\t合计\t因公出国 (境)费\t公务用车购置及运行费\t公务用车购置及运行费\t公务用车购置及运行费\t公务接待 费",
                "\t\t小计\t公务用车 购置费\t公务用车 运行费\t\t\t\t小计\t公务用车 购置费\t公务用车 运行费\t",
                "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12",
                "5.00\t\t\t\t\t5.00\t1.64\t\t\t\t\t1.64",
            ],
            4,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(
            has(&k, "three_public.total", Some(Basis::Budget), dec!(50000)),
            "{k:?}"
        );
        assert!(
            has(
                &k,
                "three_public.reception",
                Some(Basis::Budget),
                dec!(50000)
            ),
            "{k:?}"
        );
        assert!(
            has(&k, "three_public.total", Some(Basis::Actual), dec!(16400)),
            "{k:?}"
        );
        assert!(
            has(
                &k,
                "three_public.reception",
                Some(Basis::Actual),
                dec!(16400)
            ),
            "{k:?}"
        );
        assert_eq!(k.len(), 4, "{k:?}");
    }

    #[test]
    fn three_public_row_read_by_its_plan_when_the_header_is_scrambled() {
        // A banner spread over all twelve columns: every column reads 公务用车.
        let banner = ["公务用车购置及运行维护费"; 12].join("\t");
        let doc = doc_with_table(
            "财政拨款“三公”经费支出决算表",
            &[
                "预算数\t预算数\t预算数\t预算数\t预算数\t预算数\t决算数\t决算数\t决算数\t决算数\t决算数\t决算数",
                &banner,
                "75,000.00\t0.00\t45,000.00\t0.00\t45,000.00\t30,000.00\t51,500.00\t0.00\t38,600.00\t0.00\t38,600.00\t12,900.00",
            ],
            2,
            TableKind::ThreePublic,
            Some("元"),
        );
        let k = keys(&doc);
        let b = Some(Basis::Budget);
        let a = Some(Basis::Actual);
        assert!(has(&k, "three_public.total", b, dec!(75000)), "{k:?}");
        assert!(has(&k, "three_public.vehicle", b, dec!(45000)), "{k:?}");
        assert!(has(&k, "three_public.reception", b, dec!(30000)), "{k:?}");
        assert!(
            has(&k, "three_public.vehicle_operation", a, dec!(38600)),
            "{k:?}"
        );
        assert!(has(&k, "three_public.reception", a, dec!(12900)), "{k:?}");
        assert!(!has(&k, "three_public.vehicle", b, dec!(75000)), "{k:?}");
        // Pairs of 预算数/决算数 keep their own sums.
        let doc = doc_with_table(
            "一般公共预算财政拨款“三公”经费支出决算表",
            &[
                "合计\t合计\t因公出国（境）费\t因公出国（境）费\t小计\t小计\t公务用车购置费\t公务用车购置费\t预算数\t决算数\t公务接待费\t公务接待费",
                "预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t公务用车运行维护费\t公务用车运行维护费\t预算数\t决算数",
                "18.00\t15.62\t0.00\t0.00\t12.00\t10.86\t0.00\t0.00\t12.00\t10.86\t6.00\t4.76",
            ],
            2,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(has(&k, "three_public.total", a, dec!(156200)), "{k:?}");
        assert!(has(&k, "three_public.vehicle", a, dec!(108600)), "{k:?}");
        assert!(
            has(&k, "three_public.vehicle_operation", b, dec!(120000)),
            "{k:?}"
        );
        assert!(!has(&k, "three_public.overseas", a, dec!(156200)), "{k:?}");
    }

    /// Regression: row numbers set under the wrong heading were read as figures
    /// (`一、一般公共预算财政拨款收入 | 1 | 814,190,956.50`: income.fiscal 1).
    #[test]
    fn row_numbers_under_another_heading_are_no_figures() {
        let doc = doc_with_table(
            "收入支出决算总表",
            &[
                "项目\t收入\t金额",
                "一、一般公共预算财政拨款收入\t1\t814,190,956.50",
                "二、政府性基金预算财政拨款收入\t2\t",
                "五、事业收入\t3\t18,142,079.79",
                "八、其他收入\t4\t2,480,130.70",
            ],
            1,
            TableKind::IncomeExpenditureSummary,
            Some("元"),
        );
        let k = keys(&doc);
        assert!(
            has(&k, "income.other", Some(Basis::Actual), dec!(2480130.70)),
            "{k:?}"
        );
        assert!(!k.iter().any(|x| x.2 == dec!(4) || x.2 == dec!(1)), "{k:?}");
    }

    #[test]
    fn a_listing_of_projects_names_each_rows_project() {
        let doc = doc_with_table(
            "重点项目绩效自评结果",
            &[
                "项目名称\t全年预算数（万元）\t全年执行数（万元）\t执行率\t自评得分\t自评等级",
                "学前教育发展资金\t985.43\t985.43\t100.00%\t93\t优",
                "农村中小学校舍维修改造项目\t2311.26\t1999.26\t86.50%\t85\t良",
            ],
            1,
            TableKind::Other,
            None,
        );
        let facts = super::super::extract(&doc, crate::patterns::test_set());
        let of = |raw: &str| facts.iter().find(|f| f.raw == raw).unwrap();
        let f = of("2311.26");
        assert_eq!(
            (f.metric.as_deref(), f.basis, f.subject.as_deref()),
            (
                Some("funds.annual"),
                Some(Basis::BudgetFinal),
                Some("农村中小学校舍维修改造项目")
            )
        );
        assert_eq!(f.value, dec!(23112600));
        assert_eq!(of("1999.26").basis, Some(Basis::Actual));
        assert_eq!(of("86.50%").metric.as_deref(), Some("funds.execution_rate"));
        let score = of("85");
        assert_eq!(score.metric.as_deref(), Some("self_eval.score"));
        assert_eq!(score.subject.as_deref(), Some("农村中小学校舍维修改造项目"));
    }

    #[test]
    fn a_header_reading_that_keeps_the_sums_stands() {
        // Columns in an order of their own (接待 before 公务用车): no plan fits.
        let doc = doc_with_table(
            "“三公”经费支出决算表",
            &[
                "预算数\t预算数\t预算数\t预算数\t预算数\t预算数\t决算数\t决算数\t决算数\t决算数\t决算数\t决算数",
                "合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费\t公务用车购置费\t公务用车运行费\t合计\t因公出国（境）费\t公务接待费\t公务用车购置及运行费\t公务用车购置费\t公务用车运行费",
                "10.00\t1.00\t3.00\t6.00\t2.00\t4.00\t9.00\t1.00\t2.00\t6.00\t2.00\t4.00",
            ],
            2,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(
            has(
                &k,
                "three_public.reception",
                Some(Basis::Budget),
                dec!(30000)
            ),
            "{k:?}"
        );
        assert!(
            has(&k, "three_public.vehicle", Some(Basis::Actual), dec!(60000)),
            "{k:?}"
        );
    }

    #[test]
    fn eval_basic_data_cell_per_line() {
        // 衡山 绩效评价基础数据表: header rows inside the body, units per row group.
        let doc = doc_with_table(
            "2023年度部门整体支出绩效评价基础数据表",
            &[
                "财政供养人员情况（人）\t编制数\t2023 年实际在职人数\t控制率",
                "\t10\t7\t70%",
                "经费控制情况（万元）\t2022 年决算数\t2023 年预算数\t2023 年决算数",
                "三公经费:\t0\t0.6\t0",
                "3、公务接待\t\t0.6\t0",
                "项目支出：\t516.64\t459.09\t459.09",
                "1、业务工作经费\t137.39\t109.77\t109.77",
                "2、运行维护经费\t33.82\t\t",
                "公用经费\t5.86\t19.67\t19.67",
                "其中：办公经费\t5.62\t4.92\t4.92",
                "会议费、培训费\t\t0.32\t0.32",
                "政府采购金额\t——\t349.32\t349.32",
            ],
            1,
            TableKind::EvalBasicData,
            None,
        );
        let k = keys(&doc);
        let (p, b, a) = (
            Some(Basis::PriorYear),
            Some(Basis::Budget),
            Some(Basis::Actual),
        );
        assert!(has(&k, "staff.authorized", None, dec!(10)), "{k:?}");
        assert!(has(&k, "staff.actual", None, dec!(7)), "{k:?}");
        assert!(has(&k, "three_public.total", p, dec!(0)), "{k:?}");
        assert!(has(&k, "three_public.total", b, dec!(6000)), "{k:?}");
        assert!(has(&k, "three_public.reception", a, dec!(0)), "{k:?}");
        assert!(has(&k, "expenditure.project", p, dec!(5166400)), "{k:?}");
        assert!(has(&k, "expenditure.project", p, dec!(1373900)), "{k:?}");
        assert!(has(&k, "expenditure.project", p, dec!(338200)), "{k:?}");
        assert!(
            has(&k, "expenditure.public_admin", b, dec!(196700)),
            "{k:?}"
        );
        assert!(has(&k, "procurement.total", a, dec!(3493200)), "{k:?}");
        // 其中：办公经费 and the joint 会议费、培训费 row have no metric.
        assert!(
            !k.iter().any(|x| x.2 == dec!(49200) || x.2 == dec!(3200)),
            "{k:?}"
        );
    }

    #[test]
    fn eval_basic_data_label_value_pairs() {
        // A Word table exported as `label<TAB>value<TAB>label<TAB>value`: bare budget
        // rows are the unit's funds, a `（人）` count and a zero after their labels
        // are figures (no codes), and `其中：事业编制` is no establishment total.
        let doc = doc_with_table(
            "2022年度部门整体支出绩效评价基础数据表",
            &[
                "部门（单位）名称\t某县某局\t单位负责人\t",
                "编制数（人）\t28\t实有人数（人）\t26",
                "其中：行政编制（人）\t10\t其中：事业编制（人）\t18",
                "年初预算数\t612.40\t全年预算数\t845.76",
                "全年支出数\t829.35\t预算执行率\t98.06%",
                "其中：因公出国（境）费预算数\t0\t其中：因公出国（境）费实际支出数\t0",
            ],
            1,
            TableKind::EvalBasicData,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(has(&k, "staff.authorized", None, dec!(28)), "{k:?}");
        assert!(has(&k, "staff.actual", None, dec!(26)), "{k:?}");
        assert!(!has(&k, "staff.authorized", None, dec!(18)), "{k:?}");
        let annual = |b: Basis, v| has(&k, "funds.annual", Some(b), v);
        assert!(annual(Basis::BudgetInitial, dec!(6124000)), "{k:?}");
        assert!(annual(Basis::BudgetFinal, dec!(8457600)), "{k:?}");
        assert!(annual(Basis::Actual, dec!(8293500)), "{k:?}");
        let overseas = |b: Basis| has(&k, "three_public.overseas", Some(b), dec!(0));
        assert!(overseas(Basis::Budget) && overseas(Basis::Actual), "{k:?}");
    }

    /// Regression: a label on a row of its own between the total and its parts
    /// (`项目资金（万元）` printed at the middle of its merged cell) made the
    /// `其中：财政拨款` row a total; the `其他资金` row after it is a part too.
    #[test]
    fn parts_of_funds_under_a_label_row() {
        let doc = doc_with_table(
            "项目支出绩效自评表",
            &[
                "\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
                "年度资金总额\t50.00\t72.00\t70.20\t10\t97.50%\t9.75",
                "项目资金（万元）\t\t\t\t\t\t",
                "其中：财政拨款\t50.00\t66.00\t64.20\t—\t97.27%\t—",
                "其他资金\t0.00\t6.00\t6.00\t—\t100.00%\t—",
            ],
            1,
            TableKind::ProjectEval,
            Some("万元"),
        );
        let k = keys(&doc);
        let funds: Vec<_> = k.iter().filter(|x| x.0 == "funds.annual").collect();
        assert_eq!(funds.len(), 3, "{k:?}");
        assert!(
            has(&k, "funds.annual", Some(Basis::Actual), dec!(702000)),
            "{k:?}"
        );
        let rates: Vec<_> = k.iter().filter(|x| x.0 == "funds.execution_rate").collect();
        assert_eq!(rates.len(), 1, "{k:?}");
    }

    #[test]
    fn dept_eval_table_funds_rate_and_total_score() {
        let doc = doc_with_table(
            "部门整体支出绩效自评表",
            &[
                "年度预算申请（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
                "\t年度资金总额\t60.69\t60.69\t74\t10\t121.93%%\t5",
                "\t其中：当年财政拨款\t60.69\t60.69\t74\t\t\t",
                "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因",
                "产出指标\t履职效益\t事件处置率\t95%\t100%\t10\t10\t",
                "总分\t\t\t\t\t100\t98\t",
            ],
            1,
            TableKind::DeptEval,
            None,
        );
        let k = keys(&doc);
        assert!(
            has(&k, "funds.annual", Some(Basis::BudgetInitial), dec!(606900)),
            "{k:?}"
        );
        assert!(
            has(&k, "funds.annual", Some(Basis::BudgetFinal), dec!(606900)),
            "{k:?}"
        );
        assert!(
            has(&k, "funds.annual", Some(Basis::Actual), dec!(740000)),
            "{k:?}"
        );
        assert!(has(&k, "funds.execution_rate", None, dec!(121.93)), "{k:?}");
        assert!(has(&k, "self_eval.score", None, dec!(98)), "{k:?}");
        // Indicator rows are the indicators dataset's; weights are not figures.
        assert!(!k.iter().any(|x| x.0 == "events.closure_rate"), "{k:?}");
        assert_eq!(k.len(), 5, "{k:?}");
    }

    /// A block's 合计 short of full marks sums the indicators only: the whole
    /// score adds the funds' points the table puts elsewhere.
    #[test]
    fn indicator_total_short_of_full_marks_is_no_score() {
        let rows = |total: &'static str| {
            doc_with_table(
                "部门整体支出绩效自评表",
                &[
                    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因",
                    "产出指标\t数量指标\t巡查次数\t≥12次\t12次\t90\t88\t",
                    total,
                ],
                1,
                TableKind::DeptEval,
                None,
            )
        };
        let score = |doc: Doc| {
            keys(&doc)
                .into_iter()
                .filter(|x| x.0 == "self_eval.score")
                .count()
        };
        assert_eq!(score(rows("\t\t合计\t\t\t90\t88\t")), 0);
        assert_eq!(score(rows("\t\t合计\t\t\t100\t88\t")), 1);
    }

    #[test]
    fn project_table_subject_and_general_budget_rename() {
        let mut doc = doc_with_table(
            "项目支出绩效自评表",
            &[
                "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
                "\t年度资金总额\t0\t349.32\t349.32\t10\t100%\t10",
                "总分\t\t\t\t\t100\t\t97",
            ],
            1,
            TableKind::ProjectEval,
            None,
        );
        doc.tables[0].subject = Some("综治中心建设".into());
        let p = crate::patterns::test_set();
        let facts = super::super::extract(&doc, p);
        let f = facts
            .iter()
            .find(|f| f.metric.as_deref() == Some("self_eval.score"))
            .unwrap();
        assert_eq!(
            (f.value, f.subject.as_deref()),
            (dec!(97), Some("综治中心建设"))
        );
        let k = keys(&doc);
        assert!(
            has(&k, "funds.annual", Some(Basis::BudgetInitial), dec!(0)),
            "{k:?}"
        );
        assert!(
            has(&k, "funds.annual", Some(Basis::BudgetFinal), dec!(3493200)),
            "{k:?}"
        );
        assert!(has(&k, "funds.execution_rate", None, dec!(100)), "{k:?}");

        let doc = doc_with_table(
            "一般公共预算财政拨款支出决算表",
            &[
                "功能分类科目编码\t科目名称\t本年支出 小计\t基本支出\t项目支出",
                "\t合计\t2007.23\t1832.39\t174.84",
                "201\t一般公共服务支出\t2001.35\t1826.50\t174.84",
            ],
            1,
            TableKind::GeneralBudgetExpenditure,
            Some("万元"),
        );
        let k = keys(&doc);
        let a = Some(Basis::Actual);
        assert!(has(&k, "fiscal.expenditure", a, dec!(20072300)), "{k:?}");
        assert!(has(&k, "expenditure.basic", a, dec!(18323900)), "{k:?}");
        assert!(has(&k, "expenditure.project", a, dec!(1748400)), "{k:?}");
        assert_eq!(k.len(), 3, "{k:?}");
    }

    #[test]
    fn coded_rows_are_items_of_the_topic() {
        // A budget's 政府性基金预算支出表: only the 合计 row is the fund's spending.
        let doc = doc_with_table(
            "政府性基金预算支出表",
            &[
                "科目\t科目\t本年政府性基金预算支出\t本年政府性基金预算支出\t本年政府性基金预算支出",
                "科目编码\t科目名称\t合计\t基本支出\t项目支出",
                "\t合计\t4200.00\t\t4200.00",
                "21208\t国有土地使用权出让收入安排的支出\t3000.00\t\t3000.00",
            ],
            2,
            TableKind::Other,
            Some("万元"),
        );
        let k = keys(&doc);
        let g: Vec<_> = k.iter().filter(|x| x.0 == "gov_fund.expenditure").collect();
        assert_eq!(g.len(), 1, "{k:?}");
        assert_eq!(g[0].2, dec!(42000000));
    }
    /// A numbered listing row's `其中：` parts and the unnumbered rows after them
    /// are its items, each its own subject.
    #[test]
    fn listing_rows_parts_are_items() {
        let doc = doc_with_table(
            "2023年度部门整体支出绩效评价基础数据表",
            &[
                "项目\t2022年决算数\t2023年全年预算数\t2023年决算数",
                "2、项目支出\t4,393.83\t4,863.57\t4,702.36",
                "其中：高标准农田建设\t1,620.00\t2,168.00\t2,046.80",
                "耕地地力保护补贴\t1,538.46\t1,552.31\t1,552.31",
                "“三公”经费合计\t18.46\t17.50\t15.83",
            ],
            1,
            TableKind::EvalBasicData,
            Some("万元"),
        );
        let p = crate::patterns::test_set();
        let facts = super::super::extract(&doc, p);
        let items: Vec<_> = facts
            .iter()
            .filter(|f| f.subject.is_some())
            .map(|f| (f.metric.as_deref(), f.subject.as_deref(), f.value))
            .collect();
        assert_eq!(items.len(), 6, "{items:?}");
        assert!(
            items.iter().all(|x| x.0 == Some("expenditure.project")),
            "{items:?}"
        );
        assert!(items.contains(&(
            Some("expenditure.project"),
            Some("耕地地力保护补贴"),
            dec!(15523100)
        )));
        assert!(facts
            .iter()
            .any(|f| f.metric.as_deref() == Some("three_public.total") && f.subject.is_none()));
    }

    /// Regression: in a row of label-figure pairs each label names its figure's
    /// basis, whatever header rows above the pairs say (`一级预算单位` is no budget).
    #[test]
    fn pair_rows_take_their_labels_basis() {
        let doc = doc_with_table(
            "2023年度部门整体支出绩效评价基础数据表",
            &[
                "单位性质\t行政单位\t预算级次\t一级预算单位",
                "基本支出调整后预算数\t618.20\t基本支出决算数\t612.84",
                "“三公”经费\t上年决算数\t本年预算数\t本年决算数",
                "会议费决算数\t1.20\t培训费决算数\t8.65",
            ],
            1,
            TableKind::EvalBasicData,
            Some("万元"),
        );
        let k = keys(&doc);
        let has = |m: &str, b: Basis, v: Decimal| {
            k.iter().any(|x| x.0 == m && x.1 == Some(b) && x.2 == v)
        };
        assert!(
            has("expenditure.basic", Basis::BudgetFinal, dec!(6182000)),
            "{k:?}"
        );
        assert!(
            has("expenditure.basic", Basis::Actual, dec!(6128400)),
            "{k:?}"
        );
        assert!(has("meeting.expense", Basis::Actual, dec!(12000)), "{k:?}");
        assert!(has("training.expense", Basis::Actual, dec!(86500)), "{k:?}");
    }

    /// Regression: a form row of items each followed by basis-figure pairs
    /// (`会议费 | 预算数 | 1.50 | 决算数 | 1.28`) gave its figures to the column
    /// headers above (`因公出国（境）费`), not to the item on the row.
    #[test]
    fn a_basis_alone_in_a_row_of_pairs_is_the_items_before_it() {
        let doc = doc_with_table(
            "2023年度部门整体支出绩效评价基础数据表",
            &[
                "项目\t合计\t因公出国（境）费\t公务接待费\t运行维护费\t接待批次",
                "会议费\t预算数\t1.50\t决算数\t1.28\t培训费\t预算数\t6.00\t全年执行数\t5.72",
            ],
            1,
            TableKind::EvalBasicData,
            Some("万元"),
        );
        let k = keys(&doc);
        let has = |m: &str, b: Basis, v: Decimal| {
            k.iter().any(|x| x.0 == m && x.1 == Some(b) && x.2 == v)
        };
        assert!(has("meeting.expense", Basis::Budget, dec!(15000)), "{k:?}");
        assert!(has("meeting.expense", Basis::Actual, dec!(12800)), "{k:?}");
        assert!(has("training.expense", Basis::Budget, dec!(60000)), "{k:?}");
        assert!(has("training.expense", Basis::Actual, dec!(57200)), "{k:?}");
        assert!(
            !k.iter()
                .any(|x| x.0.starts_with("three_public") || x.0.starts_with("reception")),
            "{k:?}"
        );
    }

    /// Regression: a form's row label set on its headings' line (`年度资金总额 |
    /// 年初预算数 | …` over `| 1,856.40 | …`) left the figures below unnamed.
    #[test]
    fn a_row_label_on_the_headings_line_names_the_figures_below() {
        let doc = doc_with_table(
            "2024年度部门整体支出绩效自评表",
            &[
                "年度资金总额\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率",
                "\t1,856.40\t2,412.75\t2,371.08\t10\t98.27%",
                "\t\t\t8\t\t",
            ],
            1,
            TableKind::DeptEval,
            Some("万元"),
        );
        let k = keys(&doc);
        let has = |b: Basis, v: Decimal| {
            k.iter()
                .any(|x| x.0 == "funds.annual" && x.1 == Some(b) && x.2 == v)
        };
        assert!(has(Basis::BudgetInitial, dec!(18564000)), "{k:?}");
        assert!(has(Basis::BudgetFinal, dec!(24127500)), "{k:?}");
        assert!(has(Basis::Actual, dec!(23710800)), "{k:?}");
        // A figure alone on its line (a wrapped cell's last digit) is no row.
        assert!(!k.iter().any(|x| x.2 == dec!(80000)), "{k:?}");
    }

    #[test]
    fn basis_labels_name_a_basis_alone() {
        let m = &crate::patterns::test_set().metrics;
        for s in [
            "年初预算数",
            "全年预算数",
            "决算数",
            "全年执行数",
            "调整后预算数",
        ] {
            assert!(m.basis_label.is_match(s), "{s}");
        }
        for s in ["会议费", "会议费预算数", "根据工作计划选用指标", "项目支出"]
        {
            assert!(!m.basis_label.is_match(s), "{s}");
        }
    }

    /// Regression: rows named by a year and basis (`2024年预算数`, `增减额`) in a
    /// budget's 三公 table took no metric from their columns.
    #[test]
    fn rows_by_year_and_basis_take_their_columns() {
        let doc = doc_with_table(
            "一般公共预算“三公”经费支出表",
            &[
                "项目\t合计\t因公出国（境）费\t公务接待费",
                "2024年预算数\t45.90\t0.00\t7.50",
                "2025年预算数\t25.40\t0.00\t6.80",
                "增减额\t-20.50\t0.00\t-0.70",
            ],
            1,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        let has = |m: &str, v: Decimal| k.iter().any(|x| x.0 == m && x.2 == v);
        assert!(has("three_public.total", dec!(459000)), "{k:?}");
        assert!(has("three_public.reception", dec!(68000)), "{k:?}");
        assert!(has("three_public.total", dec!(-205000)), "{k:?}");
        // A row labelled `增减` alone (regression).
        let doc = doc_with_table(
            "一般公共预算“三公”经费支出表",
            &[
                "项目\t合计\t公务接待费",
                "2024年预算数\t12.60\t3.80",
                "2025年预算数\t11.20\t3.40",
                "增减\t-1.40\t-0.40",
            ],
            1,
            TableKind::ThreePublic,
            Some("万元"),
        );
        let k = keys(&doc);
        assert!(
            k.iter()
                .any(|x| x.0 == "three_public.reception" && x.2 == dec!(-4000)),
            "{k:?}"
        );
    }

    /// Regression: a final account's 政府性基金 table gave its 本年收入 and 项目支出
    /// columns to the unit's income.total and expenditure.project.
    #[test]
    fn a_fund_table_keeps_its_columns_in_the_fund() {
        let doc = doc_with_table(
            "政府性基金预算财政拨款收入支出决算表",
            &[
                "科目编码\t科目名称\t年初结转和结余\t本年收入\t本年支出小计\t基本支出\t项目支出\t年末结转和结余",
                "\t合计\t12.80\t212.50\t205.30\t\t205.30\t20.00",
                "212\t城乡社区支出\t12.80\t212.50\t205.30\t\t205.30\t20.00",
            ],
            1,
            TableKind::GovFund,
            Some("万元"),
        );
        let k = keys(&doc);
        let unit_level = [
            "income.total",
            "expenditure.project",
            "carryover.begin",
            "carryover.end",
        ];
        assert!(
            k.iter().all(|x| !unit_level.contains(&x.0.as_str())),
            "{k:?}"
        );
        assert!(
            k.iter()
                .any(|x| x.0 == "gov_fund.income" && x.2 == dec!(2125000)),
            "{k:?}"
        );
    }

    #[test]
    fn a_row_label_holding_a_column_word_is_still_a_row() {
        // Regression: `标准` (a skipped column's title) inside an item's name.
        let doc = doc_with_table(
            "项目支出情况表",
            &[
                "项目\t年初预算数\t全年预算数\t全年执行数",
                "项目支出\t200.00\t230.00\t220.00",
                "1、质量强县及标准化建设经费\t98.00\t115.80\t108.45",
            ],
            1,
            TableKind::Other,
            Some("万元"),
        );
        let k = keys(&doc);
        let a = Some(Basis::Actual);
        assert!(has(&k, "expenditure.project", a, dec!(1084500)), "{k:?}");
    }

    #[test]
    fn rates_of_parts_and_scoring_criteria() {
        // The 执行率 column names the figure on the total row, not on its parts.
        let doc = doc_with_table(
            "部门整体支出绩效自评表",
            &[
                "项目\t年初预算数\t全年预算数\t全年执行数\t执行率",
                "年度资金总额\t100.00\t120.00\t117.22\t97.68%",
                "基本支出\t60.00\t60.00\t59.62\t99.37%",
            ],
            1,
            TableKind::DeptEval,
            Some("万元"),
        );
        let k = keys(&doc);
        let rates: Vec<_> = k.iter().filter(|x| x.0 == "funds.execution_rate").collect();
        assert_eq!(rates.len(), 1, "{k:?}");
        assert_eq!(rates[0].2, dec!(97.68));
        // A 评分标准 sentence is no label for the score after it.
        let doc = doc_with_table(
            "自评工作考核评分表",
            &[
                "评分项目\t分值\t评分标准\t得分",
                "结果应用与公开\t15\t按要求公开自评报告且将自评结果应用于预算编制的得15分，否则酌情扣分。\t14",
            ],
            1,
            TableKind::EvalScoring,
            None,
        );
        assert!(keys(&doc).is_empty(), "{:?}", keys(&doc));
    }
}

//! From rows of cells (as a tab or pipe reader found them) to a table's header and
//! data rows: which rows are the header, repeated headers dropped, rows brought to
//! the header's width, merged cells filled.
//!
//! Converters lose the cell grid: a DOCX table flattened to text keeps one cell per
//! merged region, and an empty cell may be a merged one or a blank one. The rules
//! here are what the layout implies: a header cell left empty beside a group heading
//! is part of that heading (filled right), under a heading it is part of the cell
//! above (filled down); a data row whose leading label cells are empty continues
//! the labels of the row above (filled down) — unless those columns hold figures,
//! which are never copied.

use crate::model::Cell;
use crate::patterns::tables::any;
use crate::patterns::PatternSet;

use super::text::{is_number, is_placeholder};

/// Rows as read, before shaping.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub rows: Vec<Vec<Cell>>,
    /// Rows known to be header rows (a markdown separator row follows them).
    pub header_hint: Option<usize>,
}

/// A shaped table body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shaped {
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
}

/// How rows of different lengths are brought to one width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Every row gets the header's width (TSV, pipes).
    Header,
    /// Rows keep their own width (cell-per-line forms, where merged cells vanish).
    Ragged,
}

pub fn is_value(c: &Cell) -> bool {
    is_number(&c.text)
}

fn is_blank_row(r: &[Cell]) -> bool {
    r.iter().all(|c| c.text.is_empty())
}

/// A column-numbering row: `栏次 | | 1 | 2 …` or just `1 2 3 … n`.
pub fn is_numbering_row(r: &[Cell], pats: &PatternSet) -> bool {
    let t = &pats.tables;
    let mut labelled = false;
    let mut nums = vec![];
    for c in r.iter().filter(|c| !c.text.is_empty()) {
        let s = c.text.as_str();
        if any(&t.numbering, s) {
            labelled = true;
        } else if let Ok(n) = s.parse::<u32>() {
            nums.push(n);
        } else {
            return false;
        }
    }
    if nums.is_empty() {
        return labelled;
    }
    let increasing = nums.windows(2).all(|w| w[1] > w[0]);
    increasing && (labelled || (nums.len() >= 3 && nums[0] <= 1))
}

/// A data row: holds a figure, or starts with a row label such as 合计.
pub(crate) fn is_data_row(r: &[Cell], pats: &PatternSet) -> bool {
    if is_numbering_row(r, pats) {
        return false;
    }
    if r.iter().any(|c| is_value(c) || is_placeholder(&c.text)) {
        return true;
    }
    // A row label (合计) makes a data row when nothing else in the row is a label.
    let mut cells = r.iter().filter(|c| !c.text.is_empty());
    cells
        .next()
        .is_some_and(|c| any(&pats.tables.row_labels, &c.text))
        && cells.all(|c| is_value(c) || is_placeholder(&c.text))
}

fn texts(r: &[Cell]) -> Vec<&str> {
    let mut v: Vec<&str> = r.iter().map(|c| c.text.as_str()).collect();
    while v.last().is_some_and(|s| s.is_empty()) {
        v.pop();
    }
    v
}

/// Number of cells without trailing empty ones.
fn used_len(r: &[Cell]) -> usize {
    r.iter()
        .rposition(|c| !c.text.is_empty())
        .map_or(0, |p| p + 1)
}

pub fn shape(input: Rows, width: Width, pats: &PatternSet) -> Shaped {
    let mut rows: Vec<Vec<Cell>> = input.rows;
    // Header: the rows before the first data row (at least one row).
    let n_header = match input.header_hint {
        // A markdown table holds one header row; converters leave the rest of a
        // multi-row header in the body. A column-numbering row (`1 | 2 | 3`) right
        // before the first figures closes the header wherever the separator was.
        Some(h) => {
            let h = h.min(rows.len());
            match rows.iter().position(|r| is_data_row(r, pats)) {
                Some(d) if d > h && is_numbering_row(&rows[d - 1], pats) => d,
                _ => h,
            }
        }
        None => {
            let first_data = rows.iter().position(|r| is_data_row(r, pats));
            match first_data {
                Some(0) => 0,
                Some(d) => d,
                None => {
                    // No figures at all: the first row, and numbering rows after it.
                    let mut h = rows.len().min(1);
                    while h < rows.len() && is_numbering_row(&rows[h], pats) {
                        h += 1;
                    }
                    h
                }
            }
        }
    };
    let data = rows.split_off(n_header);
    let mut header = rows;
    // Repeated headers (a table continued after a page break or a blank line).
    let header_texts: Vec<Vec<&str>> = header.iter().map(|r| texts(r)).collect();
    let mut data: Vec<Vec<Cell>> = data
        .into_iter()
        .filter(|r| !is_blank_row(r) && !header_texts.iter().any(|h| *h == texts(r)))
        .collect();

    // A cell-per-line table printed with every cell of its grid (each row as long
    // as the others, empty cells kept) is no ragged form: its empty header cells are
    // merged cells, filled as in a TSV table.
    let width = match width {
        Width::Ragged if is_rectangular(&header, &data) => Width::Header,
        w => w,
    };
    if width == Width::Header {
        // The header's width, unless most data rows are wider.
        let hw = header.iter().map(|r| used_len(r)).max().unwrap_or(0);
        let w = hw.max(modal_len(&data));
        span_label_heading(&mut header, w, pats);
        // Header rows printed with the full width are the grid's header; shorter
        // ones are form fields (`预算部门名称 | 某中心`) and take no part in filling.
        let full: Vec<bool> = header.iter().map(|r| r.len() >= w).collect();
        for r in header.iter_mut() {
            fit_row(r, w, 0, &[]);
        }
        let block = data
            .iter()
            .filter(|r| r.iter().all(|c| !c.text.is_empty()))
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        let profile = column_profile(&data, w);
        // Rows as wide as a narrower header, every cell filled, before the table's
        // first full-width row: the header's own block (a 自评表's 年度资金总额 rows
        // above its wider 绩效指标 block) keeps its columns.
        let first_wide = data.iter().position(|r| used_len(r) >= w);
        for (i, r) in data.iter_mut().enumerate() {
            let own_block = hw >= 3
                && hw < w
                && r.len() == hw
                && first_wide.is_some_and(|f| i < f)
                && r.iter().all(|c| !c.text.is_empty());
            if !own_block {
                fit_row(r, w, block, &profile);
            }
        }
        fill_header(&mut header, &full, pats);
    }
    fill_labels(&header, &mut data);
    Shaped { header, rows: data }
}

/// Where the rows' labels take two columns (a code and a name: `栏次 | | 1 | 2`,
/// or `功能分类科目编码 | 科目名称` under the top row), a top row one cell short
/// of the width printed its `项目` once over both: its other headings move one
/// column right.
fn span_label_heading(header: &mut [Vec<Cell>], w: usize, pats: &PatternSet) {
    let filled = |r: &[Cell], j: usize| r.get(j).is_some_and(|c| !c.text.is_empty());
    let coded = |r: &[Cell]| filled(r, 0) && any(&pats.tables.code_headings, &r[0].text);
    let two = header.iter().any(|r| {
        (is_numbering_row(r, pats) && filled(r, 0) && !filled(r, 1) && filled(r, 2))
            || (coded(r) && filled(r, 1))
    });
    if !two || w < 3 {
        return;
    }
    for r in header.iter_mut() {
        if used_len(r) + 1 == w
            && filled(r, 0)
            && filled(r, 1)
            && !coded(r)
            && !is_numbering_row(r, pats)
        {
            r.insert(1, Cell::empty());
        }
    }
}

/// Every header and data row the same length, of at least two cells, with a
/// header row that leaves a cell empty (there is something to fill).
fn is_rectangular(header: &[Vec<Cell>], data: &[Vec<Cell>]) -> bool {
    let Some(w) = header.first().map(Vec::len) else {
        return false;
    };
    w >= 2
        && !data.is_empty()
        && header.iter().chain(data).all(|r| r.len() == w)
        && header.iter().any(|r| r.iter().any(|c| c.text.is_empty()))
}

/// The most common row length (ties: the larger).
fn modal_len(rows: &[Vec<Cell>]) -> usize {
    let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
    for r in rows {
        *counts.entry(used_len(r).max(1)).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(len, n)| (n, len))
        .map_or(0, |(len, _)| len)
}

/// Per column: true when figures are the majority in full-width rows.
fn column_profile(rows: &[Vec<Cell>], w: usize) -> Vec<Option<bool>> {
    let mut num = vec![0usize; w];
    let mut txt = vec![0usize; w];
    for r in rows.iter().filter(|r| r.len() == w || used_len(r) == w) {
        for (j, c) in r.iter().take(w).enumerate() {
            if c.text.is_empty() {
                continue;
            }
            if is_value(c) {
                num[j] += 1;
            } else {
                txt[j] += 1;
            }
        }
    }
    (0..w)
        .map(|j| match (num[j], txt[j]) {
            (0, 0) => None,
            (n, t) => Some(n >= t),
        })
        .collect()
}

/// Bring a row to width `w` (or leave it as wide as `block`, the widest row with
/// every cell filled): drop empty cells it has too many, insert empty cells
/// where figures and labels then fall into figure and label columns.
fn fit_row(r: &mut Vec<Cell>, w: usize, block: usize, profile: &[Option<bool>]) {
    while r.len() > w && r.last().is_some_and(|c| c.text.is_empty()) {
        r.pop();
    }
    // No wider than a row with every cell filled: a block of the table with more
    // columns than its first header (the 绩效指标 block's `偏差原因分析`), where
    // dropping an empty cell would shift the cells after it one column left.
    if r.len() == w || (r.len() > w && r.len() <= block) {
        return;
    }
    if r.len() < w && profile.is_empty() {
        r.resize_with(w, Cell::empty);
        return;
    }
    // Alignment by dynamic programming: cells in order onto columns in order. A
    // figure in a label column costs most, a label in a figure column (a total
    // row's label spanning code and name) less; an inserted empty cell costs less
    // the later it comes, so cells move right only when that makes them fit.
    let n = r.len();
    let mismatch = |c: &Cell, j: usize| -> u32 {
        if c.text.is_empty() {
            return 0;
        }
        match profile.get(j).copied().flatten() {
            Some(true) if !is_value(c) => 100,
            Some(false) if is_value(c) => 1000,
            _ => 0,
        }
    };
    const INF: u32 = u32::MAX / 4;
    let wu = w as u32;
    let nu = n as u32;
    // cost[i][j]: first i cells placed within the first j columns.
    let mut cost = vec![vec![INF; w + 1]; n + 1];
    let mut back = vec![vec![0u8; w + 1]; n + 1];
    cost[0][0] = 0;
    for i in 0..=n {
        for j in 0..=w {
            let here = cost[i][j];
            if here >= INF {
                continue;
            }
            // place cell i in column j
            if i < n && j < w {
                let c = here + mismatch(&r[i], j);
                if c < cost[i + 1][j + 1] {
                    cost[i + 1][j + 1] = c;
                    back[i + 1][j + 1] = 1;
                }
            }
            // leave column j empty
            if j < w {
                let c = here + 200 + (wu - j as u32);
                if c < cost[i][j + 1] {
                    cost[i][j + 1] = c;
                    back[i][j + 1] = 2;
                }
            }
            // drop an empty cell
            if i < n && r[i].text.is_empty() {
                let c = here + 200 + (nu - i as u32);
                if c < cost[i + 1][j] {
                    cost[i + 1][j] = c;
                    back[i + 1][j] = 3;
                }
            }
        }
    }
    if cost[n][w] >= INF {
        // Too many non-empty cells: keep them all (never lose a figure).
        return;
    }
    let mut out: Vec<Cell> = Vec::with_capacity(w);
    let (mut i, mut j) = (n, w);
    while i > 0 || j > 0 {
        match back[i][j] {
            1 => {
                out.push(r[i - 1].clone());
                i -= 1;
                j -= 1;
            }
            2 => {
                out.push(Cell::empty());
                j -= 1;
            }
            3 => i -= 1,
            _ => break,
        }
    }
    out.reverse();
    *r = out;
}

/// Merged header cells: beside a group heading (with sub-headings below) the empty
/// cells are part of it; otherwise an empty header cell belongs to the cell above.
pub fn fill_header(header: &mut [Vec<Cell>], full: &[bool], pats: &PatternSet) {
    let rows: Vec<usize> = (0..header.len())
        .filter(|&r| full.get(r).copied().unwrap_or(true) && !is_numbering_row(&header[r], pats))
        .collect();
    // Right fill, bottom-up, so nested groups see their sub-groups filled.
    for k in (0..rows.len()).rev() {
        let r = rows[k];
        let below = rows.get(k + 1).copied();
        for j in 1..header[r].len() {
            if !header[r][j].text.is_empty() || header[r][j - 1].text.is_empty() {
                continue;
            }
            let has_sub =
                below.is_some_and(|b| header[b].get(j).is_some_and(|c| !c.text.is_empty()));
            if has_sub {
                let src = &header[r][j - 1];
                header[r][j] = Cell {
                    text: src.text.clone(),
                    span: None,
                    filled: true,
                };
            }
        }
    }
    // Down fill, top-down.
    for k in 1..rows.len() {
        let (a, r) = (rows[k - 1], rows[k]);
        for j in 0..header[r].len() {
            if !header[r][j].text.is_empty() {
                continue;
            }
            if let Some(src) = header[a].get(j).filter(|c| !c.text.is_empty()) {
                header[r][j] = Cell {
                    text: src.text.clone(),
                    span: None,
                    filled: true,
                };
            }
        }
    }
}

/// Leading empty label cells of a data row continue the labels above (vertically
/// merged cells); only label columns are filled, never figure columns.
fn fill_labels(header: &[Vec<Cell>], data: &mut [Vec<Cell>]) {
    // Figure columns by row width: a column with any figure in rows of that width.
    let mut figure_cols: std::collections::HashMap<usize, Vec<bool>> = Default::default();
    for r in data.iter() {
        let e = figure_cols
            .entry(r.len())
            .or_insert_with(|| vec![false; r.len()]);
        for (j, c) in r.iter().enumerate() {
            if is_value(c) {
                e[j] = true;
            }
        }
    }
    let mut prev: Option<Vec<Cell>> = header.last().cloned();
    for r in data.iter_mut() {
        if is_blank_row(r) {
            continue;
        }
        let first = r.iter().position(|c| !c.text.is_empty()).unwrap_or(0);
        let label_row = !is_value(&r[first]) && !is_placeholder(&r[first].text);
        let figures = figure_cols.get(&r.len());
        let only_labels = (0..first).all(|j| !figures.is_some_and(|f| f[j]));
        if first > 0 && label_row && only_labels {
            if let Some(p) = prev.as_ref().filter(|p| p.len() == r.len()) {
                for j in 0..first {
                    if !p[j].text.is_empty() {
                        r[j] = Cell {
                            text: p[j].text.clone(),
                            span: None,
                            filled: true,
                        };
                    }
                }
            }
        }
        prev = Some(r.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|s| Cell {
                text: s.to_string(),
                span: None,
                filled: false,
            })
            .collect()
    }

    fn text(rows: &[Vec<Cell>]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    #[test]
    fn header_groups_and_numbering() {
        let p = PatternSet::embedded().unwrap();
        let input = Rows {
            rows: vec![
                row(&["收入", "", "", "支出", "", ""]),
                row(&["项目", "行次", "决算数", "项目", "行次", "决算数"]),
                row(&["栏次", "", "1", "栏次", "", "2"]),
                row(&["一、收入", "1", "1960.73", "一、支出", "14", "2027.27"]),
                row(&["七、附属单位上缴收入", "7", "", "20", ""]),
                row(&["", "9", "", "", "22", ""]),
            ],
            header_hint: None,
        };
        let s = shape(input, Width::Header, &p);
        assert_eq!(
            text(&s.header)[0],
            vec!["收入", "收入", "收入", "支出", "支出", "支出"]
        );
        assert_eq!(s.header.len(), 3);
        assert_eq!(
            text(&s.rows)[1],
            vec!["七、附属单位上缴收入", "7", "", "", "20", ""]
        );
        assert_eq!(text(&s.rows)[2], vec!["", "9", "", "", "22", ""]);
    }

    /// Regression: `项目` printed once over code and name columns left the top
    /// row's headings one column left of their figures (`本年收入合计` over the
    /// name, `财政拨款收入` over the total).
    #[test]
    fn label_heading_over_code_and_name_shifts_the_top_row() {
        let p = PatternSet::embedded().unwrap();
        let input = Rows {
            rows: vec![
                row(&["项目", "本年收入合计", "财政拨款收入", "其他收入"]),
                row(&["功能分类科目编码", "科目名称"]),
                row(&["栏次", "", "1", "2", "3"]),
                row(&["", "合计", "3847.39", "3829.04", "18.35"]),
                row(&["208", "社会保障和就业支出", "3643.19", "3624.84", "18.35"]),
            ],
            header_hint: None,
        };
        let s = shape(input, Width::Header, &p);
        let h = text(&s.header);
        assert_eq!(h[0][2], "本年收入合计");
        assert_eq!(h[0][3], "财政拨款收入");
        assert_eq!(h[0][4], "其他收入");
        assert_eq!(text(&s.rows)[0][2], "3847.39");
    }

    #[test]
    fn merged_labels_fill_down_but_figures_never() {
        let p = PatternSet::embedded().unwrap();
        let input = Rows {
            rows: vec![
                row(&["一级", "二级", "三级", "分值"]),
                row(&["产出", "数量", "a", "10"]),
                row(&["", "", "b", "10"]),
                row(&["", "质量", "c", ""]),
                row(&["x", "y", "z", "3"]),
                row(&["y", "", "", ""]),
            ],
            header_hint: None,
        };
        let s = shape(input, Width::Ragged, &p);
        assert_eq!(text(&s.rows)[1], vec!["产出", "数量", "b", "10"]);
        assert!(s.rows[1][0].filled);
        assert_eq!(text(&s.rows)[2], vec!["产出", "质量", "c", ""]);
        assert_eq!(text(&s.rows)[4], vec!["y", "", "", ""]);
    }

    /// Regression: a cell-per-line table printed with every cell of its grid kept
    /// its merged banner (`预算数` over six columns) in the first column only, so
    /// the 预算数 figures read as 决算数; TSV and pipe forms of the table filled it.
    #[test]
    fn full_grid_cell_per_line_fills_its_banners() {
        let p = PatternSet::embedded().unwrap();
        let rows = || Rows {
            rows: vec![
                row(&["预算数", "", "决算数", ""]),
                row(&["合计", "公务接待费", "合计", "公务接待费"]),
                row(&["5.00", "5.00", "1.64", "1.64"]),
            ],
            header_hint: None,
        };
        let ragged = shape(rows(), Width::Ragged, &p);
        assert_eq!(
            text(&ragged.header)[0],
            vec!["预算数", "预算数", "决算数", "决算数"]
        );
        assert_eq!(ragged, shape(rows(), Width::Header, &p));
    }
}

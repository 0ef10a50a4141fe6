//! Stage 4a: recover tables from the four ways converters flatten them, and say
//! what each table is.
//!
//! - `cell_per_line` (DOCX converters): each cell on a (tab-led) line, rows between
//!   blank lines — [`cell_per_line`];
//! - `tsv`: a row per line, cells between tabs — [`tsv`];
//! - `pipe`: markdown and other `|` rows — [`pipe`];
//! - `record` (forms typed out one `label：value` field per line): read as the
//!   cell-per-line rows of the same form — [`record`];
//! - `aligned` (`pdftotext -layout`): columns aligned with spaces, values sometimes
//!   a line above their row, wrapped labels, two tables side by side — [`aligned`].
//!
//! Tab and pipe tables are found first (their lines say what they are), then
//! `label：value` forms (their labels say it); aligned tables are then looked for on the remaining lines, starting from a title line.
//! Every table's title, unit, kind and subject come from [`describe`]; the words
//! for all of this are in `patterns/tables.toml`. A table split by a page break or
//! blank lines stays one table; a header printed again after the break is dropped.

pub mod aligned;
mod cell_per_line;
mod describe;
pub mod grid;
pub mod pipe;
mod record;
pub mod text;
mod tsv;

use crate::model::{Cell, Layout, LineRole, Table};
use crate::normalize::NormDoc;
use crate::patterns::tables::any;
use crate::patterns::PatternSet;

pub use describe::column_titles;

/// Lines another stage has said are not content (contents pages, covers, page
/// furniture): tables step over them.
pub(crate) fn transparent(r: LineRole) -> bool {
    matches!(r, LineRole::Toc | LineRole::Cover | LineRole::PageFurniture)
}

/// What a line looks like, for finding tab and pipe tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    Blank,
    /// A tab-led line with one cell (cell-per-line).
    TabCell,
    /// A line with tabs between cells (TSV).
    TabRow,
    Pipe,
    Plain,
    /// Skipped: a line another stage marked as not content.
    Skip,
}

fn line_kinds(norm: &NormDoc, roles: &[LineRole]) -> Vec<LineKind> {
    (0..norm.line_count())
        .map(|i| {
            if roles.get(i).copied().is_some_and(transparent) {
                return LineKind::Skip;
            }
            let l = norm.line(i);
            // A tab-only line is an empty cell, not a blank line.
            if l.trim_matches(' ').is_empty() {
                return LineKind::Blank;
            }
            if l.contains('\t') {
                let t = l.trim_start_matches(' ');
                if t.starts_with('\t') && !t[1..].contains('\t') {
                    return LineKind::TabCell;
                }
                return LineKind::TabRow;
            }
            if pipe::is_pipe_line(l) {
                return LineKind::Pipe;
            }
            LineKind::Plain
        })
        .collect()
}

/// A table body a reader found, before it is described.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub layout: Layout,
    /// First and last line of the header and rows.
    pub body: (usize, usize),
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    /// The title line, when the reader already knows it (aligned tables).
    pub title_line: Option<usize>,
    /// Lines between title and body (表号, 编制部门, 单位).
    pub meta_lines: Vec<usize>,
}

/// Find the document's tables, marking their lines as [`LineRole::Table`].
pub fn find(norm: &NormDoc, roles: &mut [LineRole], pats: &PatternSet) -> Vec<Table> {
    let kinds = line_kinds(norm, roles);
    let mut used = vec![false; norm.line_count()];
    let mut found: Vec<Found> = vec![];

    for (start, end, layout) in tab_and_pipe_regions(norm, &kinds, pats) {
        let parts = if layout == Layout::Pipe {
            vec![(start, end, layout)]
        } else {
            tab_parts(norm, &kinds, start, end, layout)
        };
        let mut rows = grid::Rows {
            rows: vec![],
            header_hint: None,
        };
        for &(a, b, l) in &parts {
            let r = match l {
                Layout::CellPerLine => cell_per_line::read(norm, roles, a, b),
                Layout::Tsv => tsv::read(norm, roles, pats, a, b),
                _ => pipe::read(norm, roles, a, b),
            };
            rows.header_hint = rows.header_hint.or(r.header_hint);
            rows.rows.extend(r.rows);
        }
        let width = if parts.iter().any(|p| p.2 == Layout::CellPerLine) {
            grid::Width::Ragged
        } else {
            grid::Width::Header
        };
        let shaped = grid::shape(rows, width, pats);
        if shaped.header.is_empty() && shaped.rows.is_empty() {
            continue;
        }
        for u in used.iter_mut().take(end + 1).skip(start) {
            *u = true;
        }
        found.push(Found {
            layout,
            body: (start, end),
            header: shaped.header,
            rows: shaped.rows,
            title_line: None,
            meta_lines: vec![],
        });
    }
    // Titles above tab and pipe tables.
    for f in found.iter_mut() {
        let (title, meta) = describe::title_above(norm, roles, pats, f.body.0, &used);
        f.title_line = title;
        f.meta_lines = meta;
        for &l in f.title_line.iter().chain(&f.meta_lines) {
            used[l] = true;
        }
    }
    for mut f in record::find(norm, roles, pats, &used) {
        let (title, meta) = describe::title_above(norm, roles, pats, f.body.0, &used);
        f.title_line = title;
        f.meta_lines = meta;
        let from = first_line(&f);
        for u in used.iter_mut().take(f.body.1 + 1).skip(from) {
            *u = true;
        }
        found.push(f);
    }
    for f in cell_per_line::find_bare(norm, roles, pats, &used) {
        for u in used
            .iter_mut()
            .take(f.body.1 + 1)
            .skip(f.title_line.unwrap_or(f.body.0))
        {
            *u = true;
        }
        found.push(f);
    }
    found.extend(aligned::find(norm, roles, pats, &used));
    found.sort_by_key(first_line);

    let mut tables = Vec::with_capacity(found.len());
    for f in found {
        let id = tables.len() as u32 + 1;
        let t = describe::table(norm, pats, f, id);
        mark(norm, roles, &t);
        tables.push(t);
    }
    tables
}

fn first_line(f: &Found) -> usize {
    f.title_line
        .into_iter()
        .chain(f.meta_lines.iter().copied())
        .chain(std::iter::once(f.body.0))
        .min()
        .unwrap_or(f.body.0)
}

fn mark(norm: &NormDoc, roles: &mut [LineRole], t: &Table) {
    let (a, b) = t.lines;
    for i in a..=b.min(roles.len().saturating_sub(1)) {
        if !norm.line(i).trim_matches(' ').is_empty() && !transparent(roles[i]) {
            roles[i] = LineRole::Table;
        }
    }
}

/// Parts of a tab region printed each way: a converter that writes one block
/// of a form as rows of tab-separated cells (`（一）基本支出\t806.20\t842.35`) may
/// write the next one cell per line. A part changes where, across a blank line,
/// two or more rows that open on a label give way to two or more tab-led cells,
/// or the other way round.
fn tab_parts(
    norm: &NormDoc,
    kinds: &[LineKind],
    start: usize,
    end: usize,
    layout: Layout,
) -> Vec<(usize, usize, Layout)> {
    // Each tab line's way: a row opening on a label, or a tab-led cell.
    let way = |i: usize| match kinds[i] {
        LineKind::TabRow if !norm.line(i).trim_start_matches(' ').starts_with('\t') => {
            Some(Layout::Tsv)
        }
        LineKind::TabCell => Some(Layout::CellPerLine),
        _ => None,
    };
    // Runs of lines of one way; a line of neither (a wrapped cell's text, a
    // tab-led row) stays in the run it falls in.
    let mut runs: Vec<(usize, usize, Option<Layout>, usize)> = vec![]; // (a, b, way, lines)
    for (i, kind) in kinds.iter().enumerate().take(end + 1).skip(start) {
        if *kind == LineKind::Blank {
            continue;
        }
        let w = way(i);
        match runs.last_mut() {
            Some(r) if r.2 == w || w.is_none() || r.2.is_none() => {
                r.1 = i;
                r.3 += 1;
                if r.2.is_none() {
                    r.2 = w;
                }
            }
            _ => runs.push((i, i, w, 1)),
        }
    }
    let blank_between = |a: usize, b: usize| (a + 1..b).any(|k| kinds[k] == LineKind::Blank);
    let mut parts: Vec<(usize, usize, Layout)> = vec![];
    for (k, r) in runs.iter().enumerate() {
        let cut = k > 0
            && r.3 >= 2
            && runs[k - 1].3 >= 2
            && r.2.is_some()
            && blank_between(runs[k - 1].1, r.0);
        match parts.last_mut() {
            Some(p) if !cut => p.1 = r.1,
            _ => parts.push((r.0, r.1, r.2.unwrap_or(layout))),
        }
    }
    if parts.len() < 2 {
        return vec![(start, end, layout)];
    }
    parts.last_mut().expect("two parts").1 = end;
    parts
}

/// Regions of tab-separated or pipe tables: `(first line, last line, layout)`.
fn tab_and_pipe_regions(
    norm: &NormDoc,
    kinds: &[LineKind],
    pats: &PatternSet,
) -> Vec<(usize, usize, Layout)> {
    use LineKind::*;
    let n = kinds.len();
    let t = &pats.tables;
    let stops = |i: usize| {
        let s = norm.line(i).trim();
        any(&t.notes, s) || t.is_title(s)
    };
    let mut out = vec![];
    let mut i = 0;
    while i < n {
        let pipe = kinds[i] == Pipe;
        if !matches!(kinds[i], TabCell | TabRow | Pipe) {
            i += 1;
            continue;
        }
        let is_row = |k: LineKind| {
            if pipe {
                k == Pipe
            } else {
                matches!(k, TabCell | TabRow)
            }
        };
        let start = i;
        let mut end = i;
        let (mut cells, mut rows) = (0usize, 0usize);
        let count = |k: LineKind, cells: &mut usize, rows: &mut usize| match k {
            TabCell => *cells += 1,
            TabRow => *rows += 1,
            _ => {}
        };
        count(kinds[i], &mut cells, &mut rows);
        let mut j = i + 1;
        while j < n {
            let k = kinds[j];
            if is_row(k) {
                count(k, &mut cells, &mut rows);
                end = j;
                j += 1;
                continue;
            }
            match k {
                Blank | Skip => j += 1,
                Plain => {
                    if stops(j) {
                        break;
                    }
                    // The plain chunk and what follows it.
                    let mut e = j;
                    while e + 1 < n && kinds[e + 1] == Plain && !stops(e + 1) {
                        e += 1;
                    }
                    let next_is_row = e + 1 < n && is_row(kinds[e + 1]);
                    // Blank lines may separate a cell's paragraphs (cell-per-line).
                    let mut k = e + 1;
                    while k < n && matches!(kinds[k], Blank | Skip) {
                        k += 1;
                    }
                    let later_row = k < n && is_row(kinds[k]) && k - e <= 3;
                    // A numbered heading after the last cell starts the text again:
                    // it is not that cell wrapping.
                    let heading = (j..=e).any(|x| {
                        let l = norm.line(x).trim_start();
                        pats.headings.styles.iter().any(|st| st.re.is_match(l))
                    });
                    let directly_after = j == end + 1 && !heading;
                    let tsv_like = rows > cells || pipe;
                    // A numbered heading right over a project table's first cell
                    // (`（二）全民健身活动经费项目` / `\t项目名称`) starts another table.
                    let next_table = heading
                        && next_is_row
                        && any(
                            &t.subjects,
                            &crate::patterns::tables::compact(norm.line(e + 1)),
                        );
                    // A wrapped cell: right after a table line (cell-per-line), or
                    // between table lines.
                    if next_table {
                        break;
                    }
                    if next_is_row || (!tsv_like && (directly_after || later_row)) {
                        end = e;
                        j = e + 1;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        let layout = if pipe {
            Layout::Pipe
        } else if rows > cells {
            Layout::Tsv
        } else {
            Layout::CellPerLine
        };
        out.push((start, end, layout));
        i = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::classify_lines;
    use proptest::prelude::*;

    fn run(text: &str) -> Vec<Table> {
        let pats = PatternSet::embedded().unwrap();
        let norm = NormDoc::new(text.to_string());
        let mut roles = classify_lines(&norm, &crate::segment::markers(&norm, &pats), &pats);
        let tables = find(&norm, &mut roles, &pats);
        let _ = crate::indicators::extract(&norm, &tables, &pats);
        tables
    }

    /// Regression: a numbered project heading between two cell-per-line project
    /// tables was read as the last cell of the first, joining the two tables.
    #[test]
    fn a_project_heading_splits_cell_per_line_tables() {
        let text = "（一）甲项目\n\t项目名称\n\t甲项目\n\n\t总分\n\t100\n\t96.1\n\t\n\n（二）乙项目\n\t项目名称\n\t乙项目\n\n\t总分\n\t100\n\t90\n";
        let t = run(text);
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[1].subject.as_deref(), Some("乙项目"));
    }

    #[test]
    fn bare_cell_per_line_under_a_title() {
        let text = "表7\n2025年“三公”经费预算表\n单位：万元\n项目\n2024年预算数\n2025年预算数\n增减额\n\n合计\n21.35\n18.60\n-2.75\n\n因公出国（境）费\n0.00\n0.00\n0.00\n\n公务接待费\n3.85\n3.20\n-0.65\n\n八、机关运行经费预算\n2025年本部门机关运行经费预算136.58万元，比上年预算减少5.52万元。\n";
        let t = run(text);
        assert_eq!(t.len(), 1, "{t:#?}");
        assert_eq!(t[0].layout, Layout::CellPerLine);
        assert_eq!(t[0].unit.as_deref(), Some("万元"));
        assert_eq!(t[0].rows.len(), 3);
        assert_eq!(t[0].rows[2][0].text, "公务接待费");
        // Short lines under a title that hold no figures are no table.
        assert!(
            run("附件\n2025年“三公”经费预算表\n\n编制单位\n某某局\n\n日期\n二〇二五年\n\n")
                .is_empty()
        );
    }

    /// Regression: the `收入` label over a stacked summary's first block was read
    /// as the end of the unit cell above it (`单位:万元收入`), so the table had no
    /// unit.
    #[test]
    fn a_block_label_under_the_unit_row_is_a_row() {
        let t = run("收入支出决算总表\n编制单位：某某街道办事处\t\t单位：万元\n收入\n项目\t行次\t金额\n本年收入合计\t1\t4,113.65\n支出\n项目\t行次\t金额\n本年支出合计\t2\t4,123.80\n");
        assert_eq!(t.len(), 1, "{t:#?}");
        assert_eq!(t[0].unit.as_deref(), Some("万元"));
    }

    #[test]
    fn tables_are_numbered_in_order() {
        let t = run("收入决算表\n单位:万元\n项目\t决算数\n合计\t1.00\n\n支出决算表\n项目\t决算数\n合计\t2.00\n");
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].table_id, t[1].table_id), (1, 2));
        assert_eq!(t[0].kind, crate::model::TableKind::Income);
        assert_eq!(t[0].unit.as_deref(), Some("万元"));
        assert_eq!(t[1].kind, crate::model::TableKind::Expenditure);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(s in "([\\t |\\n\\u{c}]|[0-9.,%]|[一二合计总表单位万元项目决算收入支出类款]|收入支出决算总表\\n|  ){0,200}") {
            let _ = run(&s);
        }

        #[test]
        fn never_panics_on_any_text(s in "\\PC{0,120}") {
            let _ = run(&s);
        }
    }
}

//! What a table is: its title (the line above it, past 表号/编制部门/单位 lines),
//! unit (`单位：万元`, or a header such as `年度预算申请（万元）`), kind (title
//! rules first, then header signatures) and subject (the project a project table
//! is about).

use crate::model::{Cell, LineRole, Span, Table, TableKind};
use crate::normalize::{simplified, NormDoc};
use crate::patterns::tables::{any, compact, UnitScope};
use crate::patterns::PatternSet;

use super::{transparent, Found};

/// How far above a table its title may be (non-blank lines).
const TITLE_REACH: usize = 5;

/// The title line and the meta lines (表号, 部门, 单位) above a table starting at
/// line `start`; lines used by another table are never taken.
pub(crate) fn title_above(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    start: usize,
    used: &[bool],
) -> (Option<usize>, Vec<usize>) {
    let t = &pats.tables;
    let mut meta = vec![];
    let mut seen = 0;
    let mut j = start;
    while j > 0 && seen < TITLE_REACH {
        j -= 1;
        if used.get(j).copied().unwrap_or(true) {
            break;
        }
        if roles.get(j).copied().is_some_and(transparent) {
            continue;
        }
        let line = norm.line(j).trim();
        if line.is_empty() {
            continue;
        }
        seen += 1;
        if t.is_title(line) {
            // A table number may stand on its own line above the title (`表1`).
            let above = (0..j)
                .rev()
                .take(2)
                .find(|&k| !norm.line(k).trim().is_empty())
                .filter(|&k| !used.get(k).copied().unwrap_or(true))
                .filter(|&k| roles.get(k).is_some_and(|r| !transparent(*r)));
            if let Some(k) = above.filter(|&k| any(&t.meta, norm.line(k).trim())) {
                meta.push(k);
            }
            return (Some(j), meta);
        }
        if any(&t.meta, line) || unit_of_line(line, pats).is_some() {
            meta.push(j);
            continue;
        }
        break;
    }
    // No title: meta lines alone still belong to the table.
    (None, meta)
}

/// Lines between a title and its body that may be 表号/编制部门/单位 lines.
const MAX_META_BELOW: usize = 3;

/// The 表号/编制部门/单位 lines right below title line `title` (blank and
/// transparent lines stepped over, lines other tables took never), and the first
/// line after them.
pub(crate) fn meta_below(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    used: &[bool],
    title: usize,
) -> (Vec<usize>, usize) {
    let n = norm.line_count();
    let mut meta = vec![];
    let mut j = title + 1;
    while j < n && meta.len() < MAX_META_BELOW && !used.get(j).copied().unwrap_or(true) {
        let l = norm.line(j).trim();
        if l.is_empty() || roles.get(j).copied().is_some_and(transparent) {
            j += 1;
            continue;
        }
        if any(&pats.tables.meta, l) || unit_of_line(l, pats).is_some() {
            meta.push(j);
            j += 1;
            continue;
        }
        break;
    }
    (meta, j)
}

/// The unit a title or meta line states (`单位：万元` → `万元`).
pub(crate) fn unit_of_line(line: &str, pats: &PatternSet) -> Option<String> {
    pats.tables
        .units
        .iter()
        .filter(|u| u.scope == UnitScope::Line)
        .find_map(|u| u.re.captures(line))
        .and_then(|c| c.name("unit").map(|m| m.as_str().to_string()))
}

fn unit_of_cell(cell: &str, pats: &PatternSet) -> Option<String> {
    pats.tables
        .units
        .iter()
        .filter(|u| u.scope == UnitScope::Cell)
        .find_map(|u| u.re.captures(cell))
        .and_then(|c| c.name("unit").map(|m| m.as_str().to_string()))
}

/// Rows whose cells make a table's signature.
const SIGNATURE_ROWS: usize = 16;

/// The signature text: header and first rows, cells without spaces, joined by `|`.
pub(crate) fn signature(header: &[Vec<Cell>], rows: &[Vec<Cell>]) -> String {
    header
        .iter()
        .chain(rows.iter().take(SIGNATURE_ROWS))
        .flat_map(|r| r.iter())
        .filter(|c| !c.text.is_empty() && !c.filled)
        .map(|c| compact(&c.text))
        .collect::<Vec<_>>()
        .join("|")
}

/// Build the output table.
pub(crate) fn table(norm: &NormDoc, pats: &PatternSet, f: Found, id: u32) -> Table {
    let t = &pats.tables;
    let title_text = f.title_line.map(|l| {
        let (a, b) = norm.line_bounds(l);
        let line = &norm.text.as_str()[a..b];
        let lead = line.len() - line.trim_start().len();
        let trail = line.len() - line.trim_end().len();
        // Markdown heading marks, emphasis and list bullets are markup, not
        // title. As written, but simplified (the kind and fact scopes read it).
        simplified(
            norm.source_slice(a + lead, b - trail)
                .trim()
                .trim_start_matches(['#', '>', '*', '-', ' '])
                .trim_end_matches(['*', '_', ' ']),
        )
    });
    let norm_title = f.title_line.map(|l| norm.line(l).trim().to_string());

    let unit = f
        .title_line
        .iter()
        .chain(&f.meta_lines)
        .find_map(|&l| unit_of_line(norm.line(l), pats))
        .or_else(|| {
            f.header
                .iter()
                .chain(f.rows.iter())
                .flat_map(|r| r.iter())
                .filter(|c| !c.filled)
                .find_map(|c| unit_of_cell(&c.text, pats))
        });

    let by_title = norm_title.as_deref().and_then(|s| t.kind_by_title(s));
    let rule = by_title
        .or_else(|| t.kind_by_signature(&signature(&f.header, &f.rows), norm_title.as_deref()));
    let (kind, rule_id) = match rule {
        Some(r) => (r.kind, r.id.clone()),
        None => (TableKind::Other, String::new()),
    };

    let subject = f.header.iter().chain(f.rows.iter()).find_map(|r| {
        let at = r.iter().position(|c| any(&t.subjects, &compact(&c.text)))?;
        // A row of column headings (`项目名称 | 全年预算数 | … | 执行率 | 自评得分`, a
        // band line) heads a listing of projects: it names none.
        let joined: String = r.iter().map(|c| compact(&c.text)).collect();
        if any(&t.bands, &joined) {
            return None;
        }
        r[at + 1..]
            .iter()
            .find(|c| !c.text.is_empty() && !c.filled)
            .filter(|c| !column_heading(pats, &c.text))
            .map(|c| c.text.clone())
    });

    let first = f
        .title_line
        .into_iter()
        .chain(f.meta_lines.iter().copied())
        .chain(std::iter::once(f.body.0))
        .min()
        .unwrap_or(f.body.0);
    let last = f.body.1.max(first);
    let span = lines_span(norm, first, last);
    Table {
        table_id: id,
        section_id: None,
        kind,
        title: title_text.filter(|s| !s.is_empty()),
        subject,
        unit,
        layout: f.layout,
        header: f.header,
        rows: f.rows,
        span,
        lines: (first, last),
        title_line: f.title_line,
        rule: rule_id,
    }
}

/// Span from the first non-blank line to the last one in `[first, last]`.
fn lines_span(norm: &NormDoc, first: usize, last: usize) -> Span {
    let a = (first..=last)
        .find(|&i| !norm.line(i).trim().is_empty())
        .unwrap_or(first);
    let b = (first..=last)
        .rev()
        .find(|&i| !norm.line(i).trim().is_empty())
        .unwrap_or(last);
    norm.line_span(a).cover(norm.line_span(b))
}

/// One title per column: the header rows' texts joined top to bottom, a cell
/// filled from its neighbour counted once (`本年支出 / 基本支出` → `本年支出基本支出`
/// is not produced twice). Numbering rows (栏次 1 2 3) are left out. What the facts
/// stage reads when it looks for "the cell under 决算数".
pub fn column_titles(t: &Table, pats: &PatternSet) -> Vec<String> {
    let width = t
        .header
        .iter()
        .chain(t.rows.iter())
        .map(|r| r.len())
        .max()
        .unwrap_or(0);
    let mut out = vec![String::new(); width];
    for r in t
        .header
        .iter()
        .filter(|r| !super::grid::is_numbering_row(r, pats))
    {
        for (j, c) in r.iter().enumerate() {
            if c.text.is_empty() || out[j].ends_with(&c.text) {
                continue;
            }
            out[j].push_str(&c.text);
        }
    }
    out
}

/// A short cell that names a basis (`年初预算`, `全年预算数（万元）`): a column's
/// heading, no project's name.
fn column_heading(pats: &PatternSet, text: &str) -> bool {
    let c = compact(text);
    let words = c.split(['(', '（']).next().unwrap_or(&c);
    words.chars().count() <= 8 && pats.metrics.basis.iter().any(|r| r.re.is_match(words))
}

//! `cell_per_line`: what DOCX converters print — every cell on its own tab-led
//! line, rows separated by blank lines, a long cell wrapped onto following lines
//! without a tab (even across a blank line inside the cell), and a merged cell as
//! an empty `\t` line.
//!
//! Some converters drop the tab: cells are bare lines, rows still between blank
//! lines. Nothing in a bare line says "cell", so such a table is only read under a
//! table title ([`find_bare`]), from row groups of one width.

use crate::model::{Layout, LineRole};
use crate::normalize::NormDoc;
use crate::patterns::tables::{any, compact};
use crate::patterns::PatternSet;

use super::describe::meta_below;
use super::grid::{self, Rows};
use super::text::{is_number, is_placeholder, RawCell};
use super::{transparent, Found};

/// A bare cell is short …
const MAX_BARE_CELL_CHARS: usize = 40;
/// … and a table of them has at least this many rows of the header's width.
const MIN_BARE_ROWS: usize = 2;
/// In a group of line indices: an empty cell (a block header without caption).
const NO_CELL: usize = usize::MAX;
/// A row of long text inside a form has at most this many cells.
const MAX_FORM_TEXT_LINES: usize = 4;

/// Tables of bare cell lines under a title line: the first group of lines is the
/// header, its line count the table's width; the table runs while groups are no
/// wider and hold only cell-like lines.
pub(crate) fn find_bare(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    used: &[bool],
) -> Vec<Found> {
    let t = &pats.tables;
    let n = norm.line_count();
    let usable = |i: usize| !used[i] && !roles.get(i).copied().is_some_and(transparent);
    let mut out = vec![];
    let mut i = 0;
    while i < n {
        let line = norm.line(i).trim();
        if !usable(i) || line.contains('\t') || !t.is_title(line) {
            i += 1;
            continue;
        }
        let (meta, j) = meta_below(norm, roles, pats, used, i);
        let Some(body) = grid_groups(norm, j, &usable).or_else(|| {
            t.is_form_title(line)
                .then(|| form_groups(norm, pats, j, &usable))
                .flatten()
        }) else {
            i += 1;
            continue;
        };
        let rows: Vec<Vec<_>> = body
            .iter()
            .map(|g| {
                g.iter()
                    .map(|&k| {
                        if k == NO_CELL {
                            return crate::model::Cell::empty();
                        }
                        let (a, b) = norm.line_bounds(k);
                        RawCell::from_range(norm, a, b).to_cell(norm)
                    })
                    .collect()
            })
            .collect();
        let end = body.last().and_then(|g| g.last()).copied().unwrap_or(j);
        let shaped = grid::shape(
            Rows {
                rows,
                header_hint: None,
            },
            grid::Width::Ragged,
            pats,
        );
        out.push(Found {
            layout: Layout::CellPerLine,
            body: (j, end),
            header: shaped.header,
            rows: shaped.rows,
            title_line: Some(i),
            meta_lines: meta,
        });
        i = end + 1;
    }
    out
}

/// The rows of a grid of bare cells from line `start`: the first group of lines is
/// the header, and the table runs while groups are no wider; `None` without
/// enough full rows or without a figure.
fn grid_groups(
    norm: &NormDoc,
    start: usize,
    usable: &dyn Fn(usize) -> bool,
) -> Option<Vec<Vec<usize>>> {
    let mut groups = bare_groups(norm, start, usable);
    // No blank line between rows: the rows are found from their shape.
    let unbroken = groups.len() <= 1;
    if unbroken {
        groups = unbroken_rows(norm, start, usable);
    }
    let width = groups.first().map(Vec::len).filter(|&w| w >= 2)?;
    let body: Vec<Vec<usize>> = groups
        .into_iter()
        .take_while(|g| unbroken || g.len() <= width)
        .collect();
    let full = body.iter().skip(1).filter(|g| g.len() == width).count();
    let figures = body
        .iter()
        .skip(1)
        .flat_map(|g| g.iter())
        .any(|&k| k != NO_CELL && is_number(norm.line(k).trim()));
    (full >= MIN_BARE_ROWS && figures).then_some(body)
}

/// The rows of a form (a 自评表) of bare cells from line `start`, between blank
/// lines: a row keeps only the cells it prints (merged ones are dropped, so rows
/// differ in width), one cell of a row may be a sentence, and a row of long text
/// (年度总体目标) may stand between rows of cells. The form ends at a note, a heading or another title, or at text no
/// row of cells follows; it must hold a 绩效指标 header row.
fn form_groups(
    norm: &NormDoc,
    pats: &PatternSet,
    start: usize,
    usable: &dyn Fn(usize) -> bool,
) -> Option<Vec<Vec<usize>>> {
    let t = &pats.tables;
    let ends = |l: &str| {
        // `3.82万平方米` is a figure, not item 3.
        let fraction = l.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.starts_with(|c: char| c.is_ascii_digit())
        });
        let heading = !fraction && pats.headings.styles.iter().any(|st| st.re.is_match(l));
        l.contains('\t') || any(&t.notes, l) || t.is_title(l) || heading
    };
    let (mut groups, _) = line_groups(norm, start, usable, &ends);
    // A row of cells, one of which may be a sentence (a 偏差原因 note).
    let cells = |g: &Vec<usize>| {
        let text = g
            .iter()
            .filter(|&&k| !bare_cell(norm.line(k).trim()))
            .count();
        text == 0 || (text == 1 && g.len() >= 3)
    };
    let mut keep = 0;
    for (x, g) in groups.iter().enumerate() {
        let text_between = g.len() <= MAX_FORM_TEXT_LINES && groups.get(x + 1).is_some_and(cells);
        if !(cells(g) || text_between) {
            break;
        }
        keep = x + 1;
    }
    groups.truncate(keep);
    let header = groups.iter().any(|g| {
        g.iter()
            .filter(|&&k| t.is_indicator_heading(&compact(norm.line(k))))
            .count()
            >= 3
    });
    let figures = groups
        .iter()
        .flatten()
        .any(|&k| is_number(norm.line(k).trim()));
    (header && figures).then_some(groups)
}

/// A line that can be a bare cell: short, one piece, no sentence.
fn bare_cell(l: &str) -> bool {
    !l.contains('\t')
        && !l.contains("  ")
        && l.chars().count() <= MAX_BARE_CELL_CHARS
        && !crate::segment::has_sentence_punct(l)
}

/// Groups of cell-like lines from line `start`, split at blank lines, up to the
/// first line that is no bare cell.
fn bare_groups(norm: &NormDoc, start: usize, usable: &dyn Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let (mut groups, open) = line_groups(norm, start, usable, &|l| !bare_cell(l));
    // The group the prose line would open or continue is prose, not a row.
    if open {
        groups.pop();
    }
    groups
}

/// Groups of lines from line `start`, split at blank lines, up to an unusable
/// line or one that `ends` the run; also whether that line would have joined the
/// last group returned (no blank line before it).
fn line_groups(
    norm: &NormDoc,
    start: usize,
    usable: &dyn Fn(usize) -> bool,
    ends: &dyn Fn(&str) -> bool,
) -> (Vec<Vec<usize>>, bool) {
    let mut groups: Vec<Vec<usize>> = vec![vec![]];
    let mut open = false;
    for k in start..norm.line_count() {
        if !usable(k) {
            break;
        }
        let l = norm.line(k).trim();
        if l.is_empty() {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(vec![]);
            }
            continue;
        }
        if ends(l) {
            open = groups.last().is_some_and(|g| !g.is_empty());
            break;
        }
        if let Some(g) = groups.last_mut() {
            g.push(k);
        }
    }
    groups.retain(|g| !g.is_empty());
    (groups, open)
}

/// Rows of bare cells printed without blank lines between them (a 基础数据表
/// from some converters): a row is a label line and its figures, a block's
/// header is the lines right before its first label, as many as that row has
/// figures, after an optional caption (`经费控制情况（万元）`). The first group
/// returned is the first block's header; later blocks' headers are rows.
fn unbroken_rows(norm: &NormDoc, start: usize, usable: &dyn Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut lines = vec![];
    for k in start..norm.line_count() {
        let l = norm.line(k).trim();
        if !usable(k) || l.is_empty() || !bare_cell(l) {
            break;
        }
        lines.push(k);
    }
    // A figure, or a cell that says there is none (`——`, `/`).
    let value = |k: usize| {
        let s = norm.line(k).trim();
        is_number(s) || is_placeholder(s)
    };
    let mut out: Vec<Vec<usize>> = vec![];
    let mut width = 0;
    let mut rows = 0;
    let mut i = 0;
    while i < lines.len() {
        let texts = lines[i..].iter().take_while(|&&k| !value(k)).count();
        let values = lines[i + texts..].iter().take_while(|&&k| value(k)).count();
        if texts == 0 || values < 2 {
            break;
        }
        let label = lines[i + texts - 1];
        let above = &lines[i..i + texts - 1];
        if above.len() >= values {
            // A new block: its caption (if any) heads the label column.
            let (caption, heads) = above.split_at(above.len() - values);
            if caption.len() > 1 {
                break;
            }
            let mut head = vec![caption.first().copied().unwrap_or(NO_CELL)];
            head.extend_from_slice(heads);
            out.push(head);
            width = values;
        } else if !above.is_empty() || values != width {
            break;
        }
        let mut row = vec![label];
        row.extend_from_slice(&lines[i + texts..i + texts + values]);
        out.push(row);
        rows += 1;
        i += texts + values;
    }
    if rows < MIN_BARE_ROWS {
        return vec![];
    }
    out
}

/// Read the rows of the region `[start, end]` (normalised line indices). The
/// region finder has already decided that every untabbed line in it continues a cell.
pub fn read(norm: &NormDoc, roles: &[LineRole], start: usize, end: usize) -> Rows {
    let text = norm.text.as_str();
    let mut rows: Vec<Vec<RawCell>> = vec![];
    let mut cur: Vec<RawCell> = vec![];
    let mut blank_before = false;
    for i in start..=end.min(norm.line_count().saturating_sub(1)) {
        if roles.get(i).copied().is_some_and(transparent) {
            continue;
        }
        let (a, b) = norm.line_bounds(i);
        let line = &text[a..b];
        if line.trim_matches(' ').is_empty() {
            blank_before = true;
            continue;
        }
        let lead = line.len() - line.trim_start_matches(' ').len();
        if line[lead..].starts_with('\t') {
            // A blank line before a tab-led line ends the row.
            if blank_before && !cur.is_empty() {
                rows.push(std::mem::take(&mut cur));
            }
            let mut pos = a + lead + 1;
            for piece in line[lead + 1..].split('\t') {
                cur.push(RawCell::from_range(norm, pos, pos + piece.len()));
                pos += piece.len() + 1;
            }
        } else {
            // A wrapped cell: the text belongs to the last cell.
            match cur.last_mut() {
                Some(c) => c.push(norm, a, b),
                None => cur.push(RawCell::from_range(norm, a, b)),
            }
        }
        blank_before = false;
    }
    if !cur.is_empty() {
        rows.push(cur);
    }
    Rows {
        rows: rows
            .into_iter()
            .map(|r| r.iter().map(|c| c.to_cell(norm)).collect())
            .collect(),
        header_hint: None,
    }
}

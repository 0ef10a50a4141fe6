//! `cell_per_line`: what DOCX converters print — every cell on its own tab-led
//! line, rows separated by blank lines, a long cell wrapped onto following lines
//! without a tab (even across a blank line inside the cell), and a merged cell as
//! an empty `\t` line.

use crate::model::LineRole;
use crate::normalize::NormDoc;

use super::grid::Rows;
use super::text::RawCell;
use super::transparent;

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

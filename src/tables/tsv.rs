//! `tsv`: one row per line, cells separated by tabs. A row may lose cells at its
//! end or its label (`\t9\t\t\t22\t`); blank lines may fall inside the table (page
//! gaps), and a header may be printed again after them — the grid shaping handles
//! both. An untabbed line inside the region continues the previous row's last cell,
//! unless that cell states the table's unit (`单位：万元`): then it is a row of its
//! own (the `收入` label over a stacked summary's first block).

use crate::model::LineRole;
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

use super::grid::Rows;
use super::text::RawCell;
use super::transparent;

pub fn read(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    start: usize,
    end: usize,
) -> Rows {
    let text = norm.text.as_str();
    let mut rows: Vec<Vec<RawCell>> = vec![];
    for i in start..=end.min(norm.line_count().saturating_sub(1)) {
        if roles.get(i).copied().is_some_and(transparent) {
            continue;
        }
        let (a, b) = norm.line_bounds(i);
        let line = &text[a..b];
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('\t') {
            let mut pos = a;
            let mut row = vec![];
            for piece in line.split('\t') {
                row.push(RawCell::from_range(norm, pos, pos + piece.len()));
                pos += piece.len() + 1;
            }
            rows.push(row);
        } else if let Some(last) = rows
            .last_mut()
            .and_then(|r| r.last_mut())
            .filter(|c| super::describe::unit_of_line(&c.text(norm), pats).is_none())
        {
            last.push(norm, a, b);
        } else {
            rows.push(vec![RawCell::from_range(norm, a, b)]);
        }
    }
    Rows {
        rows: rows
            .into_iter()
            .map(|r| r.iter().map(|c| c.to_cell(norm)).collect())
            .collect(),
        header_hint: None,
    }
}

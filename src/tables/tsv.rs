//! `tsv`: one row per line, cells separated by tabs. A row may lose cells at its
//! end or its label (`\t9\t\t\t22\t`); blank lines may fall inside the table (page
//! gaps), and a header may be printed again after them — the grid shaping handles
//! both. An untabbed line inside the region continues the previous row's last cell,
//! unless that cell states the table's unit (`单位：万元`): then it is a row of its
//! own (the `收入` label over a stacked summary's first block).
//!
//! A header cell holding a line break (`一般公共预算<br>财政拨款`, copied from a web
//! page) breaks its row: the cell's first part ends one line, its rest starts the
//! next, followed by the row's other cells. Before the first figures or numbering
//! row, consecutive lines each narrower than the table, with text on both sides of
//! each break, whose cells joined at the breaks make up exactly the table's width
//! (its widest row, as wide as the rows below mostly are), are one row. Separate
//! header rows seldom add up to exactly the width; a full-width line is never
//! joined, nor one opening on a code column's heading (`功能分类科目编码 | 科目名称`
//! under a top row that printed `项目` once over both columns).

use crate::model::{Cell, LineRole};
use crate::normalize::NormDoc;
use crate::patterns::tables::any;
use crate::patterns::PatternSet;

use super::grid::{is_data_row, is_numbering_row, Rows};
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
    let rows = rejoin_broken_rows(rows, norm, pats);
    Rows {
        rows: rows
            .into_iter()
            .map(|r| r.iter().map(|c| c.to_cell(norm)).collect())
            .collect(),
        header_hint: None,
    }
}

/// Header rows broken at a line break inside a cell, joined again (see the
/// module header).
fn rejoin_broken_rows(
    rows: Vec<Vec<RawCell>>,
    norm: &NormDoc,
    pats: &PatternSet,
) -> Vec<Vec<RawCell>> {
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_cell(norm)).collect())
        .collect();
    // Without figures there is no telling a header from the body.
    let Some(zone) = cells
        .iter()
        .position(|r| is_data_row(r, pats) || is_numbering_row(r, pats))
    else {
        return rows;
    };
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    // A grid whose body is printed full width (not a form of fields and blocks of
    // their own widths): the row closing the header, and most rows below it.
    let mut lens: std::collections::BTreeMap<usize, usize> = Default::default();
    for r in &rows[zone..] {
        *lens.entry(r.len()).or_default() += 1;
    }
    let modal = lens.iter().max_by_key(|&(l, n)| (n, l)).map(|(l, _)| *l);
    if rows[zone].len() != width || modal != Some(width) {
        return rows;
    }
    // A line opening on a code column's heading (`功能分类科目编码 | 科目名称`)
    // is the label row under an unpadded top row, not the rest of a cell.
    let opens_row = |r: &[Cell]| {
        r.first()
            .is_some_and(|c| any(&pats.tables.code_headings, &c.text))
    };
    // The last line of the run starting at `i` that joins it into a full row.
    let run_end = |i: usize| -> Option<usize> {
        let mut w = rows[i].len();
        if w < 2 || w >= width {
            return None;
        }
        for j in i + 1..zone {
            let (upper, lower) = (&rows[j - 1], &rows[j]);
            if lower.len() < 2
                || lower.len() >= width
                || upper.last().is_none_or(RawCell::is_empty)
                || lower[0].is_empty()
                || opens_row(&cells[j])
            {
                return None;
            }
            w += lower.len() - 1;
            if w >= width {
                return (w == width).then_some(j);
            }
        }
        None
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        match (i < zone).then(|| run_end(i)).flatten() {
            Some(j) => {
                let mut row = rows[i].clone();
                for r in &rows[i + 1..=j] {
                    if let Some(last) = row.last_mut() {
                        last.append(&r[0]);
                    }
                    row.extend_from_slice(&r[1..]);
                }
                out.push(row);
                i = j + 1;
            }
            None => {
                out.push(rows[i].clone());
                i += 1;
            }
        }
    }
    out
}

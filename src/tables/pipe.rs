//! `pipe`: markdown tables and other `|`-separated rows. A `|---|---|` separator
//! row ends the header. Some converters print one cell per `|` line, rows
//! separated by blank lines (the pipe form of cell-per-line); both are read here.

use crate::model::LineRole;
use crate::normalize::NormDoc;

use super::grid::Rows;
use super::text::RawCell;
use super::transparent;

/// Whether a line is a pipe row.
pub fn is_pipe_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') || (t.matches('|').count() >= 2 && !t.starts_with("||"))
}

/// Cells of a pipe row as byte ranges of `line` (without the outer pipes).
fn split_cells(line: &str) -> Vec<(usize, usize)> {
    let lead = line.len() - line.trim_start().len();
    let trail = line.len() - line.trim_end().len();
    let mut a = lead;
    let mut b = line.len() - trail;
    if line[a..b].starts_with('|') {
        a += 1;
    }
    if b > a && line[a..b].ends_with('|') && !line[a..b].ends_with("\\|") {
        b -= 1;
    }
    let mut out = vec![];
    let bytes = line.as_bytes();
    let mut s = a;
    let mut i = a;
    while i < b {
        if bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            out.push((s, i));
            s = i + 1;
        }
        i += 1;
    }
    out.push((s, b));
    out
}

fn is_separator(line: &str, cells: &[(usize, usize)]) -> bool {
    cells.iter().all(|&(a, b)| {
        let c = line[a..b].trim();
        c.len() >= 2 && c.chars().all(|ch| matches!(ch, '-' | ':' | '=' | '+'))
    })
}

pub fn read(norm: &NormDoc, roles: &[LineRole], start: usize, end: usize) -> Rows {
    let text = norm.text.as_str();
    let last = end.min(norm.line_count().saturating_sub(1));
    // (row of cells, preceded by a blank line)
    let mut lines: Vec<(Vec<RawCell>, bool)> = vec![];
    let mut header_hint = None;
    let mut blank = false;
    for i in start..=last {
        if roles.get(i).copied().is_some_and(transparent) {
            continue;
        }
        let (a, b) = norm.line_bounds(i);
        let line = &text[a..b];
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if !is_pipe_line(line) {
            // A wrapped cell: continue the last cell.
            if let Some(c) = lines.last_mut().and_then(|(r, _)| r.last_mut()) {
                c.push(norm, a, b);
            }
            continue;
        }
        let cells = split_cells(line);
        if is_separator(line, &cells) {
            if header_hint.is_none() {
                header_hint = Some(lines.len());
            }
            blank = false;
            continue;
        }
        let row = cells
            .iter()
            .map(|&(x, y)| RawCell::from_range(norm, a + x, a + y))
            .collect();
        lines.push((row, blank));
        blank = false;
    }
    // One cell per line, rows separated by blank lines.
    let single = !lines.is_empty()
        && lines.iter().all(|(r, _)| r.len() <= 1)
        && lines.iter().skip(1).any(|(_, b)| *b);
    let rows: Vec<Vec<RawCell>> = if single {
        let mut rows: Vec<Vec<RawCell>> = vec![];
        for (r, b) in lines {
            if b || rows.is_empty() {
                rows.push(vec![]);
            }
            if let Some(cur) = rows.last_mut() {
                cur.extend(r);
            }
        }
        header_hint = None;
        rows
    } else {
        lines.into_iter().map(|(r, _)| r).collect()
    };
    Rows {
        rows: rows
            .into_iter()
            .map(|r| r.iter().map(|c| c.to_cell(norm)).collect())
            .collect(),
        header_hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_cells() {
        let l = "| 项目 | 决算数 |";
        let c: Vec<&str> = split_cells(l)
            .iter()
            .map(|&(a, b)| l[a..b].trim())
            .collect();
        assert_eq!(c, vec!["项目", "决算数"]);
        let l = "a | b \\| c | d";
        let c: Vec<&str> = split_cells(l)
            .iter()
            .map(|&(a, b)| l[a..b].trim())
            .collect();
        assert_eq!(c, vec!["a", "b \\| c", "d"]);
        assert!(is_separator("|---|:--:|", &split_cells("|---|:--:|")));
    }
}

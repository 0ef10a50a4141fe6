//! Data lines into rows.
//!
//! pdftotext prints a row on one line only when all its cells fit one line. A
//! wrapped label goes on the lines below its row (or, vertically centred, half
//! above and half below), and figures of a tall row can land on a line of their
//! own above the row's label. Rows are anchored on *key lines* — a line with a
//! classification code or a row label (`一、…`, `合计`) in a key column (the first
//! column, and the first column of each side-by-side block). Other lines join a
//! neighbouring row:
//! - a line of figures only joins the next key line when their columns do not
//!   clash, else the row above, else stands as a row of its own (the “三公” table's
//!   single line of figures);
//! - a line with words joins the row above or the next key line, whichever it can
//!   join without two figures meeting in a column or a word continuing a label
//!   that was not wrapped (a label wraps only at the column's full width). When
//!   both can take it, the table's style decides: in tables whose labels are
//!   centred on their key line it alternates, otherwise it goes up;
//! - in a form band so centred, a line right below a key line is the lower half
//!   of the row's cells that sit wholly above it, however short their upper half
//!   (`≤40万元/` over `平方公里`: a value wraps at its unit, not the column's width).
//!
//! Blank lines separate rows: a line never joins a row across one, except a
//! leading line with no key line after it in its block.

use crate::model::Cell;
use crate::normalize::NormDoc;
use crate::patterns::tables::{any, compact};
use crate::patterns::PatternSet;
use crate::tables::text::{is_number, is_placeholder, RawCell};

use super::columns::Col;
use super::tokens::{Tok, TokKind};

/// A data line, its tokens placed in columns.
#[derive(Debug, Clone)]
pub struct DataLine {
    pub toks: Vec<Tok>,
    pub col: Vec<usize>,
    /// A blank line (or a page break) comes before it.
    pub blank_before: bool,
    /// Starts a row whatever its columns hold (a form band's line with figures).
    pub key: bool,
}

/// How far a line looks for the key line it may join (bounds the work on
/// pathological inputs; real rows wrap over a few lines).
const LOOKAHEAD: usize = 12;

#[derive(Debug, Clone)]
struct RowB {
    cells: Vec<Vec<Tok>>,
    keys: Vec<bool>,
    above: usize,
    below: usize,
    block: usize,
    /// The line of a key row's key line.
    key_line: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Key,
    Numbers,
    Fragment,
}

struct Ctx<'a> {
    norm: &'a NormDoc,
    pats: &'a PatternSet,
    cols: &'a [Col],
    key_cols: Vec<bool>,
    /// A form band: its cells hold a figure and its unit (`≥362` over `万亩`).
    form: bool,
}

impl Ctx<'_> {
    fn text(&self, t: &Tok) -> std::borrow::Cow<'_, str> {
        compact(t.text(self.norm))
    }

    fn starts_row(&self, t: &Tok) -> bool {
        let s = self.text(t);
        any(&self.pats.tables.row_starts, &s) || any(&self.pats.tables.row_labels, &s)
    }

    /// A word as wide as the widest in its column: a label that wrapped.
    fn full(&self, t: &Tok, c: usize) -> bool {
        let max = self.cols.get(c).map_or(0, |c| c.max_text);
        max > 0 && (t.chars + 1 >= max || t.chars * 5 >= max * 4)
    }
}

fn classify(ctx: &Ctx, l: &DataLine, prev: &[DataLine]) -> (Class, Vec<bool>) {
    let ncol = ctx.cols.len();
    let mut keys = vec![false; ncol];
    for (t, &c) in l.toks.iter().zip(&l.col) {
        if t.kind == TokKind::Text && any(&ctx.pats.tables.row_labels, &ctx.text(t)) {
            keys[c.min(ncol - 1)] = true;
            continue;
        }
        if !ctx.key_cols.get(c).copied().unwrap_or(false) {
            continue;
        }
        let key = match t.kind {
            TokKind::Int => true,
            TokKind::Num => false,
            TokKind::Text => {
                if ctx.starts_row(t) {
                    true
                } else if ctx.cols[c].is_numeric() {
                    // Words in a code column (a total row's label).
                    true
                } else {
                    // In a label column every label starts a row, unless it
                    // continues a wrapped label on the line above.
                    // The nearest line above (in the block) with words in column c.
                    let mut cont = false;
                    if !l.blank_before {
                        for p in prev.iter().rev().take(3) {
                            let here: Vec<&Tok> = p
                                .toks
                                .iter()
                                .zip(&p.col)
                                .filter(|(pt, &pc)| pc == c && pt.kind == TokKind::Text)
                                .map(|(pt, _)| pt)
                                .collect();
                            if let Some(pt) = here.last() {
                                cont = ctx.full(pt, c);
                                break;
                            }
                            if p.blank_before {
                                break;
                            }
                        }
                    }
                    !cont
                }
            }
        };
        if key {
            keys[c] = true;
        }
    }
    // Codes alone (a 款 code printed under its 类 code) continue a row like words.
    let codes_only = l
        .toks
        .iter()
        .zip(&l.col)
        .all(|(t, &c)| t.kind == TokKind::Int && ctx.cols[c.min(ncol - 1)].is_code());
    if l.key && !keys.iter().any(|&k| k) {
        for &c in &l.col {
            keys[c.min(ncol - 1)] = true;
        }
    }
    if keys.iter().any(|&k| k) {
        (Class::Key, keys)
    } else if l.toks.iter().all(|t| t.is_numeric()) && !codes_only {
        (Class::Numbers, keys)
    } else {
        (Class::Fragment, keys)
    }
}

fn row_of(l: &DataLine, keys: Vec<bool>, ncol: usize, block: usize) -> RowB {
    let mut cells = vec![vec![]; ncol];
    for (t, &c) in l.toks.iter().zip(&l.col) {
        cells[c.min(ncol - 1)].push(t.clone());
    }
    let key_line = keys
        .iter()
        .any(|&k| k)
        .then(|| l.toks.first().map(|t| t.line))
        .flatten();
    RowB {
        cells,
        keys,
        above: 0,
        below: 0,
        block,
        key_line,
    }
}

/// Can line `l` be added to row `r`? Figures never meet figures; words only
/// continue a label that filled its column (`after`: the line comes after the
/// row's words) or start one the row lacks.
fn fits(ctx: &Ctx, r: &RowB, l: &DataLine, after: bool) -> bool {
    l.toks.iter().zip(&l.col).all(|(t, &c)| {
        let cell = &r.cells[c.min(r.cells.len() - 1)];
        if cell.is_empty() {
            return true;
        }
        // A form cell's words may follow a figure in it (a note opening on
        // `218户`), and a bare figure's unit may wrap below it.
        if after && ctx.form && !t.is_numeric() {
            return cell.last().is_some_and(|x| {
                if x.is_numeric() {
                    unit_under(ctx, cell, t)
                } else {
                    ctx.full(x, c)
                }
            });
        }
        if t.is_numeric() || cell.iter().any(|x| x.is_numeric()) {
            return false;
        }
        if after {
            cell.last().is_some_and(|x| ctx.full(x, c))
        } else {
            ctx.full(t, c)
        }
    })
}

/// Longest unit word a form cell wraps below its figure (`万亩`, `元/亩`).
const UNIT_CHARS: usize = 4;

/// A short word without digits under a cell that ends on a bare figure: the
/// figure's unit, wrapped (`≥362` over `万亩` in a narrow 指标值 cell).
fn unit_under(ctx: &Ctx, cell: &[Tok], t: &Tok) -> bool {
    let w = ctx.text(t);
    t.kind == TokKind::Text
        && cell
            .last()
            .is_some_and(|x| x.is_numeric() && !x.text(ctx.norm).ends_with('%') && x.line < t.line)
        && !w.is_empty()
        && w.chars().count() <= UNIT_CHARS
        && !w
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation() && c != '/')
}

/// Line `l` ends figures of row `r` with their units.
fn ends_units(ctx: &Ctx, r: &RowB, l: &DataLine) -> bool {
    ctx.form
        && l.toks
            .iter()
            .zip(&l.col)
            .any(|(t, &c)| r.cells.get(c).is_some_and(|cell| unit_under(ctx, cell, t)))
}

fn add(r: &mut RowB, l: &DataLine, before: bool) {
    let n = r.cells.len();
    for (t, &c) in l.toks.iter().zip(&l.col) {
        let cell = &mut r.cells[c.min(n - 1)];
        if before {
            // Keep line order: earlier lines first.
            let at = cell
                .iter()
                .position(|x| x.line > t.line)
                .unwrap_or(cell.len());
            cell.insert(at, t.clone());
        } else {
            cell.push(t.clone());
        }
    }
}

/// Labels centred on their key line: some key line with an empty label has a
/// wrapped label's pieces right above and right below it.
fn centred(lines: &[DataLine], classes: &[Class]) -> bool {
    let mut sandwiched = 0;
    for i in 1..lines.len().saturating_sub(1) {
        if classes[i] != Class::Key || lines[i].blank_before || lines[i + 1].blank_before {
            continue;
        }
        let label_cols: Vec<usize> = lines[i - 1]
            .toks
            .iter()
            .zip(&lines[i - 1].col)
            .filter(|(t, _)| t.kind == TokKind::Text)
            .map(|(_, &c)| c)
            .collect();
        // Halves of a centred label are words only (figures sit on the key line).
        if classes[i - 1] != Class::Fragment
            || classes[i + 1] != Class::Fragment
            || lines[i - 1].toks.iter().any(|t| t.is_numeric())
            || lines[i + 1].toks.iter().any(|t| t.is_numeric())
        {
            continue;
        }
        let below_same = lines[i + 1]
            .toks
            .iter()
            .zip(&lines[i + 1].col)
            .any(|(t, c)| t.kind == TokKind::Text && label_cols.contains(c));
        let key_has_label = lines[i]
            .toks
            .iter()
            .zip(&lines[i].col)
            .any(|(t, c)| t.kind == TokKind::Text && label_cols.contains(c));
        if below_same && !key_has_label {
            sandwiched += 1;
        }
    }
    sandwiched >= 2
}

pub fn group(
    norm: &NormDoc,
    pats: &PatternSet,
    lines: &[DataLine],
    cols: &[Col],
) -> Vec<Vec<Cell>> {
    let ncol = cols.len();
    if ncol == 0 || lines.is_empty() {
        return vec![];
    }
    // Key columns: the first, and a label or code column right of a figure column.
    let key_cols: Vec<bool> = (0..ncol)
        .map(|j| {
            j == 0
                || ((!cols[j].is_numeric() || cols[j].is_code())
                    && cols[j - 1].is_numeric()
                    && !cols[j - 1].is_code())
        })
        .collect();
    let ctx = Ctx {
        norm,
        pats,
        cols,
        key_cols,
        form: lines.iter().any(|l| l.key),
    };
    let mut classes = vec![];
    let mut keys = vec![];
    for i in 0..lines.len() {
        let (c, k) = classify(&ctx, &lines[i], &lines[..i]);
        classes.push(c);
        keys.push(k);
    }
    let centred = centred(lines, &classes);
    let form = ctx.form;

    let mut rows: Vec<RowB> = vec![];
    let mut block = 0;
    let mut pending_nums: Vec<usize> = vec![];
    let mut pending_frags: Vec<usize> = vec![];
    let flush_nums = |rows: &mut Vec<RowB>, pending: &mut Vec<usize>, block: usize| {
        for &p in pending.iter() {
            let l = &lines[p];
            let fits_last = rows
                .last()
                .is_some_and(|r| r.block == block && fits(&ctx, r, l, true));
            if fits_last {
                if let Some(r) = rows.last_mut() {
                    add(r, l, false);
                }
            } else {
                rows.push(row_of(l, vec![false; ncol], ncol, block));
            }
        }
        pending.clear();
    };
    for i in 0..lines.len() {
        let l = &lines[i];
        if l.blank_before && i > 0 {
            // Leftover lines of the block: figures go up or stand alone.
            flush_nums(&mut rows, &mut pending_nums, block);
            for &p in &pending_frags {
                rows.push(row_of(&lines[p], vec![false; ncol], ncol, block));
            }
            pending_frags.clear();
            block += 1;
        }
        match classes[i] {
            Class::Key => {
                let k = keys[i].clone();
                // Side by side: a key line for the other block of the row above.
                let merge = rows.last().is_some_and(|r| {
                    r.block == block
                        && pending_nums.is_empty()
                        && k.iter().zip(&r.keys).all(|(&a, &b)| !(a && b))
                        && fits(&ctx, r, l, true)
                        && !r.keys.iter().all(|&x| !x)
                        && lines_between_are_fragments(&classes, i)
                });
                if merge {
                    if let Some(r) = rows.last_mut() {
                        add(r, l, false);
                        for (a, b) in r.keys.iter_mut().zip(&k) {
                            *a |= *b;
                        }
                    }
                } else {
                    let mut r = row_of(l, k, ncol, block);
                    for &p in &pending_frags {
                        add(&mut r, &lines[p], true);
                        r.above += 1;
                    }
                    pending_frags.clear();
                    // Figures printed above the row.
                    let mut left = vec![];
                    for &p in &pending_nums {
                        if fits(&ctx, &r, &lines[p], false) && figures_only(&lines[p]) {
                            add(&mut r, &lines[p], true);
                        } else {
                            left.push(p);
                        }
                    }
                    pending_nums.clear();
                    flush_nums(&mut rows, &mut left, block);
                    rows.push(r);
                }
            }
            Class::Numbers => pending_nums.push(i),
            Class::Fragment => {
                let next_key = (i + 1..lines.len())
                    .take(LOOKAHEAD)
                    .take_while(|&j| !lines[j].blank_before)
                    .find(|&j| classes[j] == Class::Key);
                // Figures waiting for a key line that will not take them go up now.
                let keep = next_key.is_some_and(|j| {
                    let probe = row_of(&lines[j], keys[j].clone(), ncol, block);
                    pending_nums
                        .iter()
                        .all(|&p| fits(&ctx, &probe, &lines[p], false))
                });
                if !keep {
                    flush_nums(&mut rows, &mut pending_nums, block);
                }
                // A form cell centred on its key line with that line empty there
                // has its lower half still to come, however short its upper
                // half ended (`≤40万元/` over `平方公里`).
                let lower_half = form
                    && centred
                    && pending_nums.is_empty()
                    && pending_frags.is_empty()
                    && rows
                        .last()
                        .is_some_and(|r| r.block == block && lacks_lower_half(r, l));
                let up_ok = lower_half
                    || pending_nums.is_empty()
                        && pending_frags.is_empty()
                        && rows
                            .last()
                            .is_some_and(|r| r.block == block && fits(&ctx, r, l, true));
                let down_ok = next_key.is_some_and(|j| {
                    let probe = row_of(&lines[j], keys[j].clone(), ncol, block);
                    fits(&ctx, &probe, l, false)
                });
                let up = match (up_ok, down_ok) {
                    (true, false) => true,
                    (false, true) => false,
                    (true, true) => {
                        // Figures never sit in half of a centred label.
                        if l.toks.iter().any(|t| t.is_numeric())
                            || rows.last().is_some_and(|r| ends_units(&ctx, r, l))
                        {
                            true
                        } else if centred {
                            lower_half || rows.last().is_some_and(|r| lopsided(r, l))
                        } else {
                            true
                        }
                    }
                    (false, false) => {
                        // A leading line of a block with nothing to join: the row
                        // above, if it can take it, across the blank line. In a
                        // form band whose rows are set apart by blank lines, words
                        // after the block's one key line are its cells' last lines
                        // (a name wrapped short of the column's width).
                        let wrapped_short = form
                            && rows.last().is_some_and(|r| {
                                r.block == block
                                    && r.keys.iter().any(|&k| k)
                                    && !words_meet_figures(r, l)
                            });
                        (rows.last().is_some_and(|r| fits(&ctx, r, l, true)) || wrapped_short)
                            && pending_nums.is_empty()
                            && pending_frags.is_empty()
                            && next_key.is_none()
                    }
                };
                if up {
                    if let Some(r) = rows.last_mut() {
                        add(r, l, false);
                        r.below += 1;
                    }
                } else if down_ok {
                    flush_nums(&mut rows, &mut pending_nums, block);
                    pending_frags.push(i);
                } else {
                    flush_nums(&mut rows, &mut pending_nums, block);
                    rows.push(row_of(l, vec![false; ncol], ncol, block));
                }
            }
        }
    }
    flush_nums(&mut rows, &mut pending_nums, block);
    for &p in &pending_frags {
        rows.push(row_of(&lines[p], vec![false; ncol], ncol, block));
    }

    rows.into_iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|ts| {
                    RawCell {
                        pieces: ts.iter().map(|t| (t.a, t.b)).collect(),
                    }
                    .to_cell(norm)
                })
                .collect()
        })
        .filter(|r: &Vec<Cell>| r.iter().any(|c| !c.text.is_empty()))
        .collect()
}

/// A centred label's pieces sit as many lines above its key line as below: a
/// row with more lines above than below in the columns line `l` fills still
/// lacks its lower half there, and line `l` belongs to it.
fn lopsided(r: &RowB, l: &DataLine) -> bool {
    // The key line: the one with the row's figures.
    let Some(key) = r
        .cells
        .iter()
        .flatten()
        .find(|t| t.is_numeric())
        .map(|t| t.line)
    else {
        return r.below < r.above;
    };
    let mut lines: Vec<usize> = l
        .col
        .iter()
        .flat_map(|&c| r.cells.get(c).into_iter().flatten())
        .map(|t| t.line)
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let above = lines.iter().filter(|&&x| x < key).count();
    let below = lines.iter().filter(|&&x| x > key).count();
    // Or its words there start below the key line and run right up to this
    // one (`绩效指` / `标`).
    let at = l.toks.first().map_or(0, |t| t.line);
    below < above || (above == 0 && at > key + 1 && lines.contains(&(at - 1)))
}

/// Line `l`, right below row `r`'s key line, is the lower half of cells split
/// around it: each of its words lands in an empty cell or in one of words that
/// all sit above the key line, and one at least does.
fn lacks_lower_half(r: &RowB, l: &DataLine) -> bool {
    let Some(key) = r.key_line else {
        return false;
    };
    if l.toks.first().map(|t| t.line) != Some(key + 1) {
        return false;
    }
    let mut some = false;
    let each = l.toks.iter().zip(&l.col).all(|(t, &c)| {
        let cell = &r.cells[c.min(r.cells.len() - 1)];
        if cell.is_empty() {
            return true;
        }
        some = true;
        !t.is_numeric() && cell.iter().all(|x| !x.is_numeric() && x.line < key)
    });
    each && some
}

/// Whether line `l` would put a figure in a cell of `r` that holds one, or a
/// figure over its words.
fn words_meet_figures(r: &RowB, l: &DataLine) -> bool {
    l.toks.iter().zip(&l.col).any(|(t, &c)| {
        let cell = &r.cells[c.min(r.cells.len() - 1)];
        !cell.is_empty() && (t.is_numeric() || cell.iter().any(|x| x.is_numeric()))
    })
}

fn figures_only(l: &DataLine) -> bool {
    l.toks.iter().all(|t| t.is_numeric())
}

/// The row above was made from the line just before (or with fragments between).
fn lines_between_are_fragments(classes: &[Class], i: usize) -> bool {
    (0..i)
        .rev()
        .take(LOOKAHEAD)
        .take_while(|&j| classes[j] != Class::Key)
        .all(|j| classes[j] == Class::Fragment)
}

/// Columns that only headings fill, each beside one that only figures fill:
/// one column. A heading centred over a wide cell (`2022年决算数`, a row of
/// headings inside the body) sits left of its right-aligned figures, and the
/// figures' edges open a column of their own; so do a heading's placeholders
/// (`—`) beside figures that no heading names. Returns how many columns went.
pub fn merge_heading_columns(header: &mut [Vec<Cell>], rows: &mut [Vec<Cell>]) -> usize {
    let words_row: Vec<bool> = rows
        .iter()
        .map(|r| !r.iter().any(|c| is_number(&c.text)))
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    // Per column: whether only rows of headings fill it, whether only figures in
    // rows of figures do, and how many cells are filled.
    let mut headings = vec![(true, 0usize); width];
    let mut figures = vec![(true, 0usize); width];
    // Per column: whether only placeholders (`—`) fill it in rows of figures,
    // and the rows that fill it.
    let mut dashes = vec![(true, 0usize); width];
    let mut filled: Vec<Vec<bool>> = vec![vec![false; rows.len()]; width];
    for (i, (r, &words)) in rows.iter().zip(&words_row).enumerate() {
        for (j, c) in r.iter().enumerate() {
            if c.text.trim().is_empty() {
                continue;
            }
            headings[j].0 &= words;
            headings[j].1 += 1;
            figures[j].0 &= !words && is_number(&c.text);
            figures[j].1 += 1;
            if !words {
                dashes[j].0 &= is_placeholder(&c.text);
                dashes[j].1 += 1;
            }
            filled[j][i] = true;
        }
    }
    let headed = |j: usize| {
        header
            .iter()
            .any(|r| r.get(j).is_some_and(|c| !c.text.trim().is_empty()))
    };
    // A heading's placeholders (`—`, centred under `接待批次（批）`) beside
    // right-aligned figures no heading names, in other rows.
    let dashed = |j: usize| {
        dashes[j].0
            && dashes[j].1 > 0
            && headed(j)
            && !headed(j + 1)
            && figures[j + 1].0
            && figures[j + 1].1 > 0
            && !(0..rows.len()).any(|i| filled[j][i] && filled[j + 1][i])
    };
    let mut merge: Vec<usize> = vec![];
    let mut j = 0;
    while j + 1 < width {
        if (headings[j].0 && headings[j].1 > 0 && figures[j + 1].0 && figures[j + 1].1 >= 2)
            || dashed(j)
        {
            merge.push(j);
            j += 2;
        } else {
            j += 1;
        }
    }
    // Right to left, so the indexes still hold.
    for &j in merge.iter().rev() {
        for r in rows.iter_mut().chain(header.iter_mut()) {
            if r.len() > j + 1 {
                let right = r.remove(j + 1);
                if r[j].text.trim().is_empty() {
                    r[j] = right;
                }
            }
        }
    }
    merge.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_left_of_their_figures_merge() {
        let c = |s: &str| Cell {
            text: s.to_string(),
            span: None,
            filled: false,
        };
        let row = |cs: &[&str]| cs.iter().map(|s| c(s)).collect::<Vec<_>>();
        let mut header = vec![row(&["", "", "", "", ""])];
        let mut rows = vec![
            row(&["项目", "2022年决算数", "", "2023年预算数", ""]),
            row(&["合计", "", "16.05", "", "18.60"]),
            row(&["公务接待费", "", "4.85", "", "6.60"]),
        ];
        assert_eq!(merge_heading_columns(&mut header, &mut rows), 2);
        let texts: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts[0], ["项目", "2022年决算数", "2023年预算数"]);
        assert_eq!(texts[1], ["合计", "16.05", "18.60"]);
        // Labels beside their figures stay apart.
        let mut rows = vec![row(&["合计", "16.05"]), row(&["公务接待费", "4.85"])];
        assert_eq!(merge_heading_columns(&mut [], &mut rows), 0);
        // A heading's placeholders, centred, beside the figures of another row.
        let mut header = vec![row(&["项目", "公务接待费", "接待批次(批)", ""])];
        let mut rows = vec![
            row(&["上年决算数", "0.54", "—", ""]),
            row(&["本年决算数", "0.58", "", "12"]),
        ];
        assert_eq!(merge_heading_columns(&mut header, &mut rows), 1);
        assert_eq!(rows[1][2].text, "12");
        assert_eq!(header[0][2].text, "接待批次(批)");
    }
}

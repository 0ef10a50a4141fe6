//! The header of a space-aligned table: which words head which column.
//!
//! Header words are centred in their cells, a cell's words wrap over several lines
//! (`本年支出合` / `计`) and group headings sit above their sub-headings (`收入` over
//! `项目 决算数`). Words that overlap vertically form a stack (one cell); a stack
//! with sub-headings below it, or over two or more columns, is a group heading; the
//! other stacks head one column each, matched to the data columns in order — a
//! stack with no data column under it is an empty column of its own (上缴上级支出).
//! When the bottom header line repeats its words (`预算数 决算数` six times, the
//! “三公” table), the words above head pairs of columns.
//!
//! Banners are found on the columns (the header is read once to learn the empty
//! columns it adds, and again with them): a line of words each centred over a
//! block of columns of its own (`预算数 … 决算数`, `收入 … 支出`), or a word centred
//! over a block of figure columns (or, set off-centre, over two or more of them)
//! and not set as the first line of the word under it, heads its block and
//! continues no cell. A column-numbering line (`栏次 1 2 3
//! …`) is no heading: its numbers are placed on the columns (opening the empty
//! ones) and make a header row of their own, the last.

use crate::model::Cell;
use crate::normalize::NormDoc;
use crate::tables::text::RawCell;

use super::columns::{insert_header_col, Col};
use super::tokens::Tok;

#[derive(Debug, Clone)]
struct Stack {
    toks: Vec<Tok>,
    x0: i32,
    x1: i32,
    top: usize,
    bottom: usize,
    /// A banner's block of columns (their extent): it heads them all.
    block: Option<(i32, i32)>,
}

impl Stack {
    /// A stack of one word on line `line`.
    fn of(t: &Tok, line: usize) -> Stack {
        Stack {
            toks: vec![t.clone()],
            x0: t.x0,
            x1: t.x1,
            top: line,
            bottom: line,
            block: None,
        }
    }

    fn center2(&self) -> i32 {
        self.x0 + self.x1
    }
    fn raw(&self) -> RawCell {
        RawCell {
            pieces: self.toks.iter().map(|t| (t.a, t.b)).collect(),
        }
    }
}

fn overlap(a0: i32, a1: i32, b0: i32, b1: i32) -> i32 {
    a1.min(b1) - a0.max(b0)
}

fn edge_distance(a0: i32, a1: i32, b0: i32, b1: i32) -> i32 {
    if overlap(a0, a1, b0, b1) > 0 {
        0
    } else {
        (b0 - a1).max(a0 - b1).max(0)
    }
}

/// How far below a group heading its sub-headings may start.
const CHILD_REACH: i32 = 8;

/// Group words of the header lines (top to bottom) into stacks. A cell's wrapped
/// lines are never set apart by a blank line: `gaps[i]` (a blank line before line
/// `i`) ends every stack above it (`收入预算` over the 合计 … 其他收入 columns is not
/// the first line of `事业收入`). Nor does a word continue, across a line of other
/// cells' words, a stack that sits over two figure columns: that is a heading over
/// them (`一般公共预算基本支出` over 合计 · 人员经费 · 公用经费), where a wrapped
/// cell heads one (`本年收入合` / `计`; `支出功能分类` / `科目编码` over code columns).
fn stacks(
    norm: &NormDoc,
    lines: &[Vec<Tok>],
    gaps: &[bool],
    cols: &[Col],
    banner: &[Vec<Option<(i32, i32)>>],
) -> Vec<Stack> {
    let mut out: Vec<Stack> = vec![];
    for (li, line) in lines.iter().enumerate() {
        let prev_line = li
            .checked_sub(1)
            .and_then(|p| lines[p].first())
            .map(|x| x.line);
        for (ti, t) in line.iter().enumerate() {
            let block = banner.get(li).and_then(|b| b.get(ti).copied().flatten());
            let cands: Vec<usize> = (0..out.len())
                .filter(|&s| {
                    block.is_none()
                        && out[s].block.is_none()
                        && out[s].bottom < li
                        && !(out[s].bottom + 1..=li).any(|g| gaps.get(g).copied().unwrap_or(false))
                        && {
                            let last = out[s].toks.last().map_or((0, 0), |x| (x.x0, x.x1));
                            overlap(last.0, last.1, t.x0, t.x1) > 0
                        }
                        && (out[s].bottom + 1 == li || !over_figures(&out[s], cols))
                        // Nor past a word of a line between that sits over `t`.
                        && (out[s].bottom + 1..li).all(|m| {
                            !lines[m].iter().any(|o| overlap(o.x0, o.x1, t.x0, t.x1) > 0)
                        })
                })
                .collect();
            let join = if cands.len() == 1 {
                let s = cands[0];
                let last_tok = out[s].toks.last();
                let last = last_tok.map_or((0, 0), |x| (x.x0, x.x1));
                let widest = out[s].toks.iter().map(|x| x.chars).max().unwrap_or(0);
                // A neighbour under another cell of the line above continues that
                // cell (`预算财政拨款` under `政府性基金`), whatever it touches.
                let continues_other = |o: &Tok| {
                    out.iter().enumerate().any(|(k, st)| {
                        k != s
                            && st.toks.iter().any(|x| {
                                Some(x.line) == prev_line && overlap(x.x0, x.x1, o.x0, o.x1) > 0
                            })
                    })
                };
                // The word above must not also sit over a neighbour of `t`:
                // several words under it are its sub-headings (类 款 项). Under
                // `t` set as its cell's next line (flush or centred), a neighbour
                // centred beyond its reach is no sub-heading of it.
                let next_line = last_tok.is_some_and(|x| aligned(x, t));
                line.iter()
                    .filter(|o| {
                        overlap(last.0 - 3, last.1 + 3, o.x0, o.x1) > 0
                            && (std::ptr::eq(*o, t)
                                || !next_line
                                || (2 * (last.0 - 3) <= o.center2()
                                    && o.center2() <= 2 * (last.1 + 3)))
                    })
                    .filter(|o| std::ptr::eq(*o, t) || !continues_other(o))
                    .count()
                    == 1
                    // A cell's first line is its longest: a word much longer than
                    // the lines above is a heading under a banner (`预算数` over
                    // `公务用车购置及运行费`), unless it is a bracketed note.
                    && (t.chars <= widest + 2
                        || t.text(norm).starts_with(['(', '（']))
                    // Across a line of other words, a cell's narrower next line
                    // sits centred or flush under its last, or within it alone:
                    // a word off its centre that runs past it (`公务用车购`
                    // under `公务用车购置及运行维护费`), or between sub-headings
                    // on either side (`购置费`, beside `小计` and `运行维护费`),
                    // is a sub-heading.
                    && (out[s].bottom + 1 == li
                        || next_line
                        || t.chars >= widest
                        || (last.0 <= t.x0 && t.x1 <= last.1 && !flanked(last, line)))
                    && !(out[s].bottom + 1 < li
                        && centred_over_run(last, line, |o| {
                            !out.iter().any(|st| {
                                st.bottom < li
                                    && st
                                        .toks
                                        .last()
                                        .is_some_and(|x| overlap(x.x0, x.x1, o.x0, o.x1) > 0)
                            })
                        }))
            } else {
                false
            };
            if join {
                let s = &mut out[cands[0]];
                s.toks.push(t.clone());
                s.x0 = s.x0.min(t.x0);
                s.x1 = s.x1.max(t.x1);
                s.bottom = li;
            } else {
                out.push(Stack {
                    block,
                    ..Stack::of(t, li)
                });
            }
        }
    }
    out
}

/// Whether words of `line` start close by on either side of a word above
/// (`above`: its extent), wholly outside it.
fn flanked(above: (i32, i32), line: &[Tok]) -> bool {
    let near = |o: &&Tok| edge_distance(above.0, above.1, o.x0, o.x1) <= CHILD_REACH;
    line.iter().filter(near).any(|o| o.x1 <= above.0)
        && line.iter().filter(near).any(|o| o.x0 >= above.1)
}

/// Whether a word sits centred over a run of three or more words of a lower line
/// that reach past both its ends: their group heading, set narrower than they are
/// on a glyph-count grid (`公务用车购置及运行费` over `小计 购置费 运行费`), not the
/// first line of the one under its middle. Asked only across a line of other
/// words, and the words beside must start cells of their own (`fresh`): wrapped
/// cells side by side (`上级补助`/`收入`, `事业收`/`入`, `经营收`/`入`) are no run.
fn centred_over_run(above: (i32, i32), line: &[Tok], fresh: impl Fn(&Tok) -> bool) -> bool {
    let near: Vec<&Tok> = line
        .iter()
        .filter(|o| edge_distance(above.0, above.1, o.x0, o.x1) <= CHILD_REACH)
        .collect();
    if near
        .iter()
        .any(|o| overlap(above.0, above.1, o.x0, o.x1) <= 0 && !fresh(o))
    {
        return false;
    }
    let (Some(lo), Some(hi)) = (
        near.iter().map(|o| o.x0).min(),
        near.iter().map(|o| o.x1).max(),
    ) else {
        return false;
    };
    near.len() >= 3
        && near.iter().any(|o| o.x1 <= above.0)
        && near.iter().any(|o| o.x0 >= above.1)
        && ((lo + hi) - (above.0 + above.1)).abs() <= CENTRE_SLACK
}

/// How far (in doubled columns) a group heading's centre may be off its run's.
const CENTRE_SLACK: i32 = 4;

/// The data columns a stack sits over.
fn covers(s: &Stack, cols: &[Col]) -> Vec<usize> {
    (0..cols.len())
        .filter(|&j| overlap(s.x0, s.x1, cols[j].x0(), cols[j].x1()) > 0)
        .collect()
}

/// Whether a stack sits over two or more figure columns (codes are no figures).
fn over_figures(s: &Stack, cols: &[Col]) -> bool {
    covers(s, cols)
        .into_iter()
        .filter(|&j| cols[j].is_numeric() && !cols[j].is_code())
        .count()
        >= 2
}

/// The bottom line's words repeat with a period (`预算数 决算数` × 6): the period.
fn period(norm: &NormDoc, leaf: &[Tok]) -> Option<usize> {
    let names: Vec<&str> = leaf.iter().map(|t| t.text(norm)).collect();
    let n = names.len();
    (2..=n / 2).find(|&k| {
        n % k == 0
            && (0..n).all(|i| names[i] == names[i % k])
            && (0..k).all(|i| (0..i).all(|j| names[i] != names[j]))
    })
}

/// Header rows for the columns, adding columns that only the header shows.
/// `gaps[i]`: a blank line or page break comes before `lines[i]`.
/// `numbering`: column-numbering lines (`栏次 1 2 3 …`), each made a header row of
/// its own, below the others.
pub fn build(
    norm: &NormDoc,
    lines: &[Vec<Tok>],
    gaps: &[bool],
    numbering: &[Vec<Tok>],
    cols: &mut Vec<Col>,
) -> Vec<Vec<Cell>> {
    // Empty lines dropped; each counts as a gap before the next line kept.
    let mut kept_gaps: Vec<bool> = vec![];
    let mut pending = false;
    for (i, l) in lines.iter().enumerate() {
        pending |= gaps.get(i).copied().unwrap_or(false);
        if l.is_empty() {
            pending = true;
        } else {
            kept_gaps.push(pending);
            pending = false;
        }
    }
    let lines: Vec<Vec<Tok>> = lines.iter().filter(|l| !l.is_empty()).cloned().collect();
    if lines.is_empty() {
        let mut out = vec![];
        let placed = place_numbering(numbering, cols, |_| {});
        numbering_rows(norm, &placed, cols.len(), &mut out);
        return out;
    }
    let leaf_line = (0..lines.len())
        .max_by_key(|&i| (lines[i].len(), i))
        .unwrap_or(0);
    if let Some(k) = period(norm, &lines[leaf_line]) {
        if lines[leaf_line].len() >= cols.len() {
            return build_periodic(norm, &lines, leaf_line, k, numbering, cols);
        }
    }
    // Banners are known only on the columns the header adds (a block's empty
    // columns), so the header is read once to find them, and again when there are.
    let mut probe = cols.clone();
    let none: Vec<Vec<Option<(i32, i32)>>> = lines.iter().map(|l| vec![None; l.len()]).collect();
    let out = build_once(norm, &lines, &kept_gaps, numbering, &mut probe, &none);
    let banners = find_banners(&lines, &kept_gaps, &probe);
    if banners.iter().flatten().all(Option::is_none) {
        *cols = probe;
        return out;
    }
    build_once(norm, &lines, &kept_gaps, numbering, cols, &banners)
}

/// Blocks of two or more columns word `w` sits centred over, each under two or
/// more words of the line below: `(first, last, off-centre)`.
fn blocks(w: &Tok, below: &[Tok], cols: &[Col]) -> Vec<(usize, usize, i32)> {
    let n = cols.len();
    let mut out = vec![];
    for l in 0..n {
        let x0 = cols[l].x0();
        if x0 > w.x0 {
            continue;
        }
        for (r, c) in cols.iter().enumerate().skip(l + 1) {
            let x1 = c.x1();
            if x1 < w.x1 {
                continue;
            }
            let off = (x0 + x1 - w.center2()).abs();
            let under = below
                .iter()
                .filter(|o| 2 * x0 <= o.center2() && o.center2() <= 2 * x1)
                .count();
            if off <= CENTRE_SLACK && under >= 2 {
                out.push((l, r, off));
            }
        }
    }
    out
}

/// Whether two words of consecutive lines can be one cell's lines: centred on
/// one another, or set flush left or right.
fn aligned(a: &Tok, b: &Tok) -> bool {
    (a.center2() - b.center2()).abs() <= 2 || a.x0 == b.x0 || a.x1 == b.x1
}

/// Banners: words that head a block of columns, with the block's extent.
/// - A line of two or more words, each centred over a block of its own, the
///   blocks side by side (`收入 … 支出` over the two sides of a summary, `预算数 …
///   决算数` over two blocks of six columns): such a word heads its block, whatever
///   word sits right under it (`支出` over `合计` is no wrapped `支出合计`).
/// - A word centred over a block whose word right under it is not set as a
///   second line of its cell would be (`本年支出` over `小计 基本支出 项目支出`);
///   centred over none, the figure columns it covers, two or more
///   (`2025年一般公共预算基本支出` from over 合计 to short of 公用经费).
fn find_banners(lines: &[Vec<Tok>], gaps: &[bool], cols: &[Col]) -> Vec<Vec<Option<(i32, i32)>>> {
    let extent = |l: usize, r: usize| (cols[l].x0(), cols[r].x1());
    let mut out: Vec<Vec<Option<(i32, i32)>>> = lines.iter().map(|l| vec![None; l.len()]).collect();
    for li in 0..lines.len() {
        // Across a blank line no word joins another: nothing to tell apart.
        let Some(below) = lines
            .get(li + 1)
            .filter(|_| !gaps.get(li + 1).copied().unwrap_or(false))
        else {
            continue;
        };
        let words = &lines[li];
        let mut options: Vec<Vec<(usize, usize, i32)>> =
            words.iter().map(|w| blocks(w, below, cols)).collect();
        // A heading between the banners and their sub-headings that touches
        // neither (`机关运行经费（决算数）` set beside `会议费 培训费`, centred
        // on its own column's lines) is looked past.
        if words.len() >= 2 && options.iter().any(Vec::is_empty) {
            let apart = |a: &[Tok], b: &[Tok]| {
                !a.iter()
                    .any(|o| b.iter().any(|u| overlap(o.x0, o.x1, u.x0, u.x1) > 0))
            };
            if let Some(lower) = lines
                .get(li + 2)
                .filter(|l| !gaps.get(li + 2).copied().unwrap_or(false) && apart(below, l))
                .filter(|_| apart(below, words))
            {
                options = words.iter().map(|w| blocks(w, lower, cols)).collect();
            }
        }
        if words.len() >= 2 && options.iter().all(|o| !o.is_empty()) {
            // Blocks side by side, the best centred: by dynamic programming over
            // where each word's block ends.
            const INF: i32 = i32::MAX / 4;
            let n = cols.len();
            let mut best: Vec<Vec<(i32, usize)>> = vec![vec![(INF, 0); n]; words.len()];
            for (i, opts) in options.iter().enumerate() {
                for &(l, r, off) in opts {
                    let before = if i == 0 {
                        0
                    } else if l == 0 {
                        INF
                    } else {
                        best[i - 1][l - 1].0
                    };
                    if before < INF && before + off < best[i][r].0 {
                        best[i][r] = (before + off, l);
                    }
                }
            }
            let last = words.len() - 1;
            if let Some(mut r) = (0..n)
                .filter(|&r| best[last][r].0 < INF)
                .min_by_key(|&r| best[last][r].0)
            {
                for i in (0..words.len()).rev() {
                    let l = best[i][r].1;
                    out[li][i] = Some(extent(l, r));
                    r = l.saturating_sub(1);
                }
                continue;
            }
        }
        for (i, w) in words.iter().enumerate() {
            // Over a line of other cells' words with none under it, a heading of
            // one column's width may stand over the next line's words: `本年支出`
            // over `年初结转和结余 本年收入 …` over `小计 基本支出 项目支出`.
            let spans = cols
                .iter()
                .filter(|c| overlap(w.x0, w.x1, c.x0(), c.x1()) > 0)
                .count();
            if spans <= 1 && !below.iter().any(|o| overlap(w.x0, w.x1, o.x0, o.x1) > 0) {
                out[li][i] = over_lower_line(lines, gaps, cols, li, w);
                continue;
            }
            let under: Vec<&Tok> = below
                .iter()
                .filter(|o| overlap(w.x0, w.x1, o.x0, o.x1) > 0)
                .collect();
            // Sub-headings close by, not only the word right under it.
            let near = below
                .iter()
                .filter(|o| edge_distance(w.x0, w.x1, o.x0, o.x1) <= CHILD_REACH)
                .count();
            // Over figures only: a block that takes in a label column is chance.
            let of_figures = |&&(l, r, _): &&(usize, usize, i32)| {
                (l..=r).all(|j| cols[j].header_only || (cols[j].is_numeric() && !cols[j].is_code()))
            };
            // Not centred over any block (pdftotext set it off-centre: from over
            // 合计 to short of 公用经费), it heads the figure columns it covers.
            let covered: Vec<usize> = (0..cols.len())
                .filter(|&j| overlap(w.x0, w.x1, cols[j].x0(), cols[j].x1()) > 0)
                .collect();
            let off_centre = match (covered.first(), covered.last()) {
                (Some(&l), Some(&r)) if r > l => Some((l, r, 0)),
                _ => None,
            };
            let best = options[i]
                .iter()
                .filter(of_figures)
                .min_by_key(|o| o.2)
                .or(off_centre.as_ref().filter(of_figures));
            if let ([u], Some(&(l, r, _))) = (under.as_slice(), best) {
                if near >= 2 && !aligned(w, u) {
                    out[li][i] = Some(extent(l, r));
                }
            }
        }
    }
    out
}

/// The block a heading on line `li` heads when the first line below with a word
/// under it (`m`) is further down: the run of figure columns around that word
/// whose sub-headings start on line `m`, each with nothing above it (not wrapped
/// cells). Not when line `m` is the table's main heading line, with words over
/// figure columns outside the run (`合计 … 其他收入` beside the wrapped `政府性基金`
/// / `预算拨款收入`), nor when anything stands in the block between the heading
/// and line `m`.
fn over_lower_line(
    lines: &[Vec<Tok>],
    gaps: &[bool],
    cols: &[Col],
    li: usize,
    w: &Tok,
) -> Option<(i32, i32)> {
    let below = || (li + 2..lines.len()).take_while(|&m| !gaps.get(m).copied().unwrap_or(false));
    let under = |m: usize| {
        lines[m]
            .iter()
            .filter(|o| overlap(w.x0, w.x1, o.x0, o.x1) > 0)
            .collect::<Vec<_>>()
    };
    let (m, u) = match below().find(|&m| !under(m).is_empty()) {
        Some(m) => {
            let [u] = under(m)[..] else {
                return None;
            };
            // A wrapped cell's later lines are shorter than its first (`年末结转`
            // / `和结余`).
            if u.chars < w.chars {
                return None;
            }
            (m, u)
        }
        // Over no word at all, set between sub-headings (`政府采购实际支出` over
        // `合计 货物类 工程类 服务类`): the next line of them, the word nearest.
        None => {
            let m = below().find(|&m| lines[m].len() >= 2)?;
            let u = lines[m]
                .iter()
                .min_by_key(|o| (o.center2() - w.center2()).abs())?;
            (m, u)
        }
    };
    let first_figure = (0..cols.len()).find(|&j| cols[j].is_numeric() && !cols[j].is_code())?;
    // An empty column among the figures is one; one left of them holds labels.
    let figure = |j: usize| {
        (cols[j].is_numeric() && !cols[j].is_code()) || (cols[j].header_only && j > first_figure)
    };
    let nearest =
        |o: &Tok| (0..cols.len()).min_by_key(|&j| (cols[j].center2() - o.center2()).abs());
    let fresh = |o: &Tok| {
        !lines[li..m]
            .iter()
            .flatten()
            .any(|a| !std::ptr::eq(a, w) && overlap(a.x0, a.x1, o.x0, o.x1) > 0)
    };
    let headed = |j: usize| {
        figure(j)
            && lines[m]
                .iter()
                .any(|o| nearest(o) == Some(j) && (std::ptr::eq(o, u) || fresh(o)))
    };
    let at = nearest(u).filter(|&j| headed(j))?;
    let mut l = at;
    while l > 0 && headed(l - 1) {
        l -= 1;
    }
    let mut r = at;
    while r + 1 < cols.len() && headed(r + 1) {
        r += 1;
    }
    let (x0, x1) = (cols[l].x0(), cols[r].x1());
    let beside = lines[m]
        .iter()
        .any(|o| nearest(o).is_some_and(|j| figure(j) && (j < l || j > r)));
    let between = lines[li + 1..m]
        .iter()
        .flatten()
        .any(|o| overlap(x0, x1, o.x0, o.x1) > 0);
    let centred = 2 * x0 <= w.center2() && w.center2() <= 2 * x1;
    (r > l && centred && !beside && !between).then_some((x0, x1))
}

/// The header read with `banner` words as banners over their blocks.
fn build_once(
    norm: &NormDoc,
    lines: &[Vec<Tok>],
    kept_gaps: &[bool],
    numbering: &[Vec<Tok>],
    cols: &mut Vec<Col>,
    banner: &[Vec<Option<(i32, i32)>>],
) -> Vec<Vec<Cell>> {
    // Numbers first: a number over no data column (an empty column) opens it,
    // for the headings above to find.
    let mut placed = place_numbering(numbering, cols, |_| {});
    let all = stacks(norm, lines, kept_gaps, cols, banner);

    // Group headings: over two or more data columns, or with sub-headings below.
    let mut group = vec![false; all.len()];
    let mut split: Vec<Option<Vec<(usize, usize)>>> = vec![None; all.len()];
    for (si, s) in all.iter().enumerate() {
        if s.block.is_some() {
            group[si] = true;
            continue;
        }
        let cv = covers(s, cols);
        if cv.len() >= 2 {
            // `基本支出 项目支出` printed with one space: one word per column.
            if let Some(parts) = split_words(norm, s, cv.len()) {
                split[si] = Some(parts);
            } else {
                group[si] = true;
            }
            continue;
        }
        // Two or more sub-headings start below it, close by; or one right under it.
        let children: Vec<&Stack> = all
            .iter()
            .filter(|o| o.top > s.bottom && edge_distance(s.x0, s.x1, o.x0, o.x1) <= CHILD_REACH)
            .collect();
        // A word of the next line outside the figure column a word heads is no
        // child: the label column's `科目名称` set a line below `本年收入合计`.
        let beside = |o: &Stack| {
            cv.len() == 1 && {
                let c = &cols[cv[0]];
                c.is_numeric() && !c.is_code() && edge_distance(o.x0, o.x1, c.x0(), c.x1()) > 0
            }
        };
        group[si] = children.len() >= 2
            || (children.len() == 1
                && edge_distance(s.x0, s.x1, children[0].x0, children[0].x1) <= 3
                && !beside(children[0]));
    }

    // Leaf stacks onto columns, in order; a stack far from any column opens one.
    let mut leaves: Vec<usize> = (0..all.len())
        .filter(|&i| !group[i] && split[i].is_none())
        .collect();
    leaves.sort_by_key(|&i| all[i].center2());
    let plan = match_leaves(&leaves.iter().map(|&i| &all[i]).collect::<Vec<_>>(), cols);
    // New columns first (right to left keeps indexes right), then the texts.
    let mut leaf_text: Vec<(usize, RawCell, usize)> = vec![]; // (stack, text, top line)
    let mut col_of_stack: Vec<Option<usize>> = vec![None; all.len()];
    let mut new_cols: Vec<usize> = vec![];
    for (k, &si) in leaves.iter().enumerate() {
        match plan[k] {
            Some(j) => col_of_stack[si] = Some(j),
            None => new_cols.push(si),
        }
    }
    for &si in &new_cols {
        let s = &all[si];
        let at = insert_header_col(cols, Col::header(s.x0, s.x1));
        for c in col_of_stack
            .iter_mut()
            .flatten()
            .chain(placed.iter_mut().flatten().map(|(c, _)| c))
        {
            if *c >= at {
                *c += 1;
            }
        }
        col_of_stack[si] = Some(at);
    }
    let ncol = cols.len();
    let mut leaf: Vec<RawCell> = vec![RawCell::empty(); ncol];
    for (si, c) in col_of_stack.iter().enumerate() {
        if let Some(j) = *c {
            leaf_text.push((si, all[si].raw(), j));
        }
    }
    leaf_text.sort_by_key(|(si, _, _)| (all[*si].top, all[*si].x0));
    for (_, raw, j) in leaf_text {
        if j < ncol {
            leaf[j].append(&raw);
        }
    }
    for (si, parts) in split.iter().enumerate() {
        if let Some(parts) = parts {
            let cv = covers(&all[si], cols);
            for (&(a, b), &j) in parts.iter().zip(cv.iter()) {
                leaf[j].pieces.push((a, b));
            }
        }
    }

    // Group headings: over the columns they cover and those of their sub-headings
    // (lower groups first, so a group over groups spans them all).
    let mut groups: Vec<(usize, usize, usize, RawCell)> = vec![]; // (top, c0, c1, text)
    let mut centers: Vec<i32> = vec![];
    let mut span_of: Vec<Option<(usize, usize)>> = vec![None; all.len()];
    let mut order: Vec<usize> = (0..all.len()).filter(|&i| group[i]).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(all[i].top));
    for si in order {
        let s = &all[si];
        let mut span: Vec<usize> = covers(s, cols);
        if let Some((x0, x1)) = s.block {
            span.extend((0..ncol).filter(|&j| {
                let c2 = cols[j].center2();
                2 * x0 <= c2 && c2 <= 2 * x1
            }));
        }
        for (oi, o) in all.iter().enumerate() {
            if oi != si && o.top > s.bottom && edge_distance(s.x0, s.x1, o.x0, o.x1) <= CHILD_REACH
            {
                span.extend(covers(o, cols));
                if let Some(j) = col_of_stack[oi] {
                    span.push(j);
                }
                if let Some((a, b)) = span_of[oi] {
                    span.extend([a, b]);
                }
            }
        }
        if span.is_empty() {
            // Between two columns: over both.
            let c2 = s.center2();
            let left = (0..ncol).rev().find(|&j| cols[j].center2() <= c2);
            let right = (0..ncol).find(|&j| cols[j].center2() > c2);
            span.extend(left.iter().chain(right.iter()));
        }
        let (Some(&c0), Some(&c1)) = (span.iter().min(), span.iter().max()) else {
            continue;
        };
        span_of[si] = Some((c0, c1));
        groups.push((s.top, c0, c1, s.raw()));
        centers.push(s.center2());
    }
    let full = |j: usize, line: usize| {
        col_of_stack
            .iter()
            .enumerate()
            .any(|(si, c)| *c == Some(j) && all[si].top <= line)
    };
    // Lines of group headings only, two or more side by side, right over their
    // sub-headings: banners that split the columns between them (set apart by a
    // blank line, they share them out).
    let banner_lines: Vec<usize> = (0..lines.len())
        .filter(|&li| !kept_gaps.get(li + 1).copied().unwrap_or(false))
        .filter(|&li| {
            let on: Vec<usize> = (0..all.len()).filter(|&si| all[si].top == li).collect();
            on.len() >= 2
                && on
                    .iter()
                    .all(|&si| group[si] && all[si].bottom == li && span_of[si].is_some())
        })
        .collect();
    // Lines a column's own heading runs over (its first and last).
    let leaf_lines = |j: usize| {
        let on = col_of_stack
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Some(j));
        on.fold(None, |acc: Option<(usize, usize)>, (si, _)| {
            let (t, b) = (all[si].top, all[si].bottom);
            Some(acc.map_or((t, b), |(at, ab)| (at.min(t), ab.max(b))))
        })
    };
    // The first line below `line` a heading over column `j` starts on.
    let first_below = |j: usize, line: usize| {
        (0..all.len())
            .filter(|&si| all[si].top > line)
            .filter(|&si| {
                col_of_stack[si] == Some(j) || span_of[si].is_some_and(|(a, b)| a <= j && j <= b)
            })
            .map(|si| all[si].top)
            .min()
    };
    for &li in &banner_lines {
        let on: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].0 == li).collect();
        // A column whose heading sits between the banners and the line their
        // sub-headings start on is theirs no more than one headed on their line.
        let kid = on
            .iter()
            .flat_map(|&g| groups[g].1..=groups[g].2)
            .filter_map(|j| first_below(j, li))
            .min();
        let sibling =
            |j: usize| matches!((leaf_lines(j), kid), (Some((_, b)), Some(kid)) if b < kid);
        partition(&mut groups, &on, &centers, cols, |j| {
            full(j, li) || sibling(j)
        });
    }
    let banner = |line: usize| {
        kept_gaps.get(line + 1).copied().unwrap_or(false) && !banner_lines.contains(&line)
    };
    let leaf_words: Vec<String> = leaf.iter().map(|c| c.text(norm)).collect();
    share_out(
        &mut groups,
        &centers,
        cols,
        &leaf_words,
        banner,
        full,
        leaf_lines,
        first_below,
    );
    let mut out = rows_from(norm, groups, leaf);
    numbering_rows(norm, &placed, ncol, &mut out);
    out
}

/// Banners side by side on a line of their own (`预算数 … 决算数` over two blocks of
/// six columns, `收入 … 支出` over the two sides of a summary) split the columns
/// between them. pdftotext centres each over its block, so the cuts between them,
/// and how far left the first reaches, are those that centre each best over its
/// columns; the last runs to the table's right edge. A banner keeps the columns
/// it already spans, and the outer ones take no column whose own heading starts
/// on their line or above (`full`).
fn partition(
    groups: &mut [(usize, usize, usize, RawCell)],
    on: &[usize],
    centers: &[i32],
    cols: &[Col],
    full: impl Fn(usize) -> bool,
) {
    let mut on = on.to_vec();
    on.sort_by_key(|&g| groups[g].1);
    let n = cols.len();
    let k = on.len();
    if k < 2 || n == 0 || on.iter().any(|&g| groups[g].2 >= n) {
        return;
    }
    if on.windows(2).any(|w| groups[w[0]].2 >= groups[w[1]].1) {
        return;
    }
    let cost = |i: usize, l: usize, r: usize| -> i64 {
        i64::from((cols[l].x0() + cols[r].x1() - centers[on[i]]).abs())
    };
    // How far the outer banners may reach.
    let mut lo = groups[on[0]].1;
    while lo > 0 && !full(lo - 1) {
        lo -= 1;
    }
    let mut hi = groups[on[k - 1]].2;
    while hi + 1 < n && !full(hi + 1) {
        hi += 1;
    }
    // best[i][e]: cost of banners 0..=i with banner i ending at column e, and
    // where banner i starts.
    const INF: i64 = i64::MAX / 4;
    let mut best = vec![vec![(INF, 0usize); n]; k];
    for i in 0..k {
        let (a, b) = (groups[on[i]].1, groups[on[i]].2);
        let last = if i + 1 < k {
            groups[on[i + 1]].1 - 1
        } else {
            hi
        };
        for e in b..=last {
            if i == 0 {
                // Reaching further out only when it centres better.
                for l in (lo..=a).rev() {
                    let c = cost(0, l, e);
                    if c < best[0][e].0 {
                        best[0][e] = (c, l);
                    }
                }
            } else {
                let prev_b = groups[on[i - 1]].2;
                for p in prev_b..a {
                    let here = best[i - 1][p].0;
                    if here >= INF {
                        continue;
                    }
                    let c = here + cost(i, p + 1, e);
                    if c < best[i][e].0 {
                        best[i][e] = (c, p + 1);
                    }
                }
            }
        }
    }
    let mut e = hi;
    if best[k - 1][e].0 >= INF {
        return;
    }
    let mut spans = vec![(0, 0); k];
    for i in (0..k).rev() {
        let start = best[i][e].1;
        spans[i] = (start, e);
        e = start.saturating_sub(1);
    }
    for (i, &g) in on.iter().enumerate() {
        groups[g].1 = spans[i].0;
        groups[g].2 = spans[i].1;
    }
}

/// Tokens of column-numbering lines onto columns, in order: `(column, token)` per
/// line. A number over no column (an empty column no heading shows) opens one;
/// `inserted(at)` is told, so that column indexes held elsewhere stay right.
fn place_numbering(
    numbering: &[Vec<Tok>],
    cols: &mut Vec<Col>,
    mut inserted: impl FnMut(usize),
) -> Vec<Vec<(usize, Tok)>> {
    let mut out: Vec<Vec<(usize, Tok)>> = vec![];
    for line in numbering {
        let stacks: Vec<Stack> = line.iter().map(|t| Stack::of(t, 0)).collect();
        let plan = match_leaves(&stacks.iter().collect::<Vec<_>>(), cols);
        let mut assigned = plan.clone();
        for (i, t) in line.iter().enumerate() {
            if plan[i].is_some() || !t.is_numeric() {
                continue;
            }
            let at = insert_header_col(cols, Col::header(t.x0, t.x1));
            for c in assigned.iter_mut().flatten() {
                if *c >= at {
                    *c += 1;
                }
            }
            for (c, _) in out.iter_mut().flatten() {
                if *c >= at {
                    *c += 1;
                }
            }
            inserted(at);
            assigned[i] = Some(at);
        }
        let row = line
            .iter()
            .zip(assigned)
            .map(|(t, c)| {
                let j = c.unwrap_or_else(|| {
                    (0..cols.len())
                        .min_by_key(|&j| edge_distance(t.x0, t.x1, cols[j].x0(), cols[j].x1()))
                        .unwrap_or(0)
                });
                (j, t.clone())
            })
            .collect();
        out.push(row);
    }
    out
}

/// The numbering lines as header rows of `ncol` cells, after `out`'s.
fn numbering_rows(
    norm: &NormDoc,
    placed: &[Vec<(usize, Tok)>],
    ncol: usize,
    out: &mut Vec<Vec<Cell>>,
) {
    for line in placed {
        let mut cells = vec![RawCell::empty(); ncol];
        for (j, t) in line {
            if let Some(c) = cells.get_mut(*j) {
                c.pieces.push((t.a, t.b));
            }
        }
        out.push(cells.iter().map(|c| c.to_cell(norm)).collect());
    }
}

/// Group headings side by side on a line of their own, set apart from the
/// sub-headings by a blank line (`项目 … 收入预算`), share out the columns right of
/// the first of them that none covers. pdftotext centres a group heading over its
/// columns, so its own width and its sub-headings' may miss the outer ones (合计,
/// 其他收入): each such column goes to a heading over columns of its kind (figures
/// or words) whose span stays best centred under it. A column whose own heading
/// starts on that line or above (`full(j, line)`) is no group's, nor is one whose
/// heading (`leaf_lines`) sits centred above the line the group's sub-headings
/// start on (`first_below`): a heading over both header rows, a sibling
/// (`年初结转和结余` beside `本年支出` over `小计 基本支出 项目支出`). Headings
/// over figure columns only split the run of them as banners side by side do,
/// at the repeat of their sub-headings (`leaf`) when those repeat once per
/// heading.
#[allow(clippy::too_many_arguments)]
fn share_out(
    groups: &mut [(usize, usize, usize, RawCell)],
    centers: &[i32],
    cols: &[Col],
    leaf: &[String],
    banner: impl Fn(usize) -> bool,
    full: impl Fn(usize, usize) -> bool,
    leaf_lines: impl Fn(usize) -> Option<(usize, usize)>,
    first_below: impl Fn(usize, usize) -> Option<usize>,
) {
    let mut lines: Vec<usize> = groups.iter().map(|g| g.0).collect();
    lines.sort_unstable();
    lines.dedup();
    let figures = |j: usize| cols[j].numeric > 0 && cols[j].numeric >= cols[j].text;
    let off_centre = |c0: usize, c1: usize, centre: i32| -> i32 {
        (cols[c0].x0() + cols[c1].x1() - centre).abs()
    };
    for line in lines {
        let on: Vec<usize> = (0..groups.len()).filter(|&g| groups[g].0 == line).collect();
        if on.len() < 2 || !banner(line) {
            continue;
        }
        let Some(lo) = on.iter().map(|&g| groups[g].1).min() else {
            continue;
        };
        // The line each group's sub-headings start on.
        let kids: Vec<Option<usize>> = on
            .iter()
            .map(|&g| {
                (groups[g].1..=groups[g].2)
                    .filter_map(|j| first_below(j, line))
                    .min()
            })
            .collect();
        let sibling_of = |k: usize, j: usize| match (leaf_lines(j), kids[k]) {
            (Some((t, b)), Some(kid)) => t + b < 2 * kid,
            _ => false,
        };
        // Headings over figure columns only share them out as banners side
        // by side do (`“三公”经费预算数 … “三公”经费决算数` over six columns
        // each, `合计` set under neither): each over a run of figure columns,
        // centred best, the last to the right edge and the first from the
        // left edge of the figures.
        if on.iter().all(|&g| (groups[g].1..=groups[g].2).all(figures)) {
            let taken =
                |j: usize| full(j, line) || !figures(j) || (0..on.len()).any(|k| sibling_of(k, j));
            let mut by_start = on.clone();
            by_start.sort_by_key(|&g| groups[g].1);
            let (first, last) = (by_start[0], by_start[by_start.len() - 1]);
            let mut a = groups[first].1;
            while a > 0 && !taken(a - 1) {
                a -= 1;
            }
            let mut b = groups[last].2;
            while b + 1 < cols.len() && !taken(b + 1) {
                b += 1;
            }
            // Sub-headings that repeat once per heading (合计 · 因公出国费 · … ×
            // 2) split there, however pdftotext set the headings.
            let k = by_start.len();
            let n = b + 1 - a;
            let repeats = n % k == 0
                && (a..=b).all(|j| !leaf[j].is_empty() && leaf[j] == leaf[a + (j - a) % (n / k)]);
            if repeats {
                for (i, &g) in by_start.iter().enumerate() {
                    groups[g].1 = a + i * n / k;
                    groups[g].2 = a + (i + 1) * n / k - 1;
                }
            } else {
                partition(groups, &on, centers, cols, taken);
                groups[first].1 = groups[first].1.min(a);
            }
            continue;
        }
        for j in lo..cols.len() {
            if on.iter().any(|&g| groups[g].1 <= j && j <= groups[g].2) || full(j, line) {
                continue;
            }
            // A column of figures joins a heading over figures (合计 goes with
            // 收入预算, not with 项目 over the codes and names), then the best centred.
            let cost = |g: usize| {
                let (c0, c1) = (groups[g].1.min(j), groups[g].2.max(j));
                let kind = figures(j) != (groups[g].1..=groups[g].2).any(figures);
                let shift = off_centre(c0, c1, centers[g])
                    - off_centre(groups[g].1, groups[g].2, centers[g]);
                (kind, shift)
            };
            let Some(k) = (0..on.len()).min_by_key(|&k| cost(on[k])) else {
                continue;
            };
            if !sibling_of(k, j) {
                let g = on[k];
                groups[g].1 = groups[g].1.min(j);
                groups[g].2 = groups[g].2.max(j);
            }
        }
    }
}

/// One word per column when a stack is one line of single-space-separated words.
fn split_words(norm: &NormDoc, s: &Stack, n: usize) -> Option<Vec<(usize, usize)>> {
    let [t] = s.toks.as_slice() else {
        return None;
    };
    let text = t.text(norm);
    let mut parts = vec![];
    let mut off = t.a;
    for w in text.split(' ') {
        if !w.is_empty() {
            parts.push((off, off + w.len()));
        }
        off += w.len() + 1;
    }
    (parts.len() == n).then_some(parts)
}

/// Leaf stacks (by position) onto columns, keeping order: `Some(column)` or `None`
/// for a stack that heads a column of its own.
fn match_leaves(stacks: &[&Stack], cols: &[Col]) -> Vec<Option<usize>> {
    let m = stacks.len();
    let k = cols.len();
    const INF: i32 = i32::MAX / 4;
    const NEW: i32 = 6;
    let cost_of = |s: &Stack, c: &Col| edge_distance(s.x0, s.x1, c.x0(), c.x1());
    let mut cost = vec![vec![INF; k + 1]; m + 1];
    let mut back = vec![vec![0u8; k + 1]; m + 1];
    cost[0][0] = 0;
    for i in 0..=m {
        for j in 0..=k {
            let here = cost[i][j];
            if here >= INF {
                continue;
            }
            if i < m && j < k {
                let c = here + cost_of(stacks[i], &cols[j]);
                if c < cost[i + 1][j + 1] {
                    cost[i + 1][j + 1] = c;
                    back[i + 1][j + 1] = 1;
                }
            }
            // A figure column left without a heading costs as much as a new
            // column: a heading centred over a wide cell sits left of its
            // right-aligned figures, further than a new column's cost.
            let skip = if j < k && cols[j].is_numeric() && !cols[j].is_code() {
                NEW
            } else {
                0
            };
            if j < k && here + skip < cost[i][j + 1] {
                cost[i][j + 1] = here + skip;
                back[i][j + 1] = 2;
            }
            if i < m && here + NEW < cost[i + 1][j] {
                cost[i + 1][j] = here + NEW;
                back[i + 1][j] = 3;
            }
        }
    }
    let mut out = vec![None; m];
    let (mut i, mut j) = (m, k);
    while i > 0 || j > 0 {
        match back[i][j] {
            1 => {
                out[i - 1] = Some(j - 1);
                i -= 1;
                j -= 1;
            }
            2 => j -= 1,
            3 => i -= 1,
            _ => break,
        }
    }
    out
}

/// Periodic bottom line: each word heads a column; the words above head the block
/// of columns they are nearest to (the lowest such word), or wider groups.
fn build_periodic(
    norm: &NormDoc,
    lines: &[Vec<Tok>],
    leaf_line: usize,
    k: usize,
    numbering: &[Vec<Tok>],
    cols: &mut Vec<Col>,
) -> Vec<Vec<Cell>> {
    let leaf_toks = &lines[leaf_line];
    // One column per leaf word: when counts agree, in order; otherwise by position.
    let col_of: Vec<usize>;
    if leaf_toks.len() == cols.len() {
        col_of = (0..cols.len()).collect();
    } else {
        let stacks: Vec<Stack> = leaf_toks.iter().map(|t| Stack::of(t, leaf_line)).collect();
        let plan = match_leaves(&stacks.iter().collect::<Vec<_>>(), cols);
        // Indexes are kept current as header-only columns are inserted.
        let mut assigned: Vec<Option<usize>> = plan.clone();
        for i in 0..plan.len() {
            if plan[i].is_some() {
                continue;
            }
            let t = &leaf_toks[i];
            let at = insert_header_col(cols, Col::header(t.x0, t.x1));
            for c in assigned.iter_mut().flatten() {
                if *c >= at {
                    *c += 1;
                }
            }
            assigned[i] = Some(at);
        }
        col_of = assigned.into_iter().map(|c| c.unwrap_or(0)).collect();
    }
    let mut col_of = col_of;
    let placed = place_numbering(numbering, cols, |at| {
        for c in col_of.iter_mut() {
            if *c >= at {
                *c += 1;
            }
        }
    });
    let ncol = cols.len();
    let mut leaf = vec![RawCell::empty(); ncol];
    for (t, &j) in leaf_toks.iter().zip(&col_of) {
        if j < ncol {
            leaf[j].pieces.push((t.a, t.b));
        }
    }
    // Blocks of `k` leaf words.
    let nblocks = leaf_toks.len() / k;
    let block_center = |b: usize| -> i32 {
        let ts = &leaf_toks[b * k..(b + 1) * k];
        ts.iter().map(|t| t.center2()).sum::<i32>() / k as i32
    };
    let block_cols = |b: usize| -> (usize, usize) {
        let cs = &col_of[b * k..(b + 1) * k];
        (
            cs.iter().copied().min().unwrap_or(0),
            cs.iter().copied().max().unwrap_or(0),
        )
    };
    // Words above the leaf line: nearest block.
    let mut by_block: Vec<Vec<(usize, &Tok)>> = vec![vec![]; nblocks];
    for (li, line) in lines.iter().enumerate().take(leaf_line) {
        for t in line {
            let b = (0..nblocks)
                .min_by_key(|&b| (block_center(b) - t.center2()).abs())
                .unwrap_or(0);
            by_block[b].push((li, t));
        }
    }
    let mut groups: Vec<(usize, usize, usize, RawCell)> = vec![];
    for (b, words) in by_block.iter().enumerate() {
        let Some(&(low_line, _)) = words.iter().max_by_key(|(li, t)| (*li, -t.x0)) else {
            continue;
        };
        for &(li, t) in words {
            let (c0, c1) = if li == low_line {
                block_cols(b)
            } else {
                // A wider group: every block it overlaps.
                let over: Vec<usize> = (0..nblocks)
                    .filter(|&o| {
                        let ts = &leaf_toks[o * k..(o + 1) * k];
                        let (x0, x1) = (ts[0].x0, ts[k - 1].x1);
                        overlap(x0, x1, t.x0, t.x1) > 0
                    })
                    .collect();
                let lo = over.iter().copied().min().unwrap_or(b);
                let hi = over.iter().copied().max().unwrap_or(b);
                (block_cols(lo).0, block_cols(hi).1)
            };
            let level = if li == low_line { usize::MAX / 2 } else { li };
            groups.push((
                level,
                c0,
                c1,
                RawCell {
                    pieces: vec![(t.a, t.b)],
                },
            ));
        }
    }
    let mut out = rows_from(norm, groups, leaf);
    numbering_rows(norm, &placed, ncol, &mut out);
    out
}

/// Header rows: group rows (top first; a group goes in the first row where its
/// columns are free), then the leaf row. Cells a group spans after its first are
/// filled from it; empty cells are filled from the column's leaf or group.
fn rows_from(
    norm: &NormDoc,
    mut groups: Vec<(usize, usize, usize, RawCell)>,
    leaf: Vec<RawCell>,
) -> Vec<Vec<Cell>> {
    let ncol = leaf.len();
    groups.sort_by_key(|g| (g.0, g.1));
    // Merge identical spans stacked in one row level is not needed; place greedily.
    let mut levels: Vec<Vec<Option<usize>>> = vec![];
    for (gi, g) in groups.iter().enumerate() {
        let (c0, c1) = (
            g.1.min(ncol.saturating_sub(1)),
            g.2.min(ncol.saturating_sub(1)),
        );
        let slot = levels
            .iter()
            .position(|row| (c0..=c1).all(|j| row[j].is_none()));
        let r = match slot {
            Some(r) => r,
            None => {
                levels.push(vec![None; ncol]);
                levels.len() - 1
            }
        };
        for slot in levels[r].iter_mut().take(c1 + 1).skip(c0) {
            *slot = Some(gi);
        }
    }
    let leaf_cells: Vec<Cell> = leaf.iter().map(|c| c.to_cell(norm)).collect();
    let group_cells: Vec<Cell> = groups.iter().map(|g| g.3.to_cell(norm)).collect();
    let mut out: Vec<Vec<Cell>> = vec![];
    for row in &levels {
        let mut cells = vec![];
        for j in 0..ncol {
            let cell = match row[j] {
                Some(gi) => {
                    let first = j == 0 || row[j - 1] != Some(gi);
                    let mut c = group_cells[gi].clone();
                    if !first {
                        c.span = None;
                        c.filled = true;
                    }
                    c
                }
                None => Cell::empty(),
            };
            cells.push(cell);
        }
        out.push(cells);
    }
    let mut last = leaf_cells;
    for (j, c) in last.iter_mut().enumerate() {
        if c.text.is_empty() {
            // The lowest group over this column.
            if let Some(gi) = levels.iter().rev().find_map(|row| row[j]) {
                *c = Cell {
                    text: group_cells[gi].text.clone(),
                    span: None,
                    filled: true,
                };
            }
        }
    }
    // Group-row cells left empty belong to the tall cell below.
    for row in out.iter_mut() {
        for (j, c) in row.iter_mut().enumerate() {
            if c.text.is_empty() && !last[j].text.is_empty() {
                *c = Cell {
                    text: last[j].text.clone(),
                    span: None,
                    filled: true,
                };
            }
        }
    }
    if last.iter().any(|c| !c.text.is_empty()) || out.is_empty() {
        out.push(last);
    }
    out
}

//! A band of a form table (a 自评表's 资金, 目标 or 绩效指标 block) read on the
//! columns its band line names.
//!
//! Such a block is not a financial table: its cells hold words and figures mixed
//! (`≥20个`, `100%`, `及时有效`), centred or left-aligned, so the edges of figures
//! do not find its columns. Its header does: every word of the band line heads a
//! column that runs to half-way to the next word, and a token goes to the column
//! its centre falls in. Words wholly left of the first heading (`绩效指标`, the
//! `年度资金总额` row labels) make a lead column. Rows are grouped as in any
//! space-aligned table, with every line holding a figure a key line.

use crate::model::Cell;
use crate::normalize::NormDoc;
use crate::patterns::tables::{compact, IndicatorColumn, Tables};
use crate::tables::text::RawCell;

use super::columns::Col;
use super::rows::DataLine;
use super::tokens::Tok;

/// A cell that starts with a figure, perhaps after a comparison (`20`, `95%`,
/// `≥20个`, `2.1万亩`); not a points note (`(50分)`).
fn is_figure(s: &str) -> bool {
    s.trim_start_matches(['≥', '≤', '>', '<', '=', '＞', '＜', '-'])
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit())
}

/// Column of a token: 0 for the lead column, else 1 + the heading it falls under.
/// `bounds[k]` is where heading `k` starts.
fn column_of(t: &Tok, first_x0: i32, bounds: &[i32]) -> usize {
    if t.x1 <= first_x0 {
        return 0;
    }
    let c2 = t.x0 + t.x1;
    1 + bounds.iter().rposition(|&b| 2 * b <= c2).unwrap_or(0)
}

/// Token `t` cut at a single space into two words of two or more characters
/// each that fall under different headings, or whose second starts a cell's
/// next line under a word of a line `above` in another column than the first
/// (then with that column).
fn split_across(
    norm: &NormDoc,
    t: &Tok,
    metric: usize,
    first_x0: i32,
    bounds: &[i32],
    above: &[&Tok],
) -> Option<(Tok, Tok, Option<usize>)> {
    if t.kind != super::tokens::TokKind::Text {
        return None;
    }
    let text = t.text(norm);
    let words = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count() >= 2;
    text.match_indices(' ').find_map(|(p, _)| {
        let (left, right) = (&text[..p], &text[p + 1..]);
        if !words(left) || !words(right) || right.starts_with(' ') || left.ends_with(' ') {
            return None;
        }
        let mut l = super::tokens::part_of(norm, t, t.a, t.a + p)?;
        let mut r = super::tokens::part_of(norm, t, t.a + p + 1, t.b)?;
        for x in [&mut l, &mut r] {
            (x.x0, x.x1) = span(x, metric);
        }
        let left = column_of(&l, first_x0, bounds);
        if left != column_of(&r, first_x0, bounds) {
            return Some((l, r, None));
        }
        let under = above
            .iter()
            .map(|u| (u, column_of(u, first_x0, bounds)))
            .find(|&(u, c)| c != left && flush_under(&r, u))?;
        Some((l, r, Some(under.1)))
    })
}

/// Word `t` starts where the longer word `u` of a line above starts, under
/// either metric (words after Han text drift under the one the text was not
/// set in): the next line of `u`'s cell.
fn flush_under(t: &Tok, u: &Tok) -> bool {
    (0..2).any(|m| u.cols[m].0 == t.cols[m].0) && u.x1 - u.x0 > t.x1 - t.x0
}

/// A token's extent under `metric`: where it starts, and as wide as it is seen.
/// pdftotext sets each word at its own position but gives a full-width glyph one
/// column, so under glyph count a Han heading ends early; the display width of a
/// word is its width either way.
fn span(t: &Tok, metric: usize) -> (i32, i32) {
    let x0 = t.cols[metric].0;
    (x0, x0 + t.cols[1].1 - t.cols[1].0)
}

/// The band word each token of `line` sits over or under (either metric): the
/// one it overlaps most.
fn over<'a>(line: &[Tok], names: &'a [Tok]) -> Option<Vec<&'a Tok>> {
    line.iter()
        .map(|t| {
            names
                .iter()
                .map(|h| {
                    let most = (0..2)
                        .map(|m| {
                            let ((a0, a1), (b0, b1)) = (span(t, m), span(h, m));
                            a1.min(b1) - a0.max(b0)
                        })
                        .max()
                        .unwrap_or(0);
                    (h, most)
                })
                .filter(|&(_, o)| o > 0)
                .max_by_key(|&(_, o)| o)
                .map(|(h, _)| h)
        })
        .collect()
}

/// A band line that heads a 绩效指标 block: it names an indicator level (a
/// 资金 block's `分值` and `得分` are indicator headings too).
pub fn names_levels(norm: &NormDoc, t: &Tables, line: &[Tok]) -> bool {
    line.iter().any(|x| {
        let s = compact(x.text(norm));
        t.indicator_columns.iter().any(|r| {
            matches!(
                r.column,
                IndicatorColumn::Level1 | IndicatorColumn::Level2 | IndicatorColumn::Level3
            ) && r.re.is_match(&s)
        })
    })
}

/// A line right above a 绩效指标 band line that holds the first half of its
/// headings (`偏差原因分析` over `及改进措施`): every word a heading alone or
/// with the word below it.
pub fn heads_above(norm: &NormDoc, t: &Tables, above: &[Tok], names: &[Tok]) -> bool {
    !above.is_empty()
        && over(above, names).is_some_and(|ws| {
            above.iter().zip(ws).all(|(a, w)| {
                let a = compact(a.text(norm));
                t.is_indicator_heading(&a)
                    || t.is_indicator_heading(&format!("{a}{}", compact(w.text(norm))))
            })
        })
}

/// A line right below a 绩效指标 band line that ends its headings (`年度指` over
/// `标值`): every word completes the heading above it. Otherwise it is the upper
/// half of a row's centred label (`高标准农田建设` over `面积`).
pub fn heads_below(norm: &NormDoc, t: &Tables, below: &[Tok], names: &[Tok]) -> bool {
    !below.is_empty()
        && over(below, names).is_some_and(|ws| {
            below.iter().zip(ws).all(|(b, w)| {
                let w = compact(w.text(norm));
                // A heading that ends on a conjunction is unfinished whatever
                // it says alone (`偏差原因分析及` over `改进措施`).
                (!t.is_indicator_heading(&w) || w.ends_with(['及', '和', '与', '、']))
                    && t.is_indicator_heading(&format!("{w}{}", compact(b.text(norm))))
            })
        })
}

/// Distinct left and right edges of the tokens of `lines` under `metric`: cells
/// of a column share an edge under the metric the text was set in (words after
/// Han text drift under the other).
fn edges<'a>(lines: impl Iterator<Item = &'a Vec<Tok>>, metric: usize) -> usize {
    let mut e: Vec<(bool, i32)> = lines
        .flatten()
        .flat_map(|t| {
            let (x0, x1) = span(t, metric);
            [(false, x0), (true, x1)]
        })
        .collect();
    e.sort_unstable();
    e.dedup();
    e.len()
}

/// Farthest a later page's grid is looked for from the band line's page's.
const PAGE_SHIFT: i32 = 10;

/// Lines of a later page set on a grid of their own (pdftotext lays out every
/// page by itself): its figures shifted by what brings them nearest under the
/// headings' centres, when that brings them at least 30% nearer than no shift.
fn realign_pages(norm: &NormDoc, names: &[Tok], data: &mut [(Vec<Tok>, bool)]) {
    let page = |t: &Tok| norm.lines[t.line].page;
    let Some(home) = names.first().map(page) else {
        return;
    };
    let mut pages: Vec<u32> = data
        .iter()
        .flat_map(|(l, _)| l.iter().map(page))
        .filter(|&p| p != home)
        .collect();
    pages.sort_unstable();
    pages.dedup();
    for p in pages {
        let (figs, lefts): (Vec<i32>, Vec<i32>) = data
            .iter()
            .flat_map(|(l, _)| l.iter())
            .filter(|t| page(t) == p && is_figure(t.text(norm)))
            .map(|t| (t.center2(), t.x0))
            .unzip();
        if figs.len() < 3 {
            continue;
        }
        let cost = |d: i32| -> i32 {
            figs.iter()
                .map(|c| {
                    names
                        .iter()
                        .map(|h| (c + 2 * d - h.center2()).abs())
                        .min()
                        .unwrap_or(0)
                })
                .sum()
        };
        let (best, d) = (-PAGE_SHIFT..=PAGE_SHIFT)
            .map(|d| (cost(d), d.abs(), d))
            .min()
            .map(|(c, _, d)| (c, d))
            .unwrap_or((0, 0));
        // pdftotext may also squeeze the page's columns unevenly: its figure
        // columns then map one to one, in order, onto the home page's, when that
        // fits them much better than any one shift.
        let ranked = by_rank(norm, data, home, p, &figs).filter(|(shifts, home_cols)| {
            let off = |c: i32| home_cols.iter().map(|h| (c - h).abs()).min().unwrap_or(0);
            let rank_cost: i32 = figs.iter().map(|&c| off(c + 2 * shift_at(shifts, c))).sum();
            let shift_cost = (-PAGE_SHIFT..=PAGE_SHIFT)
                .map(|d| figs.iter().map(|&c| off(c + 2 * d)).sum::<i32>())
                .min()
                .unwrap_or(0);
            10 * rank_cost < 7 * shift_cost
        });
        let shifts: Shifts = match ranked {
            Some((shifts, _)) => shifts,
            None if d == 0 || 10 * best >= 7 * cost(0) => continue,
            None => vec![(0, d)],
        };
        // pdftotext squeezes a page's right part more than its left: labels stay,
        // the figures and what lies right of the first of them move.
        let from = lefts.iter().copied().min().unwrap_or(i32::MIN);
        for t in data.iter_mut().flat_map(|(l, _)| l.iter_mut()) {
            if page(t) == p && (t.x0 >= from || is_figure(t.text(norm))) {
                let dx = shift_at(&shifts, t.center2());
                t.x0 += dx;
                t.x1 += dx;
            }
        }
    }
}

/// Gap (in doubled columns) between figure centres that starts another column.
const COLUMN_GAP2: i32 = 6;

/// Centres (doubled) of the figure columns that `centres` form: runs of centres
/// closer than [`COLUMN_GAP2`], each as its mean.
fn column_centres(mut centres: Vec<i32>) -> Vec<i32> {
    centres.sort_unstable();
    let mut out: Vec<Vec<i32>> = vec![];
    for c in centres {
        match out.last_mut() {
            Some(run) if c - run[run.len() - 1] < COLUMN_GAP2 => run.push(c),
            _ => out.push(vec![c]),
        }
    }
    out.iter()
        .map(|r| r.iter().sum::<i32>() / r.len() as i32)
        .collect()
}

/// Per figure column of a page: its centre (doubled) and the shift it takes.
type Shifts = Vec<(i32, i32)>;

/// Shifts that carry page `p`'s figure columns onto the home page's, column by
/// column in order: `(centre on p, shift)` (no column moved farther than
/// [`PAGE_SHIFT`]), with the home page's column centres; when both pages show
/// as many columns.
fn by_rank(
    norm: &NormDoc,
    data: &[(Vec<Tok>, bool)],
    home: u32,
    p: u32,
    figs: &[i32],
) -> Option<(Shifts, Vec<i32>)> {
    let home_figs: Vec<i32> = data
        .iter()
        .flat_map(|(l, _)| l.iter())
        .filter(|t| norm.lines[t.line].page == home && is_figure(t.text(norm)))
        .map(Tok::center2)
        .collect();
    let (here, there) = (column_centres(figs.to_vec()), column_centres(home_figs));
    if here.len() < 2 || here.len() != there.len() || p == home {
        return None;
    }
    let shifts: Shifts = here
        .iter()
        .zip(&there)
        .map(|(&a, &b)| (a, (b - a) / 2))
        .collect();
    shifts
        .iter()
        .all(|(_, d)| d.abs() <= PAGE_SHIFT)
        .then_some((shifts, there))
}

/// The shift of the column nearest centre `c`.
fn shift_at(shifts: &[(i32, i32)], c: i32) -> i32 {
    shifts
        .iter()
        .min_by_key(|(a, _)| (a - c).abs())
        .map_or(0, |&(_, d)| d)
}

/// Farthest a line of values alone is looked for from the rows' grid.
const LINE_SHIFT: i32 = 12;
/// Longest word of such a line (`有效降低`, `较上年下降`); a longer one is a label.
const SHORT_VALUE: usize = 6;

/// A line of values alone (a row whose label wraps above and below them:
/// figures, and short words such as `有效降低`) that pdftotext set several
/// columns off: shifted onto the figures of the labelled rows, when that brings
/// its figures at least 30% nearer and within a column or so of them on average.
fn realign_figure_lines(norm: &NormDoc, data: &mut [(Vec<Tok>, bool)]) {
    let figures = |l: &[Tok]| l.iter().filter(|t| is_figure(t.text(norm))).count();
    let values_only = |l: &[Tok]| {
        figures(l) >= 2
            && l.iter()
                .all(|t| is_figure(t.text(norm)) || t.text(norm).chars().count() <= SHORT_VALUE)
    };
    let mut grid: Vec<i32> = data
        .iter()
        .filter(|(l, _)| !values_only(l) && figures(l) >= 2)
        .flat_map(|(l, _)| {
            l.iter()
                .filter(|t| is_figure(t.text(norm)))
                .map(Tok::center2)
        })
        .collect();
    if grid.len() < 6 {
        return;
    }
    grid.sort_unstable();
    grid.dedup();
    let nearest = |c: i32| -> i32 {
        let k = grid.partition_point(|&g| g < c);
        [k.checked_sub(1), Some(k)]
            .into_iter()
            .flatten()
            .filter_map(|k| grid.get(k))
            .map(|g| (c - g).abs())
            .min()
            .unwrap_or(0)
    };
    for (l, _) in data.iter_mut().filter(|(l, _)| values_only(l)) {
        let cost = |d: i32| -> i32 {
            l.iter()
                .filter(|t| is_figure(t.text(norm)))
                .map(|t| nearest(t.center2() + 2 * d))
                .sum()
        };
        let Some((best, _, d)) = (-LINE_SHIFT..=LINE_SHIFT)
            .map(|d| (cost(d), d.abs(), d))
            .min()
        else {
            continue;
        };
        let n = figures(l) as i32;
        if d == 0 || 10 * best >= 7 * cost(0) || best > 4 * n {
            continue;
        }
        for t in l.iter_mut() {
            t.x0 += d;
            t.x1 += d;
        }
    }
}

/// The lines a cell's wrapped line at `i` may continue: one or two lines up (a
/// key line of figures between), no blank line.
fn lines_above(data: &[(Vec<Tok>, bool)], i: usize) -> impl Iterator<Item = usize> + '_ {
    [i.wrapping_sub(1), i.wrapping_sub(2)]
        .into_iter()
        .filter(move |&j| j < data.len() && !(j + 1..=i).any(|m| data[m].1))
}

/// Header and rows of a band: `head` its header lines (the band line first),
/// `data` the lines below with whether a blank line precedes each. `None` when the
/// band line names fewer than two columns.
pub fn read(
    norm: &NormDoc,
    t: &Tables,
    mut head: Vec<Vec<Tok>>,
    mut data: Vec<(Vec<Tok>, bool)>,
    group: impl FnOnce(&[DataLine], &[Col]) -> Vec<Vec<Cell>>,
) -> Option<super::Body> {
    // The band line: the first header line of two words or more (a line above it
    // holds the first halves of its headings).
    let b = head.iter().position(|l| l.len() >= 2)?;
    // The caller's metric is chosen from figures' right edges, too few here.
    let lines = || head.iter().chain(data.iter().map(|(l, _)| l));
    let metric = usize::from(edges(lines(), 1) < edges(lines(), 0));
    for x in head
        .iter_mut()
        .flatten()
        .chain(data.iter_mut().flat_map(|(l, _)| l))
    {
        (x.x0, x.x1) = span(x, metric);
    }
    // In a 绩效指标 block, lines below the band line that do not finish its
    // headings are rows.
    let indicators = head[b]
        .iter()
        .filter(|x| t.is_indicator_heading(&compact(x.text(norm))))
        .count()
        >= 2;
    // A heading set above the band line, right of its last word, heads a column
    // of its own (the note column's `偏差原因分析及` over `得分` … `改进措施`).
    let mut names: Vec<Tok> = head[b].clone();
    if indicators {
        let last = names.iter().map(|x| x.x1).max().unwrap_or(i32::MIN);
        let extra: Vec<Tok> = head[..b]
            .iter()
            .flatten()
            .filter(|x| x.x0 > last && t.is_indicator_heading(&compact(x.text(norm))))
            .cloned()
            .collect();
        names.extend(extra);
        let keep = b
            + 1
            + head[b + 1..]
                .iter()
                .take_while(|l| {
                    heads_below(norm, t, l, &names) || heads_below(norm, t, l, &head[..b].concat())
                })
                .count();
        let rest: Vec<(Vec<Tok>, bool)> = head.drain(keep..).map(|l| (l, false)).collect();
        data.splice(0..0, rest);
    }
    let names = &names;
    realign_pages(norm, names, &mut data);
    realign_figure_lines(norm, &mut data);
    let first_x0 = names[0].x0;
    // A heading's column starts half-way from the previous heading.
    let bounds: Vec<i32> = names
        .iter()
        .enumerate()
        .map(|(k, t)| {
            if k == 0 {
                i32::MIN / 4
            } else {
                (names[k - 1].x1 + t.x0) / 2
            }
        })
        .collect();
    let mut cols: Vec<Col> = std::iter::once(Col::header(i32::MIN / 4, first_x0))
        .chain(names.iter().map(|t| Col::header(t.x0, t.x1)))
        .collect();
    let mut header = vec![RawCell::empty(); cols.len()];
    for t in head.iter().flatten() {
        header[column_of(t, first_x0, &bounds)]
            .pieces
            .push((t.a, t.b));
    }
    // One space is no cell gap, but a cell set right after a full one leaves only
    // that (`社会效益指标 城乡居民公共卫生服务差距`): split where the words fall
    // under two headings.
    let mut placed: Vec<Vec<usize>> = Vec::with_capacity(data.len());
    for i in 0..data.len() {
        let above: Vec<Tok> = lines_above(&data, i)
            .flat_map(|j| data[j].0.clone())
            .collect();
        let above: Vec<&Tok> = above.iter().collect();
        let toks = &mut data[i].0;
        let mut out = Vec::with_capacity(toks.len());
        let mut cols = Vec::with_capacity(toks.len());
        for t in toks.drain(..) {
            match split_across(norm, &t, metric, first_x0, &bounds, &above) {
                Some((l, r, under)) => {
                    cols.push(column_of(&l, first_x0, &bounds));
                    cols.push(under.unwrap_or_else(|| column_of(&r, first_x0, &bounds)));
                    out.extend([l, r]);
                }
                None => {
                    cols.push(column_of(&t, first_x0, &bounds));
                    out.push(t);
                }
            }
        }
        *toks = out;
        placed.push(cols);
    }
    // A cell's words wrap flush left: a short last line (`人数` under
    // `65岁及以上老年人健康管理`) goes where the longer line it starts under goes,
    // though its centre falls in the column before.
    for i in 0..data.len() {
        for k in 0..data[i].0.len() {
            let t = &data[i].0[k];
            if is_figure(t.text(norm)) {
                continue;
            }
            let near = lines_above(&data, i)
                .flat_map(|j| data[j].0.iter().zip(placed[j].iter().copied()))
                .find(|(u, _)| u.x0 == t.x0 && u.x1 - u.x0 > t.x1 - t.x0)
                .map(|(_, c)| c);
            if let Some(c) = near {
                placed[i][k] = c;
            }
        }
    }
    // A row's key line holds a figure: in a 绩效指标 block with 分值 or 得分
    // columns, there; else anywhere but the note column. A cell's wrapped line
    // that opens on a figure (`2025年计划` of a note, `2024年3月` of a value) is
    // no row of its own.
    let roles: Vec<Option<IndicatorColumn>> = std::iter::once(None)
        .chain(names.iter().map(|n| {
            let h = compact(n.text(norm));
            t.indicator_columns
                .iter()
                .find(|r| r.re.is_match(&h))
                .map(|r| r.column)
        }))
        .collect();
    let points = |r: &Option<IndicatorColumn>| {
        matches!(r, Some(IndicatorColumn::Weight | IndicatorColumn::Score))
    };
    let scored = indicators && roles.iter().any(points);
    let key_col: Vec<bool> = roles
        .iter()
        .map(|r| {
            if scored {
                points(r)
            } else {
                *r != Some(IndicatorColumn::Note)
            }
        })
        .collect();
    let lines: Vec<DataLine> =
        data.into_iter()
            .zip(placed)
            .map(|((toks, blank_before), col)| {
                for (t, &c) in toks.iter().zip(&col) {
                    cols[c].add(t);
                }
                let key = toks.iter().zip(&col).any(|(t, &c)| {
                    is_figure(t.text(norm)) && key_col.get(c).copied().unwrap_or(true)
                });
                DataLine {
                    toks,
                    col,
                    blank_before,
                    key,
                }
            })
            .collect();
    let rows = group(&lines, &cols);
    let header = vec![header.iter().map(|c| c.to_cell(norm)).collect()];
    Some((header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::NormDoc;
    use crate::tables::aligned::tokens::tokenize;

    fn toks(text: &str) -> (NormDoc, Vec<Vec<Tok>>) {
        let norm = NormDoc::new(text.to_string());
        let lines = (0..norm.line_count())
            .map(|i| tokenize(&norm, i, &[]))
            .collect();
        (norm, lines)
    }

    #[test]
    fn figures_start_with_a_digit() {
        for s in ["20", "95%", "≥20个", "2.1万亩", "≤1380.25万元", "-5"] {
            assert!(is_figure(s), "{s}");
        }
        for s in ["(50分)", "及时有效", "产出指标", ""] {
            assert!(!is_figure(s), "{s}");
        }
    }

    #[test]
    fn tokens_fall_under_the_heading_their_centre_is_nearest() {
        let (_, l) = toks("      一级指标   分值   得分\n绩效   产出指标     10      9.5\n");
        let names = &l[0];
        let bounds: Vec<i32> = (0..names.len())
            .map(|k| {
                if k == 0 {
                    i32::MIN / 4
                } else {
                    (names[k - 1].x1 + names[k].x0) / 2
                }
            })
            .collect();
        let cols: Vec<usize> = l[1]
            .iter()
            .map(|t| column_of(t, names[0].x0, &bounds))
            .collect();
        assert_eq!(cols, vec![0, 1, 2, 3]);
    }

    #[test]
    fn figure_columns_are_runs_of_near_centres() {
        assert_eq!(
            column_centres(vec![84, 67, 65, 82, 116, 98, 97]),
            [66, 83, 97, 116]
        );
        assert!(column_centres(vec![]).is_empty());
        assert_eq!(shift_at(&[(66, 0), (83, 2), (97, 10)], 100), 10);
    }

    #[test]
    fn the_metric_is_the_one_cells_share_edges_under() {
        // Set by display width: after Han text, glyph counts drift line to line.
        let display =
            "年初预算数          执行率\n资金100.00             95%\n结转 90.00             90%\n";
        let (_, l) = toks(display);
        assert!(edges(l.iter(), 1) < edges(l.iter(), 0));
    }
}

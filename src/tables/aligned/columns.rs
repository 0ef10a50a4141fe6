//! Columns of a space-aligned table, found from the data lines themselves.
//!
//! Lines are aligned to a growing list of columns, longest lines first, by dynamic
//! programming: tokens keep their order, a figure goes to a figure column and a
//! label to a label column, and a token far from every column opens a new one. Order
//! and type matter more than exact positions, because pdftotext shifts whole lines
//! (a page set with other metrics, a row printed tighter) by several columns.

use super::tokens::{Tok, TokKind};

#[derive(Debug, Clone)]
pub struct Col {
    /// Sums for running means of the left and right edges.
    sx0: i64,
    sx1: i64,
    /// Tokens counted in the position means.
    npos: i64,
    pub n: i64,
    pub numeric: i64,
    pub text: i64,
    pub int: i64,
    /// Longest label (characters), for telling a wrapped label from a short one.
    pub max_text: i32,
    /// Shortest and longest bare integer (code) seen: 类 codes have 3 digits,
    /// 款 codes 2; a column mixing 301 and 30101 takes both.
    int_len: (i32, i32),
    /// From the header only: no data token was ever placed here.
    pub header_only: bool,
    pub hx0: i32,
    pub hx1: i32,
}

impl Col {
    fn from_tok(t: &Tok) -> Col {
        let mut c = Col {
            sx0: 0,
            sx1: 0,
            npos: 0,
            n: 0,
            numeric: 0,
            text: 0,
            int: 0,
            max_text: 0,
            int_len: (i32::MAX, 0),
            header_only: false,
            hx0: t.x0,
            hx1: t.x1,
        };
        c.add(t);
        c
    }

    /// A column known only from the header (its leaf cell's extent).
    pub fn header(x0: i32, x1: i32) -> Col {
        Col {
            sx0: 0,
            sx1: 0,
            npos: 0,
            n: 0,
            numeric: 0,
            text: 0,
            int: 0,
            max_text: 0,
            int_len: (i32::MAX, 0),
            header_only: true,
            hx0: x0,
            hx1: x1,
        }
    }

    pub fn add(&mut self, t: &Tok) {
        if self.n == 0 || raw_distance(t, self) <= NEAR {
            self.sx0 += t.x0 as i64;
            self.sx1 += t.x1 as i64;
            self.npos += 1;
        }
        self.n += 1;
        match t.kind {
            TokKind::Num => self.numeric += 1,
            TokKind::Int => {
                self.int += 1;
                let len = t.x1 - t.x0;
                self.int_len = (self.int_len.0.min(len), self.int_len.1.max(len));
            }
            TokKind::Text => {
                self.text += 1;
                self.max_text = self.max_text.max(t.chars);
            }
        }
        self.header_only = false;
    }

    fn merge(&mut self, o: &Col) {
        self.sx0 += o.sx0;
        self.sx1 += o.sx1;
        self.npos += o.npos;
        self.n += o.n;
        self.numeric += o.numeric;
        self.text += o.text;
        self.int += o.int;
        self.max_text = self.max_text.max(o.max_text);
        self.int_len = (
            self.int_len.0.min(o.int_len.0),
            self.int_len.1.max(o.int_len.1),
        );
    }

    pub fn x0(&self) -> i32 {
        if self.npos == 0 {
            self.hx0
        } else {
            (self.sx0 / self.npos) as i32
        }
    }
    pub fn x1(&self) -> i32 {
        if self.npos == 0 {
            self.hx1
        } else {
            (self.sx1 / self.npos) as i32
        }
    }
    pub fn center2(&self) -> i32 {
        self.x0() + self.x1()
    }

    /// Figures (and codes) rather than labels.
    pub fn is_numeric(&self) -> bool {
        self.numeric + self.int > self.text
    }
    /// Mostly bare integers without decimals: a code column.
    pub fn is_code(&self) -> bool {
        self.int > self.numeric && self.int > self.text
    }
}

/// Distance between a token and a column: the nearest of left edges, right edges
/// and centres (labels are left-aligned, figures right-aligned, headings centred).
fn raw_distance(t: &Tok, c: &Col) -> i32 {
    let d0 = (t.x0 - c.x0()).abs();
    let d1 = (t.x1 - c.x1()).abs();
    let dc = (t.center2() - c.center2()).abs() / 2;
    d0.min(d1).min(dc)
}

/// Flattened past a column's width: far away, order and type decide more than
/// how far (a page set on a narrower grid), but nearer still wins.
fn distance(t: &Tok, c: &Col) -> i32 {
    let d = raw_distance(t, c);
    if d <= FLAT {
        d
    } else {
        FLAT + (d - FLAT) / 4
    }
}

const FLAT: i32 = 10;
/// Only tokens this close move a column's position (far matches would drag it).
const NEAR: i32 = 4;

fn type_penalty(t: &Tok, c: &Col) -> i32 {
    if c.n == 0 {
        // A column only the header shows holds no data.
        return if c.header_only { 30 } else { 0 };
    }
    let kind = match (t.kind, c.is_numeric()) {
        (TokKind::Text, true) => 15,
        (TokKind::Num, false) => 30,
        (TokKind::Int, false) => 12,
        _ => 0,
    };
    // Codes of one level have one length (类 201, 款 06); a code is no figure, and
    // a figure under a code column costs as much as one under a label (a 合计 row
    // alone on a later page otherwise trades its label for a code column).
    let len = t.x1 - t.x0;
    let digits = match t.kind {
        TokKind::Num if c.is_code() => 30,
        TokKind::Int if c.is_code() && (len < c.int_len.0 || len > c.int_len.1) => 8,
        TokKind::Int if c.is_numeric() && !c.is_code() && c.int == 0 => 6,
        _ => 0,
    };
    kind + digits
}

/// Cost of opening a new column for a token on the page the table starts on, and
/// on the pages it continues on (set on other grids, their tokens seldom open one).
const NEW_COLUMN: i32 = 8;
const NEW_COLUMN_LATER_PAGE: i32 = 21;

/// Where each token of a line goes: an existing column, or a new column to insert
/// before column `j` (`Err(j)`).
/// `flat`: distances flattened past a column's width (lines of a later page, and
/// the final placement, where order and type decide).
fn align(
    toks: &[Tok],
    cols: &[Col],
    new_cost: Option<i32>,
    flat: bool,
) -> Vec<Result<usize, usize>> {
    let dist = |t: &Tok, c: &Col| {
        if flat {
            distance(t, c)
        } else {
            raw_distance(t, c)
        }
    };
    let m = toks.len();
    let k = cols.len();
    const INF: i32 = i32::MAX / 4;
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
                let c = here + dist(&toks[i], &cols[j]) + type_penalty(&toks[i], &cols[j]);
                if c < cost[i + 1][j + 1] {
                    cost[i + 1][j + 1] = c;
                    back[i + 1][j + 1] = 1;
                }
            }
            // Skipping a column is free, except when a later page's line is being
            // fitted: there every figure should find its column in order.
            let skip = if flat && new_cost.is_some() { 4 } else { 0 };
            if j < k && here + skip < cost[i][j + 1] {
                cost[i][j + 1] = here + skip;
                back[i][j + 1] = 2;
            }
            if i < m {
                let c = here + new_cost.unwrap_or(1000);
                if c < cost[i + 1][j] {
                    cost[i + 1][j] = c;
                    back[i + 1][j] = 3;
                }
            }
        }
    }
    let mut out = vec![Err(0); m];
    let (mut i, mut j) = (m, k);
    while i > 0 || j > 0 {
        match back[i][j] {
            1 => {
                out[i - 1] = Ok(j - 1);
                i -= 1;
                j -= 1;
            }
            2 => j -= 1,
            3 => {
                out[i - 1] = Err(j);
                i -= 1;
            }
            _ => break,
        }
    }
    out
}

/// Columns from the data lines (each a list of tokens in order): lines of the
/// first page first, longest first. Lines of later pages are first moved onto the
/// first page's grid where they can be ([`regrid`]).
pub fn discover(lines: &mut [Vec<Tok>], pages: &[u32]) -> Vec<Col> {
    let first_page = pages.first().copied().unwrap_or(0);
    let on_first: Vec<usize> = (0..lines.len())
        .filter(|&i| pages.get(i).is_none_or(|&p| p == first_page))
        .collect();
    let first = grow(vec![], lines, &on_first, |_| false);
    if on_first.len() == lines.len() {
        return first;
    }
    regrid(lines, pages, &first);
    let rest: Vec<usize> = (0..lines.len())
        .filter(|&i| pages.get(i).is_some_and(|&p| p != first_page))
        .collect();
    grow(first, lines, &rest, |_| true)
}

/// `cols` grown by the lines `order` picks, longest first; `later` tells the lines
/// of pages after the first.
fn grow(
    mut cols: Vec<Col>,
    lines: &[Vec<Tok>],
    order: &[usize],
    later: impl Fn(usize) -> bool,
) -> Vec<Col> {
    let mut order: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| !lines[i].is_empty())
        .collect();
    order.sort_by_key(|&i| (later(i), std::cmp::Reverse(lines[i].len()), i));
    for &i in &order {
        let toks = &lines[i];
        if cols.is_empty() {
            cols = toks.iter().map(Col::from_tok).collect();
            continue;
        }
        let cost = if later(i) {
            NEW_COLUMN_LATER_PAGE
        } else {
            NEW_COLUMN
        };
        let plan = align(toks, &cols, Some(cost), later(i));
        // Insert new columns right to left so earlier indexes stay valid.
        let mut inserts: Vec<(usize, usize)> = vec![];
        for (ti, p) in plan.iter().enumerate() {
            match *p {
                Ok(j) => cols[j].add(&toks[ti]),
                Err(j) => inserts.push((j, ti)),
            }
        }
        // Several tokens opening columns at the same place open one each, in order.
        for &(j, ti) in inserts.iter().rev() {
            cols.insert(j, Col::from_tok(&toks[ti]));
        }
        settle(&mut cols);
    }
    cols
}

/// Move the lines of later pages onto the first page's grid.
///
/// pdftotext sets each page on its own grid, so a table continued on the next page
/// can come out narrower: its figures several columns further left, its codes and
/// labels hardly moved. No one shift fits such a page, and fitted token by token a
/// figure lands in the column left of its own. When the page's lines, taken alone,
/// show the first page's columns (as many, of the same kinds, in order), each token
/// is moved by the distance between its column there and the first page's (figures
/// by right edges, labels and codes by left ones). Pages that show other columns
/// are left to the token-by-token fit.
fn regrid(lines: &mut [Vec<Tok>], pages: &[u32], first: &[Col]) {
    let Some(&first_page) = pages.first() else {
        return;
    };
    let n = lines.len();
    let on = |p: u32| -> Vec<usize> { (0..n).filter(|&i| pages.get(i) == Some(&p)).collect() };
    let mut later: Vec<u32> = pages.iter().copied().filter(|&p| p != first_page).collect();
    later.sort_unstable();
    later.dedup();
    for p in later {
        let idx = on(p);
        let own = grow(vec![], lines, &idx, |_| false);
        let same_kinds = own.len() == first.len()
            && own
                .iter()
                .zip(first)
                .all(|(a, b)| a.is_numeric() == b.is_numeric() && a.is_code() == b.is_code());
        if !same_kinds {
            continue;
        }
        let shift: Vec<i32> = own
            .iter()
            .zip(first)
            .map(|(a, b)| {
                if b.is_numeric() {
                    b.x1() - a.x1()
                } else {
                    b.x0() - a.x0()
                }
            })
            .collect();
        if shift.iter().all(|d| d.abs() <= NEAR) {
            continue;
        }
        for &i in &idx {
            let at = place(&lines[i], &own);
            for (t, j) in lines[i].iter_mut().zip(at) {
                t.x0 += shift[j];
                t.x1 += shift[j];
            }
        }
    }
}

/// Keep columns in order of position, and merge two that ended up in one place.
fn settle(cols: &mut Vec<Col>) {
    cols.sort_by_key(|c| (c.center2(), c.x0()));
    let mut k = 1;
    while k < cols.len() {
        let (a, b) = (&cols[k - 1], &cols[k]);
        let same_place = (a.x0() - b.x0()).abs() <= 2 && (a.x1() - b.x1()).abs() <= 2;
        if same_place && a.is_numeric() == b.is_numeric() {
            let b = cols.remove(k);
            cols[k - 1].merge(&b);
        } else {
            k += 1;
        }
    }
}

/// Place a line's tokens in the final columns; tokens that find no column of their
/// own share the nearest one.
pub fn place(toks: &[Tok], cols: &[Col]) -> Vec<usize> {
    if cols.is_empty() {
        return vec![0; toks.len()];
    }
    let plan = align(toks, cols, None, true);
    plan.iter()
        .enumerate()
        .map(|(ti, p)| match *p {
            Ok(j) => j,
            Err(_) => nearest(&toks[ti], cols),
        })
        .collect()
}

pub fn nearest(t: &Tok, cols: &[Col]) -> usize {
    (0..cols.len())
        .min_by_key(|&j| distance(t, &cols[j]) + type_penalty(t, &cols[j]))
        .unwrap_or(0)
}

/// Insert a header-only column at its place by position.
pub fn insert_header_col(cols: &mut Vec<Col>, c: Col) -> usize {
    let at = cols
        .iter()
        .position(|k| k.center2() > c.center2())
        .unwrap_or(cols.len());
    cols.insert(at, c);
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::NormDoc;
    use crate::tables::aligned::tokens::tokenize;

    fn lines(text: &str) -> (NormDoc, Vec<Vec<Tok>>) {
        let n = NormDoc::new(text.to_string());
        let lines = (0..n.line_count())
            .map(|i| tokenize(&n, i, &[]))
            .filter(|l| !l.is_empty())
            .collect();
        (n, lines)
    }

    #[test]
    fn a_figure_is_no_code() {
        // A 合计 row alone on a later page, set further left than the first.
        let (_, mut l) = lines(concat!(
            "201             一般公共服务支出         3,296,600         0    3,296,600\n",
            "201   05        统计信息事务              438,300         0      438,300\n",
            "201   05   07   专项普查活动              438,300         0      438,300\n",
            " 合计  189,767,551   101,341,746   88,425,805\n",
        ));
        let cols = discover(&mut l, &[1, 1, 1, 2]);
        assert_eq!(cols.len(), 7);
        assert_eq!(place(&l[3], &cols), vec![3, 4, 5, 6]);
    }

    #[test]
    fn a_later_page_on_a_narrower_grid_is_moved_onto_the_first() {
        let (_, mut l) = lines(concat!(
            " 302         商品和服务支出                  10,827,702            0   10,827,702\n",
            " 302   01    办公费                       4,333,478            0    4,333,478\n",
            " 301   02    津贴补贴                     18,149,307   18,149,307            0\n",
            "302   05   水费                106,000            0      106,000\n",
            "303   02   退休费               275,460      275,460            0\n",
        ));
        let pages = [1, 1, 1, 2, 2];
        let cols = discover(&mut l, &pages);
        assert_eq!(cols.len(), 6);
        for line in &l[3..] {
            assert_eq!(place(line, &cols), vec![0, 1, 2, 3, 4, 5]);
        }
    }

    #[test]
    fn a_page_showing_other_columns_is_left_alone() {
        let (_, mut l) = lines(concat!(
            "301   01    基本工资         6,084,184    6,084,184            0\n",
            "301   02    津贴补贴        18,149,307   18,149,307            0\n",
            "       合计   101,341,746   90,514,044\n",
        ));
        let before: Vec<(i32, i32)> = l[2].iter().map(|t| (t.x0, t.x1)).collect();
        discover(&mut l, &[1, 1, 2]);
        let after: Vec<(i32, i32)> = l[2].iter().map(|t| (t.x0, t.x1)).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn a_gap_between_columns_opens_one() {
        let text = "201   06   01   行政运行            1,511.89               8.37\n                                           2,336.91   603.14\n";
        let n = NormDoc::new(text.to_string());
        let mut lines = vec![tokenize(&n, 0, &[]), tokenize(&n, 1, &[])];
        let cols = discover(&mut lines, &[1, 1]);
        assert_eq!(
            cols.len(),
            7,
            "{:?}",
            cols.iter().map(|c| (c.x0(), c.x1())).collect::<Vec<_>>()
        );
    }
}

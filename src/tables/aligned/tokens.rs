//! Words of a space-aligned line and where they sit.
//!
//! A token is a run of text without a gap of two or more spaces (one space joins
//! letter-spaced words such as `因 公 出 国`), split further where one run holds
//! several figures (`2.85 0.39 0.00`), a code glued to its name (`310资本性支出`), or
//! a label and a figure that normalisation joined (`医疗 60.99` → `医疗60.99`).
//!
//! Positions are columns counted on the *decoded* line (normalisation changes
//! widths: `（` becomes `(`). `pdftotext -layout` sets each glyph in one column in
//! some files and CJK glyphs in two in others, so both counts are kept and each
//! table uses the one under which its figures line up best.

use crate::normalize::{is_han, NormDoc};
use crate::patterns::tables::{any, LineRule};

use crate::tables::text::{is_integer, is_number};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// A figure: decimals, thousands separators, percent — or a bare `0`.
    Num,
    /// Digits only: a classification code or a whole-number figure.
    Int,
    Text,
}

#[derive(Debug, Clone)]
pub struct Tok {
    /// Normalised byte range.
    pub a: usize,
    pub b: usize,
    pub line: usize,
    pub kind: TokKind,
    /// Columns by character count, then by display width.
    pub cols: [(i32, i32); 2],
    /// Columns under the metric in use.
    pub x0: i32,
    pub x1: i32,
    /// Characters without spaces (a letter-spaced label is no wider than it reads).
    pub chars: i32,
}

impl Tok {
    pub fn center2(&self) -> i32 {
        self.x0 + self.x1
    }
    pub fn text<'a>(&self, norm: &'a NormDoc) -> &'a str {
        &norm.text.as_str()[self.a..self.b]
    }
    pub fn is_numeric(&self) -> bool {
        self.kind != TokKind::Text
    }
    pub fn use_metric(&mut self, m: usize) {
        let (x0, x1) = self.cols[m.min(1)];
        self.x0 = x0;
        self.x1 = x1;
    }
}

fn kind_of(s: &str) -> TokKind {
    if is_integer(s) && s != "0" {
        TokKind::Int
    } else if is_number(s) {
        TokKind::Num
    } else {
        TokKind::Text
    }
}

fn display_width(c: char) -> i32 {
    if crate::tables::text::is_cjk(c)
        || matches!(c, '\u{1100}'..='\u{115F}' | '\u{AC00}'..='\u{D7A3}')
    {
        2
    } else {
        1
    }
}

/// Tokens of normalised line `i`.
pub fn tokenize(norm: &NormDoc, i: usize, spaced: &[LineRule]) -> Vec<Tok> {
    let (la, lb) = norm.line_bounds(i);
    let text = norm.text.as_str();
    let line = &text[la..lb];
    // Runs separated by 2+ spaces (or a tab).
    let mut runs: Vec<(usize, usize)> = vec![];
    let bytes = line.as_bytes();
    let mut k = 0;
    while k < bytes.len() {
        while k < bytes.len() && (bytes[k] == b' ' || bytes[k] == b'\t') {
            k += 1;
        }
        if k >= bytes.len() {
            break;
        }
        let s = k;
        let mut e = k;
        while k < bytes.len() {
            if bytes[k] == b'\t' {
                break;
            }
            if bytes[k] == b' ' {
                let mut g = k;
                while g < bytes.len() && bytes[g] == b' ' {
                    g += 1;
                }
                if g - k >= 2 || g >= bytes.len() {
                    break;
                }
                k = g;
                continue;
            }
            k += 1;
            e = k;
        }
        // `e` ends at a char boundary: it is set after ASCII bytes or at the
        // start of the next space/tab, and multi-byte chars are skipped whole below.
        runs.push((s, e));
        // Move past the rest of a multi-byte char, if the loop stopped inside one.
        while k < bytes.len() && !line.is_char_boundary(k) {
            k += 1;
        }
    }
    let runs = join_spaced_letters(line, runs, spaced);
    let mut pieces: Vec<(usize, usize)> = vec![];
    for (s, e) in runs {
        let (s, e) = (snap(line, s), snap(line, e));
        if s >= e {
            continue;
        }
        split_run(norm, la, line, s, e, &mut pieces);
    }
    // Pieces come left to right: columns are counted on from the previous one.
    let mut at = Column::default();
    pieces
        .into_iter()
        .filter_map(|(s, e)| make_tok(norm, i, la + s, la + e, &mut at))
        .collect()
}

/// The token for bytes `[a, b)` of `t`'s line (a part of `t`), measured afresh.
pub fn part_of(norm: &NormDoc, t: &Tok, a: usize, b: usize) -> Option<Tok> {
    make_tok(norm, t.line, a, b, &mut Column::default())
}

/// Widest gap (in spaces) inside a letter-spaced label such as `总      计`.
const MAX_LETTER_GAP: usize = 10;

/// Runs of one Han character each, a few spaces apart, as one run where the
/// letters make a label of `spaced` (`总      计`, `项    目`): a label spread over
/// its cell. Other such runs stay apart: `类 款 项` head three code columns, and a
/// wrapped header leaves one-character tails (`入     入`) in neighbouring columns.
fn join_spaced_letters(
    line: &str,
    runs: Vec<(usize, usize)>,
    spaced: &[LineRule],
) -> Vec<(usize, usize)> {
    let letter = |&(s, e): &(usize, usize)| {
        let mut cs = line[s..e].chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if is_han(c))
    };
    let close = |a: &(usize, usize), b: &(usize, usize)| {
        let gap = &line[a.1..b.0];
        gap.len() <= MAX_LETTER_GAP && gap.bytes().all(|c| c == b' ')
    };
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < runs.len() {
        // The chain of close letters from here, then its longest label prefix.
        let mut end = i + 1;
        while end < runs.len()
            && letter(&runs[end - 1])
            && letter(&runs[end])
            && close(&runs[end - 1], &runs[end])
        {
            end += 1;
        }
        let mut take = 1;
        if end - i >= 2 && letter(&runs[i]) {
            take = (2..=end - i)
                .rev()
                .find(|&k| {
                    let word: String = runs[i..i + k].iter().map(|&(s, e)| &line[s..e]).collect();
                    any(spaced, &word)
                })
                .unwrap_or(1);
        }
        out.push((runs[i].0, runs[i + take - 1].1));
        i += take;
    }
    out
}

/// A place on a decoded line: byte offset from the line's start, and the columns
/// before it by character count and by display width.
#[derive(Debug, Clone, Copy, Default)]
struct Column {
    byte: usize,
    chars: i32,
    width: i32,
}

impl Column {
    /// Move on over `s` (the decoded text from here); control characters take no column.
    fn advance(self, s: &str) -> Column {
        let (mut chars, mut width) = (self.chars, self.width);
        for c in s.chars().filter(|c| !c.is_control()) {
            chars += 1;
            width += display_width(c);
        }
        Column {
            byte: self.byte + s.len(),
            chars,
            width,
        }
    }
}

/// A token for normalised bytes `[a, b)` of line `i`, with its columns measured on
/// the decoded line; `from` is a place at or before the token (updated to its start).
fn make_tok(norm: &NormDoc, i: usize, a: usize, b: usize, from: &mut Column) -> Option<Tok> {
    let (src_line_start, _) = norm.source.line_range(i);
    let src = norm.source.as_str();
    let (sa, sb) = norm.text.source_range(a, b);
    let (sa, sb) = (sa as usize, sb as usize);
    if sa < src_line_start || sb > src.len() || sa > sb {
        return None;
    }
    let line = src.get(src_line_start..)?;
    let (ra, rb) = (sa - src_line_start, sb - src_line_start);
    if from.byte > ra || !line.is_char_boundary(from.byte) {
        *from = Column::default();
    }
    let start = from.advance(line.get(from.byte..ra)?);
    *from = start;
    let end = start.advance(line.get(ra..rb)?);
    let (c0, c1, d0, d1) = (start.chars, end.chars, start.width, end.width);
    let t = norm.text.as_str().get(a..b)?;
    Some(Tok {
        a,
        b,
        line: i,
        kind: kind_of(t),
        cols: [(c0, c1), (d0, d1)],
        x0: c0,
        x1: c1,
        chars: t.chars().filter(|c| !c.is_whitespace()).count() as i32,
    })
}

/// A header token of several words of two or more characters (`基本支出 项目支出`,
/// printed with one space) as one token per word; letter-spaced words (`因 公 出
/// 国`) stay whole.
pub fn split_words(norm: &NormDoc, t: &Tok, metric: usize) -> Vec<Tok> {
    let text = t.text(norm);
    let words: Vec<(usize, &str)> = text
        .split(' ')
        .scan(0usize, |off, w| {
            let at = *off;
            *off += w.len() + 1;
            Some((at, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    if words.len() < 2 || words.iter().any(|(_, w)| w.chars().count() < 2) {
        return vec![t.clone()];
    }
    let mut from = Column::default();
    words
        .iter()
        .filter_map(|&(at, w)| {
            let mut u = make_tok(norm, t.line, t.a + at, t.a + at + w.len(), &mut from)?;
            u.use_metric(metric);
            Some(u)
        })
        .collect()
}

fn snap(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// Split one run into tokens (ranges relative to `line`).
fn split_run(
    norm: &NormDoc,
    la: usize,
    line: &str,
    s: usize,
    e: usize,
    out: &mut Vec<(usize, usize)>,
) {
    let run = &line[s..e];
    // Several figures separated by single spaces.
    let parts: Vec<&str> = run.split(' ').filter(|p| !p.is_empty()).collect();
    if parts.len() >= 2 && parts.iter().all(|p| is_number(p)) {
        let mut off = s;
        for p in run.split(' ') {
            if !p.is_empty() {
                out.push((off, off + p.len()));
            }
            off += p.len() + 1;
        }
        return;
    }
    // A code glued to its name: `310资本性支出`; not a year (`2023年预算数`).
    let digits = run.bytes().take_while(u8::is_ascii_digit).count();
    let next = run[digits..].chars().next();
    if digits >= 3 && next.is_some_and(is_han) && !(digits == 4 && next == Some('年')) {
        out.push((s, s + digits));
        split_run(norm, la, line, s + digits, e, out);
        return;
    }
    // A label and a figure joined when normalisation dropped the space between.
    if let Some(cut) = label_figure_cut(norm, la, line, s, e) {
        out.push((s, cut));
        out.push((cut, e));
        return;
    }
    out.push((s, e));
}

/// Where a label and a figure were joined because normalisation dropped the
/// single space between them (`医疗 60.99`, `189,767,551 一、…`): only at a
/// figure/Han boundary where the decoded text had a space.
fn label_figure_cut(norm: &NormDoc, la: usize, line: &str, s: usize, e: usize) -> Option<usize> {
    let run = &line[s..e];
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    for w in chars.windows(2) {
        let ((k0, c0), (k1, c1)) = (w[0], w[1]);
        let figure = |c: char| c.is_ascii_digit() || c == '%';
        let boundary = (is_han(c0) && c1.is_ascii_digit() && is_number(&run[k1..]))
            || (figure(c0) && is_han(c1) && is_number(&run[..k1]));
        if !boundary {
            continue;
        }
        let (_, end_prev) = norm.text.source_range(la + s + k0, la + s + k1);
        let (start_next, _) = norm
            .text
            .source_range(la + s + k1, la + s + k1 + c1.len_utf8());
        if start_next > end_prev {
            return Some(s + k1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(String, TokKind, i32, i32)> {
        let n = NormDoc::new(s.to_string());
        let pats = crate::patterns::PatternSet::embedded().unwrap();
        tokenize(&n, 0, &pats.tables.spaced_labels)
            .into_iter()
            .map(|t| (t.text(&n).to_string(), t.kind, t.x0, t.x1))
            .collect()
    }

    #[test]
    fn splits_columns() {
        let t = toks("八、其他收入                  6.20   八、社会保障和就业支出        326.71");
        assert_eq!(t.len(), 4);
        assert_eq!(t[1], ("6.20".into(), TokKind::Num, 24, 28));
        assert_eq!(t[2].2, 31);
        let t = toks("     2.85 0.39 0.00 0.00  0.00");
        assert_eq!(t.len(), 5);
        let t = toks("                            310资本性支出                 0.00");
        assert_eq!(t[0].0, "310");
        assert_eq!(t[1].0, "资本性支出");
        let t = toks("项目      2023年预算数  2022年决算数");
        assert_eq!(t[1].0, "2023年预算数", "{t:?}");
        let t = toks("            因 公 出 国 （ 境 ） 费");
        assert_eq!(t.len(), 1);
        let t = toks("2101101   行政单位医疗 60.99    60.99");
        assert_eq!(t.len(), 4, "{t:?}");
        assert_eq!(t[0].1, TokKind::Int);
        let t = toks("总      计               25       1,264.56   总      计");
        assert_eq!(t.len(), 4, "{t:?}");
        assert_eq!(t[0].0, "总      计");
        let t = toks("类    款    项      无      无");
        assert_eq!(t.len(), 5, "{t:?}");
        let t = toks("   科目名称        计            入     入     入");
        assert_eq!(t.len(), 5, "{t:?}");
        let t = toks("项    目    行次     预    算    数");
        assert_eq!(t.len(), 3, "{t:?}");
        assert_eq!(t[2].0, "预    算    数");
        let t = toks("合计   189,767,551   0");
        assert_eq!(t[2].1, TokKind::Num);
    }

    proptest::proptest! {
        /// Columns counted on from the previous token are those counted from the
        /// line's start.
        #[test]
        fn columns_as_counted_from_the_start(line in "[ 　\t收入合计（）0-9.,a\u{7}]{0,60}") {
            let n = NormDoc::new(line);
            let src = n.source.as_str();
            let (start, _) = n.source.line_range(0);
            for t in tokenize(&n, 0, &[]) {
                let (sa, sb) = n.text.source_range(t.a, t.b);
                let count = |s: &str| {
                    let v = s.chars().filter(|c| !c.is_control());
                    (v.clone().count() as i32, v.map(display_width).sum::<i32>())
                };
                let (c0, d0) = count(&src[start..sa as usize]);
                let (c, d) = count(&src[sa as usize..sb as usize]);
                proptest::prop_assert_eq!(t.cols, [(c0, c0 + c), (d0, d0 + d)]);
            }
        }
    }

    #[test]
    fn display_metric() {
        let n = NormDoc::new("收入  1.00".to_string());
        let t = tokenize(&n, 0, &[]);
        assert_eq!(t[1].cols[0], (4, 8));
        assert_eq!(t[1].cols[1], (6, 10));
    }
}

//! Stage 2: normalise the decoded text without losing track of where anything came from.
//!
//! Lines stay one-to-one with the decoded file's lines (tables and headings are
//! line-shaped), while inside a line: CRLF/CR become LF, full-width ASCII becomes
//! ASCII (`１２３．４５` → `123.45`, `（一）` → `(一)`), NBSP and ideographic spaces become
//! spaces, invisible characters and form feeds go (a form feed marks a page start),
//! a lone space between a figure and a Han character goes (`0.86 万元` → `0.86万元`),
//! and traditional characters become simplified, one char for one char.
//! Running text across hard-wrapped lines comes from [`join_lines`].
//!
//! Every normalised byte maps to the source bytes it stands for ([`MappedText`]), and
//! [`NormDoc::span`] turns any normalised range into a [`Span`] over the decoded text.

mod chars;
mod join;
mod mapped;
mod source;

pub use chars::{is_han, simplified};
pub use join::{ends_sentence, join_lines, join_lines_breaking};
pub use mapped::MappedText;
pub use source::SourceText;

use crate::model::Span;
use chars::{fold, is_removable_space, may_simplify, to_simplified, CharRule};

/// One normalised line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Byte range in [`NormDoc::text`], without the line break.
    pub start: usize,
    pub end: usize,
    /// 1-based page (form feeds start a new page).
    pub page: u32,
    /// The line begins with a form feed.
    pub page_start: bool,
}

/// The normalised document: decoded source, normalised text and its lines.
#[derive(Debug, Clone)]
pub struct NormDoc {
    pub source: SourceText,
    pub text: MappedText,
    pub lines: Vec<Line>,
}

impl NormDoc {
    /// Normalise decoded text.
    pub fn new(decoded: String) -> NormDoc {
        NormDoc::build(decoded, true)
    }

    /// Every line goes through [`Lines::fast`] unless `fast` is off (tests compare
    /// the two paths); a line the fast path cannot take is done by [`Lines::general`].
    fn build(decoded: String, fast: bool) -> NormDoc {
        let source = SourceText::new(decoded);
        let src = source.as_str();
        let mut st = Lines {
            text: MappedText::with_capacity(src.len()),
            page: 1,
            buf: Vec::with_capacity(256),
        };
        let mut lines = Vec::with_capacity(source.line_count());
        for i in 0..source.line_count() {
            let (a, b) = source.line_range(i);
            let start = st.text.len();
            let page_before = st.page;
            let page_start = match fast.then(|| st.fast(src, i, a, b)).flatten() {
                Some(ps) => ps,
                None => {
                    st.text.truncate(start);
                    st.page = page_before;
                    st.general(src, i, a, b)
                }
            };
            let end = st.text.len();
            lines.push(Line {
                start,
                end,
                page: st.page,
                page_start,
            });
            let next = if i + 1 < source.line_count() {
                source.line_range(i + 1).0
            } else {
                src.len()
            };
            if next > b {
                st.text.push('\n', b as u32, next as u32);
            }
        }
        NormDoc {
            source,
            text: st.text,
            lines,
        }
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Normalised text of 0-based line `i`.
    pub fn line(&self, i: usize) -> &str {
        let l = self.lines[i];
        &self.text.as_str()[l.start..l.end]
    }

    pub fn line_bounds(&self, i: usize) -> (usize, usize) {
        let l = self.lines[i];
        (l.start, l.end)
    }

    /// Span over the decoded text for normalised bytes `[a, b)`.
    pub fn span(&self, a: usize, b: usize) -> Span {
        let (s, e) = self.text.source_range(a, b);
        self.source_span(s, e)
    }

    /// Span for a range of *source* bytes.
    pub fn source_span(&self, s: u32, e: u32) -> Span {
        let line = self.source.line_of_byte(s) as u32 + 1;
        let last = if e > s { e - 1 } else { s };
        Span {
            line,
            line_end: self.source.line_of_byte(last) as u32 + 1,
            start: self.source.char_of_byte(s),
            end: self.source.char_of_byte(e),
        }
    }

    /// Span of a mapped range of another [`MappedText`] built from this document.
    pub fn mapped_span(&self, m: &MappedText, a: usize, b: usize) -> Span {
        let (s, e) = m.source_range(a, b);
        self.source_span(s, e)
    }

    /// Span of line `i`'s content (indentation and trailing spaces excluded).
    pub fn line_span(&self, i: usize) -> Span {
        let (a, b) = self.line_bounds(i);
        let s = &self.text.as_str()[a..b];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead + trail >= s.len() {
            return self.span(a, a);
        }
        self.span(a + lead, b - trail)
    }

    /// The decoded (original) text behind normalised bytes `[a, b)`.
    pub fn source_slice(&self, a: usize, b: usize) -> &str {
        let (s, e) = self.text.source_range(a, b);
        &self.source.as_str()[s as usize..e as usize]
    }

    /// The decoded text behind a range of a [`MappedText`] built from this document.
    pub fn mapped_source_slice(&self, m: &MappedText, a: usize, b: usize) -> &str {
        let (s, e) = m.source_range(a, b);
        &self.source.as_str()[s as usize..e as usize]
    }
}

/// The normalised text being built, line by line.
struct Lines {
    text: MappedText,
    page: u32,
    /// Scratch for [`Lines::general`]: kept chars of one line with their source range.
    buf: Vec<(char, u32, u32)>,
}

impl Lines {
    /// Line `i` (source bytes `[a, b)`) in one pass, for lines with nothing for
    /// traditional → simplified to do (nearly all): runs of chars that stand for
    /// themselves (printable ASCII, Han, most punctuation) are copied whole, the rest
    /// folded one by one. Returns whether the line starts a page, or `None` (having
    /// pushed part of the line) when it holds a char that fast2s might convert; the
    /// caller then undoes the line and uses [`Lines::general`].
    fn fast(&mut self, src: &str, i: usize, a: usize, b: usize) -> Option<bool> {
        let bytes = src.as_bytes();
        let mut page_start = false;
        // The previous kept (folded) char, as `general` sees it in its buffer.
        let mut prev: Option<char> = None;
        // Start of the pending run of chars that stand for themselves.
        let mut run = a;
        let mut k = a;
        while k < b {
            let byte = bytes[k];
            match byte {
                b'\t' | 0x21..=0x7E => {
                    prev = Some(byte as char);
                    k += 1;
                    continue;
                }
                b' ' => {
                    let spaces = bytes[k..b].iter().take_while(|&&x| x == b' ').count();
                    // A gap of two or more spaces is a column gap and stays whole;
                    // only a lone space may be a typesetting artefact.
                    let lone = spaces == 1;
                    if lone && is_removable_space(prev, next_kept(src, k + 1, b)) {
                        self.text.push_same(src, run, k);
                        run = k + 1;
                    }
                    prev = Some(' ');
                    k += spaces;
                    continue;
                }
                _ => {}
            }
            let c = src.get(k..b)?.chars().next()?;
            let len = c.len_utf8();
            if byte >= 0x80 && stands_for_itself(c) {
                prev = Some(c);
                k += len;
                continue;
            }
            self.text.push_same(src, run, k);
            if c == '\u{000C}' {
                if !page_start && (i > 0 || k > a) {
                    self.page += 1;
                }
                page_start = true;
            } else if let CharRule::Keep(f) = fold(c) {
                if may_simplify(f) {
                    return None;
                }
                let removable = f == ' ' && is_removable_space(prev, next_kept(src, k + len, b));
                if !removable {
                    self.text.push(f, k as u32, (k + len) as u32);
                }
                prev = Some(f);
            }
            k += len;
            run = k;
        }
        self.text.push_same(src, run, b);
        Some(page_start)
    }

    /// Line `i` by the general rules: fold, simplify the whole line, then drop lone
    /// spaces between figures and Han characters.
    fn general(&mut self, src: &str, i: usize, a: usize, b: usize) -> bool {
        let buf = &mut self.buf;
        buf.clear();
        let mut page_start = false;
        let mut may_change = false;
        for (off, c) in src[a..b].char_indices() {
            let s = (a + off) as u32;
            let e = s + c.len_utf8() as u32;
            if c == '\u{000C}' {
                if !page_start && (i > 0 || off > 0) {
                    self.page += 1;
                }
                page_start = true;
                continue;
            }
            if let CharRule::Keep(k) = fold(c) {
                may_change |= may_simplify(k);
                buf.push((k, s, e));
            }
        }
        if may_change {
            simplify(buf);
        }
        for j in 0..buf.len() {
            let (c, s, e) = buf[j];
            if c == ' ' {
                let prev = j.checked_sub(1).map(|p| buf[p].0);
                let next = buf.get(j + 1).map(|n| n.0);
                if is_removable_space(prev, next) {
                    continue;
                }
            }
            self.text.push(c, s, e);
        }
        page_start
    }
}

/// A non-ASCII char that normalising leaves as it is: Han (the bulk of every
/// report) is checked first, then the general rules.
fn stands_for_itself(c: char) -> bool {
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return !may_simplify(c);
    }
    matches!(fold(c), CharRule::Keep(f) if f == c && f != ' ') && !may_simplify(c)
}

/// The next char of `src[from..b]` that folding keeps (form feeds and dropped
/// chars are not in a line's text).
fn next_kept(src: &str, from: usize, b: usize) -> Option<char> {
    src.get(from..b)?
        .chars()
        .filter(|&c| c != '\u{000C}')
        .find_map(|c| match fold(c) {
            CharRule::Keep(f) => Some(f),
            CharRule::Drop => None,
        })
}

fn simplify(buf: &mut [(char, u32, u32)]) {
    let chars: Vec<char> = buf.iter().map(|x| x.0).collect();
    if let Some(simple) = to_simplified(&chars) {
        for (slot, c) in buf.iter_mut().zip(simple) {
            slot.0 = c;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice_chars(s: &str, span: Span) -> String {
        s.chars()
            .skip(span.start as usize)
            .take((span.end - span.start) as usize)
            .collect()
    }

    #[test]
    fn normalises_and_maps_back() {
        let src = "第一行\r\n决算支出共 ０.８６ 万元，占１００％\r\n\u{000C}部門決算\u{3000}表";
        let doc = NormDoc::new(src.to_string());
        assert_eq!(doc.line_count(), 3);
        assert_eq!(doc.line(1), "决算支出共0.86万元,占100%");
        assert_eq!(doc.line(2), "部门决算 表");
        assert!(doc.lines[2].page_start);
        assert_eq!(doc.lines[2].page, 2);
        let l = doc.line(1);
        let a = doc.lines[1].start + l.find("0.86").unwrap();
        let b = doc.lines[1].start + l.find(",").unwrap();
        let span = doc.span(a, b);
        assert_eq!(span.line, 2);
        assert_eq!(slice_chars(src, span), "０.８６ 万元");
        assert_eq!(doc.source_slice(a, b), "０.８６ 万元");
    }

    /// Documents made of the characters every rule is about.
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        let alphabet: Vec<char> = "09.%aZ -\t\r\n\u{C}\u{3000}\u{A0}\u{200B}\u{FEFF}\u{7}万元年决算部門決計畫藉口（）１２，％。"
            .chars()
            .collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 0..80)
            .prop_map(|v| v.into_iter().collect())
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fast_path_equals_general_rules(src in tricky_text()) {
            let fast = NormDoc::build(src.clone(), true);
            let general = NormDoc::build(src, false);
            prop_assert_eq!(fast.text.as_str(), general.text.as_str());
            prop_assert_eq!(&fast.lines, &general.lines);
            let t = fast.text.as_str();
            for k in (0..=t.len()).filter(|&k| t.is_char_boundary(k)) {
                prop_assert_eq!(fast.text.source_range(k, t.len()), general.text.source_range(k, t.len()));
                prop_assert_eq!(fast.text.source_range(0, k), general.text.source_range(0, k));
            }
        }
    }

    #[test]
    fn keeps_column_gaps() {
        let doc = NormDoc::new("八、其他收入   6.20   八、支出  326.71".to_string());
        assert_eq!(doc.line(0), "八、其他收入   6.20   八、支出  326.71");
    }

    #[test]
    fn empty_input() {
        let doc = NormDoc::new(String::new());
        assert_eq!(doc.line_count(), 1);
        assert_eq!(doc.line(0), "");
        assert_eq!(
            doc.span(0, 0),
            Span {
                line: 1,
                line_end: 1,
                start: 0,
                end: 0
            }
        );
    }
}

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

pub use chars::is_han;
pub use join::{ends_sentence, join_lines};
pub use mapped::MappedText;
pub use source::SourceText;

use crate::model::Span;
use chars::{fold, is_removable_space, to_simplified, CharRule};

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
        let source = SourceText::new(decoded);
        let src = source.as_str();
        let mut text = MappedText::with_capacity(src.len());
        let mut lines = Vec::with_capacity(source.line_count());
        let mut page = 1u32;
        let mut buf: Vec<(char, u32, u32)> = Vec::with_capacity(256);
        for i in 0..source.line_count() {
            let (a, b) = source.line_range(i);
            buf.clear();
            let mut page_start = false;
            for (off, c) in src[a..b].char_indices() {
                let s = (a + off) as u32;
                let e = s + c.len_utf8() as u32;
                if c == '\u{000C}' {
                    if !page_start && (i > 0 || off > 0) {
                        page += 1;
                    }
                    page_start = true;
                    continue;
                }
                if let CharRule::Keep(k) = fold(c) {
                    buf.push((k, s, e));
                }
            }
            simplify(&mut buf);
            let start = text.len();
            for j in 0..buf.len() {
                let (c, s, e) = buf[j];
                if c == ' ' {
                    let prev = j.checked_sub(1).map(|p| buf[p].0);
                    let next = buf.get(j + 1).map(|n| n.0);
                    if is_removable_space(prev, next) {
                        continue;
                    }
                }
                text.push(c, s, e);
            }
            let end = text.len();
            lines.push(Line {
                start,
                end,
                page,
                page_start,
            });
            let next = if i + 1 < source.line_count() {
                source.line_range(i + 1).0
            } else {
                src.len()
            };
            if next > b {
                text.push('\n', b as u32, next as u32);
            }
        }
        NormDoc {
            source,
            text,
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

//! Cell text: pieces of normalised lines joined into one cell, and the small
//! classifications every layout reader needs (is this a figure, a code, a label).

use crate::model::{Cell, Span};
use crate::normalize::{is_han, NormDoc};

/// A cell while a reader builds it: the normalised byte ranges of its text, one per
/// line it occupies (a wrapped cell has several).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawCell {
    pub pieces: Vec<(usize, usize)>,
}

impl RawCell {
    pub fn empty() -> RawCell {
        RawCell { pieces: vec![] }
    }

    /// A cell from `[a, b)` of the normalised text, trimmed; empty when blank.
    pub fn from_range(norm: &NormDoc, a: usize, b: usize) -> RawCell {
        let mut c = RawCell::empty();
        c.push(norm, a, b);
        c
    }

    /// Add a (trimmed) piece; blank pieces are ignored.
    pub fn push(&mut self, norm: &NormDoc, a: usize, b: usize) {
        if let Some((a, b)) = trim_range(norm.text.as_str(), a, b) {
            self.pieces.push((a, b));
        }
    }

    pub fn append(&mut self, other: &RawCell) {
        self.pieces.extend_from_slice(&other.pieces);
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The shown text: pieces joined (no separator between CJK, a space between
    /// ASCII words), spaces between Han characters removed (letter-spaced headers
    /// such as `项 目` and `绩  效  指  标`).
    pub fn text(&self, norm: &NormDoc) -> String {
        let t = norm.text.as_str();
        let mut out = String::new();
        for &(a, b) in &self.pieces {
            let s = &t[a..b];
            if let (Some(last), Some(first)) = (out.chars().last(), s.chars().next()) {
                if last.is_ascii_alphanumeric() && first.is_ascii_alphanumeric() {
                    out.push(' ');
                }
            }
            out.push_str(s);
        }
        collapse_cjk_spaces(&out)
    }

    /// Span over the decoded text covering every piece.
    pub fn span(&self, norm: &NormDoc) -> Option<Span> {
        let mut it = self.pieces.iter();
        let &(a, b) = it.next()?;
        let mut sp = norm.span(a, b);
        for &(a, b) in it {
            sp = sp.cover(norm.span(a, b));
        }
        Some(sp)
    }

    pub fn to_cell(&self, norm: &NormDoc) -> Cell {
        if self.is_empty() {
            return Cell::empty();
        }
        Cell {
            text: self.text(norm),
            span: self.span(norm),
            filled: false,
        }
    }
}

/// `[a, b)` without surrounding whitespace, or `None` when nothing is left.
pub fn trim_range(t: &str, a: usize, b: usize) -> Option<(usize, usize)> {
    let s = t.get(a..b)?;
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return None;
    }
    Some((a + lead, b - trail))
}

/// CJK characters and full-width punctuation, whose neighbours' spaces are layout.
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '‘' | '’' | '…' | '—')
}

/// Remove whitespace runs between two CJK characters; squeeze other runs to one space.
pub fn collapse_cjk_spaces(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let prev = out.chars().last();
            let next = chars.get(j).copied();
            let cjk_gap = prev.is_some_and(|p| is_cjk(p) || matches!(p, '(' | ')' | ':' | '、'))
                && next.is_some_and(|n| is_cjk(n) || matches!(n, '(' | ')' | '、'));
            if !cjk_gap {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A figure as tables print it: `1,960.73`, `0.86`, `-3`, `95%`, `121.93%%`, `≥95%`.
pub fn is_number(s: &str) -> bool {
    let t = s.trim();
    let t = t.trim_start_matches(['≥', '≤', '>', '<', '=']);
    let t = t.trim_end_matches('%');
    let t = t.strip_prefix('-').unwrap_or(t);
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut seen_dot = false;
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => {}
            b'.' if !seen_dot && i + 1 < b.len() && b[i + 1].is_ascii_digit() => seen_dot = true,
            b',' if !seen_dot
                && b.len() >= i + 4
                && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit()) => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

/// A bare integer without separators (a code such as `201`, `2080505`, or a count).
pub fn is_integer(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// A placeholder for "nothing" in a figure cell (`——`, `-`, `/`).
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '—' | '–' | '-' | '/' | '／' | '－' | '─' | '…'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn collapses_letter_spacing() {
        assert_eq!(collapse_cjk_spaces("项 目"), "项目");
        assert_eq!(
            collapse_cjk_spaces("绩           效                 指             标"),
            "绩效指标"
        );
        assert_eq!(
            collapse_cjk_spaces("因 公 出 国 ( 境 ) 费"),
            "因公出国(境)费"
        );
        assert_eq!(
            collapse_cjk_spaces("其中: 一般公共预算:208.37"),
            "其中:一般公共预算:208.37"
        );
        assert_eq!(collapse_cjk_spaces("2.85  0.39"), "2.85 0.39");
    }

    #[test]
    fn numbers() {
        for s in [
            "1,960.73", "0.86", "95%", "121.93%%", "≥95%", "-56.95", "3763807", "0",
        ] {
            assert!(is_number(s), "{s}");
        }
        for s in ["2023年", "12,34", "1.", "——", "按期完成", "", "1.2.3"] {
            assert!(!is_number(s), "{s}");
        }
        assert!(is_integer("2080505"));
        assert!(!is_integer("20.5"));
        assert!(is_placeholder("——"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = collapse_cjk_spaces(&s);
            let _ = is_number(&s);
            let _ = trim_range(&s, 0, s.len());
        }
    }
}

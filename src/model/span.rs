use serde::Serialize;

/// Where an item came from in the *decoded* text (before normalisation).
///
/// `start`/`end` count Unicode scalar values, so Python's `text[start:end]` on the
/// decoded file gives back the source characters; `line`/`line_end` are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct Span {
    pub line: u32,
    pub line_end: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        let (first, last) = if self.start <= other.start {
            (self, other)
        } else {
            (other, self)
        };
        Span {
            line: first.line,
            line_end: self.line_end.max(other.line_end),
            start: first.start,
            end: self.end.max(other.end).max(last.start),
        }
    }
}

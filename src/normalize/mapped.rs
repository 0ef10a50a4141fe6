//! Text that remembers, byte by byte, which source bytes it came from.
//!
//! Like charabia's tokens, every normalised character keeps the byte range of the
//! source characters it stands for, so any slice of normalised text maps back to an
//! exact slice of the decoded file. Dropped characters (a removed space, a joined
//! line break) simply fall between two mapped ranges.

/// Normalised text with a map into the source.
#[derive(Debug, Clone, Default)]
pub struct MappedText {
    text: String,
    /// For every byte of `text`: source byte range of the char it belongs to.
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl MappedText {
    pub fn with_capacity(n: usize) -> MappedText {
        MappedText {
            text: String::with_capacity(n),
            starts: Vec::with_capacity(n),
            ends: Vec::with_capacity(n),
        }
    }

    /// Append `ch`, which stands for source bytes `[start, end)`.
    pub fn push(&mut self, ch: char, start: u32, end: u32) {
        self.text.push(ch);
        for _ in 0..ch.len_utf8() {
            self.starts.push(start);
            self.ends.push(end);
        }
    }

    /// Append source bytes `[a, b)` of `src` (char boundaries), every char of which
    /// stands for itself: each byte maps to the source range of its char.
    /// (This and [`MappedText::push`] write 8 bytes of map per byte of text: the
    /// largest share of normalising, see BENCHMARKS.md.)
    pub fn push_same(&mut self, src: &str, a: usize, b: usize) {
        let Some(s) = src.get(a..b) else {
            return;
        };
        self.text.push_str(s);
        let bytes = s.as_bytes();
        // Starts forward (a char's start carries over its continuation bytes), ends
        // backward (a char's end is where the next char starts).
        let mut cur = a as u32;
        self.starts.extend(bytes.iter().enumerate().map(|(j, &x)| {
            if x & 0xC0 != 0x80 {
                cur = (a + j) as u32;
            }
            cur
        }));
        let base = self.ends.len();
        self.ends.resize(base + bytes.len(), 0);
        let mut end = b as u32;
        for ((slot, &x), pos) in self.ends[base..].iter_mut().zip(bytes).zip(a..b).rev() {
            *slot = end;
            if x & 0xC0 != 0x80 {
                end = pos as u32;
            }
        }
    }

    /// Forget everything from normalised byte `len` on (a char boundary).
    pub fn truncate(&mut self, len: usize) {
        if self.text.is_char_boundary(len) {
            self.text.truncate(len);
            self.starts.truncate(len);
            self.ends.truncate(len);
        }
    }

    /// Append `self`-relative bytes `[a, b)` of `other` with their mapping.
    pub fn push_from(&mut self, other: &MappedText, a: usize, b: usize) {
        self.text.push_str(&other.text[a..b]);
        self.starts.extend_from_slice(&other.starts[a..b]);
        self.ends.extend_from_slice(&other.ends[a..b]);
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Source byte range of normalised bytes `[a, b)` (on char boundaries).
    /// An empty range maps to an empty source range at the position of `a`.
    pub fn source_range(&self, a: usize, b: usize) -> (u32, u32) {
        if self.starts.is_empty() {
            return (0, 0);
        }
        if a >= self.starts.len() {
            let e = *self.ends.last().unwrap_or(&0);
            return (e, e);
        }
        if b <= a {
            let s = self.starts[a];
            return (s, s);
        }
        let b = b.min(self.ends.len());
        (self.starts[a], self.ends[b - 1].max(self.starts[a]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_drops() {
        // Source "1 万" (1, space, 万) normalised to "1万".
        let mut m = MappedText::default();
        m.push('1', 0, 1);
        m.push('万', 2, 5);
        assert_eq!(m.as_str(), "1万");
        assert_eq!(m.source_range(0, 4), (0, 5));
        assert_eq!(m.source_range(1, 4), (2, 5));
        assert_eq!(m.source_range(0, 1), (0, 1));
    }
}

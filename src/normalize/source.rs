//! The decoded text and a line index over it: every span is measured here.

/// Decoded text (BOM removed, nothing else changed) plus where each line starts.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    /// Byte offset of each line start.
    line_bytes: Vec<u32>,
    /// Char offset of each line start.
    line_chars: Vec<u32>,
    /// Chars before every [`BLOCK`]-th byte, so a char offset inside a very long
    /// line costs at most one block's count.
    blocks: Vec<u32>,
}

/// Bytes between char-count checkpoints.
const BLOCK: usize = 4096;

/// Chars in a UTF-8 slice: the bytes that are not continuation bytes.
fn count_chars(b: &[u8]) -> u32 {
    b.iter().filter(|&&x| (x as i8) >= -0x40).count() as u32
}

impl SourceText {
    pub fn new(text: String) -> SourceText {
        let mut line_bytes = vec![0u32];
        let mut line_chars = vec![0u32];
        let bytes = text.as_bytes();
        // Breaks are found with SIMD (memchr), and chars counted a line at a time
        // (bytes that do not continue a UTF-8 sequence), which the compiler vectorises.
        let mut chars = 0u32;
        let mut from = 0usize;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if i < from {
                continue; // the \n of a \r\n already taken
            }
            // A line ends at \n, \r\n or a lone \r.
            let end = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            };
            chars += count_chars(&bytes[from..end]);
            line_bytes.push(end as u32);
            line_chars.push(chars);
            from = end;
        }
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut n = 0u32;
        for chunk in bytes.chunks(BLOCK) {
            blocks.push(n);
            n += count_chars(chunk);
        }
        SourceText {
            text,
            line_bytes,
            line_chars,
            blocks,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn line_count(&self) -> usize {
        self.line_bytes.len()
    }

    /// 0-based line holding byte `b`.
    pub fn line_of_byte(&self, b: u32) -> usize {
        self.line_bytes
            .partition_point(|&s| s <= b)
            .saturating_sub(1)
    }

    /// Char offset of byte `b` (which must be on a char boundary).
    pub fn char_of_byte(&self, b: u32) -> u32 {
        let to = (b as usize).min(self.text.len());
        let line = self.line_of_byte(b);
        let line_start = self.line_bytes[line] as usize;
        // The end of a text whose length is a multiple of BLOCK has no checkpoint of
        // its own: count from the last one.
        let block = (to / BLOCK).min(self.blocks.len().saturating_sub(1));
        let bytes = self.text.as_bytes();
        // Count from whichever is nearer: the line start or the block checkpoint.
        if let Some(&n) = self
            .blocks
            .get(block)
            .filter(|_| block * BLOCK > line_start)
        {
            n + count_chars(&bytes[block * BLOCK..to])
        } else {
            self.line_chars[line] + count_chars(&bytes[line_start..to])
        }
    }

    /// Byte range of 0-based line `i` without its line break.
    pub fn line_range(&self, i: usize) -> (usize, usize) {
        let start = self.line_bytes[i] as usize;
        let mut end = self
            .line_bytes
            .get(i + 1)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        let b = self.text.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// Regression (fuzz): the end of a text of exactly k·BLOCK bytes indexed one
    /// checkpoint past the last.
    #[test]
    fn end_of_a_text_of_whole_blocks() {
        for len in [BLOCK, 2 * BLOCK, 3 * BLOCK] {
            let s = SourceText::new("a".repeat(len));
            assert_eq!(s.char_of_byte(len as u32), len as u32);
            let text = format!("{}\n{}", "b".repeat(7), "\u{4e2d}".repeat((len - 8) / 3));
            let s = SourceText::new(text.clone());
            assert_eq!(
                s.char_of_byte(text.len() as u32),
                text.chars().count() as u32
            );
        }
    }

    /// The index as first written: one byte at a time.
    fn reference(text: &str) -> (Vec<u32>, Vec<u32>) {
        let (mut lb, mut lc) = (vec![0u32], vec![0u32]);
        let b = text.as_bytes();
        let mut chars = 0u32;
        for i in 0..b.len() {
            if b[i] & 0xC0 != 0x80 {
                chars += 1;
            }
            if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                lb.push((i + 1) as u32);
                lc.push(chars);
            }
        }
        (lb, lc)
    }

    proptest! {
        #[test]
        fn index_matches_reference(v in proptest::collection::vec(
            proptest::sample::select(vec!['a', '一', '\r', '\n', ' ', '𠀀', 'é']), 0..60)) {
            let text: String = v.into_iter().collect();
            let s = SourceText::new(text.clone());
            let (lb, lc) = reference(&text);
            prop_assert_eq!(s.line_bytes, lb);
            prop_assert_eq!(s.line_chars, lc);
        }
    }

    #[test]
    fn lines_and_chars() {
        let s = SourceText::new("一二\r\nab\rc\n".to_string());
        assert_eq!(s.line_count(), 4);
        assert_eq!(s.line_range(0), (0, 6));
        assert_eq!(s.line_range(1), (8, 10));
        assert_eq!(s.line_range(2), (11, 12));
        assert_eq!(s.char_of_byte(8), 4);
        assert_eq!(s.line_of_byte(11), 2);
        assert_eq!(s.char_of_byte(11), 7);
    }
}

#[cfg(test)]
mod long_line_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn char_offsets_match_a_plain_count(s in "(一二|ab|\\r\\n|\\n|c){0,3000}", k in 0usize..10_000) {
            let t = SourceText::new(s.clone());
            let mut b = k.min(s.len());
            while !s.is_char_boundary(b) { b -= 1; }
            prop_assert_eq!(t.char_of_byte(b as u32) as usize, s[..b].chars().count());
        }
    }
}

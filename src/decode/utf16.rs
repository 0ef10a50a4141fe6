//! UTF-16 without a BOM: chardetng does not look for it, so judge it by whether the
//! code units read as text (ASCII, Han, CJK and full-width punctuation) in one byte
//! order and not in the other.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

fn plausible(u: u16) -> bool {
    matches!(u,
        0x09 | 0x0A | 0x0C | 0x0D
        | 0x20..=0x7E
        | 0xA0..=0xFF
        | 0x2000..=0x206F   // general punctuation (“” — …)
        | 0x2100..=0x218F   // letterlike, number forms (①…)
        | 0x2460..=0x24FF   // enclosed alphanumerics
        | 0x2500..=0x257F   // box drawing
        | 0x3000..=0x303F   // CJK punctuation
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF)
}

fn score(bytes: &[u8], le: bool) -> f64 {
    let n = bytes.len() / 2;
    if n == 0 {
        return 0.0;
    }
    let good = bytes
        .chunks_exact(2)
        .filter(|c| {
            let u = if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            };
            plausible(u)
        })
        .count();
    good as f64 / n as f64
}

/// UTF-16LE or BE when one byte order reads as text (≥ 97% plausible units) and
/// clearly better than the other.
pub fn guess(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 2 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let (le, be) = (score(sample, true), score(sample, false));
    if le >= 0.97 && le > be + 0.1 {
        Some(UTF_16LE)
    } else if be >= 0.97 && be > le + 0.1 {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_byte_order() {
        let s = "部门决算 2023年\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(guess(&le), Some(UTF_16LE));
        assert_eq!(guess(&be), Some(UTF_16BE));
        assert_eq!(guess("plain ascii!".as_bytes()), None);
    }
}

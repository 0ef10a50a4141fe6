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

/// Share of plausible code units in each byte order, `(le, be)`. Stops early, with
/// shares below any threshold that matters, once both orders have more implausible
/// units than [`MIN_PLAUSIBLE`] allows in the whole sample: legacy-encoded files
/// (GB18030) come this way on every read, and need not be scored to the end.
fn scores(bytes: &[u8]) -> (f64, f64) {
    let n = bytes.len() / 2;
    if n == 0 {
        return (0.0, 0.0);
    }
    let allowed = ((1.0 - MIN_PLAUSIBLE) * n as f64).ceil() as usize;
    let (mut bad_le, mut bad_be) = (0usize, 0usize);
    for (k, c) in bytes.chunks_exact(2).enumerate() {
        bad_le += !plausible(u16::from_le_bytes([c[0], c[1]])) as usize;
        bad_be += !plausible(u16::from_be_bytes([c[0], c[1]])) as usize;
        if k % 64 == 63 && bad_le > allowed && bad_be > allowed {
            return (0.0, 0.0);
        }
    }
    let share = |bad: usize| (n - bad) as f64 / n as f64;
    (share(bad_le), share(bad_be))
}

/// Share of plausible units a byte order needs.
const MIN_PLAUSIBLE: f64 = 0.97;

/// UTF-16LE or BE when one byte order reads as text (≥ 97% plausible units) and
/// clearly better than the other.
pub fn guess(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 2 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let (le, be) = scores(sample);
    if le >= MIN_PLAUSIBLE && le > be + 0.1 {
        Some(UTF_16LE)
    } else if be >= MIN_PLAUSIBLE && be > le + 0.1 {
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

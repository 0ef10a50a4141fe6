//! Stage 1: bytes → text, in whatever encoding the file was written.
//!
//! Order of evidence: a BOM; valid UTF-8; UTF-16 without BOM (judged by its code
//! units); binary content (NUL or other control bytes) is refused; otherwise
//! chardetng picks among GB18030, Big5 and the other legacy encodings (on the
//! opening lines first, on the whole file if that guess does not fit). A file whose
//! decoding is mostly replacement characters is refused too, so garbage never reaches
//! the extractors. The encoding used is reported by its WHATWG name.

mod bom;
mod legacy;
mod utf16;

use encoding_rs::{Encoding, GB18030};

use crate::error::DecodeError;

/// Text decoded from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, BOM removed, otherwise exactly as decoded.
    pub text: String,
    /// WHATWG name of the encoding (`UTF-8`, `GB18030`, `UTF-16LE` …).
    pub encoding: &'static str,
    pub warnings: Vec<String>,
}

/// The name reported in `documents.jsonl`: WHATWG's, with gb18030 in the usual capitals.
pub fn encoding_name(enc: &'static Encoding) -> &'static str {
    if enc == GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// Share of replacement characters above which a file is refused.
const MAX_BAD_RATIO: f64 = 0.05;

/// A few NULs in a long text file are a converter's slip, not a sign of binary
/// content: at most one per 4 KiB is read as a space (with a warning).
fn stray(nuls: usize, len: usize) -> bool {
    nuls > 0 && nuls * 4096 <= len
}

/// Decode `bytes`, or say why they are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Ok(Decoded {
            text: String::new(),
            encoding: "UTF-8",
            warnings: vec![],
        });
    }
    if let Some((enc, n)) = bom::sniff(bytes) {
        return finish(enc, &bytes[n..]);
    }
    // Counted only when there is one: most files have none (a memchr scan).
    let nuls = if bytes.contains(&0) {
        bytes.iter().filter(|&&b| b == 0).count()
    } else {
        0
    };
    if stray(nuls, bytes.len()) {
        // Spaces keep every other byte where it was; UTF-16 text has far more NULs.
        let spaced: Vec<u8> = bytes
            .iter()
            .map(|&b| if b == 0 { b' ' } else { b })
            .collect();
        let mut d = decode(&spaced)?;
        d.warnings
            .insert(0, format!("{nuls} stray NUL bytes read as spaces"));
        return Ok(d);
    }
    let has_nul = nuls > 0;
    if !has_nul {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Ok(Decoded {
                text: s.to_string(),
                encoding: "UTF-8",
                warnings: vec![],
            });
        }
    }
    if let Some(enc) = utf16::guess(bytes) {
        return finish(enc, bytes);
    }
    if has_nul {
        return Err(DecodeError::Binary(format!("{nuls} NUL bytes")));
    }
    let controls = bytes
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    if controls * 100 > bytes.len() {
        return Err(DecodeError::Binary(format!(
            "{controls} control bytes in {} bytes",
            bytes.len()
        )));
    }
    let enc = legacy::guess(bytes);
    match finish(enc, bytes) {
        Ok(d) if d.warnings.is_empty() => Ok(d),
        // The sample's guess does not fit the whole file: judge all of it.
        first => match legacy::guess_whole(bytes) {
            whole if whole != enc => finish(whole, bytes),
            _ => first,
        },
    }
}

fn finish(enc: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let mut warnings = vec![];
    if had_errors {
        let total = text.chars().count();
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if total == 0 || bad as f64 / total as f64 > MAX_BAD_RATIO {
            return Err(DecodeError::Undecodable {
                encoding: encoding_name(enc),
                bad,
                total,
            });
        }
        warnings.push(format!(
            "{bad} invalid {} sequences replaced with U+FFFD",
            encoding_name(enc)
        ));
    }
    let nuls = if text.contains('\0') {
        text.chars().filter(|&c| c == '\0').count()
    } else {
        0
    };
    if nuls > 0 && !stray(nuls, text.len()) {
        return Err(DecodeError::Binary("NUL characters in decoded text".into()));
    }
    let text = if nuls > 0 {
        warnings.push(format!("{nuls} stray NUL characters read as spaces"));
        text.replace('\0', " ")
    } else {
        text.into_owned()
    };
    Ok(Decoded {
        text,
        encoding: encoding_name(enc),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::BIG5;

    const SAMPLE: &str = "2023年度部门整体支出绩效评价报告\n一、部门概况\n东安县网格管理中心属财政全额负担的事业单位，定编8人。\n";

    #[test]
    fn utf8_and_bom() {
        assert_eq!(decode(SAMPLE.as_bytes()).unwrap().encoding, "UTF-8");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(d.text, SAMPLE);
    }

    #[test]
    fn gb18030() {
        let (b, _, _) = GB18030.encode(SAMPLE);
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, SAMPLE);
    }

    #[test]
    fn big5() {
        let t = "部門決算報告\n收入支出決算總表\n單位：萬元\n本年收入合計一千九百六十萬元\n";
        let (b, _, _) = BIG5.encode(t);
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, t);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let le: Vec<u8> = SAMPLE
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&le).unwrap().encoding, "UTF-16LE");
        let mut bom = vec![0xFE, 0xFF];
        bom.extend(SAMPLE.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let d = decode(&bom).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16BE", SAMPLE));
    }

    #[test]
    fn refuses_binary() {
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 8) as u8
            })
            .collect();
        assert!(decode(&noise).is_err());
        assert!(matches!(decode(b"ab\0cd"), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn a_stray_nul_in_long_text_is_a_space() {
        let text = SAMPLE.repeat(80);
        for enc in [encoding_rs::UTF_8, GB18030] {
            let (b, _, _) = enc.encode(&text);
            let mut b = b.into_owned();
            let at = b.iter().position(|&c| c == b'\n').unwrap();
            b[at] = 0;
            let d = decode(&b).unwrap();
            assert_eq!(d.encoding, encoding_name(enc));
            assert_eq!(d.text.chars().filter(|&c| c == ' ').count(), 1);
            assert_eq!(d.warnings[0], "1 stray NUL bytes read as spaces");
        }
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let at = bom.iter().position(|&c| c == b'\n').unwrap();
        bom[at] = 0;
        assert!(decode(&bom).unwrap().warnings[0].contains("NUL"));
    }

    #[test]
    fn empty_is_fine() {
        assert_eq!(decode(b"").unwrap().text, "");
    }
}

//! Legacy (non-Unicode) encodings: GB18030/GBK, Big5 and friends, guessed by chardetng.

use encoding_rs::{Encoding, GB18030, GBK};

/// Bytes of a file chardetng first looks at. chardetng reads about 4 MB/s, so
/// judging every byte of a GB18030 report cost more than decoding and normalising
/// it (see BENCHMARKS.md); a report's opening lines say which CJK encoding it is in
/// about as clearly as the whole file, and [`super::decode`] falls back to judging
/// the whole file when the sample's guess does not decode it cleanly.
const SAMPLE_BYTES: usize = 2 * 1024;
/// A sample must hold this many non-ASCII bytes to be trusted; a file that opens
/// with a long ASCII stretch is judged on all of it.
const SAMPLE_MIN_NON_ASCII: usize = 512;

/// The prefix of `bytes` to judge: whole lines (cut after a `\n`, which is never a
/// trail byte in the double-byte encodings chardetng tells apart), or everything.
fn sample(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= 2 * SAMPLE_BYTES {
        return bytes;
    }
    let Some(nl) = bytes[SAMPLE_BYTES..].iter().position(|&b| b == b'\n') else {
        return bytes;
    };
    let s = &bytes[..SAMPLE_BYTES + nl + 1];
    if s.iter().filter(|&&b| b >= 0x80).count() >= SAMPLE_MIN_NON_ASCII {
        s
    } else {
        bytes
    }
}

/// Is the sample plainly simplified Chinese in GB2312's EUC-CN area, as nearly all
/// GB18030 reports are? Every double-byte pair in A1–F7 × A1–FE (2% tolerance for
/// GBK and four-byte characters), which Big5, Shift_JIS and single-byte text are
/// not; hardly any kana rows (A4/A5), which EUC-JP text is full of; and at least a
/// tenth of the pairs in rows C9–D7, where level-1 Hanzi such as 是 中 在 收 支 总
/// sit and EUC-KR has no Hangul. Anything less plain goes to chardetng.
fn plainly_gb2312(s: &[u8]) -> bool {
    let (mut pairs, mut outside, mut kana, mut late) = (0usize, 0usize, 0usize, 0usize);
    let mut i = 0;
    while i < s.len() {
        let lead = s[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let Some(&trail) = s.get(i + 1) else {
            outside += 1;
            break;
        };
        pairs += 1;
        if !(0xA1..=0xF7).contains(&lead) || !(0xA1..=0xFE).contains(&trail) {
            outside += 1;
        }
        if lead == 0xA4 || lead == 0xA5 {
            kana += 1;
        }
        if (0xC9..=0xD7).contains(&lead) {
            late += 1;
        }
        i += 2;
    }
    pairs >= 64 && outside * 50 <= pairs && kana * 50 <= pairs && late * 10 >= pairs
}

/// The most likely legacy encoding, judged on the opening lines of the file.
pub fn guess(bytes: &[u8]) -> &'static Encoding {
    let s = sample(bytes);
    if plainly_gb2312(s) {
        return GB18030;
    }
    // A prefix is not the end of the stream: chardetng must not judge its last bytes
    // as a truncated character.
    judge(s, s.len() == bytes.len())
}

/// The most likely legacy encoding, judged on every byte.
pub fn guess_whole(bytes: &[u8]) -> &'static Encoding {
    judge(bytes, true)
}

/// GBK is reported as its superset GB18030, which decodes every GBK file
/// identically and also the four-byte sequences GBK lacks.
fn judge(bytes: &[u8], last: bool) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, last);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    if enc == GBK {
        GB18030
    } else {
        enc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::BIG5;

    fn long(s: &str) -> String {
        (0..400).map(|i| format!("{i} {s}\n")).collect()
    }

    #[test]
    fn long_files_are_judged_on_a_sample() {
        let t = long("部门决算报告，收入支出决算总表，单位：万元，本年收入合计一千九百六十万元。");
        let gb = GB18030.encode(&t).0;
        assert!(gb.len() > 2 * SAMPLE_BYTES);
        assert!(sample(&gb).len() < gb.len());
        assert_eq!(guess(&gb), GB18030);
        let tw = long("部門決算報告，收入支出決算總表，單位：萬元，本年收入合計一千九百六十萬元。");
        assert_eq!(guess(&BIG5.encode(&tw).0), BIG5);
    }

    #[test]
    fn only_plain_gb2312_skips_chardetng() {
        use encoding_rs::{EUC_JP, EUC_KR, SHIFT_JIS, WINDOWS_1252};
        let zh = long("部门决算报告，收入支出决算总表，单位：万元，本年收入合计一千九百六十万元。");
        assert!(plainly_gb2312(sample(&GB18030.encode(&zh).0)));
        let tw = long("部門決算報告，收入支出決算總表，單位：萬元，本年收入合計一千九百六十萬元。");
        assert!(!plainly_gb2312(sample(&BIG5.encode(&tw).0)));
        let ko = long("대한민국 헌법은 국민의 기본권을 보장하며 모든 국민은 법 앞에 평등하다.");
        let ja = long("日本国憲法は国民の基本的人権を保障し、すべての国民は法の下に平等である。");
        let fr =
            long("Le budget général de l'État prévoit des crédits supérieurs à l'année dernière.");
        for (enc, text) in [
            (EUC_KR, &ko),
            (EUC_JP, &ja),
            (SHIFT_JIS, &ja),
            (WINDOWS_1252, &fr),
        ] {
            let b = enc.encode(text).0;
            assert!(!plainly_gb2312(sample(&b)), "{}", enc.name());
            assert_eq!(guess(&b), enc, "{}", enc.name());
        }
        // Too little to go on.
        assert!(!plainly_gb2312(&GB18030.encode("决算").0));
    }

    #[test]
    fn ascii_heavy_files_are_judged_whole() {
        let mut b = vec![b'a'; 3 * SAMPLE_BYTES];
        b.push(b'\n');
        b.extend_from_slice(&GB18030.encode(&long("收入支出决算总表")).0);
        assert_eq!(sample(&b).len(), b.len());
    }
}

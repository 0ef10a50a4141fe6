//! Chinese numerals: `一百二十万`, `两千`, `三十五`, 大写 `壹万贰仟`, `四点六`.
//!
//! The integer part is parsed by the `chinese-number` crate (ten-thousand count
//! method, the one used in modern Chinese: 万 = 10⁴, 亿 = 10⁸); a `点` fraction is
//! read digit by digit. Values are exact decimals.

use std::str::FromStr;

use chinese_number::{ChineseCountMethod, ChineseToNumber};
use rust_decimal::Decimal;

/// Digit characters (lower and upper case, 〇 and 两 included).
fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Scale characters inside a numeral.
fn is_scale(c: char) -> bool {
    matches!(
        c,
        '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '萬' | '亿' | '億'
    )
}

/// Can `c` be part of a Chinese numeral?
pub fn is_numeral_char(c: char) -> bool {
    digit_value(c).is_some() || is_scale(c)
}

/// Can a numeral start with `c`? (`万` or `亿` alone are not numbers.)
pub fn starts_numeral(c: char) -> bool {
    digit_value(c).is_some() || matches!(c, '十' | '拾')
}

fn parse_integer(s: &str) -> Option<u64> {
    if s.is_empty() || !s.chars().next().is_some_and(starts_numeral) {
        return None;
    }
    s.to_number(ChineseCountMethod::TenThousand).ok()
}

/// A Chinese numeral at the start of `s`: its value and its length in bytes.
///
/// The longest prefix that parses wins, so `三十五人` reads `三十五` and leaves `人`.
/// A trailing `万`/`亿` is part of the numeral (`一百二十万` is 1 200 000).
pub fn read_chinese(s: &str) -> Option<(Decimal, usize)> {
    let run: Vec<(usize, char)> = s
        .char_indices()
        .take_while(|&(_, c)| is_numeral_char(c))
        .collect();
    if run.is_empty() || !starts_numeral(run[0].1) {
        return None;
    }
    // Longest parsable prefix of the run.
    let mut int = None;
    for k in (1..=run.len()).rev() {
        let end = if k < run.len() {
            run[k].0
        } else {
            end_of(&run)
        };
        if let Some(v) = parse_integer(&s[..end]) {
            int = Some((v, end));
            break;
        }
    }
    let (v, end) = int?;
    let mut value = Decimal::from(v);
    let mut len = end;
    // `四点六`: fraction digits after 点, only when the integer part has no scale
    // characters after its last digit (`一百点五` is not written).
    if let Some(rest) = s[end..].strip_prefix('点') {
        let digits: Vec<u32> = rest.chars().map_while(digit_value).collect();
        if !digits.is_empty() {
            let frac: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
            if let Ok(f) = Decimal::from_str(&format!("0.{frac}")) {
                value += f;
                len = end + '点'.len_utf8() + digits.len() * '一'.len_utf8();
            }
        }
    }
    Some((value, len))
}

fn end_of(run: &[(usize, char)]) -> usize {
    run.last().map_or(0, |&(i, c)| i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn numerals() {
        assert_eq!(read_chinese("一百二十万"), Some((dec!(1200000), 15)));
        assert_eq!(read_chinese("两千"), Some((dec!(2000), 6)));
        assert_eq!(read_chinese("三十五人"), Some((dec!(35), 9)));
        assert_eq!(read_chinese("壹万贰仟元"), Some((dec!(12000), 12)));
        assert_eq!(read_chinese("十"), Some((dec!(10), 3)));
        assert_eq!(read_chinese("一百零五个"), Some((dec!(105), 12)));
        assert_eq!(read_chinese("四点六万"), Some((dec!(4.6), 9)));
        assert_eq!(read_chinese("万元"), None);
        assert_eq!(read_chinese("元"), None);
        assert_eq!(read_chinese(""), None);
    }

    #[test]
    fn longest_parsable_prefix() {
        // `一二三` is not a counted numeral; its first character is.
        assert_eq!(read_chinese("一二三"), Some((dec!(1), 3)));
    }

    proptest! {
        #[test]
        fn never_panics(s in "[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点元人a1 ]{0,12}") {
            if let Some((_, n)) = read_chinese(&s) {
                prop_assert!(n <= s.len() && s.is_char_boundary(n));
            }
        }
    }
}

//! A figure as written in running text or a cell: an optional unit in front
//! (`百分之`), a number (Arabic or Chinese), an optional range end, approximation
//! words, a multiplier (`万`) and a unit word — `1,960.73万元`, `4.6万件`,
//! `35余万人次`, `300-500户`, `百分之九十五`, `三十五人`, `2.1个百分点`.
//!
//! Which words are units, multipliers and approximations is data
//! (`patterns/units.toml`); this module only knows their order.

use rust_decimal::Decimal;

use super::chinese::{read_chinese, starts_numeral};
use super::read_decimal;
use crate::model::Unit;
use crate::patterns::units::Units;

/// One figure read from text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Byte range of the figure in the text it was read from.
    pub start: usize,
    pub end: usize,
    /// Value in the normalised unit (yuan, percent, persons …).
    pub value: Decimal,
    /// Upper end of a range (`300-500户`).
    pub value_max: Option<Decimal>,
    /// `None` for a bare number.
    pub unit: Option<Unit>,
    /// The unit word as written (`万元`, `人次`, `%`), or the multiplier for `150万`.
    pub unit_word: Option<String>,
    /// Id of the unit rule that decided the unit.
    pub unit_rule: Option<String>,
    /// Written with an approximation word after the number (`余`, `以上`).
    pub approx: bool,
    /// A change in percentage points (`个百分点`).
    pub points: bool,
    /// Written in Chinese numerals.
    pub chinese: bool,
}

/// A number (no sign) at the start of `s`: Arabic first, then Chinese.
fn read_number(s: &str) -> Option<(Decimal, usize, bool)> {
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return read_decimal(s).map(|(v, n)| (v, n, false));
    }
    if s.chars().next().is_some_and(starts_numeral) {
        return read_chinese(s).map(|(v, n)| (v, n, true));
    }
    None
}

/// Does a figure (or a prefix unit such as `百分之`) start at `s`?
pub fn starts_figure(s: &str, units: &Units) -> bool {
    read_number(s).is_some() || units.unit_before(s).is_some()
}

/// Read the figure starting at byte `at` of `s`. Returns `None` when no number
/// starts there. A number without a unit word is returned with `unit: None`.
pub fn read_figure(s: &str, at: usize, units: &Units) -> Option<Figure> {
    let rest = s.get(at..)?;
    let mut pos = at;
    let mut unit = None;
    let mut unit_word: Option<String> = None;
    let mut unit_rule = None;
    let mut scale = Decimal::ONE;
    let mut points = false;
    // 百分之九十五
    let prefix = units.unit_before(rest);
    if let Some(p) = prefix {
        pos += p.word.len();
        unit = Some(p.unit);
        unit_word = Some(p.word.clone());
        unit_rule = Some(p.id.clone());
        scale = p.scale;
    }
    let (mut value, n, chinese) = read_number(&s[pos..])?;
    pos += n;
    let mut value_max = None;
    // A range: `300-500`, `300至500`.
    if let Some(sep) = units.range_at(&s[pos..]) {
        if let Some((hi, m, _)) = read_number(&s[pos + sep.len()..]) {
            if hi > value {
                value_max = Some(hi);
                pos += sep.len() + m;
            }
        }
    }
    let mut approx = false;
    let eat_approx = |pos: &mut usize| {
        if let Some(a) = units.approx_at(&s[*pos..], false) {
            // `余`/`多` directly before a unit or multiplier; `以上` may end the figure.
            *pos += a.word.len();
            true
        } else {
            false
        }
    };
    if prefix.is_none() {
        let save = pos;
        let mut a = eat_approx(&mut pos);
        let zero = value.is_zero();
        if let Some(w) = units.unit_after(&s[pos..], zero) {
            pos += w.word.len();
            unit = Some(w.unit);
            unit_word = Some(w.word.clone());
            unit_rule = Some(w.id.clone());
            scale = w.scale;
            points = w.points;
        } else if let Some(m) = units.multiplier(&s[pos..]) {
            pos += m.word.len();
            scale = m.scale;
            a |= eat_approx(&mut pos);
            if let Some(w) = units.unit_after(&s[pos..], zero) {
                pos += w.word.len();
                unit = Some(w.unit);
                unit_word = Some(format!("{}{}", m.word, w.word));
                unit_rule = Some(w.id.clone());
                scale = scale.checked_mul(w.scale)?;
                points = w.points;
            } else if !m
                .not_before
                .iter()
                .any(|w| s[pos..].starts_with(w.as_str()))
            {
                unit = m.bare_unit;
                unit_word = Some(m.word.clone());
                unit_rule = Some(m.id.clone());
            }
        } else if a {
            // `300多平方米`: an approximation word with no unit after it is not ours.
            pos = save;
            a = false;
        }
        approx |= a;
    }
    if unit.is_some() {
        approx |= eat_approx(&mut pos);
    }
    // Absurdly long numbers overflow: not a figure.
    value = value.checked_mul(scale)?;
    let value_max = match value_max {
        Some(v) => Some(v.checked_mul(scale)?),
        None => None,
    };
    Some(Figure {
        start: at,
        end: pos,
        value,
        value_max,
        unit,
        unit_word,
        unit_rule,
        approx,
        points,
        chinese,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn fig(s: &str) -> Option<Figure> {
        let p = crate::patterns::test_set();
        read_figure(s, 0, &p.units)
    }

    fn vu(s: &str) -> (Decimal, Option<Unit>, usize) {
        let f = fig(s).unwrap_or_else(|| panic!("no figure in {s:?}"));
        (f.value, f.unit, f.end)
    }

    #[test]
    fn money() {
        assert_eq!(vu("1,960.73万元"), (dec!(19607300), Some(Unit::Cny), 14));
        assert_eq!(vu("2,001.35万元,"), (dec!(20013500), Some(Unit::Cny), 14));
        assert_eq!(vu("0.86万元"), (dec!(8600), Some(Unit::Cny), 10));
        assert_eq!(vu("60.69万元"), (dec!(606900), Some(Unit::Cny), 11));
        assert_eq!(vu("3763807元"), (dec!(3763807), Some(Unit::Cny), 10));
        assert_eq!(vu("1.5亿元"), (dec!(150000000), Some(Unit::Cny), 9));
        assert_eq!(vu("150万,"), (dec!(1500000), Some(Unit::Cny), 6));
        assert_eq!(vu("0支出"), (dec!(0), Some(Unit::Cny), 7));
        // `支出` is a unit only after an explicit zero.
        assert_eq!(vu("5支出"), (dec!(5), None, 1));
        // A bare 万 is money, unless a measure word says otherwise.
        assert_eq!(vu("2.3万亩"), (dec!(23000), None, 6));
        assert_eq!(vu("1.2亿立方米"), (dec!(120000000), None, 6));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(vu("一百二十万元").0, dec!(1200000));
        assert_eq!(vu("一百二十万元").1, Some(Unit::Cny));
        assert_eq!(vu("两千元").0, dec!(2000));
        assert_eq!(vu("三十五人"), (dec!(35), Some(Unit::Person), 12));
        assert_eq!(vu("壹万贰仟元").0, dec!(12000));
        assert!(fig("三十五人").unwrap().chinese);
    }

    #[test]
    fn rates() {
        assert_eq!(vu("99.6%"), (dec!(99.6), Some(Unit::Percent), 5));
        assert_eq!(vu("121.93%%"), (dec!(121.93), Some(Unit::Percent), 8));
        assert_eq!(vu("百分之九十五"), (dec!(95), Some(Unit::Percent), 18));
        assert_eq!(vu("百分之95.5"), (dec!(95.5), Some(Unit::Percent), 13));
        let f = fig("2.1个百分点").unwrap();
        assert!(f.points);
        assert_eq!((f.value, f.unit), (dec!(2.1), Some(Unit::Percent)));
    }

    #[test]
    fn counts_and_people() {
        assert_eq!(vu("4.6万件"), (dec!(46000), Some(Unit::Count), 9));
        assert_eq!(vu("35人次"), (dec!(35), Some(Unit::Count), 8));
        assert_eq!(vu("8人,"), (dec!(8), Some(Unit::Person), 4));
        assert_eq!(vu("22188名党员"), (dec!(22188), Some(Unit::Person), 8));
        assert_eq!(vu("0辆"), (dec!(0), Some(Unit::Count), 4));
        assert_eq!(vu("9次"), (dec!(9), Some(Unit::Count), 4));
        assert_eq!(vu("2批次"), (dec!(2), Some(Unit::Count), 7));
        assert_eq!(vu("1326个网格"), (dec!(1326), Some(Unit::Count), 7));
        assert_eq!(vu("95分"), (dec!(95), Some(Unit::Score), 5));
        // Not units: the word goes on.
        assert_eq!(vu("572300人口").1, None);
        assert_eq!(vu("5分钟").1, None);
        assert_eq!(vu("3人员").1, None);
        assert_eq!(vu("2023年").1, None);
    }

    #[test]
    fn approximations_and_ranges() {
        let f = fig("1571余件").unwrap();
        assert!(f.approx);
        assert_eq!((f.value, f.unit), (dec!(1571), Some(Unit::Count)));
        let f = fig("35余万人次").unwrap();
        assert!(f.approx);
        assert_eq!(f.value, dec!(350000));
        let f = fig("50万余份").unwrap();
        assert!(f.approx);
        let f = fig("95%以上").unwrap();
        assert!(f.approx);
        assert_eq!(f.end, "95%以上".len());
        let f = fig("300-500户").unwrap();
        assert_eq!((f.value, f.value_max), (dec!(300), Some(dec!(500))));
        assert_eq!(f.unit, Some(Unit::Count));
        // `多` with no unit after it is not part of the figure.
        let f = fig("300多平方米").unwrap();
        assert!(!f.approx);
        assert_eq!((f.unit, f.end), (None, 3));
    }

    #[test]
    fn overflow_is_no_figure() {
        assert!(fig("9999999999999999999999999999亿元").is_none());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,24}", at in 0usize..30) {
            let p = crate::patterns::test_set();
            if let Some(f) = read_figure(&s, at, &p.units) {
                prop_assert!(f.start <= f.end && f.end <= s.len());
                prop_assert!(s.is_char_boundary(f.end));
            }
        }

        #[test]
        fn money_round_trips(int in 0u64..1_000_000_000, frac in 0u32..100) {
            let p = crate::patterns::test_set();
            let s = format!("{int}.{frac:02}万元");
            let f = read_figure(&s, 0, &p.units).unwrap();
            let want = (Decimal::from(int) + Decimal::new(frac as i64, 2)) * Decimal::from(10000);
            prop_assert_eq!(f.value, want);
            prop_assert_eq!(f.end, s.len());
        }

        #[test]
        fn thousands_round_trip(n in 1000u64..1_000_000_000_000) {
            let p = crate::patterns::test_set();
            let digits = n.to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let s = format!("{grouped}元");
            let f = read_figure(&s, 0, &p.units).unwrap();
            prop_assert_eq!(f.value, Decimal::from(n));
        }
    }
}

//! Reading figures as published: `1,960.73`, `2，001.35` (after normalisation
//! `2,001.35`), `0.86`, `3763807`, an optional comparison in front (`≥95%`) and a
//! unit word behind (`万元`, `人次`, `%`) from `patterns/units.toml`.
//!
//! Values are exact decimals (`rust_decimal`): `60.69万元` is 606900, never
//! 606899.99. [`figure::read_figure`] reads figures in running text (Chinese
//! numerals, `百分之`, `个百分点`, multipliers, approximations, ranges) for the facts
//! stage; the indicators stage uses [`parse_quantity`] for target and actual cells.

mod chinese;
mod figure;

pub use chinese::{is_numeral_char, read_chinese};
pub use figure::{read_figure, starts_figure, Figure};

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::{Op, Unit};
use crate::patterns::units::Units;

/// An Arabic number: digits with optional thousands separators (`,`) and a decimal
/// point. Returns the value and the number of bytes read.
pub fn read_decimal(s: &str) -> Option<(Decimal, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if neg {
        i += 1;
    }
    let start = i;
    let mut digits = String::new();
    while i < b.len() {
        match b[i] {
            d @ b'0'..=b'9' => {
                digits.push(d as char);
                i += 1;
            }
            // A thousands separator only between digit groups of three.
            b',' if !digits.is_empty()
                && b.len() >= i + 4
                && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
                && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit()) =>
            {
                i += 1;
            }
            b'.' if !digits.is_empty()
                && !digits.contains('.')
                && b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                digits.push('.');
                i += 1;
            }
            _ => break,
        }
    }
    if i == start || digits.is_empty() {
        return None;
    }
    let mut v = Decimal::from_str(&digits).ok()?;
    if neg {
        v = -v;
    }
    Some((v, i))
}

/// A comparison prefix and its length in bytes.
pub fn read_op(s: &str) -> Option<(Op, usize)> {
    const OPS: [(&str, Op); 10] = [
        ("≥", Op::Ge),
        (">=", Op::Ge),
        ("≧", Op::Ge),
        ("≤", Op::Le),
        ("<=", Op::Le),
        ("≦", Op::Le),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("＝", Op::Eq),
        ("=", Op::Eq),
    ];
    leading(&OPS, s)
}

/// The first of `words` that `s` starts with: its op and length in bytes.
fn leading(words: &[(&str, Op)], s: &str) -> Option<(Op, usize)> {
    words
        .iter()
        .find(|(w, _)| s.starts_with(w))
        .map(|(w, op)| (*op, w.len()))
}

/// A comparison written in words before the figure (`不低于95%`, `超过90%`).
fn read_op_word(s: &str) -> Option<(Op, usize)> {
    const WORDS: [(&str, Op); 14] = [
        ("不低于", Op::Ge),
        ("不少于", Op::Ge),
        ("大于等于", Op::Ge),
        ("至少", Op::Ge),
        ("达到", Op::Ge),
        ("不高于", Op::Le),
        ("不超过", Op::Le),
        ("不多于", Op::Le),
        ("小于等于", Op::Le),
        ("高于", Op::Gt),
        ("超过", Op::Gt),
        ("大于", Op::Gt),
        ("低于", Op::Lt),
        ("小于", Op::Lt),
    ];
    leading(&WORDS, s)
}

/// A comparison written after the figure (`95%以上`, `90%（含）以上`, `3天以内`):
/// the op and where the words start in `tail`.
fn read_op_suffix(tail: &str) -> Option<(Op, usize)> {
    const WORDS: [(&str, Op); 7] = [
        ("(含)以上", Op::Ge),
        ("（含）以上", Op::Ge),
        ("及以上", Op::Ge),
        ("以上", Op::Ge),
        ("及以下", Op::Le),
        ("以下", Op::Le),
        ("以内", Op::Le),
    ];
    WORDS
        .iter()
        .find(|(w, _)| tail.ends_with(w))
        .map(|(w, op)| (*op, tail.len() - w.len()))
}

/// A cell such as `≥95%`, `35人次`, `557.7`, `121.93%%`: the whole text must be one
/// quantity (surrounding spaces allowed). Unit words come from `units`; a bare
/// number has no unit. Returns `(op, value in the normalised unit, unit)`.
pub fn parse_quantity(s: &str, units: &Units) -> Option<(Option<Op>, Decimal, Option<Unit>)> {
    let t = s.trim();
    let (mut op, rest) = match read_op(t).or_else(|| read_op_word(t)) {
        Some((op, n)) => (Some(op), t[n..].trim_start()),
        None => (None, t),
    };
    let (v, n) = read_decimal(rest)?;
    let mut tail = rest[n..].trim();
    if op.is_none() {
        if let Some((o, cut)) = read_op_suffix(tail) {
            op = Some(o);
            tail = tail[..cut].trim_end();
        }
    }
    if tail.is_empty() {
        return Some((op, v, None));
    }
    // `%%` is a doubled percent sign, a frequent slip.
    if tail == "%" || tail == "%%" {
        return Some((op, v, Some(Unit::Percent)));
    }
    let w = units.unit_after(tail, v.is_zero())?;
    if w.word.len() != tail.len() {
        return None;
    }
    Some((op, v.checked_mul(w.scale)?, Some(w.unit)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn decimals() {
        assert_eq!(read_decimal("1,960.73万元"), Some((dec!(1960.73), 8)));
        assert_eq!(read_decimal("3763807 元"), Some((dec!(3763807), 7)));
        assert_eq!(read_decimal("0.86"), Some((dec!(0.86), 4)));
        assert_eq!(read_decimal("12,34"), Some((dec!(12), 2)));
        assert_eq!(read_decimal("2."), Some((dec!(2), 1)));
        assert_eq!(read_decimal("万元"), None);
        assert_eq!(read_decimal("-56.95"), Some((dec!(-56.95), 6)));
    }

    #[test]
    fn quantities() {
        let p = crate::patterns::test_set();
        let u = &p.units;
        assert_eq!(
            parse_quantity("≥95%", u),
            Some((Some(Op::Ge), dec!(95), Some(Unit::Percent)))
        );
        for (cell, op, v) in [
            ("不低于95%", Op::Ge, dec!(95)),
            ("95%以上", Op::Ge, dec!(95)),
            ("90%（含）以上", Op::Ge, dec!(90)),
            ("超过90%", Op::Gt, dec!(90)),
            ("3%以内", Op::Le, dec!(3)),
        ] {
            assert_eq!(
                parse_quantity(cell, u),
                Some((Some(op), v, Some(Unit::Percent))),
                "{cell}"
            );
        }
        assert_eq!(parse_quantity("以上95%", u), None);
        assert_eq!(
            parse_quantity("121.93%%", u),
            Some((None, dec!(121.93), Some(Unit::Percent)))
        );
        assert_eq!(
            parse_quantity("35人次", u),
            Some((None, dec!(35), Some(Unit::Count)))
        );
        assert_eq!(
            parse_quantity("60.69万元", u),
            Some((None, dec!(606900), Some(Unit::Cny)))
        );
        assert_eq!(
            parse_quantity(" 557.7 ", u),
            Some((None, dec!(557.7), None))
        );
        assert_eq!(parse_quantity("及时有效", u), None);
        assert_eq!(parse_quantity("按期完成，截止2023年12月", u), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let p = crate::patterns::test_set();
            let _ = parse_quantity(&s, &p.units);
            let _ = read_decimal(&s);
        }

        #[test]
        fn round_trips(int in 0u64..10_000_000_000, frac in 0u32..100) {
            let s = format!("{int}.{frac:02}");
            let (v, n) = read_decimal(&s).unwrap();
            prop_assert_eq!(n, s.len());
            prop_assert_eq!(v.to_string(), s);
        }
    }
}

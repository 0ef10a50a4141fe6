//! Stage 7: consistency checks — do the report's numbers add up?
//!
//! Each check compares two sides and always reports both (`expected`, `found`),
//! their spans and the rounding tolerance allowed. A check whose inputs are not in
//! the document is `skipped` with the reason, never `pass`. Which figures must add
//! up, which stated rates must equal their ratio and which tables a report needs are
//! data (`patterns/checks.toml`); the shapes that need code — table rows and columns,
//! indicator scores, text against tables — are here. docs/checks.md lists every id.

mod completeness;
mod cross;
mod indicators;
mod rates;
mod sums;
mod tables;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::model::{Check, CheckStatus, Doc, Fact, Span};
use crate::numbers::read_decimal;
use crate::patterns::PatternSet;

/// Run every check on the document, in a stable order.
pub fn run(doc: &Doc, pats: &PatternSet) -> Vec<Check> {
    let mut out = vec![];
    out.extend(tables::run(doc, pats));
    out.extend(sums::run(doc, pats));
    out.extend(rates::run(doc, pats));
    out.extend(indicators::run(doc));
    out.extend(cross::run(doc, pats));
    out.extend(completeness::run(doc, pats));
    out
}

pub(crate) fn num(d: Decimal) -> Value {
    crate::model::decimal_value(d)
}

/// Compare two decimals within `tol`.
pub(crate) fn close(a: Decimal, b: Decimal, tol: Decimal) -> bool {
    (a - b).abs() <= tol
}

pub(crate) fn check(
    id: &str,
    status: CheckStatus,
    expected: Value,
    found: Value,
    message: String,
    spans: Vec<Span>,
    tolerance: Option<Decimal>,
) -> Check {
    Check {
        check: id.to_string(),
        status,
        expected,
        found,
        message,
        spans,
        tolerance: tolerance.map(num),
    }
}

pub(crate) fn skipped(id: &str, reason: impl Into<String>) -> Check {
    check(
        id,
        CheckStatus::Skipped,
        Value::Null,
        Value::Null,
        reason.into(),
        vec![],
        None,
    )
}

/// Digits after the decimal point of the first number in `raw`.
pub(crate) fn decimals(raw: &str) -> u32 {
    let s: String = raw
        .chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    let Some(start) = s.find(|c: char| c.is_ascii_digit()) else {
        return 0;
    };
    match read_decimal(&s[start..]) {
        Some((v, _)) => v.scale(),
        None => 0,
    }
}

/// Rounding a figure can carry: one unit of its last printed digit, and never more
/// than 0.01 of its printed unit (`0.86万元` → 100 元; `15万元` → 100 元; a table
/// cell `2,940.05` in 万元 → 100 元; `189,767,551` 元 → 0.01 元).
/// How far a sum of money figures may miss its total: the coarsest rounding among
/// them times `money_tolerance_digits`.
pub(crate) fn sum_tolerance<'a>(
    pats: &crate::patterns::PatternSet,
    facts: impl Iterator<Item = &'a Fact>,
) -> Decimal {
    facts.map(rounding).max().unwrap_or_default() * pats.checks.money_tolerance_digits
}

pub(crate) fn rounding(f: &Fact) -> Decimal {
    let digit = Decimal::new(1, decimals(&f.raw).max(2));
    let s: String = f
        .raw
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let printed = read_decimal(&s).map(|(v, _)| v).unwrap_or(Decimal::ZERO);
    let scale = if printed.is_zero() {
        if f.raw.contains("亿") {
            Decimal::from(100_000_000)
        } else if f.raw.contains('万') {
            Decimal::from(10_000)
        } else {
            Decimal::ONE
        }
    } else {
        (f.value / printed).abs().round_dp(0).max(Decimal::ONE)
    };
    digit * scale
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::model::{Card, Doc};
    use crate::normalize::NormDoc;

    /// A document with the given text and nothing extracted yet.
    pub fn doc_from(text: &str) -> Doc {
        let norm = NormDoc::new(text.to_string());
        let roles = (0..norm.line_count())
            .map(|i| {
                if norm.line(i).trim().is_empty() {
                    crate::model::LineRole::Blank
                } else {
                    crate::model::LineRole::Text
                }
            })
            .collect();
        let markers = crate::segment::markers(&norm, crate::segment::test_pats());
        Doc {
            doc_id: "0000000000000000".into(),
            path: "test.txt".into(),
            sha256: String::new(),
            bytes: text.len() as u64,
            encoding: "UTF-8".into(),
            norm,
            roles,
            markers,
            sections: vec![],
            tables: vec![],
            indicators: vec![],
            facts: vec![],
            checks: vec![],
            card: Card::default(),
            warnings: vec![],
        }
    }

    pub fn empty_doc() -> Doc {
        doc_from("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FactSource, Unit};
    use rust_decimal_macros::dec;

    pub(crate) fn fact(
        metric: &str,
        basis: crate::model::Basis,
        value: Decimal,
        raw: &str,
    ) -> Fact {
        Fact {
            metric: Some(metric.into()),
            basis: Some(basis),
            subject: None,
            value,
            unit: Unit::Cny,
            raw: raw.into(),
            label: None,
            period: None,
            source: FactSource::Text,
            section_id: Some(1),
            table_id: None,
            span: Span::default(),
            rule: "test".into(),
            approx: false,
            value_max: None,
        }
    }

    #[test]
    fn rounding_of_figures() {
        use crate::model::Basis::Actual;
        assert_eq!(
            rounding(&fact("x", Actual, dec!(8600), "0.86万元")),
            dec!(100)
        );
        assert_eq!(
            rounding(&fact("x", Actual, dec!(29400500), "2,940.05")),
            dec!(100)
        );
        assert_eq!(rounding(&fact("x", Actual, dec!(0), "0 万元")), dec!(100));
        assert_eq!(
            rounding(&fact("x", Actual, dec!(150000), "15万元")),
            dec!(100)
        );
        assert_eq!(
            rounding(&fact("x", Actual, dec!(189767551), "189,767,551")),
            dec!(0.01)
        );
    }
}

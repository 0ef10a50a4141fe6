//! Stage 5: every figure in text and tables, normalised and named.
//!
//! Researchers come for these: each amount, rate, count and score as a number in
//! a standard unit (yuan, percent, persons, counts, points), under a metric of the
//! vocabulary when its wording says which, with the basis it is stated on
//! (年初预算, 决算 …), the project it is about, and the exact characters it came
//! from. Figures whose wording names no vocabulary metric are kept with
//! `metric: null`; an ambiguous one is never guessed.
//!
//! - [`label`]: wording → metric, basis, change sign, fund scope (`patterns/metrics.toml`)
//! - [`text`]: running text (sentences, clauses, labels, neighbours)
//! - [`table`]: table cells under their column header and row label
//! - [`plan`]: a one-row table read by its standard columns when its header is scrambled
//! - [`context`]: document year, default basis, report subject

pub mod context;
pub mod label;
pub mod plan;
pub mod table;
pub mod text;

use crate::model::{Doc, Fact};
use crate::patterns::PatternSet;

/// All figures of the document, in the order of the text.
pub fn extract(doc: &Doc, pats: &PatternSet) -> Vec<Fact> {
    let ctx = context::Context::new(doc, &pats.metrics);
    let mut facts = text::extract(doc, pats, &ctx);
    facts.extend(table::extract(doc, pats, &ctx));
    facts.sort_by(|a, b| a.span.cmp(&b.span).then(a.source.cmp(&b.source)));
    facts
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// No input makes the facts stage panic, and every span stays in the text.
        #[test]
        fn never_panics(s in "[\\PC\\n\\t]{0,200}", tail in "[0-9０-９.,%％万元人个分一二三十百千约余多-]{0,30}") {
            let text = format!("{s}{tail}{s}");
            if let crate::Outcome::Extracted(d) = crate::extract("p.txt", text.as_bytes(), crate::patterns::test_set()) {
                let n = d.norm.source.as_str().chars().count() as u32;
                for f in &d.facts {
                    prop_assert!(f.span.start <= f.span.end && f.span.end <= n);
                }
            }
        }
    }
}

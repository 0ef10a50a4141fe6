//! The types passed between stages, and the records each dataset line is made of.
//!
//! Stages never share anything else: a stage takes the per-document working set
//! ([`Doc`]) built so far and adds its own part. Keeping them here means a new stage
//! (or a new output field) is a change in one place, and the JSON Schemas in
//! `docs/schema/` describe exactly these structs.

mod check;
mod doc;
mod fact;
mod indicator;
mod line;
mod section;
mod span;
mod table;

pub use check::{Check, CheckStatus};
pub use doc::{
    Card, Counts, DocStatus, DocType, DocumentRecord, Grade, Region, RegionLevel, SelfEval,
};
pub use fact::{Basis, Fact, FactSource, Unit};
pub use indicator::{Indicator, Measure, Op};
pub use line::{LineRole, Marker};
pub use section::Section;
pub use span::Span;
pub use table::{Cell, Layout, Table, TableKind};

use crate::normalize::NormDoc;

/// Decimals in the datasets are JSON numbers with exactly their digits (606900, not
/// "606900.00" or 606899.99): normalised, written through serde_json's arbitrary
/// precision numbers.
pub mod decimal_json {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        rust_decimal::serde::arbitrary_precision::serialize(&d.normalize(), s)
    }

    pub mod option {
        use rust_decimal::Decimal;
        use serde::Serializer;

        pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// A decimal as a JSON number value.
pub fn decimal_value(d: rust_decimal::Decimal) -> serde_json::Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(serde_json::Value::Null)
}

/// Everything known about one document while it moves through the pipeline.
/// Each stage fills its own field; the emitter turns it into dataset lines.
#[derive(Debug)]
pub struct Doc {
    pub doc_id: String,
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub encoding: String,
    pub norm: NormDoc,
    /// One role per normalised line.
    pub roles: Vec<LineRole>,
    /// The numbering marker each normalised line starts with.
    pub markers: Vec<Option<Marker>>,
    pub sections: Vec<Section>,
    pub tables: Vec<Table>,
    pub indicators: Vec<Indicator>,
    pub facts: Vec<Fact>,
    pub checks: Vec<Check>,
    pub card: Card,
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    #[test]
    fn decimals_are_exact_json_numbers() {
        let f = super::Measure {
            raw: Some("60.69万元".into()),
            value: Some(dec!(60.69) * dec!(10000)),
            unit: None,
            op: None,
        };
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"raw":"60.69万元","value":606900,"unit":null,"op":null}"#
        );
        assert_eq!(super::decimal_value(dec!(121.9300)).to_string(), "121.93");
    }
}

//! A report of a given kind contains the tables it must publish (`[[required]]`).

use serde_json::json;

use super::{check, skipped};
use crate::model::{Check, CheckStatus, Doc};
use crate::patterns::PatternSet;

pub fn run(doc: &Doc, pats: &PatternSet) -> Vec<Check> {
    let mut out = vec![];
    for r in &pats.checks.required {
        if !doc.card.doc_types.contains(&r.doc_type) {
            out.push(skipped(
                &r.id,
                format!("not a {} document", r.doc_type.as_str()),
            ));
            continue;
        }
        let missing: Vec<&str> = r
            .kinds
            .iter()
            .filter(|k| !doc.tables.iter().any(|t| t.kind == **k))
            .map(|k| k.as_str())
            .collect();
        let present: Vec<&str> = r
            .kinds
            .iter()
            .filter(|k| doc.tables.iter().any(|t| t.kind == **k))
            .map(|k| k.as_str())
            .collect();
        let spans = doc
            .tables
            .iter()
            .filter(|t| r.kinds.contains(&t.kind))
            .map(|t| t.span)
            .collect();
        out.push(check(
            &r.id,
            if missing.is_empty() {
                CheckStatus::Pass
            } else {
                CheckStatus::Fail
            },
            json!(r.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
            json!(present),
            if missing.is_empty() {
                format!("{}: all {} tables present", r.description, r.kinds.len())
            } else {
                format!("{}: missing {}", r.description, missing.join(", "))
            },
            spans,
            None,
        ));
    }
    out
}

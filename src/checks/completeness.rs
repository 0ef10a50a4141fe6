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
            CheckStatus::of(missing.is_empty()),
            json!(r.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()),
            json!(present),
            {
                let head = if missing.is_empty() {
                    format!("{}: all {} tables present", r.description, r.kinds.len())
                } else {
                    format!("{}: missing {}", r.description, missing.join(", "))
                };
                // Tables published as an empty form (`故本表无数据`) are present; say so.
                let empty: Vec<&str> = r
                    .kinds
                    .iter()
                    .filter(|k| {
                        let mut of_kind = doc.tables.iter().filter(|t| t.kind == **k).peekable();
                        of_kind.peek().is_some() && of_kind.all(|t| !has_figures(t))
                    })
                    .map(|k| k.as_str())
                    .collect();
                if empty.is_empty() {
                    head
                } else {
                    format!("{head}; without figures: {}", empty.join(", "))
                }
            },
            spans,
            None,
        ));
    }
    out
}

/// Whether any data cell of the table holds a digit.
fn has_figures(t: &crate::model::Table) -> bool {
    t.rows
        .iter()
        .flatten()
        .any(|c| c.text.chars().any(|c| c.is_ascii_digit()))
}

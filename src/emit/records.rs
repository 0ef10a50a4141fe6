//! Dataset lines: the model types with `doc_id` in front, in the contract's field order.

use serde::Serialize;

use crate::model::{
    Check, Counts, Doc, DocStatus, DocumentRecord, Fact, Indicator, Layout, Region, Section,
    SelfEval, Span, Table, TableKind,
};
use crate::normalize::NormDoc;
use crate::pipeline::Failure;

#[derive(Serialize)]
pub struct WithDoc<'a, T: Serialize> {
    pub doc_id: &'a str,
    #[serde(flatten)]
    pub item: &'a T,
}

/// A `tables.jsonl` line: cells as plain strings.
#[derive(Serialize)]
pub struct TableRecord<'a> {
    pub doc_id: &'a str,
    pub table_id: u32,
    pub section_id: Option<u32>,
    pub kind: TableKind,
    pub title: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub layout: Layout,
    pub header: Vec<Vec<&'a str>>,
    pub rows: Vec<Vec<&'a str>>,
    pub span: Span,
    pub rule: &'a str,
}

impl<'a> TableRecord<'a> {
    pub fn new(doc_id: &'a str, t: &'a Table) -> TableRecord<'a> {
        let cells = |rows: &'a [Vec<crate::model::Cell>]| {
            rows.iter()
                .map(|r| r.iter().map(|c| c.text.as_str()).collect())
                .collect()
        };
        TableRecord {
            doc_id,
            table_id: t.table_id,
            section_id: t.section_id,
            kind: t.kind,
            title: t.title.as_deref(),
            subject: t.subject.as_deref(),
            unit: t.unit.as_deref(),
            layout: t.layout,
            header: cells(&t.header),
            rows: cells(&t.rows),
            span: t.span,
            rule: &t.rule,
        }
    }
}

/// Lines of the decoded text as an editor numbers them: a line break ends a line,
/// so `"a\n"` has one line and an empty file none.
fn text_lines(norm: &NormDoc) -> usize {
    let n = norm.line_count();
    match n.checked_sub(1) {
        Some(last) if norm.source.line_range(last).0 == norm.source.as_str().len() => last,
        _ => n,
    }
}

pub fn document(doc: &Doc, status: DocStatus, errors: Vec<String>) -> DocumentRecord {
    let c = &doc.card;
    DocumentRecord {
        doc_id: doc.doc_id.clone(),
        path: doc.path.clone(),
        sha256: doc.sha256.clone(),
        bytes: doc.bytes,
        encoding: Some(doc.encoding.clone()),
        title: c.title.clone(),
        region: c.region.clone(),
        org: c.org.clone(),
        fiscal_year: c.fiscal_year,
        doc_types: c.doc_types.clone(),
        report_date: c.report_date.clone(),
        self_eval: c.self_eval.clone(),
        counts: Counts {
            lines: text_lines(&doc.norm) as u32,
            chars: doc.norm.source.as_str().chars().count() as u32,
            sections: doc.sections.len() as u32,
            tables: doc.tables.len() as u32,
            indicators: emitted_indicators(&doc.indicators).count() as u32,
            facts: doc.facts.len() as u32,
            checks: doc.checks.len() as u32,
        },
        status,
        errors,
        warnings: doc.warnings.clone(),
    }
}

pub fn failed_document(f: &Failure) -> DocumentRecord {
    DocumentRecord {
        doc_id: f.doc_id.clone(),
        path: f.path.clone(),
        sha256: f.sha256.clone(),
        bytes: f.bytes,
        encoding: f.encoding.clone(),
        title: None,
        region: Region::default(),
        org: None,
        fiscal_year: None,
        doc_types: vec![],
        report_date: None,
        self_eval: SelfEval::default(),
        counts: Counts::default(),
        status: DocStatus::Failed,
        errors: vec![f.error.clone()],
        warnings: vec![],
    }
}

/// Indicator rows that are dataset lines (总分 rows are kept for checks only).
pub fn emitted_indicators(all: &[Indicator]) -> impl Iterator<Item = &Indicator> {
    all.iter().filter(|i| !i.is_total)
}

pub fn section<'a>(doc_id: &'a str, s: &'a Section) -> WithDoc<'a, Section> {
    WithDoc { doc_id, item: s }
}

pub fn fact<'a>(doc_id: &'a str, f: &'a Fact) -> WithDoc<'a, Fact> {
    WithDoc { doc_id, item: f }
}

pub fn indicator<'a>(doc_id: &'a str, i: &'a Indicator) -> WithDoc<'a, Indicator> {
    WithDoc { doc_id, item: i }
}

pub fn check<'a>(doc_id: &'a str, c: &'a Check) -> WithDoc<'a, Check> {
    WithDoc { doc_id, item: c }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Basis, FactSource, Unit};
    use rust_decimal_macros::dec;

    #[test]
    fn lines_as_an_editor_counts_them() {
        for (text, lines) in [
            ("", 0),
            ("\n", 1),
            ("abc", 1),
            ("abc\n", 1),
            ("abc\r\ndef", 2),
            ("abc\rdef\r", 2),
            ("abc\n\n", 2),
            ("abc\n\u{200B}", 2),
        ] {
            assert_eq!(
                text_lines(&NormDoc::new(text.to_string())),
                lines,
                "{text:?}"
            );
        }
    }

    #[test]
    fn fact_line_has_numbers_and_doc_id_first() {
        let f = Fact {
            metric: Some("funds.annual".into()),
            basis: Some(Basis::BudgetInitial),
            subject: None,
            value: dec!(606900.00),
            unit: Unit::Cny,
            raw: "60.69".into(),
            label: None,
            period: Some(2023),
            source: FactSource::Table,
            section_id: None,
            table_id: Some(1),
            span: Span::default(),
            rule: "r".into(),
            approx: false,
            value_max: None,
        };
        let s = serde_json::to_string(&fact("abc", &f)).unwrap();
        assert!(
            s.starts_with(r#"{"doc_id":"abc","metric":"funds.annual","basis":"budget_initial""#),
            "{s}"
        );
        assert!(s.contains(r#""value":606900,"#), "{s}");
    }
}

use serde::Serialize;

use super::Span;

/// One node of a document's heading tree (a `sections.jsonl` line without `doc_id`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Ordinal in the document, from 1.
    pub section_id: u32,
    pub parent: Option<u32>,
    /// 1 = the outermost heading style used in this document.
    pub level: u32,
    /// The numbering as written (`第三部分`, `一、`, `（二）`, `1.`); empty for unnumbered headings.
    pub marker: String,
    /// The number the marker stands for (三 → 3).
    pub ordinal: Option<u32>,
    pub title: String,
    /// Titles from the root down to this section.
    pub path: Vec<String>,
    pub span: Span,
    /// Body text up to the next heading (tables excluded).
    pub text: String,
    /// Pattern rule that recognised the heading.
    pub rule: String,
}

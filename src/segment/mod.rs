//! Stage 3: line roles (cover, table of contents, page furniture) and the heading tree.
//!
//! Headings are recognised by the numbering styles in `patterns/headings.toml`;
//! the outermost style used in a document's body is level 1.

use crate::model::{LineRole, Section};
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

/// First pass: blank lines and body text. Tables are marked by the tables stage.
pub fn classify_lines(norm: &NormDoc, _pats: &PatternSet) -> Vec<LineRole> {
    (0..norm.line_count())
        .map(|i| {
            if norm.line(i).trim().is_empty() {
                LineRole::Blank
            } else {
                LineRole::Text
            }
        })
        .collect()
}

/// Build the heading tree from body lines, marking heading lines in `roles`.
pub fn sections(_norm: &NormDoc, _roles: &mut [LineRole], _pats: &PatternSet) -> Vec<Section> {
    vec![]
}

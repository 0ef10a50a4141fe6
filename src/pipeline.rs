//! One document through every stage: decode → normalise → lines → tables → sections
//! → indicators → facts → card → checks.
//!
//! The pipeline is a pure function of the bytes and the pattern set, which is what
//! makes runs deterministic whatever the thread count.

use sha2::{Digest, Sha256};

use crate::model::{Doc, DocStatus, Table};
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;
use crate::{card, checks, decode, facts, indicators, segment, tables};

/// Limits that protect a run from hostile inputs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are refused (failed document), not read into memory.
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A document that could not be read or decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub doc_id: String,
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub encoding: Option<String>,
    pub error: String,
}

/// What the pipeline made of one input.
#[derive(Debug)]
pub enum Outcome {
    Extracted(Box<Doc>),
    Failed(Failure),
}

impl Outcome {
    pub fn status(&self) -> DocStatus {
        match self {
            Outcome::Extracted(d) if d.status_errors().is_empty() => DocStatus::Ok,
            Outcome::Extracted(_) => DocStatus::Partial,
            Outcome::Failed(_) => DocStatus::Failed,
        }
    }

    pub fn path(&self) -> &str {
        match self {
            Outcome::Extracted(d) => &d.path,
            Outcome::Failed(f) => &f.path,
        }
    }

    pub fn doc_id(&self) -> &str {
        match self {
            Outcome::Extracted(d) => &d.doc_id,
            Outcome::Failed(f) => &f.doc_id,
        }
    }
}

impl Doc {
    /// Errors that make an extracted document `partial`.
    pub fn status_errors(&self) -> Vec<String> {
        vec![]
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `doc_id` of content: the first 16 hex digits of its SHA-256.
pub fn doc_id_of(sha256: &str) -> String {
    sha256[..16].to_string()
}

/// A failure for an input whose bytes could not be read: its id derives from the path.
pub fn unreadable(path: &str, error: String) -> Outcome {
    let sha = sha256_hex(format!("unreadable:{path}").as_bytes());
    Outcome::Failed(Failure {
        doc_id: doc_id_of(&sha),
        path: path.to_string(),
        sha256: String::new(),
        bytes: 0,
        encoding: None,
        error,
    })
}

/// Run every stage on one file's bytes.
pub fn extract(path: &str, bytes: &[u8], pats: &PatternSet) -> Outcome {
    let sha256 = sha256_hex(bytes);
    let doc_id = doc_id_of(&sha256);
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(e) => {
            return Outcome::Failed(Failure {
                doc_id,
                path: path.to_string(),
                sha256,
                bytes: bytes.len() as u64,
                encoding: None,
                error: e.to_string(),
            })
        }
    };
    let norm = NormDoc::new(decoded.text);
    let markers = segment::markers(&norm, pats);
    let mut roles = segment::classify_lines(&norm, &markers, pats);
    let mut tables = tables::find(&norm, &mut roles, pats);
    let titles: Vec<usize> = tables.iter().filter_map(|t| t.title_line).collect();
    let sections = segment::sections(&norm, &markers, &mut roles, &titles, pats);
    assign_sections(&mut tables, &sections);
    let indicators = indicators::extract(&norm, &tables, pats);
    let mut doc = Doc {
        doc_id,
        path: path.to_string(),
        sha256,
        bytes: bytes.len() as u64,
        encoding: decoded.encoding.to_string(),
        norm,
        roles,
        markers,
        sections,
        tables,
        indicators,
        facts: vec![],
        checks: vec![],
        card: Default::default(),
        warnings: decoded.warnings,
    };
    doc.facts = facts::extract(&doc, pats);
    doc.card = card::build(&doc, pats);
    doc.checks = checks::run(&doc, pats);
    Outcome::Extracted(Box::new(doc))
}

/// A table belongs to the last section whose heading precedes it.
fn assign_sections(tables: &mut [Table], sections: &[crate::model::Section]) {
    for t in tables.iter_mut() {
        let line = t.span.line;
        t.section_id = sections
            .iter()
            .take_while(|s| s.span.line <= line)
            .last()
            .map(|s| s.section_id);
    }
}

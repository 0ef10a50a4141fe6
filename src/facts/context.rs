//! What holds for every figure of a document: the year it is about, the basis of
//! money figures whose wording names none (a 预算 document states budgets, a 决算
//! or evaluation report outturns), and a project named by the title of a project
//! self-evaluation report. Read from the title block, before the card stage runs.

use crate::model::{Basis, Doc, Section, Span};
use crate::patterns::metrics::Metrics;

/// Non-blank lines that make up a title block.
const HEAD_LINES: usize = 8;

#[derive(Debug, Clone)]
pub struct Context {
    pub year: Option<i32>,
    pub default_basis: Basis,
    /// Subject of every figure (a project report's project).
    pub subject: Option<String>,
    /// The `alone` metric rules (by index) whose title test this document passes.
    pub alone: Vec<usize>,
}

impl Context {
    pub fn new(doc: &Doc, m: &Metrics) -> Context {
        let head: Vec<&str> = (0..doc.norm.line_count())
            .map(|i| doc.norm.line(i).trim())
            .filter(|l| !l.is_empty())
            .take(HEAD_LINES)
            .collect();
        let head = head.join("\n");
        let year = m
            .year
            .captures(&head)
            .and_then(|c| c.get(1))
            .and_then(|y| y.as_str().parse().ok());
        let default_basis = m
            .doc_basis
            .iter()
            .find(|r| r.re.is_match(&head))
            .map_or(Basis::Actual, |r| r.basis);
        let subject = m.subjects.iter().filter(|s| s.title).find_map(|s| {
            s.re.captures(&head)
                .and_then(|c| c.name("subject"))
                .map(|x| x.as_str().to_string())
        });
        // A title wrapped over two lines (`…高标准农田建设项目` / `支出绩效自评报告`).
        let flat = head.replace('\n', "");
        let alone = (m.alone.iter().enumerate())
            .filter(|(_, r)| {
                r.title
                    .as_ref()
                    .is_none_or(|t| t.is_match(&head) || t.is_match(&flat))
            })
            .map(|(i, _)| i)
            .collect();
        Context {
            year,
            default_basis,
            subject,
            alone,
        }
    }

    /// The year a figure with this basis is about.
    pub fn period(&self, basis: Option<Basis>) -> Option<i32> {
        match basis {
            Some(Basis::PriorYear) => self.year.map(|y| y - 1),
            _ => self.year,
        }
    }
}

/// The innermost section whose heading precedes `span` (sections are in document
/// order and a nested heading follows its parent's).
pub fn section_at(sections: &[Section], span: Span) -> Option<u32> {
    sections
        .iter()
        .take_while(|s| s.span.start <= span.start)
        .last()
        .map(|s| s.section_id)
}

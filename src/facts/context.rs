//! What holds for every figure of a document: the year it is about, the basis of
//! money figures whose wording names none (a 预算 document states budgets, a 决算
//! or evaluation report outturns), and a project named by the title of a project
//! self-evaluation report. Read from the title block, before the card stage runs;
//! a report whose title stands further down the file (a project's 自评报告 after
//! a 基础数据表) has a context of its own from there on.

use crate::model::{Basis, Doc, LineRole, Section, Span};
use crate::patterns::metrics::Metrics;

/// Non-blank lines that make up a title block.
const HEAD_LINES: usize = 8;

/// A later report's title line is at most this many chars.
const PART_TITLE_CHARS: usize = 60;

#[derive(Debug, Clone)]
pub struct Context {
    pub year: Option<i32>,
    pub default_basis: Basis,
    /// Subject of every figure (a project report's project).
    pub subject: Option<String>,
    /// The `alone` metric rules (by index) whose title test this document passes.
    pub alone: Vec<usize>,
    /// Reports that start further down the file (a 基础数据表 then a project's
    /// report): from each title line's first byte, that report's context.
    pub parts: Vec<(usize, Context)>,
}

impl Context {
    pub fn new(doc: &Doc, m: &Metrics) -> Context {
        let mut nonblank =
            (0..doc.norm.line_count()).filter(|&i| !doc.norm.line(i).trim().is_empty());
        let head_lines: Vec<usize> = nonblank.by_ref().take(HEAD_LINES).collect();
        let head: Vec<&str> = head_lines
            .iter()
            .map(|&i| doc.norm.line(i).trim())
            .collect();
        let mut ctx = Context::of_head(&head.join("\n"), m, None);
        // A report's title on a line of its own, set apart by a blank line, opens a
        // part: its words say what the figures after it are.
        let mut prev = head_lines.last().copied().unwrap_or(0);
        for i in nonblank {
            let blank_before = i > prev + 1;
            prev = i;
            if !blank_before
                || !matches!(doc.roles.get(i), Some(LineRole::Text | LineRole::Heading))
            {
                continue;
            }
            let line = doc.norm.line(i).trim().trim_matches(['*', '#', ' ']);
            if !line.ends_with("报告")
                || line.chars().count() > PART_TITLE_CHARS
                || line.contains(['。', '，', '；', '：', ',', ';', ':'])
                || !m
                    .alone
                    .iter()
                    .any(|r| r.title.as_ref().is_some_and(|t| t.is_match(line)))
            {
                continue;
            }
            let part = Context::of_head(line, m, Some(&ctx));
            ctx.parts.push((doc.norm.line_bounds(i).0, part));
        }
        ctx
    }

    /// The context of the report holding byte `at` of the normalised text.
    pub fn at(&self, at: usize) -> &Context {
        self.parts
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .map_or(self, |(_, c)| c)
    }

    /// The context a title block says; a later part's takes the year and basis
    /// of the file's where its own title names none.
    fn of_head(head: &str, m: &Metrics, file: Option<&Context>) -> Context {
        let year = m
            .year
            .captures(head)
            .and_then(|c| c.get(1))
            .and_then(|y| y.as_str().parse().ok())
            .or(file.and_then(|f| f.year));
        let default_basis = m
            .doc_basis
            .iter()
            .find(|r| r.re.is_match(head))
            .map(|r| r.basis)
            .or(file.map(|f| f.default_basis))
            .unwrap_or(Basis::Actual);
        let subject = m.subjects.iter().filter(|s| s.title).find_map(|s| {
            s.re.captures(head)
                .and_then(|c| c.name("subject"))
                .map(|x| x.as_str().to_string())
        });
        // A title wrapped over two lines (`…高标准农田建设项目` / `支出绩效自评报告`).
        let flat = head.replace('\n', "");
        let alone = (m.alone.iter().enumerate())
            .filter(|(_, r)| {
                r.title
                    .as_ref()
                    .is_none_or(|t| t.is_match(head) || t.is_match(&flat))
            })
            .map(|(i, _)| i)
            .collect();
        Context {
            year,
            default_basis,
            subject,
            alone,
            parts: vec![],
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

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
    /// The `[[total_with_part]]` rules (by index) the document's text turns away.
    pub totals_away: Vec<usize>,
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
        // A report's title on a line of its own (or wrapped over two), set apart
        // by a blank line or a page break, opens a part: its words say what the
        // figures after it are.
        let norm = &doc.norm;
        let text_role =
            |i: usize| matches!(doc.roles.get(i), Some(LineRole::Text | LineRole::Heading));
        let title_words = |i: usize| norm.line(i).trim().trim_matches(['*', '#', ' ']);
        let titled = |t: &str| {
            t.chars().count() <= PART_TITLE_CHARS
                && !t.contains(['。', '，', '；', '：', ',', ';', ':'])
                && m.alone
                    .iter()
                    .any(|r| r.title.as_ref().is_some_and(|x| x.is_match(t)))
        };
        // Whether line `i` starts afresh after line `before`.
        let apart = |before: usize, i: usize| {
            i > before + 1
                || norm.lines[i].page_start
                || doc.roles.get(before) == Some(&LineRole::PageFurniture)
        };
        let (mut prev2, mut prev) = (0, head_lines.last().copied().unwrap_or(0));
        for i in nonblank {
            let (p2, p) = (prev2, prev);
            (prev2, prev) = (prev, i);
            if !text_role(i) || !title_words(i).ends_with("报告") {
                continue;
            }
            let start = if apart(p, i) && titled(title_words(i)) {
                i
            } else if apart(p2, p)
                && !apart(p, i)
                && text_role(p)
                && titled(&format!("{}{}", title_words(p), title_words(i)))
            {
                p
            } else {
                continue;
            };
            let words: String = (start..=i).map(title_words).collect();
            let part = Context::of_head(&words, m, Some(&ctx));
            ctx.parts.push((norm.line_bounds(start).0, part));
        }
        // Rules the document's own wording turns away (`not_in_text`); a run-in
        // heading's line (`（一）预算执行情况。…全年执行数…`) is running text too.
        let in_text = |re: &regex::Regex| {
            (0..norm.line_count()).any(|i| {
                matches!(doc.roles.get(i), Some(LineRole::Text | LineRole::Heading))
                    && re.is_match(norm.line(i))
            })
        };
        let turned_away = |rules: Vec<Option<&regex::Regex>>| -> Vec<usize> {
            (rules.into_iter().enumerate())
                .filter(|(_, r)| r.is_some_and(in_text))
                .map(|(i, _)| i)
                .collect()
        };
        let away = turned_away(m.alone.iter().map(|r| r.not_in_text.as_ref()).collect());
        let totals_away = turned_away(
            (m.totals_with_part.iter())
                .map(|r| r.not_in_text.as_ref())
                .collect(),
        );
        for c in ctx.parts.iter_mut().map(|p| &mut p.1) {
            c.alone.retain(|i| !away.contains(i));
            c.totals_away.clone_from(&totals_away);
        }
        ctx.alone.retain(|i| !away.contains(i));
        ctx.totals_away = totals_away;
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
        let subject = m.title_subject(head).map(str::to_string);
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
            totals_away: vec![],
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

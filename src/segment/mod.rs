//! Stage 3: line roles (cover, table of contents, page furniture) and the heading tree.
//!
//! Reports arrive as converter output (DOCX → text, `pdftotext -layout`, Markdown),
//! so a "heading" is only a line that starts with a numbering marker. Most lines
//! that do are not headings: table-of-contents entries, table rows (`一、…收入
//! 2,940.05 一、…支出`), list items of another style, numbers that begin a sentence.
//! The stage therefore first sets aside what is not content ([`classify_lines`]),
//! then keeps the marker lines that are not table rows and make sense as numbering
//! ([`sections`]). Numbering styles and their canonical order live in
//! `patterns/headings.toml`; the outermost style a document's body uses is level 1.

mod cover;
mod furniture;
mod lines;
mod marker;
mod title;
mod toc;
mod tree;

pub use lines::{content, has_sentence_punct, is_table_like};

use crate::model::{LineRole, Marker, Section};
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

/// The numbering marker each line starts with (behind any decoration), found once
/// per document and passed to the later passes and stages.
pub fn markers(norm: &NormDoc, pats: &PatternSet) -> Vec<Option<Marker>> {
    marker::of_lines(norm, &pats.headings)
}

/// First pass: blank lines, page furniture, tables of contents, cover pages; the
/// rest is text. Tables are marked by the tables stage, headings by [`sections`].
pub fn classify_lines(
    norm: &NormDoc,
    marks: &[Option<Marker>],
    pats: &PatternSet,
) -> Vec<LineRole> {
    let mut roles: Vec<LineRole> = (0..norm.line_count())
        .map(|i| {
            if norm.line(i).trim().is_empty() {
                LineRole::Blank
            } else {
                LineRole::Text
            }
        })
        .collect();
    let own;
    let marks = if marks.len() == norm.line_count() {
        marks
    } else {
        own = markers(norm, pats);
        &own
    };
    furniture::mark(norm, pats, &mut roles);
    toc::mark(norm, marks, pats, &mut roles);
    cover::mark(norm, pats, &mut roles);
    roles
}

/// The embedded pattern set, loaded once for all unit tests.
#[cfg(test)]
pub(crate) fn test_pats() -> &'static PatternSet {
    static P: std::sync::OnceLock<PatternSet> = std::sync::OnceLock::new();
    P.get_or_init(|| PatternSet::embedded().expect("embedded patterns"))
}

/// `line` without its Markdown / list / bold decorations at the start, and
/// without `**` anywhere.
pub fn undecorated(line: &str, pats: &PatternSet) -> String {
    let off = marker::skip_decorations(line, 0, &pats.headings);
    let mut s = line[off..].to_string();
    for d in pats.headings.decorations.iter().filter(|d| d.anywhere) {
        s = d.re.replace_all(&s, "").into_owned();
    }
    s.trim().to_string()
}

/// Build the heading tree from body lines, marking heading lines in `roles`.
pub fn sections(
    norm: &NormDoc,
    marks: &[Option<Marker>],
    roles: &mut [LineRole],
    table_titles: &[usize],
    pats: &PatternSet,
) -> Vec<Section> {
    if roles.len() != norm.line_count() || marks.len() != norm.line_count() {
        return vec![];
    }
    tree::build(norm, marks, roles, table_titles, pats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the genre's pieces: markers, figures, punctuation, layout.
    fn genre_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("一、".to_string()),
            Just("（二）".to_string()),
            Just("(1)".to_string()),
            Just("2.".to_string()),
            Just("3、".to_string()),
            Just("第一部分".to_string()),
            Just("附件三".to_string()),
            Just("①".to_string()),
            Just("# ".to_string()),
            Just("**".to_string()),
            Just("- ".to_string()),
            Just("目 录".to_string()),
            Just("(此页为封面)".to_string()),
            Just("- 3 -".to_string()),
            Just("……".to_string()),
            Just("2023年度".to_string()),
            Just("情况说明 ".to_string()),
            Just("部门决算".to_string()),
            Just("上海市普陀区财政局".to_string()),
            Just("自评结论：95分，优".to_string()),
            Just("总分".to_string()),
            Just("预算部门名称".to_string()),
            Just("2,940.05".to_string()),
            Just("。".to_string()),
            Just("：".to_string()),
            Just("   ".to_string()),
            Just("\t".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("\u{c}".to_string()),
            "\\PC{0,4}",
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics_and_stays_consistent(text in genre_text()) {
            let pats = test_pats();
            let out = crate::pipeline::extract("p.txt", text.as_bytes(), pats);
            if let crate::pipeline::Outcome::Extracted(doc) = out {
                prop_assert_eq!(doc.roles.len(), doc.norm.line_count());
                for (k, s) in doc.sections.iter().enumerate() {
                    prop_assert_eq!(s.section_id as usize, k + 1);
                    prop_assert!(s.level >= 1);
                    prop_assert!(s.parent.is_none_or(|p| p < s.section_id));
                    prop_assert!(!s.title.is_empty());
                    prop_assert!(s.span.start <= s.span.end);
                    prop_assert_eq!(s.path.last(), Some(&s.title));
                }
            }
        }
    }
}

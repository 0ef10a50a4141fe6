//! Joining lines that a converter broke mid-sentence back into running text.

use super::{MappedText, NormDoc};

/// Characters after which a line break is a real one.
pub fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | ';' | '；' | ':' | '：' | '…'
    )
}

/// Join lines into running text.
///
/// A break is dropped (the lines run on) when the earlier line does not end a
/// sentence, is not short (a heading or a paragraph's last line is short), and is at
/// least about as wide as the next one; this is how PDF and DOCX hard wraps look.
/// Other breaks, and blank lines, are kept as one `\n`. Indentation and trailing
/// spaces of each line are dropped.
pub fn join_lines(doc: &NormDoc, lines: &[usize]) -> MappedText {
    let text = doc.text.as_str();
    let mut out = MappedText::with_capacity(lines.len() * 64);
    // (line index, last char, display width incl. indentation) of the last line pushed
    let mut prev: Option<(usize, char, usize)> = None;
    for &i in lines {
        let (a, b) = doc.line_bounds(i);
        let s = &text[a..b];
        let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
        let trail = s.len() - s.trim_end_matches([' ', '\t']).len();
        let (ca, cb) = (a + lead, (b - trail).max(a + lead));
        let content = &text[ca..cb];
        let width = s.trim_end().chars().count();
        if let Some((pl, last, pwidth)) = prev {
            let soft = !content.is_empty()
                && pl + 1 == i
                && !ends_sentence(last)
                && pwidth >= 12
                && pwidth + 4 >= width;
            if soft {
                let first = content.chars().next().unwrap_or(' ');
                if last.is_ascii_alphabetic() && first.is_ascii_alphanumeric() {
                    let (s0, _) = doc.text.source_range(ca, ca);
                    out.push(' ', s0, s0);
                }
            } else if !out.is_empty() {
                let (s0, _) = doc.text.source_range(ca, ca);
                out.push('\n', s0, s0);
            }
        }
        out.push_from(&doc.text, ca, cb);
        prev = Some(match content.chars().last() {
            Some(c) => (i, c, width),
            None => (i, '。', 0),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::normalize::NormDoc;

    #[test]
    fn joins_hard_wraps_only() {
        let doc = NormDoc::new(
            "一、概况\n  上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入\n支出总计减少56.95万元。\n二、下一节".to_string(),
        );
        let j = super::join_lines(&doc, &[0, 1, 2, 3]);
        assert_eq!(
            j.as_str(),
            "一、概况\n上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比,收入支出总计减少56.95万元。\n二、下一节"
        );
        let (s, e) = j.source_range(0, j.len());
        assert_eq!((s, e as usize), (0, doc.source.as_str().len()));
    }
}

//! Numbering markers at the start of a line: `第三部分`, `一、`, `(二)`, `3.`, `(1)`,
//! `①`, `附件四`, behind any Markdown `#`, list bullet or `**` decoration.

pub use crate::model::Marker;
use crate::normalize::NormDoc;
use crate::patterns::headings::{ordinal, Headings};

/// Skip spaces and decorations (`#`, bullets, `**`) from byte `off` of `s`.
pub fn skip_decorations(s: &str, mut off: usize, h: &Headings) -> usize {
    for _ in 0..8 {
        let before = off;
        off += s[off..].len() - s[off..].trim_start_matches([' ', '\t']).len();
        if !h.decoration_start.is_match(&s[off..]) {
            // No decoration starts here (one test for all of them).
            if off == before {
                break;
            }
            continue;
        }
        for d in &h.decorations {
            if let Some(m) = d.re.find(&s[off..]) {
                if m.start() == 0 && m.end() > 0 {
                    off += m.end();
                }
            }
        }
        if off == before {
            break;
        }
    }
    off.min(s.len())
}

/// The marker of every line, found once: line roles, the table of contents, the
/// heading tree and the card all ask about the same lines.
pub fn of_lines(norm: &NormDoc, h: &Headings) -> Vec<Option<Marker>> {
    (0..norm.line_count())
        .map(|i| find(norm.line(i), norm.line_bounds(i).0, h))
        .collect()
}

/// The marker at the start of `s` (a line or the rest of one), which begins at
/// absolute offset `base`.
pub fn find(s: &str, base: usize, h: &Headings) -> Option<Marker> {
    // One automaton for all styles and decorations first: most lines start with
    // neither and need no further regex.
    if !h.starts.is_match(s.trim_start_matches([' ', '\t'])) {
        return None;
    }
    let off = skip_decorations(s, 0, h);
    let rest = &s[off..];
    for (idx, style) in h.styles.iter().enumerate() {
        let Some(c) = style.re.captures(rest) else {
            continue;
        };
        let whole = c.get(0)?;
        if whole.start() != 0 {
            continue;
        }
        let Some(ord) = c.name("num").and_then(|m| ordinal(m.as_str())) else {
            continue;
        };
        let after = &rest[whole.end()..];
        if style
            .never_after
            .as_ref()
            .is_some_and(|n| n.is_match(after))
        {
            continue;
        }
        let weak = style.weak_after.as_ref().is_some_and(|w| w.is_match(after));
        // The marker as written ends before trailing spaces and separators.
        let marker_text = rest[..whole.end()].trim_end_matches([' ', '\t', ':']);
        // A separator after the marker (`第一部分：概况`) is not part of the title.
        let mut title_start = skip_decorations(s, off + whole.end(), h);
        while let Some(c) = s[title_start..]
            .chars()
            .next()
            .filter(|c| matches!(c, ':' | '：'))
        {
            title_start = skip_decorations(s, title_start + c.len_utf8(), h);
        }
        return Some(Marker {
            style: idx,
            ordinal: ord,
            start: base + off,
            end: base + off + marker_text.len(),
            title_start: base + title_start,
            weak,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::PatternSet;
    use proptest::prelude::*;

    fn pats() -> &'static PatternSet {
        crate::segment::test_pats()
    }

    fn id(p: &PatternSet, m: &Marker) -> String {
        p.headings.styles[m.style].id.clone()
    }

    #[test]
    fn every_style() {
        let p = pats();
        let h = &p.headings;
        for (line, style, ord, marker) in [
            ("第三部分 情况说明", "heading.part", 3, "第三部分"),
            ("十一、政府采购", "heading.cn_comma", 11, "十一、"),
            ("(二)机构设置", "heading.cn_paren", 2, "(二)"),
            ("1、平台建设", "heading.arabic", 1, "1、"),
            ("3. 持续抓好", "heading.arabic_dot", 3, "3."),
            ("(1)绩效管理", "heading.arabic_paren", 1, "(1)"),
            ("②加强", "heading.circled", 2, "②"),
            ("附件四", "heading.appendix", 4, "附件四"),
            ("附件3:项目表", "heading.appendix", 3, "附件3"),
            ("# 一、项目基本情况", "heading.cn_comma", 1, "一、"),
            ("### (一)项目概况", "heading.cn_paren", 1, "(一)"),
            ("- 1、网格化", "heading.arabic", 1, "1、"),
            ("**六、 评价工作组**", "heading.cn_comma", 6, "六、"),
            ("C、公务接待费", "heading.latin", 3, "C、"),
            ("二.项目支出", "heading.cn_comma", 2, "二."),
        ] {
            let m = find(line, 0, h).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(id(p, &m), style, "{line}");
            assert_eq!(m.ordinal, ord, "{line}");
            assert_eq!(&line[m.start..m.end], marker, "{line}");
        }
        let m = find("第一部分:部门概况", 0, h).unwrap();
        assert_eq!(&"第一部分:部门概况"[m.title_start..], "部门概况");
        let m = find("**六、 评价工作组**", 0, h).unwrap();
        assert_eq!(&"**六、 评价工作组**"[m.title_start..], "评价工作组**");
    }

    #[test]
    fn weak_and_non_markers() {
        let p = pats();
        let h = &p.headings;
        assert!(find("2.2023年“三公经费”", 0, h).unwrap().weak);
        assert!(!find("2. 加强", 0, h).unwrap().weak);
        for s in [
            "2023年度",
            "一是保障",
            "目标 1:",
            "附件:1、表",
            "第一条 根据",
            "",
        ] {
            assert_eq!(find(s, 0, h), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let p = pats();
            if let Some(m) = find(&s, 0, &p.headings) {
                prop_assert!(m.start <= m.end && m.end <= m.title_start && m.title_start <= s.len());
                prop_assert!(s.is_char_boundary(m.title_start));
            }
        }
    }
}

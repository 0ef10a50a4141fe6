//! Joining lines that a converter broke mid-sentence back into running text.

use super::{is_han, MappedText, NormDoc};

/// Characters after which a line break is a real one.
pub fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | ';' | '；' | ':' | '：' | '…'
    )
}

/// Blank lines a hard wrap may span: double-spaced PDF text puts one between every
/// two lines of a paragraph (`…收入支出总计增加 1062.85` / blank / `万元，增长…`).
const MAX_BLANK_GAP: usize = 2;

/// Display width in columns as a layout converter counts them: Han characters and
/// full-width forms take two (normalised lines have ASCII for full-width ASCII).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if c == '\t' {
                4
            } else if is_han(c)
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF00}'..='\u{FF60}').contains(&c)
                || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Does the line start a heading or a list item (`一、`, `（二）`, `3、`, `1.`,
/// `第三部分`)? Such a line never continues the one before.
fn starts_item(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t', '-', '*', '#', '•', '·']);
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if first == '第' {
        let rest: String = chars.clone().take(6).collect();
        return rest.contains('部') || rest.contains('章') || rest.contains('节');
    }
    if first == '(' || first == '（' {
        let inner: String = chars
            .clone()
            .take_while(|c| *c != ')' && *c != '）')
            .collect();
        return !inner.is_empty()
            && inner.chars().count() <= 3
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    }
    let numeral: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .collect();
    if numeral.is_empty() || numeral.chars().count() > 3 {
        return false;
    }
    let after = &t[numeral.len()..];
    let mut a = after.chars();
    match a.next() {
        Some('、') => true,
        // `1.` / `1．` but not a decimal (`9859.38`).
        Some('.') | Some('．') => !a.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Does the line open with the unit of a figure the line before ends with
/// (`…支出1,234.56` / `万元，…`)? Such a break is a wrap whatever the widths.
fn starts_with_unit(s: &str) -> bool {
    ["万元", "亿元", "元", "%", "％", "个百分点"]
        .iter()
        .any(|u| s.starts_with(u))
}

/// Does the line open with a figure and its unit (`33874.26万元，…`)?
fn starts_with_figure(s: &str) -> bool {
    let n = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(s.len());
    n > 0 && s.as_bytes()[0].is_ascii_digit() && starts_with_unit(&s[n..])
}

/// Does the line end on words that a figure must follow (`…收、支总计各增加` /
/// `3215.46万元`)? A line of PDF text with figures in it looks short (the spaces
/// around its figures are gone), so its width says nothing.
fn wants_figure(s: &str) -> bool {
    [
        "增加",
        "减少",
        "增长",
        "下降",
        "为",
        "达到",
        "共计",
        "合计",
        "总计",
        "预算数",
        "执行数",
        "决算数",
    ]
    .iter()
    .any(|w| s.ends_with(w))
}

/// Leading spaces of a source line, in columns.
fn indent(s: &str) -> usize {
    display_width(&s[..s.len() - s.trim_start().len()])
}

/// Join lines into running text.
///
/// A break is dropped (the lines run on) when the earlier line does not end a
/// sentence, is not short (a heading or a paragraph's last line is short), and is
/// at least about as wide as the next one (less so when the next one opens with
/// a figure and its unit, which did not fit); this is how PDF and DOCX hard wraps
/// look. Up to two blank lines may sit inside such a wrap (double-spaced PDF text).
/// A next line that starts a list item or heading, is indented deeper than the
/// earlier one (a new paragraph), or holds tabs (a table row) keeps its break.
/// Other breaks are kept as one `\n`; blank lines only separate. Indentation and trailing
/// spaces of each line are dropped. Widths are display columns of the normalised
/// line (Han characters count two), so full-width digits do not change the result.
pub fn join_lines(doc: &NormDoc, lines: &[usize]) -> MappedText {
    join_lines_breaking(doc, lines, |_| false, |_| false)
}

/// [`join_lines`], keeping every break after a line `hard_after` names (a heading
/// line that is all title), and letting a wrap span the lines `transparent` names
/// (a page number or running header between a page's last line and the next's
/// first) as it spans blank lines.
pub fn join_lines_breaking(
    doc: &NormDoc,
    lines: &[usize],
    hard_after: impl Fn(usize) -> bool,
    transparent: impl Fn(usize) -> bool,
) -> MappedText {
    let text = doc.text.as_str();
    let mut out = MappedText::with_capacity(lines.len() * 64);
    // (line index, last char, display width, indentation, has tabs) of the last line pushed
    let mut prev: Option<(usize, char, usize, usize, bool)> = None;
    // Content bounds of the last line pushed.
    let (mut pa, mut pb) = (0, 0);
    for &i in lines {
        let (a, b) = doc.line_bounds(i);
        let s = &text[a..b];
        let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
        let trail = s.len() - s.trim_end_matches([' ', '\t']).len();
        let (ca, cb) = (a + lead, (b - trail).max(a + lead));
        let content = &text[ca..cb];
        // Blank lines only count as gaps between the lines around them.
        if content.is_empty() {
            continue;
        }
        let width = display_width(s.trim_end());
        let ind = indent(s);
        let tabs = s.contains('\t');
        if let Some((pl, last, pwidth, pind, ptabs)) = prev {
            let between = || pl + 1..i.min(doc.line_count());
            let furniture = between().filter(|&k| transparent(k)).count();
            let gap_blank = pl < i
                && i - pl - 1 <= MAX_BLANK_GAP + furniture * 3
                && between().all(|k| transparent(k) || doc.line(k).trim().is_empty());
            // A figure with its unit that did not fit ends the line early by up
            // to its own width (`…，决算` / `33874.26万元，执行率…`).
            let slack = if starts_with_figure(content) { 16 } else { 8 };
            let wrapped = (pwidth >= 24 && pwidth + slack >= width && !(ind >= 2 && ind > pind))
                || (last.is_ascii_digit() && starts_with_unit(content))
                || (wants_figure(&text[pa..pb])
                    && content.starts_with(|c: char| c.is_ascii_digit()));
            // A breakdown opened at a line's end (`…18,634.20万元。其中：` /
            // `基本支出…`) goes on in the wrapped line, unlike a list's intro.
            let opens_parts = || {
                let p = text[pa..pb].trim_end_matches(':');
                p.len() < pb - pa && p.ends_with("其中")
            };
            let soft = gap_blank
                && !hard_after(pl)
                && (!ends_sentence(last) || opens_parts())
                && wrapped
                && !tabs
                && !ptabs
                && !starts_item(content);
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
        let last = content.chars().last().unwrap_or('。');
        prev = Some((i, last, width, ind, tabs));
        (pa, pb) = (ca, cb);
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

    #[test]
    fn joins_across_blank_lines_of_double_spaced_text() {
        let src = "   一、收入支出决算总体情况说明\n\n   上海市普陀区规划和自然资源局 2024 年度收入支出总计\n\n9859.38 万元。与 2023 年度相比，收入支出总计增加 1062.85\n\n万元，增长 12.08%。\n\n   二、收入决算情况说明";
        let doc = NormDoc::new(src.to_string());
        let all: Vec<usize> = (0..doc.line_count()).collect();
        let j = super::join_lines(&doc, &all);
        let paras: Vec<&str> = j.as_str().split('\n').filter(|p| !p.is_empty()).collect();
        assert_eq!(
            paras,
            [
                "一、收入支出决算总体情况说明",
                "上海市普陀区规划和自然资源局2024年度收入支出总计9859.38万元。与2023年度相比,收入支出总计增加1062.85万元,增长12.08%。",
                "二、收入决算情况说明"
            ]
        );
    }

    /// Regression: a line ended early by a figure that did not fit lost the
    /// figure's label (`…，决算` / `33874.26万元，执行率99.33%，…`).
    #[test]
    fn a_figure_that_did_not_fit_continues_the_line() {
        let doc = NormDoc::new("   从支出结构看，基本支出调整预算34102.58万元，决算\n33874.26万元，执行率99.33%，其中人员经费31206.45万元、公用经费\n".to_string());
        let j = super::join_lines(&doc, &[0, 1]);
        assert!(j.as_str().contains("决算33874.26万元"), "{}", j.as_str());
    }

    /// Regression: a `其中：` wrapped at a line's end cut the parts from their total
    /// (they took the document's basis, not the adjusted budget's).
    #[test]
    fn a_breakdown_opened_at_the_line_end_goes_on() {
        let doc = NormDoc::new("年中追加转移支付资金后，调整后全年预算9,421.60万元，预算调整率12.40%。其中：\n基本支出1,318.25万元，项目支出8,103.35万元。\n一、主要做法如下：\n（一）加强预算管理。\n".to_string());
        let all: Vec<usize> = (0..doc.line_count()).collect();
        let j = super::join_lines(&doc, &all);
        assert!(j.as_str().contains("其中:基本支出"), "{}", j.as_str());
        assert!(j.as_str().contains("如下:\n"), "{}", j.as_str());
    }

    #[test]
    fn a_unit_opening_the_next_line_continues_a_short_figure_line() {
        let doc =
            NormDoc::new("年初预算数为1,234.56\n万元，执行率\n98.5\n%。\n支出12\n项".to_string());
        let all: Vec<usize> = (0..doc.line_count()).collect();
        let j = super::join_lines(&doc, &all);
        assert_eq!(
            j.as_str(),
            "年初预算数为1,234.56万元,执行率\n98.5%。\n支出12\n项"
        );
        let doc = NormDoc::new("与上年相比,收、支总计各增加\n3215.46万元,增长3.43%。主要原因是人员经费增加和城区学校扩容建设项目资金增加\n一、概况\n2023年度".to_string());
        let all: Vec<usize> = (0..doc.line_count()).collect();
        let j = super::join_lines(&doc, &all);
        assert!(
            j.as_str()
                .starts_with("与上年相比,收、支总计各增加3215.46万元"),
            "{}",
            j.as_str()
        );
        assert!(j.as_str().contains("\n一、概况\n2023年度"));
        let doc = NormDoc::new(
            "某县2023年食品安全抽检监测项目全年预算数\n85.00万元,执行数83.62万元。".to_string(),
        );
        let j = super::join_lines(&doc, &[0, 1]);
        assert!(!j.as_str().contains('\n'), "{}", j.as_str());
    }

    #[test]
    fn a_wrap_spans_a_page_number() {
        let src =
            "调整后全年预算数为5,247.68万元,其中基本支出,项目支出和其他\n1\n\u{c}1,082.46万元。";
        let doc = NormDoc::new(src.to_string());
        let lines = [0, 2];
        let j = super::join_lines_breaking(&doc, &lines, |_| false, |k| k == 1);
        assert_eq!(
            j.as_str(),
            "调整后全年预算数为5,247.68万元,其中基本支出,项目支出和其他1,082.46万元。"
        );
        let j = super::join_lines_breaking(&doc, &lines, |_| false, |_| false);
        assert!(j.as_str().contains('\n'));
    }

    #[test]
    fn keeps_items_tables_and_new_paragraphs_apart() {
        let src = "这是一段很长很长的正文文字，用来说明本单位的基本情况和主要职能，没有句号\n1、第一项内容说明\n这是一段很长很长的正文文字，用来说明本单位的基本情况和主要职能，没有句号\n\t年度资金总额\n\t60.69\n这是一段很长很长的正文文字，用来说明本单位的基本情况和主要职能，没有句号\n    新的一段开始了，缩进比上一行深，所以是另一段的开头文字";
        let doc = NormDoc::new(src.to_string());
        let all: Vec<usize> = (0..doc.line_count()).collect();
        let j = super::join_lines(&doc, &all);
        assert_eq!(j.as_str().split('\n').count(), 7, "{}", j.as_str());
    }

    #[test]
    fn item_markers() {
        for s in [
            "一、概况",
            "（二）项目",
            "(3)内容",
            "3、内容",
            "1. 内容",
            "第三部分 说明",
            "- 2、内容",
        ] {
            assert!(super::starts_item(s), "{s}");
        }
        for s in ["9859.38 万元", "2023年度", "一般公共预算", "万元，增长"] {
            assert!(!super::starts_item(s), "{s}");
        }
    }
}

//! A heading's title: where it is, where it ends, and its text as written.
//!
//! - A marker alone on its line (`第一部分`, `附件四`) takes the next line as title.
//! - A run-in title ends at the earliest cut of `patterns/headings.toml`
//!   (`1、平台建设率先垂范。我县…` → `平台建设率先垂范`); the rest is body text.
//!   Cuts see the source's spacing, so `…情况说明 2021 年度…` can be told from
//!   `…局 2024 年度部门决算情况说明`.
//! - Without a cut, a title hard-wrapped by the converter runs on into the next
//!   line (`…决算情况` / `说明`), also across the blank lines pdftotext puts
//!   between them when the continuation is a short tail.

use super::lines::{
    content, has_sentence_punct, is_figures as lines_is_figures, is_table_like, lead, width,
};
use super::marker::{self, Marker};
use crate::model::{LineRole, Span};
use crate::normalize::{join_lines, MappedText, NormDoc};
use crate::patterns::headings::Cut;
use crate::patterns::PatternSet;

/// Lines a marker standing alone may look ahead for its title.
const ALONE_LOOKAHEAD: usize = 4;
/// A title shorter than this was not hard-wrapped.
const MIN_WRAPPED_CHARS: usize = 10;
/// Lines a title may run on over.
const MAX_WRAPS: usize = 4;
/// A wrapped tail after blank lines is short (`说明`, `情况说明`) …
const MAX_TAIL_CHARS: usize = 6;
/// … and follows a long title line.
const MIN_TAILED_CHARS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub struct Title {
    /// As written in the source, line breaks and decorations removed.
    pub text: String,
    /// Marker and title in the source.
    pub span: Span,
    /// Lines the title takes besides the marker's.
    pub extra_lines: Vec<usize>,
    /// Where body text starts on the title's last line (absolute normalised offset).
    pub body_from: Option<(usize, usize)>,
    /// A nested heading starts here (absolute normalised offset on the marker's line).
    pub nested_at: Option<usize>,
}

impl Title {
    /// The line the title ends on.
    pub fn last_line(&self, marker_line: usize) -> usize {
        self.extra_lines.last().copied().unwrap_or(marker_line)
    }
}

/// Absolute normalised bounds of line `i`'s content.
fn bounds(norm: &NormDoc, i: usize) -> (usize, usize) {
    let (a, _) = norm.line_bounds(i);
    let line = norm.line(i);
    let t = content(line);
    let s = a + lead(line);
    (s, s + t.len())
}

fn is_candidate(norm: &NormDoc, pats: &PatternSet, i: usize) -> bool {
    let (a, _) = norm.line_bounds(i);
    marker::find(norm.line(i), a, &pats.headings).is_some()
}

/// A line that may carry (part of) a title.
/// `alone`: the title of a marker standing alone, which may be a cover's title or
/// the title line the tables stage gave to its table (`附件一` / `…基础数据表`).
fn usable(norm: &NormDoc, pats: &PatternSet, roles: &[LineRole], i: usize, alone: bool) -> bool {
    let ok_role = roles[i] == LineRole::Text
        || (alone && matches!(roles[i], LineRole::Cover | LineRole::Table));
    ok_role && !is_candidate(norm, pats, i) && !is_table_like(norm.line(i), 0)
}

fn next_nonblank(roles: &[LineRole], from: usize, within: usize) -> Option<usize> {
    (from..roles.len().min(from + within)).find(|&k| roles[k] != LineRole::Blank)
}

/// The title of the heading whose marker `m` is on line `line`. `page_width` is the
/// width of a full line of running text in this document (see [`page_width`]).
pub fn extract(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    line: usize,
    m: &Marker,
    page_width: Option<usize>,
) -> Option<Title> {
    let (_, le) = bounds(norm, line);
    let text = norm.text.as_str();
    let mut pieces: Vec<(usize, usize, usize)> = vec![];
    let mut extra = vec![];
    let rest = text.get(m.title_start..le.max(m.title_start)).unwrap_or("");
    if strip_anywhere(pats, rest).trim().is_empty() {
        let j = next_nonblank(roles, line + 1, ALONE_LOOKAHEAD)?;
        if !usable(norm, pats, roles, j, true) || has_sentence_punct(content(norm.line(j))) {
            return None;
        }
        let (a, b) = bounds(norm, j);
        pieces.push((j, a, b));
        extra.push(j);
    } else {
        pieces.push((line, m.title_start, le));
    }

    let found;
    loop {
        let mapped = build(norm, &pieces);
        let (spaced, map) = spaced_view(norm, &mapped);
        if let Some(c) = first_cut(&pats.headings.cuts, &spaced) {
            found = Some((c, mapped, spaced, map));
            break;
        }
        let last = pieces.last().map_or(line, |p| p.0);
        let next = last + 1;
        let long = spaced.chars().count() >= MIN_WRAPPED_CHARS;
        // A full-width line of a hard-wrapped document runs on into the next line
        // (`…但与2024年购置的` / `车辆类型不同。`), also over the blank line
        // pdftotext puts between the lines of double-spaced text — unless the
        // title already ends like a complete one.
        let w = width(norm.line(last));
        let full = page_width.is_some_and(|pw| w * 5 >= pw * 4);
        let complete = pats
            .headings
            .complete
            .iter()
            .any(|r| r.is_match(spaced.trim_end()));
        if extra.len() < MAX_WRAPS && long && full && !complete && next < roles.len() {
            if let Some(k) = next_nonblank(roles, next, 2) {
                let soft = k > next || !join_lines(norm, &[last, next]).as_str().contains('\n');
                if soft && usable(norm, pats, roles, k, false) && width(norm.line(k)) <= w + 4 {
                    let (a, b) = bounds(norm, k);
                    pieces.push((k, a, b));
                    extra.push(k);
                    continue;
                }
            }
        }
        // A short tail on the next line(s) (`…部门决算情况` / `说明`).
        if spaced.chars().count() >= MIN_TAILED_CHARS {
            if let Some(k) = next_nonblank(roles, next, 3) {
                let t = content(norm.line(k));
                if usable(norm, pats, roles, k, false)
                    && t.chars().count() <= MAX_TAIL_CHARS
                    && !t.contains(['。', ',', ':', ';', '、', '!', '?'])
                    && !lines_is_figures(t)
                {
                    let (a, b) = bounds(norm, k);
                    pieces.push((k, a, b));
                    extra.push(k);
                }
            }
        }
        let mapped = build(norm, &pieces);
        let (spaced, map) = spaced_view(norm, &mapped);
        let end = spaced.len();
        found = Some(((end, false), mapped, spaced, map));
        break;
    }
    let ((cut, nested), mapped, spaced, map) = found?;
    let m_cut = *map.get(cut)?;
    if m_cut == 0 {
        return None;
    }
    let raw = norm.mapped_source_slice(&mapped, 0, m_cut);
    let title = clean(pats, raw);
    if title.is_empty() {
        return None;
    }
    // Body text after the cut (the cut's punctuation and spaces skipped).
    let mut after = cut;
    if let Some(c) = spaced[cut..].chars().next() {
        if matches!(c, '。' | ';' | ':' | '!' | '?') {
            after += c.len_utf8();
        }
    }
    after += spaced[after..].len() - spaced[after..].trim_start().len();
    let last = pieces.last()?;
    let piece_start = mapped.len() - (last.2 - last.1);
    let body_from = (after < spaced.len())
        .then(|| map.get(after).copied())
        .flatten()
        .filter(|&mo| mo >= piece_start)
        .map(|mo| (last.0, last.1 + (mo - piece_start)));
    let nested_at = if nested && pieces.len() == 1 && pieces[0].0 == line {
        Some(pieces[0].1 + m_cut)
    } else {
        None
    };
    let span = norm
        .span(m.start, m.end)
        .cover(norm.mapped_span(&mapped, 0, m_cut));
    Some(Title {
        text: title,
        span,
        extra_lines: extra,
        body_from,
        nested_at,
    })
}

/// The width of a full line of running text: the upper quartile of the text
/// lines' widths (table rows aside). In a hard-wrapped document (pdftotext) most
/// lines are that wide; where lines are whole paragraphs it is beyond any
/// heading's reach. Documents with few lines get none.
pub fn page_width(norm: &NormDoc, roles: &[LineRole]) -> Option<usize> {
    let mut w: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] == LineRole::Text && !is_table_like(norm.line(i), 0))
        .map(|i| width(norm.line(i)))
        .filter(|&w| w >= MIN_WRAPPED_CHARS)
        .collect();
    if w.len() < 8 {
        return None;
    }
    w.sort_unstable();
    w.get(w.len() * 3 / 4).copied()
}

/// The pieces' text with its map into the source.
fn build(norm: &NormDoc, pieces: &[(usize, usize, usize)]) -> MappedText {
    let text = norm.text.as_str();
    let mut m = MappedText::with_capacity(pieces.iter().map(|p| p.2 - p.1).sum());
    for (_, a, b) in pieces {
        m.push_from(&norm.text, *a, *b);
        debug_assert!(text.is_char_boundary(*a) && text.is_char_boundary(*b));
    }
    m
}

/// `m`'s text with a space wherever the source has spacing inside a line (the
/// normaliser drops `说明 2021` to `说明2021`), and for every byte of the result
/// the offset in `m` it stands for (one extra entry for the end).
fn spaced_view(norm: &NormDoc, m: &MappedText) -> (String, Vec<usize>) {
    let src = norm.source.as_str();
    let t = m.as_str();
    let mut out = String::with_capacity(t.len() + 8);
    let mut map = Vec::with_capacity(t.len() + 9);
    let mut prev_end: Option<u32> = None;
    for (k, c) in t.char_indices() {
        let (s0, e0) = m.source_range(k, k + c.len_utf8());
        if let Some(pe) = prev_end {
            if s0 > pe {
                let gap = src.get(pe as usize..s0 as usize).unwrap_or("");
                if !gap.contains('\n') && gap.chars().any(char::is_whitespace) && c != ' ' {
                    out.push(' ');
                    map.push(k);
                }
            }
        }
        out.push(c);
        map.extend(std::iter::repeat_n(k, c.len_utf8()));
        if e0 > s0 {
            prev_end = Some(e0);
        }
    }
    map.push(t.len());
    (out, map)
}

/// The earliest cut after the title's first char, and whether its rule is nested.
fn first_cut(cuts: &[Cut], s: &str) -> Option<(usize, bool)> {
    cuts.iter()
        .filter_map(|c| {
            c.re.captures_iter(s)
                .filter_map(|cap| cap.name("cut").or_else(|| cap.get(0)).map(|m| m.start()))
                .find(|&p| p > 0 && !s[..p].trim().is_empty())
                .map(|p| (p, c.nested))
        })
        .min_by_key(|&(p, _)| p)
}

fn strip_anywhere(pats: &PatternSet, s: &str) -> String {
    let mut out = s.to_string();
    for d in pats.headings.decorations.iter().filter(|d| d.anywhere) {
        out = d.re.replace_all(&out, "").into_owned();
    }
    out
}

/// Source text of a title: decorations gone, line breaks (with the indentation and
/// blank lines around them) gone, outer spaces trimmed; inner spaces kept.
fn clean(pats: &PatternSet, raw: &str) -> String {
    let s = strip_anywhere(pats, raw);
    let mut out = String::with_capacity(s.len());
    let mut ws = String::new();
    for c in s.chars() {
        if c.is_whitespace() {
            ws.push(c);
            continue;
        }
        if !ws.is_empty() {
            if !ws.contains(['\n', '\r', '\u{c}']) {
                out.push_str(&ws);
            } else if out
                .chars()
                .last()
                .is_some_and(|p| p.is_ascii_alphanumeric())
                && c.is_ascii_alphanumeric()
            {
                out.push(' ');
            }
            ws.clear();
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(text: &str, line: usize) -> Option<Title> {
        let norm = NormDoc::new(text.to_string());
        let pats = crate::segment::test_pats();
        let roles: Vec<LineRole> = (0..norm.line_count())
            .map(|i| {
                if norm.line(i).trim().is_empty() {
                    LineRole::Blank
                } else {
                    LineRole::Text
                }
            })
            .collect();
        let (a, _) = norm.line_bounds(line);
        let m = marker::find(norm.line(line), a, &pats.headings)?;
        extract(&norm, &roles, pats, line, &m, page_width(&norm, &roles))
    }

    fn title(text: &str, line: usize) -> String {
        title_of(text, line).map(|t| t.text).unwrap_or_default()
    }

    #[test]
    fn run_in_titles() {
        assert_eq!(
            title("1、平台建设率先垂范。我县综治中心是…", 0),
            "平台建设率先垂范"
        );
        assert_eq!(
            title(
                "一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。",
                0
            ),
            "财政拨款收入"
        );
        assert_eq!(
            title(
                "1、收入支出决算总体情况说明 ；2023年度收、支总计74万元。",
                0
            ),
            "收入支出决算总体情况说明"
        );
        assert_eq!(
            title("六、一般公共预算财政拨款基本支出决算情况说明 2021 年度财政拨款基本支出 1832.39 万元，其中：人员经费", 0),
            "一般公共预算财政拨款基本支出决算情况说明"
        );
        let t = title_of(
            "五、一般公共预算财政拨款支出决算情况说明（一）财政拨款支出决算总体情况",
            0,
        )
        .unwrap();
        assert_eq!(t.text, "一般公共预算财政拨款支出决算情况说明");
        assert!(t.nested_at.is_some());
        assert!(t.body_from.is_some());
    }

    #[test]
    fn whole_sentence_when_no_cut_before_it() {
        assert_eq!(
            title(
                "2.2023年“三公经费”年初预算0.94万元，决算支出共 0.86万元，较预算减少0.08万元。具体",
                0
            ),
            "2023年“三公经费”年初预算0.94万元，决算支出共 0.86万元，较预算减少0.08万元"
        );
    }

    #[test]
    fn marker_alone_takes_the_next_line() {
        let t = title_of(
            "第一部分\n\n醴陵市网格化管理服务中心概况\n\n一、部门职责",
            0,
        )
        .unwrap();
        assert_eq!(t.text, "醴陵市网格化管理服务中心概况");
        assert_eq!(t.extra_lines, vec![2]);
        assert!(t.body_from.is_none());
        assert_eq!(title("附件一\n\n一、部门概况", 0), "");
    }

    #[test]
    fn wrapped_titles_are_joined() {
        assert_eq!(
            title("\u{c}第三部分 上海市普陀区规划和自然资源局 2024 年度部门决算\n\n                  情况说明\n\n   一、收入支出决算总体情况说明", 0),
            "上海市普陀区规划和自然资源局 2024 年度部门决算情况说明"
        );
        assert_eq!(
            title("   第三部分上海市普陀区财政局2024年度部门决算情况\n             说明\n\n  一、收入", 0),
            "上海市普陀区财政局2024年度部门决算情况说明"
        );
        // In a hard-wrapped document (lines of about the same width), a full line
        // runs on.
        let mut doc = String::from("     （二）公务用车购置及运行费36.56万元，比2024年预算减少10万元，主要原因是2025年新增1辆公务用车购置，但与2024年购置的\n车辆类型不同。其中：公务用车购置费15万元，比2024年预算减少10万元，主要原因是购置车辆类型不同；\n");
        for _ in 0..8 {
            doc.push_str("比2024年预算持平，主要原因是公务车用车运行费保持不变。公务接待费1.35万元。比2024年预算持平，主要原因是公务接待费\n");
        }
        assert_eq!(
            title(&doc, 0),
            "公务用车购置及运行费36.56万元，比2024年预算减少10万元，主要原因是2025年新增1辆公务用车购置，但与2024年购置的车辆类型不同"
        );
        // The same line in a document of paragraph lines is whole.
        assert_eq!(
            title(
                "（二）公务用车购置及运行费36.56万元，但与2024年购置的\n车辆类型不同。",
                0
            ),
            "公务用车购置及运行费36.56万元，但与2024年购置的"
        );
    }

    #[test]
    fn short_headings_do_not_swallow_the_next_line() {
        assert_eq!(
            title(
                "一、部门概况\n东安县网格管理中心属财政全额负担的事业单位。",
                0
            ),
            "部门概况"
        );
        assert_eq!(
            title(
                "     一、主要职能\n     中共上海市普陀区委社会工作部负责贯彻落实",
                0
            ),
            "主要职能"
        );
    }

    #[test]
    fn decorations_and_source_characters() {
        assert_eq!(
            title(
                "**六、 评价工作组人员名单及签字**(姓名、工作单位、 职务、职称)",
                0
            ),
            "评价工作组人员名单及签字(姓名、工作单位、 职务、职称)"
        );
        assert_eq!(title("（一）职能职责", 0), "职能职责");
        let t = title_of("（一）职能职责", 0).unwrap();
        assert_eq!((t.span.start, t.span.end), (0, 7));
    }
}

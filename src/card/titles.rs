//! Title blocks and the report kinds they announce.
//!
//! A title block is a run of short, unnumbered lines without sentence punctuation
//! (a cover's `上海市普陀区财政局` / `2024年度部门决算`, a report's title, a table's
//! title). `patterns/doctypes.toml` says which kind of report each announces; table
//! cells that only one kind of table has (`预算部门名称` above 绩效指标) count too.

use crate::model::{DocType, LineRole, Marker, TableKind};
use crate::normalize::NormDoc;
use crate::patterns::doctypes::On;
use crate::patterns::PatternSet;
use crate::segment;

/// A block is at most this many lines …
const MAX_BLOCK_LINES: usize = 4;
/// … of at most this many chars each.
const MAX_TITLE_CHARS: usize = 50;
/// How far after a table cell its `confirm` header must come.
const CONFIRM_LINES: usize = 150;

/// A title block.
#[derive(Debug, Clone)]
pub struct Block {
    pub lines: Vec<usize>,
    /// Normalised, decorations and whitespace removed.
    pub text: String,
    /// As written (line contents joined).
    pub source: String,
    /// The kind it announces, the rule, and where the kind phrase starts in `text`.
    pub kind: Option<(DocType, String, usize)>,
}

fn squeeze(s: &str) -> String {
    crate::patterns::tables::compact(s).into_owned()
}

/// The line's text if it can be (part of) a title.
fn title_line(
    norm: &NormDoc,
    roles: &[LineRole],
    marks: &[Option<Marker>],
    pats: &PatternSet,
    i: usize,
) -> Option<String> {
    // A table's title line may carry the tables stage's role.
    if !matches!(
        roles[i],
        LineRole::Text | LineRole::Cover | LineRole::Heading | LineRole::Table
    ) {
        return None;
    }
    let line = norm.line(i);
    if segment::is_table_like(line, 0) {
        return None;
    }
    if marks[i].is_some() {
        return None;
    }
    let t = segment::undecorated(line, pats);
    if t.is_empty()
        || t.chars().count() > MAX_TITLE_CHARS
        || segment::has_sentence_punct(&t)
        || t.contains([':', ','])
    {
        return None;
    }
    Some(t)
}

fn kind_of(text: &str, pats: &PatternSet) -> Option<(DocType, String, usize)> {
    let text = without_year_line(text);
    pats.doctypes
        .rules
        .iter()
        .filter(|r| r.on == On::Title)
        .find_map(|r| {
            r.re.find(text)
                .map(|m| (r.doc_type, r.id.clone(), m.start()))
        })
}

/// Every title block, in order.
pub fn blocks(
    norm: &NormDoc,
    roles: &[LineRole],
    marks: &[Option<Marker>],
    pats: &PatternSet,
) -> Vec<Block> {
    let mut out = vec![];
    let mut i = 0;
    while i < roles.len() {
        let Some(first) = title_line(norm, roles, marks, pats, i) else {
            i += 1;
            continue;
        };
        let mut lines = vec![i];
        let mut parts = vec![first];
        let mut j = i + 1;
        while j < roles.len() && lines.len() < MAX_BLOCK_LINES && !norm.lines[j].page_start {
            match title_line(norm, roles, marks, pats, j) {
                Some(t) => {
                    lines.push(j);
                    parts.push(t);
                    j += 1;
                }
                None => break,
            }
        }
        // The whole block first, then its lines one by one.
        let joined = squeeze(&parts.concat());
        let mut kind =
            kind_of(&joined, pats).map(|k| (k, joined.clone(), lines.clone(), parts.concat()));
        // A title run straight into the text's first line (`…自评报告` / `根据《…》`):
        // its first lines.
        if kind.is_none() && lines.len() > 2 {
            kind = (2..lines.len()).rev().find_map(|n| {
                let source = parts[..n].concat();
                let t = squeeze(&source);
                kind_of(&t, pats).map(|k| (k, t, lines[..n].to_vec(), source))
            });
        }
        if kind.is_none() && lines.len() > 1 {
            kind = lines.iter().zip(&parts).find_map(|(&l, p)| {
                let t = squeeze(p);
                kind_of(&t, pats).map(|k| (k, t, vec![l], p.clone()))
            });
        }
        match kind {
            Some((k, text, ls, source)) => {
                let b = Block {
                    lines: ls,
                    text,
                    source,
                    kind: Some(k),
                };
                let b = match out.last() {
                    Some(prev) if names_unit_of(prev, &b, roles, pats) => {
                        let prev = out.pop().expect("last block");
                        joined_cover(prev, b)
                    }
                    _ => b,
                };
                out.push(b);
            }
            None => out.push(Block {
                lines,
                text: joined,
                source: parts.concat(),
                kind: None,
            }),
        }
        i = j;
    }
    out
}

/// A form's title with the year line under it (`项目支出绩效自评表` / `（2024年度）`)
/// is still the form's title: the kind patterns end on the form's name.
fn without_year_line(t: &str) -> &str {
    match t.rfind('(') {
        Some(k) if t.ends_with(')') && t[k..].chars().count() <= 12 => {
            let inner = &t[k..];
            let year = inner.contains('年')
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九()年度 ".contains(c));
            if year {
                t[..k].trim_end()
            } else {
                t
            }
        }
        _ => t,
    }
}

/// Most blank lines between a cover's unit name and its report title.
const MAX_COVER_GAP: usize = 3;

/// A cover that prints the unit on its own line, blank lines above the title
/// (`定襄县自然资源局` / `` / `2023 年度部门决算`): the name belongs to the title when
/// the title names no unit of its own before the kind.
fn names_unit_of(prev: &Block, b: &Block, roles: &[LineRole], pats: &PatternSet) -> bool {
    let (Some(&last), Some(&first), Some((_, _, at))) =
        (prev.lines.last(), b.lines.first(), &b.kind)
    else {
        return false;
    };
    if prev.kind.is_some()
        || last >= first
        || first - last > MAX_COVER_GAP + 1
        || !(last + 1..first).all(|i| roles[i] == LineRole::Blank)
        || !pats.doctypes.is_org_name(&prev.text)
    {
        return false;
    }
    let head = b.text.get(..*at).unwrap_or("");
    !head
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .any(|e| pats.doctypes.is_org_name(&head[..e]))
}

fn joined_cover(prev: Block, b: Block) -> Block {
    let shift = prev.text.len();
    Block {
        lines: prev.lines.into_iter().chain(b.lines).collect(),
        text: prev.text + &b.text,
        source: prev.source + &b.source,
        kind: b.kind.map(|(k, id, at)| (k, id, at + shift)),
    }
}

/// Cells of a line: tab- or column-gap-separated.
pub fn cells(line: &str) -> Vec<&str> {
    fn push<'a>(out: &mut Vec<&'a str>, c: &'a str) {
        let c = c.trim();
        if !c.is_empty() {
            out.push(c);
        }
    }
    let mut out = vec![];
    // Tabs, pipes (markdown tables) and runs of two or more spaces separate cells;
    // all three are ASCII, so a byte scan finds them on char boundaries.
    let b = line.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let sep = match b[i] {
            b'\t' | b'|' => 1,
            b' ' if b.get(i + 1) == Some(&b' ') => {
                b[i..].iter().take_while(|&&c| c == b' ').count()
            }
            _ => 0,
        };
        if sep == 0 {
            i += 1;
            continue;
        }
        push(&mut out, &line[start..i]);
        i += sep;
        start = i;
    }
    push(&mut out, &line[start..]);
    out
}

/// Lines where a kind of report part starts, from table cells.
fn cell_kinds(norm: &NormDoc, roles: &[LineRole], pats: &PatternSet) -> Vec<(usize, DocType)> {
    let rules: Vec<_> = pats
        .doctypes
        .rules
        .iter()
        .filter(|r| r.on == On::Cell)
        .collect();
    let mut out = vec![];
    if rules.is_empty() {
        return out;
    }
    for i in 0..roles.len() {
        if matches!(
            roles[i],
            LineRole::Blank | LineRole::Toc | LineRole::PageFurniture
        ) {
            continue;
        }
        // Most lines hold none of the rules' words; their cells need no test.
        let line = norm.line(i);
        if !pats
            .doctypes
            .cell_filter
            .may_match(&crate::patterns::tables::compact(line))
        {
            continue;
        }
        let line_cells = cells(line);
        for (k, cell) in line_cells.iter().enumerate() {
            let c = crate::patterns::tables::compact(cell);
            for r in &rules {
                if !r.re.is_match(&c) {
                    continue;
                }
                let beside = |re: &regex::Regex| {
                    (line_cells.iter().enumerate())
                        .any(|(j, o)| j != k && re.is_match(&crate::patterns::tables::compact(o)))
                };
                if r.not_beside.as_ref().is_some_and(beside) {
                    continue;
                }
                let confirmed = r.confirm.as_ref().is_none_or(|re| {
                    (i + 1..roles.len().min(i + CONFIRM_LINES)).any(|k| re.is_match(norm.line(k)))
                });
                if confirmed {
                    out.push((i, r.doc_type));
                }
            }
        }
    }
    out
}

/// Marker ranks of the styles that head a whole part (`附件2`, `第二部分`).
const MAX_PART_RANK: u32 = 10;

/// Lines where a part heading names a kind of report (`第二部分 部门整体支出绩效
/// 自评报告（摘要）`). Such a line is no title block (it is numbered), but it says
/// what the part that follows is.
fn part_kinds(
    norm: &NormDoc,
    roles: &[LineRole],
    marks: &[Option<Marker>],
    pats: &PatternSet,
) -> Vec<(usize, DocType)> {
    let mut out = vec![];
    for (i, m) in marks.iter().enumerate() {
        let Some(m) = m else { continue };
        if !matches!(roles[i], LineRole::Heading | LineRole::Text)
            || pats
                .headings
                .styles
                .get(m.style)
                .is_none_or(|s| s.rank > MAX_PART_RANK)
        {
            continue;
        }
        let (a, b) = norm.line_bounds(i);
        let Some(title) = norm.text.as_str().get(m.title_start.max(a)..b) else {
            continue;
        };
        let t = squeeze(&segment::undecorated(title, pats));
        if t.chars().count() > MAX_TITLE_CHARS || segment::has_sentence_punct(&t) {
            continue;
        }
        if let Some((d, _, _)) = kind_of(&t, pats) {
            out.push((i, d));
        }
    }
    out
}

fn table_doc_type(k: TableKind) -> Option<DocType> {
    Some(match k {
        TableKind::DeptEval => DocType::DeptEvalTable,
        TableKind::ProjectEval => DocType::ProjectEvalTable,
        TableKind::EvalBasicData => DocType::EvalBasicData,
        TableKind::EvalScoring => DocType::EvalScoring,
        _ => return None,
    })
}

/// Every kind of report part the file holds, in order of first appearance, with
/// the line it starts on.
pub fn doc_types(
    norm: &NormDoc,
    roles: &[LineRole],
    marks: &[Option<Marker>],
    pats: &PatternSet,
    blocks: &[Block],
    tables: &[(usize, TableKind)],
) -> Vec<(usize, DocType)> {
    let mut found: Vec<(usize, DocType)> = blocks
        .iter()
        .filter_map(|b| b.kind.as_ref().map(|k| (b.lines[0], k.0)))
        .collect();
    found.extend(cell_kinds(norm, roles, pats));
    found.extend(part_kinds(norm, roles, marks, pats));
    found.extend(
        tables
            .iter()
            .filter_map(|&(l, k)| table_doc_type(k).map(|d| (l, d))),
    );
    found.sort_by_key(|&(l, _)| l);
    let mut out: Vec<(usize, DocType)> = vec![];
    for (l, d) in found {
        if !out.iter().any(|&(_, x)| x == d) {
            out.push((l, d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{cells, without_year_line};
    use proptest::prelude::*;

    #[test]
    fn a_form_title_keeps_its_kind_over_its_year_line() {
        assert_eq!(
            without_year_line("项目支出绩效自评表(2024年度)"),
            "项目支出绩效自评表"
        );
        assert_eq!(
            without_year_line("项目支出绩效自评表(二〇二四年度)"),
            "项目支出绩效自评表"
        );
        assert_eq!(without_year_line("部门决算(草案)"), "部门决算(草案)");
        assert_eq!(without_year_line("(2024年度)"), "");
    }

    /// The plain definition the byte scan must agree with.
    fn cells_by_split(line: &str) -> Vec<&str> {
        line.split(['\t', '|'])
            .flat_map(|p| p.split("  "))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }

    #[test]
    fn separators() {
        assert_eq!(
            cells("单位名称   某某局\t金额|12 万元"),
            ["单位名称", "某某局", "金额", "12 万元"]
        );
        assert_eq!(cells("   "), Vec::<&str>::new());
    }

    proptest! {
        #[test]
        fn same_as_splitting(line in "[ \\t|a　单位0-9]{0,40}") {
            prop_assert_eq!(cells(&line), cells_by_split(&line));
        }
    }
}

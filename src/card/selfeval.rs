//! The unit's overall self-evaluation result.
//!
//! From the text (`自评结论：95分，优`, `综合评定 99 分`, `总体评分为优秀`) unless the
//! phrase is about a project (`项目绩效自评得分为95分` in a department's final
//! accounts); else from the 总分 and 等级 rows of the department's own evaluation
//! table. A project's score is the document's result only when the file is a
//! project report.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::titles::cells;
use crate::model::{Doc, DocType, Grade, LineRole, SelfEval, TableKind, Unit};
use crate::normalize::join_lines;
use crate::patterns::doctypes::Rule;
use crate::patterns::metrics::normalize_label;
use crate::patterns::PatternSet;

/// Chars before a phrase searched for project wording.
const CONTEXT_CHARS: usize = 12;
/// Lines after a total-row label searched for its figures.
const TOTAL_ROW_LINES: usize = 4;

/// Where the sentence holding byte `at` of `s` starts.
fn sentence_start(s: &str, at: usize) -> usize {
    s[..at]
        .rfind(['。', '；', ';', '!', '?', '！', '？'])
        .map_or(0, |k| k + s[k..].chars().next().map_or(1, char::len_utf8))
}

/// The clause just before byte `at` of `s`: back to sentence punctuation, at most
/// `CONTEXT_CHARS` chars.
fn clause_before(s: &str, at: usize) -> &str {
    let head = &s[..at];
    let start = head
        .char_indices()
        .rev()
        .take(CONTEXT_CHARS)
        .take_while(|&(_, c)| !matches!(c, '。' | ';' | '!' | '?'))
        .last()
        .map_or(at, |(i, _)| i);
    &head[start..]
}

fn parse_score(s: &str) -> Option<Decimal> {
    Decimal::from_str(s.trim())
        .ok()
        .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::from(100))
}

/// Score and grade phrases in the text. `title_project`: the project the report's
/// title names (squeezed), whose result is the file's among several projects'.
fn from_text(
    doc: &Doc,
    pats: &PatternSet,
    projects_ok: bool,
    title_project: Option<&str>,
) -> SelfEval {
    let mut out = SelfEval::default();
    // A result the sentence gives as the whole unit's.
    let mut unit = SelfEval::default();
    // A result given for the project the title names.
    let mut titled = SelfEval::default();
    // Every score stated, for a file of several projects' results.
    let mut scores: Vec<Decimal> = vec![];
    let norm = &doc.norm;
    // Hard wraps undone: `…自评得分为` / `93.6 分，自评等级为` / `“优”。` is one phrase.
    let lines: Vec<usize> = (0..doc.roles.len())
        .filter(|&i| {
            matches!(
                doc.roles[i],
                LineRole::Text | LineRole::Heading | LineRole::Cover
            )
        })
        .collect();
    let joined = join_lines(norm, &lines);
    let text = joined.as_str();
    let mut start = 0;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |k| start + k);
        let (a, line) = (start, &text[start..end]);
        start = end + 1;
        // Every phrase of the paragraph in text order: a grade after a project's
        // score in the same sentence (`…项目绩效自评得分为94分，自评等级为“优”`) is
        // the project's too.
        let mut found: Vec<_> = pats
            .doctypes
            .self_eval
            .iter()
            .flat_map(|rule| rule.re.captures_iter(line))
            .filter(|c| c.get(0).is_some())
            .collect();
        found.sort_by_key(|c| c.get(0).map_or(0, |m| m.start()));
        let mut project_sentence: Option<usize> = None;
        for c in found {
            let Some(whole) = c.get(0) else { continue };
            let before = clause_before(line, whole.start());
            let sentence_at = sentence_start(line, whole.start());
            let sentence = &line[sentence_at..whole.start()];
            // The phrase's own words before its figure may name the subject too.
            let head_end = c
                .iter()
                .skip(1)
                .flatten()
                .map(|m| m.start())
                .min()
                .unwrap_or(whole.end());
            let head = &line[whole.start()..head_end];
            // `综合评分90分（含）以上的为“优”` states a grading band, not a result.
            let rest = &line[whole.end()..];
            let rest = &rest[..rest
                .find([',', '，', ';', '；', '。'])
                .unwrap_or(rest.len())];
            let rest = normalize_label(rest, &pats.metrics.rewrites);
            if c.name("score").is_some()
                && pats.metrics.excluded_after(&rest, Unit::Score).is_some()
            {
                continue;
            }
            // A project named in quotes earlier in the sentence
            // (`‘高标准农田建设’项目……自评得分 95 分`).
            let project =
                project_sentence == Some(sentence_at)
                    || pats
                        .doctypes
                        .project_context
                        .iter()
                        .any(|r| r.re.is_match(before) || r.re.is_match(head))
                    || pats
                        .doctypes
                        .project_sentence
                        .iter()
                        .any(|r| r.re.is_match(sentence))
                    || pats.metrics.subjects.iter().any(|r| {
                        !r.title && r.requires.admits(sentence) && r.re.is_match(sentence)
                    });
            if project {
                project_sentence = Some(sentence_at);
            }
            let part = pats
                .doctypes
                .part_context
                .iter()
                .any(|r| r.re.is_match(before));
            if part || (project && !projects_ok) {
                continue;
            }
            let whole_unit = !project
                && pats
                    .doctypes
                    .unit_context
                    .iter()
                    .any(|r| r.re.is_match(sentence) || r.re.is_match(head));
            let of_title = project
                && title_project.is_some_and(|t| {
                    crate::patterns::tables::compact(&line[sentence_at..whole.end()]).contains(t)
                });
            let targets: &mut [&mut SelfEval] = if whole_unit {
                &mut [&mut out, &mut unit]
            } else if of_title {
                &mut [&mut out, &mut titled]
            } else {
                &mut [&mut out]
            };
            if let Some(v) = c.name("score").and_then(|m| parse_score(m.as_str())) {
                if !scores.contains(&v) {
                    scores.push(v);
                }
            }
            for t in targets.iter_mut() {
                if t.score.is_none() {
                    t.score = c.name("score").and_then(|m| parse_score(m.as_str()));
                }
                if t.grade.is_none() {
                    if let Some(g) = c.name("grade") {
                        let raw = norm.mapped_source_slice(&joined, a + g.start(), a + g.end());
                        t.grade = pats.doctypes.grade(g.as_str());
                        t.grade_raw = t.grade.map(|_| raw.to_string());
                    }
                }
            }
        }
        // A complete result may still be a project's the words did not show (a
        // project table's `自评得分：97.9分`): read on for the unit's own.
        if unit.score.is_some() && unit.grade.is_some() {
            break;
        }
    }
    if unit.score.is_some() {
        if unit.grade.is_none() {
            unit.grade = out.grade;
            unit.grade_raw = out.grade_raw;
        }
        return unit;
    }
    // Several projects' results and none for the unit (`一、…项目 … 自评得分94.2分`,
    // `二、…项目 … 88.5分`): no one of them is the file's, unless the title names
    // its project (the others are appended to that project's report).
    if projects_ok && scores.len() > 1 {
        return titled;
    }
    out
}

/// The 总分 row's score in the department table (or the project's, in a file of one
/// project's parts): from the indicator rows when the tables stage found them, else
/// from the text after the table's first line.
fn from_table(
    doc: &Doc,
    pats: &PatternSet,
    dept_table_line: Option<usize>,
    projects_ok: bool,
) -> Option<Decimal> {
    let dept_tables: Vec<u32> = doc
        .tables
        .iter()
        .filter(|t| {
            t.kind == TableKind::DeptEval || (projects_ok && t.kind == TableKind::ProjectEval)
        })
        .map(|t| t.table_id)
        .collect();
    let totals: Vec<(u32, Decimal)> = doc
        .indicators
        .iter()
        .filter(|r| r.is_total && dept_tables.contains(&r.table_id))
        .filter_map(|r| Some((r.table_id, r.score?)))
        .collect();
    // Several projects' forms, each with its own total: no one of them is the
    // file's.
    let only_projects = !doc.tables.iter().any(|t| t.kind == TableKind::DeptEval);
    if only_projects
        && totals
            .iter()
            .any(|&(t, s)| t != totals[0].0 && s != totals[0].1)
    {
        return None;
    }
    if let Some(&(_, s)) = totals.first() {
        return Some(s);
    }
    let (i, cs, label_at) = labelled_row(doc, pats, dept_table_line?, &pats.doctypes.total_row)?;
    let norm = &doc.norm;
    let n = doc.roles.len();
    // Figures after the label: 分值 then 得分.
    let mut figures: Vec<Decimal> = cs[label_at + 1..]
        .iter()
        .filter_map(|c| parse_score(c))
        .collect();
    // In cell-per-line tables the figures are the next lines.
    for j in i + 1..n.min(i + 1 + TOTAL_ROW_LINES) {
        if figures.len() >= 2 {
            break;
        }
        let next = cells(norm.line(j));
        match next.as_slice() {
            [] => continue,
            [one] => match parse_score(one) {
                Some(v) => figures.push(v),
                None => break,
            },
            _ => break,
        }
    }
    (figures.len() >= 2).then(|| figures[1])
}

/// The first line of the department table (from line `start` to the next report
/// part) with a cell that `rules` match: the line, its cells and that cell's place.
fn labelled_row<'d>(
    doc: &'d Doc,
    pats: &PatternSet,
    start: usize,
    rules: &[Rule],
) -> Option<(usize, Vec<&'d str>, usize)> {
    for i in start..doc.roles.len() {
        if i > start && starts_other_part(doc, pats, i) {
            break;
        }
        let cs = cells(doc.norm.line(i));
        if let Some(at) = cs
            .iter()
            .position(|c| rules.iter().any(|r| r.re.is_match(c)))
        {
            return Some((i, cs, at));
        }
    }
    None
}

/// The grade row of the department table (`自评等级 | 优`): the cell after the
/// label, on its line or, in a cell-per-line table, the next line.
fn grade_from_table(
    doc: &Doc,
    pats: &PatternSet,
    dept_table_line: Option<usize>,
) -> Option<(Grade, String)> {
    let (i, cs, at) = labelled_row(doc, pats, dept_table_line?, &pats.doctypes.grade_row)?;
    let n = doc.roles.len();
    let inline = cs[at]
        .split_once([':', '：'])
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty());
    let value = match inline.or_else(|| cs.get(at + 1).copied()) {
        Some(v) => Some(v),
        None => (i + 1..n.min(i + 3))
            .map(|j| cells(doc.norm.line(j)))
            .find(|c| !c.is_empty())
            .and_then(|c| c.first().copied()),
    }?;
    let raw = value
        .trim_matches(|c: char| matches!(c, '“' | '”' | '"'))
        .trim();
    pats.doctypes.grade(raw).map(|g| (g, raw.to_string()))
}

/// A line that starts another report part (a title naming another kind).
fn starts_other_part(doc: &Doc, pats: &PatternSet, i: usize) -> bool {
    let t = crate::patterns::tables::compact(doc.norm.line(i));
    pats.doctypes
        .rules
        .iter()
        .any(|r| r.doc_type != DocType::DeptEvalTable && r.re.is_match(&t))
}

/// The unit's self-evaluation. `types` are the file's parts; `dept_table_line` is
/// where its department evaluation table starts, if it has one; `title` is the
/// report's title.
pub fn find(
    doc: &Doc,
    pats: &PatternSet,
    types: &[DocType],
    dept_table_line: Option<usize>,
    title: Option<&str>,
) -> SelfEval {
    // A 基础数据表 states no result of its own: beside a project's report, the
    // project's result is the file's.
    let project = |t: &DocType| matches!(t, DocType::ProjectEvalReport | DocType::ProjectEvalTable);
    let projects_ok = types.iter().any(project)
        && types
            .iter()
            .all(|t| project(t) || *t == DocType::EvalBasicData);
    let title_project = title
        .and_then(|t| pats.metrics.title_subject(t))
        .map(|p| crate::patterns::tables::compact(p).into_owned());
    let mut se = from_text(doc, pats, projects_ok, title_project.as_deref());
    if se.score.is_none() {
        se.score = from_table(doc, pats, dept_table_line, projects_ok);
    }
    if se.grade.is_none() {
        if let Some((g, raw)) = grade_from_table(doc, pats, dept_table_line) {
            se.grade = Some(g);
            se.grade_raw = Some(raw);
        }
    }
    se
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause() {
        let s = "根据年初设定的绩效目标，项目绩效自评得分为95分。";
        let at = s.find("自评得分").unwrap();
        assert!(clause_before(s, at).contains("项目"));
        let s = "我中心各项指标都较好地达到了相关要求。2023年部门整体支出绩效自评结论";
        let at = s.find("自评结论").unwrap();
        assert!(!clause_before(s, at).contains("项目"));
    }
}

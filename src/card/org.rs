//! The reporting unit's full name.
//!
//! Candidates come from labelled fields first (`预算主管部门：…`, the cell after
//! `预算部门名称`), then from titles (`2023年度衡山县…中心部门整体支出绩效自评报告`:
//! what stands between the year and the report kind), then from the signature block
//! (the line above a line holding only a date). A name must end like a unit
//! (局, 中心, 委员会 …). The first candidate that starts with its place wins, so
//! `东安县网格事务中心` from the table beats `网格事务中心` from the title.

use super::region::place_chain;
use super::titles::{cells, Block};
use crate::model::LineRole;
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;
use crate::segment;

const MIN_NAME_CHARS: usize = 3;
const MAX_NAME_CHARS: usize = 40;

/// A candidate name: squeezed (no whitespace), and plausibly a unit's.
fn valid(name: &str, pats: &PatternSet) -> Option<String> {
    let n = crate::patterns::tables::compact(name);
    // A seal note after the name (`兰西县农业农村局（盖章）`) is not part of it.
    let n = [
        "(盖章)",
        "（盖章）",
        "(公章)",
        "（公章）",
        "(签章)",
        "（签章）",
    ]
    .iter()
    .fold(&*n, |n, note| n.strip_suffix(note).unwrap_or(n));
    let n: String = n
        .trim_matches(|c: char| matches!(c, ':' | '：' | ',' | '。'))
        .to_string();
    let len = n.chars().count();
    ((MIN_NAME_CHARS..=MAX_NAME_CHARS).contains(&len)
        && !segment::has_sentence_punct(&n)
        && !n.contains([':', '：', ','])
        && pats.doctypes.is_org_name(&n))
    .then_some(n)
}

/// The longest start of `s` that ends like a unit's name (`中共怀来县委政法委员会`
/// out of `中共怀来县委政法委员会网格化服务管理`).
fn longest_unit_prefix(s: &str, pats: &PatternSet) -> Option<String> {
    let ends: Vec<usize> = s.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    ends.iter().rev().find_map(|&e| valid(&s[..e], pats))
}

/// Values of labelled fields, most trusted rule first.
fn from_fields(norm: &NormDoc, roles: &[LineRole], pats: &PatternSet) -> Vec<String> {
    let mut out = vec![];
    // Cells are parts of their line: a line without the rules' words has no field.
    let lines: Vec<(usize, Vec<&str>)> = (0..roles.len())
        .filter(|&i| {
            !matches!(
                roles[i],
                LineRole::Blank | LineRole::Toc | LineRole::PageFurniture
            ) && pats.doctypes.org_field_filter.may_match(norm.line(i))
        })
        .map(|i| (i, cells(norm.line(i))))
        .collect();
    for rule in &pats.doctypes.org_fields {
        for (i, cs) in &lines {
            let i = *i;
            for (k, cell) in cs.iter().enumerate() {
                let Some(c) = rule.re.captures(cell) else {
                    continue;
                };
                let value = c.name("value").map_or("", |m| m.as_str()).trim();
                let value = if value.is_empty() {
                    // The value is the next cell, on this line or the next one.
                    match cs.get(k + 1) {
                        Some(v) => v.to_string(),
                        None => next_cell(norm, roles, i).unwrap_or_default(),
                    }
                } else {
                    value.to_string()
                };
                if let Some(v) = valid(&value, pats) {
                    out.push(v);
                }
            }
        }
    }
    out
}

fn next_cell(norm: &NormDoc, roles: &[LineRole], i: usize) -> Option<String> {
    let j = (i + 1..roles.len().min(i + 3)).find(|&j| roles[j] != LineRole::Blank)?;
    cells(norm.line(j)).first().map(|s| s.to_string())
}

/// Unit names in report titles: before the year, or between the year and the kind.
fn from_titles(blocks: &[Block], pats: &PatternSet) -> Vec<String> {
    let mut out = vec![];
    for b in blocks {
        let Some((_, _, at)) = &b.kind else {
            continue;
        };
        let head = b.text.get(..*at).unwrap_or("");
        // Split around the year expressions (`2023年度`).
        let mut cuts: Vec<(usize, usize)> = pats
            .doctypes
            .years
            .iter()
            .flat_map(|r| r.re.find_iter(head).map(|m| (m.start(), m.end())))
            .collect();
        cuts.sort_unstable();
        let mut from = 0;
        let mut parts = vec![];
        for (a, e) in cuts {
            if a >= from {
                parts.push(&head[from..a]);
            }
            from = from.max(e);
        }
        parts.push(&head[from..]);
        for p in parts {
            if let Some(n) = longest_unit_prefix(p, pats) {
                out.push(n);
            }
        }
    }
    out
}

/// The signature block: a unit's name on the line above a line holding only a
/// date (`湘潭县网格化服务管理中心` / `2024年2月28日`), the last block first.
fn from_signature(norm: &NormDoc, roles: &[LineRole], pats: &PatternSet) -> Vec<String> {
    let mut out = vec![];
    let mut above: Option<usize> = None;
    for (i, role) in roles.iter().enumerate() {
        if *role == LineRole::Blank {
            continue;
        }
        let t = segment::content(norm.line(i));
        if matches!(role, LineRole::Text | LineRole::Cover)
            && t.ends_with('日')
            && pats.doctypes.dates.iter().any(|r| {
                // An anchored rule is a line holding only a date.
                r.re.as_str().starts_with('^') && r.re.is_match(t)
            })
        {
            if let Some(n) = above.and_then(|j| valid(segment::content(norm.line(j)), pats)) {
                out.push(n);
            }
        }
        above = Some(i);
    }
    out.reverse();
    out
}

/// All candidates, in order of trust.
pub fn candidates(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    blocks: &[Block],
) -> Vec<String> {
    // A title that names its unit with the place is the publisher's own word:
    // it beats labelled fields, which may name a supervising department
    // (`主管部门：泗洪县农业农村局` in a 孙园镇人民政府 project report).
    let (placed, bare): (Vec<String>, Vec<String>) = from_titles(blocks, pats)
        .into_iter()
        .partition(|n| !place_chain(n, &pats.regions).is_empty());
    let mut c = placed;
    c.extend(from_fields(norm, roles, pats));
    c.extend(bare);
    c.extend(from_signature(norm, roles, pats));
    c
}

/// The unit's name: the first candidate that starts with its place, else the first.
pub fn choose(cands: &[String], pats: &PatternSet) -> Option<String> {
    cands
        .iter()
        .find(|c| !place_chain(c, &pats.regions).is_empty())
        .or_else(|| cands.first())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_prefixes() {
        let p = crate::segment::test_pats();
        assert_eq!(
            longest_unit_prefix("中共怀来县委政法委员会网格化服务管理", p).as_deref(),
            Some("中共怀来县委政法委员会")
        );
        assert_eq!(
            longest_unit_prefix("岳阳市岳阳楼区公共服务和网格化中心", p).as_deref(),
            Some("岳阳市岳阳楼区公共服务和网格化中心")
        );
        assert_eq!(longest_unit_prefix("上海市普陀区区级", p), None);
        assert_eq!(valid("（盖章）", p), None);
        assert_eq!(valid("备注", p), None);
    }
}

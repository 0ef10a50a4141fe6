//! The year a report covers and the date it was signed.
//!
//! The year comes from the title (`2023年度…报告`), which states what the report is
//! about; dates in the text are mostly events and deadlines. The report date is a
//! line that holds nothing but a date (signature block, cover) or a labelled field
//! (`填报日期：2024.6.18`); a blank template (`年 月 日`) gives none.

use std::collections::BTreeMap;

use super::titles::Block;
use crate::model::LineRole;
use crate::normalize::NormDoc;
use crate::patterns::headings::ordinal;
use crate::patterns::PatternSet;
use crate::segment;

fn year_in(s: &str, pats: &PatternSet) -> Option<i32> {
    pats.doctypes.years.iter().find_map(|r| {
        r.re.captures(s)
            .and_then(|c| c.name("year"))
            .and_then(|m| year_value(m.as_str()))
            .filter(|y| (1900..=2199).contains(y))
    })
}

/// The year covered: the main title's, another title's, or the text's most
/// frequent `NNNN年度`.
pub fn fiscal_year(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    blocks: &[Block],
) -> Option<i32> {
    let titled = blocks.iter().filter(|b| b.kind.is_some());
    for b in titled.chain(blocks.iter()) {
        if let Some(y) = year_in(&b.text, pats) {
            return Some(y);
        }
    }
    let first = pats.doctypes.years.first()?;
    let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
    for (i, role) in roles.iter().enumerate() {
        if !matches!(role, LineRole::Text | LineRole::Heading | LineRole::Cover) {
            continue;
        }
        for c in first.re.captures_iter(norm.line(i)) {
            if let Some(y) = c.name("year").and_then(|m| m.as_str().parse().ok()) {
                *counts.entry(y).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(y, n)| (n, std::cmp::Reverse(y)))
        .map(|(y, _)| y)
}

/// `2024`, `二〇二四` → 2024.
fn year_value(s: &str) -> Option<i32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut y = 0i32;
    for c in s.chars() {
        let d = match c {
            '〇' | '○' | '零' => 0,
            c => ordinal(&c.to_string())? as i32,
        };
        if d > 9 {
            return None;
        }
        y = y * 10 + d;
    }
    Some(y)
}

fn date_of(c: &regex::Captures) -> Option<(i32, u32, u32)> {
    let y = year_value(c.name("y")?.as_str())?;
    let m = ordinal(c.name("m")?.as_str())?;
    let d = ordinal(c.name("d")?.as_str())?;
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1900..=2199).contains(&y))
        .then_some((y, m, d))
}

/// The report date as `YYYY-MM-DD`: the last date line of the document, else the
/// first labelled date. With a fiscal year known, a date before it (an event the
/// report mentions) or years after it is not the report's.
pub fn report_date(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    fiscal_year: Option<i32>,
) -> Option<String> {
    let plausible =
        |(y, _, _): &(i32, u32, u32)| fiscal_year.is_none_or(|fy| (fy - 1..=fy + 2).contains(y));
    let mut standalone = None;
    let mut labelled = None;
    for (i, role) in roles.iter().enumerate() {
        if !matches!(role, LineRole::Text | LineRole::Cover | LineRole::Table) {
            continue;
        }
        let line = norm.line(i);
        let t = segment::content(line);
        for rule in &pats.doctypes.dates {
            // An anchored rule is a line holding only a date.
            let whole_line = rule.re.as_str().starts_with('^');
            for c in rule.re.captures_iter(if whole_line { t } else { line }) {
                let Some(d) = date_of(&c).filter(plausible) else {
                    continue;
                };
                if whole_line {
                    standalone = Some(d);
                } else if labelled.is_none() {
                    labelled = Some(d);
                }
            }
        }
    }
    standalone
        .or(labelled)
        .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_years() {
        assert_eq!(year_value("二〇二四"), Some(2024));
        assert_eq!(year_value("二○二四"), Some(2024));
        assert_eq!(year_value("2023"), Some(2023));
        assert_eq!(year_value("二十"), None);
    }
}

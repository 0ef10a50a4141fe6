//! `headings.toml`: how the genre numbers its headings, and the lines that are not
//! content (tables of contents, cover pages, page furniture).
//!
//! Numbering styles carry a canonical `rank` (附件, then 第X部分, 一、, （一）, 1、,
//! （1）, ① …): a document's levels are the ranks of the styles it actually uses,
//! so the file says the order once and documents that skip a style still start at
//! level 1. Title cuts, decorations and the non-content lines are regexes too, so
//! a new layout is a new rule rather than new code.

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleDef {
    id: String,
    /// Lower ranks are outer levels (第一部分 before 一、 before （一）).
    rank: u32,
    /// Matches the marker at the start of a (decoration-stripped) line; group `num`
    /// is the number (一…九十, 0-9, ①…⑳ or a…z).
    pattern: String,
    /// The style heads sections only when the document body begins with it (a file
    /// that is a bundle of 附件); elsewhere it is a reference or a stray stamp.
    #[serde(default)]
    lead_only: bool,
    /// The same number may head several parts (附件三 twice for two project tables).
    #[serde(default)]
    repeatable: bool,
    /// When the text right after the marker matches this, the marker is a heading
    /// only if it continues the sequence of its siblings (`2.2023年…` after `1、`).
    #[serde(default)]
    weak_after: Option<String>,
    /// When the text right after the marker matches this, it is no marker at all
    /// (`2.1 比较法` is outline numbering, `2.5万元` a figure).
    #[serde(default)]
    never_after: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

/// One numbering style.
#[derive(Debug, Clone)]
pub struct Style {
    pub id: String,
    pub rank: u32,
    pub re: Regex,
    pub lead_only: bool,
    pub repeatable: bool,
    pub weak_after: Option<Regex>,
    pub never_after: Option<Regex>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnnumberedDef {
    id: String,
    rank: u32,
    /// Whole-line match; group `title`, optional group `depth` (its length is added
    /// to `rank`, so `###` is deeper than `#`).
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

/// Markdown `#` / bold headings without numbering: used only in documents whose
/// body has no numbered heading at all (numbering decides levels when present).
#[derive(Debug, Clone)]
pub struct Unnumbered {
    pub id: String,
    pub rank: u32,
    pub re: Regex,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecorationDef {
    id: String,
    pattern: String,
    /// `prefix`: stripped from the start of a line before markers are matched;
    /// `anywhere`: also removed from titles.
    #[serde(rename = "where")]
    place: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

/// Markup around a heading (`#`, `**`, list bullets).
#[derive(Debug, Clone)]
pub struct Decoration {
    pub id: String,
    pub re: Regex,
    pub anywhere: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CutDef {
    id: String,
    /// Where a run-in title ends: at the start of group `cut`, or of the match.
    /// Matched against the title text with the source's spacing.
    pattern: String,
    /// What follows the cut is a nested heading (`五、…说明（一）…`).
    #[serde(default)]
    nested: bool,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Cut {
    pub id: String,
    pub re: Regex,
    pub nested: bool,
}

impl Cut {
    /// Byte offset where this rule ends a title in `s`, if it does.
    pub fn find(&self, s: &str) -> Option<usize> {
        let c = self.re.captures(s)?;
        Some(c.name("cut").or_else(|| c.get(0))?.start())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineRuleDef {
    id: String,
    pattern: String,
    /// toc: `header` (目录) or `entry` (a line with dotted leaders);
    /// furniture: `any` or `edge` (only as a page's first or last line).
    kind: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TocKind {
    Header,
    Entry,
}

#[derive(Debug, Clone)]
pub struct TocRule {
    pub id: String,
    pub re: Regex,
    pub kind: TocKind,
}

#[derive(Debug, Clone)]
pub struct FurnitureRule {
    pub id: String,
    pub re: Regex,
    /// Only as the first or last non-blank line of a page.
    pub edge_only: bool,
}

/// A rule that is an id and a pattern: `[[cover]]` (a line that ends a cover page,
/// `（此页为封面）`) and `[[complete]]` (a complete title's ending).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoverDef {
    id: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CoverRule {
    pub id: String,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct Headings {
    pub styles: Vec<Style>,
    pub unnumbered: Vec<Unnumbered>,
    pub decorations: Vec<Decoration>,
    pub cuts: Vec<Cut>,
    pub toc: Vec<TocRule>,
    pub furniture: Vec<FurnitureRule>,
    pub cover: Vec<CoverRule>,
    /// A title ending so is complete: it does not run on over a blank line.
    pub complete: Vec<Regex>,
    /// Every style and decoration pattern at once: a line none of them starts is
    /// no heading (a fast first test).
    pub starts: regex::RegexSet,
    /// Every decoration pattern at once, anchored: text that none of them starts
    /// needs no decoration tried one by one.
    pub decoration_start: Regex,
}

impl Headings {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Headings, PatternError> {
        let t = rule::parse_sections(
            file,
            src,
            &[
                "style",
                "unnumbered",
                "decoration",
                "cut",
                "toc",
                "furniture",
                "cover",
                "complete",
            ],
            &[],
        )?;
        let mut styles = vec![];
        for d in rule::rules::<StyleDef>(file, &t, "style")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            if !re.capture_names().any(|n| n == Some("num")) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "pattern needs a group `num`",
                ));
            }
            if !d.pattern.starts_with('^') {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "pattern must be anchored with `^`",
                ));
            }
            let weak_after = d
                .weak_after
                .as_deref()
                .map(|p| rule::compile(file, &d.id, p))
                .transpose()?;
            let never_after = d
                .never_after
                .as_deref()
                .map(|p| rule::compile(file, &d.id, p))
                .transpose()?;
            rule::check_with(file, &d.id, &d.examples, &d.counter_examples, |s| {
                let Some(c) = re.captures(s) else {
                    return false;
                };
                let after = c.get(0).map_or("", |m| &s[m.end()..]);
                c.name("num").and_then(|m| ordinal(m.as_str())).is_some()
                    && !never_after.as_ref().is_some_and(|n| n.is_match(after))
            })?;
            styles.push(Style {
                id: d.id,
                rank: d.rank,
                re,
                lead_only: d.lead_only,
                repeatable: d.repeatable,
                weak_after,
                never_after,
            });
        }
        styles.sort_by_key(|s| s.rank);

        let mut unnumbered = vec![];
        for d in rule::rules::<UnnumberedDef>(file, &t, "unnumbered")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            if !re.capture_names().any(|n| n == Some("title")) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "pattern needs a group `title`",
                ));
            }
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            unnumbered.push(Unnumbered {
                id: d.id,
                rank: d.rank,
                re,
            });
        }

        let mut decorations = vec![];
        for d in rule::rules::<DecorationDef>(file, &t, "decoration")? {
            ids.add(file, &d.id)?;
            let anywhere = match d.place.as_str() {
                "prefix" => false,
                "anywhere" => true,
                other => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("`where` must be `prefix` or `anywhere`, not `{other}`"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            if !anywhere && !d.pattern.starts_with('^') {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "a prefix decoration must be anchored with `^`",
                ));
            }
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            decorations.push(Decoration {
                id: d.id,
                re,
                anywhere,
            });
        }

        let mut cuts = vec![];
        for d in rule::rules::<CutDef>(file, &t, "cut")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            let cut = Cut {
                id: d.id.clone(),
                re,
                nested: d.nested,
            };
            // An example is a title the rule cuts (somewhere after its first char).
            rule::check_with(file, &d.id, &d.examples, &d.counter_examples, |s| {
                cut.find(s).is_some_and(|p| p > 0)
            })?;
            cuts.push(cut);
        }

        let mut toc = vec![];
        for d in rule::rules::<LineRuleDef>(file, &t, "toc")? {
            ids.add(file, &d.id)?;
            let kind = match d.kind.as_str() {
                "header" => TocKind::Header,
                "entry" => TocKind::Entry,
                other => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("toc `kind` must be `header` or `entry`, not `{other}`"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            toc.push(TocRule { id: d.id, re, kind });
        }

        let mut furniture = vec![];
        for d in rule::rules::<LineRuleDef>(file, &t, "furniture")? {
            ids.add(file, &d.id)?;
            let edge_only = match d.kind.as_str() {
                "any" => false,
                "edge" => true,
                other => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("furniture `kind` must be `any` or `edge`, not `{other}`"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            furniture.push(FurnitureRule {
                id: d.id,
                re,
                edge_only,
            });
        }

        let mut cover = vec![];
        for d in rule::rules::<CoverDef>(file, &t, "cover")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            cover.push(CoverRule { id: d.id, re });
        }

        let mut complete = vec![];
        for d in rule::rules::<CoverDef>(file, &t, "complete")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            complete.push(re);
        }

        let starts = regex::RegexSet::new(
            styles
                .iter()
                .map(|s| s.re.as_str())
                .chain(decorations.iter().map(|d| d.re.as_str())),
        )
        .map_err(|e| PatternError::new(file, None, format!("bad regex set: {e}")))?;

        let decoration_start = Regex::new(&format!(
            "^(?:{})",
            decorations
                .iter()
                .map(|d| format!("(?:{})", d.re.as_str()))
                .collect::<Vec<_>>()
                .join("|")
        ))
        .map_err(|e| PatternError::new(file, None, format!("bad decoration set: {e}")))?;
        Ok(Headings {
            decoration_start,
            styles,
            unnumbered,
            decorations,
            cuts,
            toc,
            furniture,
            cover,
            complete,
            starts,
        })
    }
}

/// The number a marker stands for: Chinese numerals up to 九十九 (and 百),
/// ASCII digits, circled numbers ①…⑳, or a single latin letter (a → 1).
pub fn ordinal(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().filter(|&n: &u32| n > 0 && n < 1000);
    }
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if ('①'..='⑳').contains(&c) {
            return Some(c as u32 - '①' as u32 + 1);
        }
        if c.is_ascii_alphabetic() {
            return Some(c.to_ascii_lowercase() as u32 - 'a' as u32 + 1);
        }
    }
    chinese_numeral(s)
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 一 → 1, 十 → 10, 十一 → 11, 二十 → 20, 二十三 → 23, 一百零五 → 105.
fn chinese_numeral(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    for c in s.chars() {
        match c {
            '十' => {
                total += pending.take().unwrap_or(1) * 10;
            }
            '百' => {
                total += pending.take()? * 100;
            }
            // 一百零五: 零 only holds a place.
            '零' | '〇' if pending.is_none() && total > 0 => {}
            c => {
                let d = digit(c)?;
                if pending.is_some() {
                    return None;
                }
                pending = Some(d);
            }
        }
    }
    total += pending.unwrap_or(0);
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinals() {
        assert_eq!(ordinal("三"), Some(3));
        assert_eq!(ordinal("十"), Some(10));
        assert_eq!(ordinal("十一"), Some(11));
        assert_eq!(ordinal("二十六"), Some(26));
        assert_eq!(ordinal("一百零五"), Some(105));
        assert_eq!(ordinal("12"), Some(12));
        assert_eq!(ordinal("③"), Some(3));
        assert_eq!(ordinal("C"), Some(3));
        assert_eq!(ordinal("零"), None);
        assert_eq!(ordinal("0"), None);
        assert_eq!(ordinal("甲"), None);
        assert_eq!(ordinal(""), None);
    }

    #[test]
    fn embedded_rules_load() {
        let mut ids = IdRegistry::default();
        let h = Headings::load(
            "headings.toml",
            include_str!("../../patterns/headings.toml"),
            &mut ids,
        )
        .unwrap();
        assert!(h.styles.windows(2).all(|w| w[0].rank <= w[1].rank));
        assert!(!h.cuts.is_empty());
    }

    #[test]
    fn rejects_style_without_num() {
        let mut ids = IdRegistry::default();
        let e = Headings::load(
            "h.toml",
            "[[style]]\nid = \"s\"\nrank = 1\npattern = '^x'\n",
            &mut ids,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("h.toml: rule `s`"), "{e}");
    }

    proptest! {
        #[test]
        fn ordinal_never_panics(s in "\\PC{0,6}") {
            let _ = ordinal(&s);
        }

        #[test]
        fn chinese_numerals_round_trip(n in 1u32..100) {
            let d = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
            let s = match (n / 10, n % 10) {
                (0, u) => d[u as usize].to_string(),
                (1, u) => format!("十{}", d[u as usize]),
                (t, u) => format!("{}十{}", d[t as usize], d[u as usize]),
            };
            prop_assert_eq!(ordinal(&s), Some(n));
        }
    }
}

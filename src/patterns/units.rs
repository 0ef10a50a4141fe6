//! `units.toml`: how a figure is written around its number — unit words and what
//! they normalise to, multipliers (`万`), approximation words (`约`, `余`), range
//! separators and the words that may not follow a unit (`分` of `分钟`).
//!
//! The number reader in `numbers/` is generic; everything that is wording lives here,
//! so a new unit or approximation word is a pattern change.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;
use crate::model::Unit;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitDef {
    id: String,
    /// The word as written after a figure (`万元`).
    word: String,
    /// `CNY`, `percent`, `person`, `count` or `score`.
    unit: String,
    /// Multiplier into the normalised unit, as a decimal string (`"10000"`).
    #[serde(default = "one")]
    scale: String,
    /// Text that, right after the word, shows it is not this unit (`分` in `分钟`).
    #[serde(default)]
    not_before: Vec<String>,
    /// The word stands for a unit only after a zero (`0支出`: an explicit zero amount).
    #[serde(default)]
    zero_only: bool,
    /// A change in percentage points (`个百分点`), not a percent.
    #[serde(default)]
    points: bool,
    /// Written in front of the number (`百分之九十五`).
    #[serde(default)]
    prefix: bool,
    /// One Chinese numeral before the word is a count (`五辆`), not prose (`一个`).
    #[serde(default)]
    counts_one_numeral: bool,
    /// Words that, right before a lone numeral, make it a count all the same
    /// (`退休人员九人`: a staff label, not the prose of `一人一档`).
    #[serde(default)]
    counts_one_numeral_after: Vec<String>,
}

fn one() -> String {
    "1".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MultiplierDef {
    id: String,
    /// `万`, `亿`: scales the number, a unit word may follow (`4.6万件`).
    word: String,
    scale: String,
    /// Unit assumed when no unit word follows (`150万` is money in these reports).
    #[serde(default)]
    bare_unit: Option<String>,
    /// Measure words that, right after the multiplier, show the figure is not in
    /// `bare_unit` (`2.3万亩` is land, not money).
    #[serde(default)]
    not_before: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproxDef {
    id: String,
    word: String,
    /// `before` the number (`约`), `after` it (`余`, `以上`).
    position: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeDef {
    id: String,
    /// Separator between the two ends of a range (`-`, `至`).
    word: String,
}

#[derive(Debug, Clone)]
pub struct UnitWord {
    pub id: String,
    pub word: String,
    pub unit: Unit,
    pub scale: Decimal,
    pub not_before: Vec<String>,
    pub zero_only: bool,
    pub points: bool,
    pub prefix: bool,
    pub counts_one_numeral: bool,
    pub counts_one_numeral_after: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Multiplier {
    pub id: String,
    pub word: String,
    pub scale: Decimal,
    pub bare_unit: Option<Unit>,
    pub not_before: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Approx {
    pub id: String,
    pub word: String,
    pub before: bool,
}

#[derive(Debug, Clone)]
pub struct Units {
    /// Unit words written after the number, longest first, so `万元` wins over `元`.
    pub words: Vec<UnitWord>,
    /// Unit words written before the number (`百分之`), longest first.
    pub prefixes: Vec<UnitWord>,
    pub multipliers: Vec<Multiplier>,
    /// Approximation words, longest first.
    pub approx: Vec<Approx>,
    pub ranges: Vec<String>,
}

pub fn parse_unit(s: &str) -> Option<Unit> {
    Some(match s {
        "CNY" => Unit::Cny,
        "percent" => Unit::Percent,
        "person" => Unit::Person,
        "count" => Unit::Count,
        "score" => Unit::Score,
        _ => return None,
    })
}

fn decimal(file: &str, id: &str, s: &str) -> Result<Decimal, PatternError> {
    Decimal::from_str(s)
        .map_err(|e| PatternError::new(file, Some(id), format!("bad scale `{s}`: {e}")))
}

fn unit_of(file: &str, id: &str, s: &str) -> Result<Unit, PatternError> {
    parse_unit(s).ok_or_else(|| PatternError::new(file, Some(id), format!("unknown unit `{s}`")))
}

fn non_empty(file: &str, id: &str, w: &str) -> Result<(), PatternError> {
    if w.is_empty() {
        return Err(PatternError::new(file, Some(id), "empty word"));
    }
    Ok(())
}

fn longest_first<T>(v: &mut [T], word: impl Fn(&T) -> &str) {
    v.sort_by(|a, b| {
        word(b)
            .chars()
            .count()
            .cmp(&word(a).chars().count())
            .then(word(a).cmp(word(b)))
    });
}

impl Units {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Units, PatternError> {
        let t = rule::parse_sections(file, src, &["unit", "multiplier", "approx", "range"], &[])?;
        let mut words = vec![];
        let mut prefixes = vec![];
        for d in rule::rules::<UnitDef>(file, &t, "unit")? {
            ids.add(file, &d.id)?;
            non_empty(file, &d.id, &d.word)?;
            let w = UnitWord {
                unit: unit_of(file, &d.id, &d.unit)?,
                scale: decimal(file, &d.id, &d.scale)?,
                id: d.id,
                word: d.word,
                not_before: d.not_before,
                zero_only: d.zero_only,
                points: d.points,
                prefix: d.prefix,
                counts_one_numeral: d.counts_one_numeral,
                counts_one_numeral_after: d.counts_one_numeral_after,
            };
            if w.prefix {
                prefixes.push(w);
            } else {
                words.push(w);
            }
        }
        let mut multipliers = vec![];
        for d in rule::rules::<MultiplierDef>(file, &t, "multiplier")? {
            ids.add(file, &d.id)?;
            non_empty(file, &d.id, &d.word)?;
            let bare_unit = match &d.bare_unit {
                Some(u) => Some(unit_of(file, &d.id, u)?),
                None => None,
            };
            multipliers.push(Multiplier {
                scale: decimal(file, &d.id, &d.scale)?,
                id: d.id,
                word: d.word,
                bare_unit,
                not_before: d.not_before,
            });
        }
        let mut approx = vec![];
        for d in rule::rules::<ApproxDef>(file, &t, "approx")? {
            ids.add(file, &d.id)?;
            non_empty(file, &d.id, &d.word)?;
            let before = match d.position.as_str() {
                "before" => true,
                "after" => false,
                p => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("position must be `before` or `after`, not `{p}`"),
                    ))
                }
            };
            approx.push(Approx {
                id: d.id,
                word: d.word,
                before,
            });
        }
        let mut ranges = vec![];
        for d in rule::rules::<RangeDef>(file, &t, "range")? {
            ids.add(file, &d.id)?;
            non_empty(file, &d.id, &d.word)?;
            ranges.push(d.word);
        }
        longest_first(&mut words, |w| &w.word);
        longest_first(&mut prefixes, |w| &w.word);
        longest_first(&mut multipliers, |w| &w.word);
        longest_first(&mut approx, |w| &w.word);
        longest_first(&mut ranges, |w| w);
        Ok(Units {
            words,
            prefixes,
            multipliers,
            approx,
            ranges,
        })
    }

    /// The unit word `s` starts with, if any (ignoring `not_before` and `zero_only`).
    pub fn prefix_of(&self, s: &str) -> Option<&UnitWord> {
        self.words.iter().find(|w| s.starts_with(&w.word))
    }

    /// The unit word written after a number that `s` starts with, honouring
    /// `not_before` and `zero_only` (`zero` says whether the number was 0).
    pub fn unit_after(&self, s: &str, zero: bool) -> Option<&UnitWord> {
        self.words.iter().find(|w| {
            s.strip_prefix(w.word.as_str()).is_some_and(|rest| {
                (!w.zero_only || zero) && !w.not_before.iter().any(|n| rest.starts_with(n))
            })
        })
    }

    /// A unit word written before the number (`百分之`).
    pub fn unit_before(&self, s: &str) -> Option<&UnitWord> {
        self.prefixes.iter().find(|w| s.starts_with(&w.word))
    }

    pub fn multiplier(&self, s: &str) -> Option<&Multiplier> {
        self.multipliers.iter().find(|m| s.starts_with(&m.word))
    }

    /// An approximation word at the start of `s` in the given position.
    pub fn approx_at(&self, s: &str, before: bool) -> Option<&Approx> {
        self.approx
            .iter()
            .find(|a| a.before == before && s.starts_with(&a.word))
    }

    /// An approximation word (written before a number) that `s` ends with.
    pub fn approx_ending(&self, s: &str) -> Option<&Approx> {
        self.approx
            .iter()
            .find(|a| a.before && s.ends_with(&a.word))
    }

    /// A range separator at the start of `s`.
    pub fn range_at(&self, s: &str) -> Option<&str> {
        self.ranges
            .iter()
            .find(|r| s.starts_with(r.as_str()))
            .map(String::as_str)
    }
}

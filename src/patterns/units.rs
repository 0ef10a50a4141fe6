//! `units.toml`: unit words, what they normalise to and by how much.

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
}

fn one() -> String {
    "1".into()
}

#[derive(Debug, Clone)]
pub struct UnitWord {
    pub id: String,
    pub word: String,
    pub unit: Unit,
    pub scale: Decimal,
}

#[derive(Debug, Clone)]
pub struct Units {
    /// Longest words first, so `万元` wins over `元`.
    pub words: Vec<UnitWord>,
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

impl Units {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Units, PatternError> {
        let t = rule::parse_sections(file, src, &["unit"], &[])?;
        let mut words = vec![];
        for d in rule::rules::<UnitDef>(file, &t, "unit")? {
            ids.add(file, &d.id)?;
            let unit = parse_unit(&d.unit).ok_or_else(|| {
                PatternError::new(file, Some(&d.id), format!("unknown unit `{}`", d.unit))
            })?;
            let scale = Decimal::from_str(&d.scale).map_err(|e| {
                PatternError::new(file, Some(&d.id), format!("bad scale `{}`: {e}", d.scale))
            })?;
            if d.word.is_empty() {
                return Err(PatternError::new(file, Some(&d.id), "empty unit word"));
            }
            words.push(UnitWord {
                id: d.id,
                word: d.word,
                unit,
                scale,
            });
        }
        words.sort_by(|a, b| {
            b.word
                .chars()
                .count()
                .cmp(&a.word.chars().count())
                .then(a.id.cmp(&b.id))
        });
        Ok(Units { words })
    }

    /// The unit word `s` starts with, if any.
    pub fn prefix_of(&self, s: &str) -> Option<&UnitWord> {
        self.words.iter().find(|w| s.starts_with(&w.word))
    }
}

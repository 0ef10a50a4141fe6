//! `headings.toml`: the numbering styles of section headings.

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
    /// Matches the marker at the start of a line; group `num` is the number.
    pattern: String,
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
}

#[derive(Debug, Clone)]
pub struct Headings {
    pub styles: Vec<Style>,
}

impl Headings {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Headings, PatternError> {
        let t = rule::parse_sections(file, src, &["style"], &[])?;
        let mut styles = vec![];
        for d in rule::rules::<StyleDef>(file, &t, "style")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            styles.push(Style {
                id: d.id,
                rank: d.rank,
                re,
            });
        }
        styles.sort_by_key(|s| s.rank);
        Ok(Headings { styles })
    }
}

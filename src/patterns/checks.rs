//! `checks.toml`: tolerances and the tables each report kind must contain.

use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckDef {
    id: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Clone)]
pub struct CheckRule {
    pub id: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Checks {
    pub rules: Vec<CheckRule>,
}

impl Checks {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Checks, PatternError> {
        let t = rule::parse_sections(file, src, &["check"], &[])?;
        let mut rules = vec![];
        for d in rule::rules::<CheckDef>(file, &t, "check")? {
            ids.add(file, &d.id)?;
            rules.push(CheckRule {
                id: d.id,
                description: d.description,
            });
        }
        Ok(Checks { rules })
    }
}

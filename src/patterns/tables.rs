//! `tables.toml`: title and header signatures that say what a table is.

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;
use crate::model::TableKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindDef {
    id: String,
    kind: String,
    /// Matches the table's title line.
    title: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct KindRule {
    pub id: String,
    pub kind: TableKind,
    pub title: Regex,
}

#[derive(Debug, Clone)]
pub struct Tables {
    pub kinds: Vec<KindRule>,
}

impl Tables {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Tables, PatternError> {
        let t = rule::parse_sections(file, src, &["kind"], &[])?;
        let mut kinds = vec![];
        for d in rule::rules::<KindDef>(file, &t, "kind")? {
            ids.add(file, &d.id)?;
            let kind = TableKind::parse(&d.kind).ok_or_else(|| {
                PatternError::new(file, Some(&d.id), format!("unknown kind `{}`", d.kind))
            })?;
            let title = rule::compile(file, &d.id, &d.title)?;
            rule::check_examples(file, &d.id, &title, &d.examples, &d.counter_examples)?;
            kinds.push(KindRule {
                id: d.id,
                kind,
                title,
            });
        }
        Ok(Tables { kinds })
    }
}

//! `doctypes.toml`: the wording that says what kind of report (part) a title is.

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;
use crate::model::DocType;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocTypeDef {
    id: String,
    doc_type: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DocTypeRule {
    pub id: String,
    pub doc_type: DocType,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct DocTypes {
    pub rules: Vec<DocTypeRule>,
}

impl DocTypes {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<DocTypes, PatternError> {
        let t = rule::parse_sections(file, src, &["doctype"], &[])?;
        let mut rules = vec![];
        for d in rule::rules::<DocTypeDef>(file, &t, "doctype")? {
            ids.add(file, &d.id)?;
            let doc_type = DocType::parse(&d.doc_type).ok_or_else(|| {
                PatternError::new(
                    file,
                    Some(&d.id),
                    format!("unknown doc_type `{}`", d.doc_type),
                )
            })?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            rules.push(DocTypeRule {
                id: d.id,
                doc_type,
                re,
            });
        }
        Ok(DocTypes { rules })
    }
}

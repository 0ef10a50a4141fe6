//! `metrics.toml`: the metric vocabulary and the wording that maps to each metric.

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use super::units::parse_unit;
use crate::error::PatternError;
use crate::model::Unit;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricDef {
    id: String,
    /// Vocabulary key (`three_public.total`).
    metric: String,
    unit: String,
    /// Matches the label wording.
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct MetricRule {
    pub id: String,
    pub metric: String,
    pub unit: Unit,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct Metrics {
    pub rules: Vec<MetricRule>,
}

impl Metrics {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Metrics, PatternError> {
        let t = rule::parse_sections(file, src, &["metric"], &[])?;
        let mut rules = vec![];
        for d in rule::rules::<MetricDef>(file, &t, "metric")? {
            ids.add(file, &d.id)?;
            let unit = parse_unit(&d.unit).ok_or_else(|| {
                PatternError::new(file, Some(&d.id), format!("unknown unit `{}`", d.unit))
            })?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            rules.push(MetricRule {
                id: d.id,
                metric: d.metric,
                unit,
                re,
            });
        }
        Ok(Metrics { rules })
    }
}

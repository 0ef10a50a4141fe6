//! `checks.toml`: the consistency checks that are data — which figures must add up,
//! which stated rates must equal their ratio, which tables a report kind requires.

use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::str::FromStr;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;
use crate::model::{Basis, DocType, TableKind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SumDef {
    id: String,
    #[serde(default)]
    description: String,
    /// Metric of the total.
    total: String,
    /// Metrics of the parts; the check runs only when every part is stated
    /// (a 其中 list that names some parts is not a sum).
    parts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactRatioDef {
    id: String,
    #[serde(default)]
    description: String,
    /// Metric of the stated rate (percent).
    rate: String,
    numerator: (String, String),
    denominator: (String, String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextRateDef {
    id: String,
    #[serde(default)]
    description: String,
    /// `ratio`: groups num, den, rate (rate = num/den);
    /// `growth`: groups now, change, rate and optional dir (rate = change/(now−change));
    /// `shares`: `pattern` finds the total (group den), `part` each share after it
    /// in the same sentence (groups num, rate).
    kind: String,
    pattern: String,
    #[serde(default)]
    part: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequiredDef {
    id: String,
    #[serde(default)]
    description: String,
    doc_type: String,
    kinds: Vec<String>,
}

/// Rules on table structure share this shape: an id, the table kinds they read,
/// and regexes over header or label text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableRuleDef {
    id: String,
    #[serde(default)]
    description: String,
    kinds: Vec<String>,
    /// `row_sum`, `code_sum`, `label_sum`: wording of the total column or row.
    #[serde(default)]
    total: Option<String>,
    /// `row_sum`: columns that are not parts (`其中…`).
    #[serde(default)]
    exclude: Option<String>,
    /// `label_sum`: `first` or `last` panel.
    #[serde(default)]
    panel: Option<String>,
    /// `label_sum`: wording of the part rows; each must be present.
    #[serde(default)]
    parts: Vec<String>,
    /// `panel_balance`: wording of the row compared across panels.
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

/// Which panel of a side-by-side table a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    First,
    Last,
}

#[derive(Debug, Clone)]
pub struct TableRule {
    pub id: String,
    pub description: String,
    pub kinds: Vec<TableKind>,
    /// Total column (`row_sum`), total row (`code_sum`, `label_sum`) or the
    /// compared row (`panel_balance`).
    pub total: Regex,
    pub exclude: Option<Regex>,
    pub panel: Panel,
    pub parts: Vec<Regex>,
}

#[derive(Debug, Clone)]
pub struct SumRule {
    pub id: String,
    pub description: String,
    pub total: String,
    pub parts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FactRatioRule {
    pub id: String,
    pub description: String,
    pub rate: String,
    pub numerator: (String, Basis),
    pub denominator: (String, Basis),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRateKind {
    Ratio,
    Growth,
    Shares,
}

#[derive(Debug, Clone)]
pub struct TextRateRule {
    pub id: String,
    pub description: String,
    pub kind: TextRateKind,
    pub re: Regex,
    pub part: Option<Regex>,
}

#[derive(Debug, Clone)]
pub struct RequiredRule {
    pub id: String,
    pub description: String,
    pub doc_type: DocType,
    pub kinds: Vec<TableKind>,
}

#[derive(Debug, Clone)]
pub struct Checks {
    /// Rounding allowed in money sums, in units of the figures' last printed digit.
    pub money_tolerance_digits: Decimal,
    pub sums: Vec<SumRule>,
    pub fact_ratios: Vec<FactRatioRule>,
    pub text_rates: Vec<TextRateRule>,
    pub required: Vec<RequiredRule>,
    /// In each data row, a total column equals the columns to its right.
    pub row_sums: Vec<TableRule>,
    /// Classification codes: parent = Σ children; total row = Σ top-level codes.
    pub code_sums: Vec<TableRule>,
    /// A total row equals the labelled rows above it.
    pub label_sums: Vec<TableRule>,
    /// The same row in the first and last panel agree.
    pub panel_balances: Vec<TableRule>,
}

fn basis(file: &str, id: &str, s: &str) -> Result<Basis, PatternError> {
    Ok(match s {
        "budget_initial" => Basis::BudgetInitial,
        "budget_final" => Basis::BudgetFinal,
        "budget" => Basis::Budget,
        "actual" => Basis::Actual,
        "prior_year" => Basis::PriorYear,
        "change" => Basis::Change,
        _ => {
            return Err(PatternError::new(
                file,
                Some(id),
                format!("unknown basis `{s}`"),
            ))
        }
    })
}

impl Checks {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Checks, PatternError> {
        let t = rule::parse_sections(
            file,
            src,
            &[
                "sum",
                "fact_ratio",
                "text_rate",
                "required",
                "row_sum",
                "code_sum",
                "label_sum",
                "panel_balance",
            ],
            &["money_tolerance_digits"],
        )?;
        let tol: String =
            rule::scalar(file, &t, "money_tolerance_digits")?.unwrap_or_else(|| "1".into());
        let money_tolerance_digits = Decimal::from_str(&tol)
            .map_err(|e| PatternError::new(file, None, format!("money_tolerance_digits: {e}")))?;
        let mut sums = vec![];
        for d in rule::rules::<SumDef>(file, &t, "sum")? {
            ids.add(file, &d.id)?;
            if d.parts.len() < 2 {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "a sum needs at least two parts",
                ));
            }
            sums.push(SumRule {
                id: d.id,
                description: d.description,
                total: d.total,
                parts: d.parts,
            });
        }
        let mut fact_ratios = vec![];
        for d in rule::rules::<FactRatioDef>(file, &t, "fact_ratio")? {
            ids.add(file, &d.id)?;
            fact_ratios.push(FactRatioRule {
                numerator: (d.numerator.0.clone(), basis(file, &d.id, &d.numerator.1)?),
                denominator: (
                    d.denominator.0.clone(),
                    basis(file, &d.id, &d.denominator.1)?,
                ),
                id: d.id,
                description: d.description,
                rate: d.rate,
            });
        }
        let mut text_rates = vec![];
        for d in rule::rules::<TextRateDef>(file, &t, "text_rate")? {
            ids.add(file, &d.id)?;
            let kind = match d.kind.as_str() {
                "ratio" => TextRateKind::Ratio,
                "growth" => TextRateKind::Growth,
                "shares" => TextRateKind::Shares,
                k => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("unknown kind `{k}`"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            let needed: &[&str] = match kind {
                TextRateKind::Ratio => &["num", "den", "rate"],
                TextRateKind::Growth => &["now", "change", "rate"],
                TextRateKind::Shares => &["den"],
            };
            for g in needed {
                if !re.capture_names().flatten().any(|n| n == *g) {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("pattern lacks group `{g}`"),
                    ));
                }
            }
            let part = match (&d.part, kind) {
                (Some(p), TextRateKind::Shares) => {
                    let r = rule::compile(file, &d.id, p)?;
                    for g in ["num", "rate"] {
                        if !r.capture_names().flatten().any(|n| n == g) {
                            return Err(PatternError::new(
                                file,
                                Some(&d.id),
                                format!("part lacks group `{g}`"),
                            ));
                        }
                    }
                    Some(r)
                }
                (None, TextRateKind::Shares) => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        "a shares rule needs `part`",
                    ))
                }
                (Some(_), _) => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        "`part` is only for kind = \"shares\"",
                    ))
                }
                (None, _) => None,
            };
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            text_rates.push(TextRateRule {
                id: d.id,
                description: d.description,
                kind,
                re,
                part,
            });
        }
        let mut required = vec![];
        for d in rule::rules::<RequiredDef>(file, &t, "required")? {
            ids.add(file, &d.id)?;
            let doc_type = DocType::parse(&d.doc_type).ok_or_else(|| {
                PatternError::new(
                    file,
                    Some(&d.id),
                    format!("unknown doc_type `{}`", d.doc_type),
                )
            })?;
            let kinds = d
                .kinds
                .iter()
                .map(|k| {
                    TableKind::parse(k).ok_or_else(|| {
                        PatternError::new(file, Some(&d.id), format!("unknown table kind `{k}`"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            required.push(RequiredRule {
                id: d.id,
                description: d.description,
                doc_type,
                kinds,
            });
        }
        let mut tables = |section: &str| -> Result<Vec<TableRule>, PatternError> {
            rule::rules::<TableRuleDef>(file, &t, section)?
                .into_iter()
                .map(|d| table_rule(file, section, d, ids))
                .collect()
        };
        let row_sums = tables("row_sum")?;
        let code_sums = tables("code_sum")?;
        let label_sums = tables("label_sum")?;
        let panel_balances = tables("panel_balance")?;
        Ok(Checks {
            money_tolerance_digits,
            sums,
            fact_ratios,
            text_rates,
            required,
            row_sums,
            code_sums,
            label_sums,
            panel_balances,
        })
    }

    /// Every check id the set can produce, for documentation and the manifest.
    pub fn ids(&self) -> Vec<&str> {
        self.sums
            .iter()
            .map(|r| r.id.as_str())
            .chain(self.fact_ratios.iter().map(|r| r.id.as_str()))
            .chain(self.text_rates.iter().map(|r| r.id.as_str()))
            .chain(self.required.iter().map(|r| r.id.as_str()))
            .chain(
                self.row_sums
                    .iter()
                    .chain(&self.code_sums)
                    .chain(&self.label_sums)
                    .chain(&self.panel_balances)
                    .map(|r| r.id.as_str()),
            )
            .collect()
    }
}

/// Compile and cross-check one table-structure rule; which fields it needs depends
/// on its section.
fn table_rule(
    file: &str,
    section: &str,
    d: TableRuleDef,
    ids: &mut IdRegistry,
) -> Result<TableRule, PatternError> {
    ids.add(file, &d.id)?;
    let err = |msg: String| PatternError::new(file, Some(&d.id), msg);
    let kinds = d
        .kinds
        .iter()
        .map(|k| TableKind::parse(k).ok_or_else(|| err(format!("unknown table kind `{k}`"))))
        .collect::<Result<Vec<_>, _>>()?;
    if kinds.is_empty() {
        return Err(err("`kinds` is empty".into()));
    }
    let (total, wanted): (&Option<String>, &str) = match section {
        "panel_balance" => (&d.label, "label"),
        _ => (&d.total, "total"),
    };
    let total = total
        .as_deref()
        .ok_or_else(|| err(format!("[[{section}]] needs `{wanted}`")))?;
    let total = rule::compile(file, &d.id, total)?;
    rule::check_examples(file, &d.id, &total, &d.examples, &d.counter_examples)?;
    let misplaced = |field: &str, present: bool, allowed: &[&str]| {
        if present && !allowed.contains(&section) {
            Err(err(format!("`{field}` does not apply to [[{section}]]")))
        } else {
            Ok(())
        }
    };
    misplaced("exclude", d.exclude.is_some(), &["row_sum"])?;
    misplaced("panel", d.panel.is_some(), &["label_sum"])?;
    misplaced("parts", !d.parts.is_empty(), &["label_sum"])?;
    misplaced("label", d.label.is_some(), &["panel_balance"])?;
    misplaced(
        "total",
        d.total.is_some(),
        &["row_sum", "code_sum", "label_sum"],
    )?;
    let panel = match d.panel.as_deref() {
        None | Some("first") => Panel::First,
        Some("last") => Panel::Last,
        Some(p) => return Err(err(format!("unknown panel `{p}` (first or last)"))),
    };
    if section == "label_sum" && d.parts.is_empty() {
        return Err(err("[[label_sum]] needs `parts`".into()));
    }
    let exclude = d
        .exclude
        .as_deref()
        .map(|x| rule::compile(file, &d.id, x))
        .transpose()?;
    let parts = d
        .parts
        .iter()
        .map(|x| rule::compile(file, &d.id, x))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TableRule {
        id: d.id,
        description: d.description,
        kinds,
        total,
        exclude,
        panel,
        parts,
    })
}

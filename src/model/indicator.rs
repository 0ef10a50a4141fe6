use rust_decimal::Decimal;
use serde::Serialize;

use super::{Span, Unit};

/// Comparison written in front of a target value (`≥95%`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Op {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
}

/// A target or actual cell of an indicator row: `≥95%` → op `≥`, value 95, unit percent.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Measure {
    pub raw: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub value: Option<Decimal>,
    pub unit: Option<Unit>,
    pub op: Option<Op>,
}

/// One row of a 绩效指标 block (an `indicators.jsonl` line without `doc_id`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub table_id: u32,
    /// Project name for project tables; null for whole-unit tables.
    pub subject: Option<String>,
    pub level1: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub level1_weight: Option<Decimal>,
    pub level2: Option<String>,
    pub level3: Option<String>,
    pub target: Measure,
    pub actual: Measure,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub weight: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub score: Option<Decimal>,
    pub note: Option<String>,
    pub span: Span,
    /// True for a 总分/合计 row: kept for checks, not emitted as an indicator.
    #[serde(skip)]
    pub is_total: bool,
}

use rust_decimal::Decimal;
use serde::Serialize;

use super::Span;

/// The normalised unit of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Unit {
    /// Yuan (万元 ×10⁴, 亿元 ×10⁸ already applied).
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "percent")]
    Percent,
    #[serde(rename = "person")]
    Person,
    #[serde(rename = "count")]
    Count,
    #[serde(rename = "score")]
    Score,
}

/// Which budget stage a money figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 年初预算
    BudgetInitial,
    /// 调整后预算 / 全年预算
    BudgetFinal,
    /// 预算, stage not said
    Budget,
    /// 决算 / 执行 / 实际
    Actual,
    /// 上年
    PriorYear,
    /// Year-on-year change, signed.
    Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    Text,
    Table,
}

/// One figure found in the text or a table (a `facts.jsonl` line without `doc_id`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub metric: Option<String>,
    pub basis: Option<Basis>,
    pub subject: Option<String>,
    /// A JSON number, digits exact (no float rounding on the way out).
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub value: Decimal,
    pub unit: Unit,
    /// The figure as written in the decoded text (exactly `text[span.start..span.end]`).
    pub raw: String,
    /// The words that decided the metric.
    pub label: Option<String>,
    /// The year the figure is about.
    pub period: Option<i32>,
    pub source: FactSource,
    pub section_id: Option<u32>,
    pub table_id: Option<u32>,
    pub span: Span,
    /// Pattern rule that produced the fact.
    pub rule: String,
    /// `约`, `近`, `余`, `多`, `以上` …: the figure is approximate.
    pub approx: bool,
    /// Upper bound when the figure is a range (`300-500户`); `value` is the lower bound.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub value_max: Option<Decimal>,
}

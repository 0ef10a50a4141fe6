use serde::Serialize;

use super::Span;

/// How the converter flattened the table into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Each cell on its own tab-led line, rows separated by blank lines.
    CellPerLine,
    /// One row per line, cells separated by tabs.
    Tsv,
    /// Markdown or `|`-separated rows.
    Pipe,
    /// `pdftotext -layout`: columns aligned with spaces.
    Aligned,
}

/// What a table is, from its title and header signature (`patterns/tables.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// 收入支出决算总表
    IncomeExpenditureSummary,
    /// 收入决算表
    Income,
    /// 支出决算表
    Expenditure,
    /// 财政拨款收入支出决算总表
    FiscalSummary,
    /// 一般公共预算财政拨款支出决算表
    GeneralBudgetExpenditure,
    /// 一般公共预算财政拨款基本支出决算(明细)表
    BasicExpenditureDetail,
    /// “三公”经费支出决算表
    ThreePublic,
    /// 政府性基金预算财政拨款收入支出决算表
    GovFund,
    /// 国有资本经营预算财政拨款(收入)支出决算表
    StateCapital,
    /// 部门(单位)整体支出绩效自评表
    DeptEval,
    /// 项目支出绩效自评表
    ProjectEval,
    /// 绩效评价基础数据表
    EvalBasicData,
    /// 自评工作考核评分表
    EvalScoring,
    Other,
}

impl TableKind {
    pub const ALL: [TableKind; 14] = [
        TableKind::IncomeExpenditureSummary,
        TableKind::Income,
        TableKind::Expenditure,
        TableKind::FiscalSummary,
        TableKind::GeneralBudgetExpenditure,
        TableKind::BasicExpenditureDetail,
        TableKind::ThreePublic,
        TableKind::GovFund,
        TableKind::StateCapital,
        TableKind::DeptEval,
        TableKind::ProjectEval,
        TableKind::EvalBasicData,
        TableKind::EvalScoring,
        TableKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::IncomeExpenditureSummary => "income_expenditure_summary",
            TableKind::Income => "income",
            TableKind::Expenditure => "expenditure",
            TableKind::FiscalSummary => "fiscal_summary",
            TableKind::GeneralBudgetExpenditure => "general_budget_expenditure",
            TableKind::BasicExpenditureDetail => "basic_expenditure_detail",
            TableKind::ThreePublic => "three_public",
            TableKind::GovFund => "gov_fund",
            TableKind::StateCapital => "state_capital",
            TableKind::DeptEval => "dept_eval",
            TableKind::ProjectEval => "project_eval",
            TableKind::EvalBasicData => "eval_basic_data",
            TableKind::EvalScoring => "eval_scoring",
            TableKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One cell: its text as shown in the output, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// `None` for a cell that was empty or filled from a merged neighbour.
    pub span: Option<Span>,
    /// True when the text was copied from a merged cell above or to the left.
    pub filled: bool,
}

impl Cell {
    pub fn empty() -> Cell {
        Cell {
            text: String::new(),
            span: None,
            filled: false,
        }
    }
}

/// A table recovered from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Ordinal in the document, from 1.
    pub table_id: u32,
    pub section_id: Option<u32>,
    pub kind: TableKind,
    pub title: Option<String>,
    /// The project a project table (项目支出绩效自评表) is about (项目名称 / 项目支出名称).
    pub subject: Option<String>,
    /// As stated (`万元`, `元`), from a `单位：` line or a header such as `（万元）`.
    pub unit: Option<String>,
    pub layout: Layout,
    pub header: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    pub span: Span,
    /// 0-based normalised line range `[first, last]` the table occupies (title and unit lines included).
    pub lines: (usize, usize),
    /// 0-based normalised line of the title, when the table has one.
    pub title_line: Option<usize>,
    /// Pattern rule that decided `kind` (empty for `other`).
    pub rule: String,
}

use rust_decimal::Decimal;
use serde::Serialize;

/// Kinds of content a file holds, in the order they appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    FinalAccounts,
    Budget,
    DeptEvalReport,
    DeptEvalTable,
    ProjectEvalReport,
    ProjectEvalTable,
    EvalBasicData,
    EvalScoring,
    ThreePublicNote,
    Other,
}

impl DocType {
    pub const ALL: [DocType; 10] = [
        DocType::FinalAccounts,
        DocType::Budget,
        DocType::DeptEvalReport,
        DocType::DeptEvalTable,
        DocType::ProjectEvalReport,
        DocType::ProjectEvalTable,
        DocType::EvalBasicData,
        DocType::EvalScoring,
        DocType::ThreePublicNote,
        DocType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::FinalAccounts => "final_accounts",
            DocType::Budget => "budget",
            DocType::DeptEvalReport => "dept_eval_report",
            DocType::DeptEvalTable => "dept_eval_table",
            DocType::ProjectEvalReport => "project_eval_report",
            DocType::ProjectEvalTable => "project_eval_table",
            DocType::EvalBasicData => "eval_basic_data",
            DocType::EvalScoring => "eval_scoring",
            DocType::ThreePublicNote => "three_public_note",
            DocType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    County,
    Prefecture,
    Province,
}

/// Where the reporting unit sits; unknown parts are null, nothing is guessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Region {
    pub province: Option<String>,
    pub prefecture: Option<String>,
    pub county: Option<String>,
    pub adcode: Option<String>,
    pub level: Option<RegionLevel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Grade {
    #[serde(rename = "优")]
    Excellent,
    #[serde(rename = "良")]
    Good,
    #[serde(rename = "中")]
    Fair,
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }
}

/// The unit's overall self-evaluation result (not a project's).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SelfEval {
    #[serde(with = "super::decimal_json::option")]
    pub score: Option<Decimal>,
    pub grade: Option<Grade>,
    pub grade_raw: Option<String>,
}

/// Who/where/when/what of a report, filled by the card stage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Card {
    pub title: Option<String>,
    pub region: Region,
    pub org: Option<String>,
    pub fiscal_year: Option<i32>,
    pub doc_types: Vec<DocType>,
    pub report_date: Option<String>,
    pub self_eval: SelfEval,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    Ok,
    /// Read, but a stage gave up on part of it (see `errors`).
    Partial,
    /// Could not be read or decoded; nothing else was extracted.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Counts {
    pub lines: u32,
    pub chars: u32,
    pub sections: u32,
    pub tables: u32,
    pub indicators: u32,
    pub facts: u32,
    pub checks: u32,
}

/// A `documents.jsonl` line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRecord {
    pub doc_id: String,
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub encoding: Option<String>,
    pub title: Option<String>,
    pub region: Region,
    pub org: Option<String>,
    pub fiscal_year: Option<i32>,
    pub doc_types: Vec<DocType>,
    pub report_date: Option<String>,
    pub self_eval: SelfEval,
    pub counts: Counts,
    pub status: DocStatus,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

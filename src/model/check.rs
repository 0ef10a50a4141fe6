use serde::Serialize;
use serde_json::Value;

use super::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    /// Could not run (a table missing, a figure absent); never counted as a pass.
    Skipped,
}

impl CheckStatus {
    /// `Pass` when the check holds, else `Fail`.
    pub fn of(holds: bool) -> CheckStatus {
        if holds {
            CheckStatus::Pass
        } else {
            CheckStatus::Fail
        }
    }
}

/// One consistency check run on a document (a `checks.jsonl` line without `doc_id`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Stable id, documented in docs/checks.md (e.g. `sum.expenditure_parts`).
    pub check: String,
    pub status: CheckStatus,
    pub expected: Value,
    pub found: Value,
    pub message: String,
    /// Both sides of the comparison.
    pub spans: Vec<Span>,
    /// Allowed rounding difference, in the compared unit.
    pub tolerance: Option<Value>,
}

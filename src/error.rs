//! Library errors. Per-document problems become `status: "failed"` records and the
//! run goes on; pattern and output errors stop the run (exit code 2).

use std::path::PathBuf;

use thiserror::Error;

/// Why a file could not be turned into text.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DecodeError {
    #[error("binary file: {0}")]
    Binary(String),
    #[error("undecodable as {encoding}: {bad} of {total} characters are invalid sequences")]
    Undecodable {
        encoding: &'static str,
        bad: usize,
        total: usize,
    },
    #[error("file is {size} bytes, over the limit of {limit} bytes (--max-bytes)")]
    TooLarge { size: u64, limit: u64 },
}

/// A pattern file that cannot be used. Always names the file and, where there is
/// one, the rule.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("{file}{}: {reason}", rule.as_ref().map(|r| format!(": rule `{r}`")).unwrap_or_default())]
pub struct PatternError {
    pub file: String,
    pub rule: Option<String>,
    pub reason: String,
}

impl PatternError {
    pub fn new(file: &str, rule: Option<&str>, reason: impl Into<String>) -> PatternError {
        PatternError {
            file: file.to_string(),
            rule: rule.map(str::to_string),
            reason: reason.into(),
        }
    }
}

/// Errors that end a whole run.
#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Patterns(#[from] PatternError),
    #[error("output folder {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("input {path}: {reason}")]
    Input { path: PathBuf, reason: String },
    /// A signal stopped the run; the previous outputs are untouched.
    #[error("interrupted by signal {signal}: {done} of {total} documents were finished; the previous outputs were left in place")]
    Interrupted { signal: i32, done: u64, total: u64 },
    /// `--fail-fast`: the first failed document ends the run.
    #[error(
        "{path}: {error} (--fail-fast: the run stopped; the previous outputs were left in place)"
    )]
    FailFast { path: String, error: String },
    /// `baogao merge` was given outputs that are not the shards of one run.
    #[error("merge: {0}")]
    Merge(String),
}

//! `manifest.json`: what a run read, what it made of each input, and how long it took.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{CheckStatus, DocStatus};
use crate::pipeline::Outcome;

/// One input of the run and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct InputEntry {
    pub path: String,
    /// `ok`, `partial`, `failed` or `skipped`.
    pub status: String,
    pub doc_id: Option<String>,
    pub error: Option<String>,
}

/// Counts over the run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub inputs: u64,
    pub documents: u64,
    pub ok: u64,
    pub partial: u64,
    pub failed: u64,
    pub skipped: u64,
    pub bytes: u64,
    pub sections: u64,
    pub tables: u64,
    pub indicators: u64,
    pub facts: u64,
    pub checks: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckTally {
    pub run: u64,
    pub pass: u64,
    pub fail: u64,
    pub skipped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timings {
    pub jobs: usize,
    pub patterns_ms: u64,
    pub extract_ms: u64,
    pub total_ms: u64,
    pub mb_per_s: f64,
    pub docs_per_s: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub contract: &'static str,
    pub patterns_hash: String,
    pub patterns: BTreeMap<String, String>,
    pub summary: Summary,
    pub checks: BTreeMap<String, CheckTally>,
    pub failures: Vec<InputEntry>,
    pub inputs: Vec<InputEntry>,
    /// Not deterministic; absent with `--no-timings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
}

impl Manifest {
    pub fn new(patterns_hash: String, patterns: BTreeMap<String, String>) -> Manifest {
        Manifest {
            tool: "baogao",
            version: env!("CARGO_PKG_VERSION"),
            contract: "v1",
            patterns_hash,
            patterns,
            summary: Summary::default(),
            checks: BTreeMap::new(),
            failures: vec![],
            inputs: vec![],
            timings: None,
        }
    }

    pub fn skipped(&mut self, path: String, reason: String) {
        self.summary.inputs += 1;
        self.summary.skipped += 1;
        self.inputs.push(InputEntry {
            path,
            status: "skipped".into(),
            doc_id: None,
            error: Some(reason),
        });
    }

    /// Record one document's outcome.
    pub fn add(&mut self, o: &Outcome) {
        let s = &mut self.summary;
        s.inputs += 1;
        s.documents += 1;
        let status = o.status();
        let mut error = None;
        match o {
            Outcome::Failed(f) => {
                s.failed += 1;
                s.bytes += f.bytes;
                error = Some(f.error.clone());
            }
            Outcome::Extracted(d) => {
                match status {
                    DocStatus::Partial => s.partial += 1,
                    _ => s.ok += 1,
                }
                s.bytes += d.bytes;
                s.sections += d.sections.len() as u64;
                s.tables += d.tables.len() as u64;
                s.indicators +=
                    crate::emit::records::emitted_indicators(&d.indicators).count() as u64;
                s.facts += d.facts.len() as u64;
                s.checks += d.checks.len() as u64;
                for c in &d.checks {
                    let t = self.checks.entry(c.check.clone()).or_default();
                    match c.status {
                        CheckStatus::Pass => {
                            t.run += 1;
                            t.pass += 1
                        }
                        CheckStatus::Fail => {
                            t.run += 1;
                            t.fail += 1
                        }
                        CheckStatus::Skipped => t.skipped += 1,
                    }
                }
                let errs = d.status_errors();
                if !errs.is_empty() {
                    error = Some(errs.join("; "));
                }
            }
        }
        let entry = InputEntry {
            path: o.path().to_string(),
            status: match status {
                DocStatus::Ok => "ok",
                DocStatus::Partial => "partial",
                DocStatus::Failed => "failed",
            }
            .into(),
            doc_id: Some(o.doc_id().to_string()),
            error,
        };
        if status == DocStatus::Failed {
            self.failures.push(entry.clone());
        }
        self.inputs.push(entry);
    }
}

//! `manifest.json`: what a run read, what it made of each input, and how long it took.
//!
//! Everything but `timings` is a pure function of the inputs and the pattern set, so
//! two runs, a run and its `--incremental` re-run, and the merge of a run's shards
//! give byte-identical manifests once timings are left out (`--no-timings`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::output::DocOutput;

/// One input of the run and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputEntry {
    pub path: String,
    /// `ok`, `partial`, `failed` or `skipped`.
    pub status: String,
    pub doc_id: Option<String>,
    pub error: Option<String>,
}

/// Counts over the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

impl Summary {
    /// Add another part's counts (a shard's, when merging).
    pub fn absorb(&mut self, o: &Summary) {
        self.inputs += o.inputs;
        self.documents += o.documents;
        self.ok += o.ok;
        self.partial += o.partial;
        self.failed += o.failed;
        self.skipped += o.skipped;
        self.bytes += o.bytes;
        self.sections += o.sections;
        self.tables += o.tables;
        self.indicators += o.indicators;
        self.facts += o.facts;
        self.checks += o.checks;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckTally {
    pub run: u64,
    pub pass: u64,
    pub fail: u64,
    pub skipped: u64,
}

impl CheckTally {
    pub fn absorb(&mut self, o: &CheckTally) {
        self.run += o.run;
        self.pass += o.pass;
        self.fail += o.fail;
        self.skipped += o.skipped;
    }
}

/// Wall-clock figures; the only part of the manifest that differs between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub jobs: usize,
    pub patterns_ms: u64,
    pub extract_ms: u64,
    pub total_ms: u64,
    pub mb_per_s: f64,
    pub docs_per_s: f64,
    /// Documents taken from the `--incremental` cache instead of extracted.
    #[serde(default)]
    pub cached: u64,
}

impl Timings {
    pub fn new(
        jobs: usize,
        patterns_ms: u64,
        extract_ms: u64,
        bytes: u64,
        docs: u64,
        cached: u64,
    ) -> Timings {
        let secs = (extract_ms as f64 / 1000.0).max(1e-3);
        Timings {
            jobs,
            patterns_ms,
            extract_ms,
            total_ms: patterns_ms + extract_ms,
            mb_per_s: (bytes as f64 / 1e6 / secs * 100.0).round() / 100.0,
            docs_per_s: (docs as f64 / secs * 10.0).round() / 10.0,
            cached,
        }
    }
}

/// Which part of a `--shard K/N` split a manifest covers. Present only in shard
/// outputs; `baogao merge` checks it and leaves it out of the merged manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardInfo {
    /// 1-based.
    pub index: u32,
    pub count: u32,
    /// Inputs (documents and skipped entries) of the whole, unsplit run.
    pub inputs_total: u64,
    /// SHA-256 over the paths of the whole run's inputs: shards of different input
    /// sets are never merged.
    pub inputs_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub contract: String,
    pub patterns_hash: String,
    pub patterns: BTreeMap<String, String>,
    pub summary: Summary,
    pub checks: BTreeMap<String, CheckTally>,
    pub failures: Vec<InputEntry>,
    pub inputs: Vec<InputEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
    /// Not deterministic; absent with `--no-timings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
}

impl Manifest {
    pub fn new(patterns_hash: String, patterns: BTreeMap<String, String>) -> Manifest {
        Manifest {
            tool: "baogao".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            contract: "v1".into(),
            patterns_hash,
            patterns,
            summary: Summary::default(),
            checks: BTreeMap::new(),
            failures: vec![],
            inputs: vec![],
            shard: None,
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

    /// Record one document's output.
    pub fn add(&mut self, d: &DocOutput) {
        let s = &mut self.summary;
        let st = &d.stats;
        s.inputs += 1;
        s.documents += 1;
        match d.entry.status.as_str() {
            "failed" => s.failed += 1,
            "partial" => s.partial += 1,
            _ => s.ok += 1,
        }
        s.bytes += st.bytes;
        s.sections += st.sections;
        s.tables += st.tables;
        s.indicators += st.indicators;
        s.facts += st.facts;
        s.checks += st.checks;
        for (id, t) in &st.tally {
            self.checks.entry(id.clone()).or_default().absorb(t);
        }
        if d.failed() {
            self.failures.push(d.entry.clone());
        }
        self.inputs.push(d.entry.clone());
    }

    /// The bytes of `manifest.json`.
    pub fn to_json(&self) -> std::io::Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        v.push(b'\n');
        Ok(v)
    }
}

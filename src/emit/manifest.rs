//! `manifest.json`: what a run read, what it made of each input, and how long it took.
//!
//! Everything but `timings` is a pure function of the inputs and the pattern set, so
//! two runs, a run and its `--incremental` re-run, and the merge of a run's shards
//! give byte-identical manifests once timings are left out (`--no-timings`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize, Serializer};

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

    /// Record one document's counts and failure. Its entry in `inputs` is not kept
    /// here: [`super::Generation::write`] spills it to disk with the document's
    /// lines, so memory does not grow with the number of inputs.
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
    }

    /// The bytes of `manifest.json`.
    pub fn to_json(&self) -> std::io::Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        v.push(b'\n');
        Ok(v)
    }

    /// Write `manifest.json` with `inputs` streamed from `entries` instead of
    /// `self.inputs`: the same bytes as [`Manifest::to_json`] would give with those
    /// entries, without holding them in memory.
    pub fn write_json<I>(&self, entries: I, w: &mut impl Write) -> io::Result<()>
    where
        I: Iterator<Item = io::Result<InputEntry>>,
    {
        let view = View {
            tool: &self.tool,
            version: &self.version,
            contract: &self.contract,
            patterns_hash: &self.patterns_hash,
            patterns: &self.patterns,
            summary: &self.summary,
            checks: &self.checks,
            failures: &self.failures,
            inputs: Stream(RefCell::new(Some(entries))),
            shard: &self.shard,
            timings: &self.timings,
        };
        serde_json::to_writer_pretty(&mut *w, &view).map_err(io::Error::other)?;
        w.write_all(b"\n")
    }
}

/// [`Manifest`] field for field (order, names and skips), borrowing all but the
/// inputs; a test holds the two to the same bytes.
#[derive(Serialize)]
#[serde(bound(serialize = "Stream<I>: Serialize"))]
struct View<'a, I: Iterator<Item = io::Result<InputEntry>>> {
    tool: &'a str,
    version: &'a str,
    contract: &'a str,
    patterns_hash: &'a str,
    patterns: &'a BTreeMap<String, String>,
    summary: &'a Summary,
    checks: &'a BTreeMap<String, CheckTally>,
    failures: &'a [InputEntry],
    inputs: Stream<I>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: &'a Option<ShardInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timings: &'a Option<Timings>,
}

/// A sequence serialised straight from an iterator (once).
struct Stream<I>(RefCell<Option<I>>);

impl<I: Iterator<Item = io::Result<InputEntry>>> Serialize for Stream<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let Some(entries) = self.0.borrow_mut().take() else {
            return Err(S::Error::custom("inputs serialised twice"));
        };
        let mut seq = s.serialize_seq(None)?;
        for e in entries {
            seq.serialize_element(&e.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// Two runs of entries sorted by path, merged into one (ties: `a` first, as a
/// stable sort of `a` then `b` would order them).
pub fn merge_sorted<A, B>(a: A, b: B) -> impl Iterator<Item = io::Result<InputEntry>>
where
    A: Iterator<Item = io::Result<InputEntry>>,
    B: Iterator<Item = InputEntry>,
{
    let mut a = a.peekable();
    let mut b = b.peekable();
    std::iter::from_fn(move || {
        let take_b = match (a.peek(), b.peek()) {
            (Some(Ok(x)), Some(y)) => y.path < x.path,
            (None, Some(_)) => true,
            _ => false,
        };
        if take_b {
            b.next().map(Ok)
        } else {
            a.next()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, status: &str) -> InputEntry {
        InputEntry {
            path: path.into(),
            status: status.into(),
            doc_id: (status != "skipped").then(|| "0123456789abcdef".into()),
            error: (status != "ok").then(|| format!("why \"{path}\"")),
        }
    }

    #[test]
    fn streamed_manifest_is_byte_identical() {
        let mut m = Manifest::new("h".into(), [("a.toml".into(), "embedded".into())].into());
        m.summary.documents = 3;
        m.checks.insert("c".into(), CheckTally::default());
        m.failures.push(entry("b", "failed"));
        m.timings = Some(Timings::new(2, 30, 1000, 5_000_000, 3, 0));
        for inputs in [
            vec![],
            vec![entry("a", "ok")],
            vec![
                entry("a", "ok"),
                entry("b", "failed"),
                entry("c", "skipped"),
            ],
        ] {
            m.inputs = inputs.clone();
            let want = m.to_json().unwrap();
            m.inputs.clear();
            let mut got = vec![];
            m.write_json(inputs.into_iter().map(Ok), &mut got).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn merge_keeps_path_order() {
        let a = vec![entry("a", "ok"), entry("c", "ok"), entry("d", "ok")];
        let b = vec![
            entry("b", "skipped"),
            entry("c", "skipped"),
            entry("e", "skipped"),
        ];
        let got: Vec<(String, String)> = merge_sorted(a.into_iter().map(Ok), b.into_iter())
            .map(|e| e.map(|e| (e.path, e.status)).unwrap())
            .collect();
        let want = [
            ("a", "ok"),
            ("b", "skipped"),
            ("c", "ok"),
            ("c", "skipped"),
            ("d", "ok"),
            ("e", "skipped"),
        ];
        assert_eq!(got, want.map(|(p, s)| (p.to_string(), s.to_string())));
    }
}

//! One document's finished output: its dataset lines, already serialised, and what
//! it adds to the manifest.
//!
//! Everything a run writes about a document goes through this one value, whether
//! the document was just extracted, taken from the `--incremental` cache or read
//! back from a shard by `baogao merge`. That is what makes those three paths give
//! the same bytes: there is only one serialisation, done once.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::manifest::{CheckTally, InputEntry};
use super::{records, DATASETS};
use crate::model::{CheckStatus, DocStatus};
use crate::pipeline::Outcome;

/// What a document adds to the manifest's `summary` and `checks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocStats {
    pub bytes: u64,
    pub sections: u64,
    pub tables: u64,
    pub indicators: u64,
    pub facts: u64,
    pub checks: u64,
    /// Per check id: how this document's checks of that id ended.
    pub tally: BTreeMap<String, CheckTally>,
}

/// A document's lines for the six datasets and its manifest entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DocOutput {
    /// JSON Lines bytes per dataset, in [`DATASETS`] order (each ends with `\n`).
    pub lines: [Vec<u8>; 6],
    pub entry: InputEntry,
    pub stats: DocStats,
}

fn status_str(s: DocStatus) -> &'static str {
    match s {
        DocStatus::Ok => "ok",
        DocStatus::Partial => "partial",
        DocStatus::Failed => "failed",
    }
}

fn push<T: Serialize>(buf: &mut Vec<u8>, item: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *buf, item).map_err(io::Error::other)?;
    buf.push(b'\n');
    Ok(())
}

impl DocOutput {
    /// Serialise an outcome. Fails only if a value cannot be written as JSON.
    pub fn from_outcome(outcome: &Outcome) -> io::Result<DocOutput> {
        let mut lines: [Vec<u8>; 6] = Default::default();
        let status = outcome.status();
        let mut stats = DocStats::default();
        let mut error = None;
        match outcome {
            Outcome::Failed(f) => {
                push(&mut lines[0], &records::failed_document(f))?;
                stats.bytes = f.bytes;
                error = Some(f.error.clone());
            }
            Outcome::Extracted(doc) => {
                let id = doc.doc_id.as_str();
                let errs = doc.status_errors();
                if !errs.is_empty() {
                    error = Some(errs.join("; "));
                }
                push(&mut lines[0], &records::document(doc, status, errs))?;
                for s in &doc.sections {
                    push(&mut lines[1], &records::section(id, s))?;
                }
                for t in &doc.tables {
                    push(&mut lines[2], &records::TableRecord::new(id, t))?;
                }
                let mut indicators = 0;
                for i in records::emitted_indicators(&doc.indicators) {
                    push(&mut lines[3], &records::indicator(id, i))?;
                    indicators += 1;
                }
                for f in &doc.facts {
                    push(&mut lines[4], &records::fact(id, f))?;
                }
                for c in &doc.checks {
                    push(&mut lines[5], &records::check(id, c))?;
                    let t = stats.tally.entry(c.check.clone()).or_default();
                    match c.status {
                        CheckStatus::Pass => {
                            t.run += 1;
                            t.pass += 1;
                        }
                        CheckStatus::Fail => {
                            t.run += 1;
                            t.fail += 1;
                        }
                        CheckStatus::Skipped => t.skipped += 1,
                    }
                }
                stats.bytes = doc.bytes;
                stats.sections = doc.sections.len() as u64;
                stats.tables = doc.tables.len() as u64;
                stats.indicators = indicators;
                stats.facts = doc.facts.len() as u64;
                stats.checks = doc.checks.len() as u64;
            }
        }
        Ok(DocOutput {
            lines,
            entry: InputEntry {
                path: outcome.path().to_string(),
                status: status_str(status).to_string(),
                doc_id: Some(outcome.doc_id().to_string()),
                error,
            },
            stats,
        })
    }

    pub fn failed(&self) -> bool {
        self.entry.status == "failed"
    }

    /// The cache file format: one JSON header line, then the six blobs back to back.
    pub fn encode(&self, key: &str, w: &mut impl Write) -> io::Result<()> {
        let header = CacheHeader {
            format: CACHE_FORMAT,
            key: key.to_string(),
            entry: self.entry.clone(),
            stats: self.stats.clone(),
            lens: self.lines.iter().map(|l| l.len() as u64).collect(),
        };
        serde_json::to_writer(&mut *w, &header).map_err(io::Error::other)?;
        w.write_all(b"\n")?;
        for l in &self.lines {
            w.write_all(l)?;
        }
        Ok(())
    }

    /// Read back what [`DocOutput::encode`] wrote under `key`; `None` for anything
    /// else (another key, another format, a damaged file).
    pub fn decode(key: &str, bytes: &[u8]) -> Option<DocOutput> {
        let nl = bytes.iter().position(|&b| b == b'\n')?;
        let header: CacheHeader = serde_json::from_slice(&bytes[..nl]).ok()?;
        if header.format != CACHE_FORMAT || header.key != key || header.lens.len() != DATASETS.len()
        {
            return None;
        }
        let mut rest = &bytes[nl + 1..];
        let total: u64 = header
            .lens
            .iter()
            .try_fold(0u64, |a, &l| a.checked_add(l))?;
        if total != rest.len() as u64 {
            return None;
        }
        let mut lines: [Vec<u8>; 6] = Default::default();
        for (slot, &len) in lines.iter_mut().zip(&header.lens) {
            let (head, tail) = rest.split_at(usize::try_from(len).ok()?);
            if !(head.is_empty() || head.ends_with(b"\n")) {
                return None;
            }
            *slot = head.to_vec();
            rest = tail;
        }
        Some(DocOutput {
            lines,
            entry: header.entry,
            stats: header.stats,
        })
    }
}

const CACHE_FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CacheHeader {
    format: u32,
    key: String,
    entry: InputEntry,
    stats: DocStats,
    lens: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DocOutput {
        DocOutput {
            lines: [
                b"{\"doc_id\":\"a\"}\n".to_vec(),
                vec![],
                b"{\"x\":1}\n{\"x\":2}\n".to_vec(),
                vec![],
                vec![],
                vec![],
            ],
            entry: InputEntry {
                path: "d/a.txt".into(),
                status: "ok".into(),
                doc_id: Some("a".into()),
                error: None,
            },
            stats: DocStats {
                bytes: 3,
                tables: 2,
                ..Default::default()
            },
        }
    }

    #[test]
    fn cache_round_trip() {
        let d = sample();
        let mut buf = vec![];
        d.encode("k1", &mut buf).unwrap();
        assert_eq!(DocOutput::decode("k1", &buf), Some(d));
        assert_eq!(DocOutput::decode("k2", &buf), None);
        // Truncated or extended files are refused, never half-read.
        for cut in 0..buf.len() {
            assert_eq!(DocOutput::decode("k1", &buf[..cut]), None, "cut at {cut}");
        }
        buf.push(b'x');
        assert_eq!(DocOutput::decode("k1", &buf), None);
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = DocOutput::decode("k", &bytes);
        }
    }
}

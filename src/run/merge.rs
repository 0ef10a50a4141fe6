//! `baogao merge DIR...`: the outputs of `--shard 1/N` … `--shard N/N` combined into
//! exactly the bytes a single run over all inputs writes.
//!
//! A single run writes documents in byte order of `path`, and a shard writes its
//! own documents in that same order; so merging is a k-way merge of the shards'
//! `documents.jsonl` by `path`, each document followed by as many lines of the other
//! datasets as its `counts` say (checked against their `doc_id`). The manifest is
//! rebuilt: counts and check tallies are sums, `inputs` and `failures` are merged by
//! path, the `shard` block is dropped. Timings: see [`merge_timings`].
//!
//! Shards are refused unless they are the complete set of one split (every K of the
//! same N, once) of the same inputs (`inputs_hash`), made by the same program version
//! with the same pattern set: anything else could not equal a single run.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Report;
use crate::emit::{store, InputEntry, Manifest, Store, Timings, DATASETS, MANIFEST};
use crate::error::RunError;

/// Options of `baogao merge`.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    pub dirs: Vec<PathBuf>,
    pub out: PathBuf,
    pub timings: bool,
}

fn bad(msg: impl Into<String>) -> RunError {
    RunError::Merge(msg.into())
}

/// One shard's outputs, read as streams.
struct Part {
    name: String,
    readers: Vec<BufReader<File>>,
    /// Next `documents.jsonl` line, read ahead for the k-way merge.
    next: Option<(DocHead, Vec<u8>)>,
    line_no: [u64; 6],
}

#[derive(Deserialize)]
struct DocHead {
    doc_id: String,
    path: String,
    #[serde(default)]
    counts: Counts,
}

#[derive(Deserialize, Default)]
struct Counts {
    #[serde(default)]
    sections: u64,
    #[serde(default)]
    tables: u64,
    #[serde(default)]
    indicators: u64,
    #[serde(default)]
    facts: u64,
    #[serde(default)]
    checks: u64,
}

#[derive(Deserialize)]
struct LineHead {
    doc_id: String,
}

impl Part {
    fn open(dir: &Path, name: String) -> Result<Part, RunError> {
        let readers = DATASETS
            .iter()
            .map(|n| {
                File::open(dir.join(n))
                    .map(|f| BufReader::with_capacity(1 << 16, f))
                    .map_err(|e| bad(format!("{name}: {n}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut p = Part {
            name,
            readers,
            next: None,
            line_no: [0; 6],
        };
        p.advance()?;
        Ok(p)
    }

    /// One line of dataset `i`, or `None` at its end.
    fn line(&mut self, i: usize) -> Result<Option<Vec<u8>>, RunError> {
        let mut buf = vec![];
        let n = self.readers[i]
            .read_until(b'\n', &mut buf)
            .map_err(|e| bad(format!("{}: {}: {e}", self.name, DATASETS[i])))?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no[i] += 1;
        if !buf.ends_with(b"\n") {
            return Err(bad(format!(
                "{}: {} line {} is cut short",
                self.name, DATASETS[i], self.line_no[i]
            )));
        }
        Ok(Some(buf))
    }

    fn advance(&mut self) -> Result<(), RunError> {
        self.next = match self.line(0)? {
            None => None,
            Some(l) => {
                let h: DocHead = serde_json::from_slice(&l).map_err(|e| {
                    bad(format!(
                        "{}: documents.jsonl line {}: {e}",
                        self.name, self.line_no[0]
                    ))
                })?;
                Some((h, l))
            }
        };
        Ok(())
    }

    /// Copy the current document and its lines into `gen`.
    fn copy_doc(&mut self, gen: &mut store::Generation) -> Result<(), RunError> {
        let Some((head, line)) = self.next.take() else {
            return Ok(());
        };
        let io = |e: std::io::Error| bad(format!("writing the merged outputs: {e}"));
        gen.write_raw(0, &line).map_err(io)?;
        let c = &head.counts;
        for (i, n) in [c.sections, c.tables, c.indicators, c.facts, c.checks]
            .into_iter()
            .enumerate()
        {
            let ds = i + 1;
            for _ in 0..n {
                let l = self.line(ds)?.ok_or_else(|| {
                    bad(format!(
                        "{}: {} ends before the lines of document {} ({})",
                        self.name, DATASETS[ds], head.doc_id, head.path
                    ))
                })?;
                let lh: LineHead = serde_json::from_slice(&l).map_err(|e| {
                    bad(format!(
                        "{}: {} line {}: {e}",
                        self.name, DATASETS[ds], self.line_no[ds]
                    ))
                })?;
                if lh.doc_id != head.doc_id {
                    return Err(bad(format!(
                        "{}: {} line {} belongs to {}, expected {} ({})",
                        self.name,
                        DATASETS[ds],
                        self.line_no[ds],
                        lh.doc_id,
                        head.doc_id,
                        head.path
                    )));
                }
                gen.write_raw(ds, &l).map_err(io)?;
            }
        }
        self.advance()
    }

    fn check_exhausted(&mut self) -> Result<(), RunError> {
        for (i, name) in DATASETS.iter().enumerate().skip(1) {
            if self.line(i)?.is_some() {
                return Err(bad(format!(
                    "{}: {name} has lines past its last document",
                    self.name
                )));
            }
        }
        Ok(())
    }
}

fn read_manifest(dir: &Path, name: &str) -> Result<Manifest, RunError> {
    let p = dir.join(MANIFEST);
    let text = std::fs::read(&p)
        .map_err(|e| bad(format!("{name}: no complete run here ({MANIFEST}: {e})")))?;
    serde_json::from_slice(&text).map_err(|e| bad(format!("{name}: {MANIFEST}: {e}")))
}

/// Timings of a merged run: present only if every shard has them. The shards ran
/// side by side, so the slowest shard's wall clock is the run's; threads add up.
/// Rates are recomputed over the whole run. Timings are never byte-identical
/// between two runs anyway: compare manifests made with `--no-timings`.
pub fn merge_timings(parts: &[Option<Timings>], bytes: u64, docs: u64) -> Option<Timings> {
    let all: Option<Vec<&Timings>> = parts.iter().map(|t| t.as_ref()).collect();
    let all = all.filter(|a| !a.is_empty())?;
    let patterns_ms = all.iter().map(|t| t.patterns_ms).max().unwrap_or(0);
    let extract_ms = all.iter().map(|t| t.extract_ms).max().unwrap_or(0);
    let mut t = Timings::new(
        all.iter().map(|t| t.jobs).sum(),
        patterns_ms,
        extract_ms,
        bytes,
        docs,
        all.iter().map(|t| t.cached).sum(),
    );
    t.total_ms = all.iter().map(|t| t.total_ms).max().unwrap_or(t.total_ms);
    Some(t)
}

/// Check that the manifests are the complete shard set of one run.
fn check_set(names: &[String], ms: &[Manifest]) -> Result<(), RunError> {
    let first = &ms[0];
    for (n, m) in names.iter().zip(ms).skip(1) {
        for (what, a, b) in [
            ("tool", &first.tool, &m.tool),
            ("version", &first.version, &m.version),
            ("contract", &first.contract, &m.contract),
            ("patterns_hash", &first.patterns_hash, &m.patterns_hash),
        ] {
            if a != b {
                return Err(bad(format!(
                    "{n} has {what} {b}, {} has {a}: shards must come from the same program and patterns",
                    names[0]
                )));
            }
        }
        if m.patterns != first.patterns {
            return Err(bad(format!(
                "{n} read its pattern files from other places than {} ({:?} vs {:?})",
                names[0], m.patterns, first.patterns
            )));
        }
    }
    if ms.len() == 1 && ms[0].shard.is_none() {
        return Ok(());
    }
    let mut seen = vec![];
    for (n, m) in names.iter().zip(ms) {
        let s = m.shard.as_ref().ok_or_else(|| {
            bad(format!(
                "{n} is not a shard output (it was not run with --shard K/N)"
            ))
        })?;
        let f = first.shard.as_ref().ok_or_else(|| {
            bad(format!(
                "{} is not a shard output (it was not run with --shard K/N)",
                names[0]
            ))
        })?;
        if s.count != f.count || s.inputs_hash != f.inputs_hash || s.inputs_total != f.inputs_total
        {
            return Err(bad(format!(
                "{n} is shard {}/{} of another input set than {} (shard {}/{}); run every shard over the same inputs",
                s.index, s.count, names[0], f.index, f.count
            )));
        }
        if seen.contains(&s.index) {
            return Err(bad(format!(
                "shard {}/{} given twice ({n})",
                s.index, s.count
            )));
        }
        seen.push(s.index);
    }
    let count = first.shard.as_ref().map(|s| s.count).unwrap_or(1);
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!("missing shards: {}", missing.join(", "))));
    }
    let inputs: u64 = ms.iter().map(|m| m.summary.inputs).sum();
    let total = first
        .shard
        .as_ref()
        .map(|s| s.inputs_total)
        .unwrap_or(inputs);
    if inputs != total {
        return Err(bad(format!(
            "the shards list {inputs} inputs, the run had {total}"
        )));
    }
    Ok(())
}

/// Entries of several shards, in the single run's order: by path, stable.
fn merge_entries(lists: Vec<Vec<InputEntry>>) -> Vec<InputEntry> {
    // Equal paths always fall in the same shard, so a stable sort of the
    // concatenation keeps each shard's own order for them.
    let mut all: Vec<InputEntry> = lists.into_iter().flatten().collect();
    all.sort_by(|a, b| a.path.cmp(&b.path));
    all
}

/// Merge shard outputs into `opts.out`.
pub fn merge(opts: &MergeOptions) -> Result<Report, RunError> {
    if opts.dirs.is_empty() {
        return Err(bad("no shard folders given"));
    }
    let out_abs = opts.out.canonicalize().ok();
    let mut names = vec![];
    let mut dirs = vec![];
    for d in &opts.dirs {
        let name = d.display().to_string();
        if out_abs.is_some() && d.canonicalize().ok() == out_abs {
            return Err(bad(format!("{name} is also the output folder")));
        }
        dirs.push(store::resolve(d));
        names.push(name);
    }
    let manifests = dirs
        .iter()
        .zip(&names)
        .map(|(d, n)| read_manifest(d, n))
        .collect::<Result<Vec<_>, _>>()?;
    check_set(&names, &manifests)?;
    // The single run's order: shards sorted by index (ties never cross shards).
    let mut order: Vec<usize> = (0..manifests.len()).collect();
    order.sort_by_key(|&i| manifests[i].shard.as_ref().map(|s| s.index).unwrap_or(0));

    let out_err = |e: std::io::Error| RunError::Output {
        path: opts.out.clone(),
        source: e,
    };
    let store = Store::open(&opts.out).map_err(out_err)?;
    let mut parts = order
        .iter()
        .map(|&i| Part::open(&dirs[i], names[i].clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut gen = store.begin().map_err(out_err)?;
    let mut copied = 0u64;
    let result = (|| {
        loop {
            let pick = parts
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.next.as_ref().map(|(h, _)| (i, h.path.as_str())))
                .min_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)))
                .map(|(i, _)| i);
            match pick {
                Some(i) => {
                    parts[i].copy_doc(&mut gen)?;
                    copied += 1;
                }
                None => break,
            }
        }
        for p in &mut parts {
            p.check_exhausted()?;
        }
        Ok::<(), RunError>(())
    })();
    if let Err(e) = result {
        store.abort(gen);
        return Err(e);
    }

    let first = &manifests[0];
    let mut m = Manifest::new(first.patterns_hash.clone(), first.patterns.clone());
    m.tool = first.tool.clone();
    m.version = first.version.clone();
    m.contract = first.contract.clone();
    for &i in &order {
        let s = &manifests[i];
        m.summary.absorb(&s.summary);
        for (id, t) in &s.checks {
            m.checks.entry(id.clone()).or_default().absorb(t);
        }
    }
    m.failures = merge_entries(
        order
            .iter()
            .map(|&i| manifests[i].failures.clone())
            .collect(),
    );
    m.inputs = merge_entries(order.iter().map(|&i| manifests[i].inputs.clone()).collect());
    if opts.timings {
        let ts: Vec<Option<Timings>> = manifests.iter().map(|m| m.timings.clone()).collect();
        m.timings = merge_timings(&ts, m.summary.bytes, m.summary.documents);
    }
    let documents = m.summary.documents;
    let failures = m.failures.len() as u64;
    if failures != m.summary.failed || documents != copied {
        store.abort(gen);
        return Err(bad(
            "the shards' manifests disagree with their failure lists",
        ));
    }
    store.commit(gen, &m).map_err(out_err)?;
    Ok(Report {
        manifest: m,
        cached: 0,
        extracted: documents,
    })
}

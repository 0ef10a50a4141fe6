//! Batch runs: inputs → documents in parallel → datasets, deterministically, in a
//! way that never loses work.
//!
//! - Inputs are walked, then put in byte order of their output `path`: the order
//!   of the datasets is a function of the set of inputs, not of argument order,
//!   thread count or shard split, which is what lets `baogao merge` rebuild a
//!   single run's bytes from its shards. The sorted list then goes to a scratch
//!   file in the generation and is read back as documents are taken, so memory
//!   while working does not grow with the number of inputs.
//! - Documents are processed by one worker per `--jobs` (on a rayon pool), never more
//!   than a window of a few per thread ahead of the writer, which appends results in
//!   input order as they complete: memory holds one window's working sets, never the
//!   corpus, and no worker waits for the slowest document of a batch.
//! - Outputs go to a new generation that becomes current in one rename when the run
//!   completes ([`crate::emit::store`]): a killed or interrupted run leaves the
//!   previous outputs as they were.
//! - With `--incremental`, finished documents are cached by content, patterns and
//!   program ([`cache`]), so a re-run (also after an interruption) only extracts
//!   what changed.

pub mod cache;
pub mod inputs;
pub mod interrupt;
pub mod merge;
mod progress;
pub mod read;
pub mod shard;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::emit::{DocOutput, Manifest, ShardInfo, Store, Timings};
use crate::error::RunError;
use crate::patterns::PatternSet;
use crate::pipeline::{self, Limits, Outcome};
use cache::Cache;
use inputs::Input;
use progress::Progress;
use shard::Shard;

/// Options of `baogao extract`.
#[derive(Debug, Clone)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: usize,
    pub limits: Limits,
    pub timings: bool,
    pub quiet: bool,
    /// Reuse and keep the per-document cache in `out/.baogao/cache`.
    pub incremental: bool,
    /// Only the inputs of this shard.
    pub shard: Option<Shard>,
    /// The first failed document ends the run (no outputs are replaced).
    pub fail_fast: bool,
}

impl Options {
    /// Defaults for a run of `inputs` into `out`.
    pub fn new(inputs: Vec<PathBuf>, out: PathBuf) -> Options {
        Options {
            inputs,
            out,
            jobs: 1,
            limits: Limits::default(),
            timings: false,
            quiet: true,
            incremental: false,
            shard: None,
            fail_fast: false,
        }
    }
}

/// What a run did, for the summary line and the exit code.
#[derive(Debug, Clone)]
pub struct Report {
    pub manifest: Manifest,
    /// Documents taken from the `--incremental` cache.
    pub cached: u64,
    /// Documents run through the pipeline (or found unreadable) in this run.
    pub extracted: u64,
}

impl Report {
    /// 0: every document ok; 1: some failed (the run still completed).
    pub fn exit_code(&self) -> i32 {
        if self.manifest.summary.failed > 0 {
            1
        } else {
            0
        }
    }

    pub fn summary_line(&self) -> String {
        let s = &self.manifest.summary;
        let mut line = format!(
            "baogao: {} documents ({} ok, {} partial, {} failed), {} skipped; {} sections, {} tables, {} indicators, {} facts, {} checks",
            s.documents, s.ok, s.partial, s.failed, s.skipped, s.sections, s.tables, s.indicators, s.facts, s.checks
        );
        if let Some(sh) = &self.manifest.shard {
            line.push_str(&format!(
                "; shard {}/{} of {} inputs",
                sh.index, sh.count, sh.inputs_total
            ));
        }
        if self.cached > 0 {
            line.push_str(&format!(
                "; {} extracted, {} from cache",
                self.extracted, self.cached
            ));
        }
        if let Some(t) = &self.manifest.timings {
            line.push_str(&format!(
                " in {:.2} s ({:.1} MB/s, {:.0} docs/s)",
                t.total_ms as f64 / 1000.0,
                t.mb_per_s,
                t.docs_per_s
            ));
        }
        line
    }
}

/// Where a document's output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Cached,
    Extracted,
    /// Not read (too large, unreadable): depends on the file system, never cached.
    Unread,
    /// The pipeline panicked: reported, never cached.
    Panicked,
}

/// Run the pipeline on bytes, turning a panic into a failed document.
fn extract_guarded(path: &str, bytes: &[u8], pats: &PatternSet) -> (Outcome, bool) {
    match catch_unwind(AssertUnwindSafe(|| pipeline::extract(path, bytes, pats))) {
        Ok(o) => (o, false),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let sha = pipeline::sha256_hex(bytes);
            let f = pipeline::Failure {
                doc_id: pipeline::doc_id_of(&sha),
                path: path.to_string(),
                sha256: sha,
                bytes: bytes.len() as u64,
                encoding: None,
                error: format!("internal error (please report): {msg}"),
            };
            (Outcome::Failed(f), true)
        }
    }
}

/// Read one input and run the pipeline on it; never panics.
pub fn process(input: &Input, pats: &PatternSet, limits: Limits) -> Outcome {
    match read::read_input(&input.fs_path, limits.max_bytes) {
        Ok(bytes) => extract_guarded(&input.path, &bytes, pats).0,
        Err(e) => pipeline::unreadable(&input.path, e),
    }
}

/// Read, look up in the cache, extract, serialise: one document's whole job.
fn process_one(
    input: &Input,
    pats: &PatternSet,
    limits: Limits,
    cache: Option<&Cache>,
) -> Result<(DocOutput, Source), RunError> {
    let serialise_err = |e: std::io::Error| RunError::Input {
        path: input.fs_path.clone(),
        reason: format!("cannot serialise: {e}"),
    };
    let bytes = match read::read_input(&input.fs_path, limits.max_bytes) {
        Ok(b) => b,
        Err(e) => {
            let o = pipeline::unreadable(&input.path, e);
            return Ok((
                DocOutput::from_outcome(&o).map_err(serialise_err)?,
                Source::Unread,
            ));
        }
    };
    let key = cache.map(|c| c.key(&input.path, &pipeline::sha256_hex(&bytes)));
    if let (Some(c), Some(k)) = (cache, &key) {
        if let Some(d) = c.get(k) {
            return Ok((d, Source::Cached));
        }
    }
    let (outcome, panicked) = extract_guarded(&input.path, &bytes, pats);
    drop(bytes);
    let out = match catch_unwind(AssertUnwindSafe(|| DocOutput::from_outcome(&outcome))) {
        Ok(r) => r.map_err(serialise_err)?,
        Err(_) => {
            let f =
                pipeline::unreadable(&input.path, "internal error (please report): output".into());
            return Ok((
                DocOutput::from_outcome(&f).map_err(serialise_err)?,
                Source::Panicked,
            ));
        }
    };
    if panicked {
        return Ok((out, Source::Panicked));
    }
    if let (Some(c), Some(k)) = (cache, &key) {
        // A cache that cannot be written only costs time on the next run.
        let _ = c.put(k, &out);
    }
    Ok((out, Source::Extracted))
}

/// SHA-256 over the paths of every input of the whole run, in order.
fn inputs_hash(docs: &inputs::Inputs, skipped: &[inputs::Skipped]) -> String {
    let mut h = Sha256::new();
    for p in docs.paths().chain(skipped.iter().map(|s| s.path.as_str())) {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A worker's exit: unless it ran out of documents, every other worker stops too
/// (a document it took will never reach the writer), and none stays waiting.
struct WorkerExit<'a> {
    halt: &'a AtomicBool,
    written: &'a (Mutex<usize>, Condvar),
    out_of_work: bool,
}

impl Drop for WorkerExit<'_> {
    fn drop(&mut self) {
        if !self.out_of_work {
            // Under the lock: a worker between its test of `halt` and its wait
            // would otherwise miss the wake-up.
            let _held = self.written.0.lock().unwrap_or_else(|e| e.into_inner());
            self.halt.store(true, Ordering::Relaxed);
        }
        self.written.1.notify_all();
    }
}

/// Test hook: a pause per document, so tests can interrupt a run mid-way.
fn debug_delay() -> Option<Duration> {
    std::env::var("BAOGAO_DEBUG_DOC_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
}

/// Run `extract` over the inputs, writing the datasets into `opts.out`.
pub fn extract(opts: &Options, pats: &PatternSet, patterns_ms: u64) -> Result<Report, RunError> {
    let started = Instant::now();
    let (mut docs, mut skipped) =
        inputs::collect(&opts.inputs).map_err(|(path, reason)| RunError::Input { path, reason })?;
    docs.sort();
    if let Some((a, b)) = docs.same_path() {
        return Err(RunError::Input {
            path: b.fs_path,
            reason: format!(
                "its output path `{}` is also that of {}; give folders of different \
                 names (or the folder holding both), and each file once",
                b.path,
                a.fs_path.display()
            ),
        });
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    let shard_info = opts.shard.map(|s| ShardInfo {
        index: s.index,
        count: s.count,
        inputs_total: (docs.len() + skipped.len()) as u64,
        inputs_hash: inputs_hash(&docs, &skipped),
    });
    if let Some(s) = opts.shard {
        docs.retain(|p| s.contains(p));
        skipped.retain(|i| s.contains(&i.path));
    }
    let out_err = |e: std::io::Error| RunError::Output {
        path: opts.out.clone(),
        source: e,
    };
    let store = Store::open(&opts.out).map_err(out_err)?;
    let cache = if opts.incremental {
        let c =
            cache::program_id().map(|p| Cache::new(store.cache_dir(), p, &pats.hash, opts.limits));
        if c.is_none() && !opts.quiet {
            eprintln!("baogao: cannot read the program's own executable; --incremental extracts every document");
        }
        c
    } else {
        None
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| RunError::Input {
            path: PathBuf::new(),
            reason: e.to_string(),
        })?;
    let origins: BTreeMap<String, String> = pats.origins.iter().cloned().collect();
    let mut manifest = Manifest::new(pats.hash.clone(), origins);
    manifest.shard = shard_info;
    let mut gen = store.begin().map_err(out_err)?;
    let mut progress = Progress::new(docs.len() as u64, opts.quiet);
    let delay = debug_delay();
    let total = docs.len() as u64;
    let (mut done, mut cached, mut extracted) = (0u64, 0u64, 0u64);
    // One copy of the pattern set per worker thread: a regex serves the thread that
    // used it first from a lock-free cache and every other thread through a mutex.
    let thread_pats: Vec<PatternSet> = (0..opts.jobs.max(1)).map(|_| pats.clone()).collect();
    let window = (opts.jobs.max(1) * 8).max(16);
    let mut stop: Option<RunError> = None;
    let queue = Mutex::new(
        docs.spill(gen.scratch().map_err(out_err)?)
            .map_err(out_err)?,
    );
    let halt = AtomicBool::new(false);
    // How many documents the writer has taken, and a wake-up for workers that ran a
    // window ahead of it.
    let written = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, Result<(DocOutput, Source), RunError>)>();
    pool.in_place_scope(|scope| {
        for worker_pats in &thread_pats {
            let tx = tx.clone();
            let (queue, halt, written, cache) = (&queue, &halt, &written, &cache);
            scope.spawn(move |_| {
                // However this worker ends (also by a panic), no other waits for it.
                let mut exit = WorkerExit {
                    halt,
                    written,
                    out_of_work: false,
                };
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some((i, input)) = next else {
                        exit.out_of_work = true;
                        return;
                    };
                    // At most `window` documents ahead of the writer: memory holds a
                    // window's working sets and outputs, never the corpus.
                    let mut w = written.0.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *w + window && !halt.load(Ordering::Relaxed) {
                        w = written.1.wait(w).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(w);
                    if halt.load(Ordering::Relaxed) || interrupt::requested().is_some() {
                        return;
                    }
                    if let Some(d) = delay {
                        std::thread::sleep(d);
                    }
                    let r = match input {
                        Ok(input) => process_one(&input, worker_pats, opts.limits, cache.as_ref()),
                        Err(e) => Err(out_err(e)),
                    };
                    if tx.send((i, r)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        // Outputs are written in input order whatever order workers finish in.
        let mut pending = BTreeMap::new();
        let mut expected = 0usize;
        for (i, r) in rx.iter() {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&expected) {
                expected += 1;
                if stop.is_some() {
                    continue;
                }
                let (d, source) = match r {
                    Ok(x) => x,
                    Err(e) => {
                        stop = Some(e);
                        continue;
                    }
                };
                if let Err(e) = gen.write(&d) {
                    stop = Some(out_err(e));
                    continue;
                }
                manifest.add(&d);
                done += 1;
                match source {
                    Source::Cached => cached += 1,
                    _ => extracted += 1,
                }
                if d.failed() {
                    let err = d.entry.error.clone().unwrap_or_default();
                    progress.note(&format!("baogao: {}: {}", d.entry.path, err));
                    if opts.fail_fast {
                        stop = Some(RunError::FailFast {
                            path: d.entry.path.clone(),
                            error: err,
                        });
                    }
                }
                progress.tick(d.stats.bytes);
            }
            {
                let mut w = written.0.lock().unwrap_or_else(|e| e.into_inner());
                *w = expected;
                if stop.is_some() {
                    halt.store(true, Ordering::Relaxed);
                }
            }
            written.1.notify_all();
        }
    });
    progress.finish();
    if stop.is_none() && done < total {
        stop = Some(RunError::Interrupted {
            signal: interrupt::requested().unwrap_or(libc::SIGINT),
            done,
            total,
        });
    }
    if let Some(e) = stop {
        store.abort(gen);
        return Err(e);
    }
    for s in skipped {
        manifest.skipped(s.path, s.reason);
    }
    if opts.timings {
        manifest.timings = Some(Timings::new(
            opts.jobs,
            patterns_ms,
            started.elapsed().as_millis() as u64,
            manifest.summary.bytes,
            manifest.summary.documents,
            cached,
        ));
    }
    store.commit(gen, &manifest).map_err(out_err)?;
    if let Some(c) = &cache {
        if let Err(e) = c.prune() {
            if !opts.quiet {
                eprintln!("baogao: could not prune the cache: {e}");
            }
        }
    }
    Ok(Report {
        manifest,
        cached,
        extracted,
    })
}

//! Batch runs: inputs → documents in parallel → datasets, deterministically.
//!
//! Documents are processed in windows of a few per thread with rayon; each window's
//! results are written in input order before the next starts, so memory holds only
//! one window's working sets and the output does not depend on the thread count.

pub mod inputs;
mod progress;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::emit::{Manifest, Sink};
use crate::error::RunError;
use crate::model::DocStatus;
use crate::patterns::PatternSet;
use crate::pipeline::{self, Limits, Outcome};
use inputs::Input;
use progress::Progress;

/// Options of `baogao extract`.
#[derive(Debug, Clone)]
pub struct Options {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: usize,
    pub limits: Limits,
    pub timings: bool,
    pub quiet: bool,
}

/// What a run did, for the summary line and the exit code.
#[derive(Debug, Clone)]
pub struct Report {
    pub manifest: Manifest,
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

/// Read one input and run the pipeline on it; never panics.
pub fn process(input: &Input, pats: &PatternSet, limits: Limits) -> Outcome {
    let size = match std::fs::metadata(&input.fs_path) {
        Ok(m) => m.len(),
        Err(e) => return pipeline::unreadable(&input.path, format!("cannot read: {e}")),
    };
    if size > limits.max_bytes {
        return pipeline::unreadable(
            &input.path,
            crate::error::DecodeError::TooLarge {
                size,
                limit: limits.max_bytes,
            }
            .to_string(),
        );
    }
    let bytes = match std::fs::read(&input.fs_path) {
        Ok(b) => b,
        Err(e) => return pipeline::unreadable(&input.path, format!("cannot read: {e}")),
    };
    match catch_unwind(AssertUnwindSafe(|| {
        pipeline::extract(&input.path, &bytes, pats)
    })) {
        Ok(o) => o,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let sha = pipeline::sha256_hex(&bytes);
            Outcome::Failed(pipeline::Failure {
                doc_id: pipeline::doc_id_of(&sha),
                path: input.path.clone(),
                sha256: sha,
                bytes: bytes.len() as u64,
                encoding: None,
                error: format!("internal error (please report): {msg}"),
            })
        }
    }
}

/// Run `extract` over the inputs, writing the datasets into `opts.out`.
pub fn extract(opts: &Options, pats: &PatternSet, patterns_ms: u64) -> Result<Report, RunError> {
    let started = Instant::now();
    let (inputs, skipped) =
        inputs::collect(&opts.inputs).map_err(|(path, reason)| RunError::Input { path, reason })?;
    let out_err = |e: std::io::Error| RunError::Output {
        path: opts.out.clone(),
        source: e,
    };
    let mut sink = Sink::create(&opts.out).map_err(out_err)?;
    let origins: BTreeMap<String, String> = pats.origins.iter().cloned().collect();
    let mut manifest = Manifest::new(pats.hash.clone(), origins);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| RunError::Input {
            path: PathBuf::new(),
            reason: e.to_string(),
        })?;
    let mut progress = Progress::new(inputs.len() as u64, opts.quiet);
    let window = (opts.jobs.max(1) * 8).max(16);
    for chunk in inputs.chunks(window) {
        let outcomes: Vec<Outcome> = pool.install(|| {
            chunk
                .par_iter()
                .map(|i| process(i, pats, opts.limits))
                .collect()
        });
        for o in &outcomes {
            sink.write(o).map_err(out_err)?;
            manifest.add(o);
            if let Outcome::Failed(f) = o {
                progress.note(&format!("baogao: {}: {}", f.path, f.error));
            }
            let bytes = match o {
                Outcome::Extracted(d) => d.bytes,
                Outcome::Failed(f) => f.bytes,
            };
            progress.tick(bytes);
            debug_assert!(o.status() != DocStatus::Failed || matches!(o, Outcome::Failed(_)));
        }
    }
    for s in skipped {
        manifest.skipped(s.path, s.reason);
    }
    manifest.inputs.sort_by(|a, b| a.path.cmp(&b.path));
    progress.finish();
    let extract_ms = started.elapsed().as_millis() as u64;
    if opts.timings {
        let secs = (extract_ms as f64 / 1000.0).max(1e-3);
        manifest.timings = Some(crate::emit::manifest_timings(
            opts.jobs,
            patterns_ms,
            extract_ms,
            manifest.summary.bytes as f64 / 1e6 / secs,
            manifest.summary.documents as f64 / secs,
        ));
    }
    sink.finish(&manifest).map_err(out_err)?;
    Ok(Report { manifest })
}

/// Is `dir` usable as an output folder? (Created if missing.)
pub fn check_out_dir(dir: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(dir).map_err(|e| RunError::Output {
        path: dir.to_path_buf(),
        source: e,
    })
}

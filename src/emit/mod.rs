//! Stage 8: dataset lines and the run manifest (the "printer" to the pipeline's
//! "searcher").
//!
//! Each document's lines are written in one go, documents in input order, so the
//! files are identical whatever the thread count. Files are written under temporary
//! names and renamed into place only when the run completes.

mod manifest;
pub mod records;

pub use manifest::{InputEntry, Manifest, Summary};

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::pipeline::Outcome;

/// The six JSONL datasets, in the order they are listed in the contract.
pub const DATASETS: [&str; 6] = [
    "documents.jsonl",
    "sections.jsonl",
    "tables.jsonl",
    "indicators.jsonl",
    "facts.jsonl",
    "checks.jsonl",
];

pub const MANIFEST: &str = "manifest.json";

/// Name of a file while it is being written.
pub fn temp_name(name: &str) -> String {
    format!(".{name}.partial")
}

/// Writers for the six datasets, under temporary names in the output folder.
pub struct Sink {
    dir: PathBuf,
    files: Vec<BufWriter<File>>,
}

impl Sink {
    pub fn create(dir: &Path) -> io::Result<Sink> {
        std::fs::create_dir_all(dir)?;
        let files = DATASETS
            .iter()
            .map(|n| {
                File::create(dir.join(temp_name(n))).map(|f| BufWriter::with_capacity(1 << 16, f))
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Sink {
            dir: dir.to_path_buf(),
            files,
        })
    }

    fn line<T: Serialize>(&mut self, file: usize, item: &T) -> io::Result<()> {
        let w = &mut self.files[file];
        serde_json::to_writer(&mut *w, item).map_err(io::Error::other)?;
        w.write_all(b"\n")
    }

    /// Write every line one document contributes.
    pub fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        match outcome {
            Outcome::Failed(f) => self.line(0, &records::failed_document(f)),
            Outcome::Extracted(doc) => {
                let status = outcome.status();
                let id = doc.doc_id.as_str();
                self.line(0, &records::document(doc, status, doc.status_errors()))?;
                for s in &doc.sections {
                    self.line(1, &records::section(id, s))?;
                }
                for t in &doc.tables {
                    self.line(2, &records::TableRecord::new(id, t))?;
                }
                for i in records::emitted_indicators(&doc.indicators) {
                    self.line(3, &records::indicator(id, i))?;
                }
                for f in &doc.facts {
                    self.line(4, &records::fact(id, f))?;
                }
                for c in &doc.checks {
                    self.line(5, &records::check(id, c))?;
                }
                Ok(())
            }
        }
    }

    /// Flush and move the datasets and the manifest into place.
    pub fn finish(mut self, manifest: &Manifest) -> io::Result<()> {
        for w in &mut self.files {
            w.flush()?;
            w.get_ref().sync_all()?;
        }
        drop(self.files);
        let tmp = self.dir.join(temp_name(MANIFEST));
        {
            let mut f = BufWriter::new(File::create(&tmp)?);
            serde_json::to_writer_pretty(&mut f, manifest).map_err(io::Error::other)?;
            f.write_all(b"\n")?;
            f.flush()?;
            f.get_ref().sync_all()?;
        }
        for n in DATASETS.iter().chain([MANIFEST].iter()) {
            std::fs::rename(self.dir.join(temp_name(n)), self.dir.join(n))?;
        }
        Ok(())
    }
}

/// Timings block of the manifest.
pub fn manifest_timings(
    jobs: usize,
    patterns_ms: u64,
    extract_ms: u64,
    mb_per_s: f64,
    docs_per_s: f64,
) -> manifest::Timings {
    manifest::Timings {
        jobs,
        patterns_ms,
        extract_ms,
        total_ms: patterns_ms + extract_ms,
        mb_per_s: (mb_per_s * 100.0).round() / 100.0,
        docs_per_s: (docs_per_s * 10.0).round() / 10.0,
    }
}

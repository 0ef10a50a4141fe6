//! Stage 8: dataset lines and the run manifest (the "printer" to the pipeline's
//! "searcher").
//!
//! Each document is serialised once into a [`DocOutput`] (its lines for the six
//! datasets and its manifest entry); documents are appended in input order, so the
//! files are identical whatever the thread count, the cache or the shard split.
//! Outputs go into a new generation folder made current by one atomic rename when
//! the run completes (see [`store`]).

mod manifest;
mod output;
pub mod records;
pub mod store;

pub use manifest::{CheckTally, InputEntry, Manifest, ShardInfo, Summary, Timings};
pub use output::{DocOutput, DocStats};
pub use store::{Generation, Store};

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

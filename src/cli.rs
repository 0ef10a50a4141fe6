//! Command line: argument parsing, exit codes and messages. The only place that
//! uses `anyhow`.
//!
//! Exit codes: 0 every document ok; 1 the run completed but some documents failed;
//! 2 usage error or a fatal error (bad patterns, unwritable output, missing input,
//! `--fail-fast` stop); 128+N when signal N (SIGINT, SIGTERM) stopped the run.
//! Only 0 and 1 replace the outputs; every other code leaves them as they were.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::error::RunError;
use crate::patterns::PatternSet;
use crate::pipeline::Limits;
use crate::run;
use crate::run::shard::Shard;

#[derive(Debug, Parser)]
#[command(
    name = "baogao",
    version,
    about = "Turn Chinese county fiscal reports (部门决算, 绩效自评报告/表) into JSON Lines datasets",
    after_help = "Exit codes: 0 all documents ok, 1 some documents failed (run completed), 2 usage or fatal error, 130/143 interrupted by SIGINT/SIGTERM. Only 0 and 1 replace the outputs."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the datasets from files and folders (.txt, .md, .text).
    Extract {
        /// Files or folders to read; folders are walked in sorted order.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output folder for the six .jsonl datasets and manifest.json.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Worker threads (default: number of CPUs).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// Pattern folder whose *.toml files replace the embedded defaults.
        #[arg(long)]
        patterns: Option<PathBuf>,
        /// Refuse (as failed documents) files larger than this many bytes.
        #[arg(long, default_value_t = Limits::default().max_bytes)]
        max_bytes: u64,
        /// Leave timings out of manifest.json, making it byte-identical between runs.
        #[arg(long)]
        no_timings: bool,
        /// No progress output and no summary line.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Keep a per-document cache in OUT/.baogao/cache and only extract documents
        /// whose content, patterns or program changed; same bytes as a full run.
        #[arg(long)]
        incremental: bool,
        /// Run only shard K of N (1 <= K <= N) of the inputs, split by path; combine
        /// the N output folders with `baogao merge`.
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<Shard>,
        /// Stop at the first failed document (exit code 2, outputs left as they were).
        #[arg(long)]
        fail_fast: bool,
    },
    /// Combine the output folders of `extract --shard 1/N` … `--shard N/N` into the
    /// outputs a single run would write.
    Merge {
        /// The shard output folders, in any order.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output folder for the merged datasets and manifest.json.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Leave timings out of the merged manifest.json.
        #[arg(long)]
        no_timings: bool,
        /// No summary line.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Work with pattern sets.
    Patterns {
        #[command(subcommand)]
        command: PatternsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PatternsCommand {
    /// Load, compile and test a pattern set (the embedded one without DIR).
    Check {
        /// Folder of pattern files replacing the embedded defaults.
        dir: Option<PathBuf>,
    },
}

fn load_patterns(dir: Option<&PathBuf>) -> Result<PatternSet, crate::error::PatternError> {
    match dir {
        Some(d) => PatternSet::from_dir(d),
        None => PatternSet::embedded(),
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse()
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    run::interrupt::install();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("baogao: error: {e:#}");
            2
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Patterns {
            command: PatternsCommand::Check { dir },
        } => {
            let p = load_patterns(dir.as_ref())?;
            println!(
                "baogao: pattern set ok: {} rules in {} files, hash {}",
                p.rule_count(),
                p.origins.len(),
                &p.hash[..16]
            );
            Ok(0)
        }
        Command::Extract {
            paths,
            out,
            jobs,
            patterns,
            max_bytes,
            no_timings,
            quiet,
            incremental,
            shard,
            fail_fast,
        } => {
            let t0 = Instant::now();
            let pats = load_patterns(patterns.as_ref())?;
            let patterns_ms = t0.elapsed().as_millis() as u64;
            let jobs = jobs
                .unwrap_or_else(|| {
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1)
                })
                .max(1);
            let opts = run::Options {
                inputs: paths,
                out,
                jobs,
                limits: Limits { max_bytes },
                timings: !no_timings,
                quiet,
                incremental,
                shard,
                fail_fast,
            };
            let report = match run::extract(&opts, &pats, patterns_ms) {
                Ok(r) => r,
                Err(e @ RunError::Interrupted { signal, done, .. }) => {
                    let resume = if incremental && done > 0 {
                        "; they are cached: run again with --incremental to go on from there"
                    } else {
                        ""
                    };
                    eprintln!("baogao: {e}{resume}");
                    return Ok(128 + signal);
                }
                Err(e) => return Err(e.into()),
            };
            if !quiet {
                eprintln!("{}", report.summary_line());
            }
            Ok(report.exit_code())
        }
        Command::Merge {
            dirs,
            out,
            no_timings,
            quiet,
        } => {
            let report = run::merge::merge(&run::merge::MergeOptions {
                dirs,
                out,
                timings: !no_timings,
            })?;
            if !quiet {
                eprintln!("{}", report.summary_line());
            }
            Ok(report.exit_code())
        }
    }
}

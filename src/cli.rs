//! Command line: argument parsing, exit codes and messages. The only place that
//! uses `anyhow`.
//!
//! Exit codes: 0 every document ok; 1 the run completed but some documents failed;
//! 2 usage error or a fatal error (bad patterns, unwritable output, missing input).

use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::patterns::PatternSet;
use crate::pipeline::Limits;
use crate::run;

#[derive(Debug, Parser)]
#[command(
    name = "baogao",
    version,
    about = "Turn Chinese county fiscal reports (部门决算, 绩效自评报告/表) into JSON Lines datasets",
    after_help = "Exit codes: 0 all documents ok, 1 some documents failed (run completed), 2 usage or fatal error."
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

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
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
            };
            let report = run::extract(&opts, &pats, patterns_ms)?;
            if !quiet {
                eprintln!("{}", report.summary_line());
            }
            Ok(report.exit_code())
        }
    }
}

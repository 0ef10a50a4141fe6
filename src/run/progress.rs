//! Progress on a terminal (a bar with files, MB/s and ETA), plain log lines otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    total: u64,
    done: u64,
    bytes: u64,
    started: Instant,
    last_log: Instant,
}

impl Progress {
    pub fn new(total: u64, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::new(total);
            b.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files  {msg}  ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        Progress {
            bar,
            quiet,
            total,
            done: 0,
            bytes: 0,
            started: Instant::now(),
            last_log: Instant::now(),
        }
    }

    fn rate(&self) -> f64 {
        let secs = self.started.elapsed().as_secs_f64().max(1e-6);
        self.bytes as f64 / 1e6 / secs
    }

    /// One more document done.
    pub fn tick(&mut self, bytes: u64) {
        self.done += 1;
        self.bytes += bytes;
        if let Some(b) = &self.bar {
            b.set_position(self.done);
            b.set_message(format!("{:.1} MB/s", self.rate()));
        } else if !self.quiet && self.last_log.elapsed() >= Duration::from_secs(10) {
            self.last_log = Instant::now();
            eprintln!(
                "baogao: {}/{} files, {:.1} MB/s",
                self.done,
                self.total,
                self.rate()
            );
        }
    }

    /// A message that must not be lost under the bar (a failed document).
    pub fn note(&self, msg: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

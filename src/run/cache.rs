//! `--incremental`: finished documents kept in `OUT/.baogao/cache/`, one file each.
//!
//! The key is the SHA-256 of everything a document's output depends on: the
//! program (its version and the hash of its own executable, so a rebuilt binary
//! never trusts an old result), the pattern-set hash, the limits, the document's
//! output `path` and the SHA-256 of its content. An entry holds the exact bytes of
//! the document's dataset lines and manifest entry, so a cached document is written
//! exactly as a fresh extraction would be. Entries are written to a temporary name
//! and renamed, so a kill never leaves a half entry; an unreadable or damaged
//! entry is a miss. After a completed run, entries the run did not use (deleted or
//! changed documents, an older pattern set) are removed.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::emit::DocOutput;
use crate::pipeline::{sha256_hex, Limits};

/// Identity of the running program: its version, and the size, modification time
/// and inode of its executable, so a rebuilt or replaced binary never trusts an
/// older binary's results (a copy of the same binary elsewhere only costs a
/// re-extraction). `None` when the executable cannot be found: then nothing is
/// taken from a cache.
pub fn program_id() -> Option<&'static str> {
    static ID: OnceLock<Option<String>> = OnceLock::new();
    ID.get_or_init(|| {
        use std::os::unix::fs::MetadataExt;
        let m = fs::metadata(std::env::current_exe().ok()?).ok()?;
        Some(format!(
            "{}+{}.{}.{}.{}",
            env!("CARGO_PKG_VERSION"),
            m.len(),
            m.mtime(),
            m.mtime_nsec(),
            m.ino()
        ))
    })
    .as_deref()
}

pub struct Cache {
    dir: PathBuf,
    /// Hash of program, patterns and limits: the part of the key shared by all.
    setting: String,
    used: Mutex<HashSet<String>>,
    tmp_seq: AtomicU64,
}

impl Cache {
    pub fn new(dir: PathBuf, program: &str, patterns_hash: &str, limits: Limits) -> Cache {
        let setting =
            sha256_hex(format!("baogao-cache\0{program}\0{patterns_hash}\0{limits:?}").as_bytes());
        Cache {
            dir,
            setting,
            used: Mutex::new(HashSet::new()),
            tmp_seq: AtomicU64::new(0),
        }
    }

    pub fn key(&self, path: &str, content_sha256: &str) -> String {
        let mut h = Sha256::new();
        for part in [self.setting.as_str(), path, content_sha256] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn file(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key)
    }

    fn mark(&self, key: &str) {
        if let Ok(mut u) = self.used.lock() {
            u.insert(key.to_string());
        }
    }

    pub fn get(&self, key: &str) -> Option<DocOutput> {
        let bytes = fs::read(self.file(key)).ok()?;
        let d = DocOutput::decode(key, &bytes)?;
        self.mark(key);
        Some(d)
    }

    /// Store an entry; failures only cost a re-extraction next time.
    pub fn put(&self, key: &str, d: &DocOutput) -> io::Result<()> {
        self.mark(key);
        let file = self.file(key);
        let dir = file.parent().unwrap_or(&self.dir);
        fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(
            ".{key}.{}-{}",
            std::process::id(),
            self.tmp_seq.fetch_add(1, Ordering::Relaxed)
        ));
        let mut buf = Vec::with_capacity(d.lines.iter().map(Vec::len).sum::<usize>() + 256);
        d.encode(key, &mut buf)?;
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&buf)?;
        drop(f);
        fs::rename(&tmp, &file)
    }

    /// Remove every entry the run did not use, and temporary files of killed runs.
    pub fn prune(&self) -> io::Result<u64> {
        let used = match self.used.lock() {
            Ok(u) => u.clone(),
            Err(_) => return Ok(0),
        };
        let mut removed = 0;
        if !self.dir.is_dir() {
            return Ok(0);
        }
        for sub in fs::read_dir(&self.dir)? {
            let sub = sub?;
            if !sub.file_type()?.is_dir() {
                continue;
            }
            for e in fs::read_dir(sub.path())? {
                let e = e?;
                let name = e.file_name().to_string_lossy().to_string();
                if !used.contains(&name) {
                    remove(&e.path())?;
                    removed += 1;
                }
            }
            // Empty fan-out folders go too (fails harmlessly if not empty).
            let _ = fs::remove_dir(sub.path());
        }
        Ok(removed)
    }
}

fn remove(p: &Path) -> io::Result<()> {
    if p.is_dir() {
        fs::remove_dir_all(p)
    } else {
        fs::remove_file(p)
    }
}

//! The output folder as a set of generations, so a run replaces all seven outputs
//! at once or not at all.
//!
//! Renaming seven files one by one is not atomic as a set: a kill between two
//! renames would leave documents of one run beside facts of another. Instead each
//! run writes a complete generation into a folder of its own, and one `rename(2)` of
//! a symbolic link makes it current:
//!
//! ```text
//! OUT/documents.jsonl  -> .baogao/current/documents.jsonl     (never changes)
//! …                                                            (one per output)
//! OUT/manifest.json    -> .baogao/current/manifest.json
//! OUT/.baogao/current  -> runs/<id>                            (swapped by rename)
//! OUT/.baogao/runs/<id>/{documents.jsonl, …, manifest.json}   (written, synced, then linked)
//! OUT/.baogao/cache/                                           (--incremental)
//! OUT/.baogao/lock                                             (one writer at a time)
//! ```
//!
//! What a reader sees, at every instant:
//! - before the first completed run: the seven names do not open (`ENOENT`);
//! - while a run is writing, and if it is killed at any point: the previous
//!   complete generation, untouched;
//! - the commit is the single rename of `.baogao/current`: before it every name
//!   resolves to the old generation, after it to the new one.
//!
//! A reader that opens the seven files one at a time while a run commits could get
//! some from each generation; to read a consistent set it resolves `.baogao/current`
//! once (`readlink`) and reads from that folder. A generation stays on disk until
//! the next run into the folder starts.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::symlink;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use super::manifest::merge_sorted;
use super::{DocOutput, Manifest, DATASETS, MANIFEST};

/// Hidden folder of the output folder that holds generations, cache and lock.
pub const STATE_DIR: &str = ".baogao";
const CURRENT: &str = "current";
const RUNS: &str = "runs";

/// The seven names users read.
pub fn output_names() -> impl Iterator<Item = &'static str> {
    DATASETS.iter().copied().chain([MANIFEST])
}

/// The folder holding the complete outputs of `out`: its current generation, or
/// `out` itself when it holds plain files (a copy made with `cp -rL`, say).
pub fn resolve(out: &Path) -> PathBuf {
    let link = out.join(STATE_DIR).join(CURRENT);
    match fs::read_link(&link) {
        Ok(target) => out.join(STATE_DIR).join(target),
        Err(_) => out.to_path_buf(),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Replace whatever is at `at` by a symbolic link to `target`, atomically.
fn put_link(target: &Path, at: &Path) -> io::Result<()> {
    let name = at
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = at.with_file_name(format!(".{name}.link-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    symlink(target, &tmp)?;
    fs::rename(&tmp, at)
}

/// An output folder opened for writing: the lock is held until this is dropped.
pub struct Store {
    out: PathBuf,
    state: PathBuf,
    _lock: File,
}

/// A generation being written; invisible to readers until [`Store::commit`].
pub struct Generation {
    id: String,
    dir: PathBuf,
    files: Vec<BufWriter<File>>,
    /// Manifest entries of the documents written so far, one JSON line each,
    /// streamed into `manifest.json` at commit (a run's memory does not grow with
    /// its number of inputs).
    entries: BufWriter<File>,
}

/// The spill file of manifest entries inside a generation; gone after commit.
const ENTRIES: &str = "inputs.spill.jsonl";

impl Store {
    /// Take the folder's lock, clear what killed runs left behind, and make sure the
    /// seven user-facing names are (or can become) links to the current generation.
    /// Everything that can make the run's end fail for the folder's sake fails here,
    /// before a document is read.
    pub fn open(out: &Path) -> io::Result<Store> {
        fs::create_dir_all(out)?;
        let state = out.join(STATE_DIR);
        fs::create_dir_all(state.join(RUNS))?;
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(state.join("lock"))?;
        // SAFETY: flock on a descriptor we own; released when the file is closed,
        // including when the process is killed.
        let r = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if r != 0 {
            let e = io::Error::last_os_error();
            return Err(if e.kind() == io::ErrorKind::WouldBlock {
                io::Error::other("another baogao run is writing to this folder")
            } else {
                e
            });
        }
        let store = Store {
            out: out.to_path_buf(),
            state,
            _lock: lock,
        };
        store.clean()?;
        store.adopt_plain_files()?;
        store.link_names()?;
        // Probe that the folder takes new files, so an unwritable folder is a
        // fatal error now rather than after the whole corpus has been read.
        let probe = store.state.join(format!(".probe-{}", std::process::id()));
        File::create(&probe)?;
        fs::remove_file(&probe)?;
        Ok(store)
    }

    fn current_id(&self) -> Option<String> {
        fs::read_link(self.state.join(CURRENT))
            .ok()
            .and_then(|t| t.file_name().map(|n| n.to_string_lossy().to_string()))
    }

    /// Remove generations that are not current (killed runs, the one before the
    /// current) and leftovers of interrupted link swaps or older versions.
    fn clean(&self) -> io::Result<()> {
        let keep = self.current_id();
        for e in fs::read_dir(self.state.join(RUNS))? {
            let e = e?;
            if Some(e.file_name().to_string_lossy().to_string()) != keep {
                let p = e.path();
                if e.file_type()?.is_dir() {
                    fs::remove_dir_all(&p)?;
                } else {
                    fs::remove_file(&p)?;
                }
            }
        }
        // Only names this module makes: `.NAME.link-PID`, `.NAME.partial` (older
        // versions), `.probe-PID`; anything else in the folder is the user's.
        let ours = |n: &str| {
            n.starts_with(".probe-")
                || output_names().chain([CURRENT]).any(|o| {
                    n.strip_prefix('.')
                        .and_then(|r| r.strip_prefix(o))
                        .is_some_and(|r| r.starts_with(".link-") || r == ".partial")
                })
        };
        for dir in [&self.state, &self.out] {
            for e in fs::read_dir(dir)? {
                let e = e?;
                if ours(&e.file_name().to_string_lossy()) && !e.file_type()?.is_dir() {
                    fs::remove_file(e.path())?;
                }
            }
        }
        Ok(())
    }

    /// A folder written by a version without generations holds plain files; they
    /// become a generation of their own (hard links, same bytes) so that replacing
    /// them by links never shows a reader a mixture.
    fn adopt_plain_files(&self) -> io::Result<()> {
        if self.current_id().is_some() {
            return Ok(());
        }
        let plain: Vec<&str> = output_names()
            .filter(|n| {
                fs::symlink_metadata(self.out.join(n))
                    .map(|m| m.file_type().is_file())
                    .unwrap_or(false)
            })
            .collect();
        if plain.is_empty() {
            return Ok(());
        }
        let id = new_id("adopted");
        let dir = self.state.join(RUNS).join(&id);
        fs::create_dir(&dir)?;
        for n in plain {
            let (from, to) = (self.out.join(n), dir.join(n));
            if fs::hard_link(&from, &to).is_err() {
                fs::copy(&from, &to)?;
            }
        }
        sync_dir(&dir)?;
        self.point_current(&id)
    }

    /// Make each user-facing name a link through `.baogao/current`; refuses to
    /// replace anything that is not a file or a link.
    fn link_names(&self) -> io::Result<()> {
        for n in output_names() {
            let at = self.out.join(n);
            let target = Path::new(STATE_DIR).join(CURRENT).join(n);
            match fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    if fs::read_link(&at)? != target {
                        put_link(&target, &at)?;
                    }
                }
                Ok(m) if m.file_type().is_file() => put_link(&target, &at)?,
                Ok(_) => {
                    return Err(io::Error::other(format!(
                        "{} is not a file; refusing to replace it",
                        at.display()
                    )))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => symlink(&target, &at)?,
                Err(e) => return Err(e),
            }
        }
        sync_dir(&self.out)
    }

    fn point_current(&self, id: &str) -> io::Result<()> {
        put_link(&Path::new(RUNS).join(id), &self.state.join(CURRENT))?;
        sync_dir(&self.state)
    }

    /// Start a new generation.
    pub fn begin(&self) -> io::Result<Generation> {
        let id = new_id("run");
        let dir = self.state.join(RUNS).join(&id);
        fs::create_dir(&dir)?;
        let files = DATASETS
            .iter()
            .map(|n| File::create(dir.join(n)).map(|f| BufWriter::with_capacity(1 << 16, f)))
            .collect::<io::Result<Vec<_>>>()?;
        let entries = BufWriter::with_capacity(1 << 16, File::create(dir.join(ENTRIES))?);
        Ok(Generation {
            id,
            dir,
            files,
            entries,
        })
    }

    /// Write the manifest, sync everything, and make the generation current.
    pub fn commit(&self, mut gen: Generation, manifest: &Manifest) -> io::Result<()> {
        for w in &mut gen.files {
            w.flush()?;
            w.get_ref().sync_all()?;
        }
        gen.entries.flush()?;
        {
            // Entries written by `Generation::write` (sorted, as documents are written
            // in path order) merged with those the manifest holds (skipped inputs, a
            // merge's entries), which are sorted too.
            let spill = gen.dir.join(ENTRIES);
            let spilled = io::BufRead::lines(io::BufReader::new(File::open(&spill)?))
                .map(|l| l.and_then(|l| serde_json::from_str(&l).map_err(io::Error::other)));
            let entries = merge_sorted(spilled, manifest.inputs.iter().cloned());
            let mut f = BufWriter::new(File::create(gen.dir.join(MANIFEST))?);
            manifest.write_json(entries, &mut f)?;
            f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            fs::remove_file(&spill)?;
        }
        sync_dir(&gen.dir)?;
        sync_dir(&self.state.join(RUNS))?;
        self.point_current(&gen.id)
    }

    /// Drop an unfinished generation (best effort: the next run clears it anyway).
    pub fn abort(&self, gen: Generation) {
        drop(gen.files);
        drop(gen.entries);
        let _ = fs::remove_dir_all(&gen.dir);
    }

    /// Folder of the `--incremental` cache.
    pub fn cache_dir(&self) -> PathBuf {
        self.state.join("cache")
    }
}

impl Generation {
    /// An unnamed file inside the generation's folder (on the output's disk, not
    /// `/tmp`), gone when closed or when the process dies.
    pub fn scratch(&self) -> io::Result<File> {
        tempfile::tempfile_in(&self.dir)
    }

    /// Append one document's lines.
    pub fn write(&mut self, d: &DocOutput) -> io::Result<()> {
        for (w, l) in self.files.iter_mut().zip(&d.lines) {
            w.write_all(l)?;
        }
        serde_json::to_writer(&mut self.entries, &d.entry).map_err(io::Error::other)?;
        self.entries.write_all(b"\n")
    }

    /// Append raw lines to one dataset (`baogao merge`).
    pub fn write_raw(&mut self, dataset: usize, bytes: &[u8]) -> io::Result<()> {
        match self.files.get_mut(dataset) {
            Some(w) => w.write_all(bytes),
            None => Err(io::Error::other("no such dataset")),
        }
    }
}

/// A generation id: unique per process and instant, so two runs never share one.
fn new_id(kind: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{kind}-{nanos}-{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::InputEntry;

    fn doc(tag: &str) -> DocOutput {
        DocOutput {
            lines: std::array::from_fn(|i| format!("{{\"{tag}\":{i}}}\n").into_bytes()),
            entry: InputEntry {
                path: tag.into(),
                status: "ok".into(),
                doc_id: Some(tag.into()),
                error: None,
            },
            stats: Default::default(),
        }
    }

    fn run(out: &Path, tag: &str) {
        let store = Store::open(out).unwrap();
        let mut g = store.begin().unwrap();
        g.write(&doc(tag)).unwrap();
        let mut m = Manifest::new("h".into(), Default::default());
        m.add(&doc(tag));
        store.commit(g, &m).unwrap();
    }

    #[test]
    fn generations_replace_the_set() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        // Opened but not committed: nothing to read.
        {
            let s = Store::open(&out).unwrap();
            let mut g = s.begin().unwrap();
            g.write(&doc("a")).unwrap();
        }
        assert!(fs::read(out.join("documents.jsonl")).is_err());
        run(&out, "a");
        assert_eq!(fs::read(out.join("facts.jsonl")).unwrap(), b"{\"a\":4}\n");
        run(&out, "b");
        assert_eq!(fs::read(out.join("facts.jsonl")).unwrap(), b"{\"b\":4}\n");
        let m: Manifest =
            serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
        // The written document is listed once (from the spill file), and the spill
        // file is gone.
        assert_eq!(m.inputs.len(), 1);
        assert_eq!(m.inputs[0].doc_id.as_deref(), Some("b"));
        assert!(!resolve(&out).join(ENTRIES).exists());
        // Only the current generation survives the next open.
        drop(Store::open(&out).unwrap());
        assert_eq!(fs::read_dir(out.join(".baogao/runs")).unwrap().count(), 1);
    }

    #[test]
    fn leftovers_of_killed_runs_go_and_user_files_stay() {
        let d = tempfile::tempdir().unwrap();
        for n in [
            ".documents.jsonl.link-99",
            ".facts.jsonl.partial",
            ".mine.partial",
            "notes.txt",
        ] {
            fs::write(d.path().join(n), b"x").unwrap();
        }
        drop(Store::open(d.path()).unwrap());
        let left: Vec<String> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| !n.ends_with(".jsonl") && !n.ends_with(".json"))
            .collect();
        let mut left = left;
        left.sort();
        assert_eq!(left, [".baogao", ".mine.partial", "notes.txt"]);
    }

    #[test]
    fn second_writer_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let _a = Store::open(d.path()).unwrap();
        let e = Store::open(d.path()).err().unwrap();
        assert!(e.to_string().contains("another baogao run"), "{e}");
    }

    #[test]
    fn plain_files_of_an_older_layout_are_adopted() {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("documents.jsonl"), b"old\n").unwrap();
        drop(Store::open(d.path()).unwrap());
        let m = fs::symlink_metadata(d.path().join("documents.jsonl")).unwrap();
        assert!(m.file_type().is_symlink());
        assert_eq!(
            fs::read(d.path().join("documents.jsonl")).unwrap(),
            b"old\n"
        );
        assert!(fs::read(d.path().join("facts.jsonl")).is_err());
    }

    #[test]
    fn a_folder_in_the_way_is_an_error() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir(d.path().join("facts.jsonl")).unwrap();
        assert!(Store::open(d.path()).is_err());
    }
}

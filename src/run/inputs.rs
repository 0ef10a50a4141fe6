//! Which files a run reads, in a stable order.
//!
//! Folders are walked in sorted order; files ending in `.txt`, `.md` or `.text` are
//! documents, anything else is listed as skipped so nothing disappears silently.
//! A document's `path` is the folder argument's last component joined with the
//! file's path inside it (`seeds/dongan.txt`), or a file argument as given: stable
//! across machines whatever the absolute location of the corpus.
//! Folders named `.baogao` (an output folder's own state: generations, cache) are
//! not inputs and are not walked, so an output folder inside an input tree never
//! feeds a run's outputs back into the next run.

use std::path::{Path, PathBuf};

/// A file to read, and the name it carries in the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub fs_path: PathBuf,
    pub path: String,
}

/// Something found while walking that will not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

pub const EXTENSIONS: [&str; 3] = ["txt", "md", "text"];

fn is_document(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .map(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// Lossless-enough display of a path; names that are not UTF-8 keep their
/// bytes as `\xNN` escapes so two different files never share a name.
pub fn display(p: &Path) -> String {
    match p.to_str() {
        Some(s) => s.replace('\\', "/"),
        None => {
            use std::os::unix::ffi::OsStrExt;
            let mut out = String::new();
            for chunk in p.as_os_str().as_bytes().utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02X}"));
                }
            }
            out
        }
    }
}

/// Walk the arguments. Errors on a missing argument are returned as `Err`.
pub fn collect(args: &[PathBuf]) -> Result<(Vec<Input>, Vec<Skipped>), (PathBuf, String)> {
    let mut inputs = vec![];
    let mut skipped = vec![];
    for arg in args {
        let meta = std::fs::metadata(arg).map_err(|e| (arg.clone(), e.to_string()))?;
        if meta.is_file() {
            let path = display(arg);
            if is_document(arg) {
                inputs.push(Input {
                    fs_path: arg.clone(),
                    path,
                });
            } else {
                skipped.push(Skipped {
                    path,
                    reason: "not a .txt/.md/.text file".into(),
                });
            }
            continue;
        }
        let root_name = arg
            .canonicalize()
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_owned()))
            .map(PathBuf::from)
            .unwrap_or_default();
        let walker = walkdir::WalkDir::new(arg)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                !(e.depth() > 0
                    && e.file_type().is_dir()
                    && e.file_name() == crate::emit::store::STATE_DIR)
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e
                        .path()
                        .map(|p| display(&root_name.join(p.strip_prefix(arg).unwrap_or(p))))
                        .unwrap_or_else(|| display(arg));
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    };
                    skipped.push(Skipped { path: p, reason });
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = entry.path().strip_prefix(arg).unwrap_or(entry.path());
            let path = display(&root_name.join(rel));
            if !entry.file_type().is_file() {
                skipped.push(Skipped {
                    path,
                    reason: "not a regular file".into(),
                });
            } else if is_document(entry.path()) {
                inputs.push(Input {
                    fs_path: entry.path().to_path_buf(),
                    path,
                });
            } else {
                skipped.push(Skipped {
                    path,
                    reason: "not a .txt/.md/.text file".into(),
                });
            }
        }
    }
    Ok((inputs, skipped))
}

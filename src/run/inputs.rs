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

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
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

/// The documents of a run, compactly: every output `path` in one string, and
/// each file's location as a root (a folder or file argument) plus the end of its
/// `path` — a run over a million files holds a few bytes per file, not a
/// `PathBuf` and a `String` each.
#[derive(Debug, Default)]
pub struct Inputs {
    roots: Vec<PathBuf>,
    text: String,
    items: Vec<Item>,
}

#[derive(Debug, Clone, Copy)]
struct Item {
    /// `path` is `text[start..end]`.
    start: usize,
    end: usize,
    root: u32,
    /// The file is `roots[root]` joined with `text[rel..end]`; `None`: `roots[root]` itself.
    rel: Option<u32>,
}

impl Inputs {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The output `path` of document `i`.
    pub fn path(&self, i: usize) -> &str {
        let it = &self.items[i];
        &self.text[it.start..it.end]
    }

    /// Document `i` as a file to read.
    pub fn get(&self, i: usize) -> Input {
        let it = self.items[i];
        let root = &self.roots[it.root as usize];
        let fs_path = match it.rel {
            Some(r) => root.join(&self.text[it.start + r as usize..it.end]),
            None => root.clone(),
        };
        Input {
            fs_path,
            path: self.path(i).to_string(),
        }
    }

    /// Output paths in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.path(i))
    }

    /// Put the documents in byte order of their `path`.
    pub fn sort(&mut self) {
        let text = &self.text;
        self.items
            .sort_by(|a, b| text[a.start..a.end].cmp(&text[b.start..b.end]));
    }

    /// Two documents (after [`Inputs::sort`]) that would be written under one
    /// `path`: files of two folder arguments with the same name, or one file given
    /// twice. Their outputs could not be told apart.
    pub fn same_path(&self) -> Option<(Input, Input)> {
        (1..self.len())
            .find(|&i| self.path(i - 1) == self.path(i))
            .map(|i| (self.get(i - 1), self.get(i)))
    }

    /// Keep the documents whose `path` passes `keep`.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let text = &self.text;
        self.items.retain(|it| keep(&text[it.start..it.end]));
    }

    /// Write the documents, in their current order, to `file` and read them back
    /// one at a time: while a run works, its memory holds no names.
    pub fn spill(self, file: File) -> io::Result<Queue> {
        let mut w = BufWriter::with_capacity(1 << 16, file);
        for (i, it) in self.items.iter().enumerate() {
            let path = self.path(i).as_bytes();
            let len = u32::try_from(path.len()).map_err(io::Error::other)?;
            w.write_all(&it.root.to_le_bytes())?;
            w.write_all(&it.rel.unwrap_or(NO_REL).to_le_bytes())?;
            w.write_all(&len.to_le_bytes())?;
            w.write_all(path)?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        Ok(Queue {
            roots: self.roots,
            file: BufReader::with_capacity(1 << 16, file),
            next: 0,
            len: self.items.len(),
        })
    }

    /// A file given as is (a file argument, or a name `path` cannot spell).
    fn push_file(&mut self, fs_path: PathBuf, path: &str) {
        self.roots.push(fs_path);
        self.push(path, (self.roots.len() - 1) as u32, None);
    }

    fn push(&mut self, path: &str, root: u32, rel: Option<u32>) {
        let start = self.text.len();
        self.text.push_str(path);
        self.items.push(Item {
            start,
            end: self.text.len(),
            root,
            rel,
        });
    }

    /// `root/rel` (a file found in folder argument `root`) named `path`.
    fn push_in(&mut self, root: u32, rel: &Path, path: &str) {
        // `path` ends with `rel` as written when `rel` is UTF-8 and has no `\`
        // (which `display` would turn into `/`); else keep the file's own path.
        let rel_at = rel
            .to_str()
            .filter(|r| !r.contains('\\') && path.ends_with(r))
            .and_then(|r| u32::try_from(path.len() - r.len()).ok());
        match rel_at {
            Some(k) => self.push(path, root, Some(k)),
            _ => {
                let fs = self.roots[root as usize].join(rel);
                self.push_file(fs, path);
            }
        }
    }
}

/// `Item::rel` of a spilled document that is its root itself.
const NO_REL: u32 = u32::MAX;

/// The documents of a run, read back in order from the file [`Inputs::spill`]
/// wrote.
#[derive(Debug)]
pub struct Queue {
    roots: Vec<PathBuf>,
    file: BufReader<File>,
    next: usize,
    len: usize,
}

/// The next document and its index. A read error takes its index too, so the
/// writer sees where the run broke.
impl Iterator for Queue {
    type Item = (usize, io::Result<Input>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.len {
            return None;
        }
        let i = self.next;
        self.next += 1;
        Some((i, self.read()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl Queue {
    fn read(&mut self) -> io::Result<Input> {
        let mut word = || -> io::Result<u32> {
            let mut b = [0u8; 4];
            self.file.read_exact(&mut b)?;
            Ok(u32::from_le_bytes(b))
        };
        let (root, rel, len) = (word()?, word()?, word()?);
        let mut bytes = vec![0u8; len as usize];
        self.file.read_exact(&mut bytes)?;
        let path = String::from_utf8(bytes).map_err(io::Error::other)?;
        let root = self
            .roots
            .get(root as usize)
            .ok_or_else(|| io::Error::other("input list: no such root"))?;
        let fs_path = match rel {
            NO_REL => root.clone(),
            r => root.join(path.get(r as usize..).unwrap_or_default()),
        };
        Ok(Input { fs_path, path })
    }
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
pub fn collect(args: &[PathBuf]) -> Result<(Inputs, Vec<Skipped>), (PathBuf, String)> {
    let mut inputs = Inputs::default();
    let mut skipped = vec![];
    for arg in args {
        let meta = std::fs::metadata(arg).map_err(|e| (arg.clone(), e.to_string()))?;
        if meta.is_file() {
            let path = display(arg);
            if is_document(arg) {
                inputs.push_file(arg.clone(), &path);
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
        inputs.roots.push(arg.clone());
        let root = (inputs.roots.len() - 1) as u32;
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
                inputs.push_in(root, rel, &path);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn every_input_reads_back_from_its_compact_form() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        let names: Vec<PathBuf> = vec![
            "z.txt".into(),
            "a/b/报告.txt".into(),
            "a/back\\slash.txt".into(),
            PathBuf::from(std::ffi::OsStr::from_bytes(b"a/bad\xff.txt")),
        ];
        for n in &names {
            std::fs::write(root.join(n), n.as_os_str().as_bytes()).unwrap();
        }
        let single = root.join("z.txt");
        let (mut docs, skipped) = collect(&[root.clone(), single.clone()]).unwrap();
        assert!(skipped.is_empty());
        assert_eq!(docs.len(), names.len() + 1);
        docs.sort();
        let paths: Vec<&str> = docs.paths().collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        for i in 0..docs.len() {
            let input = docs.get(i);
            assert!(input.fs_path.is_file(), "{input:?}");
            assert_eq!(input.path, docs.path(i));
        }
        assert!(paths.contains(&"corpus/a/bad\\xFF.txt"));
        let all: Vec<Input> = (0..docs.len()).map(|i| docs.get(i)).collect();
        docs.retain(|p| p.ends_with("z.txt"));
        assert_eq!(docs.len(), 2);
        assert!(docs.paths().all(|p| p.ends_with("z.txt")));

        let (docs, _) = collect(&[root.clone(), single]).unwrap();
        let mut docs = docs;
        docs.sort();
        let mut q = docs.spill(tempfile::tempfile().unwrap()).unwrap();
        let mut back = vec![];
        for (i, input) in q.by_ref() {
            assert_eq!(i, back.len());
            back.push(input.unwrap());
        }
        assert!(q.next().is_none());
        assert_eq!(back, all);
    }
}

//! Hostile inputs, one test each (docs/batch.md has the table of behaviours): each
//! yields a clear error for its own file, or a clear fatal error for the run where
//! that is the only honest answer; never a panic, and the other documents' lines
//! stay exactly as they are without it.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::batch::{bin, make_docs, run, snapshot};
use crate::common::*;

struct Bed {
    _t: tempfile::TempDir,
    root: PathBuf,
    /// Ordinary documents, extracted alone into `base`.
    good: PathBuf,
    base: PathBuf,
}

fn bed() -> Bed {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().to_path_buf();
    let good = root.join("good");
    make_docs(&good, 4, "h");
    let base = root.join("base");
    assert_eq!(run(extract(&[&good], &base, &[])).0, 0);
    Bed {
        _t: t,
        root,
        good,
        base,
    }
}

fn extract(inputs: &[&Path], out: &Path, extra: &[&str]) -> Command {
    let mut c = bin();
    c.arg("extract")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .args(["--no-timings", "-q"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

impl Bed {
    /// Extract the good documents plus `hostile`; check the good ones' lines are
    /// unchanged; return the documents.jsonl lines of the hostile inputs and the
    /// manifest.
    fn with(&self, hostile: &Path, expect_code: i32) -> (Vec<Value>, Value) {
        let out = self.root.join(format!(
            "out-{}",
            hostile
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        let (code, err) = run(extract(&[&self.good, hostile], &out, &[]));
        assert_eq!(code, expect_code, "stderr: {err}");
        assert!(!err.contains("panicked"), "{err}");
        let base_docs = dataset(&self.base, "documents");
        for name in DATASETS {
            let base = dataset(&self.base, name);
            let kept: Vec<Value> = dataset(&out, name)
                .into_iter()
                .filter(|l| base_docs.iter().any(|b| b["doc_id"] == l["doc_id"]))
                .collect();
            assert_eq!(
                base,
                kept,
                "{name}: good documents changed beside {}",
                hostile.display()
            );
        }
        let others = dataset(&out, "documents")
            .into_iter()
            .filter(|l| !base_docs.iter().any(|b| b["doc_id"] == l["doc_id"]))
            .collect();
        let m = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
        (others, m)
    }

    fn dir(&self, name: &str) -> PathBuf {
        let d = self.root.join(name);
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}

fn the_one(docs: &[Value]) -> &Value {
    assert_eq!(docs.len(), 1, "{docs:?}");
    &docs[0]
}

fn first_error(d: &Value) -> String {
    d["errors"][0].as_str().unwrap_or_default().to_string()
}

fn skipped_reason(m: &Value, needle: &str) -> String {
    m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().contains(needle))
        .map(|e| {
            assert_eq!(e["status"], "skipped", "{e}");
            e["error"].as_str().unwrap().to_string()
        })
        .unwrap_or_else(|| panic!("{needle} not in the manifest: {m}"))
}

#[test]
fn empty_file_is_an_empty_document() {
    let b = bed();
    let d = b.dir("empty");
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    let (docs, _) = b.with(&d, 0);
    let doc = the_one(&docs);
    assert_eq!(doc["status"], "ok");
    assert_eq!(doc["counts"]["chars"], 0);
    assert_eq!(doc["counts"]["facts"], 0);
}

#[test]
fn binary_file_and_nul_bytes_fail_that_document() {
    let b = bed();
    let d = b.dir("binary");
    let mut x: u32 = 7;
    let noise: Vec<u8> = (0..20000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    std::fs::write(d.join("noise.txt"), noise).unwrap();
    let mut text = "2023年度部门决算\n一、部门概况\n".as_bytes().to_vec();
    text.extend_from_slice(b"\0\0\0 and more text\n");
    std::fs::write(d.join("nul.txt"), text).unwrap();
    let (docs, m) = b.with(&d, 1);
    assert_eq!(docs.len(), 2);
    for doc in &docs {
        assert_eq!(doc["status"], "failed", "{doc}");
        assert!(first_error(doc).contains("binary"), "{doc}");
        assert_eq!(doc["counts"]["facts"], 0);
    }
    assert_eq!(m["failures"].as_array().unwrap().len(), 2);
}

#[test]
fn a_stray_nul_in_a_long_report_is_read_as_a_space() {
    let b = bed();
    let d = b.dir("stray-nul");
    let mut text = "2023年度部门整体支出绩效自评报告\n一、部门基本情况\n"
        .as_bytes()
        .to_vec();
    text.extend_from_slice(
        "本单位全年预算数1960万元，全年执行数1902.5万元。\n"
            .repeat(80)
            .as_bytes(),
    );
    let at = text.iter().position(|&c| c == b'\n').unwrap();
    text[at] = 0;
    std::fs::write(d.join("stray.txt"), text).unwrap();
    let (docs, _) = b.with(&d, 0);
    assert_eq!(docs[0]["status"], "ok", "{}", docs[0]);
    assert!(docs[0]["warnings"][0].as_str().unwrap().contains("NUL"));
    assert!(docs[0]["counts"]["facts"].as_u64().unwrap() > 0);
}

#[test]
fn invalid_sequences_in_each_encoding() {
    let b = bed();
    let d = b.dir("encodings");
    let text = "2023年度部门整体支出绩效自评报告\n一、部门基本情况\n本单位年度预算收入合计1960万元，实际支出1902.5万元，执行率97.07%。\n".repeat(8);
    let mut files: Vec<(&str, Vec<u8>)> = vec![];
    // A few bad sequences: decoded with U+FFFD and a warning.
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(text.as_bytes());
    utf8.splice(40..40, [0xFF, 0xC3]);
    files.push(("utf8-bom-bad.txt", utf8));
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    le.splice(20..20, 0xDC00u16.to_le_bytes()); // lone low surrogate
    files.push(("utf16le-lone-surrogate.txt", le));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
    be.push(0x41); // odd length
    files.push(("utf16be-odd.txt", be));
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let mut gb = gb.into_owned();
    gb.splice(30..30, [0x81, 0x20]);
    files.push(("gb18030-bad.txt", gb));
    let (big5, _, _) = encoding_rs::BIG5
        .encode("部門決算報告\n收入支出決算總表\n單位：萬元\n本年收入合計一千九百六十萬元\n");
    let mut big5 = big5.repeat(6);
    big5.splice(12..12, [0xA1, 0x0A]);
    files.push(("big5-bad.txt", big5));
    // Mostly bad: refused as undecodable.
    let mut garbage = vec![0xEF, 0xBB, 0xBF];
    garbage.extend(std::iter::repeat_n([0xFFu8, b'a'], 200).flatten());
    files.push(("utf8-bom-mostly-bad.txt", garbage));
    for (n, bytes) in &files {
        std::fs::write(d.join(n), bytes).unwrap();
    }
    let (docs, _) = b.with(&d, 1);
    assert_eq!(docs.len(), files.len());
    for doc in &docs {
        let path = doc["path"].as_str().unwrap();
        match doc["status"].as_str().unwrap() {
            "failed" => assert!(!first_error(doc).is_empty(), "{doc}"),
            _ => assert!(
                doc["warnings"].as_array().is_some_and(|w| !w.is_empty())
                    || path.contains("gb18030")
                    || path.contains("big5"),
                "{doc}"
            ),
        }
    }
    let by = |n: &str| {
        docs.iter()
            .find(|d| d["path"].as_str().unwrap().ends_with(n))
            .unwrap()
    };
    assert_eq!(by("utf8-bom-bad.txt")["status"], "ok");
    assert!(by("utf8-bom-bad.txt")["warnings"][0]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    assert_eq!(by("utf16le-lone-surrogate.txt")["encoding"], "UTF-16LE");
    assert_eq!(by("utf8-bom-mostly-bad.txt")["status"], "failed");
    assert!(first_error(by("utf8-bom-mostly-bad.txt")).contains("undecodable"));
}

/// The most a child's reported peak (KiB) can be when the child itself stayed under
/// `limit_kib`: exec keeps the high-water mark of the memory it replaces, so a child
/// spawned from this test process reports at least this process's own peak, which
/// other tests running beside it raise (seen: 131 MiB).
fn allowed_peak(limit_kib: i64) -> i64 {
    // SAFETY: getrusage fills plain data.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    limit_kib.max(ru.ru_maxrss)
}

/// Peak memory of a child run, from wait4(2), in KiB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn run_measured(mut c: Command) -> (i32, String, i64) {
    let errf = tempfile::NamedTempFile::new().unwrap();
    c.stderr(Stdio::from(errf.reopen().unwrap()));
    let child = c.spawn().unwrap();
    let mut status = 0;
    // SAFETY: waiting for our own child; rusage is plain data.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut ru) };
    assert_eq!(r, child.id() as i32);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (
        code,
        std::fs::read_to_string(errf.path()).unwrap_or_default(),
        ru.ru_maxrss,
    )
}

#[test]
fn a_200_mb_file_is_refused_by_size_without_being_read() {
    let b = bed();
    let d = b.dir("big");
    let f = std::fs::File::create(d.join("huge.txt")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: no disk, no time
    drop(f);
    let out = b.root.join("out-big");
    let (code, err, peak_kib) = run_measured(extract(&[&b.good, &d], &out, &[]));
    assert_eq!(code, 1, "{err}");
    let allowed = allowed_peak(100 * 1024);
    assert!(
        peak_kib <= allowed,
        "peak RSS {peak_kib} KiB (allowed {allowed}): the file was read"
    );
    let doc = dataset(&out, "documents")
        .into_iter()
        .find(|d| d["path"].as_str().unwrap().ends_with("huge.txt"))
        .unwrap();
    assert_eq!(doc["status"], "failed");
    assert!(first_error(&doc).contains("over the limit"), "{doc}");
    assert_eq!(doc["bytes"], 0);
    // The other documents as ever.
    let (docs, _) = b.with(&d, 1);
    assert_eq!(docs.len(), 1);
}

#[test]
fn a_5_mb_single_line() {
    let b = bed();
    let d = b.dir("longline");
    let unit = "本年度支出合计1902.5万元，其中基本支出1500万元，项目支出402.5万元；";
    let mut line = String::with_capacity(5 << 20);
    while line.len() < 5 << 20 {
        line.push_str(unit);
    }
    std::fs::write(d.join("long.txt"), &line).unwrap();
    let (docs, _) = b.with(&d, 0);
    let doc = the_one(&docs);
    assert_ne!(doc["status"], "failed", "{doc}");
    assert_eq!(doc["bytes"], line.len());
}

#[test]
fn files_that_vanish_or_turn_unreadable_between_walk_and_read() {
    use baogao::run::{inputs::Input, process};
    let pats = baogao::PatternSet::embedded().unwrap();
    let limits = baogao::pipeline::Limits::default();
    let t = tempfile::tempdir().unwrap();
    let status = |fs_path: PathBuf| {
        let o = process(
            &Input {
                fs_path,
                path: "x.txt".into(),
            },
            &pats,
            limits,
        );
        let rec = baogao::emit::DocOutput::from_outcome(&o).unwrap();
        (rec.entry.status, rec.entry.error.unwrap_or_default())
    };
    // Removed after the walk.
    let (s, e) = status(t.path().join("gone.txt"));
    assert_eq!(s, "failed");
    assert!(
        e.contains("cannot read") && e.contains("No such file"),
        "{e}"
    );
    // Replaced by a folder, or by a FIFO (which must not hang the run).
    std::fs::create_dir(t.path().join("dir.txt")).unwrap();
    let (s, e) = status(t.path().join("dir.txt"));
    assert_eq!(s, "failed");
    assert!(e.contains("not a regular file"), "{e}");
    let fifo = t.path().join("fifo.txt");
    let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let (s, e) = status(fifo);
    assert_eq!(s, "failed");
    assert!(e.contains("not a regular file"), "{e}");
    // Permissions: only where they bind (not as root).
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        let locked = t.path().join("locked.txt");
        std::fs::write(&locked, "x").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let (s, e) = status(locked);
        assert_eq!(s, "failed");
        assert!(e.contains("ermission denied"), "{e}");
    }
}

#[test]
fn a_file_deleted_during_a_run_fails_alone() {
    let b = bed();
    let d = b.dir("vanishing");
    make_docs(&d, 12, "v");
    let last = d.join("g2/doc-011.txt"); // sorts last
    let out = b.root.join("out-vanishing");
    let mut c = extract(&[&b.good, &d], &out, &["-j", "1"]);
    c.env("BAOGAO_DEBUG_DOC_DELAY_MS", "60");
    let child = c.spawn().unwrap();
    // Once the run has walked its inputs (its generation exists), remove one.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(out.join(".baogao/runs"))
        .map(|d| d.count())
        .unwrap_or(0)
        == 0
    {
        assert!(Instant::now() < deadline, "run never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::remove_file(&last).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let docs = dataset(&out, "documents");
    assert_eq!(docs.len(), 16);
    let gone = docs
        .iter()
        .find(|d| d["path"].as_str().unwrap().ends_with("doc-011.txt"))
        .unwrap();
    assert_eq!(gone["status"], "failed");
    assert!(first_error(gone).contains("No such file"), "{gone}");
    assert_eq!(docs.iter().filter(|d| d["status"] == "failed").count(), 1);
}

#[test]
fn symlink_loops_dangling_links_and_fifos_in_the_tree_are_listed_as_skipped() {
    let b = bed();
    let d = b.dir("links");
    std::fs::write(d.join("real.txt"), "一、部门概况\n").unwrap();
    std::os::unix::fs::symlink(".", d.join("loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", d.join("dangling.txt")).unwrap();
    let c = std::ffi::CString::new(d.join("pipe.txt").as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let (docs, m) = b.with(&d, 0);
    assert_eq!(the_one(&docs)["path"], "links/real.txt");
    assert!(skipped_reason(&m, "links/loop").contains("loop"));
    assert!(skipped_reason(&m, "dangling.txt").contains("No such file"));
    assert!(skipped_reason(&m, "pipe.txt").contains("not a regular file"));
}

#[test]
fn deep_directory_trees() {
    let b = bed();
    let d = b.dir("deep");
    // 300 levels (fine), and a branch whose paths outgrow PATH_MAX (reported).
    let mut p = d.join("ok");
    for _ in 0..300 {
        p.push("d");
    }
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("bottom.txt"), "一、部门概况\n").unwrap();
    make_beyond_path_max(&d.join("long"), 30, 200);
    let (docs, m) = b.with(&d, 0);
    let bottom = the_one(&docs);
    assert!(bottom["path"].as_str().unwrap().ends_with("/d/bottom.txt"));
    assert_eq!(bottom["status"], "ok");
    let long = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().starts_with("deep/long/"))
        .expect("the too-deep branch is listed");
    assert_eq!(long["status"], "skipped");
    assert!(
        long["error"].as_str().unwrap().contains("too long"),
        "{long}"
    );
}

/// `levels` nested folders of `name_len`-byte names, made relative to an open
/// folder (openat/mkdirat), as no path string may be that long; a file at the bottom.
fn make_beyond_path_max(top: &Path, levels: usize, name_len: usize) {
    use std::ffi::CString;
    std::fs::create_dir_all(top).unwrap();
    let name = CString::new("n".repeat(name_len)).unwrap();
    let top = CString::new(top.as_os_str().as_bytes()).unwrap();
    // SAFETY: plain *at(2) calls on descriptors this function opens and closes.
    unsafe {
        let mut fd = libc::open(top.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
        assert!(fd >= 0);
        for _ in 0..levels {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0);
            let next = libc::openat(fd, name.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
            assert!(next >= 0);
            libc::close(fd);
            fd = next;
        }
        let file = CString::new("unreachable.txt").unwrap();
        let f = libc::openat(fd, file.as_ptr(), libc::O_CREAT | libc::O_WRONLY, 0o644);
        assert!(f >= 0);
        libc::close(f);
        libc::close(fd);
    }
}

#[test]
fn file_names_that_are_not_utf8() {
    let b = bed();
    let d = b.dir("names");
    let name = OsStr::from_bytes(b"caf\xE9-\xB2\xBB.txt");
    std::fs::write(d.join(name), "一、部门概况\n").unwrap();
    std::fs::write(d.join(OsStr::from_bytes(b"\xFF.pdf")), "x").unwrap();
    let (docs, m) = b.with(&d, 0);
    assert_eq!(the_one(&docs)["path"], "names/caf\\xE9-\\xB2\\xBB.txt");
    assert!(skipped_reason(&m, "names/\\xFF.pdf").contains("not a .txt"));
}

#[test]
fn an_output_folder_that_cannot_be_written_is_fatal_before_any_reading() {
    let b = bed();
    let file = b.root.join("a-file");
    std::fs::write(&file, "x").unwrap();
    for out in [file.join("sub"), file.clone()] {
        let (code, err) = run(extract(&[&b.good], &out, &[]));
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains("output folder") && err.contains("a-file"),
            "{err}"
        );
    }
    // A folder in the way of an output name.
    let out = b.root.join("blocked");
    std::fs::create_dir_all(out.join("facts.jsonl")).unwrap();
    let (code, err) = run(extract(&[&b.good], &out, &[]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("facts.jsonl") && err.contains("not a file"),
        "{err}"
    );
    // Another run holding the folder.
    let held = b.root.join("held");
    let _lock = baogao::emit::Store::open(&held).unwrap();
    let (code, err) = run(extract(&[&b.good], &held, &[]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("another baogao run"), "{err}");
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        let ro = b.root.join("read-only");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let (code, err) = run(extract(&[&b.good], &ro, &[]));
        assert_eq!(code, 2, "{err}");
    }
}

#[test]
fn a_pattern_file_changed_between_runs() {
    let b = bed();
    let out = b.root.join("out-patterns");
    let (code, _) = run(extract(&[&b.good], &out, &["--incremental"]));
    assert_eq!(code, 0);
    let before = snapshot(&out);
    // A changed file: a new pattern-set hash, so nothing comes from the cache and
    // the result is that of a full run with the new set.
    let pdir = b.dir("patterns");
    let units = std::fs::read_to_string(root().join("patterns/units.toml")).unwrap();
    std::fs::write(pdir.join("units.toml"), format!("{units}\n# edited\n")).unwrap();
    let p = pdir.display().to_string();
    let mut c = bin();
    c.arg("extract").arg(&b.good).arg("--out").arg(&out).args([
        "--no-timings",
        "--incremental",
        "--patterns",
        &p,
    ]);
    let (code, err) = run(c);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("from cache"), "{err}");
    let full = b.root.join("full-patterns");
    assert_eq!(run(extract(&[&b.good], &full, &["--patterns", &p])).0, 0);
    crate::batch::assert_same_outputs(&full, &out);
    assert_ne!(snapshot(&out), before);
    // A broken one: refused before anything is read, outputs as they were.
    let now = snapshot(&out);
    std::fs::write(
        pdir.join("units.toml"),
        "[[unit]]\nid = \"u\"\nword = \"元\"\nunit = \"CNY\"\ncolour = 1\n",
    )
    .unwrap();
    let (code, err) = run(extract(
        &[&b.good],
        &out,
        &["--incremental", "--patterns", &p],
    ));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("units.toml"), "{err}");
    assert_eq!(snapshot(&out), now);
}

#[test]
fn fuzz_corpus_replays_without_panic() {
    // The inputs the fuzzer found interesting, through the whole pipeline on
    // stable Rust: a regression guard that needs no fuzzing toolchain.
    let dir = root().join("fuzz/corpus/pipeline");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let pats = baogao::PatternSet::embedded().unwrap();
    let mut n = 0;
    for e in entries {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        let o = baogao::extract("fuzz.txt", &bytes, &pats);
        let out = baogao::emit::DocOutput::from_outcome(&o).unwrap();
        let mut buf = vec![];
        out.encode("k", &mut buf).unwrap();
        assert_eq!(
            baogao::emit::DocOutput::decode("k", &buf).as_ref(),
            Some(&out)
        );
        n += 1;
    }
    assert!(n > 0);
}

//! Batch runs that never lose work: kill -9 at any point, SIGINT, `--incremental`,
//! `--shard` + `merge`, exit codes and `--fail-fast`. Every run is a child process.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// The seven names users read.
pub const OUTPUTS: [&str; 7] = [
    "documents.jsonl",
    "sections.jsonl",
    "tables.jsonl",
    "indicators.jsonl",
    "facts.jsonl",
    "checks.jsonl",
    "manifest.json",
];

/// The seven outputs' bytes, `None` for each one that does not open.
pub fn snapshot(out: &Path) -> Vec<Option<Vec<u8>>> {
    OUTPUTS
        .iter()
        .map(|n| std::fs::read(out.join(n)).ok())
        .collect()
}

pub fn assert_same_outputs(a: &Path, b: &Path) {
    for (n, (x, y)) in OUTPUTS.iter().zip(snapshot(a).iter().zip(snapshot(b))) {
        assert!(x.is_some(), "{n} missing in {}", a.display());
        assert!(
            *x == y,
            "{n} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// `n` distinct documents made from the bundled seeds, in `dir`.
pub fn make_docs(dir: &Path, n: usize, tag: &str) {
    make_docs_of(dir, n, tag, usize::MAX)
}

/// Same, from the first `lines` lines of each seed.
pub fn make_docs_of(dir: &Path, n: usize, tag: &str, lines: usize) {
    let mut seeds: Vec<String> = std::fs::read_dir(corpus().join("seeds"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| t.lines().take(lines).collect::<Vec<_>>().join("\n"))
        .collect();
    seeds.sort();
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let sub = dir.join(format!("g{}", i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        let text = format!("{}\n附注:{tag} 第{i}份\n", seeds[i % seeds.len()]);
        std::fs::write(sub.join(format!("doc-{i:03}.txt")), text).unwrap();
    }
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baogao"))
}

fn extract_cmd(inputs: &[&Path], out: &Path, extra: &[&str]) -> Command {
    let mut c = bin();
    c.arg("extract")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .args(["--no-timings"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Run to completion; (exit code, stderr).
pub fn run(mut c: Command) -> (i32, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, sig) };
}

fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// Deterministic pseudo-random numbers (xorshift).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn kill_9_at_random_points_never_leaves_a_partial_output() {
    let t = tempfile::tempdir().unwrap();
    let (a_in, b_in) = (t.path().join("a"), t.path().join("b"));
    make_docs_of(&a_in, 20, "a", 40);
    make_docs_of(&b_in, 30, "b", 40);
    let (ref_a, ref_b) = (t.path().join("ref-a"), t.path().join("ref-b"));
    let slow = [("BAOGAO_DEBUG_DOC_DELAY_MS", "2")];
    assert_eq!(run(extract_cmd(&[&a_in], &ref_a, &["-j", "2"])).0, 0);
    let started = Instant::now();
    let mut c = extract_cmd(&[&b_in], &ref_b, &["-j", "2"]);
    c.envs(slow);
    assert_eq!(run(c).0, 0);
    let full = started.elapsed();
    let (snap_a, snap_b) = (snapshot(&ref_a), snapshot(&ref_b));

    let out = t.path().join("out");
    let mut rng = Rng(0x2545F4914F6CDD1D);
    let mut seen = [0usize; 3];
    for i in 0..12 {
        let input = if i % 2 == 0 { &b_in } else { &a_in };
        let mut c = extract_cmd(&[input], &out, &["-j", "2"]);
        c.envs(slow);
        let mut child = c.spawn().unwrap();
        // Points spread over the whole run, including its very start and end.
        let span = (full.as_millis() as u64 * 3 / 2).max(30);
        std::thread::sleep(Duration::from_millis(rng.below(span)));
        signal(&child, libc::SIGKILL);
        child.wait().unwrap();
        let now = snapshot(&out);
        let which = if now.iter().all(Option::is_none) {
            0
        } else if now == snap_a {
            1
        } else if now == snap_b {
            2
        } else {
            let state: Vec<_> = OUTPUTS
                .iter()
                .zip(&now)
                .map(|(n, b)| (n, b.as_ref().map(Vec::len)))
                .collect();
            panic!("kill {i}: outputs are neither run A, run B nor absent: {state:?}");
        };
        assert!(
            which != 0 || seen[1] + seen[2] == 0,
            "kill {i}: outputs vanished after a completed run"
        );
        seen[which] += 1;
    }
    // After all that, a run completes normally into the same folder.
    assert_eq!(run(extract_cmd(&[&b_in], &out, &["-j", "2"])).0, 0);
    assert_same_outputs(&ref_b, &out);
    eprintln!("kill -9 outcomes (none, A, B): {seen:?}");
}

#[test]
fn sigint_stops_cleanly_saying_what_was_finished() {
    let t = tempfile::tempdir().unwrap();
    let (a_in, b_in) = (t.path().join("a"), t.path().join("b"));
    make_docs(&a_in, 5, "a");
    make_docs(&b_in, 30, "b");
    let out = t.path().join("out");
    assert_eq!(run(extract_cmd(&[&a_in], &out, &["--incremental"])).0, 0);
    let before = snapshot(&out);

    let mut c = extract_cmd(&[&b_in], &out, &["-j", "1", "--incremental"]);
    c.env("BAOGAO_DEBUG_DOC_DELAY_MS", "40");
    let child = c.spawn().unwrap();
    // Wait until the run is under way (its generation exists), then interrupt.
    let runs = out.join(".baogao/runs");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(&runs).map(|d| d.count()).unwrap_or(0) < 2 {
        assert!(Instant::now() < deadline, "run never started");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(250));
    signal(&child, libc::SIGINT);
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "stderr: {err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(err.contains("of 30 documents were finished"), "{err}");
    assert!(err.contains("previous outputs were left in place"), "{err}");
    assert!(err.contains("--incremental"), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "an interrupted run changed the outputs"
    );

    // Going on from there: the finished documents come from the cache, and the
    // result is a full run's.
    let (code, err) = run(extract_cmd(&[&b_in], &out, &["--incremental"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("from cache"), "{err}");
    let full = t.path().join("full");
    assert_eq!(run(extract_cmd(&[&b_in], &full, &[])).0, 0);
    assert_same_outputs(&full, &out);
}

fn cache_counts(stderr: &str) -> (u64, u64) {
    // "…; 2 extracted, 8 from cache" (absent when nothing came from the cache).
    let Some(i) = stderr.find(" extracted, ") else {
        return (u64::MAX, 0);
    };
    let head = &stderr[..i];
    let extracted = head
        .rsplit(' ')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap();
    let tail = &stderr[i + " extracted, ".len()..];
    let cached = tail.split(' ').next().and_then(|s| s.parse().ok()).unwrap();
    (extracted, cached)
}

#[test]
fn incremental_reextracts_only_what_changed_and_equals_a_full_run() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    make_docs(&input, 10, "x");
    let out = t.path().join("out");
    let (code, err) = run(extract_cmd(&[&input], &out, &["--incremental"]));
    assert_eq!(code, 0, "{err}");
    // Unchanged: everything from the cache, same bytes.
    let first = snapshot(&out);
    let (code, err) = run(extract_cmd(&[&input], &out, &["--incremental"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(cache_counts(&err), (0, 10), "{err}");
    assert_eq!(snapshot(&out), first);

    // One file changed: only it is extracted.
    let changed = input.join("g1/doc-004.txt");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\n补充说明:本年度新增内容。\n");
    std::fs::write(&changed, text).unwrap();
    let (code, err) = run(extract_cmd(&[&input], &out, &["--incremental"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(cache_counts(&err), (1, 9), "{err}");
    let full = t.path().join("full");
    assert_eq!(run(extract_cmd(&[&input], &full, &[])).0, 0);
    assert_same_outputs(&full, &out);

    // One deleted, one new, one renamed (same content, new path).
    std::fs::remove_file(input.join("g0/doc-000.txt")).unwrap();
    std::fs::write(input.join("g2/new.txt"), "2024年度部门决算\n单位:万元\n").unwrap();
    std::fs::rename(input.join("g0/doc-003.txt"), input.join("g0/doc-003b.txt")).unwrap();
    let (code, err) = run(extract_cmd(&[&input], &out, &["--incremental"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(cache_counts(&err), (2, 8), "{err}");
    let full2 = t.path().join("full2");
    assert_eq!(run(extract_cmd(&[&input], &full2, &[])).0, 0);
    assert_same_outputs(&full2, &out);
    // Entries of documents that are gone were pruned.
    let entries: usize = std::fs::read_dir(out.join(".baogao/cache"))
        .unwrap()
        .map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(entries, 10);

    // A damaged cache entry is a miss, not a wrong output.
    let sub = std::fs::read_dir(out.join(".baogao/cache"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let entry = std::fs::read_dir(&sub)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();
    let (code, err) = run(extract_cmd(&[&input], &out, &["--incremental"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(cache_counts(&err), (1, 9), "{err}");
    assert_same_outputs(&full2, &out);
}

/// Inputs with a bit of everything: documents in sub-folders, a failing document,
/// skipped files, names that sort differently as paths and as walk order.
fn mixed_inputs(root: &Path) -> Vec<PathBuf> {
    let a = root.join("set");
    make_docs(&a, 25, "m");
    std::fs::write(a.join("noise.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(a.join("readme.pdf"), b"%PDF").unwrap();
    std::fs::create_dir_all(a.join("a-b")).unwrap();
    std::fs::write(a.join("a-b/x.txt"), "一、部门概况\n").unwrap();
    std::fs::create_dir_all(a.join("a")).unwrap();
    std::fs::write(a.join("a/y.txt"), "二、收入支出\n").unwrap();
    std::fs::write(a.join("a.txt"), "").unwrap();
    vec![a, corpus()]
}

#[test]
fn three_shards_merged_equal_a_single_run_byte_for_byte() {
    let t = tempfile::tempdir().unwrap();
    let inputs = mixed_inputs(t.path());
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let single = t.path().join("single");
    assert_eq!(run(extract_cmd(&refs, &single, &[])).0, 1);
    let mut shards = vec![];
    let mut total_docs = 0;
    for k in 1..=3 {
        let d = t.path().join(format!("shard{k}"));
        let (code, err) = run(extract_cmd(&refs, &d, &["--shard", &format!("{k}/3")]));
        assert!(code == 0 || code == 1, "{err}");
        total_docs += dataset(&d, "documents").len();
        assert!(manifest(&d)["shard"]["index"] == k);
        shards.push(d);
    }
    assert_eq!(total_docs, dataset(&single, "documents").len());
    // Given in any order.
    let merged = t.path().join("merged");
    let mut c = bin();
    c.args(["merge", "--no-timings", "--out"])
        .arg(&merged)
        .args([&shards[2], &shards[0], &shards[1]]);
    let (code, err) = run(c);
    assert_eq!(code, 1, "merge exits as the single run did: {err}");
    assert_same_outputs(&single, &merged);

    // With timings, the datasets are still identical and the manifests differ
    // only in their timings.
    let mut timed = vec![];
    for k in 1..=3 {
        let d = t.path().join(format!("timed{k}"));
        let mut c = bin();
        c.arg("extract")
            .args(&refs)
            .args(["-q", "--shard", &format!("{k}/3"), "--out"])
            .arg(&d);
        run(c);
        timed.push(d);
    }
    let merged_t = t.path().join("merged-timed");
    let mut c = bin();
    c.args(["merge", "-q", "--out"]).arg(&merged_t).args(&timed);
    run(c);
    let mut m = manifest(&merged_t);
    assert!(m["timings"]["jobs"].as_u64().unwrap() >= 3);
    m.as_object_mut().unwrap().remove("timings");
    assert_eq!(m, manifest(&single));
    for n in DATASETS {
        assert_eq!(dataset(&merged_t, n), dataset(&single, n), "{n}");
    }
}

#[test]
fn merge_refuses_what_is_not_one_complete_split() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    make_docs(&input, 8, "r");
    let other = t.path().join("other");
    make_docs(&other, 9, "o");
    let shard = |inp: &Path, k: u32, n: u32| {
        let d = t.path().join(format!(
            "s-{}-{k}-{n}",
            inp.file_name().unwrap().to_string_lossy()
        ));
        run(extract_cmd(&[inp], &d, &["--shard", &format!("{k}/{n}")]));
        d
    };
    let (s1, s2, s3) = (
        shard(&input, 1, 3),
        shard(&input, 2, 3),
        shard(&input, 3, 3),
    );
    let o3 = shard(&other, 3, 3);
    let m = |dirs: &[&PathBuf]| {
        let mut c = bin();
        c.args(["merge", "--out"])
            .arg(t.path().join("m"))
            .args(dirs);
        run(c)
    };
    let (code, err) = m(&[&s1, &s2]);
    assert_eq!(code, 2);
    assert!(err.contains("missing shards: 3/3"), "{err}");
    let (code, err) = m(&[&s1, &s2, &o3]);
    assert_eq!(code, 2);
    assert!(err.contains("another input set"), "{err}");
    let (code, err) = m(&[&s1, &s2, &s2, &s3]);
    assert_eq!(code, 2);
    assert!(err.contains("given twice"), "{err}");
    let (code, err) = m(&[&s1, &s2, &t.path().join("nowhere")]);
    assert_eq!(code, 2);
    assert!(err.contains("no complete run"), "{err}");
    let (code, err) = m(&[&s1, &s2, &s3]);
    assert_eq!(code, 0, "{err}");
    for (code, bad) in [(2, "0/3"), (2, "4/3"), (2, "x")] {
        let (c, err) = run(extract_cmd(
            &[&input],
            &t.path().join("bad"),
            &["--shard", bad],
        ));
        assert_eq!(c, code, "{bad}: {err}");
    }
}

#[test]
fn exit_codes_fail_fast_and_a_manifest_that_lists_every_input() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    make_docs(&input, 6, "e");
    let out = t.path().join("out");
    assert_eq!(run(extract_cmd(&[&input], &out, &[])).0, 0);
    let good = snapshot(&out);
    std::fs::write(input.join("g0/zz-binary.txt"), [0u8, 1, 2, 3, 0, 0, 0xFF]).unwrap();
    std::fs::write(input.join("g1/notes.docx"), b"PK").unwrap();

    // --fail-fast: exit 2, the failed document named, the outputs untouched.
    let (code, err) = run(extract_cmd(&[&input], &out, &["--fail-fast"]));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("zz-binary.txt") && err.contains("--fail-fast"),
        "{err}"
    );
    assert_eq!(snapshot(&out), good);

    // Without it: exit 1, the run completes, every input listed once.
    let (code, err) = run(extract_cmd(&[&input], &out, &[]));
    assert_eq!(code, 1, "{err}");
    let m = manifest(&out);
    let listed: Vec<&str> = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    let on_disk: Vec<String> = walk_files(&input)
        .into_iter()
        .map(|p| format!("in/{}", p.strip_prefix(&input).unwrap().display()))
        .collect();
    let mut sorted = on_disk.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    assert_eq!(m["summary"]["failed"], 1);
    assert_eq!(m["summary"]["skipped"], 1);
    assert_eq!(m["failures"][0]["path"], "in/g0/zz-binary.txt");
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Wait for a child, failing the test (and killing it) if it takes over `secs`.
fn wait_within(mut child: Child, secs: u64) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the run did not end within {secs} s (workers waiting on each other?)");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

// Regression: with workers running ahead of the in-order writer, a run that stops
// early (a failed document under --fail-fast, SIGINT) must stop every worker, also
// one waiting for the writer, and leave the previous outputs as they were.
#[test]
fn two_workers_stop_together_on_fail_fast_and_sigint() {
    let t = tempfile::tempdir().unwrap();
    let input = t.path().join("in");
    make_docs_of(&input, 60, "w", 40);
    let out = t.path().join("out");
    assert_eq!(run(extract_cmd(&[&input], &out, &["-j", "2"])).0, 0);
    let good = snapshot(&out);
    std::fs::write(input.join("g0/doc-001a.txt"), [0u8, 1, 2, 3, 0, 0, 0xFF]).unwrap();
    let child = extract_cmd(&[&input], &out, &["-j", "2", "--fail-fast"])
        .spawn()
        .unwrap();
    let o = wait_within(child, 60);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("doc-001a.txt"), "{err}");
    assert_eq!(snapshot(&out), good);

    std::fs::remove_file(input.join("g0/doc-001a.txt")).unwrap();
    let mut c = extract_cmd(&[&input], &out, &["-j", "2"]);
    c.env("BAOGAO_DEBUG_DOC_DELAY_MS", "30");
    let child = c.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, libc::SIGINT);
    let o = wait_within(child, 60);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert_eq!(snapshot(&out), good);
}

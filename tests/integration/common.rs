//! Shared helpers: running the binary, reading outputs, slicing spans.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

pub const DATASETS: [&str; 6] = [
    "documents",
    "sections",
    "tables",
    "indicators",
    "facts",
    "checks",
];

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus() -> PathBuf {
    root().join("corpus")
}

/// `../shared` beside the checkout, if present.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.join("gold").is_dir().then_some(p)
}

pub fn baogao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baogao"))
        .args(args)
        .output()
        .expect("run baogao")
}

/// Run `extract` and panic with stderr unless the exit code is as expected.
pub fn extract_to(out: &Path, inputs: &[&Path], extra: &[&str], expect_code: i32) -> Output {
    let mut args: Vec<String> = vec!["extract".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend([
        "--out".into(),
        out.display().to_string(),
        "--quiet".into(),
        "--no-timings".into(),
    ]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = baogao(&refs);
    assert_eq!(
        o.status.code(),
        Some(expect_code),
        "baogao {:?}\nstderr:\n{}",
        args,
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// One extraction of the bundled corpus, shared by the tests that only read it.
pub fn corpus_run() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        extract_to(d.path(), &[&corpus()], &["--jobs", "2"], 0);
        d
    })
    .path()
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: bad JSON line {l}: {e}", path.display()))
        })
        .collect()
}

pub fn dataset(dir: &Path, name: &str) -> Vec<Value> {
    read_jsonl(&dir.join(format!("{name}.jsonl")))
}

/// The decoded text of a corpus document, as spans measure it.
pub fn decoded_text(path_field: &str) -> String {
    // `path` is "corpus/<rel>" for a run over the corpus folder.
    let rel = path_field.strip_prefix("corpus/").unwrap_or(path_field);
    let bytes = std::fs::read(corpus().join(rel)).unwrap();
    baogao::decode::decode(&bytes).unwrap().text
}

/// `text[start:end]` in characters, as Python would slice it.
pub fn slice_chars(text: &str, span: &Value) -> String {
    let start = span["start"].as_u64().unwrap() as usize;
    let end = span["end"].as_u64().unwrap() as usize;
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// Fold for comparing shown text with source text: full-width ASCII to ASCII, no whitespace.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

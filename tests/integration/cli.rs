//! The command line as users run it: outputs, determinism, bad inputs, bad patterns.

use std::path::Path;

use crate::common::*;

fn all_outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    DATASETS
        .iter()
        .map(|n| format!("{n}.jsonl"))
        .chain(["manifest.json".to_string()])
        .map(|n| {
            let b = std::fs::read(dir.join(&n)).unwrap_or_else(|e| panic!("{n}: {e}"));
            (n, b)
        })
        .collect()
}

#[test]
fn writes_seven_outputs_identically_for_any_thread_count() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    extract_to(one.path(), &[&corpus()], &["--jobs", "1"], 0);
    extract_to(two.path(), &[&corpus()], &["--jobs", "2"], 0);
    let (a, b) = (all_outputs(one.path()), all_outputs(two.path()));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between --jobs 1 and --jobs 2");
    }
    assert!(!dataset(one.path(), "documents").is_empty());
}

/// Random bytes, an empty file and a GB18030 copy of a seed added to the inputs.
#[test]
fn bad_and_odd_inputs_do_not_disturb_the_rest() {
    let base = tempfile::tempdir().unwrap();
    extract_to(base.path(), &[&corpus()], &[], 0);

    let extra = tempfile::tempdir().unwrap();
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(extra.path().join("noise.txt"), noise).unwrap();
    std::fs::write(extra.path().join("empty.txt"), b"").unwrap();
    let seed =
        std::fs::read_to_string(corpus().join("seeds/dongan-2023-grid-dept-eval.txt")).unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(&seed);
    std::fs::write(extra.path().join("dongan-gb18030.txt"), &gb).unwrap();

    let out = tempfile::tempdir().unwrap();
    // Exit code 1: the run completed, one document failed.
    extract_to(out.path(), &[&corpus(), extra.path()], &[], 1);
    let docs = dataset(out.path(), "documents");
    let by_name = |n: &str| {
        docs.iter()
            .find(|d| d["path"].as_str().unwrap().ends_with(n))
            .unwrap_or_else(|| panic!("{n} missing"))
            .clone()
    };
    let noise = by_name("noise.txt");
    assert_eq!(noise["status"], "failed");
    assert!(!noise["errors"][0].as_str().unwrap().is_empty());
    let empty = by_name("empty.txt");
    assert_eq!(empty["status"], "ok");
    assert_eq!(empty["counts"]["facts"], 0);
    let gbdoc = by_name("dongan-gb18030.txt");
    assert_eq!(gbdoc["status"], "ok");
    assert_eq!(gbdoc["encoding"], "GB18030");
    let utf8doc = by_name("dongan-2023-grid-dept-eval.txt");
    // Same words, same findings.
    for key in [
        "title",
        "region",
        "org",
        "fiscal_year",
        "doc_types",
        "self_eval",
    ] {
        assert_eq!(gbdoc[key], utf8doc[key], "{key}");
    }
    assert_eq!(gbdoc["counts"]["facts"], utf8doc["counts"]["facts"]);

    // The corpus documents' lines are exactly those of the run without extras.
    for name in DATASETS {
        let base_lines = dataset(base.path(), name);
        let with: Vec<_> = dataset(out.path(), name)
            .into_iter()
            .filter(|l| base_lines.iter().any(|b| b["doc_id"] == l["doc_id"]))
            .collect();
        assert_eq!(
            base_lines, with,
            "{name}: corpus lines changed when extra inputs were added"
        );
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["summary"]["failed"], 1);
    assert_eq!(m["failures"][0]["status"], "failed");
}

fn pattern_dir(file: &str, text: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join(file), text).unwrap();
    d
}

fn assert_refused(dir: &Path, needles: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let o = baogao(&[
        "extract",
        &corpus().display().to_string(),
        "--out",
        &out.path().display().to_string(),
        "--patterns",
        &dir.display().to_string(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    assert!(
        !out.path().join("documents.jsonl").exists(),
        "documents were read"
    );
    let check = baogao(&["patterns", "check", &dir.display().to_string()]);
    assert_eq!(check.status.code(), Some(2));
}

const GOOD_RULE: &str = "[[unit]]\nid = \"unit.test\"\nword = \"元\"\nunit = \"CNY\"\n";

#[test]
fn broken_patterns_are_refused_naming_file_and_rule() {
    let bad_regex = pattern_dir(
        "metrics.toml",
        "[[metric]]\nid = \"metric.broken\"\nmetric = \"x\"\nunit = \"CNY\"\npattern = '(unclosed'\n",
    );
    assert_refused(
        bad_regex.path(),
        &["metrics.toml", "metric.broken", "regex"],
    );

    let unknown_field = pattern_dir(
        "units.toml",
        "[[unit]]\nid = \"unit.odd\"\nword = \"元\"\nunit = \"CNY\"\ncolour = \"red\"\n",
    );
    assert_refused(unknown_field.path(), &["units.toml", "unit.odd", "colour"]);

    let dup = pattern_dir("units.toml", &format!("{GOOD_RULE}\n{GOOD_RULE}"));
    assert_refused(dup.path(), &["units.toml", "unit.test", "duplicate"]);

    let failing_example = pattern_dir(
        "metrics.toml",
        "[[metric]]\nid = \"metric.ex\"\nmetric = \"x\"\nunit = \"CNY\"\npattern = '公务接待费'\nexamples = [\"会议费\"]\n",
    );
    assert_refused(
        failing_example.path(),
        &["metrics.toml", "metric.ex", "example"],
    );
}

#[test]
fn pattern_check_accepts_the_defaults() {
    let o = baogao(&["patterns", "check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let dir = root().join("patterns");
    let o = baogao(&["patterns", "check", &dir.display().to_string()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn help_and_version() {
    let o = baogao(&["--version"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("baogao "));
    let o = baogao(&["extract", "--help"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("--patterns"));
    let o = baogao(&["extract"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Regression: two folders of one name gave two documents one `path`.
#[test]
fn inputs_that_share_an_output_path_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, text) in [("a/docs", "一"), ("b/docs", "二")] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("x.txt"), text).unwrap();
    }
    let out = dir.path().join("out");
    let arg = |p: &str| dir.path().join(p).display().to_string();
    let extract = |a: &str, b: &str| {
        baogao(&[
            "extract",
            &arg(a),
            &arg(b),
            "--out",
            &out.display().to_string(),
        ])
    };
    let o = extract("a/docs", "b/docs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("docs/x.txt") && err.contains(&arg("a/docs/x.txt")),
        "{err}"
    );
    assert!(!out.join("documents.jsonl").exists());
    // Their common parent names them apart.
    assert_eq!(extract("a", "b").status.code(), Some(0));
}

#[test]
fn missing_input_is_fatal() {
    let out = tempfile::tempdir().unwrap();
    let o = baogao(&[
        "extract",
        "/nonexistent/baogao-input",
        "--out",
        &out.path().display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/baogao-input"));
}

//! Accuracy on the shared gold, scored by ../shared/tools/score.py, against the
//! thresholds of the issues: document fields ≥ 0.97 and sections F1 ≥ 0.95 (#3),
//! indicators F1 ≥ 0.97 (#4), facts F1 ≥ 0.92 with precision ≥ 0.95 (#5).
//! Skipped (with a message) when ../shared is not beside the checkout, unless
//! BAOGAO_REQUIRE_SHARED is set, as CI does.

use std::process::Command;

use serde_json::Value;

use crate::common::*;

/// (what, JSON pointer into score.py --json, minimum)
const THRESHOLDS: [(&str, &str, f64); 5] = [
    ("document fields", "/doc_accuracy", 0.97),
    ("sections F1", "/sections/f1", 0.95),
    ("indicators F1", "/indicators/f1", 0.97),
    ("facts F1", "/facts/f1", 0.92),
    ("facts precision", "/facts/precision", 0.95),
];

#[test]
fn accuracy_on_shared_gold() {
    let Some(shared) = shared() else {
        assert!(
            std::env::var_os("BAOGAO_REQUIRE_SHARED").is_none(),
            "../shared is missing but BAOGAO_REQUIRE_SHARED is set"
        );
        eprintln!("accuracy: ../shared not found, skipped");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let seeds = shared.join("corpus/seeds");
    let real = shared.join("corpus/real");
    extract_to(out.path(), &[&seeds, &real], &[], 0);
    let o = Command::new("python3")
        .arg(shared.join("tools/score.py"))
        .arg("--out")
        .arg(out.path())
        .arg("--gold")
        .arg(shared.join("gold"))
        .arg("--json")
        .output()
        .expect("python3 for score.py");
    let report: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "score.py output: {e}\n{}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    let mut low = vec![];
    for (what, ptr, min) in THRESHOLDS {
        let got = report.pointer(ptr).and_then(Value::as_f64).unwrap_or(0.0);
        eprintln!("{what}: {got:.3} (minimum {min})");
        if got < min {
            low.push(format!("{what} {got:.3} < {min}"));
        }
    }
    assert!(
        low.is_empty(),
        "accuracy below thresholds: {low:?}\n{report:#}"
    );
}

//! Golden files: the corpus run's datasets, byte for byte. Regenerate after an
//! intended change with `BAOGAO_BLESS=1 cargo test golden` and review the diff.

use crate::common::*;

#[test]
fn corpus_outputs_match_golden() {
    let out = corpus_run();
    let golden = root().join("tests/golden");
    let bless = std::env::var_os("BAOGAO_BLESS").is_some();
    let mut stale = vec![];
    for name in DATASETS {
        let file = format!("{name}.jsonl");
        let got = std::fs::read_to_string(out.join(&file)).unwrap();
        let path = golden.join(&file);
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            stale.push(format!("{file} differs from line {}", line + 1));
        }
    }
    assert!(
        stale.is_empty(),
        "golden outputs differ (BAOGAO_BLESS=1 cargo test golden to accept): {stale:?}"
    );
}

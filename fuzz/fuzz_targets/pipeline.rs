//! Any bytes through decode and the whole per-document pipeline, then through the
//! emitter and the cache format: nothing may panic, every dataset line must be one
//! JSON object, and a cache entry must read back as exactly what was written.
#![no_main]

use std::sync::OnceLock;

use baogao::emit::DocOutput;
use baogao::PatternSet;
use libfuzzer_sys::fuzz_target;

fn patterns() -> &'static PatternSet {
    static P: OnceLock<PatternSet> = OnceLock::new();
    P.get_or_init(|| PatternSet::embedded().expect("embedded patterns load"))
}

fuzz_target!(|data: &[u8]| {
    let outcome = baogao::extract("fuzz/input.txt", data, patterns());
    let out = DocOutput::from_outcome(&outcome).expect("outputs serialise");
    for lines in &out.lines {
        for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let v: serde_json::Value = serde_json::from_slice(line).expect("a JSON line");
            assert!(v.is_object());
        }
    }
    let mut buf = Vec::new();
    out.encode("key", &mut buf).expect("cache entry encodes");
    assert_eq!(DocOutput::decode("key", &buf).as_ref(), Some(&out));
});

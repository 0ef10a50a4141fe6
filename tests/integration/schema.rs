//! Every output line validates against its JSON Schema in docs/schema/.

use crate::common::*;

fn validator(name: &str) -> jsonschema::Validator {
    let path = root().join(format!("docs/schema/{name}.schema.json"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_line_validates() {
    let out = corpus_run();
    for name in DATASETS {
        let v = validator(name);
        let lines = dataset(out, name);
        for (i, line) in lines.iter().enumerate() {
            let errors: Vec<String> = v
                .iter_errors(line)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{name}.jsonl line {}: {errors:?}\n{line}",
                i + 1
            );
        }
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let errors: Vec<String> = validator("manifest")
        .iter_errors(&m)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "manifest.json: {errors:?}");
}

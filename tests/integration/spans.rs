//! Every span in every output slices back, in the decoded text, to what it claims.

use std::collections::HashMap;

use serde_json::Value;

use crate::common::*;

struct Docs {
    text: HashMap<String, String>,
}

impl Docs {
    fn load(out: &std::path::Path) -> Docs {
        let mut text = HashMap::new();
        for d in dataset(out, "documents") {
            if d["status"] != "failed" {
                text.insert(
                    d["doc_id"].as_str().unwrap().to_string(),
                    decoded_text(d["path"].as_str().unwrap()),
                );
            }
        }
        Docs { text }
    }

    fn slice(&self, line: &Value, span: &Value) -> String {
        let t = &self.text[line["doc_id"].as_str().unwrap()];
        let n = t.chars().count() as u64;
        let (s, e) = (
            span["start"].as_u64().unwrap(),
            span["end"].as_u64().unwrap(),
        );
        assert!(
            s <= e && e <= n,
            "span {span} outside document of {n} chars: {line}"
        );
        let l = span["line"].as_u64().unwrap();
        let le = span["line_end"].as_u64().unwrap();
        let first_line = t.chars().take(s as usize).filter(|&c| c == '\n').count() as u64 + 1;
        assert_eq!(l, first_line, "span line wrong: {line}");
        assert!(le >= l, "line_end before line: {line}");
        slice_chars(t, span)
    }
}

#[test]
fn facts_raw_is_the_span() {
    let out = corpus_run();
    let docs = Docs::load(out);
    for f in dataset(out, "facts") {
        let got = docs.slice(&f, &f["span"]);
        assert_eq!(
            got,
            f["raw"].as_str().unwrap(),
            "fact raw != text at span: {f}"
        );
    }
}

#[test]
fn sections_span_holds_marker_and_title() {
    let out = corpus_run();
    let docs = Docs::load(out);
    for s in dataset(out, "sections") {
        let got = fold(&docs.slice(&s, &s["span"]));
        let marker = fold(s["marker"].as_str().unwrap());
        let title = fold(s["title"].as_str().unwrap());
        assert!(
            got.contains(&marker),
            "section span lacks marker: {got:?} / {s}"
        );
        let head: String = title.chars().take(6).collect();
        assert!(
            got.contains(&head),
            "section span lacks title: {got:?} / {s}"
        );
    }
}

#[test]
fn table_and_indicator_spans_hold_their_cells() {
    let out = corpus_run();
    let docs = Docs::load(out);
    for t in dataset(out, "tables") {
        let got = fold(&docs.slice(&t, &t["span"]));
        for row in t["rows"].as_array().unwrap() {
            for cell in row.as_array().unwrap() {
                let c = fold(cell.as_str().unwrap());
                let head: String = c.chars().take(4).collect();
                assert!(
                    got.contains(&head),
                    "table span lacks cell {c:?}: table {}",
                    t["table_id"]
                );
            }
        }
    }
    for i in dataset(out, "indicators") {
        let got = fold(&docs.slice(&i, &i["span"]));
        if let Some(l3) = i["level3"].as_str() {
            let head: String = fold(l3).chars().take(4).collect();
            assert!(got.contains(&head), "indicator span lacks level3: {i}");
        }
    }
}

#[test]
fn check_spans_are_inside_documents() {
    let out = corpus_run();
    let docs = Docs::load(out);
    for c in dataset(out, "checks") {
        for sp in c["spans"].as_array().unwrap() {
            docs.slice(&c, sp);
        }
    }
}

//! Facts: every span gives back its `raw`, and the same report written another way
//! (GB18030, UTF-16, full-width digits, hard-wrapped like PDF text, pipe tables)
//! gives the same facts.

use std::collections::BTreeMap;

use baogao::model::Fact;
use baogao::{Outcome, PatternSet};

use crate::common::*;

/// (metric, basis, value) → how many times, for the vocabulary facts of a document.
type Keys = BTreeMap<(String, String, String), usize>;

fn pats() -> &'static PatternSet {
    static P: std::sync::OnceLock<PatternSet> = std::sync::OnceLock::new();
    P.get_or_init(|| PatternSet::embedded().unwrap())
}

fn facts_of(name: &str, bytes: &[u8]) -> (String, Vec<Fact>) {
    match baogao::extract(name, bytes, pats()) {
        Outcome::Extracted(d) => (d.norm.source.as_str().to_string(), d.facts.clone()),
        Outcome::Failed(f) => panic!("{name}: {}", f.error),
    }
}

fn keys(facts: &[Fact]) -> Keys {
    let mut k = Keys::new();
    for f in facts {
        if let Some(m) = &f.metric {
            let b = f
                .basis
                .map(|b| serde_json::to_string(&b).unwrap())
                .unwrap_or_default();
            *k.entry((m.clone(), b, f.value.normalize().to_string()))
                .or_default() += 1;
        }
    }
    k
}

/// Every fact's span, sliced out of the decoded text, is its `raw`.
fn assert_spans(name: &str, text: &str, facts: &[Fact]) {
    let chars: Vec<char> = text.chars().collect();
    for f in facts {
        let (s, e) = (f.span.start as usize, f.span.end as usize);
        assert!(
            s <= e && e <= chars.len(),
            "{name}: span outside text: {f:?}"
        );
        let got: String = chars[s..e].iter().collect();
        assert_eq!(got, f.raw, "{name}: raw != text at span");
        let line = chars[..s].iter().filter(|&&c| c == '\n').count() as u32 + 1;
        assert_eq!(f.span.line, line, "{name}: span line: {f:?}");
    }
}

/// (folder, file name, bytes) of the bundled corpus.
fn corpus_files() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = vec![];
    for dir in ["seeds", "real"] {
        let mut paths: Vec<_> = std::fs::read_dir(corpus().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        for p in paths {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            out.push((dir, name, std::fs::read(&p).unwrap()));
        }
    }
    out
}

#[test]
fn every_span_gives_back_its_raw() {
    let mut n = 0;
    for (_, name, bytes) in corpus_files() {
        let (text, facts) = facts_of(&name, &bytes);
        assert_spans(&name, &text, &facts);
        n += facts.len();
    }
    assert!(n > 100, "only {n} facts in the corpus");
}

fn gb18030(s: &str) -> Vec<u8> {
    let (b, _, bad) = encoding_rs::GB18030.encode(s);
    assert!(!bad);
    b.into_owned()
}

fn utf16le(s: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b
}

/// Digits, `.`, `%` and `,` inside figures written full-width (`１２３．４５`).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '%' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            c => c,
        })
        .collect()
}

/// Display columns as a layout converter counts them.
fn cols(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Long running-text lines broken every ~70 columns, as PDF text is; table rows
/// (tabs) and short lines stay.
fn hard_wrapped(s: &str) -> String {
    let mut out = String::new();
    for line in s.split('\n') {
        let width: usize = line.chars().map(cols).sum();
        if line.contains('\t') || width <= 80 {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut w = 0;
        for c in line.chars() {
            if w + cols(c) > 70 && c != '。' {
                out.push('\n');
                w = 0;
            }
            out.push(c);
            w += cols(c);
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// Tab-separated table rows written as Markdown pipe rows. Cell-per-line lines
/// (one leading tab, one cell) stay: a converter writes one layout per table.
fn pipe_tables(s: &str) -> String {
    s.split('\n')
        .map(|l| {
            let tabs = l.matches('\t').count();
            if tabs >= 2 || (tabs == 1 && !l.starts_with('\t')) {
                format!("| {} |", l.split('\t').collect::<Vec<_>>().join(" | "))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown tables as converters write them: a `---` row after the first row of
/// every pipe table, whatever the header's depth.
fn markdown_tables(s: &str) -> String {
    let mut out: Vec<String> = vec![];
    let mut in_table = false;
    for l in pipe_tables(s).split('\n') {
        out.push(l.to_string());
        let pipe = l.starts_with('|');
        if pipe && !in_table {
            let n = l.matches('|').count().saturating_sub(1).max(1);
            out.push(format!("|{}", " --- |".repeat(n)));
        }
        in_table = pipe;
    }
    out.join("\n")
}

#[test]
fn the_same_report_written_another_way_gives_the_same_facts() {
    for (dir, name, bytes) in corpus_files() {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let (_, base) = facts_of(&name, &bytes);
        let want = keys(&base);
        let mut variants: Vec<(&str, Vec<u8>)> = vec![
            ("gb18030", gb18030(&text)),
            ("utf16", utf16le(&text)),
            ("full-width", full_width(&text).into_bytes()),
            ("pipe", pipe_tables(&text).into_bytes()),
            ("markdown", markdown_tables(&text).into_bytes()),
        ];
        // The real/ files are pdftotext output, already hard-wrapped: wrapping them
        // again would only make paragraph tails that no converter writes.
        if dir == "seeds" {
            variants.push(("hard-wrapped", hard_wrapped(&text).into_bytes()));
        }
        for (how, b) in variants {
            let (vtext, facts) = facts_of(&format!("{how}/{name}"), &b);
            assert_spans(&format!("{how}/{name}"), &vtext, &facts);
            let got = keys(&facts);
            let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
            let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{how} {name}: missing {missing:?}, extra {extra:?}"
            );
        }
    }
}

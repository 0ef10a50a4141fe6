//! Where the time goes, stage by stage, over a folder of inputs:
//! `cargo run --release --example stage_times -- DIR [MAX_FILES]`.
//! A profile aid (one thread, wall clock per stage); `bench/run.sh` is the benchmark.

use std::time::{Duration, Instant};

use baogao::emit::DocOutput;
use baogao::model::Doc;
use baogao::normalize::NormDoc;
use baogao::{card, checks, decode, facts, indicators, segment, tables, PatternSet};

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut ps: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    ps.sort();
    for p in ps {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("DIR"));
    let max: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let t = Instant::now();
    let pats = PatternSet::embedded().expect("patterns");
    eprintln!("patterns {:?}", t.elapsed());
    let mut paths = vec![];
    files(&dir, &mut paths);
    paths.truncate(max);
    let names = [
        "read",
        "sha",
        "decode",
        "normalise",
        "classify",
        "tables",
        "sections",
        "indicators",
        "facts",
        "card",
        "checks",
        "records",
    ];
    let mut acc = vec![Duration::ZERO; names.len()];
    let mut bytes = 0u64;
    let lap = |i: usize, t: &mut Instant, acc: &mut Vec<Duration>| {
        let now = Instant::now();
        acc[i] += now - *t;
        *t = now;
    };
    for p in &paths {
        let mut t = Instant::now();
        let Ok(b) = std::fs::read(p) else { continue };
        bytes += b.len() as u64;
        lap(0, &mut t, &mut acc);
        let sha = baogao::pipeline::sha256_hex(&b);
        lap(1, &mut t, &mut acc);
        let Ok(dec) = decode::decode(&b) else {
            continue;
        };
        lap(2, &mut t, &mut acc);
        let norm = NormDoc::new(dec.text);
        lap(3, &mut t, &mut acc);
        let markers = segment::markers(&norm, &pats);
        let mut roles = segment::classify_lines(&norm, &markers, &pats);
        lap(4, &mut t, &mut acc);
        let tabs = tables::find(&norm, &mut roles, &pats);
        lap(5, &mut t, &mut acc);
        let titles: Vec<usize> = tabs.iter().filter_map(|t| t.title_line).collect();
        let sections = segment::sections(&norm, &markers, &mut roles, &titles, &pats);
        lap(6, &mut t, &mut acc);
        let inds = indicators::extract(&norm, &tabs, &pats);
        lap(7, &mut t, &mut acc);
        let mut doc = Doc {
            doc_id: baogao::pipeline::doc_id_of(&sha),
            path: p.display().to_string(),
            sha256: sha,
            bytes: b.len() as u64,
            encoding: dec.encoding.to_string(),
            norm,
            roles,
            markers,
            sections,
            tables: tabs,
            indicators: inds,
            facts: vec![],
            checks: vec![],
            card: Default::default(),
            warnings: dec.warnings,
        };
        doc.facts = facts::extract(&doc, &pats);
        lap(8, &mut t, &mut acc);
        doc.card = card::build(&doc, &pats);
        lap(9, &mut t, &mut acc);
        doc.checks = checks::run(&doc, &pats);
        lap(10, &mut t, &mut acc);
        let out = baogao::pipeline::Outcome::Extracted(Box::new(doc));
        std::hint::black_box(DocOutput::from_outcome(&out).ok());
        lap(11, &mut t, &mut acc);
    }
    let total: Duration = acc.iter().sum();
    let mb = bytes as f64 / 1e6;
    println!(
        "{} files, {:.1} MB, {:.2} s, {:.2} MB/s",
        paths.len(),
        mb,
        total.as_secs_f64(),
        mb / total.as_secs_f64()
    );
    for (n, d) in names.iter().zip(&acc) {
        println!(
            "{n:>11} {:>8.3} s {:>5.1}% {:>8.1} MB/s",
            d.as_secs_f64(),
            100.0 * d.as_secs_f64() / total.as_secs_f64(),
            mb / d.as_secs_f64()
        );
    }
}

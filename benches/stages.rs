//! Micro-benchmarks of the hot stages, one criterion group each, over the sample
//! documents bundled in `corpus/` (so they run in a bare checkout):
//!
//! ```sh
//! cargo bench --bench stages              # all groups
//! cargo bench --bench stages -- decode    # one group
//! ```
//!
//! Throughput is reported in bytes of the documents as stored (UTF-8), so the
//! figures compare with the whole-run MB/s of `bench/run.sh`. Every stage is fed
//! the output of the real stages before it, exactly as `pipeline::extract` does.
//! Benchmarks, never timed tests: nothing here asserts a speed.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use encoding_rs::GB18030;

use baogao::emit::records;
use baogao::model::Doc;
use baogao::normalize::NormDoc;
use baogao::pipeline::Outcome;
use baogao::{card, checks, decode, facts, indicators, segment, tables, PatternSet};

/// The bundled documents: (name, UTF-8 bytes).
fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = vec![];
    for dir in ["seeds", "real"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().and_then(|e| e.to_str()) == Some("txt") {
                if let Ok(b) = std::fs::read(&p) {
                    out.push((p.display().to_string(), b));
                }
            }
        }
    }
    assert!(!out.is_empty(), "no documents under corpus/");
    out
}

fn total(docs: &[(String, Vec<u8>)]) -> u64 {
    docs.iter().map(|d| d.1.len() as u64).sum()
}

fn patterns() -> PatternSet {
    PatternSet::embedded().expect("embedded pattern set loads")
}

fn extracted(docs: &[(String, Vec<u8>)], pats: &PatternSet) -> Vec<Doc> {
    docs.iter()
        .filter_map(|(p, b)| match baogao::extract(p, b, pats) {
            Outcome::Extracted(d) => Some(*d),
            Outcome::Failed(_) => None,
        })
        .collect()
}

fn bench_patterns(c: &mut Criterion) {
    c.bench_function("patterns/load_compile_embedded", |b| {
        b.iter(|| black_box(PatternSet::embedded().map(|p| p.rule_count())))
    });
}

fn bench_decode(c: &mut Criterion) {
    let docs = corpus();
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(total(&docs)));
    let texts: Vec<String> = docs
        .iter()
        .map(|d| String::from_utf8_lossy(&d.1).into_owned())
        .collect();
    let utf16le: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| t.encode_utf16().flat_map(u16::to_le_bytes).collect())
        .collect();
    let gb: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| GB18030.encode(t).0.into_owned())
        .collect();
    let raw: Vec<Vec<u8>> = docs.iter().map(|d| d.1.clone()).collect();
    for (name, set) in [
        ("utf8", &raw),
        ("utf16le_no_bom", &utf16le),
        ("gb18030", &gb),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for bytes in set.iter() {
                    black_box(decode::decode(bytes).map(|d| d.text.len()).ok());
                }
            })
        });
    }
    g.finish();
}

fn bench_normalize(c: &mut Criterion) {
    let docs = corpus();
    let texts: Vec<String> = docs
        .iter()
        .map(|d| String::from_utf8_lossy(&d.1).into_owned())
        .collect();
    let mut g = c.benchmark_group("normalize");
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("normdoc_new", |b| {
        b.iter_batched(
            || texts.clone(),
            |ts| {
                for t in ts {
                    black_box(NormDoc::new(t).line_count());
                }
            },
            BatchSize::LargeInput,
        )
    });
    let norms: Vec<NormDoc> = texts.iter().map(|t| NormDoc::new(t.clone())).collect();
    g.bench_function("join_lines", |b| {
        b.iter(|| {
            for n in &norms {
                let all: Vec<usize> = (0..n.line_count()).collect();
                black_box(baogao::normalize::join_lines(n, &all).len());
            }
        })
    });
    g.finish();
}

fn bench_segment_tables(c: &mut Criterion) {
    let docs = corpus();
    let pats = patterns();
    let norms: Vec<NormDoc> = docs
        .iter()
        .map(|d| NormDoc::new(String::from_utf8_lossy(&d.1).into_owned()))
        .collect();
    let marks: Vec<_> = norms.iter().map(|n| segment::markers(n, &pats)).collect();
    let classified: Vec<_> = norms
        .iter()
        .zip(&marks)
        .map(|(n, m)| segment::classify_lines(n, m, &pats))
        .collect();
    // Sections are built after the tables stage has marked its lines.
    let marked: Vec<_> = norms
        .iter()
        .zip(&classified)
        .map(|(n, r)| {
            let mut r = r.clone();
            tables::find(n, &mut r, &pats);
            r
        })
        .collect();
    let mut g = c.benchmark_group("segment");
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("markers", |b| {
        b.iter(|| {
            for n in &norms {
                black_box(segment::markers(n, &pats).len());
            }
        })
    });
    g.bench_function("classify_lines", |b| {
        b.iter(|| {
            for (n, m) in norms.iter().zip(&marks) {
                black_box(segment::classify_lines(n, m, &pats).len());
            }
        })
    });
    g.bench_function("sections", |b| {
        b.iter_batched(
            || marked.clone(),
            |mut rs| {
                for ((n, m), r) in norms.iter().zip(&marks).zip(rs.iter_mut()) {
                    black_box(segment::sections(n, m, r, &[], &pats).len());
                }
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
    let mut g = c.benchmark_group("tables");
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("find", |b| {
        b.iter_batched(
            || classified.clone(),
            |mut rs| {
                for (n, r) in norms.iter().zip(rs.iter_mut()) {
                    black_box(tables::find(n, r, &pats).len());
                }
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

fn bench_doc_stages(c: &mut Criterion) {
    let docs = corpus();
    let pats = patterns();
    let extracted = extracted(&docs, &pats);
    let mut g = c.benchmark_group("facts");
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("indicators_extract", |b| {
        b.iter(|| {
            for d in &extracted {
                black_box(indicators::extract(&d.norm, &d.tables, &pats).len());
            }
        })
    });
    g.bench_function("facts_extract", |b| {
        b.iter(|| {
            for d in &extracted {
                black_box(facts::extract(d, &pats).len());
            }
        })
    });
    g.bench_function("card_and_checks", |b| {
        b.iter(|| {
            for d in &extracted {
                black_box(card::build(d, &pats));
                black_box(checks::run(d, &pats).len());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("emit");
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("serialise_records", |b| {
        let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
        b.iter(|| {
            buf.clear();
            for d in &extracted {
                let id = d.doc_id.as_str();
                let status = baogao::model::DocStatus::Ok;
                let _ = serde_json::to_writer(&mut buf, &records::document(d, status, vec![]));
                for s in &d.sections {
                    let _ = serde_json::to_writer(&mut buf, &records::section(id, s));
                }
                for t in &d.tables {
                    let _ = serde_json::to_writer(&mut buf, &records::TableRecord::new(id, t));
                }
                for i in records::emitted_indicators(&d.indicators) {
                    let _ = serde_json::to_writer(&mut buf, &records::indicator(id, i));
                }
                for f in &d.facts {
                    let _ = serde_json::to_writer(&mut buf, &records::fact(id, f));
                }
                for ch in &d.checks {
                    let _ = serde_json::to_writer(&mut buf, &records::check(id, ch));
                }
            }
            black_box(buf.len())
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(total(&docs)));
    g.bench_function("extract_one_thread", |b| {
        b.iter(|| {
            for (p, bytes) in &docs {
                black_box(matches!(
                    baogao::extract(p, bytes, &pats),
                    Outcome::Extracted(_)
                ));
            }
        })
    });
    g.finish();
}

fn config() -> Criterion {
    // The machine is shared and has two cores: short, few samples.
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = stages;
    config = config();
    targets = bench_patterns, bench_decode, bench_normalize, bench_segment_tables, bench_doc_stages
}
criterion_main!(stages);

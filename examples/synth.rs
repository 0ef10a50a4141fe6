//! A deterministic scale corpus for benchmarks, made from real documents.
//!
//! ```sh
//! cargo run --release --example synth -- --from corpus --files 5000 --out target/synth/5k
//! cargo run --release --example synth -- --from corpus --bytes 1GB --out target/synth/1g
//! ```
//!
//! Each generated file is one source document (from the `--from` folders) rewritten
//! for another real county-level division (names from the gazetteer), with its money
//! figures rescaled by one factor and its years shifted, its tables printed cell per
//! line, as TSV or as pipe rows (space-aligned tables stay as they are), and written
//! in one of seven encodings with LF or CRLF line ends. So the benchmark goes
//! through the same decode, normalise and extraction paths as real batches do.
//!
//! The output is a function of the sources, the gazetteer, `--seed` and the size:
//! every file draws from its own random stream, so it is byte-identical whatever the
//! thread count. `OUT/docs/dNNN/*.txt` holds the corpus, `OUT/synth.tsv` says how
//! each file was made; a second run with the same inputs finds `synth.tsv` complete
//! and does nothing (a 1 GB corpus is worth keeping).

#[path = "synth/encode.rs"]
mod encode;
#[path = "synth/figures.rs"]
mod figures;
#[path = "synth/gazetteer.rs"]
mod gazetteer;
#[path = "synth/rng.rs"]
mod rng;
#[path = "synth/template.rs"]
mod template;

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use encode::{Encoding, LineEnding};
use figures::Variation;
use gazetteer::{Gazetteer, Renamer};
use rng::Rng;
use template::{Block, Layout, Template};

/// Bump when the same inputs would give different output.
const GENERATOR_VERSION: u32 = 1;
const FILES_PER_DIR: u64 = 1000;
/// Money factors: whole numbers keep totals exact to the cent.
const FACTORS: [u32; 14] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25];
const YEAR_SHIFTS: [i32; 5] = [-3, -2, -1, 0, 1];

#[derive(Debug, Parser)]
#[command(about = "Generate a deterministic scale corpus from real reports")]
struct Args {
    /// Folders (or files) of source documents (.txt/.md/.text); repeatable.
    #[arg(long, required = true)]
    from: Vec<PathBuf>,
    /// Output folder: OUT/docs holds the corpus, OUT/synth.tsv the recipe of each file.
    #[arg(long)]
    out: PathBuf,
    /// Number of files to generate.
    #[arg(long, conflicts_with = "bytes", required_unless_present = "bytes")]
    files: Option<u64>,
    /// Generate files until they add up to this size (100MB, 1GB, 512MiB, 20000).
    #[arg(long, value_parser = parse_size)]
    bytes: Option<u64>,
    #[arg(long, default_value_t = 20240601)]
    seed: u64,
    /// County-level divisions (TSV with adcode, province, prefecture, county columns);
    /// default: the list compiled in from examples/synth/counties.tsv.
    #[arg(long)]
    gazetteer: Option<PathBuf>,
    #[arg(long, short)]
    quiet: bool,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("bad size `{s}`"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        u => return Err(format!("unknown size unit `{u}`")),
    };
    Ok((n * mult) as u64)
}

struct Source {
    template: Template,
    renamer: Option<(usize, Renamer)>,
}

/// One generated file.
struct Made {
    rel: String,
    bytes: Vec<u8>,
    recipe: String,
}

fn read_sources(args: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = vec![];
    for a in args {
        let walker = walkdir::WalkDir::new(a)
            .sort_by_file_name()
            .follow_links(true);
        for e in walker {
            let e = e.map_err(|e| format!("{}: {e}", a.display()))?;
            let p = e.path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if e.file_type().is_file() && ["txt", "md", "text"].contains(&ext) {
                let bytes = fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
                out.push((stem.to_string(), bytes));
            }
        }
    }
    if out.is_empty() {
        return Err("no .txt/.md/.text source documents found".into());
    }
    Ok(out)
}

fn make(i: u64, seed: u64, sources: &[Source], gaz: &Gazetteer) -> Made {
    let mut rng = Rng::for_file(seed, i);
    let src = &sources[rng.below(sources.len())];
    let to = &gaz.divisions[rng.below(gaz.divisions.len())];
    let enc = Encoding::ALL[rng.weighted(&Encoding::WEIGHTS)];
    let eol = LineEnding::ALL[rng.weighted(&LineEnding::WEIGHTS)];
    let layout = Layout::ALL[rng.below(Layout::ALL.len())];
    let v = Variation {
        factor: FACTORS[rng.below(FACTORS.len())],
        year_shift: YEAR_SHIFTS[rng.below(YEAR_SHIFTS.len())],
    };
    let vary = |s: &str| -> String {
        match &src.renamer {
            Some((_, r)) => figures::vary_line(&r.apply(s, to), v),
            None => figures::vary_line(s, v),
        }
    };
    let mut lines: Vec<String> = vec![];
    for b in &src.template.blocks {
        match b {
            Block::Text(ls) => lines.extend(ls.iter().map(|l| vary(l))),
            Block::Table { rows, from } => {
                let rows: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| r.iter().map(|c| vary(c)).collect())
                    .collect();
                template::render_table(&rows, *from, layout, &mut lines);
            }
        }
    }
    let mut text = lines.join(eol.as_str());
    if src.template.final_newline {
        text.push_str(eol.as_str());
    }
    let bytes = enc.encode(&text);
    let dir = i / FILES_PER_DIR;
    let rel = format!("d{dir:03}/{i:06}-{}-{}.txt", to.adcode, src.template.name);
    let recipe = [
        format!("docs/{rel}"),
        src.template.name.clone(),
        src.renamer
            .as_ref()
            .map(|(k, _)| gaz.divisions[*k].county.clone())
            .unwrap_or_default(),
        to.adcode.clone(),
        format!("{}{}{}", to.province, to.prefecture, to.county),
        enc.name().into(),
        eol.name().into(),
        if src.template.has_tables() {
            layout.name()
        } else {
            "kept"
        }
        .into(),
        v.factor.to_string(),
        v.year_shift.to_string(),
        bytes.len().to_string(),
    ]
    .join("\t");
    Made { rel, bytes, recipe }
}

fn run(args: Args) -> Result<(), String> {
    let raw = read_sources(&args.from)?;
    let (gaz, gaz_bytes) = match &args.gazetteer {
        Some(p) => {
            let s = fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            (
                Gazetteer::parse(&s).map_err(|e| format!("{}: {e}", p.display()))?,
                s.into_bytes(),
            )
        }
        None => (
            Gazetteer::embedded(),
            include_bytes!("synth/counties.tsv").to_vec(),
        ),
    };
    if gaz.divisions.is_empty() {
        return Err("the gazetteer lists no divisions".into());
    }
    // The stamp: everything the output depends on.
    let mut h = Sha256::new();
    for (name, b) in &raw {
        h.update(name.as_bytes());
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    }
    h.update(&gaz_bytes);
    let inputs_hash: String = h
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let stamp = format!(
        "# baogao-synth v{GENERATOR_VERSION} seed={} files={} bytes={} inputs={inputs_hash}",
        args.seed,
        args.files.map(|n| n.to_string()).unwrap_or_default(),
        args.bytes.map(|n| n.to_string()).unwrap_or_default(),
    );
    let recipe_path = args.out.join("synth.tsv");
    if let Ok(old) = fs::read_to_string(&recipe_path) {
        if old.lines().next() == Some(stamp.as_str())
            && old
                .lines()
                .last()
                .is_some_and(|l| l.starts_with("# complete"))
        {
            if !args.quiet {
                eprintln!("synth: {} is up to date", args.out.display());
            }
            return Ok(());
        }
        // Ours, but made from other inputs: replace it.
        fs::remove_dir_all(args.out.join("docs")).or_else(ignore_missing)?;
    } else if args.out.exists()
        && fs::read_dir(&args.out)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} exists and was not made by synth; refusing to write into it",
            args.out.display()
        ));
    }
    let sources: Vec<Source> = raw
        .into_par_iter()
        .map(|(name, bytes)| {
            let text = baogao::decode::decode(&bytes)
                .map(|d| d.text)
                .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned());
            let template = Template::parse(&name, &text);
            let renamer = gaz
                .detect(&template.plain_text())
                .and_then(|k| Renamer::new(&gaz.divisions[k]).map(|r| (k, r)));
            Source { template, renamer }
        })
        .collect();
    if !args.quiet {
        for s in &sources {
            let region = s
                .renamer
                .as_ref()
                .map(|(k, _)| gaz.divisions[*k].county.as_str())
                .unwrap_or("(no division found: names kept)");
            let tables = if s.template.has_tables() {
                "tables re-laid out"
            } else {
                "layout kept"
            };
            eprintln!("synth: source {}: {region}; {tables}", s.template.name);
        }
    }
    let docs = args.out.join("docs");
    fs::create_dir_all(&docs).map_err(|e| format!("{}: {e}", docs.display()))?;
    let mut recipe =
        fs::File::create(&recipe_path).map_err(|e| format!("{}: {e}", recipe_path.display()))?;
    let mut recipe_text = format!(
        "{stamp}\npath\tsource\tsource_county\tadcode\tdivision\tencoding\teol\ttables\tfactor\tyear_shift\tbytes\n"
    );
    let (max_files, max_bytes) = (
        args.files.unwrap_or(u64::MAX),
        args.bytes.unwrap_or(u64::MAX),
    );
    let (mut n, mut total) = (0u64, 0u64);
    let batch = 512u64;
    'outer: while n < max_files && total < max_bytes {
        let made: Vec<Made> = (n..(n + batch).min(max_files))
            .into_par_iter()
            .map(|i| make(i, args.seed, &sources, &gaz))
            .collect();
        for m in made {
            if n >= max_files || total >= max_bytes {
                break 'outer;
            }
            let p = docs.join(&m.rel);
            if let Some(parent) = p.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            fs::write(&p, &m.bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            recipe_text.push_str(&m.recipe);
            recipe_text.push('\n');
            n += 1;
            total += m.bytes.len() as u64;
        }
        recipe
            .write_all(recipe_text.as_bytes())
            .map_err(|e| e.to_string())?;
        recipe_text.clear();
    }
    writeln!(recipe, "# complete: {n} files, {total} bytes").map_err(|e| e.to_string())?;
    if !args.quiet {
        eprintln!(
            "synth: wrote {n} files, {:.1} MB, into {}",
            total as f64 / 1e6,
            docs.display()
        );
    }
    Ok(())
}

fn ignore_missing(e: std::io::Error) -> Result<(), String> {
    if e.kind() == std::io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e.to_string())
    }
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("100 MB"), Ok(100_000_000));
        assert_eq!(parse_size("2MiB"), Ok(2 * 1024 * 1024));
        assert_eq!(parse_size("20000"), Ok(20000));
        assert!(parse_size("3 parsecs").is_err());
    }

    #[test]
    fn same_index_same_bytes() {
        let gaz = Gazetteer::embedded();
        let t = Template::parse(
            "t",
            "东安县2023年度决算\n项目\t行次\t决算数\n合计\t1\t20.00\n支出74万元\n",
        );
        let k = gaz.detect(&t.plain_text());
        let src = vec![Source {
            renamer: k.and_then(|k| Renamer::new(&gaz.divisions[k]).map(|r| (k, r))),
            template: t,
        }];
        let a = make(5, 1, &src, &gaz);
        let b = make(5, 1, &src, &gaz);
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.recipe, b.recipe);
        let text = baogao::decode::decode(&a.bytes).unwrap().text;
        assert!(!text.contains("东安县"), "{text}");
    }
}

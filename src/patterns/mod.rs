//! The pattern libraries: rule files in `patterns/*.toml`, compiled and checked once
//! at start.
//!
//! Patterns are data, so users extend the genre's wording without touching code.
//! Each file has its own schema (one module here per file, `deny_unknown_fields`
//! throughout); every rule has an `id` unique across the set, and rules may carry
//! `examples` and `counter_examples` that are tested at load. Any problem is a
//! [`PatternError`] naming the file and the rule, and stops the run before a document
//! is read. The default set is embedded in the binary; `--patterns DIR` replaces the
//! files DIR contains.

pub mod checks;
pub mod doctypes;
pub mod headings;
pub mod metrics;
pub mod regions;
pub mod rule;
pub mod tables;
pub mod units;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::PatternError;
use rule::IdRegistry;

/// The embedded default pattern files, in load order.
pub const DEFAULTS: &[(&str, &str)] = &[
    (
        "headings.toml",
        include_str!("../../patterns/headings.toml"),
    ),
    (
        "doctypes.toml",
        include_str!("../../patterns/doctypes.toml"),
    ),
    ("tables.toml", include_str!("../../patterns/tables.toml")),
    ("units.toml", include_str!("../../patterns/units.toml")),
    ("metrics.toml", include_str!("../../patterns/metrics.toml")),
    ("checks.toml", include_str!("../../patterns/checks.toml")),
    ("regions.toml", include_str!("../../patterns/regions.toml")),
];

/// A compiled, cross-checked pattern set.
#[derive(Debug, Clone)]
pub struct PatternSet {
    pub headings: headings::Headings,
    pub doctypes: doctypes::DocTypes,
    pub tables: tables::Tables,
    pub units: units::Units,
    pub metrics: metrics::Metrics,
    pub checks: checks::Checks,
    pub regions: regions::Regions,
    /// SHA-256 over the effective files (name and content), hex.
    pub hash: String,
    /// Where each file came from (`embedded` or a path).
    pub origins: Vec<(String, String)>,
}

impl PatternSet {
    /// The defaults compiled into the binary.
    pub fn embedded() -> Result<PatternSet, PatternError> {
        let files = DEFAULTS
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string(), "embedded".to_string()))
            .collect();
        PatternSet::from_files(files)
    }

    /// The defaults with every file found in `dir` replacing its namesake.
    /// A `.toml` file in `dir` that is not one of the known names is an error.
    pub fn from_dir(dir: &Path) -> Result<PatternSet, PatternError> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            PatternError::new(&shown, None, format!("cannot read pattern folder: {e}"))
        })?;
        let mut found = std::collections::BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|e| PatternError::new(&shown, None, e.to_string()))?;
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            let name = entry.file_name().to_string_lossy().to_string();
            if !DEFAULTS.iter().any(|(n, _)| *n == name) {
                return Err(PatternError::new(
                    &path.display().to_string(),
                    None,
                    format!(
                        "unknown pattern file (known: {})",
                        DEFAULTS.iter().map(|d| d.0).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| PatternError::new(&path.display().to_string(), None, e.to_string()))?;
            found.insert(name, (text, path.display().to_string()));
        }
        let files = DEFAULTS
            .iter()
            .map(|(n, s)| match found.remove(*n) {
                Some((text, origin)) => (n.to_string(), text, origin),
                None => (n.to_string(), s.to_string(), "embedded".to_string()),
            })
            .collect();
        PatternSet::from_files(files)
    }

    /// Compile `(name, text, origin)` triples; errors name the origin.
    fn from_files(files: Vec<(String, String, String)>) -> Result<PatternSet, PatternError> {
        let mut hasher = Sha256::new();
        for (name, text, _) in &files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let get = |n: &str| {
            let f = files.iter().find(|f| f.0 == n).expect("known file");
            let label = if f.2 == "embedded" {
                format!("patterns/{}", f.0)
            } else {
                f.2.clone()
            };
            (label, f.1.as_str())
        };
        // Files compile on two threads (regex compilation is most of the load time);
        // each gets its own id registry, merged afterwards in load order so errors
        // are the same as a sequential load's.
        type Loaded<T> = Result<(T, IdRegistry), PatternError>;
        fn load<T>(
            (label, text): (String, &str),
            f: impl FnOnce(&str, &str, &mut IdRegistry) -> Result<T, PatternError>,
        ) -> Loaded<T> {
            let mut ids = IdRegistry::default();
            f(&label, text, &mut ids).map(|v| (v, ids))
        }
        let (metrics, checks, headings, (tables, doctypes, regions, units)) =
            std::thread::scope(|sc| {
                let rest = || {
                    (
                        load(get("tables.toml"), tables::Tables::load),
                        load(get("doctypes.toml"), doctypes::DocTypes::load),
                        load(get("regions.toml"), regions::Regions::load),
                        load(get("units.toml"), units::Units::load),
                    )
                };
                // No second thread to be had: load everything on this one.
                let other = std::thread::Builder::new().spawn_scoped(sc, rest).ok();
                let metrics = load(get("metrics.toml"), metrics::Metrics::load);
                let checks = load(get("checks.toml"), checks::Checks::load);
                let headings = load(get("headings.toml"), headings::Headings::load);
                let other = match other {
                    Some(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    None => rest(),
                };
                (metrics, checks, headings, other)
            });
        fn take<T>(ids: &mut IdRegistry, r: Loaded<T>) -> Result<T, PatternError> {
            let (v, file_ids) = r?;
            ids.merge(file_ids)?;
            Ok(v)
        }
        let mut ids = IdRegistry::default();
        let headings = take(&mut ids, headings)?;
        let doctypes = take(&mut ids, doctypes)?;
        let tables = take(&mut ids, tables)?;
        let units = take(&mut ids, units)?;
        let metrics = take(&mut ids, metrics)?;
        let checks = take(&mut ids, checks)?;
        let regions = take(&mut ids, regions)?;
        // A column plan is taken only on the evidence of a sum over its columns.
        for plan in &metrics.column_plans {
            if !checks.sums.iter().any(|s| plan.has_sum(s)) {
                return Err(PatternError::new(
                    &get("metrics.toml").0,
                    Some(&plan.id),
                    "no [[sum]] of checks.toml runs over the plan's columns",
                ));
            }
        }
        let hash = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        let set = PatternSet {
            headings,
            doctypes,
            tables,
            units,
            metrics,
            checks,
            regions,
            hash,
            origins: files.into_iter().map(|(n, _, o)| (n, o)).collect(),
        };
        // A regex serves the first thread that searched with it from a lock-free
        // cache and every other thread through a mutex. The loader thread searched
        // (the examples) and is gone: a clone starts with fresh caches, owned by
        // whichever thread uses it first.
        Ok(set.clone())
    }

    /// Number of rules in the set.
    pub fn rule_count(&self) -> usize {
        self.headings.styles.len()
            + self.doctypes.rules.len()
            + self.tables.rule_count()
            + self.units.words.len()
            + self.metrics.rules.len()
            + self.metrics.alone.len()
            + self.checks.ids().len()
            + self.regions.divisions.len()
    }
}

/// The embedded set, compiled once per test binary.
#[cfg(test)]
pub fn test_set() -> &'static PatternSet {
    static SET: std::sync::OnceLock<PatternSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| PatternSet::embedded().expect("embedded patterns load"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_set_loads() {
        let p = PatternSet::embedded().unwrap();
        assert!(p.rule_count() > 0);
        assert_eq!(p.hash.len(), 64);
    }

    #[test]
    fn a_column_plan_needs_a_sum_over_its_columns() {
        let files = |metrics: String| {
            DEFAULTS
                .iter()
                .map(|(n, s)| {
                    let text = if *n == "metrics.toml" {
                        metrics.clone()
                    } else {
                        s.to_string()
                    };
                    (n.to_string(), text, "embedded".to_string())
                })
                .collect()
        };
        let metrics = DEFAULTS.iter().find(|d| d.0 == "metrics.toml").unwrap().1;
        let plan = "\n[[column_plan]]\nid = \"column_plan.bare\"\nkind = \"three_public\"\ncolumns = [[\"three_public.total\", \"budget\"], [\"three_public.total\", \"actual\"]]\n";
        let err = PatternSet::from_files(files(format!("{metrics}{plan}"))).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("metrics.toml") && msg.contains("column_plan.bare"),
            "{msg}"
        );
    }
}

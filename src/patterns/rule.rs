//! What every pattern file shares: TOML parsing with errors that name the file and
//! the rule, regex compilation, and the `examples` / `counter_examples` each rule
//! carries, which are tested at load so a broken rule never reaches a document.

use regex::Regex;
use serde::de::DeserializeOwned;

use crate::error::PatternError;

/// Parse one pattern file. Top-level keys must be in `sections` (arrays of rule
/// tables) or `scalars`; each rule table is deserialised on its own so an error
/// names the rule's `id`.
pub fn parse_sections(
    file: &str,
    src: &str,
    sections: &[&str],
    scalars: &[&str],
) -> Result<toml::Table, PatternError> {
    let table: toml::Table = src.parse().map_err(|e: toml::de::Error| {
        PatternError::new(file, None, format!("not valid TOML: {e}"))
    })?;
    for key in table.keys() {
        if !sections.contains(&key.as_str()) && !scalars.contains(&key.as_str()) {
            return Err(PatternError::new(
                file,
                None,
                format!(
                    "unknown top-level key `{key}` (expected one of: {})",
                    sections
                        .iter()
                        .chain(scalars)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(table)
}

/// Deserialise the array `section` of `table` into rules of type `R`.
pub fn rules<R: DeserializeOwned>(
    file: &str,
    table: &toml::Table,
    section: &str,
) -> Result<Vec<R>, PatternError> {
    let Some(v) = table.get(section) else {
        return Ok(vec![]);
    };
    let arr = v.as_array().ok_or_else(|| {
        PatternError::new(
            file,
            None,
            format!("`{section}` must be an array of tables ([[{section}]])"),
        )
    })?;
    arr.iter()
        .enumerate()
        .map(|(i, item)| {
            let id = item
                .get("id")
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .unwrap_or_else(|| format!("{section}[{i}]"));
            R::deserialize(item.clone())
                .map_err(|e| PatternError::new(file, Some(&id), e.message().to_string()))
        })
        .collect()
}

/// Deserialise a scalar/table value at `key`, if present.
pub fn scalar<T: DeserializeOwned>(
    file: &str,
    table: &toml::Table,
    key: &str,
) -> Result<Option<T>, PatternError> {
    table
        .get(key)
        .map(|v| {
            T::deserialize(v.clone())
                .map_err(|e| PatternError::new(file, None, format!("`{key}`: {}", e.message())))
        })
        .transpose()
}

/// Compile a rule's regex.
pub fn compile(file: &str, id: &str, pattern: &str) -> Result<Regex, PatternError> {
    Regex::new(pattern).map_err(|e| PatternError::new(file, Some(id), format!("bad regex: {e}")))
}

/// A cheap test run before a group of rules: every match of every one of the rules'
/// patterns starts (or ends) with one of a few literals (table titles end in `总表`,
/// `决算表` …), so a text holding none of them is turned away before any of the
/// regexes runs. Derived from the patterns at load; without such literals (a
/// pattern that can match without a fixed word) it lets everything through.
#[derive(Debug, Clone)]
pub struct Prefilter {
    re: Option<regex::bytes::Regex>,
}

/// More literals than this make a pre-filter no cheaper than the rules.
const MAX_PREFILTER_LITERALS: usize = 64;

impl Prefilter {
    pub fn new(patterns: &[&str]) -> Prefilter {
        Prefilter {
            re: Self::literals(patterns).and_then(|lits| {
                let alts: Vec<String> = lits
                    .iter()
                    .map(|l| l.iter().map(|b| format!("\\x{b:02X}")).collect())
                    .collect();
                regex::bytes::Regex::new(&format!("(?-u:{})", alts.join("|"))).ok()
            }),
        }
    }

    /// The literal set (prefixes or suffixes, whichever has the longer shortest
    /// literal), or `None` when some match may hold none of them.
    fn literals(patterns: &[&str]) -> Option<Vec<Vec<u8>>> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
        let hirs = patterns
            .iter()
            .map(|p| regex_syntax::parse(p).ok())
            .collect::<Option<Vec<_>>>()?;
        if hirs.is_empty() {
            return None;
        }
        let mut best: Option<Vec<Vec<u8>>> = None;
        for kind in [ExtractKind::Suffix, ExtractKind::Prefix] {
            let mut all = Seq::empty();
            for h in &hirs {
                let mut ex = Extractor::new();
                ex.kind(kind.clone());
                all.union(&mut ex.extract(h));
            }
            let common = match kind {
                ExtractKind::Suffix => all.longest_common_suffix(),
                _ => all.longest_common_prefix(),
            }
            .map(<[u8]>::to_vec);
            // Shorter literals in fewer numbers (each still starts or ends every
            // match it stands for), else the one literal they all share.
            match kind {
                ExtractKind::Suffix => all.optimize_for_suffix_by_preference(),
                _ => all.optimize_for_prefix_by_preference(),
            }
            let mut lits: Vec<Vec<u8>> = match all.literals() {
                Some(l) if l.len() <= MAX_PREFILTER_LITERALS => {
                    l.iter().map(|l| l.as_bytes().to_vec()).collect()
                }
                _ => common.into_iter().collect(),
            };
            lits.sort();
            lits.dedup();
            let shortest = lits.iter().map(Vec::len).min().unwrap_or(0);
            if shortest == 0 || lits.len() > MAX_PREFILTER_LITERALS {
                continue;
            }
            let best_shortest = best
                .as_ref()
                .map_or(0, |b| b.iter().map(Vec::len).min().unwrap_or(0));
            if shortest > best_shortest {
                best = Some(lits);
            }
        }
        best
    }

    /// Can `text` hold a match of any of the patterns?
    pub fn may_match(&self, text: &str) -> bool {
        self.re
            .as_ref()
            .is_none_or(|re| re.is_match(text.as_bytes()))
    }

    /// Does the filter turn anything away (it has literals)?
    pub fn is_active(&self) -> bool {
        self.re.is_some()
    }
}

/// A word every match of a rule holds (`requires = "项目"`): text without it is
/// turned away before the regex runs. Checked on the rule's examples at load.
#[derive(Debug, Clone, Default)]
pub struct Requires(Option<String>);

impl Requires {
    pub fn new(
        file: &str,
        id: &str,
        word: Option<String>,
        re: &Regex,
        examples: &[String],
    ) -> Result<Requires, PatternError> {
        if let Some(w) = &word {
            let lacking = |e: &&String| re.find_iter(e).any(|m| !m.as_str().contains(w.as_str()));
            if let Some(e) = examples.iter().find(lacking) {
                return Err(PatternError::new(
                    file,
                    Some(id),
                    format!("a match in example {e:?} lacks the required word `{w}`"),
                ));
            }
        }
        Ok(Requires(word))
    }

    /// Whether a match may lie in `text` at all.
    pub fn admits(&self, text: &str) -> bool {
        self.0.as_ref().is_none_or(|w| text.contains(w.as_str()))
    }
}

/// Every example must match and no counter-example may.
pub fn check_examples(
    file: &str,
    id: &str,
    re: &Regex,
    examples: &[String],
    counter_examples: &[String],
) -> Result<(), PatternError> {
    check_with(file, id, examples, counter_examples, |s| re.is_match(s))
}

/// Same as [`check_examples`] with a custom predicate (for rules that are more than one regex).
pub fn check_with(
    file: &str,
    id: &str,
    examples: &[String],
    counter_examples: &[String],
    accepts: impl Fn(&str) -> bool,
) -> Result<(), PatternError> {
    for ex in examples {
        if !accepts(ex) {
            return Err(PatternError::new(
                file,
                Some(id),
                format!("example does not match: {ex:?}"),
            ));
        }
    }
    for ex in counter_examples {
        if accepts(ex) {
            return Err(PatternError::new(
                file,
                Some(id),
                format!("counter-example matches: {ex:?}"),
            ));
        }
    }
    Ok(())
}

/// Collects rule ids across the whole pattern set and refuses duplicates.
#[derive(Default)]
pub struct IdRegistry {
    seen: std::collections::HashMap<String, String>,
    /// `(id, file)` in the order added, for [`IdRegistry::merge`].
    order: Vec<(String, String)>,
}

impl IdRegistry {
    pub fn add(&mut self, file: &str, id: &str) -> Result<(), PatternError> {
        if id.trim().is_empty() {
            return Err(PatternError::new(file, Some(id), "empty rule id"));
        }
        if let Some(other) = self.seen.get(id) {
            return Err(PatternError::new(
                file,
                Some(id),
                format!("duplicate rule id (also in {other})"),
            ));
        }
        self.seen.insert(id.to_string(), file.to_string());
        self.order.push((id.to_string(), file.to_string()));
        Ok(())
    }

    /// Add the ids of a file loaded with a registry of its own (files load in
    /// parallel), refusing the first id seen before.
    pub fn merge(&mut self, other: IdRegistry) -> Result<(), PatternError> {
        for (id, file) in other.order {
            self.add(&file, &id)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct R {
        id: String,
        pattern: String,
    }

    #[test]
    fn errors_name_file_and_rule() {
        let t = parse_sections(
            "x.toml",
            "[[rule]]\nid = \"a.b\"\npattern = \"x\"\nbogus = 1\n",
            &["rule"],
            &[],
        )
        .unwrap();
        let e = rules::<R>("x.toml", &t, "rule").err().unwrap();
        assert_eq!(e.rule.as_deref(), Some("a.b"));
        assert!(e.to_string().contains("x.toml: rule `a.b`"), "{e}");
        assert!(e.to_string().contains("bogus"), "{e}");
    }

    #[test]
    fn unknown_top_level_key() {
        let e = parse_sections("x.toml", "[[rules]]\nid = \"a\"\n", &["rule"], &[])
            .err()
            .unwrap();
        assert!(e.reason.contains("unknown top-level key `rules`"));
    }

    #[test]
    fn prefilters() {
        let titles = Prefilter::new(&["(总表|决算表)$", "^[^,]{2,60}(评价表|统计表)$"]);
        assert!(titles.is_active());
        assert!(titles.may_match("2023年收入支出决算总表"));
        assert!(titles.may_match("x统计表(续)"));
        assert!(!titles.may_match("收入支出决算"));
        let fields = Prefilter::new(&[
            "^(?:预算主管部门|主管部门)\\s*:\\s*(?P<value>.*)$",
            "^实施单位",
        ]);
        assert!(fields.may_match("  主管部门: 某局"));
        assert!(!fields.may_match("单位: 某局"));
        // No literal every match needs: everything passes.
        for p in [&["abc", "x?"][..], &["a.*", ".b"], &[]] {
            let f = Prefilter::new(p);
            assert!(!f.is_active() && f.may_match("zzz"), "{p:?}");
        }
    }

    #[test]
    fn duplicate_ids() {
        let mut r = IdRegistry::default();
        r.add("a.toml", "x").unwrap();
        let e = r.add("b.toml", "x").err().unwrap();
        assert!(e.to_string().contains("duplicate rule id (also in a.toml)"));
        let mut other = IdRegistry::default();
        other.add("c.toml", "y").unwrap();
        other.add("c.toml", "x").unwrap();
        let e = r.merge(other).err().unwrap();
        assert!(e.to_string().contains("c.toml") && e.to_string().contains("also in a.toml"));
    }
}

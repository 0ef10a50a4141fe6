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

/// Bytes that every match of every one of `patterns` contains — the longest common
/// suffix (else prefix) of their literals, e.g. `表` for table titles — so a text
/// without them is turned away before any of the regexes runs. `None` when there is
/// no such word (a pattern that can match without a fixed one, or a bad pattern).
pub fn required_literal(patterns: &[&str]) -> Option<Vec<u8>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
    let hirs = patterns
        .iter()
        .map(|p| regex_syntax::parse(p).ok())
        .collect::<Option<Vec<_>>>()?;
    if hirs.is_empty() {
        return None;
    }
    let mut best: Option<Vec<u8>> = None;
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
        };
        if let Some(c) = common.filter(|c| !c.is_empty()) {
            if best.as_ref().is_none_or(|b| c.len() > b.len()) {
                best = Some(c.to_vec());
            }
        }
    }
    best
}

/// Does `text` contain the required literal (always true without one)?
pub fn may_match(required: Option<&[u8]>, text: &str) -> bool {
    required.is_none_or(|lit| memchr::memmem::find(text.as_bytes(), lit).is_some())
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
}

impl IdRegistry {
    pub fn add(&mut self, file: &str, id: &str) -> Result<(), PatternError> {
        if id.trim().is_empty() {
            return Err(PatternError::new(file, Some(id), "empty rule id"));
        }
        if let Some(other) = self.seen.insert(id.to_string(), file.to_string()) {
            return Err(PatternError::new(
                file,
                Some(id),
                format!("duplicate rule id (also in {other})"),
            ));
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
    fn required_literals() {
        let lit =
            |ps: &[&str]| required_literal(ps).map(|b| String::from_utf8_lossy(&b).into_owned());
        assert_eq!(
            lit(&["(总表|决算表)$", "^[^,]{2,60}(评价表|统计表)$"]).as_deref(),
            Some("表")
        );
        assert_eq!(lit(&["^第[一二三]部分"]).as_deref(), Some("部分"));
        assert_eq!(lit(&["abc", "x?"]), None);
        assert_eq!(lit(&["a.*", "b"]), None);
        assert_eq!(lit(&[]), None);
        assert!(may_match(None, ""));
        assert!(may_match(Some("表".as_bytes()), "收入表"));
        assert!(!may_match(Some("表".as_bytes()), "收入"));
    }

    #[test]
    fn duplicate_ids() {
        let mut r = IdRegistry::default();
        r.add("a.toml", "x").unwrap();
        let e = r.add("b.toml", "x").err().unwrap();
        assert!(e.to_string().contains("duplicate rule id (also in a.toml)"));
    }
}

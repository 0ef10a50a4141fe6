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
    fn duplicate_ids() {
        let mut r = IdRegistry::default();
        r.add("a.toml", "x").unwrap();
        let e = r.add("b.toml", "x").err().unwrap();
        assert!(e.to_string().contains("duplicate rule id (also in a.toml)"));
    }
}

//! Real county-level names for the synthetic corpus, and renaming a document from
//! the division it was written for to another one.
//!
//! The names come from a TSV with a header row naming at least the columns
//! `adcode`, `province`, `prefecture` and `county` (`county_short` optional; `#` lines
//! are comments). The default list, `counties.tsv`, was cut from the dictionary that
//! ships in the PyPI package jionlp (see `bench/gazetteer_from_jionlp.py`); when
//! baogao ships its own gazetteer, point `--gazetteer` at it (or change
//! [`Gazetteer::embedded`]) and nothing else needs to change.

use std::collections::HashMap;

use regex::Regex;

/// The default list, compiled into the generator.
const EMBEDDED: &str = include_str!("counties.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub adcode: String,
    pub province: String,
    pub prefecture: String,
    pub county: String,
    /// The name without its 县/区/市/旗 suffix (`东安` for `东安县`), if that is still
    /// a name of two or more characters.
    pub short: Option<String>,
}

pub struct Gazetteer {
    pub divisions: Vec<Division>,
}

/// The short form of a county name when the list does not give one.
fn derive_short(county: &str) -> Option<String> {
    let mut s = county;
    for suffix in ["自治县", "自治旗", "县", "区", "市", "旗"] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x;
            break;
        }
    }
    (s.chars().count() >= 2 && s != county).then(|| s.to_string())
}

impl Gazetteer {
    pub fn embedded() -> Gazetteer {
        Gazetteer::parse(EMBEDDED).unwrap_or(Gazetteer { divisions: vec![] })
    }

    pub fn parse(src: &str) -> Result<Gazetteer, String> {
        let mut lines = src
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let header: Vec<&str> = lines.next().ok_or("empty gazetteer")?.split('\t').collect();
        let col = |name: &str| header.iter().position(|h| h.trim() == name);
        let need = |name: &str| col(name).ok_or(format!("gazetteer has no `{name}` column"));
        let (ca, cp, cf, cc) = (
            need("adcode")?,
            need("province")?,
            need("prefecture")?,
            need("county")?,
        );
        let cs = col("county_short");
        let mut divisions = vec![];
        for (n, line) in lines.enumerate() {
            let f: Vec<&str> = line.split('\t').map(str::trim).collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            let county = get(cc).to_string();
            if county.is_empty() || get(cp).is_empty() {
                return Err(format!("gazetteer row {}: missing names", n + 2));
            }
            let short = cs
                .map(|i| get(i).to_string())
                .filter(|s| s.chars().count() >= 2 && *s != county)
                .or_else(|| derive_short(&county));
            let prefecture = match get(cf) {
                "" => get(cp).to_string(),
                p => p.to_string(),
            };
            divisions.push(Division {
                adcode: get(ca).to_string(),
                province: get(cp).to_string(),
                prefecture,
                county,
                short,
            });
        }
        if divisions.is_empty() {
            return Err("gazetteer lists no divisions".into());
        }
        Ok(Gazetteer { divisions })
    }

    /// The division a text was written for: the county name it mentions most often;
    /// between namesakes (two 普陀区), the one whose prefecture or province the text
    /// also names.
    pub fn detect(&self, text: &str) -> Option<usize> {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in self.divisions.iter().enumerate() {
            by_name.entry(d.county.as_str()).or_default().push(i);
        }
        let mut names: Vec<&str> = by_name.keys().copied().collect();
        // Longest first, so the alternation prefers 岳阳楼区 to a shorter name inside it.
        names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alt: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
        let re = Regex::new(&alt.join("|")).ok()?;
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
        for (k, m) in re.find_iter(text).enumerate() {
            let e = counts.entry(m.as_str()).or_insert((0, k));
            e.0 += 1;
        }
        let (best, _) = counts.into_iter().max_by(|a, b| {
            (a.1 .0, std::cmp::Reverse(a.1 .1)).cmp(&(b.1 .0, std::cmp::Reverse(b.1 .1)))
        })?;
        let cands = by_name.get(best)?;
        cands.iter().copied().max_by_key(|&i| {
            let d = &self.divisions[i];
            (
                text.contains(d.prefecture.as_str()) as u8 * 2
                    + text.contains(d.province.as_str()) as u8,
                std::cmp::Reverse(i),
            )
        })
    }
}

/// What a matched name stood for, so it can be replaced by the same part of another division.
#[derive(Debug, Clone, Copy)]
enum Part {
    ProvincePrefecture,
    County,
    Short,
    Prefecture,
    Province,
}

/// Replaces the names of one division, wherever they occur, by another's.
pub struct Renamer {
    re: Regex,
    parts: HashMap<String, Part>,
}

impl Renamer {
    pub fn new(from: &Division) -> Option<Renamer> {
        let mut pairs: Vec<(String, Part)> = vec![];
        if from.province != from.prefecture {
            pairs.push((
                format!("{}{}", from.province, from.prefecture),
                Part::ProvincePrefecture,
            ));
            pairs.push((from.province.clone(), Part::Province));
        }
        pairs.push((from.county.clone(), Part::County));
        pairs.push((from.prefecture.clone(), Part::Prefecture));
        if let Some(s) = &from.short {
            pairs.push((s.clone(), Part::Short));
        }
        // Longest first (the alternation takes the first that matches); the first
        // role pushed wins for a name that plays two.
        pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        let mut seen = std::collections::HashSet::new();
        pairs.retain(|p| seen.insert(p.0.clone()));
        let alt: Vec<String> = pairs.iter().map(|(n, _)| regex::escape(n)).collect();
        let re = Regex::new(&alt.join("|")).ok()?;
        Some(Renamer {
            re,
            parts: pairs.into_iter().collect(),
        })
    }

    /// `s` with the old division's names replaced by `to`'s.
    pub fn apply<'a>(&self, s: &'a str, to: &Division) -> std::borrow::Cow<'a, str> {
        self.re.replace_all(s, |c: &regex::Captures| {
            let m = c.get(0).map(|m| m.as_str()).unwrap_or("");
            match self.parts.get(m) {
                Some(Part::ProvincePrefecture) if to.province == to.prefecture => {
                    to.province.clone()
                }
                Some(Part::ProvincePrefecture) => format!("{}{}", to.province, to.prefecture),
                Some(Part::County) => to.county.clone(),
                Some(Part::Short) => to.short.clone().unwrap_or_else(|| to.county.clone()),
                Some(Part::Prefecture) => to.prefecture.clone(),
                Some(Part::Province) => to.province.clone(),
                None => m.to_string(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_loads_and_detects() {
        let g = Gazetteer::embedded();
        assert!(g.divisions.len() > 2000);
        let i = g
            .detect("上海市普陀区财政局2024年度部门决算。上海市普陀区财政局本级")
            .unwrap();
        assert_eq!(g.divisions[i].adcode, "310107");
        let i = g.detect("东安县网格管理中心，永州市").unwrap();
        assert_eq!(g.divisions[i].county, "东安县");
    }

    #[test]
    fn renames_every_part() {
        let from = Division {
            adcode: "431122".into(),
            province: "湖南省".into(),
            prefecture: "永州市".into(),
            county: "东安县".into(),
            short: Some("东安".into()),
        };
        let to = Division {
            adcode: "310107".into(),
            province: "上海市".into(),
            prefecture: "上海市".into(),
            county: "普陀区".into(),
            short: Some("普陀".into()),
        };
        let r = Renamer::new(&from).unwrap();
        assert_eq!(
            r.apply("湖南省永州市东安县网格中心；东安创新；永州市域", &to),
            "上海市普陀区网格中心；普陀创新；上海市域"
        );
        assert_eq!(derive_short("城步苗族自治县").as_deref(), Some("城步苗族"));
        assert_eq!(derive_short("县").as_deref(), None);
    }
}

//! `regions.toml` and the gazetteer it overlays.
//!
//! The gazetteer is real division data (GB/T 2260 codes and names of every
//! province, prefecture and county-level unit), vendored in `data/gazetteer/`;
//! `regions.toml` adds what changed after that data was cut (renamings, new
//! divisions) and the names documents use instead of the official ones (former
//! names; `寻甸县` for `寻甸回族彝族自治县` is derived from the ethnic-group list).
//! Everything is indexed by name once, when the pattern set loads.

use std::collections::BTreeMap;
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;

/// The vendored division list: `code<TAB>name` lines, `#` comments.
pub const GAZETTEER: &str = include_str!("../../data/gazetteer/divisions.tsv");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DivisionDef {
    id: String,
    /// 6-digit administrative division code.
    code: String,
    name: String,
    /// Other names documents use for it (former names, common short forms).
    #[serde(default)]
    aliases: Vec<String>,
}

/// An overlay entry as written in `regions.toml`.
#[derive(Debug, Clone)]
pub struct Division {
    pub id: String,
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
}

/// Where a division sits in the hierarchy, from its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    Province,
    Prefecture,
    County,
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub tier: Tier,
}

#[derive(Debug, Clone)]
pub struct Regions {
    /// The overlay rules (`[[division]]`).
    pub divisions: Vec<Division>,
    // The gazetteer index is shared (`Arc`): every worker thread gets a copy of the
    // pattern set, and the index is the bulk of it.
    /// Every division by code (gazetteer with the overlay applied).
    pub by_code: Arc<BTreeMap<String, Place>>,
    /// Names and aliases → codes (several for same-named counties).
    pub by_name: Arc<foldhash::HashMap<String, Vec<String>>>,
    /// The longest indexed name, in chars: how far [`Regions::longest_prefix`] looks.
    pub max_name_chars: usize,
    /// Drops the suffix of a province or prefecture name (`舟山市` → `舟山`).
    pub short_suffix: Regex,
}

impl Regions {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Regions, PatternError> {
        let t = rule::parse_sections(
            file,
            src,
            &["division"],
            &["ethnic_groups", "short_suffix", "former_county"],
        )?;
        // `[区, 市]`: a county-level 区 or 市 named `X区` may be called `X县` in reports
        // written before it was upgraded (撤县设区, 撤县设市).
        let former_county: Vec<String> =
            rule::scalar(file, &t, "former_county")?.unwrap_or_default();
        let mut ethnic: Vec<String> = rule::scalar(file, &t, "ethnic_groups")?.unwrap_or_default();
        ethnic.sort_by_key(|e| std::cmp::Reverse(e.chars().count()));
        let short: String = rule::scalar(file, &t, "short_suffix")?.unwrap_or_default();
        let short_suffix = rule::compile(file, "short_suffix", &short)?;

        let mut by_code = BTreeMap::new();
        for (n, line) in GAZETTEER.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (code, name) = line.split_once('\t').ok_or_else(|| {
                PatternError::new(
                    "data/gazetteer/divisions.tsv",
                    None,
                    format!("line {}: expected `code<TAB>name`", n + 1),
                )
            })?;
            let tier = tier_of(code).ok_or_else(|| {
                PatternError::new(
                    "data/gazetteer/divisions.tsv",
                    None,
                    format!("line {}: bad code `{code}`", n + 1),
                )
            })?;
            by_code.insert(
                code.to_string(),
                Place {
                    code: code.to_string(),
                    name: name.trim().to_string(),
                    tier,
                },
            );
        }

        let mut divisions = vec![];
        let mut aliases: Vec<(String, String)> = vec![];
        for d in rule::rules::<DivisionDef>(file, &t, "division")? {
            ids.add(file, &d.id)?;
            let Some(tier) = tier_of(&d.code) else {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    format!("code `{}` is not 6 digits", d.code),
                ));
            };
            if d.name.trim().is_empty() {
                return Err(PatternError::new(file, Some(&d.id), "empty name"));
            }
            by_code.insert(
                d.code.clone(),
                Place {
                    code: d.code.clone(),
                    name: d.name.trim().to_string(),
                    tier,
                },
            );
            for a in &d.aliases {
                aliases.push((a.trim().to_string(), d.code.clone()));
            }
            divisions.push(Division {
                id: d.id,
                code: d.code,
                name: d.name,
                aliases: d.aliases,
            });
        }

        let mut by_name: foldhash::HashMap<String, Vec<String>> = Default::default();
        let mut add = |name: &str, code: &str| {
            if name.chars().count() < 2 {
                return;
            }
            let v = by_name.entry(name.to_string()).or_default();
            if !v.iter().any(|c| c == code) {
                v.push(code.to_string());
            }
        };
        for p in by_code.values() {
            add(&p.name, &p.code);
            if let Some(a) = autonomous_short_form(&p.name, &ethnic) {
                add(&a, &p.code);
            }
        }
        for (a, code) in &aliases {
            add(a, code);
        }
        // Former 县 names, unless some division (anywhere) still bears that name.
        let taken: std::collections::HashSet<&str> =
            by_code.values().map(|p| p.name.as_str()).collect();
        let mut former: Vec<(String, String)> = vec![];
        for p in by_code.values().filter(|p| p.tier == Tier::County) {
            for suffix in &former_county {
                let Some(stem) = p.name.strip_suffix(suffix.as_str()) else {
                    continue;
                };
                let old = format!("{stem}县");
                if stem.chars().count() >= 2 && !taken.contains(old.as_str()) {
                    former.push((old, p.code.clone()));
                }
            }
        }
        for (a, code) in &former {
            add(a, code);
        }
        let max_name_chars = by_name.keys().map(|n| n.chars().count()).max().unwrap_or(0);
        Ok(Regions {
            divisions,
            by_code: Arc::new(by_code),
            by_name: Arc::new(by_name),
            max_name_chars,
            short_suffix,
        })
    }

    /// The longest indexed name `s` starts with, and its codes: a hash lookup per
    /// char of the first [`Regions::max_name_chars`], not a scan of every name.
    pub fn longest_prefix<'s>(&self, s: &'s str) -> Option<(&'s str, &[String])> {
        let head = s
            .char_indices()
            .nth(self.max_name_chars)
            .map_or(s, |(i, _)| &s[..i]);
        let mut end = head.len();
        while end > 0 {
            if let Some(codes) = self.by_name.get(&head[..end]) {
                return Some((&head[..end], codes));
            }
            end = head[..end].char_indices().next_back().map_or(0, |(i, _)| i);
        }
        None
    }

    pub fn place(&self, code: &str) -> Option<&Place> {
        self.by_code.get(code)
    }

    /// Codes of the divisions called `name` (official name or alias).
    pub fn lookup(&self, name: &str) -> &[String] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The province containing `code`.
    pub fn province_of(&self, code: &str) -> Option<&Place> {
        let p = code.get(..2)?;
        self.place(&format!("{p}0000"))
    }

    /// The prefecture containing a county-level `code`, if it has one: null for
    /// county-level units administered directly by a province (`xx90xx`).
    pub fn prefecture_of(&self, code: &str) -> Option<&Place> {
        let p = code.get(..4)?;
        if code.get(2..4) == Some("90") {
            return None;
        }
        let pref = self.place(&format!("{p}00"))?;
        (pref.tier == Tier::Prefecture).then_some(pref)
    }

    /// `上海市` → `上海`; names too short to shorten are returned as they are.
    pub fn short_name<'a>(&self, name: &'a str) -> &'a str {
        match self.short_suffix.find(name) {
            Some(m) if name[..m.start()].chars().count() >= 2 => &name[..m.start()],
            _ => name,
        }
    }
}

/// Province `xx0000`, prefecture `xxyy00`, county `xxyyzz`.
fn tier_of(code: &str) -> Option<Tier> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if &code[2..] == "0000" {
        Tier::Province
    } else if &code[4..] == "00" {
        Tier::Prefecture
    } else {
        Tier::County
    })
}

/// `寻甸回族彝族自治县` → `寻甸县`, `湘西土家族苗族自治州` → `湘西州`: the form most
/// documents use.
fn autonomous_short_form(name: &str, ethnic: &[String]) -> Option<String> {
    let (stem, kind) = ["自治县", "自治旗", "自治州"]
        .iter()
        .find_map(|s| name.strip_suffix(s).map(|stem| (stem, &s[s.len() - 3..])))?;
    let mut stem = stem;
    let mut stripped = false;
    'outer: loop {
        for e in ethnic {
            if let Some(s) = stem.strip_suffix(e.as_str()) {
                stem = s;
                stripped = true;
                continue 'outer;
            }
        }
        break;
    }
    let stem = stem.strip_suffix("各族").unwrap_or(stem);
    (stripped && stem.chars().count() >= 2).then(|| format!("{stem}{kind}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load() -> Regions {
        let mut ids = IdRegistry::default();
        Regions::load(
            "regions.toml",
            include_str!("../../patterns/regions.toml"),
            &mut ids,
        )
        .unwrap()
    }

    #[test]
    fn gazetteer_indexes_names() {
        let r = load();
        assert!(r.by_code.len() > 3000);
        let putuo = r.lookup("普陀区");
        assert_eq!(putuo.len(), 2, "{putuo:?}");
        assert!(r.lookup("朝阳区").len() >= 2);
        let p = r.place("430281").unwrap();
        assert_eq!((p.name.as_str(), p.tier), ("醴陵市", Tier::County));
        assert_eq!(r.prefecture_of("430281").unwrap().name, "株洲市");
        assert_eq!(r.province_of("430281").unwrap().name, "湖南省");
        assert_eq!(r.prefecture_of("310107").unwrap().name, "上海市");
    }

    /// The longest name wins, as a scan of every name longest first would find it.
    #[test]
    fn longest_prefix_is_the_longest_name() {
        let r = load();
        let by_scan = |s: &str| {
            r.by_name
                .keys()
                .filter(|n| s.starts_with(n.as_str()))
                .max_by_key(|n| n.len())
                .cloned()
        };
        for s in [
            "上海市普陀区财政局",
            "湘西土家族苗族自治州财政局",
            "醴陵市",
            "市场监督管理局",
            "",
            "中",
        ] {
            assert_eq!(
                r.longest_prefix(s).map(|(n, _)| n.to_string()),
                by_scan(s),
                "{s}"
            );
        }
        assert_eq!(r.longest_prefix("醴陵市财政局").unwrap().0, "醴陵市");
    }

    #[test]
    fn short_forms() {
        let r = load();
        assert_eq!(r.lookup("寻甸县"), r.lookup("寻甸回族彝族自治县"));
        assert_eq!(r.short_name("舟山市"), "舟山");
        assert_eq!(r.short_name("新疆维吾尔自治区"), "新疆");
        let e = vec!["土家族".to_string(), "苗族".to_string(), "土族".to_string()];
        assert_eq!(
            autonomous_short_form("湘西土家族苗族自治州", &e).as_deref(),
            Some("湘西州")
        );
        assert_eq!(autonomous_short_form("怀来县", &e), None);
    }

    #[test]
    fn directly_administered_counties_have_no_prefecture() {
        let r = load();
        let code = &r.lookup("济源市")[0];
        assert_eq!(r.prefecture_of(code), None);
    }

    #[test]
    fn former_county_names() {
        // 撤县设区 / 撤县设市: the old 县 name finds the division it became.
        let r = load();
        assert_eq!(r.lookup("湟中县"), ["630106".to_string()]);
        assert_eq!(r.lookup("米林县"), ["540481".to_string()]);
        // A 县 that still exists keeps its own name (朝阳县 in 辽宁, not 朝阳区).
        assert!(r.lookup("朝阳县").iter().all(|c| c.starts_with("21")));
    }

    #[test]
    fn overlay_renames_and_aliases() {
        let mut ids = IdRegistry::default();
        let r = Regions::load(
            "r.toml",
            "short_suffix = '市$'\n[[division]]\nid = \"x\"\ncode = \"430281\"\nname = \"新醴陵市\"\naliases = [\"旧名\"]\n",
            &mut ids,
        )
        .unwrap();
        assert_eq!(r.place("430281").unwrap().name, "新醴陵市");
        assert_eq!(r.lookup("旧名"), ["430281".to_string()]);
        let e = Regions::load(
            "r.toml",
            "[[division]]\nid = \"y\"\ncode = \"43\"\nname = \"x\"\n",
            &mut IdRegistry::default(),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("rule `y`"));
    }
}

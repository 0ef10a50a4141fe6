//! Where the reporting unit sits, resolved against the gazetteer.
//!
//! A unit's full name starts with its places (`上海市普陀区财政局`,
//! `中共怀来县委政法委员会`, `岳阳市岳阳楼区…`): that chain of division names is
//! read off the start of the name, the most specific one is looked up, and the
//! outer ones must contain it. Same-named divisions (普陀区 in 上海市 and in 舟山市)
//! that the chain does not settle are told apart by how often the text names each
//! one's prefecture and province. Whatever stays unknown is null.

use crate::model::{Region, RegionLevel};
use crate::patterns::regions::{Place, Regions, Tier};

/// Prefixes before the place in a unit's name (`中共…县委`).
const PARTY_PREFIXES: [&str; 2] = ["中国共产党", "中共"];

/// The division names a unit's name starts with, outermost first, each with the
/// codes it may stand for.
pub fn place_chain<'a>(name: &str, regions: &'a Regions) -> Vec<(String, &'a [String])> {
    let mut rest = name.trim();
    for p in PARTY_PREFIXES {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            break;
        }
    }
    let mut out = vec![];
    while let Some((n, codes)) = regions.longest_prefix(rest.trim_start()) {
        rest = &rest.trim_start()[n.len()..];
        out.push((n.to_string(), codes));
    }
    out
}

/// Whether `code` lies inside `outer`.
fn inside(code: &str, outer: &Place) -> bool {
    match outer.tier {
        Tier::Province => code.get(..2) == outer.code.get(..2),
        Tier::Prefecture => code.get(..4) == outer.code.get(..4),
        Tier::County => code == outer.code,
    }
}

/// How often the text names the province and prefecture of `code`.
fn context_score(code: &str, regions: &Regions, text: &str) -> usize {
    let mut names: Vec<&str> = vec![];
    if let Some(p) = regions.province_of(code) {
        names.push(&p.name);
        names.push(regions.short_name(&p.name));
    }
    if let Some(p) = regions.prefecture_of(code) {
        if p.code != code {
            names.push(&p.name);
            names.push(regions.short_name(&p.name));
        }
    }
    names.sort_unstable();
    names.dedup();
    // Short forms are counted where the full form is not, so a full name counts once.
    names
        .iter()
        .map(|n| text.matches(n).count())
        .max()
        .unwrap_or(0)
}

/// Resolve the region of a unit called `org`, using `text` (the whole document)
/// only to choose among same-named divisions.
pub fn resolve(org: &str, regions: &Regions, text: &str) -> Region {
    let chain = place_chain(org, regions);
    let Some((name, codes)) = chain.last() else {
        return Region::default();
    };
    let outer: Vec<Vec<&Place>> = chain[..chain.len() - 1]
        .iter()
        .map(|(_, cs)| cs.iter().filter_map(|c| regions.place(c)).collect())
        .collect();
    let mut cands: Vec<&Place> = codes
        .iter()
        .filter_map(|c| regions.place(c))
        .filter(|p| {
            outer
                .iter()
                .all(|alts| alts.iter().any(|o| o.code == p.code || inside(&p.code, o)))
        })
        .collect();
    // A municipality is named like its own prefecture row: the unit is the
    // municipality's (province level).
    if cands.iter().any(|p| p.tier == Tier::Province) {
        cands.retain(|p| p.tier == Tier::Province);
    }
    let chosen: Option<&Place> = match cands.len() {
        0 => None,
        1 => Some(cands[0]),
        _ => {
            let mut scored: Vec<(usize, &Place)> = cands
                .iter()
                .map(|p| (context_score(&p.code, regions, text), *p))
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.code.cmp(&b.1.code)));
            (scored[0].0 > scored[1].0).then_some(scored[0].1)
        }
    };
    let Some(p) = chosen else {
        // Known name, unknown place: say only what the text says.
        let tiers: Vec<Tier> = cands.iter().map(|p| p.tier).collect();
        let tier = tiers.first().copied();
        if tier.is_some() && tiers.iter().all(|t| Some(*t) == tier) {
            let official = cands
                .first()
                .map(|p| p.name.clone())
                .unwrap_or_else(|| name.clone());
            return match tier {
                Some(Tier::County) => Region {
                    county: Some(official),
                    level: Some(RegionLevel::County),
                    ..Region::default()
                },
                Some(Tier::Prefecture) => Region {
                    prefecture: Some(official),
                    level: Some(RegionLevel::Prefecture),
                    ..Region::default()
                },
                _ => Region::default(),
            };
        }
        return Region::default();
    };
    let province = regions.province_of(&p.code).map(|x| x.name.clone());
    match p.tier {
        Tier::Province => Region {
            province,
            prefecture: None,
            county: None,
            adcode: Some(p.code.clone()),
            level: Some(RegionLevel::Province),
        },
        Tier::Prefecture => Region {
            province,
            prefecture: Some(p.name.clone()),
            county: None,
            adcode: Some(p.code.clone()),
            level: Some(RegionLevel::Prefecture),
        },
        Tier::County => Region {
            province,
            prefecture: regions.prefecture_of(&p.code).map(|x| x.name.clone()),
            county: Some(p.name.clone()),
            adcode: Some(p.code.clone()),
            level: Some(RegionLevel::County),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(org: &str, text: &str) -> Region {
        let p = crate::segment::test_pats();
        resolve(org, &p.regions, text)
    }

    #[test]
    fn counties_with_their_prefecture_and_province() {
        let x = r("东安县网格事务中心", "");
        assert_eq!(x.adcode.as_deref(), Some("431122"));
        assert_eq!(x.prefecture.as_deref(), Some("永州市"));
        assert_eq!(x.province.as_deref(), Some("湖南省"));
        assert_eq!(x.level, Some(RegionLevel::County));
        let x = r("中共怀来县委政法委员会", "");
        assert_eq!(x.adcode.as_deref(), Some("130730"));
        assert_eq!(x.prefecture.as_deref(), Some("张家口市"));
        let x = r("醴陵市网格化管理服务中心", "");
        assert_eq!(
            (x.county.as_deref(), x.prefecture.as_deref()),
            (Some("醴陵市"), Some("株洲市"))
        );
        let x = r("岳阳市岳阳楼区公共服务和网格化中心", "");
        assert_eq!(x.adcode.as_deref(), Some("430602"));
    }

    #[test]
    fn same_named_districts_by_the_chain() {
        let x = r("上海市普陀区财政局", "");
        assert_eq!(x.adcode.as_deref(), Some("310107"));
        assert_eq!(x.prefecture.as_deref(), Some("上海市"));
        assert_eq!(x.province.as_deref(), Some("上海市"));
        let x = r("中共上海市普陀区委社会工作部", "");
        assert_eq!(x.adcode.as_deref(), Some("310107"));
        let x = r("舟山市普陀区财政局", "");
        assert_eq!(x.adcode.as_deref(), Some("330903"));
        assert_eq!(x.province.as_deref(), Some("浙江省"));
    }

    #[test]
    fn same_named_districts_by_context() {
        let x = r("普陀区财政局", "为加快舟山群岛新区建设，舟山市委、市政府……");
        assert_eq!(x.adcode.as_deref(), Some("330903"));
        let x = r("普陀区财政局", "根据上海市人民政府……上海市……");
        assert_eq!(x.adcode.as_deref(), Some("310107"));
        let x = r("朝阳区民政局", "北京市朝阳区");
        assert_eq!(x.adcode.as_deref(), Some("110105"));
        let x = r("朝阳区民政局", "长春市朝阳区");
        assert_eq!(x.adcode.as_deref(), Some("220104"));
    }

    #[test]
    fn nothing_guessed() {
        let x = r("普陀区财政局", "");
        assert_eq!(x.county.as_deref(), Some("普陀区"));
        assert_eq!((x.adcode, x.prefecture, x.province), (None, None, None));
        assert_eq!(r("网格事务中心", ""), Region::default());
    }

    #[test]
    fn prefecture_and_province_units() {
        let x = r("岳阳市财政局", "");
        assert_eq!(x.level, Some(RegionLevel::Prefecture));
        assert_eq!(x.adcode.as_deref(), Some("430600"));
        assert_eq!(x.county, None);
        let x = r("湖南省财政厅", "");
        assert_eq!(x.level, Some(RegionLevel::Province));
        assert_eq!(x.adcode.as_deref(), Some("430000"));
        let x = r("上海市财政局", "");
        assert_eq!(x.level, Some(RegionLevel::Province));
    }

    #[test]
    fn short_forms_and_direct_counties() {
        let x = r("寻甸县财政局", "");
        assert_eq!(x.county.as_deref(), Some("寻甸回族彝族自治县"));
        assert_eq!(x.adcode.as_deref(), Some("530129"));
        let x = r("济源市财政局", "");
        assert_eq!(x.prefecture, None);
        assert_eq!(x.province.as_deref(), Some("河南省"));
    }
}

//! `regions.toml`: an overlay on the gazetteer for renamed or new divisions.

use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DivisionDef {
    id: String,
    /// 6-digit administrative division code.
    code: String,
    name: String,
}

#[derive(Debug, Clone)]
pub struct Division {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Regions {
    pub divisions: Vec<Division>,
}

impl Regions {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Regions, PatternError> {
        let t = rule::parse_sections(file, src, &["division"], &[])?;
        let mut divisions = vec![];
        for d in rule::rules::<DivisionDef>(file, &t, "division")? {
            ids.add(file, &d.id)?;
            if d.code.len() != 6 || !d.code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    format!("code `{}` is not 6 digits", d.code),
                ));
            }
            divisions.push(Division {
                id: d.id,
                code: d.code,
                name: d.name,
            });
        }
        Ok(Regions { divisions })
    }
}

//! Stage 6: the document card — title, types, year, date, unit, region, self-evaluation.
//!
//! Everything is read from the text, so the card is right even where no table was
//! recovered; tables and indicator rows, when the earlier stages found them, add
//! what they know (table kinds, the 总分 row). The wording lives in
//! `patterns/doctypes.toml`, the divisions in the gazetteer behind
//! `patterns/regions.toml`. A field the text does not give stays null.

mod org;
mod region;
mod selfeval;
mod titles;
mod when;

pub use region::{place_chain, resolve as resolve_region};

use crate::model::{Card, Doc, DocType, TableKind};
use crate::patterns::PatternSet;

/// Build the card from what the earlier stages found.
pub fn build(doc: &Doc, pats: &PatternSet) -> Card {
    let norm = &doc.norm;
    let roles = &doc.roles;
    if roles.len() != norm.line_count() || doc.markers.len() != norm.line_count() {
        return Card::default();
    }
    let blocks = titles::blocks(norm, roles, &doc.markers, pats);
    let tables: Vec<(usize, TableKind)> = doc.tables.iter().map(|t| (t.lines.0, t.kind)).collect();
    let parts = titles::doc_types(norm, roles, &doc.markers, pats, &blocks, &tables);
    let doc_types: Vec<DocType> = parts.iter().map(|&(_, d)| d).collect();
    let dept_table = parts
        .iter()
        .find(|&&(_, d)| d == DocType::DeptEvalTable)
        .map(|&(l, _)| l);

    let title = blocks
        .iter()
        .find(|b| b.kind.is_some())
        .or_else(|| blocks.first())
        .map(|b| b.source.trim().to_string());
    let fiscal_year = when::fiscal_year(norm, roles, pats, &blocks);
    let report_date = when::report_date(norm, roles, pats, fiscal_year);
    let org = org::choose(&org::candidates(norm, roles, pats, &blocks), pats);
    let region = org
        .as_deref()
        .map(|o| region::resolve(o, &pats.regions, norm.text.as_str()))
        .unwrap_or_default();
    let self_eval = selfeval::find(doc, pats, &doc_types, dept_table, title.as_deref());
    Card {
        title,
        region,
        org,
        fiscal_year,
        doc_types,
        report_date,
        self_eval,
    }
}

//! Stage 4a: recover tables from the four ways converters flatten them
//! (cell per line, TSV, pipes, space-aligned), and say what each table is.

use crate::model::{LineRole, Table};
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

/// Find the document's tables, marking their lines as [`LineRole::Table`].
pub fn find(_norm: &NormDoc, _roles: &mut [LineRole], _pats: &PatternSet) -> Vec<Table> {
    vec![]
}

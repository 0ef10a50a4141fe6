//! Figures in table cells.

use super::context::Context;
use crate::model::{Doc, Fact};
use crate::patterns::PatternSet;

pub fn extract(_doc: &Doc, _pats: &PatternSet, _ctx: &Context) -> Vec<Fact> {
    vec![]
}

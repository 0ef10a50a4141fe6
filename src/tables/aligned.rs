//! `aligned`: `pdftotext -layout` output.

use crate::model::LineRole;
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

use super::Found;

pub(crate) fn find(
    _norm: &NormDoc,
    _roles: &[LineRole],
    _pats: &PatternSet,
    _used: &[bool],
) -> Vec<Found> {
    vec![]
}

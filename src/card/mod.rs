//! Stage 6: the document card — title, types, year, date, unit, region, self-evaluation.

use crate::model::{Card, Doc};
use crate::patterns::PatternSet;

/// Build the card from what the earlier stages found.
pub fn build(_doc: &Doc, _pats: &PatternSet) -> Card {
    Card::default()
}

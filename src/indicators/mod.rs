//! Stage 4b: the rows of performance-indicator (绩效指标) blocks.

use crate::model::{Indicator, Table};
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

/// Indicator rows of every 绩效指标 block in `tables`.
pub fn extract(_norm: &NormDoc, _tables: &[Table], _pats: &PatternSet) -> Vec<Indicator> {
    vec![]
}

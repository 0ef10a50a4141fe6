//! The types passed between stages, and the records each dataset line is made of.
//!
//! Stages never share anything else: a stage takes the per-document working set
//! ([`Doc`]) built so far and adds its own part. Keeping them here means a new stage
//! (or a new output field) is a change in one place, and the JSON Schemas in
//! `docs/schema/` describe exactly these structs.

mod check;
mod doc;
mod fact;
mod indicator;
mod line;
mod section;
mod span;
mod table;

pub use check::{Check, CheckStatus};
pub use doc::{
    Card, Counts, DocStatus, DocType, DocumentRecord, Grade, Region, RegionLevel, SelfEval,
};
pub use fact::{Basis, Fact, FactSource, Unit};
pub use indicator::{Indicator, Measure, Op};
pub use line::LineRole;
pub use section::Section;
pub use span::Span;
pub use table::{Cell, Layout, Table, TableKind};

use crate::normalize::NormDoc;

/// Everything known about one document while it moves through the pipeline.
/// Each stage fills its own field; the emitter turns it into dataset lines.
#[derive(Debug)]
pub struct Doc {
    pub doc_id: String,
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub encoding: String,
    pub norm: NormDoc,
    /// One role per normalised line.
    pub roles: Vec<LineRole>,
    pub sections: Vec<Section>,
    pub tables: Vec<Table>,
    pub indicators: Vec<Indicator>,
    pub facts: Vec<Fact>,
    pub checks: Vec<Check>,
    pub card: Card,
    pub warnings: Vec<String>,
}

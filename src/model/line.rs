/// What a normalised line is, decided before sections and facts are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineRole {
    Blank,
    /// Body text.
    Text,
    /// A section heading.
    Heading,
    /// Part of a table of contents (目录): never a section.
    Toc,
    /// Cover page text (title block, 封面).
    Cover,
    /// Page numbers, repeated page headers and footers.
    PageFurniture,
    /// A table's title, unit line, header or row.
    Table,
}

impl LineRole {
    /// Lines whose words belong to the running text of the report.
    pub fn is_body(self) -> bool {
        matches!(self, LineRole::Text | LineRole::Heading)
    }
}

/// A numbering marker at the start of a line (`一、`, `(二)`, `3.`), found by the
/// segment stage. Offsets are absolute (into `NormDoc::text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Index into `Headings::styles`.
    pub style: usize,
    pub ordinal: u32,
    /// The marker itself (`一、`), decorations excluded.
    pub start: usize,
    pub end: usize,
    /// Where the title starts (after the marker, spaces and decorations).
    pub title_start: usize,
    /// The text after the marker asks for sequence continuity (`2.2023年`).
    pub weak: bool,
}

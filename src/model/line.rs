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

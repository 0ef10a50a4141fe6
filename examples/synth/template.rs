//! A source document taken apart into running text and the tables a converter
//! flattened, so that a generated copy can print its tables in another layout.
//!
//! Two flattened layouts are recognised: cell per line (each cell on its own line
//! after a tab, a blank line ending the row, lines without the tab continuing the
//! cell above) and TSV (one row per line, cells between tabs). Space-aligned tables
//! (`pdftotext -layout`) cannot be taken apart reliably and stay in the text,
//! exactly as they are.

/// How a generated document prints its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    CellPerLine,
    Tsv,
    Pipe,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::CellPerLine, Layout::Tsv, Layout::Pipe];

    pub fn name(self) -> &'static str {
        match self {
            Layout::CellPerLine => "cell_per_line",
            Layout::Tsv => "tsv",
            Layout::Pipe => "pipe",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Block {
    /// Lines kept as they are (apart from names and figures).
    Text(Vec<String>),
    Table {
        rows: Vec<Vec<String>>,
        from: Layout,
    },
}

#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub blocks: Vec<Block>,
    pub final_newline: bool,
}

/// A line that opens a cell of a cell-per-line table: one tab (perhaps after one
/// space), then the cell, with no further tab.
fn is_cell_start(l: &str) -> bool {
    let rest = l.strip_prefix(' ').unwrap_or(l);
    rest.strip_prefix('\t').is_some_and(|c| !c.contains('\t'))
}

fn is_tsv_row(l: &str) -> bool {
    l.contains('\t') && !is_cell_start(l)
}

fn blank(l: &str) -> bool {
    l.trim().is_empty()
}

impl Template {
    pub fn parse(name: &str, text: &str) -> Template {
        let unified = text.replace("\r\n", "\n").replace('\r', "\n");
        let final_newline = unified.ends_with('\n');
        let body = unified.strip_suffix('\n').unwrap_or(&unified);
        let lines: Vec<&str> = body.split('\n').collect();
        let mut blocks = vec![];
        let mut text_lines: Vec<String> = vec![];
        let flush = |text_lines: &mut Vec<String>, blocks: &mut Vec<Block>| {
            if !text_lines.is_empty() {
                blocks.push(Block::Text(std::mem::take(text_lines)));
            }
        };
        let mut i = 0;
        while i < lines.len() {
            if is_cell_start(lines[i]) {
                flush(&mut text_lines, &mut blocks);
                let mut rows = vec![];
                loop {
                    let mut row: Vec<String> = vec![];
                    while i < lines.len() && (is_cell_start(lines[i]) || !blank(lines[i])) {
                        let l = lines[i];
                        if is_cell_start(l) {
                            let c = l.strip_prefix(' ').unwrap_or(l);
                            row.push(c[1..].to_string());
                        } else if let Some(last) = row.last_mut() {
                            last.push('\n');
                            last.push_str(l);
                        } else {
                            row.push(l.to_string());
                        }
                        i += 1;
                    }
                    rows.push(row);
                    let mut j = i;
                    while j < lines.len() && blank(lines[j]) && !is_cell_start(lines[j]) {
                        j += 1;
                    }
                    if j < lines.len() && is_cell_start(lines[j]) {
                        i = j;
                    } else {
                        // The row's blank terminator belongs to the table.
                        if i < lines.len() {
                            i += 1;
                        }
                        break;
                    }
                }
                blocks.push(Block::Table {
                    rows,
                    from: Layout::CellPerLine,
                });
            } else if is_tsv_row(lines[i]) {
                flush(&mut text_lines, &mut blocks);
                let mut rows = vec![];
                while i < lines.len() && is_tsv_row(lines[i]) {
                    rows.push(lines[i].split('\t').map(str::to_string).collect());
                    i += 1;
                }
                blocks.push(Block::Table {
                    rows,
                    from: Layout::Tsv,
                });
            } else {
                text_lines.push(lines[i].to_string());
                i += 1;
            }
        }
        flush(&mut text_lines, &mut blocks);
        Template {
            name: name.to_string(),
            blocks,
            final_newline,
        }
    }

    pub fn has_tables(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b, Block::Table { .. }))
    }

    /// The whole text, for detecting the division it was written for.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Text(ls) => ls.iter().for_each(|l| {
                    out.push_str(l);
                    out.push('\n')
                }),
                Block::Table { rows, .. } => rows.iter().flatten().for_each(|c| {
                    out.push_str(c);
                    out.push('\n')
                }),
            }
        }
        out
    }
}

/// Print a table's rows (cells already varied) in `layout`, one output line per entry.
pub fn render_table(rows: &[Vec<String>], from: Layout, layout: Layout, out: &mut Vec<String>) {
    let flat = |c: &str| c.replace('\n', "");
    match layout {
        Layout::CellPerLine => {
            for row in rows {
                for c in row {
                    let mut lines = c.split('\n');
                    out.push(format!("\t{}", lines.next().unwrap_or("")));
                    out.extend(lines.map(str::to_string));
                }
                out.push(String::new());
            }
        }
        Layout::Tsv => {
            for row in rows {
                out.push(row.iter().map(|c| flat(c)).collect::<Vec<_>>().join("\t"));
            }
        }
        Layout::Pipe => {
            for (k, row) in rows.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(|c| flat(c).replace('|', "\\|")).collect();
                out.push(format!("| {} |", cells.join(" | ")));
                if k == 0 {
                    out.push(format!("|{}", " --- |".repeat(row.len().max(1))));
                }
            }
        }
    }
    // Rows printed one per line need the blank line that ended the source's last
    // cell-per-line row, or the text after the table would run into it.
    if from == Layout::CellPerLine && layout != Layout::CellPerLine {
        out.push(String::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "标题\n \t部门名称\n\t东安县\n\n\t年度预\n算申请\n\t60.69\n\n正文\n项目\t行次\t决算数\n合计\t1\t20.00\n结尾\n";

    #[test]
    fn takes_tables_apart() {
        let t = Template::parse("x", SRC);
        assert!(t.final_newline);
        let kinds: Vec<String> = t
            .blocks
            .iter()
            .map(|b| match b {
                Block::Text(l) => format!("text{}", l.len()),
                Block::Table { rows, from } => format!("{}x{}", from.name(), rows.len()),
            })
            .collect();
        assert_eq!(
            kinds,
            ["text1", "cell_per_linex2", "text1", "tsvx2", "text1"]
        );
        let Block::Table { rows, .. } = &t.blocks[1] else {
            panic!()
        };
        assert_eq!(rows[1], ["年度预\n算申请", "60.69"]);
    }

    #[test]
    fn renders_each_layout() {
        let rows = vec![
            vec!["a".to_string(), "b\nc".to_string()],
            vec!["1".into(), "2".into()],
        ];
        let mut out = vec![];
        render_table(&rows, Layout::CellPerLine, Layout::Pipe, &mut out);
        assert_eq!(out, ["| a | bc |", "| --- | --- |", "| 1 | 2 |", ""]);
        out.clear();
        render_table(&rows, Layout::Tsv, Layout::CellPerLine, &mut out);
        assert_eq!(out, ["\ta", "\tb", "c", "", "\t1", "\t2", ""]);
    }
}

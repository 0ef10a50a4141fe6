//! Shapes of single lines: where the content is, and whether a line is a table row.
//!
//! Converters flatten tables in three ways the genre shows: a cell per tab-led line
//! (DOCX → text), tab-separated rows, and `pdftotext -layout` rows whose columns are
//! runs of spaces. A heading never looks like any of them, which is what keeps the
//! 收入支出决算总表 rows `一、一般公共预算财政拨款收入   2,940.05   一、…支出` out of
//! the heading tree even before the tables stage has marked them.

/// Byte offset of the first non-space, non-tab char (the line's length when blank).
pub fn lead(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The line without indentation and trailing spaces.
pub fn content(line: &str) -> &str {
    line.trim_matches([' ', '\t'])
}

/// Display width as pdftotext counts it: chars, indentation included.
pub fn width(line: &str) -> usize {
    line.trim_end().chars().count()
}

/// Whether a line is (part of) a table row. `from` is where the line's own text
/// starts (after a heading marker, so the gap `第一部分    概况` is not a column gap).
pub fn is_table_like(line: &str, from: usize) -> bool {
    if line.starts_with('\t') {
        return true;
    }
    let t = content(line);
    if t.is_empty() {
        return false;
    }
    if t.contains('\t') {
        return true;
    }
    let from = from.min(line.len());
    let rest = line.get(from..).unwrap_or("").trim_matches([' ', '\t']);
    if rest.contains("  ") {
        return true;
    }
    is_figures(t)
}

/// A line of nothing but figures (a row of numbers, a cell, a row number).
pub fn is_figures(t: &str) -> bool {
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '%' | '-' | '+' | ' '))
}

/// Sentence punctuation: a line holding it is running text, not a title or label.
pub fn has_sentence_punct(t: &str) -> bool {
    t.contains(['。', ';', '!', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows() {
        assert!(is_table_like(
            "一、一般公共预算财政拨款收入      2,940.05   一、一般公共服务支出        2,106.66",
            9
        ));
        assert!(is_table_like(
            "二、政府性基金预算财政拨款收入                二、外交支出",
            6
        ));
        assert!(is_table_like("\t一级指标", 0));
        assert!(is_table_like("一、一般公共预算财政拨款收入\t1\t1960.73", 6));
        assert!(is_table_like("   2,946.25    2,940.05", 0));
        assert!(!is_table_like("第一部分    上海市普陀区财政局概况", 12));
        assert!(!is_table_like("  一、收入支出决算总体情况说明", 8));
        assert!(!is_table_like(
            "一、 财政拨款收入:指单位从同级财政部门取得的财政预算资金。",
            6
        ));
    }

    #[test]
    fn shapes() {
        assert_eq!(lead("  \tx"), 3);
        assert_eq!(content("  x y  "), "x y");
        assert_eq!(width("  一二  "), 4);
        assert!(is_figures("1,960.73"));
        assert!(!is_figures("2021年"));
    }
}

//! Character rules applied inside a line: width folding, space unification,
//! invisible characters, traditional → simplified.

/// What to do with one source character.
pub enum CharRule {
    Keep(char),
    Drop,
}

/// Width and space folding for one char (context-free rules).
pub fn fold(c: char) -> CharRule {
    match c {
        // Full-width forms of ASCII (！ … ～), including digits, letters and punctuation.
        '\u{FF01}'..='\u{FF5E}' => CharRule::Keep(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
        '\u{00A0}' | '\u{3000}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => {
            CharRule::Keep(' ')
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => CharRule::Drop,
        '\t' => CharRule::Keep('\t'),
        c if c.is_control() => CharRule::Drop,
        c => CharRule::Keep(c),
    }
}

/// Han ideographs (the ranges reports use).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2A6DF}')
}

/// A lone space between a figure and a Han character (`2021 年`, `0.86 万元`, `共 3 人`)
/// is a typesetting artefact; runs of two or more spaces are column gaps and stay.
pub fn is_removable_space(prev: Option<char>, next: Option<char>) -> bool {
    let (Some(p), Some(n)) = (prev, next) else {
        return false;
    };
    let figure = |c: char| c.is_ascii_digit() || c == '%';
    (figure(p) && is_han(n))
        || (is_han(p) && n.is_ascii_digit())
        || (p.is_ascii_digit() && n == '%')
}

/// Traditional → simplified, one char for one char so offsets survive.
/// Returns `None` when the converter would change the char count.
pub fn to_simplified(chars: &[char]) -> Option<Vec<char>> {
    if !chars.iter().any(|&c| is_han(c)) {
        return None;
    }
    let s: String = chars.iter().collect();
    let out: Vec<char> = fast2s::convert(&s).chars().collect();
    (out.len() == chars.len()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width() {
        assert!(matches!(fold('１'), CharRule::Keep('1')));
        assert!(matches!(fold('（'), CharRule::Keep('(')));
        assert!(matches!(fold('％'), CharRule::Keep('%')));
        assert!(matches!(fold('\u{3000}'), CharRule::Keep(' ')));
        assert!(matches!(fold('\u{FEFF}'), CharRule::Drop));
        assert!(matches!(fold('。'), CharRule::Keep('。')));
    }

    #[test]
    fn simplifies() {
        let t: Vec<char> = "部門決算".chars().collect();
        let s: String = to_simplified(&t).unwrap().into_iter().collect();
        assert_eq!(s, "部门决算");
    }
}

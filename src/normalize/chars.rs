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
    let mut out: Vec<char> = fast2s::convert(&s).chars().collect();
    if out.len() != chars.len() {
        return None;
    }
    for (o, &c) in out.iter_mut().zip(chars) {
        if SIMPLIFIED_TOO.contains(&c) {
            *o = c;
        }
    }
    Some(out)
}

/// `s` with its traditional characters simplified (one for one; nothing else
/// folded): for text given as written, such as section titles.
pub fn simplified(s: &str) -> String {
    if !s.chars().any(may_simplify) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    match to_simplified(&chars) {
        Some(out) => out.into_iter().collect(),
        None => s.to_string(),
    }
}

/// Chars that are also simplified Chinese, which fast2s still converts: `乾` is
/// not `干` in 乾县 or 乾安县, nor `磐` `盘` in 磐石市 or 磐安县. A test runs every
/// gazetteer name through the conversion.
const SIMPLIFIED_TOO: [char; 2] = ['乾', '磐'];

/// Chars fast2s converts only next to certain neighbours (`計畫` → `计划`) and
/// leaves alone by themselves, so [`may_simplify`] cannot find them by trying each
/// char alone (fast2s 0.3's special-case table).
const CONTEXT_ONLY: [char; 7] = ['藉', '著', '苧', '闔', '鍾', '讎', '畫'];

/// Could fast2s change `c` in some context? Most lines hold no such char, and
/// asking fast2s about every line (three hash look-ups a char, and allocations)
/// was a fifth of normalising; a bitmap over the 3-byte chars (the only ones fast2s
/// converts), built once from fast2s itself, answers in one load.
pub fn may_simplify(c: char) -> bool {
    static MAP: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let cp = c as u32;
    if !(0x800..=0xFFFF).contains(&cp) {
        return false;
    }
    let bits = MAP.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        let mut one = String::with_capacity(4);
        for cp in 0x800u32..=0xFFFF {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            one.clear();
            one.push(c);
            if fast2s::convert(&one) != one || CONTEXT_ONLY.contains(&c) {
                bits[(cp / 64) as usize] |= 1 << (cp % 64);
            }
        }
        bits
    });
    bits[(cp / 64) as usize] & (1 << (cp % 64)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplifies_without_folding() {
        assert_eq!(simplified("（一）財政撥款收入"), "（一）财政拨款收入");
        assert_eq!(simplified("乾县 磐安县"), "乾县 磐安县");
        assert_eq!(simplified("plain"), "plain");
    }

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
    fn keeps_chars_that_are_simplified_too() {
        // Regression: 乾县 came out as 干县 and named no county.
        for s in ["中共乾县委", "乾安县财政局", "显著提高", "著名"] {
            let c: Vec<char> = s.chars().collect();
            let out: String = to_simplified(&c).map_or(s.to_string(), |v| v.into_iter().collect());
            assert_eq!(out, s);
        }
    }

    #[test]
    fn gazetteer_names_survive_simplification() {
        let gaz = include_str!("../../data/gazetteer/divisions.tsv");
        for name in gaz
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(1))
        {
            let c: Vec<char> = name.chars().collect();
            if let Some(out) = to_simplified(&c) {
                assert_eq!(out.into_iter().collect::<String>(), name);
            }
        }
    }

    #[test]
    fn knows_which_chars_may_change() {
        for c in "門決萬藉著畫".chars() {
            assert!(may_simplify(c), "{c}");
        }
        for c in "部门决算万元a1(，".chars() {
            assert!(!may_simplify(c), "{c}");
        }
        let ctx: Vec<char> = "計畫".chars().collect();
        let s: String = to_simplified(&ctx).unwrap().into_iter().collect();
        assert_eq!(s, "计划");
    }

    #[test]
    fn simplifies() {
        let t: Vec<char> = "部門決算".chars().collect();
        let s: String = to_simplified(&t).unwrap().into_iter().collect();
        assert_eq!(s, "部门决算");
    }
}

//! `tables.toml`: what a table is (title and header signatures), and the wording
//! around and inside tables that the layout readers lean on (unit lines, notes,
//! column-numbering rows, total rows, 绩效指标 header cells).
//!
//! Everything a reader needs to recognise by *words* lives here, so a county that
//! words its tables differently is handled by editing the file, not the code.

use std::borrow::Cow;
use std::cell::RefCell;

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;
use crate::model::TableKind;

const FILE_SECTIONS: &[&str] = &[
    "title_prefix",
    "title_suffix",
    "kind",
    "title",
    "caption",
    "lead_in",
    "meta",
    "unit",
    "note",
    "end",
    "header_line",
    "band",
    "block",
    "numbering",
    "code_heading",
    "row_label",
    "spaced_label",
    "row_start",
    "subject",
    "indicator_column",
    "indicator_total",
    "level1_weight",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindDef {
    id: String,
    kind: String,
    /// Matches the table's title line (after the title prefixes are stripped).
    #[serde(default)]
    title: Option<String>,
    /// All must match the table's signature text.
    #[serde(default)]
    header_all: Vec<String>,
    /// None may match the table's signature text.
    #[serde(default)]
    header_none: Vec<String>,
    /// The signature does not apply to a table whose title this matches.
    #[serde(default)]
    title_none: Option<String>,
    /// A form printed one per page (a 自评表 per project): its title at the top of
    /// every page opens a new table, it is no running header.
    #[serde(default)]
    form: bool,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineDef {
    id: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitDef {
    id: String,
    /// `line` (title and meta lines) or `cell` (header and data cells).
    scope: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDef {
    id: String,
    column: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

/// A kind rule: a title regex, a header signature, or both (either may decide).
#[derive(Debug, Clone)]
pub struct KindRule {
    pub id: String,
    pub kind: TableKind,
    pub title: Option<Regex>,
    pub header_all: Vec<Regex>,
    pub header_none: Vec<Regex>,
    pub title_none: Option<Regex>,
    pub form: bool,
}

impl KindRule {
    /// The signature (cells joined with `|`) matches this rule's header patterns,
    /// and the title (if any) is not one the rule excludes.
    pub fn signature_matches(&self, sig: &str, title: Option<&str>) -> bool {
        if let (Some(re), Some(t)) = (&self.title_none, title) {
            if re.is_match(&compact(t)) {
                return false;
            }
        }
        !self.header_all.is_empty()
            && self.header_all.iter().all(|r| r.is_match(sig))
            && !self.header_none.iter().any(|r| r.is_match(sig))
    }
}

/// A single-regex rule.
#[derive(Debug, Clone)]
pub struct LineRule {
    pub id: String,
    pub re: Regex,
}

/// Where a unit rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitScope {
    Line,
    Cell,
}

#[derive(Debug, Clone)]
pub struct UnitRule {
    pub id: String,
    pub scope: UnitScope,
    pub re: Regex,
}

/// The columns of a 绩效指标 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndicatorColumn {
    Level1,
    Level2,
    Level3,
    Target,
    Actual,
    Weight,
    Score,
    Note,
}

impl IndicatorColumn {
    fn parse(s: &str) -> Option<IndicatorColumn> {
        Some(match s {
            "level1" => IndicatorColumn::Level1,
            "level2" => IndicatorColumn::Level2,
            "level3" => IndicatorColumn::Level3,
            "target" => IndicatorColumn::Target,
            "actual" => IndicatorColumn::Actual,
            "weight" => IndicatorColumn::Weight,
            "score" => IndicatorColumn::Score,
            "note" => IndicatorColumn::Note,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ColumnRule {
    pub id: String,
    pub column: IndicatorColumn,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct Tables {
    pub title_prefixes: Vec<LineRule>,
    /// Stripped from a title's end (`收入决算表 公开02表`).
    pub title_suffixes: Vec<LineRule>,
    pub kinds: Vec<KindRule>,
    pub titles: Vec<LineRule>,
    /// Numbered captions (`表2 …`): titles by their opening words, kept apart so
    /// the title pre-filter keeps the literal endings of the other titles.
    pub captions: Vec<LineRule>,
    /// The end of a sentence that announces a space-aligned table right below it
    /// (`…重点项目自评结果如下：`): the table has no title, the sentence stays text.
    pub lead_ins: Vec<LineRule>,
    pub meta: Vec<LineRule>,
    pub units: Vec<UnitRule>,
    pub notes: Vec<LineRule>,
    pub ends: Vec<LineRule>,
    pub header_lines: Vec<LineRule>,
    /// Lines that start a part of a form table printed on its own columns
    /// (matched on the line without whitespace).
    pub bands: Vec<LineRule>,
    /// Numbered block captions inside a form table (a 基础数据表's
    /// `二、部门预算及执行情况`): they cut the body like band lines, and only there.
    pub blocks: Vec<LineRule>,
    pub numbering: Vec<LineRule>,
    /// Headings of a code column (`功能分类科目编码`): labels then take two columns.
    pub code_headings: Vec<LineRule>,
    pub row_labels: Vec<LineRule>,
    /// Labels a space-aligned table may print letter-spaced over their cell
    /// (`总      计`), matched on the letters without spaces.
    pub spaced_labels: Vec<LineRule>,
    pub row_starts: Vec<LineRule>,
    pub subjects: Vec<LineRule>,
    pub indicator_columns: Vec<ColumnRule>,
    pub indicator_totals: Vec<LineRule>,
    pub level1_weights: Vec<LineRule>,
    /// Words every kind title holds (derived from the kind title rules).
    kind_title_filter: rule::Prefilter,
    /// Words every kind or generic title holds.
    title_filter: rule::Prefilter,
    /// Words every caption holds.
    caption_filter: rule::Prefilter,
    /// Unique among the rule sets loaded in this process: the key of the title
    /// verdicts remembered per thread ([`TITLES`]).
    id: u64,
}

fn line_rules(
    file: &str,
    t: &toml::Table,
    section: &str,
    ids: &mut IdRegistry,
) -> Result<Vec<LineRule>, PatternError> {
    let mut out = vec![];
    for d in rule::rules::<LineDef>(file, t, section)? {
        ids.add(file, &d.id)?;
        let re = rule::compile(file, &d.id, &d.pattern)?;
        rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
        out.push(LineRule { id: d.id, re });
    }
    Ok(out)
}

fn need_group(file: &str, id: &str, re: &Regex, group: &str) -> Result<(), PatternError> {
    if re.capture_names().flatten().any(|n| n == group) {
        Ok(())
    } else {
        Err(PatternError::new(
            file,
            Some(id),
            format!("pattern needs a `(?P<{group}>…)` group"),
        ))
    }
}

/// Title prefixes and suffixes are stripped only where they are anchored: at the
/// start (`^`) or the end (`$`).
fn anchored(rules: Vec<LineRule>, file: &str, anchor: char) -> Result<Vec<LineRule>, PatternError> {
    let (what, ok): (&str, fn(&str) -> bool) = if anchor == '^' {
        ("a title prefix must be anchored with `^`", |p| {
            p.starts_with('^')
        })
    } else {
        ("a title suffix must be anchored with `$`", |p| {
            p.ends_with('$')
        })
    };
    match rules.iter().find(|r| !ok(r.re.as_str())) {
        Some(r) => Err(PatternError::new(file, Some(&r.id), what)),
        None => Ok(rules),
    }
}

impl Tables {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Tables, PatternError> {
        let t = rule::parse_sections(file, src, FILE_SECTIONS, &[])?;

        let title_prefixes = anchored(line_rules(file, &t, "title_prefix", ids)?, file, '^')?;
        let title_suffixes = anchored(line_rules(file, &t, "title_suffix", ids)?, file, '$')?;

        let mut kinds = vec![];
        for d in rule::rules::<KindDef>(file, &t, "kind")? {
            ids.add(file, &d.id)?;
            let kind = TableKind::parse(&d.kind).ok_or_else(|| {
                PatternError::new(file, Some(&d.id), format!("unknown kind `{}`", d.kind))
            })?;
            let title = d
                .title
                .as_deref()
                .map(|p| rule::compile(file, &d.id, p))
                .transpose()?;
            let header_all = d
                .header_all
                .iter()
                .map(|p| rule::compile(file, &d.id, p))
                .collect::<Result<Vec<_>, _>>()?;
            let header_none = d
                .header_none
                .iter()
                .map(|p| rule::compile(file, &d.id, p))
                .collect::<Result<Vec<_>, _>>()?;
            let title_none = d
                .title_none
                .as_deref()
                .map(|p| rule::compile(file, &d.id, p))
                .transpose()?;
            if title.is_none() && header_all.is_empty() {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "a kind rule needs `title` or `header_all`",
                ));
            }
            match &title {
                Some(re) => {
                    rule::check_examples(file, &d.id, re, &d.examples, &d.counter_examples)?
                }
                None if !d.examples.is_empty() || !d.counter_examples.is_empty() => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        "examples test `title`, and this rule has none",
                    ))
                }
                None => {}
            }
            kinds.push(KindRule {
                id: d.id,
                kind,
                title,
                header_all,
                header_none,
                title_none,
                form: d.form,
            });
        }

        let titles = line_rules(file, &t, "title", ids)?;
        let captions = line_rules(file, &t, "caption", ids)?;
        let lead_ins = line_rules(file, &t, "lead_in", ids)?;
        let meta = line_rules(file, &t, "meta", ids)?;

        let mut units = vec![];
        for d in rule::rules::<UnitDef>(file, &t, "unit")? {
            ids.add(file, &d.id)?;
            let scope = match d.scope.as_str() {
                "line" => UnitScope::Line,
                "cell" => UnitScope::Cell,
                s => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("unknown scope `{s}` (expected `line` or `cell`)"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            need_group(file, &d.id, &re, "unit")?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            units.push(UnitRule {
                id: d.id,
                scope,
                re,
            });
        }

        let notes = line_rules(file, &t, "note", ids)?;
        let ends = line_rules(file, &t, "end", ids)?;
        let header_lines = line_rules(file, &t, "header_line", ids)?;
        let bands = line_rules(file, &t, "band", ids)?;
        let blocks = line_rules(file, &t, "block", ids)?;
        let numbering = line_rules(file, &t, "numbering", ids)?;
        let code_headings = line_rules(file, &t, "code_heading", ids)?;
        let row_labels = line_rules(file, &t, "row_label", ids)?;
        let spaced_labels = line_rules(file, &t, "spaced_label", ids)?;
        let row_starts = line_rules(file, &t, "row_start", ids)?;
        let subjects = line_rules(file, &t, "subject", ids)?;

        let mut indicator_columns = vec![];
        for d in rule::rules::<ColumnDef>(file, &t, "indicator_column")? {
            ids.add(file, &d.id)?;
            let column = IndicatorColumn::parse(&d.column).ok_or_else(|| {
                PatternError::new(
                    file,
                    Some(&d.id),
                    format!("unknown indicator column `{}`", d.column),
                )
            })?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            indicator_columns.push(ColumnRule {
                id: d.id,
                column,
                re,
            });
        }
        let indicator_totals = line_rules(file, &t, "indicator_total", ids)?;
        let level1_weights = line_rules(file, &t, "level1_weight", ids)?;
        for r in &level1_weights {
            need_group(file, &r.id, &r.re, "name")?;
            need_group(file, &r.id, &r.re, "weight")?;
        }

        let kind_titles: Vec<&str> = kinds
            .iter()
            .filter_map(|k| k.title.as_ref().map(Regex::as_str))
            .collect();
        let kind_title_filter = rule::Prefilter::new(&kind_titles);
        let all_titles: Vec<&str> = kind_titles
            .iter()
            .copied()
            .chain(titles.iter().map(|r| r.re.as_str()))
            .collect();
        let title_filter = rule::Prefilter::new(&all_titles);
        let caption_res: Vec<&str> = captions.iter().map(|r| r.re.as_str()).collect();
        let caption_filter = rule::Prefilter::new(&caption_res);
        Ok(Tables {
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            kind_title_filter,
            title_filter,
            caption_filter,
            captions,
            lead_ins,
            title_prefixes,
            title_suffixes,
            kinds,
            titles,
            meta,
            units,
            notes,
            ends,
            header_lines,
            bands,
            blocks,
            numbering,
            code_headings,
            row_labels,
            spaced_labels,
            row_starts,
            subjects,
            indicator_columns,
            indicator_totals,
            level1_weights,
        })
    }

    /// Number of rules in the file.
    pub fn rule_count(&self) -> usize {
        self.title_prefixes.len()
            + self.title_suffixes.len()
            + self.kinds.len()
            + self.titles.len()
            + self.captions.len()
            + self.lead_ins.len()
            + self.meta.len()
            + self.units.len()
            + self.notes.len()
            + self.ends.len()
            + self.header_lines.len()
            + self.bands.len()
            + self.blocks.len()
            + self.numbering.len()
            + self.code_headings.len()
            + self.row_labels.len()
            + self.spaced_labels.len()
            + self.row_starts.len()
            + self.subjects.len()
            + self.indicator_columns.len()
            + self.indicator_totals.len()
            + self.level1_weights.len()
    }

    /// A title with its prefixes (year, 附表 number, unit name) and a trailing
    /// table code removed.
    pub fn strip_title_prefix<'a>(&self, title: &'a str) -> &'a str {
        let mut s = title.trim();
        // Each prefix at most once, in file order, so a rule cannot loop.
        for p in &self.title_prefixes {
            if let Some(m) = p.re.find(s) {
                if m.start() == 0 && m.end() < s.len() {
                    s = s[m.end()..].trim_start();
                }
            }
        }
        for p in &self.title_suffixes {
            if let Some(m) = p.re.find(s) {
                if m.start() > 0 && m.end() == s.len() {
                    s = s[..m.start()].trim_end();
                }
            }
        }
        s
    }

    /// The kind rule a title line matches, if any.
    pub fn kind_by_title(&self, title: &str) -> Option<&KindRule> {
        self.kind_index(title).map(|i| &self.kinds[i])
    }

    /// Index in [`Self::kinds`] of the rule a title line matches, remembered.
    fn kind_index(&self, line: &str) -> Option<usize> {
        let line = line.trim();
        if let Some(k) = self.verdict(line, |v| v.kind) {
            return k;
        }
        let k = self.kind_by_compact_title(unmark(&compact(line)));
        self.remember(line, |v| v.kind = Some(k));
        k
    }

    /// [`Self::kind_index`] of a title already without whitespace.
    fn kind_by_compact_title(&self, compact: &str) -> Option<usize> {
        if !self.kind_title_filter.may_match(compact) {
            return None;
        }
        let stripped = self.strip_title_prefix(compact);
        self.kinds.iter().position(|k| {
            k.title
                .as_ref()
                .is_some_and(|re| re.is_match(stripped) || re.is_match(compact))
        })
    }

    /// Whether `line` is the title of a form printed one per page.
    pub fn is_form_title(&self, line: &str) -> bool {
        self.kind_index(line).is_some_and(|i| self.kinds[i].form)
    }

    /// The kind rule a table's signature text matches, if any.
    pub fn kind_by_signature(&self, sig: &str, title: Option<&str>) -> Option<&KindRule> {
        self.kinds.iter().find(|k| k.signature_matches(sig, title))
    }

    /// Whether a cell (without whitespace) heads a column of a 绩效指标 block.
    pub fn is_indicator_heading(&self, cell: &str) -> bool {
        self.indicator_columns.iter().any(|r| r.re.is_match(cell))
    }

    /// Whether a line is a table title: a kind title or a generic one.
    pub fn is_title(&self, line: &str) -> bool {
        let line = line.trim();
        if let Some(t) = self.verdict(line, |v| v.title) {
            return t;
        }
        let t = self.is_title_uncached(line);
        self.remember(line, |v| v.title = Some(t));
        t
    }

    fn is_title_uncached(&self, line: &str) -> bool {
        let compact = compact(line);
        let compact = unmark(&compact);
        if compact.is_empty() || compact.chars().count() > 80 {
            return false;
        }
        if self.caption_filter.may_match(compact)
            && self.captions.iter().any(|r| r.re.is_match(compact))
        {
            return true;
        }
        if !self.title_filter.may_match(compact) {
            return false;
        }
        // A generic title past its prefixes and table code (`…明细表 公开04表`).
        let generic = |t: &str| self.titles.iter().any(|r| r.re.is_match(t));
        self.kind_index(line).is_some()
            || generic(compact)
            || generic(self.strip_title_prefix(compact))
    }

    /// What this thread remembers of `line` (trimmed) for this rule set, if asked before.
    fn verdict<T>(&self, line: &str, get: impl FnOnce(&Verdict) -> Option<T>) -> Option<T> {
        TITLES.with(|c| {
            let c = c.borrow();
            if c.tables != Some(self.id) {
                return None;
            }
            c.lines.get(line).and_then(get)
        })
    }

    /// Record part of `line`'s verdict, starting the cache over when it belongs to
    /// another rule set or is full.
    fn remember(&self, line: &str, set: impl FnOnce(&mut Verdict)) {
        TITLES.with(|c| {
            let mut c = c.borrow_mut();
            if c.tables != Some(self.id) || c.lines.len() >= TITLE_CACHE_CAP {
                c.lines.clear();
                c.tables = Some(self.id);
            }
            match c.lines.get_mut(line) {
                Some(v) => set(v),
                None => {
                    let mut v = Verdict::default();
                    set(&mut v);
                    c.lines.insert(line.into(), v);
                }
            }
        })
    }
}

/// What the title rules said of a line (`None`: not asked yet). Several readers ask
/// about the same lines (the cell-per-line and space-aligned table finders, the
/// page-furniture pass, the table describer), and the title rules are a few dozen
/// regexes run on the line twice (as written and past its prefixes).
#[derive(Clone, Copy, Default)]
struct Verdict {
    kind: Option<Option<usize>>,
    title: Option<bool>,
}

/// Bound on the lines remembered per thread; the cache starts over when full.
const TITLE_CACHE_CAP: usize = 1 << 12;

/// A thread's title verdicts for one rule set, by trimmed line. Kept across
/// documents: the reports repeat their table titles.
#[derive(Default)]
struct TitleCache {
    tables: Option<u64>,
    lines: foldhash::HashMap<Box<str>, Verdict>,
}

thread_local! {
    static TITLES: RefCell<TitleCache> = RefCell::default();
}

/// A title without the emphasis marks of a markdown export (`**收入决算表**`).
fn unmark(s: &str) -> &str {
    s.trim_matches(['*', '_'])
}

/// A line without any whitespace (titles are often letter-spaced). Borrowed when
/// there is none to drop, as in most cells and many lines.
pub fn compact(s: &str) -> Cow<'_, str> {
    let Some(first) = next_space(s, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let (mut run, mut at) = (0, first);
    loop {
        let (i, mut end) = at;
        out.push_str(&s[run..i]);
        // The rest of a run of whitespace (column gaps are many spaces wide).
        while let Some(n) = space_at(s, end) {
            end += n;
        }
        run = end;
        match next_space(s, run) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(&s[run..]);
    Cow::Owned(out)
}

/// Bytes that may start a whitespace character: ASCII whitespace, and the lead
/// bytes of the non-ASCII ones (U+0085 and U+00A0, U+1680, U+2000–U+205F, U+3000).
const MAY_START_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    t
};

/// Length of the whitespace character at byte `i` (a char boundary), if it is one.
fn space_at(s: &str, i: usize) -> Option<usize> {
    let x = *s.as_bytes().get(i)?;
    if !MAY_START_SPACE[x as usize] {
        None
    } else if x < 0x80 {
        Some(1)
    } else {
        s[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map(char::len_utf8)
    }
}

/// The next whitespace character at or after byte `from` (a char boundary): its
/// start and end. Found by bytes, a character at a time (its lead byte gives its
/// length): this runs on most lines and cells.
fn next_space(s: &str, from: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while i < b.len() {
        if let Some(n) = space_at(s, i) {
            return Some((i, i + n));
        }
        i += match b[i] {
            0..=0x7F => 1,
            0x80..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
    }
    None
}

/// True when any rule matches.
pub fn any(rules: &[LineRule], s: &str) -> bool {
    rules.iter().any(|r| r.re.is_match(s))
}

#[cfg(test)]
mod tests {
    use crate::patterns::PatternSet;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn compact_drops_exactly_the_whitespace(s in "[ \t\r\n\u{0b}\u{85}\u{a0}\u{a9}\u{1680}\u{2000}-\u{2030}\u{205f}\u{3000}-\u{3003}a-z表决算0-9]{0,30}") {
            let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(super::compact(&s), want);
        }
    }

    #[test]
    fn remembered_verdicts_belong_to_their_rule_set() {
        let p = PatternSet::embedded().unwrap();
        let line = "  收入决算表  ";
        assert!(p.tables.is_title(line));
        assert_eq!(
            p.tables.kind_by_title(line).map(|k| k.kind.as_str()),
            Some("income")
        );
        // Asked again (trimmed differently): the same answer, from the cache.
        assert!(p.tables.is_title("收入决算表"));
        let (_, text) = crate::patterns::DEFAULTS
            .iter()
            .find(|(n, _)| *n == "tables.toml")
            .unwrap();
        let changed = text.replacen(
            "收入决算表$'\nexamples = [\"收入决算表\"]",
            "收入决算书$'\nexamples = [\"收入决算书\"]",
            1,
        );
        assert_ne!(&changed, text);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tables.toml"), changed).unwrap();
        let other = PatternSet::from_dir(dir.path()).unwrap();
        let kind = |p: &PatternSet| p.tables.kind_by_title(line).map(|k| k.kind.as_str());
        assert_ne!(kind(&other), Some("income"));
        assert_eq!(kind(&p), Some("income"));
    }

    #[test]
    fn kinds_by_title() {
        let p = PatternSet::embedded().unwrap();
        let t = &p.tables;
        let k = |s: &str| t.kind_by_title(s).map(|r| r.kind.as_str());
        assert_eq!(k("收入支出决算总表"), Some("income_expenditure_summary"));
        // A table code set on the title's line, far right.
        assert_eq!(k("收入决算表          公开02表"), Some("income"));
        assert_eq!(k("“三公”经费支出决算表     公开07表"), Some("three_public"));
        assert_eq!(
            k("2023年度部门整体支出绩效评价基础数据表"),
            Some("eval_basic_data")
        );
        assert_eq!(k("2023年度部门整体支出绩效自评表"), Some("dept_eval"));
        assert_eq!(k("2023年度项目支出绩效自评表"), Some("project_eval"));
        assert_eq!(
            k("一般公共预算财政拨款“三公”经费支出决算表"),
            Some("three_public")
        );
        assert_eq!(
            k("一般公共预算财政拨款基本支出决算明细表"),
            Some("basic_expenditure_detail")
        );
        // A budget's tables take the kinds of the final-accounts forms they mirror.
        assert_eq!(
            k("2025年部门一般公共预算支出功能分类预算表"),
            Some("general_budget_expenditure")
        );
        // A list marker in front (`## 四、…` headings of a DOCX export) is no part of it.
        assert_eq!(
            k("一、收入支出决算总表"),
            Some("income_expenditure_summary")
        );
        assert!(t.is_title("2025年部门财务收支预算总表"));
        // The budget forms' short titles, after the unit's name.
        assert_eq!(
            k("桃源县农业农村局部门收支总表"),
            Some("income_expenditure_summary")
        );
        assert_eq!(
            k("某某县农业农村局一般公共预算支出表"),
            Some("general_budget_expenditure")
        );
        assert_eq!(k("一般公共预算“三公”经费支出表"), Some("three_public"));
        // A 绩效目标表 is a title, of no kind.
        assert!(t.is_title("某某县农业农村局项目支出绩效目标表"));
        assert_eq!(k("某某县农业农村局项目支出绩效目标表"), None);
        // Markdown emphasis around a title (`**收入决算表**`) is markup.
        assert_eq!(k("**财政拨款收入支出决算总表**"), Some("fiscal_summary"));
        assert!(t.is_title("**收入决算表**"));
        assert!(!t.is_title("注:本表反映部门本年度各项支出情况。"));
        // Regression: a generic title followed by its table code on the line.
        assert!(t.is_title("财政拨款支出决算明细表(按经济分类)                    公开04表"));
        // The pre-filters derived from the title rules.
        assert!(t.title_filter.is_active() && t.kind_title_filter.is_active());
        assert!(!t.title_filter.may_match("收入支出决算总"));
    }

    #[test]
    fn bad_kind_rules_are_refused() {
        let mut ids = super::IdRegistry::default();
        let e = super::Tables::load(
            "tables.toml",
            "[[kind]]\nid = \"k\"\nkind = \"other\"\n",
            &mut ids,
        )
        .err()
        .unwrap();
        assert!(
            e.to_string().contains("needs `title` or `header_all`"),
            "{e}"
        );
        let mut ids = super::IdRegistry::default();
        let e = super::Tables::load(
            "tables.toml",
            "[[unit]]\nid = \"u\"\nscope = \"line\"\npattern = \"万元\"\n",
            &mut ids,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("(?P<unit>"), "{e}");
    }
}

//! `aligned`: `pdftotext -layout` output, columns aligned with spaces.
//!
//! Nothing in such text says "table" except its shape, so a table is looked for
//! from a title line (a kind title or a generic one from `patterns/tables.toml`),
//! past its 表号/编制部门/单位 lines, down to the first line that cannot be part of
//! it: a note (`注：`), another title, a part heading, running prose, a page that
//! starts with something that is not a row. Page breaks inside are stepped over
//! (a header the page repeats is dropped).
//!
//! The body is read in four steps: [`tokens`] (words and their columns),
//! [`columns`] (columns from the data lines), [`header`] (header words over the
//! columns, columns only the header shows), [`rows`] (lines into rows).

pub mod columns;
pub mod form;
pub mod header;
pub mod rows;
pub mod tokens;

use crate::model::{Layout, LineRole};
use crate::normalize::NormDoc;
use crate::patterns::tables::{any, compact};
use crate::patterns::PatternSet;

use super::describe::meta_below;
use super::text::{is_number, is_placeholder, RawCell};
use super::{transparent, Found};
use tokens::{Tok, TokKind};

/// Blank lines a table body may hold in a row (empty tables print several).
const MAX_BLANKS: usize = 6;

/// Longest word of a band line (`偏差原因分析及改进措施`, two headings set one
/// space apart); longer is a sentence.
const MAX_HEADING: usize = 24;

pub(crate) fn find(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    used: &[bool],
) -> Vec<Found> {
    let t = &pats.tables;
    let n = norm.line_count();
    let mut out = vec![];
    let mut i = 0;
    while i < n {
        if used[i] || roles.get(i).copied().is_some_and(transparent) {
            i += 1;
            continue;
        }
        let line = norm.line(i);
        // A part heading (`第一部分 项目支出绩效自评表`) names the tables under it;
        // it ends a table rather than titling one.
        let titled = t.is_title(line.trim());
        // Or a sentence that announces the table (`…自评结果如下：`): no title.
        let lead_in = !titled && any(&t.lead_ins, line.trim());
        if line.contains('\t') || !(titled || lead_in) || any(&t.ends, line.trim()) {
            i += 1;
            continue;
        }
        // Meta lines after the title.
        let (meta, j) = meta_below(norm, roles, pats, used, i);
        let start = j;
        let Some(end) = body_end(norm, roles, pats, used, start) else {
            i += 1;
            continue;
        };
        // Aligned columns leave a gap somewhere; a title followed by single words
        // (`附件：…自评表` over a signature and its date) is a reference, no table.
        if !(start..=end).any(|k| norm.line(k).trim().contains("  ")) {
            i += 1;
            continue;
        }
        // A 基础数据表 is a stack of small grids, each headed by its own line.
        let stacked = titled
            && t.kind_by_title(line.trim())
                .is_some_and(|k| k.kind == crate::model::TableKind::EvalBasicData);
        match read_bands(norm, roles, pats, start, end, stacked) {
            Some((header, rows)) => {
                out.push(Found {
                    layout: Layout::Aligned,
                    body: (start, end),
                    header,
                    rows,
                    title_line: (!lead_in).then_some(i),
                    meta_lines: meta,
                });
                i = end + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Running text: one long run of words with sentence punctuation.
fn is_prose(line: &str) -> bool {
    let t = line.trim();
    if t.contains("  ") || t.chars().count() < 20 {
        return false;
    }
    // A comma between digits is a thousands separator.
    let mut prev: Option<char> = None;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '。'
            || c == ';'
            || (c == ','
                && !(prev.is_some_and(|p| p.is_ascii_digit())
                    && chars.peek().is_some_and(|d| d.is_ascii_digit())))
        {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// A line that can be a row of a table (used after a page break).
fn table_like(norm: &NormDoc, pats: &PatternSet, i: usize) -> bool {
    let toks = tokens::tokenize(norm, i, &pats.tables.spaced_labels);
    let t = &pats.tables;
    toks.len() >= 2
        || toks.iter().any(|x| x.is_numeric())
        || toks.first().is_some_and(|x| {
            let s = compact(x.text(norm));
            any(&t.row_starts, &s) || any(&t.row_labels, &s) || any(&t.header_lines, &s)
        })
}

/// Whether only blank lines and page furniture lie between line `k` and the
/// start of the next page.
fn runs_to_page_start(norm: &NormDoc, roles: &[LineRole], k: usize) -> bool {
    (k + 1..norm.line_count())
        .find(|&j| {
            !(norm.line(j).trim().is_empty() || roles.get(j).copied().is_some_and(transparent))
                || norm.lines[j].page_start
        })
        .is_some_and(|j| norm.lines[j].page_start)
}

/// Last line of the body starting at `start`, if the body has any row-like line.
fn body_end(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    used: &[bool],
    start: usize,
) -> Option<usize> {
    let t = &pats.tables;
    let n = norm.line_count();
    let mut last = None;
    let mut blanks = 0;
    let mut shaped = false;
    for k in start..n {
        if used.get(k).copied().unwrap_or(true) {
            break;
        }
        if roles.get(k).copied().is_some_and(transparent) {
            continue;
        }
        let line = norm.line(k);
        let s = line.trim();
        if s.is_empty() {
            blanks += 1;
            // The blank foot of a page the table runs off is no gap: the next
            // page's first line decides.
            if blanks > MAX_BLANKS && !runs_to_page_start(norm, roles, k) {
                break;
            }
            continue;
        }
        // A page's 续表 title or repeated unit line: stepped over. A numbered
        // title (`表2 …情况表`) inside the page opens the next table.
        if let Some(l) = last {
            let new_page = (l + 1..=k).any(|j| norm.lines[j].page_start);
            if any(&t.meta, s) && (new_page || !t.is_title(s)) {
                continue;
            }
        }
        if line.contains('\t') || any(&t.notes, s) || any(&t.ends, s) || t.is_title(s) {
            break;
        }
        // A form's 目标 cells are sentences set one space apart: inside the form
        // when band lines come both before them in the body and after them.
        // So are a 绩效指标 row's notes, set far right in sentences around its
        // figures (`偏差原因分析及改进措施`): indented, a row of figures close below.
        if is_prose(line)
            && !(band_above(norm, pats, start, k)
                && (band_ahead(norm, roles, pats, k) || note_of_row(norm, roles, pats, k)))
        {
            break;
        }
        // A new page goes on with the table when its first lines are rows (a
        // label wrapped over its figures starts with a line of words alone).
        if norm.lines[k].page_start
            && last.is_some()
            && !table_like(norm, pats, k)
            && !note_of_row(norm, roles, pats, k)
            && !(k + 1..n)
                .find(|&j| !norm.line(j).trim().is_empty())
                .is_some_and(|j| figures_line(norm, pats, j, 1))
        {
            break;
        }
        blanks = 0;
        // Tokenised only until one line shows columns (`read` tokenises them all).
        if !shaped && tokens::tokenize(norm, k, &pats.tables.spaced_labels).len() >= 2 {
            shaped = true;
        }
        last = Some(k);
    }
    // A lone heading set apart under the last rows (`（三）项目绩效目标` before
    // the text resumes on the next page) is the text's.
    while let Some(k) = last {
        let toks = tokens::tokenize(norm, k, &pats.tables.spaced_labels);
        let apart = k > start && norm.line(k - 1).trim().is_empty();
        // Not a total row of an empty table (`合计`).
        let lone = toks.len() == 1
            && !toks[0].is_numeric()
            && !any(&t.row_labels, &compact(toks[0].text(norm)));
        if !(apart && lone) {
            break;
        }
        last = (start..k).rev().find(|&j| !norm.line(j).trim().is_empty());
    }
    last.filter(|_| shaped)
}

/// How far below a form's sentences its next band line may be.
const BAND_REACH: usize = 16;

/// Whether a band line comes between `start` and line `k`.
fn band_above(norm: &NormDoc, pats: &PatternSet, start: usize, k: usize) -> bool {
    let t = &pats.tables;
    !t.bands.is_empty() && (start..k).any(|j| any(&t.bands, &compact(norm.line(j))))
}

/// Indentation of a note set in a form's right-hand column, at least.
const NOTE_INDENT: usize = 24;
/// How far below a note's first line its row's figures may be.
const NOTE_REACH: usize = 6;

/// Whether line `k` is a sentence set far right (a form's note cell) with a row
/// of figures, not a sentence, among the next lines.
fn note_of_row(norm: &NormDoc, roles: &[LineRole], pats: &PatternSet, k: usize) -> bool {
    let line = norm.line(k);
    if line.len() - line.trim_start().len() < NOTE_INDENT {
        return false;
    }
    (k + 1..norm.line_count())
        .filter(|&j| {
            !roles.get(j).copied().is_some_and(transparent) && !norm.line(j).trim().is_empty()
        })
        .take(NOTE_REACH)
        .any(|j| figures_line(norm, pats, j, 3))
}

/// Line `j` is a row with a figure, of `min` cells or more, and no sentence.
fn figures_line(norm: &NormDoc, pats: &PatternSet, j: usize, min: usize) -> bool {
    let toks = tokens::tokenize(norm, j, &pats.tables.spaced_labels);
    toks.len() >= min && toks.iter().any(|x| x.is_numeric()) && !is_prose(norm.line(j))
}

/// Whether a band line follows line `k` closely, before any title or end line.
fn band_ahead(norm: &NormDoc, roles: &[LineRole], pats: &PatternSet, k: usize) -> bool {
    let t = &pats.tables;
    for j in k + 1..(k + 1 + BAND_REACH).min(norm.line_count()) {
        if roles.get(j).copied().is_some_and(transparent) {
            continue;
        }
        let s = norm.line(j).trim();
        if s.is_empty() {
            continue;
        }
        if any(&t.bands, &compact(s)) {
            return true;
        }
        if any(&t.notes, s) || any(&t.ends, s) || t.is_title(s) {
            return false;
        }
    }
    false
}

/// Whole numbers a line of counts holds at least (`26  23  3  14  1` under
/// `编制数 实有人数 …`).
const MIN_COUNTS: usize = 3;

/// A data line: a figure, a code in front, a row label on its own, or a row of
/// counts (not a column numbering, not years).
fn is_data_line(norm: &NormDoc, pats: &PatternSet, toks: &[Tok]) -> bool {
    let t = &pats.tables;
    if toks.iter().any(|x| x.kind == TokKind::Num) {
        return true;
    }
    if toks.len() >= MIN_COUNTS
        && toks
            .iter()
            .all(|x| x.kind == TokKind::Int && x.b - x.a <= 3)
        && !is_numbering_line(norm, pats, toks)
    {
        return true;
    }
    let Some(first) = toks.first() else {
        return false;
    };
    if first.kind == TokKind::Int && first.text(norm).len() >= 3 {
        return true;
    }
    let s = compact(first.text(norm));
    if any(&t.row_starts, &s) {
        return true;
    }
    any(&t.row_labels, &s) && toks[1..].iter().all(|x| x.is_numeric())
}

pub(super) type Body = (Vec<Vec<crate::model::Cell>>, Vec<Vec<crate::model::Cell>>);

/// Header and rows of the body `[start, end]`, read part by part where a
/// `[[band]]` line starts a part on columns of its own (a 自评表: key lines, the
/// 资金 block, the 目标 block, the 绩效指标 block). Parts before the first row go to
/// the header; a later part's header lines become rows, where the facts and
/// indicator readers take them as a header inside the body.
fn read_bands(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    start: usize,
    end: usize,
    stacked: bool,
) -> Option<Body> {
    let t = &pats.tables;
    let mut cuts = vec![start];
    // What kind of part each cut after the first starts.
    let mut parts = vec![Part::Band];
    if !t.bands.is_empty() || !t.blocks.is_empty() || stacked {
        for k in start + 1..=end {
            let line = compact(norm.line(k));
            if roles.get(k).copied().is_some_and(transparent) {
                continue;
            }
            let toks = |i: usize| tokens::tokenize(norm, i, &pats.tables.spaced_labels);
            if !(any(&t.bands, &line) || any(&t.blocks, &line)) {
                if stacked {
                    if let Some(part) = stacked_head(norm, roles, pats, start, end, k) {
                        cuts.push(k);
                        parts.push(part);
                    }
                }
                continue;
            }
            let here = toks(k);
            // A band line is headings. A row whose scoring note names the same
            // words (`预算执行率 5 预算执行率=决算数/调整预算数×100%…分值。 4.95`)
            // holds figures or a sentence.
            if here
                .iter()
                .any(|x| x.is_numeric() || x.text(norm).chars().count() > MAX_HEADING)
            {
                continue;
            }
            // The first half of the band line's headings, on the line above.
            let above = k - 1;
            let wrapped = above > *cuts.last().unwrap_or(&start) && {
                let upper = toks(above);
                // Or a heading split around the band line (`一级指` / `标`).
                form::heads_above(norm, t, &upper, &here)
                    || (k < end && form::heads_below(norm, t, &toks(k + 1), &upper))
            };
            let block = !any(&t.bands, &line);
            cuts.push(if wrapped { above } else { k });
            parts.push(if block { Part::Block } else { Part::Band });
        }
    }
    // A table that is one band (a 绩效指标 table under its own caption) is read
    // as one.
    let lead = !t.bands.is_empty() && any(&t.bands, &compact(norm.line(start)));
    if cuts.len() == 1 {
        return read(norm, roles, pats, start, end, lead.then_some(Part::Band));
    }
    // So is the first part of a 绩效指标 table that runs onto a page repeating its
    // band line; a 资金 block heading a form is aligned on its figures' edges.
    let lead = lead && {
        let toks = tokens::tokenize(norm, start, &t.spaced_labels);
        form::names_levels(norm, t, &toks)
    };
    cuts.push(end + 1);
    let (mut header, mut rows) = (vec![], vec![]);
    for (w, &kind) in cuts.windows(2).zip(&parts) {
        let part = if w[0] != start {
            Some(kind)
        } else if stacked {
            Some(Part::Grid)
        } else {
            lead.then_some(Part::Band)
        };
        let Some((h, r)) = read(norm, roles, pats, w[0], w[1] - 1, part) else {
            continue;
        };
        if rows.is_empty() {
            header.extend(h);
        } else {
            rows.extend(h);
        }
        rows.extend(r);
    }
    (!header.is_empty() || !rows.is_empty()).then_some((header, rows))
}

/// The part line `k` starts in a stacked table, if it starts one: right after a
/// line with figures, with figures close below,
/// - headings alone (two or more, no figure): a grid under them;
/// - a caption alone (one heading, `四、会议费、培训费及机关运行经费`) over a
///   line of headings: a block under its caption;
/// - a line of label-figure pairs (`会议费 预算数 1.50 决算数 1.28`) after a line
///   of figures without labels of their own: rows of such pairs.
fn stacked_head(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    start: usize,
    end: usize,
    k: usize,
) -> Option<Part> {
    let toks = |i: usize| tokens::tokenize(norm, i, &pats.tables.spaced_labels);
    let filled = |i: &usize| {
        !norm.line(*i).trim().is_empty() && !roles.get(*i).copied().is_some_and(transparent)
    };
    let figures = |l: &[Tok]| l.iter().any(|x| x.is_numeric());
    let heading = |x: &Tok| !x.is_numeric() && x.text(norm).chars().count() <= MAX_HEADING;
    let above = toks((start..k).rev().find(filled)?);
    if !figures(&above)
        || !(k + 1..=end)
            .filter(filled)
            .take(4)
            .any(|i| figures(&toks(i)))
    {
        return None;
    }
    let here = toks(k);
    if here.len() >= 2 && here.iter().all(heading) {
        return Some(Part::Grid);
    }
    if here.len() == 1 && heading(&here[0]) {
        let below = toks((k + 1..=end).find(filled)?);
        return (below.len() >= 2 && below.iter().all(heading)).then_some(Part::Block);
    }
    let unpaired = above
        .iter()
        .enumerate()
        .filter(|(i, x)| x.is_numeric() && i.checked_sub(1).is_none_or(|p| above[p].is_numeric()))
        .count();
    (pairs(&here) >= 2 && unpaired >= 2).then_some(Part::Pairs)
}

/// Label-figure pairs on a line: words right before a figure.
fn pairs(l: &[Tok]) -> usize {
    l.windows(2)
        .filter(|w| !w[0].is_numeric() && w[1].is_numeric())
        .count()
}

/// A part of a body that starts on a line of its own kind.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// A `[[band]]` line: the part is read on the columns its words name.
    Band,
    /// A numbered `[[block]]` caption: the part is a small table of its own,
    /// its headings over figures set on their own edges.
    Block,
    /// A grid of a 基础数据表 under its own line of headings: a block whose
    /// figures, when there are as many on each line as headings, are theirs in
    /// order (headings sit centred or flush as the form's cells fall).
    Grid,
    /// Rows of label-figure pairs in a 基础数据表, without headings: read as a
    /// table of its own.
    Pairs,
}

/// Header and rows of the body `[start, end]`, or of its `part`. In a band, rows
/// start at the first line with a digit: a 绩效指标 row may hold whole numbers only
/// (`≥20个 22个 20 20`), and the band's header is its band line and wrapped words.
fn read(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    start: usize,
    end: usize,
    part: Option<Part>,
) -> Option<Body> {
    let mut caption = None;
    let body = read_lines(norm, roles, pats, start, end, part, &mut caption)?;
    Some(match caption {
        Some(c) => captioned(norm, body, &c),
        None => body,
    })
}

/// A block's body with its caption, which heads no column, in its corner: the
/// first header row's label cell, in a label column of its own when the block's
/// first column holds figures (`合计` of a 三公 block), else a header row of its
/// own above the others.
fn captioned(norm: &NormDoc, (mut header, mut rows): Body, caption: &Tok) -> Body {
    use crate::model::Cell;
    let first = |r: &Vec<Cell>| r.first().map_or(String::new(), |c| c.text.clone());
    let figures_first = rows.iter().any(|r| is_number(&first(r)))
        && rows.iter().all(|r| {
            let c = first(r);
            c.trim().is_empty() || is_number(&c) || is_placeholder(&c)
        });
    if figures_first {
        for r in header.iter_mut().chain(rows.iter_mut()) {
            r.insert(0, Cell::empty());
        }
    }
    let cell = RawCell::from_range(norm, caption.a, caption.b).to_cell(norm);
    match header.first_mut() {
        Some(h) if h.first().is_some_and(|c| c.text.trim().is_empty()) => h[0] = cell,
        _ => {
            let width = header.first().or(rows.first()).map_or(1, Vec::len);
            let mut row = vec![Cell::empty(); width.max(1)];
            row[0] = cell;
            header.insert(0, row);
        }
    }
    (header, rows)
}

/// [`read`], leaving out a block's caption: the one word of its first line, set
/// flush left of every other word of the block, over further header lines
/// (`三、“三公”经费情况` over its banners).
fn read_lines(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    start: usize,
    end: usize,
    part: Option<Part>,
    caption: &mut Option<Tok>,
) -> Option<Body> {
    let t = &pats.tables;
    let band = part == Some(Part::Band);
    // Lines with their tokens, and whether a blank line or page break precedes.
    let mut lines: Vec<(usize, Vec<Tok>, bool)> = vec![];
    let mut gap = false;
    for k in start..=end {
        if roles.get(k).copied().is_some_and(transparent) {
            continue;
        }
        let s = norm.line(k).trim();
        if s.is_empty() {
            gap = true;
            continue;
        }
        if any(&t.meta, s) {
            gap = true;
            continue;
        }
        let toks = tokens::tokenize(norm, k, &pats.tables.spaced_labels);
        let brk = gap || norm.lines[k].page_start;
        lines.push((k, toks, brk));
        gap = false;
    }
    if lines.is_empty() {
        return None;
    }
    // A band's own line heads it, though a numbered block caption
    // (`二、部门预算及执行情况`) starts like a row label.
    let mut first_data = lines
        .iter()
        .enumerate()
        .position(|(i, (_, toks, _))| {
            (matches!(part, None | Some(Part::Pairs)) || i > 0)
                && (is_data_line(norm, pats, toks)
                    || ((band || part == Some(Part::Grid))
                        && toks
                            .iter()
                            .any(|x| x.text(norm).bytes().any(|b| b.is_ascii_digit()))))
        })
        .unwrap_or(lines.len());
    // The upper half of the first row's centred label sits above its figures,
    // set apart from the header by a blank line: it is data.
    if first_data < lines.len() {
        let mut k = first_data;
        while k > 0
            && !lines[k].2
            && lines[k - 1].1.len() == 1
            && lines[k - 1].1[0].kind == TokKind::Text
            && !any(&t.header_lines, norm.line(lines[k - 1].0).trim())
        {
            k -= 1;
        }
        if k < first_data && k > 0 && lines[k].2 {
            first_data = k;
        }
    }
    let header_words: Vec<String> = lines[..first_data]
        .iter()
        .flat_map(|(_, toks, _)| toks.iter().map(|x| compact(x.text(norm)).into_owned()))
        .collect();
    let mut header_lines: Vec<Vec<Tok>> = lines[..first_data]
        .iter()
        .map(|(_, toks, _)| toks.clone())
        .collect();
    // Whether a blank line (or page break) comes before each header line.
    let mut header_gaps: Vec<bool> = lines[..first_data].iter().map(|l| l.2).collect();
    if matches!(part, Some(Part::Block | Part::Grid))
        && first_data < lines.len()
        && header_lines.len() >= 2
        && header_lines[0].len() == 1
        && header_lines[0][0].kind == TokKind::Text
    {
        let c = &header_lines[0][0];
        let flush = lines[1..]
            .iter()
            .flat_map(|(_, toks, _)| toks)
            .all(|x| (0..2).all(|m| c.cols[m].0 <= x.cols[m].0));
        if flush {
            *caption = header_lines.remove(0).pop();
            header_gaps.remove(0);
        }
    }
    let mut data: Vec<(Vec<Tok>, bool)> = vec![];
    let mut brk_pending = false;
    let mut page_head = false;
    for (k, toks, brk) in lines.into_iter().skip(first_data) {
        let is_header_line = any(&t.header_lines, norm.line(k).trim());
        if norm.lines[k].page_start {
            page_head = true;
        }
        // A header the page repeats: at the top of a page, only header words.
        let repeat = page_head
            && !toks.is_empty()
            && !is_data_line(norm, pats, &toks)
            && toks
                .iter()
                .all(|x| header_words.iter().any(|w| *w == compact(x.text(norm))));
        if is_header_line {
            // Printed again at the top of a page: drop it.
            if !page_head {
                header_lines.push(toks);
                header_gaps.push(brk);
            }
            brk_pending |= brk;
            continue;
        }
        if repeat {
            brk_pending = true;
            continue;
        }
        page_head = false;
        data.push((toks, brk || brk_pending));
        brk_pending = false;
    }

    if part == Some(Part::Grid) {
        if let Some(body) = paired(norm, &header_lines, &data) {
            return Some(body);
        }
    }
    // Pick the metric (glyph count or display width) under which figures align.
    let (number_lines, words_only): (Vec<&Vec<Tok>>, Vec<&Vec<Tok>>) = header_lines
        .iter()
        .partition(|l| is_numbering_line(norm, pats, l));
    let metric = choose_metric(&data, &words_only, &number_lines);
    for l in header_lines.iter_mut() {
        for x in l.iter_mut() {
            x.use_metric(metric);
        }
        *l = l
            .iter()
            .flat_map(|x| tokens::split_words(norm, x, metric))
            .collect();
    }
    // A column-numbering line (`栏次 1 2 3 …`, a bare `1 2 … 12`) closes the
    // header: its numbers sit over the columns, never in a heading's words. A
    // header line below one is set apart from the words above it.
    let mut numbering: Vec<Vec<Tok>> = vec![];
    if !band {
        let mut words = vec![];
        let mut gaps = vec![];
        let mut after_numbering = false;
        for (l, g) in header_lines.into_iter().zip(header_gaps) {
            if is_numbering_line(norm, pats, &l) {
                numbering.push(l);
                after_numbering = true;
            } else {
                words.push(l);
                gaps.push(g || after_numbering);
                after_numbering = false;
            }
        }
        header_lines = words;
        header_gaps = gaps;
    }
    for (l, _) in data.iter_mut() {
        for x in l.iter_mut() {
            x.use_metric(metric);
        }
    }

    if band {
        let group =
            |dl: &[rows::DataLine], cols: &[columns::Col]| rows::group(norm, pats, dl, cols);
        if let Some(body) = form::read(norm, t, header_lines.clone(), data.clone(), group) {
            return Some(body);
        }
    }

    // Lines of later pages (set on their own grids) are moved onto the first page's
    // where they can be, and open columns reluctantly.
    let (mut data_toks, breaks): (Vec<Vec<Tok>>, Vec<bool>) = data.into_iter().unzip();
    let pages: Vec<u32> = data_toks
        .iter()
        .map(|l| l.first().map_or(0, |x| norm.lines[x.line].page))
        .collect();
    let mut cols = columns::discover(&mut data_toks, &pages);
    let mut header = header::build(norm, &header_lines, &header_gaps, &numbering, &mut cols);
    if cols.is_empty() {
        return if header.is_empty() {
            None
        } else {
            Some((header, vec![]))
        };
    }
    let mut placed: Vec<Vec<usize>> = data_toks
        .iter()
        .map(|toks| columns::place(toks, &cols))
        .collect();
    // Columns that discovery opened but no line uses in the end.
    let used_cols: Vec<bool> = (0..cols.len())
        .map(|j| cols[j].header_only || placed.iter().any(|p| p.contains(&j)))
        .collect();
    if used_cols.iter().any(|u| !u) {
        let remap: Vec<usize> = used_cols
            .iter()
            .scan(0usize, |n, &u| {
                let k = *n;
                if u {
                    *n += 1;
                }
                Some(k)
            })
            .collect();
        for p in placed.iter_mut() {
            for c in p.iter_mut() {
                *c = remap[*c];
            }
        }
        header = header
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .enumerate()
                    .filter(|(j, _)| used_cols.get(*j).copied().unwrap_or(true))
                    .map(|(_, c)| c)
                    .collect()
            })
            .collect();
        let mut k = 0;
        cols.retain(|_| {
            let keep = used_cols[k];
            k += 1;
            keep
        });
    }
    let dl: Vec<rows::DataLine> = data_toks
        .into_iter()
        .zip(breaks)
        .zip(placed)
        .map(|((toks, brk), col)| rows::DataLine {
            toks,
            col,
            blank_before: brk,
            key: false,
        })
        .collect();
    let mut rows = rows::group(norm, pats, &dl, &cols);
    let width = cols.len() - rows::merge_heading_columns(&mut header, &mut rows);
    let header = header
        .into_iter()
        .map(|mut r| {
            r.resize_with(width, crate::model::Cell::empty);
            r
        })
        .collect();
    Some((header, rows))
}

/// A grid read by order: one line of two or more headings (group labels on lines
/// of their own aside), each line below a label at most left of the headings,
/// then exactly one figure per heading. A grid of one line of figures is one
/// record: the word left of it captions the grid (`人员情况`), it labels no row.
fn paired(norm: &NormDoc, header_lines: &[Vec<Tok>], data: &[(Vec<Tok>, bool)]) -> Option<Body> {
    let cell = |x: &Tok| RawCell::from_range(norm, x.a, x.b).to_cell(norm);
    let mut heads = header_lines.iter().filter(|l| l.len() >= 2);
    let head = heads.next()?;
    if heads.next().is_some() || data.is_empty() {
        return None;
    }
    let left = head.first()?.x0;
    let mut caption: Vec<&Tok> = vec![];
    for l in header_lines.iter().filter(|l| l.len() == 1) {
        if l[0].x1 >= left {
            return None;
        }
        caption.push(&l[0]);
    }
    let mut rows = vec![];
    for (l, _) in data {
        let (lead, figs) = match l.first() {
            Some(x) if x.kind == TokKind::Text && x.x1 < left => (Some(x), &l[1..]),
            _ => (None, &l[..]),
        };
        if figs.len() != head.len()
            || !figs
                .iter()
                .all(|x| x.is_numeric() || is_placeholder(x.text(norm)))
        {
            return None;
        }
        let label = match lead {
            Some(x) if data.len() == 1 => {
                caption.push(x);
                crate::model::Cell::empty()
            }
            Some(x) => cell(x),
            None => crate::model::Cell::empty(),
        };
        rows.push(
            std::iter::once(label)
                .chain(figs.iter().map(cell))
                .collect(),
        );
    }
    let corner = match caption.as_slice() {
        [x] => cell(x),
        _ => crate::model::Cell::empty(),
    };
    let header = std::iter::once(corner)
        .chain(head.iter().map(cell))
        .collect();
    Some((vec![header], rows))
}

/// 0 (glyph count) or 1 (display width): the one with fewer distinct right edges
/// of figures. When the figures cannot tell (a single line of figures, or rows
/// whose labels are all as wide), the one under which the header ends where the
/// data end: under the other, a header line of Han words drifts short (glyph
/// count) or long (display width) by as many columns as it holds Han glyphs.
fn choose_metric(
    data: &[(Vec<Tok>, bool)],
    header: &[&Vec<Tok>],
    numbering: &[&Vec<Tok>],
) -> usize {
    let edges = |m: usize| {
        let mut edges: Vec<i32> = data
            .iter()
            .flat_map(|(l, _)| l.iter())
            .filter(|x| x.kind == TokKind::Num)
            .map(|x| x.cols[m].1)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        edges.len()
    };
    let (e0, e1) = (edges(0), edges(1));
    // Without figures, only a numbering line's numbers say where columns end.
    if e0 != e1 || (e0 == 0 && numbering.is_empty()) {
        return usize::from(e1 < e0);
    }
    let drift = |m: usize| -> Option<i32> {
        let right = |toks: &mut dyn Iterator<Item = &Tok>| toks.map(|x| x.cols[m].1).max();
        let h = right(&mut header.iter().flat_map(|l| l.iter()))?;
        let d = right(
            &mut data
                .iter()
                .flat_map(|(l, _)| l.iter())
                .chain(numbering.iter().flat_map(|l| l.iter())),
        )?;
        Some((h - d).abs())
    };
    match (drift(0), drift(1)) {
        (Some(d0), Some(d1)) => usize::from(d1 + 2 <= d0),
        _ => 0,
    }
}

/// A column-numbering line: numbering labels (`栏次`) and whole numbers that go up
/// (`栏次 1 栏次 2 3 4 5`), or, without a label, three or more consecutive numbers
/// from 1 (`1 2 3 … 12`).
fn is_numbering_line(norm: &NormDoc, pats: &PatternSet, toks: &[Tok]) -> bool {
    let mut labelled = false;
    let mut nums: Vec<u32> = vec![];
    for x in toks {
        let s = compact(x.text(norm));
        if any(&pats.tables.numbering, &s) {
            labelled = true;
        } else if let (TokKind::Int, Ok(n)) = (x.kind, s.parse::<u32>()) {
            nums.push(n);
        } else {
            return false;
        }
    }
    if labelled {
        !nums.is_empty() && nums.windows(2).all(|w| w[1] > w[0])
    } else {
        nums.len() >= 3 && nums[0] == 1 && nums.windows(2).all(|w| w[1] == w[0] + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `test` on the one line `s`, tokenised.
    fn on_line(s: &str, test: fn(&NormDoc, &PatternSet, &[Tok]) -> bool) -> bool {
        let pats = PatternSet::embedded().unwrap();
        let n = NormDoc::new(s.to_string());
        test(&n, &pats, &tokens::tokenize(&n, 0, &[]))
    }

    #[test]
    fn a_row_of_counts_is_data() {
        let data = |s: &str| on_line(s, is_data_line);
        assert!(data("      26          23         3        14          1"));
        // A column numbering is no data.
        assert!(!data("     1          2          3          4"));
    }

    #[test]
    fn numbering_lines() {
        let yes = |s: &str| on_line(s, is_numbering_line);
        assert!(yes("栏次        1         2         3        4"));
        assert!(yes("   栏次   1     栏次     2     3     4     5"));
        assert!(yes("     1          2          3          4          5"));
        // Codes, a row number, numbers that skip: no numbering line.
        assert!(!yes("     2          3          4"));
        assert!(!yes("     1          3          4"));
        assert!(!yes("301        30101"));
        assert!(!yes("合计       1         2         3"));
    }
}

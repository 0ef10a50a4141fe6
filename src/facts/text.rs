//! Figures in running text.
//!
//! Body lines are joined into paragraphs (hard wraps undone, with a map back to the
//! source), split into sentences (Unicode sentence boundaries) and scanned for
//! figures with a unit. A figure's label is the clause in front of it, back to the
//! previous figure or the last `，；。`. When the label only repeats basis or
//! filler words (`决算支出共0.86万元`, `较上年增加34万元`) the figure takes the metric
//! of the figure before it in the sentence; failing that, the metric named earlier in
//! the sentence; failing that, the last figure of the previous sentence when the
//! whole sentence so far is filler (`与上年相比，增加37.31万元`). The figures of a
//! `其中` list are parts of the figure before it: they keep its fund scope and its
//! budget basis, and are never its metric themselves.

use unicode_segmentation::UnicodeSegmentation;

use super::context::{section_at, Context};
use super::label::{
    find_alone, find_change, find_exclusion, find_metric, is_filler, normalize_label, rule_accepts,
    scope_at, scope_named, stated_basis, unit_compatible, Found, Hit, Query,
};
use crate::model::{Basis, Doc, Fact, FactSource, LineRole, Unit};
use crate::normalize::{join_lines_breaking, MappedText};
use crate::numbers::{is_numeral_char, read_figure, starts_figure, Figure};
use crate::patterns::metrics::{MetricRule, Metrics};
use crate::patterns::units::Units;
use crate::patterns::PatternSet;

/// Clause delimiters: a label never reaches back over one.
fn is_delimiter(c: char) -> bool {
    matches!(c, ',' | ';' | '。' | '!' | '?' | '，' | '；' | '！' | '？')
}

/// Punctuation trimmed off both ends of a label.
fn is_trim(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';' | ':' | '、' | '(' | ')' | '.' | '-' | '—' | '“' | '”' | '"' | '。'
        )
}

/// Comparison signs: a figure behind one is a threshold, not a value.
fn ends_with_op(s: &str) -> bool {
    s.trim_end()
        .ends_with(['≥', '≤', '>', '<', '=', '≧', '≦', '＞', '＜'])
}

/// One figure of a sentence with what was decided about it.
#[derive(Debug, Clone)]
struct Item<'r> {
    fig: Figure,
    /// Normalised label and the words after the figure.
    own: String,
    /// The previous figure's label and the words from it to this figure (for rule vetoes).
    context: String,
    after: String,
    /// Normalised sentence text before the figure.
    prefix: String,
    scope: String,
    metric: Option<&'r MetricRule>,
    label: Option<String>,
    rule: String,
    /// Label words that decide nothing: the metric comes from a neighbour.
    filler: bool,
    /// Excluded, thresholds, approximations, ranges: never a vocabulary fact.
    blocked: bool,
    /// Written with an approximation word (`约`, `余`).
    approx: bool,
    /// Taken out by an `[[exclude]]` rule.
    excluded: bool,
    /// The next item of a `、` list (`奖补资金214万元、专项资金72.5万元`).
    listed: bool,
    /// Money figures: the basis and sign decided for the sentence.
    basis: Option<(Basis, i32)>,
    /// After a project named in the paragraph (a text `[[subject]]`).
    named: bool,
    /// Where in its sentence the last project named before it starts (`None`: no
    /// project named before it in the paragraph, or in an earlier sentence).
    named_at: Option<usize>,
    /// The item of a list it is listed for (`[[item_list]]`): its subject.
    item: Option<String>,
}

pub fn extract(doc: &Doc, pats: &PatternSet, ctx: &Context) -> Vec<Fact> {
    let lines: Vec<usize> = (0..doc.norm.line_count())
        .filter(|&i| doc.roles.get(i).is_some_and(|r| r.is_body()))
        .collect();
    let title_only = title_only_lines(doc);
    let scopes = section_scopes(doc, &pats.metrics);
    let furniture = |i: usize| doc.roles.get(i) == Some(&LineRole::PageFurniture);
    let joined = join_lines_breaking(&doc.norm, &lines, |i| title_only[i], furniture);
    let text = joined.as_str();
    let mut out = vec![];
    let mut list = None;
    let mut start = 0;
    while start <= text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |k| start + k);
        let span = (start, end);
        paragraph(doc, pats, ctx, &joined, &scopes, span, &mut list, &mut out);
        start = end + 1;
    }
    out
}

/// Does the paragraph open with a list number (`1.`, `（2）`, `三、`, `一是`)?
fn opens_numbered(para: &str) -> bool {
    let t = para.trim_start().trim_start_matches(['(', '（']);
    let n = t
        .chars()
        .take_while(|&c| c.is_ascii_digit() || is_numeral_char(c))
        .count();
    n > 0
        && t.chars()
            .nth(n)
            .is_some_and(|c| matches!(c, '.' | '、' | '．' | ')' | '）' | '是'))
}

/// The item a listed figure is about: the words of its clause before it
/// (`；农村人居环境整治项目520.00万元`), or a numbered paragraph's words up to its
/// first clause end (`1.优抚对象抚恤和生活补助，全年支出2,386.50万元`).
fn item_name(m: &Metrics, clause: &str) -> Option<String> {
    let t = clause
        .trim_start()
        .trim_start_matches(['(', '（'])
        .trim_start_matches(|c: char| c.is_ascii_digit() || is_numeral_char(c))
        .trim_start_matches(['.', '、', '．', ')', '）', '是', ' ']);
    let end = t
        .find([',', '，', ':', '：', ';', '；', '。', '、'])
        .unwrap_or(t.len());
    let name = normalize_label(&t[..end], &m.rewrites);
    // Filler words after the name (`…补助全年支出`) are not the item's.
    let cut = name
        .char_indices()
        .map(|(k, _)| k)
        .skip(1)
        .find(|&k| is_filler(m, &name[k..]))
        .unwrap_or(name.len());
    let name = name[..cut].trim_matches(is_trim).to_string();
    (name.chars().count() >= 2 && !is_filler(m, &name)).then_some(name)
}

/// Figures listed after an `[[item_list]]` intro: without a metric (or with only a
/// bare `alone` wording's), each later one in the sentence, or the first of a
/// numbered paragraph the list carried over into, is the list's metric for its item.
/// Filler-labelled figures after that first one in its sentence are the same item's
/// (`1.…养护：全年预算186.50万元，决算支出183.20万元`).
fn list_items<'r>(
    m: &'r Metrics,
    para: &str,
    off: usize,
    intro: Option<(usize, usize, usize)>,
    carried: Option<usize>,
    first_listed: &mut bool,
    items: &mut [Item<'r>],
) {
    let mut numbered_item: Option<(usize, &str)> = None;
    for it in items.iter_mut() {
        let at = off + it.fig.start;
        let bare = it
            .metric
            .is_some_and(|r| !r.named && m.alone.iter().any(|a| std::ptr::eq(a, r)));
        let free = (it.metric.is_none() || bare) && !it.blocked && it.fig.unit == Some(Unit::Cny);
        let (rule, clause) = match intro {
            Some((i, _, e)) if at > e && free => {
                let from = para[e..at]
                    .char_indices()
                    .rfind(|&(_, c)| {
                        matches!(c, ';' | '；' | '，' | ',' | ':' | '：' | '、' | '。')
                    })
                    .map_or(e, |(k, c)| e + k + c.len_utf8());
                (Some(i), &para[from..at])
            }
            _ if *first_listed && free => {
                *first_listed = false;
                numbered_item = carried.map(|i| (i, para));
                (carried, para)
            }
            _ if free && it.filler => numbered_item.map_or((None, ""), |(i, p)| (Some(i), p)),
            _ => (None, ""),
        };
        let Some(r) = rule.and_then(|i| m.item_lists.get(i)) else {
            continue;
        };
        if let (Some(name), Some(metric)) = (
            item_name(m, clause),
            m.rules.iter().find(|x| x.metric == r.metric),
        ) {
            it.metric = Some(metric);
            it.rule = r.id.clone();
            it.label = Some(format!("{}…{name}", r.metric));
            it.item = Some(name);
        }
    }
}

/// Heading lines that hold nothing but their title: a figure's label never
/// reaches back into them, even when the next line looks like their hard wrap.
fn title_only_lines(doc: &Doc) -> Vec<bool> {
    let norm = &doc.norm;
    let mut out = vec![false; norm.line_count()];
    for s in &doc.sections {
        let Some(i) = (s.span.line_end as usize).checked_sub(1) else {
            continue;
        };
        if i >= out.len() {
            continue;
        }
        let line = norm.line(i);
        let kept = line.trim_end_matches(|c: char| is_trim(c) || matches!(c, ':' | '：'));
        let Some((k, c)) = kept.char_indices().last() else {
            continue;
        };
        let (a, _) = norm.line_bounds(i);
        out[i] = norm.span(a + k, a + k + c.len_utf8()).end <= s.span.end;
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn paragraph(
    doc: &Doc,
    pats: &PatternSet,
    ctx: &Context,
    joined: &MappedText,
    scopes: &[Option<&str>],
    (a, b): (usize, usize),
    list: &mut Option<usize>,
    out: &mut Vec<Fact>,
) {
    let para = &joined.as_str()[a..b];
    if para.trim().is_empty() {
        return;
    }
    let ctx = ctx.at(joined.source_range(a, a + 1).0 as usize);
    let m = &pats.metrics;
    // A list of items opened here (`主要项目包括：`) or, for a numbered paragraph,
    // by the paragraph before (`主要项目支出情况如下：`).
    let intro = m
        .item_lists
        .iter()
        .enumerate()
        .filter(|(_, r)| r.requires.admits(para))
        .find_map(|(i, r)| r.re.find(para).map(|x| (i, x.start(), x.end())));
    let numbered = opens_numbered(para);
    let carried = list.filter(|_| numbered);
    *list = match intro {
        Some((i, _, e)) if para[e..].trim().is_empty() => Some(i),
        _ => carried,
    };
    let mut first_listed = carried.is_some();
    // Projects named in the paragraph (`“…”项目`): figures after the name are about it.
    let subjects: Vec<(usize, String)> = m
        .subjects
        .iter()
        .filter(|s| !s.title && s.requires.admits(para))
        .flat_map(|s| {
            s.re.captures_iter(para).filter_map(|c| {
                c.name("subject")
                    .map(|x| (x.start(), x.as_str().trim().to_string()))
            })
        })
        .collect();
    let section_scope = section_scope(doc, scopes, joined, a);
    let mut prev_sentence: Vec<Item> = vec![];
    // A short sentence naming an item, without figures, that opens what follows
    // (`1.因公出国（境）费。2022年预算0万元，实际支出0万元`).
    let mut topic: Option<String> = None;
    let mut after_marker = false;
    for (off, sentence) in bounded_sentences(para) {
        let mut items = scan(sentence, pats);
        for it in items.iter_mut() {
            let last = subjects.iter().rfind(|(p, _)| *p < off + it.fig.start);
            it.named = last.is_some();
            it.named_at = last.and_then(|(p, _)| p.checked_sub(off));
        }
        if let Some(s) = section_scope {
            for it in items.iter_mut() {
                // Only another sub-fund named in the sentence overrides it
                // (`本年支出` there is the fund's).
                if scope_named(m, &it.prefix).is_none_or(|x| x == "unit") {
                    it.scope = s.to_string();
                }
            }
        }
        let marker = is_marker(sentence);
        if items.is_empty() {
            if !sentence.trim().is_empty() && !marker {
                topic = topic_of(m, sentence, after_marker);
                // A sentence of reasons (`决算数小于预算数的主要原因是…。`) does not
                // part a figure from the next sentence's `与上年…相比减少…`; one
                // that names a new item does.
                if topic.is_some() {
                    prev_sentence.clear();
                }
            }
            after_marker = marker;
            continue;
        }
        after_marker = false;
        if let Some(t) = topic.take() {
            for it in items.iter_mut() {
                it.prefix = format!("{t}{}", it.prefix);
            }
        }
        let heads = heads(m, sentence, &items, &prev_sentence);
        list_scopes(m, &mut items, &heads, &prev_sentence);
        decide(m, ctx, &mut items, &prev_sentence);
        totals_by_their_parts(m, ctx, &mut items, &heads);
        drop_parts_named_as_total(m, &mut items, &heads, &prev_sentence);
        drop_parts_before_total(&mut items);
        money_bases(m, ctx, sentence, &mut items, &heads, &prev_sentence);
        veto_rates(&mut items, &heads);
        part_scores(m, &mut items);
        list_items(m, para, off, intro, carried, &mut first_listed, &mut items);
        for it in &items {
            let (s, e) = (a + off + it.fig.start, a + off + it.fig.end);
            let subject = it
                .item
                .clone()
                .or_else(|| {
                    subjects
                        .iter()
                        .rfind(|(p, _)| *p < off + it.fig.start)
                        .map(|(_, s)| s.clone())
                })
                .or_else(|| ctx.subject.clone());
            out.push(fact(doc, pats, ctx, joined, it, s, e, subject));
        }
        prev_sentence = items;
    }
}

/// The sub-fund each section is about (`八、政府性基金预算财政拨款收入支出决算
/// 情况说明`), by index: its own title's, else its parent's. Its figures are that
/// fund's unless their sentence names another sub-fund. The unit's own scope is
/// the default anyway, so it is `None`.
fn section_scopes<'m>(doc: &Doc, m: &'m Metrics) -> Vec<Option<&'m str>> {
    let mut out: Vec<Option<&str>> = Vec::with_capacity(doc.sections.len());
    for s in &doc.sections {
        let own = scope_named(m, &normalize_label(&s.title, &m.rewrites));
        let scope = match own {
            Some(x) => Some(x).filter(|&x| x != "unit"),
            None => s
                .parent
                .and_then(|p| out.get(p as usize - 1).copied())
                .flatten(),
        };
        out.push(scope);
    }
    out
}

/// The sub-fund scope of the section a paragraph starting at `a` is in.
fn section_scope<'m>(
    doc: &Doc,
    scopes: &[Option<&'m str>],
    joined: &MappedText,
    a: usize,
) -> Option<&'m str> {
    if scopes.iter().all(Option::is_none) {
        return None;
    }
    let end = joined.as_str()[a..]
        .chars()
        .next()
        .map_or(a, |c| a + c.len_utf8());
    let span = doc.norm.mapped_span(joined, a, end);
    let id = section_at(&doc.sections, span)?;
    scopes.get(id as usize - 1).copied().flatten()
}

/// Most chars of a topic sentence ([`topic_of`]).
const MAX_TOPIC_CHARS: usize = 24;

/// A sentence that only names a money metric (`1.公务接待费。`): its words, for the
/// filler labels of the next sentence (`2022年预算4.6万元`).
fn topic_of(m: &Metrics, sentence: &str, after_marker: bool) -> Option<String> {
    // Most sentences are neither short nor numbered: decide that before normalising.
    let raw = sentence.trim_start();
    let numbered = raw
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || is_numeral_char(c) || matches!(c, '(' | '（'));
    if !(numbered || after_marker) || raw.chars().count() > 2 * MAX_TOPIC_CHARS {
        return None;
    }
    let t = normalize_label(sentence, &m.rewrites);
    // Numbered like a heading (`1.`, `（三）`): not a sentence of the text
    // (`主要用于：…等的基本支出。`).
    let bare = t.trim_start_matches(['(', '（']);
    let marked = bare
        .chars()
        .take_while(|&c| c.is_ascii_digit() || is_numeral_char(c))
        .count()
        > 0
        || after_marker;
    let t = bare
        .trim_start_matches(|c: char| c.is_ascii_digit() || is_numeral_char(c) || is_trim(c))
        .trim_matches(is_trim);
    if !marked || t.is_empty() || t.chars().count() > MAX_TOPIC_CHARS {
        return None;
    }
    let q = Query {
        label: t,
        after: "",
        context: t,
        unit: Unit::Cny,
        unit_word: None,
        scope: "unit",
    };
    matches!(find_metric(m, &q), Found::One(_)).then(|| t.to_string())
}

/// Longest sentence read as one, in bytes. Real sentences are far shorter; a longer
/// one (a file with no sentence ends) is cut at clause ends so work stays linear.
const MAX_SENTENCE: usize = 4096;

/// Unicode sentences, with overlong ones cut at clause ends (`；`, `，`) near
/// [`MAX_SENTENCE`], or at a char boundary when there is none.
fn bounded_sentences(para: &str) -> Vec<(usize, &str)> {
    let mut out = vec![];
    for (off, sentence) in para.split_sentence_bound_indices() {
        let mut start = 0;
        while sentence.len() - start > MAX_SENTENCE {
            let window = &sentence[start..];
            let mut cut = MAX_SENTENCE;
            while !window.is_char_boundary(cut) {
                cut -= 1;
            }
            let cut = window[..cut]
                .rfind(['；', ';', '，', ','])
                .map(|k| k + window[k..].chars().next().map_or(1, char::len_utf8))
                .filter(|&k| k > MAX_SENTENCE / 2)
                .unwrap_or(cut);
            out.push((off + start, &window[..cut]));
            start += cut;
        }
        out.push((off + start, &sentence[start..]));
    }
    out
}

/// The last [`PREFIX_WINDOW`] bytes (on a char boundary) of `s`: what came before a
/// figure in its sentence, as far as labels and scopes reach back.
const PREFIX_WINDOW: usize = 600;

fn tail(s: &str) -> &str {
    let mut k = s.len().saturating_sub(PREFIX_WINDOW);
    while !s.is_char_boundary(k) {
        k += 1;
    }
    &s[k..]
}

/// A sentence that is only a list marker (`1.`): it does not separate sentences.
fn is_marker(s: &str) -> bool {
    let t = s.trim();
    t.chars().count() <= 4 && t.chars().any(|c| c.is_ascii_digit() || is_numeral_char(c))
}

/// A bracketed aside without figures right after a figure (`4.12万元（全部为车辆运行
/// 维护支出）`): it annotates that figure, so its words name no later figure.
fn aside_after(s: &str, end: usize) -> Option<(usize, usize)> {
    let rest = s.get(end..)?;
    let open = rest.chars().next().filter(|c| matches!(c, '(' | '（'))?;
    let body = &rest[open.len_utf8()..];
    let close = body.find([')', '）'])?;
    let inner = &body[..close];
    if inner
        .chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '(' | '（'))
    {
        return None;
    }
    let stop = end + open.len_utf8() + close + body[close..].chars().next()?.len_utf8();
    Some((end, stop))
}

/// `s` without the byte ranges `cut` (sorted, within `s` or past its end).
fn without(s: &str, cut: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for &(a, b) in cut {
        if a >= s.len() {
            break;
        }
        out.push_str(&s[at.min(a)..a]);
        at = b.min(s.len());
    }
    out.push_str(&s[at..]);
    out
}

/// Figures with a unit in one sentence, with their label wording.
fn scan<'r>(s: &str, pats: &'r PatternSet) -> Vec<Item<'r>> {
    let units = &pats.units;
    let m = &pats.metrics;
    let mut items: Vec<Item> = vec![];
    let mut prev_end = 0;
    // Figure-free asides right after a figure: they speak of it, not of the next.
    let mut asides: Vec<(usize, usize)> = vec![];
    let mut i = 0;
    while i < s.len() {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let before = s[..i].chars().next_back();
        let glued =
            before.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == '_' || p == '第');
        if !glued && starts_figure(&s[i..], units) {
            if let Some(f) = read_figure(s, i, units) {
                let next = f.end.max(i + c.len_utf8());
                if keep(&f, s, units) {
                    let own_start =
                        s[prev_end..f.start]
                            .rfind(is_delimiter)
                            .map_or(prev_end, |k| {
                                prev_end
                                    + k
                                    + s[prev_end + k..].chars().next().map_or(1, char::len_utf8)
                            });
                    let clause = &s[own_start..f.start];
                    // `如下:会务组织费30万`: after a colon the item names the figure,
                    // unless only filler follows it (`自评结论:95分`).
                    let own_raw = match clause.rfind([':', '：']) {
                        Some(k) => {
                            let tail = &clause[k..];
                            let tail = &tail[tail.chars().next().map_or(0, char::len_utf8)..];
                            let t = normalize_label(tail, &m.rewrites);
                            let t = t.trim_matches(is_trim);
                            if t.is_empty() || is_filler(m, t) {
                                clause
                            } else {
                                tail
                            }
                        }
                        None => clause,
                    };
                    let after_end = s[f.end..].find(is_delimiter).map_or(s.len(), |k| f.end + k);
                    let after = normalize_label(&s[f.end..after_end], &m.rewrites);
                    let own = normalize_label(own_raw, &m.rewrites)
                        .trim_matches(is_trim)
                        .to_string();
                    let prefix = if asides.is_empty() {
                        normalize_label(tail(&s[..f.start]), &m.rewrites)
                    } else {
                        normalize_label(tail(&without(&s[..f.start], &asides)), &m.rewrites)
                    };
                    let scope = scope_at(m, &prefix).to_string();
                    let approx_before = units.approx_ending(own_raw.trim_end()).is_some();
                    let approx = f.approx || approx_before;
                    // A figure in brackets is an aside (`工作人员（50人）`).
                    let aside = own_raw.trim_end().ends_with(['(', '（']);
                    let blocked = approx
                        || aside
                        || f.value_max.is_some()
                        || f.points
                        || ends_with_op(own_raw);
                    let listed = !items.is_empty()
                        && own_start == prev_end
                        && clause.trim_start().starts_with('、');
                    // With every word between (`共完成15个项目的绩效自评，涉及资金`).
                    let context = match items.last() {
                        Some(p) => format!(
                            "{}{}",
                            p.own,
                            normalize_label(&s[prev_end..f.start], &m.rewrites)
                        ),
                        None => own.clone(),
                    };
                    items.push(Item {
                        own,
                        context,
                        after,
                        prefix,
                        scope,
                        metric: None,
                        label: None,
                        rule: f.unit_rule.clone().unwrap_or_default(),
                        filler: false,
                        blocked,
                        approx,
                        excluded: false,
                        listed,
                        basis: None,
                        named: false,
                        named_at: None,
                        item: None,
                        fig: f,
                    });
                    prev_end = items.last().map_or(prev_end, |x| x.fig.end);
                    asides.extend(aside_after(s, prev_end));
                }
                i = next;
                continue;
            }
        }
        i += c.len_utf8();
    }
    items
}

/// Is this a figure worth a fact? It needs a unit; a single Chinese numeral
/// character only counts for money, rates and the unit words marked
/// `counts_one_numeral` (`五辆`) or right after a word of the unit's
/// `counts_one_numeral_after` (`退休人员九人`), not in prose (`一个`, `两委`).
fn keep(f: &Figure, s: &str, units: &Units) -> bool {
    let Some(unit) = f.unit else {
        return false;
    };
    if f.chinese {
        let n = s[f.start..]
            .chars()
            .take_while(|&c| is_numeral_char(c))
            .count();
        let before = &s[..f.start];
        let counted = f.unit_rule.as_deref().is_some_and(|id| {
            units.words.iter().any(|w| {
                w.id == id
                    && (w.counts_one_numeral
                        || w.counts_one_numeral_after
                            .iter()
                            .any(|a| before.ends_with(a.as_str())))
            })
        });
        if n < 2 && !matches!(unit, Unit::Cny | Unit::Percent) && !counted {
            return false;
        }
    }
    true
}

fn query<'a>(it: &'a Item, label: &'a str) -> Query<'a> {
    Query {
        label,
        after: &it.after,
        context: &it.context,
        unit: it.fig.unit.unwrap_or(Unit::Count),
        unit_word: it.fig.unit_word.as_deref(),
        scope: &it.scope,
    }
}

/// Decide the metric of every figure of a sentence, in order.
fn decide<'r>(m: &'r Metrics, ctx: &Context, items: &mut [Item<'r>], prev_sentence: &[Item<'r>]) {
    for k in 0..items.len() {
        let (done, rest) = items.split_at_mut(k);
        let it = &mut rest[0];
        let unit = it.fig.unit.unwrap_or(Unit::Count);
        let clause = it.prefix.rsplit([';', '；']).next().unwrap_or("");
        if let Some(x) = find_exclusion(m, &it.own, &it.after, &it.context, clause, unit) {
            // A project's own figure after its funds (`named_after`).
            let instead = x.named_after.as_ref().filter(|(after, _)| {
                it.named
                    && done
                        .last()
                        .and_then(|p| p.metric)
                        .is_some_and(|r| &r.metric == after)
            });
            match instead.and_then(|(_, to)| m.rules.iter().find(|r| &r.metric == to)) {
                Some(r) => {
                    it.label = Some(it.own.clone()).filter(|w| !w.is_empty());
                    it.metric = Some(r);
                    it.rule = x.id.clone();
                    it.blocked = true;
                }
                None => {
                    it.rule = x.id.clone();
                    it.blocked = true;
                    it.excluded = true;
                }
            }
        }
        // The items of a `、` list share the first one's exclusion
        // (`上级追加…奖补资金214万元、…专项资金72.5万元`).
        if let Some(p) = done
            .last()
            .filter(|p| it.listed && p.excluded && !it.blocked)
        {
            it.rule = p.rule.clone();
            it.blocked = true;
            it.excluded = true;
        }
        if it.blocked {
            continue;
        }
        match find_metric(m, &query(it, &it.own)) {
            Found::One(h) => {
                it.label = Some(h.words(&it.own).to_string()).filter(|w| !w.is_empty());
                if it.label.is_none() {
                    it.label = Some(format!("{}{}", it.own, it.after)).filter(|w| !w.is_empty());
                }
                it.metric = Some(h.rule);
                it.rule = h.rule.id.clone();
                continue;
            }
            Found::Ambiguous => continue,
            Found::None => {}
        }
        // An item's own words after its heading count (`（1）学生膳食补助：年初预算`).
        let words = own_words(m, ctx, &it.own).to_string();
        if !is_filler(m, &words) {
            continue;
        }
        it.filler = true;
        // The previous figure of the sentence with a compatible unit: when it has
        // no metric, neither has this one (`接待外宾0批次、0人次`).
        let prev = done
            .iter()
            .rev()
            .filter(|p| !p.blocked)
            .find(|p| p.fig.unit.is_some_and(|u| unit_compatible(u, unit)));
        // After an addend (`加上年初结转和结余46.20万元，全年预算数为…`) it is a sum: it
        // repeats nothing, its own words alone may name it.
        let after_addend = prev.is_some_and(|p| m.addend.is_match(&p.own));
        if prev.is_some_and(|p| p.metric.is_none()) {
            // Unless its own words alone say it (`…上年结转资金150万元，全年预算数
            // 1862.5万元`).
            if let Some(h) = find_alone(m, &ctx.alone, &query(it, &words), it.named) {
                it.label = Some(it.own.clone()).filter(|w| !w.is_empty());
                it.metric = Some(h.rule);
                it.rule = h.rule.id.clone();
            }
            continue;
        }
        let found = if after_addend {
            Found::None
        } else {
            find_metric(m, &query(it, &it.prefix))
        };
        if let Found::One(h) = found {
            let h = closed_list_head(m, it, h);
            // A share between a figure and its change (`基本支出1018.39万元，占支出合计
            // 的78.91%，比上年增加42.15万元`): the change is the figure's, not the
            // share's whole — unless it is an increase the figure cannot hold
            // (`项目支出0万元，占整体支出0%，较上年增加34万元`).
            let increase = || {
                m.change
                    .iter()
                    .any(|c| c.sign > 0 && c.re.is_match(&it.own))
            };
            // Likewise a figure whose own words named it after those metric words
            // (`政府性基金…收入1420.00万元，支出1385.00万元，较上年减少265.00万元`).
            let named_after = || {
                let last = done.last()?;
                let between = it.prefix.get(h.end..)?;
                (!last.blocked
                    && !last.filler
                    && last.fig.unit.is_some_and(|u| unit_compatible(u, unit))
                    && between.chars().any(|c| c.is_ascii_digit()))
                .then_some(last)
            };
            let figure = before_share(done, unit)
                .filter(|p| !(increase() && it.fig.value > p.fig.value))
                .or_else(named_after)
                .and_then(|p| p.metric.map(|r| (r, p.label.clone())))
                .filter(|(r, _)| r.id != h.rule.id && rule_accepts(r, &query(it, &it.own)));
            match figure {
                Some((r, label)) => inherit(it, r, label.as_deref()),
                None => {
                    let words = h.words(&it.prefix).to_string();
                    inherit(it, h.rule, Some(&words));
                }
            }
            continue;
        }
        if let Some(r) = prev.filter(|_| !after_addend).and_then(|p| p.metric) {
            if rule_accepts(r, &query(it, &it.own)) {
                inherit(it, r, prev.and_then(|p| p.label.as_deref()));
                continue;
            }
        }
        // `与上年相比，增加37.31万元`: the previous sentence's figure.
        if prev.is_none() && is_filler(m, it.prefix.trim_matches(is_trim)) {
            if let Some(p) = prev_sentence
                .iter()
                .rev()
                .filter(|p| !p.blocked)
                .find(|p| p.fig.unit.is_some_and(|u| unit_compatible(u, unit)))
            {
                // Not a figure stated on the same basis as it (`收支总计47632.51万元。
                // 全年实际支出47396.84万元`): that is another figure.
                let own = stated_basis(m, &it.own, None, ctx.year);
                let same = own.is_some_and(|(b, _)| b != Basis::Change)
                    && own.map(|(b, _)| b) == p.basis.map(|(b, _)| b);
                if let Some(r) = p.metric.filter(|_| !same) {
                    if rule_accepts(r, &query(it, &it.own)) {
                        inherit(it, r, p.label.as_deref());
                    }
                }
            }
        }
        // Nothing to repeat: the wording alone may still say it
        // (`全年预算数为686.50万元` of a unit's whole-year funds).
        if it.metric.is_none() && (prev.is_none() || after_addend) {
            if let Some(h) = find_alone(m, &ctx.alone, &query(it, &words), it.named) {
                it.label = Some(it.own.clone()).filter(|w| !w.is_empty());
                it.metric = Some(h.rule);
                it.rule = h.rule.id.clone();
            }
        }
    }
}

/// A figure's own words after its item heading; in a project's own report,
/// without the project's name between filler words (`2023年就业补助资金年初预算`
/// → `年初预算`).
fn own_words<'a>(m: &Metrics, ctx: &Context, own: &'a str) -> &'a str {
    let own = after_item(own);
    let project = ctx
        .subject
        .as_deref()
        .map(|s| s.trim_end_matches("项目"))
        .filter(|s| s.chars().count() >= 4);
    let Some((k, p)) = project.and_then(|p| own.find(p).map(|k| (k, p))) else {
        return own;
    };
    let rest = own[k + p.len()..].trim_start_matches("项目");
    if !rest.is_empty() && is_filler(m, &own[..k]) && is_filler(m, rest) {
        rest
    } else {
        own
    }
}

/// A figure's own words after the item that heads them (`（1）学生膳食补助：年初预算`
/// → `年初预算`): the words after the last colon, when there are any.
fn after_item(own: &str) -> &str {
    match own.rfind([':', '：']) {
        Some(i) if !own[i..].chars().skip(1).all(is_trim) => {
            own[i..].trim_start_matches([':', '：'])
        }
        _ => own,
    }
}

/// The figure just before one or more shares (`占支出合计的78.91%`) that end `done`,
/// when its unit is compatible with `unit`.
fn before_share<'a, 'r>(done: &'a [Item<'r>], unit: Unit) -> Option<&'a Item<'r>> {
    let shares = done
        .iter()
        .rev()
        .take_while(|p| p.excluded && p.fig.unit == Some(Unit::Percent))
        .count();
    if shares == 0 || unit == Unit::Percent {
        return None;
    }
    done.iter()
        .rev()
        .nth(shares)
        .filter(|p| !p.blocked && p.fig.unit.is_some_and(|u| unit_compatible(u, unit)))
}

fn is_money(it: &Item) -> bool {
    it.metric
        .map_or(it.fig.unit == Some(Unit::Cny), |r| r.unit == Unit::Cny)
}

/// The figure a `其中` list breaks down: in the same sentence, or in the one before
/// when the sentence opens with `其中`.
#[derive(Debug, Clone, Copy)]
enum Head {
    Here(usize),
    Prev(usize),
}

fn head_item<'a, 'r>(items: &'a [Item<'r>], prev: &'a [Item<'r>], h: Head) -> &'a Item<'r> {
    match h {
        Head::Here(j) => &items[j],
        Head::Prev(j) => &prev[j],
    }
}

/// For each figure of a sentence, its [`Head`]: the last figure of a compatible
/// unit before the `其中`, while no `；` has ended the list
/// (`核定编制98名，其中行政编制25名、事业编制73名`: 98 for 25 and 73). A list opened
/// with `其中：` runs to the sentence's end, its items between `；`, unless a clause
/// opens with an addend (`；加上年初结转和结余…`): that adds to the total. A
/// `其中` list inside it (`其中：财政拨款收入…，其中政府性基金…；事业收入…`) ends at
/// the next `；`, and the outer list goes on.
fn heads(m: &Metrics, sentence: &str, items: &[Item], prev: &[Item]) -> Vec<Option<Head>> {
    let mut out = Vec::with_capacity(items.len());
    let (mut list_start, mut prev_end, mut colon) = (None::<usize>, 0, false);
    let mut outer: Option<usize> = None;
    for (k, it) in items.iter().enumerate() {
        let gap = &sentence[prev_end.min(it.fig.start)..it.fig.start];
        let clause = gap.rsplit([';', '；']).next().unwrap_or(gap);
        if let Some(q) = clause.find("其中") {
            let opens = clause[q + "其中".len()..].starts_with([':', '：']);
            outer = list_start.filter(|_| colon && !opens);
            list_start = Some(k);
            // `其中：A…；B…；C…` separates its items with `；`.
            colon = opens;
        } else if clause.len() < gap.len()
            && (!colon || m.addend.is_match(clause.trim_start_matches(is_trim)))
        {
            list_start = outer.take();
            colon = list_start.is_some();
        }
        let unit = it.fig.unit.unwrap_or(Unit::Count);
        let fits = |h: &Item| h.fig.unit.is_some_and(|u| unit_compatible(u, unit));
        out.push(list_start.and_then(|s| match s {
            0 => prev.iter().rposition(fits).map(Head::Prev),
            _ => items[..s].iter().rposition(fits).map(Head::Here),
        }));
        prev_end = it.fig.end;
    }
    out
}

/// The items of a `其中` list are in their total's fund scope unless their own words
/// name one: `其中：…政府性基金预算财政拨款收入0.5万元，…其他收入8.65万元` — the
/// 其他收入 is the unit's, not the fund's.
fn list_scopes(m: &Metrics, items: &mut [Item], heads: &[Option<Head>], prev: &[Item]) {
    for k in 0..items.len() {
        let Some(h) = heads[k] else { continue };
        if m.scopes.iter().any(|r| r.re.is_match(&items[k].own)) {
            continue;
        }
        // A filler label goes on with the item before (`政府性基金预算拨款收入0万元，
        // 支出0万元`).
        let scope = match k.checked_sub(1) {
            Some(p) if heads[p].is_some() && is_filler(m, items[k].own.trim_matches(is_trim)) => {
                items[p].scope.clone()
            }
            _ => head_item(items, prev, h).scope.clone(),
        };
        items[k].scope = scope;
    }
}

/// A total renamed by what its `其中` list holds (`[[total_with_part]]`): `收入预算
/// 2564.35万元，其中：本年收入2444.05万元，上年结转结余120.30万元` is the grand total.
fn totals_by_their_parts<'r>(
    m: &'r Metrics,
    ctx: &Context,
    items: &mut [Item<'r>],
    heads: &[Option<Head>],
) {
    for (i, rule) in m.totals_with_part.iter().enumerate() {
        if ctx.totals_away.contains(&i) {
            continue;
        }
        for h in 0..items.len() {
            if items[h].metric.is_none_or(|r| r.metric != rule.metric) {
                continue;
            }
            let under = |k: usize| matches!(heads[k], Some(Head::Here(x)) if x == h);
            // Items listed after parts that already sum to the total are no parts
            // (`收入合计2618.45万元，其中：财政拨款收入2596.25万元，其他收入22.20万元；
            // 年初结转和结余46.30万元`).
            let summed_before = |k: usize| {
                let parts: Vec<&Item> = (0..k).filter(|&p| under(p)).map(|p| &items[p]).collect();
                parts.len() >= 2
                    && parts.iter().all(|p| p.fig.unit == items[h].fig.unit)
                    && parts
                        .iter()
                        .map(|p| p.fig.value)
                        .sum::<rust_decimal::Decimal>()
                        == items[h].fig.value
            };
            let has_part = (0..items.len()).any(|k| {
                under(k)
                    && items[k].metric.is_some_and(|r| r.metric == rule.part)
                    && !summed_before(k)
            });
            if let (true, Some(to)) = (has_part, m.rules.iter().find(|r| r.metric == rule.becomes))
            {
                items[h].metric = Some(to);
                items[h].rule = rule.id.clone();
            }
        }
    }
}

/// A part named by the same metric as its total (`离退休人员46人，其中…退休人员45人`)
/// is not that metric.
fn drop_parts_named_as_total(
    m: &Metrics,
    items: &mut [Item],
    heads: &[Option<Head>],
    prev: &[Item],
) {
    for k in 0..items.len() {
        let Some(h) = heads[k] else { continue };
        // The total's change, not a part (`其中:…其他收入35万元;收入预算比上年增加
        // 312.45万元`).
        if find_change(m, &items[k].own).is_some() {
            continue;
        }
        let same = match (head_item(items, prev, h).metric, items[k].metric) {
            (Some(a), Some(b)) => a.metric == b.metric,
            _ => false,
        };
        if same && !items[k].filler {
            unset_metric(&mut items[k]);
        }
    }
}

/// Parts listed before their total (`行政编制21名、事业编制9名，合计编制30名`): a
/// figure whose label opens with 合计/共计/总计 is the metric; earlier figures of
/// the same metric in the sentence are its parts.
fn drop_parts_before_total(items: &mut [Item]) {
    for k in 1..items.len() {
        let Some(r) = items[k].metric else { continue };
        if !["合计", "共计", "总计"]
            .iter()
            .any(|w| items[k].own.starts_with(w))
        {
            continue;
        }
        for it in items[..k].iter_mut() {
            if it.metric.is_some_and(|p| p.metric == r.metric) && !it.filler {
                unset_metric(it);
            }
        }
    }
}

fn unset_metric(it: &mut Item) {
    it.metric = None;
    it.label = None;
    it.rule = it.fig.unit_rule.clone().unwrap_or_default();
}

fn is_budget(b: &(Basis, i32)) -> bool {
    matches!(
        b.0,
        Basis::BudgetInitial | Basis::BudgetFinal | Basis::Budget
    )
}

/// The basis of each money figure of a sentence.
///
/// A figure whose words name none takes the document's default, except the parts
/// of a budget figure: those in its `其中` list
/// (`年初预算6285.46万元，其中：财政拨款收入6230.46万元，其他收入55万元`) and the next
/// item of a `、` list (`年初预算安排基本支出2045.3万元、项目支出4240.16万元`) are
/// that budget too.
fn money_bases(
    m: &Metrics,
    ctx: &Context,
    sentence: &str,
    items: &mut [Item],
    heads: &[Option<Head>],
    prev_sentence: &[Item],
) {
    let mut prev: Option<usize> = None;
    for k in 0..items.len() {
        if !is_money(&items[k]) {
            continue;
        }
        let it = &items[k];
        let listed = prev
            .filter(|&p| {
                sentence[items[p].fig.end.min(it.fig.start)..it.fig.start]
                    .trim_start_matches(' ')
                    .starts_with('、')
            })
            .map(Head::Here);
        let inherited = listed
            .or(heads[k])
            .and_then(|h| head_item(items, prev_sentence, h).basis)
            .filter(is_budget)
            .map(|(b, _)| (b, 1));
        let b = stated_basis(m, &it.own, it.metric, ctx.year)
            .or(inherited)
            .unwrap_or((ctx.default_basis, 1));
        items[k].basis = Some(b);
        prev = Some(k);
    }
}

/// Rates whose rule has `not_against`, read against a part or a named sub-fund
/// (`其他资金全年预算111.12万元，执行87.48万元，执行率78.73%`), name no metric. A
/// rate is read against the last budget figure before it that is no part, else the
/// last money figure, since the previous rate.
/// The score right after a scale below 100 in its sentence (`满分15分，评价得分
/// 11.3分`) is one part's, not the evaluation's result.
fn part_scores(m: &Metrics, items: &mut [Item]) {
    let hundred = rust_decimal::Decimal::from(100);
    let mut part = false;
    for it in items.iter_mut() {
        if it.fig.unit == Some(Unit::Score)
            && m.score_scale.is_match(&it.own)
            && it.fig.value < hundred
        {
            part = true;
        } else if part && it.fig.unit == Some(Unit::Score) {
            // Only the score right after the scale: a later one may be the whole
            // (`…分值30分，得分29分；综合得分95分`).
            if it.metric.is_some_and(|r| r.unit == Unit::Score) {
                unset_metric(it);
            }
            part = false;
        }
    }
}

fn veto_rates(items: &mut [Item], heads: &[Option<Head>]) {
    for k in 0..items.len() {
        let Some(re) = items[k].metric.and_then(|r| r.not_against.as_ref()) else {
            continue;
        };
        let since = items[..k]
            .iter()
            .rposition(|p| p.fig.unit == Some(Unit::Percent))
            .map_or(0, |p| p + 1);
        let mut money = (since..k).filter(|&j| items[j].basis.is_some());
        let against = money
            .clone()
            .rfind(|&j| heads[j].is_none() && items[j].basis.as_ref().is_some_and(is_budget))
            .or(money.next_back());
        // A part of a list of projects (`其中，村级组织运转经费项目全年预算数…，预算执行率
        // 100%`) is that project's whole.
        let project = |j: usize| {
            let after = match heads[j] {
                Some(Head::Here(x)) => items[x].fig.end,
                _ => 0,
            };
            items[j].named_at.is_some_and(|s| s >= after)
        };
        if against
            .is_some_and(|j| (heads[j].is_some() && !project(j)) || re.is_match(&items[j].own))
        {
            unset_metric(&mut items[k]);
        }
    }
}

/// Metric words inside a `其中` list that a `;` has closed name a part, not what a
/// later filler figure is about: that is the list's head (`整体支出年初预算3,862.15
/// 万元,其中基本支出…、项目支出2,805.35万元;…调整后全年预算数为5,247.68万元`).
fn closed_list_head<'r>(m: &'r Metrics, it: &Item, h: Hit<'r>) -> Hit<'r> {
    let p = it.prefix.as_str();
    let (Some(before), Some(between)) = (p.get(..h.start), p.get(h.end..)) else {
        return h;
    };
    if !between.contains(';') {
        return h;
    }
    let Some(q) = before.rfind("其中").filter(|&q| !before[q..].contains(';')) else {
        return h;
    };
    match find_metric(m, &query(it, &before[..q])) {
        Found::One(head) => head,
        _ => h,
    }
}

fn inherit<'r>(it: &mut Item<'r>, rule: &'r MetricRule, from: Option<&str>) {
    it.metric = Some(rule);
    it.rule = rule.id.clone();
    it.label = Some(match (from, it.own.is_empty()) {
        (Some(f), false) => format!("{f}…{}", it.own),
        (Some(f), true) => f.to_string(),
        (None, _) => it.own.clone(),
    });
}

#[allow(clippy::too_many_arguments)]
fn fact(
    doc: &Doc,
    pats: &PatternSet,
    ctx: &Context,
    joined: &MappedText,
    it: &Item,
    s: usize,
    e: usize,
    subject: Option<String>,
) -> Fact {
    let m = &pats.metrics;
    let fig_unit = it.fig.unit.unwrap_or(Unit::Count);
    let mut metric = it.metric;
    let mut value = it.fig.value;
    let mut basis = None;
    if let Some((b, sign)) = it.basis {
        basis = Some(b);
        if sign < 0 {
            value = -value;
        }
    }
    match metric {
        Some(r) if r.unit == Unit::Cny => {}
        // A change in a count or a rate is not the count or the rate.
        Some(_) if find_change(m, &it.own).is_some() && !it.filler => metric = None,
        Some(_) => {}
        None if it.basis.is_none() && it.fig.points => {
            if let Some((sign, _)) = find_change(m, &it.own) {
                basis = Some(Basis::Change);
                if sign < 0 {
                    value = -value;
                }
            }
        }
        None => {}
    }
    let unit = metric.map_or(fig_unit, |r| r.unit);
    let label = if metric.is_some() {
        it.label.clone()
    } else {
        Some(it.own.clone()).filter(|l| !l.is_empty())
    };
    let span = doc.norm.mapped_span(joined, s, e);
    Fact {
        metric: metric.map(|r| r.metric.clone()),
        basis,
        subject,
        value: value.normalize(),
        unit,
        raw: doc.norm.mapped_source_slice(joined, s, e).to_string(),
        label,
        period: ctx.period(basis),
        source: FactSource::Text,
        section_id: section_at(&doc.sections, span),
        table_id: None,
        span,
        // A listed item's metric comes from the list's rule.
        rule: match metric {
            Some(r) if it.item.is_none() => r.id.clone(),
            _ => it.rule.clone(),
        },
        approx: it.approx,
        value_max: it.fig.value_max.map(|v| v.normalize()),
    }
}

#[cfg(test)]
mod tests {
    use super::{bounded_sentences, MAX_SENTENCE};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use crate::model::{Basis, Fact};
    use crate::{extract, Outcome};

    fn facts(text: &str) -> Vec<Fact> {
        match extract("t.txt", text.as_bytes(), crate::patterns::test_set()) {
            Outcome::Extracted(d) => d.facts,
            Outcome::Failed(f) => panic!("{}", f.error),
        }
    }

    fn find<'a>(fs: &'a [Fact], raw: &str) -> &'a Fact {
        fs.iter()
            .find(|f| f.raw == raw)
            .unwrap_or_else(|| panic!("no fact {raw:?} in {fs:#?}"))
    }

    fn key(f: &Fact) -> (Option<&str>, Option<Basis>, Decimal) {
        (f.metric.as_deref(), f.basis, f.value)
    }

    /// Regressions: in a numbered list of projects, the filler-labelled figures
    /// after an item's first one were the unit's (`决算支出183.20万元`); money
    /// `下达` to a project is budget; a clause on money added in the year
    /// (`年中追加…专项资金后全年预算`) cut the figure from its sentence's metric;
    /// a change of head count (`新增退休人员2人`) read as the count.
    #[test]
    fn items_of_a_project_list_and_added_money() {
        let fs = facts("某县水务局2023年度部门整体支出绩效自评报告\n一、项目支出情况\n2023年项目支出全年预算951.60万元，决算支出918.23万元。主要项目支出如下：\n1.农村供水工程维修养护：全年预算186.50万元，决算支出183.20万元，完成维修41处。\n2.小型水库除险加固：年中下达补助资金624.30万元，决算支出598.72万元。\n二、整体支出\n2024年度部门整体支出年初预算1286.40万元，年中追加上级优抚、安置等专项资金后全年预算3915.62万元；全年执行3842.17万元。年中新增退休人员2人。\n");
        for (raw, budget) in [
            ("186.50万元", true),
            ("183.20万元", false),
            ("624.30万元", true),
            ("598.72万元", false),
        ] {
            let f = find(&fs, raw);
            assert_eq!(f.metric.as_deref(), Some("expenditure.project"), "{raw}");
            let is_budget = matches!(
                f.basis,
                Some(Basis::Budget | Basis::BudgetFinal | Basis::BudgetInitial)
            );
            assert_eq!(is_budget, budget, "{raw}: {:?}", f.basis);
            assert_eq!(f.basis == Some(Basis::Actual), !budget, "{raw}");
            assert!(f.subject.is_some(), "{raw}");
        }
        assert_eq!(
            find(&fs, "183.20万元").subject.as_deref(),
            Some("农村供水工程维修养护")
        );
        for raw in ["3915.62万元", "3842.17万元"] {
            assert_eq!(
                find(&fs, raw).metric.as_deref(),
                Some("expenditure.total"),
                "{raw}"
            );
        }
        assert_eq!(find(&fs, "2人").metric, None);
    }

    /// Regression: the 执行 wording of a run-in heading's line (`（一）预算执行
    /// 情况。…全年执行数…`) did not count as the report's, so its whole-year
    /// figures were read as spending.
    #[test]
    fn execution_wording_in_a_run_in_heading() {
        let fs = facts("某县某镇人民政府2022年度部门整体支出绩效自评报告\n一、部门概况\n本镇内设机构5个。\n二、部门整体支出绩效情况\n（一）预算执行情况。2022年我镇部门预算年初批复数1626.80万元，全年预算数2008.56万元，全年执行数1982.20万元，预算执行率98.69%。\n");
        for raw in ["2008.56万元", "1982.20万元"] {
            assert_eq!(
                find(&fs, raw).metric.as_deref(),
                Some("funds.annual"),
                "{raw}"
            );
        }
    }

    /// Regression: a project's report bundled after its department's, its title
    /// wrapped over two lines at a page's top, was read as the department's.
    #[test]
    fn a_bundled_project_report_after_a_page_break() {
        let fs = facts("某县民政局\n2023年度部门整体支出绩效自评报告\n一、部门基本情况\n本部门全年支出100.00万元。\n二、绩效目标\n完成救助任务。\n三、自评结论\n自评得分95分。\n四、问题\n无。\n\n\n                — 3 —\n\u{c}      2023年度特困人员救助供养资金项目\n             支出绩效自评报告\n  一、项目概况\n  特困人员救助供养资金年初预算1,860.00万元，年中追加后全年预算2,326.80万元。\n");
        let f = find(&fs, "1,860.00万元");
        assert_eq!(f.metric.as_deref(), Some("funds.annual"));
        assert_eq!(f.subject.as_deref(), Some("特困人员救助供养资金项目"));
        assert_eq!(
            find(&fs, "2,326.80万元").metric.as_deref(),
            Some("funds.annual")
        );
    }

    /// Regression: a fund named inside brackets (`（其中政府性基金预算财政拨款收入…）`)
    /// kept the figures after the brackets in its scope.
    #[test]
    fn a_fund_in_closed_brackets_scopes_nothing_after() {
        let fs = facts("某县某局2024年度部门整体支出绩效自评报告\n本年收入中，财政拨款收入171,236,805.12元，占91.84%（其中政府性基金预算财政拨款收入1,250,000.00元）；事业收入12,580,406.30元，占6.75%；其他收入2,635,106.04元，占1.41%。\n");
        assert_eq!(
            find(&fs, "2,635,106.04元").metric.as_deref(),
            Some("income.other")
        );
        assert_eq!(
            find(&fs, "1,250,000.00元").metric.as_deref(),
            Some("gov_fund.income")
        );
    }

    /// Regression: the 政府性基金 part of a 财政拨款收入 listed after another fund's
    /// named nothing.
    #[test]
    fn a_funds_part_listed_in_fiscal_income() {
        let fs = facts("某县某局2023年度部门整体支出绩效自评报告\n2023年度本部门本年收入合计46351.27万元，其中：财政拨款收入45902.63万元（一般公共预算财政拨款45282.63万元、政府性基金预算财政拨款620.00万元），其他收入136.24万元。\n");
        let f = find(&fs, "620.00万元");
        assert_eq!(f.metric.as_deref(), Some("gov_fund.income"));
    }

    /// Regression: a project's report after a 基础数据表 in one file was read
    /// under the table's title: its bare budget words named nothing.
    #[test]
    fn a_report_further_down_sets_what_follows() {
        let fs = facts("某县2023年度部门整体支出绩效评价基础数据表\n\n填报单位：某某县人力资源和社会保障局\n\n说明\n\n\n\n\n\n\n\n**某某县人力资源和社会保障局2023年度就业补助资金项目支出绩效自评报告**\n\n2023年就业补助资金年初预算1200.00万元，全年实际支出1802.16万元。\n");
        let f = find(&fs, "1200.00万元");
        assert_eq!(f.metric.as_deref(), Some("funds.annual"));
        assert_eq!(f.subject.as_deref(), Some("就业补助资金项目"));
    }

    /// Regression: a change after a share (`占支出合计的78.91%`) went to the share's
    /// whole; an increase larger than the figure still does.
    #[test]
    fn change_after_a_share_is_the_figures() {
        let fs = facts("某县某局2023年度部门决算\n2023年度支出合计1290.57万元，比上年增加69.23万元。其中：基本支出1018.39万元，占支出合计的78.91%，比上年增加42.15万元，主要原因是调整工资标准。\n基本支出74万元，占整体支出100%，项目支出0万元，占整体支出0%，较上年增加34万元。\n");
        let f = find(&fs, "42.15万元");
        assert_eq!(f.metric.as_deref(), Some("expenditure.basic"));
        assert_eq!(f.basis, Some(Basis::Change));
        let f = find(&fs, "34万元");
        assert_ne!(f.metric.as_deref(), Some("expenditure.project"));
        // A figure named between the metric words and the change takes it.
        let fs = facts("某县某局2022年度部门决算\n2022年度政府性基金预算财政拨款收入1420.00万元，支出1385.00万元，较上年减少265.00万元，下降16.06%。\n");
        let f = find(&fs, "265.00万元");
        assert_eq!(f.metric.as_deref(), Some("gov_fund.expenditure"));
    }

    /// Regression: the rate of a clause about 基本支出 or 项目支出 alone is that
    /// part's, not the unit's execution rate.
    #[test]
    fn part_rate_is_no_execution_rate() {
        let fs = facts("某县某局2023年度部门整体支出绩效自评报告\n全年实际支出2571.32万元，预算执行率为97.08%。其中：基本支出全年预算数1506.82万元，实际支出1498.36万元，执行率99.44%；项目支出全年预算数1141.93万元，实际支出1072.96万元，执行率93.96%。\n");
        assert_eq!(
            find(&fs, "97.08%").metric.as_deref(),
            Some("funds.execution_rate")
        );
        for r in ["99.44%", "93.96%"] {
            assert_eq!(find(&fs, r).metric, None, "{r}");
        }
    }

    /// Regression: a carry-over listed after parts that already make up the total
    /// is no part of it: the total stays the year's income.
    #[test]
    fn carryover_after_complete_parts_keeps_the_total() {
        let fs = facts("某县某镇2023年度部门整体支出绩效自评报告\n2023年度本单位收入合计2618.45万元，其中：财政拨款收入2596.25万元，其他收入22.20万元；年初结转和结余46.30万元。\n");
        let f = find(&fs, "2618.45万元");
        assert_eq!(f.metric.as_deref(), Some("income.total"));
        let f = find(&fs, "46.30万元");
        assert_eq!(f.metric.as_deref(), Some("carryover.begin"));
    }

    /// Regression: in a `其中` list, `支出0万元` after a fund's income took the
    /// total's scope; `上年结转结余` is this year's carry-over, not last year's.
    #[test]
    fn filler_list_item_keeps_the_fund_before_it() {
        let fs = facts("某县某局2025年部门预算\n2025年本部门财政拨款收支预算总计2484.95万元，其中：一般公共预算拨款收入2386.45万元；政府性基金预算拨款收入5万元，支出3万元。\n2025年本部门收入预算2564.35万元，其中：本年收入2444.05万元，上年结转结余120.30万元。\n");
        let f = find(&fs, "3万元");
        assert_eq!(f.metric.as_deref(), Some("gov_fund.expenditure"));
        let f = find(&fs, "120.30万元");
        assert_eq!(f.metric.as_deref(), Some("carryover.begin"));
        assert_ne!(f.basis, Some(Basis::PriorYear));
        // A total with a carry-over among its parts is the grand total.
        let f = find(&fs, "2564.35万元");
        assert_eq!(f.metric.as_deref(), Some("funds.grand_total"));
        let f = find(&fs, "2444.05万元");
        assert_eq!(f.metric.as_deref(), Some("income.total"));
    }

    /// Regression: one Chinese numeral before a measure word (`五辆`) was dropped
    /// with the prose of `一个`.
    /// Regression: a `;` closing a `其中` list handed a later filler figure the last
    /// part's metric, and a total's change in that list was dropped as a part.
    #[test]
    fn a_closed_list_hands_back_to_its_head() {
        let fs = facts("某县某局2022年度部门整体支出绩效自评报告\n部门整体支出年初预算3,862.15万元，其中基本支出1,056.80万元、项目支出2,805.35万元；年中追加调整1,385.53万元，调整后全年预算数为5,247.68万元。\n2024年收入预算4,923.35万元，其中：财政拨款收入4,888.35万元，其他收入35.00万元；收入预算比2023年增加312.45万元。\n2024年支出预算4,923.35万元，其中：基本支出2,386.72万元。支出预算比2023年增加312.45万元。基本支出预算比2023年增加12.00万元。全年政府采购预算1,260.00万元，实际采购1,236.75万元。\n");
        let f = find(&fs, "5,247.68万元");
        assert_eq!(f.metric.as_deref(), Some("expenditure.total"));
        let ups: Vec<_> = fs.iter().filter(|f| f.raw == "312.45万元").collect();
        assert_eq!(ups[0].metric.as_deref(), Some("income.total"));
        assert_eq!(ups[1].metric.as_deref(), Some("expenditure.total"));
        assert!(ups.iter().all(|f| f.basis == Some(Basis::Change)));
        let f = find(&fs, "12.00万元");
        assert_eq!(f.metric.as_deref(), Some("expenditure.basic"));
        let f = find(&fs, "1,236.75万元");
        assert_eq!(f.metric.as_deref(), Some("procurement.total"));
    }

    /// Regressions: a sentence of reasons between a figure and its `与上年…相比
    /// 减少` cut them apart; `本年收入` inside a fund's colon list left the fund.
    #[test]
    fn reasons_between_and_a_funds_list() {
        let fs = facts("某县某局2023年度部门决算\n“三公”经费支出全年预算为18.00万元，支出决算为13.84万元。决算数小于预算数的主要原因是严格落实过紧日子要求。与2022年度决算数15.70万元相比减少1.86万元。\n其中，政府性基金预算财政拨款：年初结转和结余280.00万元，本年收入5620.00万元，本年支出5560.00万元，年末结转和结余340.00万元。\n");
        let f = find(&fs, "1.86万元");
        assert_eq!(f.metric.as_deref(), Some("three_public.total"));
        assert_eq!(f.basis, Some(Basis::Change));
        assert_eq!(
            find(&fs, "5620.00万元").metric.as_deref(),
            Some("gov_fund.income")
        );
        assert_eq!(
            find(&fs, "5560.00万元").metric.as_deref(),
            Some("gov_fund.expenditure")
        );
        assert_eq!(find(&fs, "340.00万元").metric, None);
    }

    #[test]
    fn one_chinese_numeral_counts_before_a_measure_word() {
        let fs = facts(
            "某县某局2022年度部门决算\n本部门开支财政拨款的公务用车保有量为五辆，一个专项。\n",
        );
        let f = find(&fs, "五辆");
        assert_eq!(f.metric.as_deref(), Some("vehicles.count"));
        assert!(fs.iter().all(|f| f.raw != "一个"));
    }

    #[test]
    fn one_chinese_numeral_counts_right_after_a_staff_label() {
        let fs = facts(
            "某县某局2022年度部门整体支出绩效评价报告\n2022年末实有在职人员二十六人，退休人员九人；另有编外聘用人员五人，实行一人一档管理。\n",
        );
        assert_eq!(find(&fs, "九人").metric.as_deref(), Some("staff.retired"));
        assert_eq!(find(&fs, "五人").metric.as_deref(), Some("staff.temporary"));
        assert!(fs.iter().all(|f| f.raw != "一人"));
    }

    #[test]
    fn overlong_sentences_are_cut_linearly() {
        let unit = "本年度支出合计1902.5万元，其中基本支出1500万元，项目支出402.5万元；";
        let text = unit.repeat(2000);
        let parts = bounded_sentences(&text);
        assert!(parts.len() > 10);
        assert_eq!(parts.iter().map(|p| p.1).collect::<String>(), text);
        assert!(parts.iter().all(|p| p.1.len() <= MAX_SENTENCE));
        assert!(parts.iter().all(|p| p.1.ends_with('；')));
        let fs = facts(&text);
        assert_eq!(fs.len(), 6000);
    }

    #[test]
    fn neighbours_and_basis() {
        let fs = facts("2023年度部门决算\n2.2023年“三公经费”年初预算0.94万元，决算支出共 0.86万元，较预算减少0.08万元，完成预算的91.49%。\n");
        let t = "three_public.total";
        assert_eq!(
            key(find(&fs, "0.94万元")),
            (Some(t), Some(Basis::BudgetInitial), dec!(9400))
        );
        assert_eq!(
            key(find(&fs, "0.86万元")),
            (Some(t), Some(Basis::Actual), dec!(8600))
        );
        // A difference from the budget and a completion rate are not vocabulary facts.
        assert_eq!(find(&fs, "0.08万元").metric, None);
        assert_eq!(find(&fs, "91.49%").metric, None);
    }

    #[test]
    fn signed_changes_and_previous_sentence() {
        let fs = facts("2024年度部门决算\n本单位2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。\n2021 年度收、支总计 2035.21 万元。与上年相比，增加 37.31 万元，增长 1.87%。\n");
        let g = "funds.grand_total";
        assert_eq!(
            key(find(&fs, "56.95万元")),
            (Some(g), Some(Basis::Change), dec!(-569500))
        );
        assert_eq!(
            key(find(&fs, "37.31 万元")),
            (Some(g), Some(Basis::Change), dec!(373100))
        );
        assert_eq!(find(&fs, "1.87%").metric, None);
    }

    #[test]
    fn budget_documents_state_budgets() {
        let fs = facts("上海市某区2025年区级部门预算\n2025年，本单位收入预算18,976.76万元，其中：财政拨款收入18,976.76万元，比2024年预算增加3,355.65万元；其他收入0.00万元。\n");
        assert_eq!(
            key(find(&fs, "3,355.65万元")),
            (Some("income.fiscal"), Some(Basis::Change), dec!(33556500))
        );
        assert_eq!(
            key(find(&fs, "0.00万元")),
            (Some("income.other"), Some(Basis::Budget), dec!(0))
        );
    }

    #[test]
    fn counts_people_scores_and_approximations() {
        let fs = facts("2023年度整体支出绩效评价报告\n本单位定编8人，正式职工三人，临聘人员35人。共划分1326个网格，其中城区网格109个。全年上报事件4.6万件，办结率99.6%。上报微信群事件1571余件，办结率达96.2%。需投入经费约180万元。2023年部门整体支出绩效自评结论：95分，优。\n");
        assert_eq!(
            key(find(&fs, "8人")),
            (Some("staff.authorized"), None, dec!(8))
        );
        assert_eq!(
            key(find(&fs, "35人")),
            (Some("staff.temporary"), None, dec!(35))
        );
        assert_eq!(
            key(find(&fs, "1326个")),
            (Some("grid.count"), None, dec!(1326))
        );
        assert_eq!(find(&fs, "109个").metric, None);
        assert_eq!(
            key(find(&fs, "4.6万件")),
            (Some("events.reported"), None, dec!(46000))
        );
        assert_eq!(
            key(find(&fs, "99.6%")),
            (Some("events.closure_rate"), None, dec!(99.6))
        );
        let approx = find(&fs, "1571余件");
        assert!(approx.approx && approx.metric.is_none());
        assert_eq!(find(&fs, "96.2%").metric, None);
        let about = find(&fs, "180万元");
        assert!(about.approx && about.metric.is_none());
        assert_eq!(
            key(find(&fs, "95分")),
            (Some("self_eval.score"), None, dec!(95))
        );
    }

    #[test]
    fn a_bare_whole_year_budget_in_a_performance_report() {
        let text = "（一）预算执行情况\n全年预算数为686.50万元，实际执行679.88万元，预算执行率为99.04%。\n全年通过信息系统上报各类事件32,415件，已办结31,987件。\n";
        let fs = facts(&format!("2023年度某某中心项目支出绩效自评报告\n{text}"));
        let a = "funds.annual";
        assert_eq!(
            key(find(&fs, "686.50万元")),
            (Some(a), Some(Basis::BudgetFinal), dec!(6865000))
        );
        assert_eq!(
            key(find(&fs, "679.88万元")),
            (Some(a), Some(Basis::Actual), dec!(6798800))
        );
        assert_eq!(
            key(find(&fs, "32,415件")),
            (Some("events.reported"), None, dec!(32415))
        );
        // Not in final accounts, and never the 功能分类 item's `年初预算为`.
        let fs = facts(&format!("2023年度某某中心部门决算\n{text}"));
        assert_eq!(find(&fs, "686.50万元").metric, None);
        let fs = facts("2023年度某某中心部门整体支出绩效自评报告\n1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为1560.05万元，支出决算为1511.89万元。\n");
        assert_eq!(find(&fs, "1560.05万元").metric, None);
        // A sentence that names its metric first keeps it (`全年预算数` repeats it).
        let fs = facts("2023年度某某中心部门整体支出绩效自评报告\n项目支出年初预算3.5万元，年中追加106.27万元，全年预算数109.77万元。\n");
        assert_eq!(
            find(&fs, "109.77万元").metric.as_deref(),
            find(&fs, "3.5万元").metric.as_deref()
        );
    }

    #[test]
    fn breakdowns_after_qizhong() {
        let fs = facts("2023年度某某县某某局部门整体支出绩效自评报告\n本部门核定编制98名，其中行政编制25名、事业编制73名；离退休人员46人，其中离休人员1人、退休人员45人。\n我局年初预算6,285.46万元，其中：财政拨款收入6,230.46万元，其他收入55万元。年初预算安排基本支出2,045.3万元、项目支出4,240.16万元。本年收入合计100万元，加上年初结转和结余20万元。\n");
        let k = |raw: &str| key(find(&fs, raw));
        assert_eq!(k("98名"), (Some("staff.authorized"), None, dec!(98)));
        // A part named like its total is not the total.
        assert_eq!(find(&fs, "73名").metric, None);
        assert_eq!(k("46人"), (Some("staff.retired"), None, dec!(46)));
        assert_eq!(find(&fs, "45人").metric, None);
        // The parts of a budget are that budget.
        let i = Some(Basis::BudgetInitial);
        assert_eq!(
            k("6,230.46万元"),
            (Some("income.fiscal"), i, dec!(62304600))
        );
        assert_eq!(k("55万元"), (Some("income.other"), i, dec!(550000)));
        assert_eq!(k("2,045.3万元").1, i);
        assert_eq!(
            k("4,240.16万元"),
            (Some("expenditure.project"), i, dec!(42401600))
        );
        // `加上年初` is not `上年`.
        assert_eq!(k("20万元").1, Some(Basis::Actual));

        // A `其中：` list runs over `；`; its items are in their total's fund scope.
        let fs = facts("某某县某某局2022年度部门决算\n本年收入合计3,187.08万元，其中：一般公共预算财政拨款收入3,058.42万元，占95.96%；政府性基金预算财政拨款收入120万元，占3.77%；其他收入8.65万元，占0.27%。上年财政拨款结转和结余295.59万元，结转下年173.45万元。\n");
        let k = |raw: &str| key(find(&fs, raw));
        let a = Some(Basis::Actual);
        assert_eq!(k("120万元"), (Some("gov_fund.income"), a, dec!(1200000)));
        assert_eq!(k("8.65万元"), (Some("income.other"), a, dec!(86500)));
        assert_eq!(k("295.59万元"), (Some("carryover.begin"), a, dec!(2955900)));
        assert_eq!(k("173.45万元"), (Some("carryover.end"), a, dec!(1734500)));

        // A `其中` inside the list ends at `；`; the outer list's items after it are
        // the unit's again. 财政拨款 by itself brings the sentence back to the unit.
        let fs = facts("某某县某某局2024年度部门决算\n本年收入合计1,306.20万元，其中：财政拨款收入1,250.00万元，占95.70%，其中政府性基金预算财政拨款收入30.00万元；其他收入56.20万元，占4.30%。本年一般公共预算财政拨款支出1,180.00万元，政府性基金预算财政拨款支出30.00万元，年末财政拨款结转和结余40.00万元。\n");
        let k = |raw: &str| key(find(&fs, raw));
        assert_eq!(k("30.00万元").0, Some("gov_fund.income"));
        assert_eq!(k("56.20万元"), (Some("income.other"), a, dec!(562000)));
        assert_eq!(k("40.00万元"), (Some("carryover.end"), a, dec!(400000)));
    }

    #[test]
    fn rates_of_parts_and_grading_bands() {
        let fs = facts("2023年度某某县某某局部门整体支出绩效自评报告\n全年预算9,842.37万元，全年执行9,516.08万元，预算执行率为96.68%。其中：财政拨款全年预算9,731.25万元，执行9,428.6万元，执行率96.89%；其他资金全年预算111.12万元，执行87.48万元，执行率78.73%。基本支出预算执行率98.96%。县级配套资金支出1665.3万元，执行率79.3%。预算执行率未达到100%的原因是拨付滞后。\n调整后预算9842万元，其中财政拨款9731万元，其他资金111万元，全年执行9516万元，执行率96.69%。\n综合评分90分（含）以上的为“优”，80分（含）至90分的为“良”。经评价，综合评分87.21分。\n");
        let rate = |raw: &str| find(&fs, raw).metric.as_deref();
        assert_eq!(rate("96.68%"), Some("funds.execution_rate"));
        for raw in ["96.89%", "78.73%", "98.96%", "79.3%", "100%"] {
            assert_eq!(rate(raw), None, "{raw}");
        }
        assert_eq!(rate("96.69%"), Some("funds.execution_rate"));
        assert_eq!(
            find(&fs, "87.21分").metric.as_deref(),
            Some("self_eval.score")
        );
        assert!(fs
            .iter()
            .filter(|f| f.raw == "90分" || f.raw == "80分")
            .all(|f| f.metric.is_none()));
    }

    #[test]
    fn a_report_s_bare_spending_and_other_disposal_rates() {
        let fs = facts("2022年度某某县某某项目支出绩效自评报告\n截至2022年12月31日，全年实际支出1017.52万元，执行率81.61%。全年抽检不合格样品核查处置率100%。全年上报事件1200件，处置率98%。\n");
        let k = |raw: &str| key(find(&fs, raw));
        let a = Some(Basis::Actual);
        assert_eq!(k("1017.52万元"), (Some("funds.annual"), a, dec!(10175200)));
        assert_eq!(find(&fs, "100%").metric, None);
        assert_eq!(k("98%").0, Some("events.closure_rate"));

        let fs = facts("2023年度某某县教育局部门整体支出绩效自评报告\n年末核定行政编制21名、事业编制9名，合计编制30名；另有聘用代课教师及后勤服务人员126人。项目支出执行率为94.09%。\n");
        let k = |raw: &str| key(find(&fs, raw));
        assert_eq!(k("30名"), (Some("staff.authorized"), None, dec!(30)));
        assert_eq!(find(&fs, "9名").metric, None);
        assert_eq!(k("126人"), (Some("staff.temporary"), None, dec!(126)));
        assert_eq!(find(&fs, "94.09%").metric, None);
    }

    #[test]
    fn other_counties_wording() {
        let fs = facts("2023年度某某县某某项目支出绩效自评报告\n本单位实有人员7人，退休2人。单位共有公务用车0辆。全年事件办结率达到98.5%。年度目标：确保事件办结率超过95%。\n该项目计划投入资金50万元，实际到位资金50万元；实际支出48万元。项目预算总额为60万元，截至12月31日，累计支出58.5万元。本项目绩效自评总分为93.5分。\n");
        let k = |raw: &str| key(find(&fs, raw));
        assert_eq!(k("7人"), (Some("staff.actual"), None, dec!(7)));
        assert_eq!(k("2人"), (Some("staff.retired"), None, dec!(2)));
        assert_eq!(k("0辆"), (Some("vehicles.count"), None, dec!(0)));
        assert_eq!(k("98.5%"), (Some("events.closure_rate"), None, dec!(98.5)));
        assert_eq!(find(&fs, "95%").metric, None);
        let a = Some("funds.annual");
        assert_eq!(k("50万元"), (a, Some(Basis::Budget), dec!(500000)));
        // Money received is not money spent; the figure after it still repeats.
        assert_eq!(fs.iter().filter(|f| f.raw == "50万元").count(), 2);
        assert!(fs.iter().any(|f| f.raw == "50万元" && f.metric.is_none()));
        assert_eq!(k("48万元"), (a, Some(Basis::Actual), dec!(480000)));
        assert_eq!(k("58.5万元"), (a, Some(Basis::Actual), dec!(585000)));
        assert_eq!(k("93.5分"), (Some("self_eval.score"), None, dec!(93.5)));
        let fs = facts("2023年度某某中心部门整体支出绩效自评报告\n核定编制13个。全年发现并上报问题隐患3,456件。\n");
        let k = |raw: &str| key(find(&fs, raw));
        assert_eq!(k("13个"), (Some("staff.authorized"), None, dec!(13)));
        assert_eq!(k("3,456件"), (Some("events.reported"), None, dec!(3456)));
    }

    /// Wording of budgets and self-evaluations from other provinces (江苏 budgets'
    /// `…收入预算`, `一般公共预算当年拨款`; funds by source).
    #[test]
    fn budget_and_fund_source_wording() {
        let fs = facts("某某县水务局2024年部门预算\n部门预算收入、支出预算总计6,594.93万元，与上年相比收、支预算总计各增加492.56万元。一般公共预算收入预算5,286.43万元；其他收入预算23.50万元。一般公共预算当年拨款5,286.43万元，与上年相比增加274.25万元。\n按资金来源分，一般公共预算支出3166.32万元，政府性基金预算拨款160.00万元。政府采购预算620.00万元，实际采购金额586.75万元，年末结转46.83万元。\n");
        let k = |raw: &str| key(find(&fs, raw));
        let g = Some("funds.grand_total");
        assert_eq!(k("6,594.93万元"), (g, Some(Basis::Budget), dec!(65949300)));
        assert_eq!(k("492.56万元"), (g, Some(Basis::Change), dec!(4925600)));
        assert!(fs
            .iter()
            .filter(|f| f.raw == "5,286.43万元")
            .all(|f| f.metric.as_deref() != Some("income.total")));
        assert_eq!(k("23.50万元").0, Some("income.other"));
        assert_eq!(k("274.25万元").0, Some("fiscal.expenditure"));
        assert_eq!(k("3166.32万元").0, Some("fiscal.expenditure"));
        assert_eq!(k("160.00万元").0, Some("gov_fund.income"));
        assert_eq!(k("586.75万元").0, Some("procurement.total"));
        assert_eq!(k("46.83万元").0, Some("carryover.end"));
    }

    /// An exclusion covers the items of a `、` list after the one it names.
    #[test]
    fn an_exclusion_covers_its_list() {
        let fs = facts("某某县2023年度农村人居环境整治提升项目支出绩效自评报告\n上级追加中央农村厕所革命整村推进奖补资金214万元、省级农村人居环境整治专项资金72.5万元。\n");
        assert_eq!(find(&fs, "214万元").metric, None);
        assert_eq!(find(&fs, "72.5万元").metric, None);
    }

    /// A numbered item named alone (`1.因公出国（境）费。`) opens the sentence after
    /// it; an unnumbered sentence (`主要用于：…等的基本支出。`) does not.
    #[test]
    fn a_numbered_item_sentence_names_the_next_sentences_figures() {
        let fs = facts("2022年度某某局部门整体支出绩效自评报告\n1.因公出国（境）费。2022年预算0万元，实际支出0万元。\n3.公务接待费。2022年预算4.6万元，实际支出2.82万元，较上年减少0.51万元。\n主要用于：局本部人员经费及公用经费等的基本支出。年初预算为 1560.05 万元，支出决算为1511.89万元。\n");
        let k = |raw: &str| key(find(&fs, raw));
        let r = Some("three_public.reception");
        assert_eq!(k("4.6万元"), (r, Some(Basis::Budget), dec!(46000)));
        assert_eq!(k("2.82万元"), (r, Some(Basis::Actual), dec!(28200)));
        assert_eq!(k("0.51万元"), (r, Some(Basis::Change), dec!(-5100)));
        assert_eq!(k("0万元").0, Some("three_public.overseas"));
        assert_eq!(k("1560.05 万元").0, None);
        assert_eq!(k("1511.89万元").0, None);
    }

    /// In a project's own report a bare 年初预算 is the project's funds; a budget's
    /// 一般公共预算支出 is fiscal expenditure.
    #[test]
    fn project_report_initial_budget_and_general_budget_spending() {
        let fs = facts("某某县2023年度农村人居环境整治提升项目支出绩效自评报告\n3.资金来源及预算安排。本项目资金来源为中央和县级财政资金。年初预算安排1200万元。\n");
        assert_eq!(key(find(&fs, "1200万元")).0, Some("funds.annual"));
        let fs = facts("某某县统计局2024年部门预算\n2024年一般公共预算支出年初预算为398.46万元，比上年预算增加32.21万元。\n");
        assert_eq!(key(find(&fs, "398.46万元")).0, Some("fiscal.expenditure"));
        assert_eq!(
            key(find(&fs, "32.21万元")),
            (
                Some("fiscal.expenditure"),
                Some(Basis::Change),
                dec!(322100)
            )
        );
        // Not in a unit's report: there it is a 功能分类 item's.
        let fs = facts("某某县2023年度部门决算\n年初预算安排1200万元。\n");
        assert_eq!(key(find(&fs, "1200万元")).0, None);
    }

    /// A project's whole-year funds after a figure without a metric; savings are
    /// no figure of what they were saved from.
    #[test]
    fn whole_year_funds_after_an_unnamed_figure() {
        let fs = facts("2023年度某某县高标准农田建设项目支出绩效自评报告\n2023年度项目资金年初预算1500万元，另有上年结转资金150万元，全年预算数1862.5万元。截至2023年12月31日，项目全年执行数1798.36万元。政府采购预算186.50万元，实际采购金额178.26万元，节约资金8.24万元。\n");
        let k = |raw: &str| key(find(&fs, raw));
        let a = Some("funds.annual");
        assert_eq!(
            k("1862.5万元"),
            (a, Some(Basis::BudgetFinal), dec!(18625000))
        );
        assert_eq!(k("1798.36万元"), (a, Some(Basis::Actual), dec!(17983600)));
        assert_eq!(k("150万元").0, None);
        assert_eq!(k("8.24万元").0, None);
    }

    /// Figures under a sub-fund's heading are that fund's unless their sentence
    /// names another.
    #[test]
    fn a_sub_fund_section_scopes_its_figures() {
        let fs = facts("某某县自然资源局2023年度部门决算\n一、一般公共预算财政拨款支出决算情况说明\n本年支出合计1637.25万元，年末结转和结余45.50万元。\n二、政府性基金预算财政拨款收入支出决算情况说明\n本年支出330.50万元，年末结转和结余25.70万元。\n");
        let k = |raw: &str| key(find(&fs, raw)).0;
        assert_eq!(k("1637.25万元"), Some("expenditure.total"));
        assert_eq!(k("45.50万元"), Some("carryover.end"));
        assert_eq!(k("330.50万元"), Some("gov_fund.expenditure"));
        assert_eq!(k("25.70万元"), None);
    }

    #[test]
    fn funds_a_self_evaluation_covers() {
        let fs = facts("2023年度某某中心部门整体支出绩效自评报告\n对2023年度一般公共预算整体支出全面开展绩效自评，共涉及资金74万元，整体支出74万元；对2023年度政府性基金预算项目支出开展绩效自评，共涉及资金 0 万元。\n对2021年度一般公共预算项目支出全面开展绩效自评，其中，二级项目3个，共涉及资金194.32万元。\n");
        assert_eq!(
            key(find(&fs, "74万元")),
            (Some("funds.annual"), Some(Basis::Actual), dec!(740000))
        );
        assert_eq!(
            key(find(&fs, "0 万元")),
            (Some("gov_fund.expenditure"), Some(Basis::Actual), dec!(0))
        );
        assert_eq!(find(&fs, "194.32万元").metric, None);
    }

    #[test]
    fn fund_scope_and_explicit_zeros() {
        let fs = facts("2021年度部门决算\n2021 年度政府性基金预算财政拨款收入 0 万元；年初结转和结余 0 万元；支出 0 万元，其中基本支出 0 万元。\na. 因公出国（境）费0支出；\n");
        let ks: Vec<_> = fs.iter().filter(|f| f.metric.is_some()).map(key).collect();
        assert!(
            ks.contains(&(Some("gov_fund.income"), Some(Basis::Actual), dec!(0))),
            "{ks:?}"
        );
        assert!(
            ks.contains(&(Some("gov_fund.expenditure"), Some(Basis::Actual), dec!(0))),
            "{ks:?}"
        );
        assert!(
            ks.contains(&(Some("three_public.overseas"), Some(Basis::Actual), dec!(0))),
            "{ks:?}"
        );
        assert_eq!(ks.len(), 3, "{ks:?}");
    }

    /// A numbered item opening on a project's name: its bare budget and spending
    /// words are the project's funds, the project its subject.
    #[test]
    fn numbered_project_items() {
        let fs = facts("2023年度部门整体支出绩效自评报告\n（一）主要项目执行情况\n1.特困人员救助供养项目。预算数712.46万元，实际支出706.38万元，执行率99.15%。\n2.临时救助项目。预算数168.00万元，实际支出165.42万元，执行率98.46%。\n");
        let got: Vec<_> = fs
            .iter()
            .filter(|f| f.metric.is_some())
            .map(|f| (key(f), f.subject.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    (Some("funds.annual"), Some(Basis::Budget), dec!(7124600)),
                    Some("特困人员救助供养项目")
                ),
                (
                    (Some("funds.annual"), Some(Basis::Actual), dec!(7063800)),
                    Some("特困人员救助供养项目")
                ),
                (
                    (Some("funds.execution_rate"), None, dec!(99.15)),
                    Some("特困人员救助供养项目")
                ),
                (
                    (Some("funds.annual"), Some(Basis::Budget), dec!(1680000)),
                    Some("临时救助项目")
                ),
                (
                    (Some("funds.annual"), Some(Basis::Actual), dec!(1654200)),
                    Some("临时救助项目")
                ),
                (
                    (Some("funds.execution_rate"), None, dec!(98.46)),
                    Some("临时救助项目")
                ),
            ]
        );
        // Without a project named before, a bare 预算数 stays unnamed.
        let fs = facts("2023年度部门整体支出绩效自评报告\n1.产出目标。预算数712.46万元。\n");
        assert!(fs.iter().all(|f| f.metric.is_none()), "{fs:?}");
    }

    /// Regression: the scale of an evaluation (`…指标体系，总分100分`) was read as
    /// its result; a 财政拨款 income budget was read as the income total.
    #[test]
    fn score_scale_and_fiscal_income_budget() {
        let fs = facts("2024年度农村公路建设项目绩效评价报告\n按照四个维度设置评价指标体系，总分100分。经评价，该项目综合得分86.5分。\n");
        let s: Vec<_> = fs
            .iter()
            .filter(|f| f.metric.as_deref() == Some("self_eval.score"))
            .map(|f| f.raw.as_str())
            .collect();
        assert_eq!(s, ["86.5分"]);
        let fs = facts("2025年部门预算\n2025年财政拨款收入预算3136.34万元。\n");
        assert_eq!(
            find(&fs, "3136.34万元").metric.as_deref(),
            Some("income.fiscal")
        );
    }

    /// Items listed after `主要项目包括：` in the sentence, or in the numbered
    /// paragraphs after `主要项目支出情况如下：`, are project spending, each its subject.
    #[test]
    fn listed_project_items() {
        let items = |fs: &[Fact]| -> Vec<(String, Option<String>, Decimal)> {
            fs.iter()
                .filter(|f| f.rule.starts_with("item_list"))
                .map(|f| {
                    (
                        f.metric.clone().unwrap_or_default(),
                        f.subject.clone(),
                        f.value,
                    )
                })
                .collect()
        };
        let fs = facts("2024年部门预算\n一般公共预算项目支出1,916.63万元，主要项目包括：村级组织运转补助485.45万元；农村人居环境整治项目520.00万元。\n");
        assert_eq!(
            items(&fs),
            [
                (
                    "expenditure.project".into(),
                    Some("村级组织运转补助".into()),
                    dec!(4854500)
                ),
                (
                    "expenditure.project".into(),
                    Some("农村人居环境整治项目".into()),
                    dec!(5200000)
                ),
            ]
        );
        let fs = facts("2023年度部门整体支出绩效自评报告\n项目支出实际支出3,419.83万元。主要项目支出情况如下：\n1.优抚对象抚恤和生活补助，全年支出2,386.50万元，用于定期抚恤。\n2.双拥共建及走访慰问经费，全年支出63.78万元。\n其余支出1.00万元。\n");
        assert_eq!(
            items(&fs),
            [
                (
                    "expenditure.project".into(),
                    Some("优抚对象抚恤和生活补助".into()),
                    dec!(23865000)
                ),
                (
                    "expenditure.project".into(),
                    Some("双拥共建及走访慰问经费".into()),
                    dec!(637800)
                ),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn item_names_never_panic(s in "[0-9一二（(.、，；:项目支出全年预算经费 a-z]{0,24}") {
            let m = &crate::patterns::test_set().metrics;
            let _ = super::item_name(m, &s);
            let _ = super::opens_numbered(&s);
        }
    }

    /// Regression: a project's rate in a `其中` list of projects was vetoed as a
    /// part's; a fund's part of one project's funds still is.
    #[test]
    fn rate_of_a_listed_project() {
        let fs = facts("2023年度部门决算\n本部门对项目支出开展绩效自评，资金452.56万元。其中，村级组织运转经费项目全年预算数186.40万元，执行数186.40万元，预算执行率100%，绩效自评得分98分。\n");
        let r = find(&fs, "100%");
        assert_eq!(r.metric.as_deref(), Some("funds.execution_rate"));
        assert_eq!(r.subject.as_deref(), Some("村级组织运转经费项目"));
        let fs = facts("2023年度项目支出绩效自评报告\n“某某”项目全年预算数200万元，执行数190万元，执行率95%；其中：财政拨款全年预算150万元，执行145.34万元，执行率96.89%。\n");
        assert_eq!(find(&fs, "96.89%").metric, None);
    }

    /// In a unit's own performance report its bare whole-year figures are its
    /// expenditure, its year's funds when said in its own voice (`我镇`); in a
    /// project's report they are the project's funds.
    #[test]
    fn bare_whole_year_figures_by_report() {
        let fs = facts(
            "2024年度单位整体支出绩效自评报告\n调整后全年预算3254.66万元，全年支出3198.37万元。\n",
        );
        assert_eq!(
            find(&fs, "3198.37万元").metric.as_deref(),
            Some("expenditure.total")
        );
        let fs = facts("2024年度部门整体支出绩效自评报告\n2024年度我镇年初预算2105.60万元，全年决算支出2056.72万元。\n");
        assert_eq!(
            find(&fs, "2105.60万元").metric.as_deref(),
            Some("funds.annual")
        );
        let fs =
            facts("2024年度项目支出绩效自评报告\n全年预算数为686.50万元，实际执行679.88万元。\n");
        assert_eq!(
            find(&fs, "686.50万元").metric.as_deref(),
            Some("funds.annual")
        );
    }

    /// Regression: a unit report whose sentences call the outturn 执行数 states the
    /// 自评表's funds, even in a sentence that names no 执行数 itself.
    #[test]
    fn unit_report_in_execution_wording_states_funds() {
        let fs = facts("2024年度部门整体支出绩效自评报告\n年中追加资金120.40万元，调整后全年预算1320.80万元。\n2024年度全年执行数1298.16万元，预算执行率98.29%。\n");
        for raw in ["1320.80万元", "1298.16万元"] {
            assert_eq!(
                find(&fs, raw).metric.as_deref(),
                Some("funds.annual"),
                "{raw}"
            );
        }
        // Split into 基本支出 and 项目支出, and with the outturn as `全年执行`.
        let fs = facts("2023年度部门整体支出绩效自评报告\n2023年度我局年初预算512.30万元，其中：基本支出401.10万元，项目支出111.20万元。\n截至12月31日，全年执行560.42万元，预算执行率97.85%。\n");
        for raw in ["512.30万元", "560.42万元"] {
            assert_eq!(
                find(&fs, raw).metric.as_deref(),
                Some("funds.annual"),
                "{raw}"
            );
        }
        // In `支出` wording the split figure is the unit's expenditure.
        let fs = facts("2023年度部门整体支出绩效自评报告\n2023年度我局年初预算512.30万元，其中：基本支出401.10万元，项目支出111.20万元。全年支出560.42万元。\n");
        assert_eq!(
            find(&fs, "512.30万元").metric.as_deref(),
            Some("expenditure.total")
        );
    }

    /// Regression: a bracketed aside after a figure named the next figure
    /// (`…4.12万元（全部为车辆运行维护支出），较上年减少0.74万元`).
    #[test]
    fn an_aside_after_a_figure_names_no_later_one() {
        let fs = facts("2023年度部门决算\n公务用车购置及运行维护费5.36万元（均为公务用车运行维护费），较上年减少0.62万元。\n");
        assert_eq!(key(find(&fs, "0.62万元")).0, Some("three_public.vehicle"));
        assert_eq!(
            super::aside_after("8万元(含税)，", "8万元".len()),
            Some((7, 15))
        );
        assert_eq!(super::aside_after("8万元(含3人)", "8万元".len()), None);
        assert_eq!(super::without("甲乙丙丁", &[(3, 6)]), "甲丙丁");
    }

    /// The score right after a scale below 100 is a part's; the whole's after it
    /// and after a scale of 100 is the result.
    #[test]
    fn part_scores_after_their_scale() {
        let fs = facts("2023年度部门整体支出绩效评价报告\n投入指标主要评价预算编制情况，满分15分，评价得分11.3分。产出指标分值30分，得分29分；综合得分95分。\n");
        let s: Vec<_> = fs
            .iter()
            .filter(|f| f.metric.as_deref() == Some("self_eval.score"))
            .map(|f| f.raw.as_str())
            .collect();
        assert_eq!(s, ["95分"]);
        let fs = facts("2023年度部门整体支出绩效评价报告\n评价满分100分，评价得分92分。\n");
        assert_eq!(find(&fs, "92分").metric.as_deref(), Some("self_eval.score"));
    }

    /// Regression: the sum after an addend (`加上年初结转和结余…`) took the
    /// addend's metric.
    #[test]
    fn sum_after_an_addend() {
        let fs = facts("2023年度项目支出绩效自评报告\n年度执行中追加预算1225.93万元，加上年初结转和结余46.20万元，全年预算数为4558.58万元。\n");
        assert_eq!(
            key(find(&fs, "4558.58万元")),
            (
                Some("funds.annual"),
                Some(Basis::BudgetFinal),
                dec!(45585800)
            )
        );
        assert_eq!(
            find(&fs, "46.20万元").metric.as_deref(),
            Some("carryover.begin")
        );
    }

    /// Regression: an addend after a `其中：` list (`；加上年初结转和结余…`) was read
    /// as a part of the total, which made the total the grand total.
    #[test]
    fn an_addend_ends_a_colon_list() {
        let fs = facts("2023年度部门整体支出绩效评价报告\n2023年度收入合计3,447.28万元，其中：财政拨款收入3,421.06万元，其他收入26.22万元；加上年初结转和结余65.18万元，收支总计3,512.46万元。\n");
        assert_eq!(
            find(&fs, "3,447.28万元").metric.as_deref(),
            Some("income.total")
        );
        assert_eq!(
            find(&fs, "3,512.46万元").metric.as_deref(),
            Some("funds.grand_total")
        );
    }

    /// Regression: an item's budget after its heading (`（1）学生膳食补助：年初预算…`)
    /// was no figure of the project's funds.
    #[test]
    fn item_heading_then_bare_budget_words() {
        let fs = facts("2023年度项目支出绩效自评报告\n（2）学校食堂设施设备购置及维修改造：全年预算500.00万元，实际支出478.62万元，执行率95.72%。\n");
        assert_eq!(
            key(find(&fs, "500.00万元")),
            (
                Some("funds.annual"),
                Some(Basis::BudgetFinal),
                dec!(5000000)
            )
        );
    }

    /// A project's completion rate after its whole-year funds is its execution
    /// rate; an item's (三公经费) stays excluded.
    #[test]
    fn a_projects_completion_rate() {
        let fs = facts("2023年度部门决算\n1.芦溪镇2023年农村人居环境整治项目绩效自评综述：根据年初设定的绩效目标，项目自评得分为96分。全年预算数为126.00万元，执行数为123.48万元，完成预算的98.00%。\n");
        assert_eq!(
            find(&fs, "98.00%").metric.as_deref(),
            Some("funds.execution_rate")
        );
        assert_eq!(
            find(&fs, "126.00万元").metric.as_deref(),
            Some("funds.annual")
        );
        let fs = facts("2023年度部门决算\n2023年“三公”经费年初预算0.94万元，决算支出0.86万元，完成预算的91.49%。\n");
        assert_eq!(find(&fs, "91.49%").metric, None);
    }

    /// A paragraph that opens on a project's name and a colon names the project
    /// its bare budget and spending words are about.
    #[test]
    fn project_colon_paragraph() {
        let fs = facts("2023年度部门决算\n十四、预算绩效管理情况说明\n临时救助资金项目：全年预算数420.00万元，执行数412.66万元，执行率98.25%，自评得分93分。\n");
        let f = find(&fs, "420.00万元");
        assert_eq!(f.metric.as_deref(), Some("funds.annual"));
        assert_eq!(f.subject.as_deref(), Some("临时救助资金项目"));
        assert_eq!(
            find(&fs, "412.66万元").metric.as_deref(),
            Some("funds.annual")
        );
    }

    /// Regression: a report title wrapped over two lines kept the project
    /// report's bare budget words from naming its funds.
    #[test]
    fn title_wrapped_over_two_lines() {
        let fs = facts("2023年度某某县高标准农田建设项目\n支出绩效自评报告\n年初预算安排2400.00万元，全年预算数调整为2835.00万元。\n");
        assert_eq!(
            find(&fs, "2400.00万元").metric.as_deref(),
            Some("funds.annual")
        );
    }

    /// A whole-year figure split into 基本支出 and 项目支出 is the unit's expenditure.
    #[test]
    fn whole_year_figure_split_into_expenditure() {
        let fs = facts("2022年度部门整体支出绩效自评报告\n年度执行中追加资金后，调整后预算为48215.36万元，其中基本支出39227.84万元、项目支出8987.52万元。\n");
        assert_eq!(
            key(find(&fs, "48215.36万元")),
            (
                Some("expenditure.total"),
                Some(Basis::BudgetFinal),
                dec!(482153600)
            )
        );
    }

    /// Regression: a sentence opening on a figure stated on the same basis as the
    /// last sentence's figure does not repeat that figure's metric.
    #[test]
    fn same_basis_does_not_repeat_previous_sentence() {
        let fs = facts("2022年度部门整体支出绩效自评报告\n年初结转和结余120.45万元，收支总计47632.51万元。全年实际支出47396.84万元，预算执行率98.30%。\n");
        let s = find(&fs, "47396.84万元");
        assert_ne!(s.metric.as_deref(), Some("funds.grand_total"));
    }

    #[test]
    fn project_subject_from_quotes() {
        let fs = facts("2021年度部门决算\n“人民网2021年全国创新社会治理典型案例颁奖暨经验交流会”项目绩效自评综述：项目绩效自评得分为95分。项目全年预算数为150万元，执行数为150万元。\n");
        let s = find(&fs, "95分");
        assert_eq!(
            s.subject.as_deref(),
            Some("人民网2021年全国创新社会治理典型案例颁奖暨经验交流会")
        );
        let fa: Vec<_> = fs.iter().filter(|f| f.raw == "150万元").map(key).collect();
        assert_eq!(
            fa,
            [
                (
                    Some("funds.annual"),
                    Some(Basis::BudgetFinal),
                    dec!(1500000)
                ),
                (Some("funds.annual"), Some(Basis::Actual), dec!(1500000))
            ]
        );
    }
}

//! From label wording to metric, basis, sign and scope, using `patterns/metrics.toml`.
//!
//! A label is normalised first ([`normalize_label`]: spaces, quotes, brackets,
//! typos, synonyms), so the rules see one spelling of each word. Among the metric
//! rules that match, the match ending nearest the figure wins, then the longest:
//! in `“三公”经费财政拨款支出决算中,公务接待费支出` the figure is about 公务接待费.
//! Two metrics joined by a conjunction (`会议费、培训费`) make the label ambiguous,
//! and an ambiguous figure gets no metric rather than a guess.

use std::cell::RefCell;

use crate::model::{Basis, Unit};
use crate::patterns::metrics::{ExcludeOn, ExcludeRule, MetricRule, Metrics};

pub use crate::patterns::metrics::normalize_label;

/// What a metric rule is asked about.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// Normalised label wording in front of the figure.
    pub label: &'a str,
    /// Normalised words right after the figure (same clause).
    pub after: &'a str,
    /// The label of the figure before in the sentence and this one, for a rule's
    /// `not_context` (`上报微信群事件1571余件，办结率达96.2%`).
    pub context: &'a str,
    pub unit: Unit,
    /// The unit word as written (`人次`), if any.
    pub unit_word: Option<&'a str>,
    /// Fund scope the figure is in (`unit`, `gov_fund` …).
    pub scope: &'a str,
}

/// A metric rule that matched, and where in the label.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub rule: &'a MetricRule,
    pub start: usize,
    pub end: usize,
}

impl Hit<'_> {
    /// The words that decided the metric.
    pub fn words<'l>(&self, label: &'l str) -> &'l str {
        label.get(self.start..self.end).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Found<'a> {
    None,
    One(Hit<'a>),
    /// Two metrics joined by a conjunction: no single metric.
    Ambiguous,
}

/// Counts and persons are the same kind of figure for matching (`人次120人`).
pub fn unit_compatible(rule: Unit, fig: Unit) -> bool {
    rule == fig
        || matches!(
            (rule, fig),
            (Unit::Count, Unit::Person) | (Unit::Person, Unit::Count)
        )
}

/// Can `rule` name a figure of this unit, unit word and scope?
pub fn rule_accepts(rule: &MetricRule, q: &Query) -> bool {
    unit_compatible(rule.unit, q.unit)
        && (rule.scope == "any" || rule.scope == q.scope)
        // A bare table cell has no unit word of its own: its column decides.
        && (rule.unit_words.is_empty()
            || q.unit_word
                .is_none_or(|w| rule.unit_words.iter().any(|u| u == w)))
}

fn hit<'a>(rule: &'a MetricRule, q: &Query) -> Option<Hit<'a>> {
    if !rule_accepts(rule, q) {
        return None;
    }
    if rule
        .not_context
        .as_ref()
        .is_some_and(|n| n.is_match(q.context))
    {
        return None;
    }
    if let Some(a) = &rule.after {
        if !a.is_match(q.after) {
            return None;
        }
    }
    if rule.not_after.as_ref().is_some_and(|n| n.is_match(q.after)) {
        return None;
    }
    let h = match &rule.label {
        Some(re) => re
            .find_iter(q.label)
            .filter(|m| m.end() > m.start())
            .last()
            .map(|m| Hit {
                rule,
                start: m.start(),
                end: m.end(),
            })?,
        // An `after`-only rule: the words after the figure name it.
        None => Hit {
            rule,
            start: q.label.len(),
            end: q.label.len(),
        },
    };
    // `not` looks at the clause of the match and what follows it, so a longer
    // label (a sentence so far) is judged where the metric is named.
    let clause = q.label[..h.start].rfind([',', ';', '。']).map_or(0, |k| {
        k + q.label[k..].chars().next().map_or(1, char::len_utf8)
    });
    if rule
        .not
        .as_ref()
        .is_some_and(|n| n.is_match(&q.label[clause..]))
    {
        return None;
    }
    Some(h)
}

fn is_conjunction(s: &str) -> bool {
    matches!(s, "、" | "和" | "及" | "与" | "," | "/" | "以及")
}

/// What [`find_metric`] decided, by rule index: kept across documents.
#[derive(Clone, Copy)]
enum Decided {
    None,
    One {
        rule: usize,
        start: usize,
        end: usize,
    },
    Ambiguous,
}

/// Bound on the decisions kept per thread; the cache starts over when full.
const CACHE_CAP: usize = 1 << 11;

/// A thread's decisions for one rule set. Reports of the genre repeat their labels
/// (the standard tables, the boilerplate sentences), across documents too.
#[derive(Default)]
struct Cache {
    metrics: Option<u64>,
    key: String,
    decided: foldhash::HashMap<String, Decided>,
    basis: foldhash::HashMap<String, Option<Basis>>,
    change: foldhash::HashMap<String, Option<(i32, usize)>>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::default();
}

/// This thread's cache, emptied first when it holds another rule set's decisions.
fn with_cache<R>(m: &Metrics, f: impl FnOnce(&mut Cache) -> R) -> R {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.metrics != Some(m.id()) {
            *c = Cache {
                metrics: Some(m.id()),
                ..Cache::default()
            };
        }
        f(&mut c)
    })
}

/// `f(label)`, remembered in `map` (which starts over when full).
fn remembered<V: Copy>(
    map: &mut foldhash::HashMap<String, V>,
    label: &str,
    f: impl FnOnce() -> V,
) -> V {
    if let Some(v) = map.get(label) {
        return *v;
    }
    let v = f();
    keep(map, label.to_string(), v);
    v
}

/// Insert into a cache map, starting it over when full.
fn keep<V>(map: &mut foldhash::HashMap<String, V>, key: String, v: V) {
    if map.len() >= CACHE_CAP {
        map.clear();
    }
    map.insert(key, v);
}

/// Every field of a query, each length-prefixed so no two queries share a key.
fn write_key(key: &mut String, q: &Query) {
    use std::fmt::Write;
    key.clear();
    for part in [q.label, q.after, q.context, q.scope] {
        let _ = write!(key, "{}:{part}", part.len());
    }
    match q.unit_word {
        Some(w) => {
            let _ = write!(key, "{}:{w}", w.len());
        }
        None => key.push('-'),
    }
    key.push(char::from(b'0' + q.unit as u8));
}

/// The metric the label names.
pub fn find_metric<'a>(m: &'a Metrics, q: &Query) -> Found<'a> {
    let cached = with_cache(m, |c| {
        write_key(&mut c.key, q);
        c.decided.get(c.key.as_str()).copied()
    });
    match cached {
        Some(Decided::None) => return Found::None,
        Some(Decided::Ambiguous) => return Found::Ambiguous,
        Some(Decided::One {
            rule: i,
            start,
            end,
        }) => {
            if let Some(rule) = m.rules.get(i) {
                return Found::One(Hit { rule, start, end });
            }
        }
        None => {}
    }
    let found = find_metric_uncached(m, q);
    let decided = match found {
        Found::None => Decided::None,
        Found::Ambiguous => Decided::Ambiguous,
        Found::One(h) => match m.rules.iter().position(|r| std::ptr::eq(r, h.rule)) {
            Some(i) => Decided::One {
                rule: i,
                start: h.start,
                end: h.end,
            },
            None => return found,
        },
    };
    with_cache(m, |c| keep(&mut c.decided, c.key.clone(), decided));
    found
}

fn find_metric_uncached<'a>(m: &'a Metrics, q: &Query) -> Found<'a> {
    let mut hits: Vec<Hit> = m.candidates(q.label).filter_map(|r| hit(r, q)).collect();
    if hits.is_empty() {
        return Found::None;
    }
    // Stable: among equal positions the earlier rule in the file wins.
    hits.sort_by(|a, b| {
        b.end
            .cmp(&a.end)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
    });
    let best = hits[0];
    let joined = hits.iter().any(|h| {
        h.rule.metric != best.rule.metric
            && h.end <= best.start
            && q.label.get(h.end..best.start).is_some_and(is_conjunction)
    });
    if joined {
        Found::Ambiguous
    } else {
        Found::One(best)
    }
}

/// The `alone` rule naming a filler label that has nothing in its sentence to
/// repeat, among those the document admits (`ok`, indices into `m.alone`) and,
/// unless a project was `named` before the figure, that need none: the
/// match ending nearest the figure, then the longest. Rarely asked, so not cached.
pub fn find_alone<'a>(m: &'a Metrics, ok: &[usize], q: &Query, named: bool) -> Option<Hit<'a>> {
    ok.iter()
        .filter_map(|&i| m.alone.get(i))
        .filter(|r| named || !r.named)
        .filter_map(|r| hit(r, q))
        .max_by(|a, b| {
            a.end
                .cmp(&b.end)
                .then((a.end - a.start).cmp(&(b.end - b.start)))
        })
}

/// The basis word nearest the end of the label (then the longest). A prior-year
/// word anywhere in the label wins: `上年决算数` is last year's outturn.
pub fn find_basis(m: &Metrics, label: &str) -> Option<Basis> {
    with_cache(m, |c| {
        remembered(&mut c.basis, label, || basis_of(m, label))
    })
}

fn basis_of(m: &Metrics, label: &str) -> Option<Basis> {
    if m.basis
        .iter()
        .any(|r| r.basis == Basis::PriorYear && r.re.is_match(label))
    {
        return Some(Basis::PriorYear);
    }
    m.basis
        .iter()
        .filter_map(|r| {
            r.re.find_iter(label)
                .last()
                .map(|x| (x.end(), x.end() - x.start(), r.basis))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)))
        .map(|x| x.2)
}

/// A change word ending the label: its sign and rule id.
pub fn find_change<'a>(m: &'a Metrics, label: &str) -> Option<(i32, &'a str)> {
    let found = with_cache(m, |c| {
        remembered(&mut c.change, label, || {
            m.change
                .iter()
                .position(|r| r.re.is_match(label))
                .map(|i| (m.change[i].sign, i))
        })
    })?;
    m.change.get(found.1).map(|r| (found.0, r.id.as_str()))
}

/// An exclusion that applies to a figure of this unit with this label.
/// The exclusion that applies to a figure: on its label, the words after it
/// (`words_after`), or the previous figure's label and its own (`with_previous`).
pub fn find_exclusion<'a>(
    m: &'a Metrics,
    label: &str,
    after: &str,
    context: &str,
    clause: &str,
    unit: Unit,
) -> Option<&'a ExcludeRule> {
    m.exclude.iter().find(|r| {
        let text = match r.on {
            ExcludeOn::Label => label,
            ExcludeOn::After => after,
            ExcludeOn::Previous => context,
            ExcludeOn::Clause => clause,
        };
        r.covers(unit) && r.re.is_match(text)
    })
}

/// The fund scope at the end of `text`: the last scope word wins; `unit` when none.
pub fn scope_at<'a>(m: &'a Metrics, text: &str) -> &'a str {
    scope_named(m, text).unwrap_or("unit")
}

/// The scope the last scope word of `text` names, if it has one. A weak word
/// (`本年收入`) gives way to a scope word that opened a list with a colon before
/// it in the same clause (`政府性基金预算财政拨款：…，本年收入5620.00万元`).
pub fn scope_named<'a>(m: &'a Metrics, text: &str) -> Option<&'a str> {
    // A scope word inside brackets closed before the end (`（其中政府性基金预算财政
    // 拨款收入…）；其他收入`) names no scope past them.
    let closed = |a: usize, b: usize| {
        let open = text[..a].rfind('(');
        open.is_some_and(|o| text[..a].rfind(')').is_none_or(|c| c < o)) && text[b..].contains(')')
    };
    let last = |weak: bool| {
        m.scopes
            .iter()
            .filter(|r| r.weak == weak)
            .filter_map(|r| {
                r.re.find_iter(text)
                    .filter(|x| !closed(x.start(), x.end()))
                    .last()
                    .map(|x| (x.start(), x.end(), r.scope.as_str()))
            })
            .max_by_key(|x| x.1)
    };
    match (last(false), last(true)) {
        (Some(s), Some(w)) if w.1 > s.1 => {
            let between = text.get(s.1..w.0).unwrap_or("");
            let listed = between.contains([':', '：']) && !between.contains(['。', ';', '；']);
            Some(if listed { s.2 } else { w.2 })
        }
        (Some(s), _) => Some(s.2),
        (None, w) => w.map(|w| w.2),
    }
}

/// Is the label only filler words (so the figure repeats its neighbour's metric)?
pub fn is_filler(m: &Metrics, label: &str) -> bool {
    m.filler.is_match(label)
}

/// Is this row label a total (`合计`, `总计`, empty)?
pub fn is_total(m: &Metrics, label: &str) -> bool {
    m.total_label.is_match(label)
}

/// Basis for a money figure: a change word right before it, else the nearest basis
/// word, else the rule's or the document's default.
pub fn money_basis(
    m: &Metrics,
    label: &str,
    rule: Option<&MetricRule>,
    doc_default: Basis,
    doc_year: Option<i32>,
) -> (Basis, i32) {
    stated_basis(m, label, rule, doc_year).unwrap_or((doc_default, 1))
}

/// The basis a money figure's own words (or its rule) give, with the sign of a
/// change; `None` when only the document's default would.
pub fn stated_basis(
    m: &Metrics,
    label: &str,
    rule: Option<&MetricRule>,
    doc_year: Option<i32>,
) -> Option<(Basis, i32)> {
    if let Some((sign, _)) = find_change(m, label) {
        return Some((Basis::Change, sign));
    }
    if let (Some(y), Some(doc)) = (year_in(label), doc_year) {
        if y < doc {
            return Some((Basis::PriorYear, 1));
        }
    }
    find_basis(m, label)
        .or(rule.and_then(|r| r.default_basis))
        .map(|b| (b, 1))
}

/// A year written in a label (`2022年决算数`), the last one.
pub fn year_in(label: &str) -> Option<i32> {
    let b = label.as_bytes();
    let mut found = None;
    let mut i = 0;
    while i + 4 < b.len() {
        let run = &b[i..i + 4];
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        if before_ok
            && run.iter().all(u8::is_ascii_digit)
            && label[i + 4..].starts_with('年')
            && matches!(run[0], b'1' | b'2')
        {
            found = label[i..i + 4].parse().ok();
            i += 4;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric_of(label: &str, unit: Unit, word: Option<&str>) -> Option<String> {
        let p = crate::patterns::test_set();
        let l = normalize_label(label, &p.metrics.rewrites);
        let q = Query {
            label: &l,
            after: "",
            context: "",
            unit,
            unit_word: word,
            scope: scope_at(&p.metrics, &l),
        };
        match find_metric(&p.metrics, &q) {
            Found::One(h) => Some(h.rule.metric.clone()),
            _ => None,
        }
    }

    fn cny(label: &str) -> Option<String> {
        metric_of(label, Unit::Cny, Some("万元"))
    }

    #[test]
    fn nearest_metric_wins() {
        assert_eq!(
            cny("“三公”经费财政拨款支出决算中，公务接待费支出决算").as_deref(),
            Some("three_public.reception")
        );
        assert_eq!(
            cny("2024 年度“三公”经费财政拨款支出决算数比 2023 年度减少").as_deref(),
            Some("three_public.total")
        );
        assert_eq!(
            cny("公务用车购置及运行维护费支出").as_deref(),
            Some("three_public.vehicle")
        );
        assert_eq!(
            cny("收、支总计各增加").as_deref(),
            Some("funds.grand_total")
        );
        assert_eq!(cny("一般公共服务支出（类）"), None);
    }

    /// Regression (fuzz): a full-width `。` before the metric words was skipped by one
    /// byte, slicing inside it.
    #[test]
    fn clause_after_a_full_stop() {
        assert_eq!(
            cny("严控机关运行。住房公积金等。人员经费").as_deref(),
            Some("expenditure.personnel")
        );
    }

    /// The per-thread cache answers for the rule set that asked: a set loaded
    /// later with other wording is not told the first set's decisions.
    #[test]
    fn remembered_decisions_belong_to_their_rule_set() {
        assert_eq!(cny("培训费").as_deref(), Some("training.expense"));
        let (_, text) = crate::patterns::DEFAULTS
            .iter()
            .find(|(n, _)| *n == "metrics.toml")
            .unwrap();
        let changed = text.replacen(
            "pattern = '培训费'\nexamples = [\"开支培训费\"]",
            "pattern = '培训经费'\nexamples = [\"开支培训经费\"]",
            1,
        );
        assert_ne!(&changed, text);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("metrics.toml"), changed).unwrap();
        let other = crate::patterns::PatternSet::from_dir(dir.path()).unwrap();
        let q = Query {
            label: "培训费",
            after: "",
            context: "",
            unit: Unit::Cny,
            unit_word: Some("万元"),
            scope: "unit",
        };
        assert!(matches!(find_metric(&other.metrics, &q), Found::None));
        // And back: the first set's answer again.
        assert_eq!(cny("培训费").as_deref(), Some("training.expense"));
    }

    proptest::proptest! {
        /// Queries that differ in any field never share a cache key.
        #[test]
        fn cache_keys_tell_queries_apart(
            a in proptest::collection::vec("[:0-9a费]{0,3}", 5),
            b in proptest::collection::vec("[:0-9a费]{0,3}", 5),
            ua in 0usize..5, ub in 0usize..5,
            wa in proptest::bool::ANY, wb in proptest::bool::ANY,
        ) {
            let units = [Unit::Cny, Unit::Percent, Unit::Person, Unit::Count, Unit::Score];
            fn q(p: &[String], unit: Unit, w: bool) -> Query<'_> {
                Query {
                    label: &p[0],
                    after: &p[1],
                    context: &p[2],
                    scope: &p[3],
                    unit_word: w.then_some(p[4].as_str()),
                    unit,
                }
            }
            let (qa, qb) = (q(&a, units[ua], wa), q(&b, units[ub], wb));
            let same = a[..4] == b[..4]
                && ua == ub
                && wa == wb
                && (!wa || a[4] == b[4]);
            let (mut ka, mut kb) = (String::new(), String::new());
            write_key(&mut ka, &qa);
            write_key(&mut kb, &qb);
            proptest::prop_assert_eq!(ka == kb, same);
        }
    }

    #[test]
    fn conjunction_is_ambiguous() {
        assert_eq!(cny("会议费、培训费"), None);
        assert_eq!(cny("培训费").as_deref(), Some("training.expense"));
    }

    #[test]
    fn scope_restricts_money_rules() {
        assert_eq!(
            cny("政府性基金预算财政拨款收入").as_deref(),
            Some("gov_fund.income")
        );
        // In the 政府性基金 scope a bare 支出 is the fund's expenditure.
        let p = crate::patterns::test_set();
        let q = Query {
            label: "支出",
            after: "",
            context: "",
            unit: Unit::Cny,
            unit_word: Some("万元"),
            scope: "gov_fund",
        };
        assert!(
            matches!(find_metric(&p.metrics, &q), Found::One(h) if h.rule.metric == "gov_fund.expenditure")
        );
        let q = Query {
            label: "其中基本支出",
            ..q
        };
        assert!(matches!(find_metric(&p.metrics, &q), Found::None));
    }

    #[test]
    fn unit_words_pick_the_metric() {
        assert_eq!(
            metric_of("全年安排因公出国（境）团组", Unit::Count, Some("个")).as_deref(),
            Some("overseas.groups")
        );
        assert_eq!(
            metric_of(
                "全年安排因公出国（境）团组0个,累计",
                Unit::Count,
                Some("人次")
            )
            .as_deref(),
            Some("overseas.persons")
        );
        assert_eq!(
            metric_of("定编", Unit::Person, Some("人")).as_deref(),
            Some("staff.authorized")
        );
        assert_eq!(metric_of("定编", Unit::Cny, Some("万元")), None);
    }

    #[test]
    fn basis_and_change() {
        let p = crate::patterns::test_set();
        let m = &p.metrics;
        let b = |s: &str| {
            money_basis(
                m,
                &normalize_label(s, &m.rewrites),
                None,
                Basis::Actual,
                Some(2023),
            )
        };
        assert_eq!(
            b("“三公”经费财政拨款支出年初预算为"),
            (Basis::BudgetInitial, 1)
        );
        assert_eq!(b("全年预算数"), (Basis::BudgetFinal, 1));
        assert_eq!(b("支出决算为"), (Basis::Actual, 1));
        assert_eq!(b("预算数为"), (Basis::Budget, 1));
        assert_eq!(b("公务接待费支出"), (Basis::Actual, 1));
        assert_eq!(b("收入支出总计减少"), (Basis::Change, -1));
        assert_eq!(b("比2024年预算增加"), (Basis::Change, 1));
        assert_eq!(b("与上年相比减少（增加）"), (Basis::Change, -1));
        assert_eq!(b("上年决算数"), (Basis::PriorYear, 1));
        assert_eq!(b("2022年决算数"), (Basis::PriorYear, 1));
        assert_eq!(b("2023年决算数"), (Basis::Actual, 1));
    }

    #[test]
    fn exclusions() {
        let p = crate::patterns::test_set();
        let m = &p.metrics;
        assert!(find_exclusion(m, "占本年支出合计的", "", "", "", Unit::Percent).is_some());
        assert!(find_exclusion(m, "完成年初预算的", "", "", "", Unit::Percent).is_some());
        assert!(find_exclusion(m, "较预算减少", "", "", "", Unit::Cny).is_some());
        // The budget written between: the previous figure's label says it.
        assert!(find_exclusion(m, "增加", "", "比年初预算增加", "", Unit::Cny).is_some());
        assert!(find_exclusion(m, "增加", "", "比上年增加", "", Unit::Cny).is_none());
        assert!(find_exclusion(m, "比2024年预算减少", "", "", "", Unit::Cny).is_none());
        assert!(find_exclusion(m, "预算执行率为", "", "", "", Unit::Percent).is_none());
    }

    #[test]
    fn rewrites_are_prefiltered() {
        let p = crate::patterns::test_set();
        assert!(p.metrics.rewrites.is_filtered());
        // The pre-filter never stops a rewrite that applies.
        assert_eq!(
            normalize_label("公车 运行维修费", &p.metrics.rewrites),
            normalize_label("公车运行维修费", &p.metrics.rewrites)
        );
        assert_ne!(
            normalize_label("公车运行维修费", &p.metrics.rewrites),
            "公车运行维修费"
        );
    }

    #[test]
    fn filler_labels() {
        let p = crate::patterns::test_set();
        let m = &p.metrics;
        for s in [
            "支出决算为",
            "年初预算为",
            "决算支出共",
            "实际支出",
            "",
            "比2023年度减少",
            "较上年增加",
            "执行数为",
        ] {
            assert!(is_filler(m, &normalize_label(s, &m.rewrites)), "{s}");
        }
        for s in ["一般公共服务(类)支出", "主任", "年中追加x"] {
            assert!(!is_filler(m, &normalize_label(s, &m.rewrites)), "{s}");
        }
    }
}

//! `metrics.toml`: the metric vocabulary and the genre's wording around figures —
//! which words name a metric, which say the basis (年初预算, 决算 …) or a change
//! (增加, 减少), which make a figure something else (占…%, 完成预算的…%), fund
//! scopes (政府性基金), the filler words of a label that only repeats its
//! neighbour's metric (`支出决算为`), wording rewrites (typos, synonyms), document
//! defaults and the table conventions (column headers that hold no figures, kinds
//! whose totals are fiscal-only).
//!
//! The facts stage only combines these; adding a metric or a wording variant is a
//! change to the pattern file.

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use super::units::parse_unit;
use crate::error::PatternError;
use crate::model::{Basis, TableKind, Unit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetricDef {
    id: String,
    /// Vocabulary key (`three_public.total`).
    metric: String,
    unit: String,
    /// Matches the label wording before the figure. Optional when `after` is given.
    #[serde(default, rename = "pattern")]
    label: Option<String>,
    /// Vetoes the rule when it matches the label.
    #[serde(default)]
    not: Option<String>,
    /// Vetoes the rule when it matches the label of the figure before in the same
    /// sentence together with this one (`上报微信群事件1571余件，办结率达96.2%`).
    #[serde(default)]
    not_context: Option<String>,
    /// Must match the words right after the figure (`1326个网格`: `^网格`).
    #[serde(default)]
    after: Option<String>,
    /// Vetoes the rule when it matches the words after the figure.
    #[serde(default)]
    not_after: Option<String>,
    /// Running text, rates: vetoes the rule when it matches the label of the money
    /// figure the rate is read against (the sentence's last budget figure before
    /// it, else its last money figure), or when that figure is a part of a `其中`
    /// breakdown (`其中：财政拨款全年预算…，执行…，执行率96.89%`).
    #[serde(default)]
    not_against: Option<String>,
    /// Unit words the figure must be written with (`人次` for visitors).
    #[serde(default)]
    unit_words: Vec<String>,
    /// Fund scope the rule applies in: `unit` (default), a scope name, or `any`.
    #[serde(default)]
    scope: Option<String>,
    /// Basis when the wording names none (else the document's default).
    #[serde(default)]
    default_basis: Option<String>,
    /// In tables, numbered rows under a row of this metric are its items, each a
    /// subject (`项目支出` → `1、业务工作经费`).
    #[serde(default)]
    list_children: bool,
    /// In tables, a column headed by this metric splits every row (`人员经费` |
    /// `公用经费`): a row naming a metric of its own has no fact of it there.
    #[serde(default)]
    splits_rows: bool,
    /// Asked only for a running-text label of filler words that has nothing in its
    /// sentence to repeat (`全年预算数为686.50万元，…`).
    #[serde(default)]
    alone: bool,
    /// Applies only in documents whose title block matches (`绩效` reports).
    #[serde(default)]
    title: Option<String>,
    /// `alone` rules: not in documents whose running text (outside tables) matches
    /// (a report that calls its outturn `全年执行数` states the 自评表's funds).
    #[serde(default)]
    not_in_text: Option<String>,
    /// `alone` rules: asked only for a figure after a project its paragraph names
    /// (a text `[[subject]]`: `1.特困人员救助供养项目。预算数712.46万元`).
    #[serde(default)]
    named: bool,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct MetricRule {
    pub id: String,
    pub metric: String,
    pub unit: Unit,
    pub label: Option<Regex>,
    pub not: Option<Regex>,
    pub not_context: Option<Regex>,
    pub after: Option<Regex>,
    pub not_after: Option<Regex>,
    pub not_against: Option<Regex>,
    pub unit_words: Vec<String>,
    pub scope: String,
    pub default_basis: Option<Basis>,
    pub list_children: bool,
    pub splits_rows: bool,
    /// The document's title block must match (`title`; `alone` rules only).
    pub title: Option<Regex>,
    /// Not where the document's running text matches (`not_in_text`; `alone` rules only).
    pub not_in_text: Option<Regex>,
    /// Only after a project named in the paragraph (`named`; `alone` rules only).
    pub named: bool,
}

/// A word-level rule: a regex and what it means.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WordDef {
    id: String,
    pattern: String,
    /// Basis (`basis`, `doc_basis`), sign `+`/`-` (`change`) or scope name (`scope`).
    #[serde(default)]
    basis: Option<String>,
    #[serde(default)]
    sign: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    /// `scope`: a word that names its scope only where no other scope word opened
    /// a list with a colon before it (`政府性基金预算财政拨款：…本年收入…`).
    #[serde(default)]
    weak: bool,
    /// `exclude`: figure units the exclusion applies to (all when empty).
    #[serde(default)]
    units: Vec<String>,
    /// `exclude`: match the words after the figure, not its label.
    #[serde(default)]
    words_after: bool,
    /// `exclude`: match the previous figure's label and the words from it to this figure
    /// (`比年初预算2086.40万元增加1094.16万元`).
    #[serde(default)]
    with_previous: bool,
    /// `exclude`: match the figure's clause up to it, from the last `;` of its
    /// sentence (`其中：基本支出年初预算…，实际支出…，执行率`).
    #[serde(default)]
    in_clause: bool,
    /// `exclude`: `[after, instead]` — not an exclusion right after a figure of
    /// metric `after` in a project's paragraph: the figure is metric `instead`
    /// (a project's `全年预算数…执行数…，完成预算的95.24%` is its execution rate).
    #[serde(default)]
    named_after: Option<[String; 2]>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct BasisRule {
    pub id: String,
    pub basis: Basis,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct ChangeRule {
    pub id: String,
    /// +1 or -1.
    pub sign: i32,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct ExcludeRule {
    pub id: String,
    pub units: Vec<Unit>,
    pub re: Regex,
    pub on: ExcludeOn,
    /// Waived right after a figure of the first metric in a project's paragraph,
    /// where the figure is the second.
    pub named_after: Option<(String, String)>,
}

/// What an exclusion's pattern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExcludeOn {
    /// The figure's label (the default).
    Label,
    /// The words after the figure (`words_after`: `90分（含）以上的为“优”`).
    After,
    /// The previous figure's label and the words from it to this figure (`with_previous`).
    Previous,
    /// The figure's clause up to it (`in_clause`).
    Clause,
}

impl ExcludeRule {
    /// Whether the rule applies to figures of `unit` (all when it names none).
    pub fn covers(&self, unit: Unit) -> bool {
        self.units.is_empty() || self.units.contains(&unit)
    }
}

/// What unit the bare numbers of a column are in, from its header wording.
#[derive(Debug, Clone)]
pub struct ColumnUnitRule {
    pub id: String,
    pub unit: Unit,
    pub re: Regex,
}

#[derive(Debug, Clone)]
pub struct ScopeRule {
    pub id: String,
    pub scope: String,
    pub re: Regex,
    pub weak: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RewriteDef {
    id: String,
    /// Regex over label wording.
    from: String,
    to: String,
    #[serde(default)]
    examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Rewrite {
    pub id: String,
    pub from: Regex,
    pub to: String,
}

/// The rewrites in file order, with a pre-filter: most labels hold none of their
/// words, and then none of them need to run.
#[derive(Debug, Clone)]
pub struct Rewrites {
    rules: Vec<Rewrite>,
    filter: rule::Prefilter,
}

impl Rewrites {
    pub fn new(rules: Vec<Rewrite>) -> Rewrites {
        let pats: Vec<&str> = rules.iter().map(|r| r.from.as_str()).collect();
        Rewrites {
            filter: rule::Prefilter::new(&pats),
            rules,
        }
    }

    /// Does the pre-filter turn labels away (the rewrites share literal words)?
    pub fn is_filtered(&self) -> bool {
        self.filter.is_active()
    }
}

impl std::ops::Deref for Rewrites {
    type Target = [Rewrite];
    fn deref(&self) -> &[Rewrite] {
        &self.rules
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectDef {
    id: String,
    /// Regex with a `subject` group.
    pattern: String,
    /// `title`: the document's title block names the subject of every figure;
    /// `text`: figures after the match in the same paragraph.
    #[serde(rename = "where")]
    place: String,
    /// A word every match holds (`项目`): text without it skips the rule.
    #[serde(default)]
    requires: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SubjectRule {
    pub id: String,
    pub re: Regex,
    pub title: bool,
    /// A word every match holds: text without it cannot match.
    pub requires: rule::Requires,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FundColumnDef {
    id: String,
    /// The column header, without whitespace.
    pattern: String,
    /// What a row's metric is in this column, as `from = to` pairs; a metric not
    /// listed is no fact of a metric there.
    #[serde(default)]
    rename: Vec<[String; 2]>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

/// A column that splits a row's figure by fund (一般公共预算 · 政府性基金 · 国有资本经营):
/// its cells are parts of the row's figure, not the figure.
#[derive(Debug, Clone)]
pub struct FundColumn {
    pub id: String,
    pub re: Regex,
    pub rename: Vec<(String, String)>,
}

impl FundColumn {
    /// The metric a figure of `metric`'s row is in this column, if any.
    pub fn metric_of(&self, metric: &str) -> Option<&str> {
        self.rename
            .iter()
            .find(|(from, _)| from == metric)
            .map(|(_, to)| to.as_str())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableKindDef {
    id: String,
    kind: String,
    /// Words read in front of every label of the table (`三公经费` for the 三公 table).
    #[serde(default)]
    topic: Option<String>,
    /// Metric renames for the table's figures, as `from = to` pairs.
    #[serde(default)]
    rename: Vec<[String; 2]>,
    /// Also applies to a table whose title this matches (the budget counterparts of
    /// the final-accounts tables are kind `other`).
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    /// A row label that names no metric but only a figure's basis (`年初预算数`,
    /// `全年支出数`): in this table the figure is `bare_metric` (the unit's own
    /// funds in a 基础数据表). `bare_examples` / `bare_counter_examples` are tested.
    #[serde(default)]
    bare_label: Option<String>,
    #[serde(default)]
    bare_metric: Option<String>,
    #[serde(default)]
    bare_examples: Vec<String>,
    #[serde(default)]
    bare_counter_examples: Vec<String>,
}

/// Words that open a list of items of one metric in running text (`主要项目包括：`,
/// `主要项目支出情况如下：`): each money figure listed after them, in the sentence
/// or in the numbered paragraphs that follow, is `metric` for the item it names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemListDef {
    id: String,
    pattern: String,
    metric: String,
    /// A word every match holds: text without it skips the rule.
    #[serde(default)]
    requires: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ItemListRule {
    pub id: String,
    pub re: Regex,
    pub metric: String,
    pub requires: rule::Requires,
}

/// A total whose `其中` list holds a part of metric `part` says more than `metric`:
/// it is `becomes` (`收入预算…，其中：本年收入…，上年结转结余…` is the grand total).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalWithPartDef {
    id: String,
    metric: String,
    part: String,
    becomes: String,
    /// Not in documents whose running text (outside tables) matches.
    #[serde(default)]
    not_in_text: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TotalWithPart {
    pub id: String,
    pub metric: String,
    pub part: String,
    pub becomes: String,
    pub not_in_text: Option<Regex>,
}

/// The standard columns of a one-row table, in order (`[metric, basis]` each): a
/// wide header that pdftotext scrambles (a banner spread over the wrong columns,
/// pairs of headings wrapped over two lines) is read by them when they keep the
/// checks' sums and the header's reading does not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnPlanDef {
    id: String,
    kind: String,
    /// Words the header must hold (`预算`, `决算`: the plan's bases).
    #[serde(default)]
    header_words: Vec<String>,
    columns: Vec<[String; 2]>,
}

#[derive(Debug, Clone)]
pub struct ColumnPlan {
    pub id: String,
    pub kind: TableKind,
    pub header_words: Vec<String>,
    pub columns: Vec<(String, Basis)>,
}

impl ColumnPlan {
    /// Whether the sum's total and every part are among the plan's columns.
    pub fn has_sum(&self, s: &super::checks::SumRule) -> bool {
        std::iter::once(&s.total)
            .chain(&s.parts)
            .all(|m| self.columns.iter().any(|(c, _)| c == m))
    }
}

#[derive(Debug, Clone)]
pub struct TableKindRule {
    pub id: String,
    pub kind: TableKind,
    pub topic: Option<String>,
    pub rename: Vec<(String, String)>,
    pub title: Option<Regex>,
    /// A bare basis label and the metric it stands for in this table.
    pub bare: Option<(Regex, String)>,
}

impl TableKindRule {
    /// Whether the rule covers a table of this kind and title.
    pub fn applies(&self, kind: TableKind, title: Option<&str>) -> bool {
        self.kind == kind
            || self
                .title
                .as_ref()
                .is_some_and(|re| title.is_some_and(|t| re.is_match(t)))
    }
}

#[derive(Debug, Clone)]
pub struct Metrics {
    pub rules: Vec<MetricRule>,
    /// Rules for a filler label with nothing to repeat (`alone = true`), kept apart
    /// so no other label is ever put to them.
    pub alone: Vec<MetricRule>,
    /// Every rule's label pattern at once: one pass over a label says which rules
    /// can name it, so the others are not run one by one. Built on first use from
    /// the rules' patterns, which were compiled and checked at load.
    label_set: std::sync::OnceLock<Option<regex::RegexSet>>,
    /// Tells this rule set from any other loaded in the process, for caches of
    /// what its rules decided.
    id: u64,
    pub basis: Vec<BasisRule>,
    pub change: Vec<ChangeRule>,
    pub exclude: Vec<ExcludeRule>,
    pub scopes: Vec<ScopeRule>,
    pub rewrites: Rewrites,
    pub doc_basis: Vec<BasisRule>,
    pub subjects: Vec<SubjectRule>,
    pub table_kinds: Vec<TableKindRule>,
    pub column_plans: Vec<ColumnPlan>,
    pub totals_with_part: Vec<TotalWithPart>,
    pub item_lists: Vec<ItemListRule>,
    pub fund_columns: Vec<FundColumn>,
    pub column_units: Vec<ColumnUnitRule>,
    /// Column headers of a 绩效指标 block: its rows are indicators, not facts of a metric.
    pub indicator_header: Regex,
    /// A label made only of these words repeats its neighbour's metric.
    pub filler: Regex,
    /// Row labels that are totals (`合计`): their figures take the column's metric.
    pub total_label: Regex,
    /// Labels that name a basis and nothing else (`年初预算数`): in a row of pairs,
    /// the basis of the item named before them.
    pub basis_label: Regex,
    /// Labels of an addend (`加上年初结转和结余`): the figure after it is the sum,
    /// not more of the same metric.
    pub addend: Regex,
    /// Labels of a score's scale (`满分`): a score after a scale below 100 in its
    /// sentence is one part's (`满分15分，评价得分11.3分`).
    pub score_scale: Regex,
    /// Column headers of columns without figures (`行次`, `编码`, `分值`).
    pub skip_column: Regex,
    /// The first column's header of a listing of projects (`项目名称`): each row's
    /// figures are its project's.
    pub subject_column: Regex,
    /// The year a document is about, from its title block (group 1).
    pub year: Regex,
}

impl Metrics {
    /// Unique among the rule sets loaded in this process.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The project a report's title block names (`[[subject]]` rules with
    /// `where = "title"`), as written.
    pub fn title_subject<'t>(&self, head: &'t str) -> Option<&'t str> {
        self.subjects.iter().filter(|s| s.title).find_map(|s| {
            s.re.captures(head)
                .and_then(|c| c.name("subject"))
                .map(|x| x.as_str())
        })
    }

    /// An exclusion read from the (normalised) words after a figure of `unit`
    /// (`（含）以上的为“优”`): the figure is a limit, not a result.
    pub fn excluded_after(&self, after: &str, unit: Unit) -> Option<&ExcludeRule> {
        self.exclude
            .iter()
            .find(|r| r.on == ExcludeOn::After && r.covers(unit) && r.re.is_match(after))
    }

    /// The rules that can name `label`: those whose pattern matches somewhere in it,
    /// and the `after`-only ones.
    pub fn candidates<'a>(&'a self, label: &str) -> impl Iterator<Item = &'a MetricRule> {
        let set = self.label_set.get_or_init(|| {
            // The patterns compiled one by one at load; should the set still fail
            // (a size limit), every rule is tried.
            regex::RegexSet::new(
                self.rules
                    .iter()
                    .filter_map(|r| r.label.as_ref())
                    .map(|l| l.as_str()),
            )
            .ok()
        });
        let named = set.as_ref().map(|s| s.matches(label));
        // The set's patterns are the labelled rules' in order: count them off.
        let mut slot = 0;
        self.rules.iter().filter(move |r| {
            if r.label.is_none() {
                return true;
            }
            slot += 1;
            named.as_ref().is_none_or(|n| n.matched(slot - 1))
        })
    }
}

pub fn parse_basis(s: &str) -> Option<Basis> {
    Some(match s {
        "budget_initial" => Basis::BudgetInitial,
        "budget_final" => Basis::BudgetFinal,
        "budget" => Basis::Budget,
        "actual" => Basis::Actual,
        "prior_year" => Basis::PriorYear,
        "change" => Basis::Change,
        _ => return None,
    })
}

fn basis_of(file: &str, id: &str, s: Option<&str>) -> Result<Basis, PatternError> {
    let s = s.ok_or_else(|| PatternError::new(file, Some(id), "missing `basis`"))?;
    parse_basis(s).ok_or_else(|| PatternError::new(file, Some(id), format!("unknown basis `{s}`")))
}

fn opt_re(file: &str, id: &str, p: &Option<String>) -> Result<Option<Regex>, PatternError> {
    p.as_deref().map(|p| rule::compile(file, id, p)).transpose()
}

const SECTIONS: &[&str] = &[
    "metric",
    "basis",
    "change",
    "exclude",
    "scope",
    "rewrite",
    "doc_basis",
    "subject",
    "table_kind",
    "column_plan",
    "total_with_part",
    "item_list",
    "fund_column",
    "column_unit",
];
const SCALARS: &[&str] = &[
    "filler",
    "total_label",
    "basis_label",
    "addend",
    "score_scale",
    "skip_column",
    "subject_column",
    "year",
    "indicator_header",
];

impl Metrics {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<Metrics, PatternError> {
        let t = rule::parse_sections(file, src, SECTIONS, SCALARS)?;
        let scalar = |key: &str| -> Result<Regex, PatternError> {
            let v: Option<toml::Value> = rule::scalar(file, &t, key)?;
            let p = match v {
                Some(toml::Value::String(s)) => s,
                Some(toml::Value::Array(words)) => {
                    let alts: Vec<String> = words
                        .iter()
                        .map(|w| {
                            w.as_str().map(str::to_string).ok_or_else(|| {
                                PatternError::new(
                                    file,
                                    None,
                                    format!("`{key}`: words must be strings"),
                                )
                            })
                        })
                        .collect::<Result<_, _>>()?;
                    format!("^(?:{})*$", alts.join("|"))
                }
                Some(_) => {
                    return Err(PatternError::new(
                        file,
                        None,
                        format!("`{key}` must be a regex string or a list of words"),
                    ))
                }
                // Neutral defaults, so a file with rules only still loads.
                None => match key {
                    "filler" => "^$".to_string(),
                    "total_label" => "^(合计|总计|小计)?$".to_string(),
                    "addend" | "score_scale" | "subject_column" | "basis_label" => {
                        r"[^\s\S]".to_string()
                    }
                    "skip_column" => "行次|栏次|编码".to_string(),
                    "indicator_header" => "三级指标".to_string(),
                    _ => r"((?:19|20)\d{2})\s*年".to_string(),
                },
            };
            rule::compile(file, key, &p)
        };
        let filler = scalar("filler")?;
        let total_label = scalar("total_label")?;
        let basis_label = scalar("basis_label")?;
        let addend = scalar("addend")?;
        let score_scale = scalar("score_scale")?;
        let skip_column = scalar("skip_column")?;
        let subject_column = scalar("subject_column")?;
        let year = scalar("year")?;
        let indicator_header = scalar("indicator_header")?;
        if year.captures_len() < 2 {
            return Err(PatternError::new(
                file,
                None,
                "`year` needs a capture group",
            ));
        }

        let rewrites = rule::rules::<RewriteDef>(file, &t, "rewrite")?
            .into_iter()
            .map(|d| {
                ids.add(file, &d.id)?;
                let from = rule::compile(file, &d.id, &d.from)?;
                rule::check_examples(file, &d.id, &from, &d.examples, &[])?;
                Ok(Rewrite {
                    id: d.id,
                    from,
                    to: d.to,
                })
            })
            .collect::<Result<Vec<_>, PatternError>>()?;
        let rewrites = Rewrites::new(rewrites);

        let mut scope_names = vec!["unit".to_string(), "any".to_string()];
        let mut scopes = vec![];
        for d in rule::rules::<WordDef>(file, &t, "scope")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            let scope = d
                .scope
                .ok_or_else(|| PatternError::new(file, Some(&d.id), "missing `scope`"))?;
            if !scope_names.contains(&scope) {
                scope_names.push(scope.clone());
            }
            scopes.push(ScopeRule {
                id: d.id,
                scope,
                re,
                weak: d.weak,
            });
        }

        let mut rules = vec![];
        let mut alone = vec![];
        for d in rule::rules::<MetricDef>(file, &t, "metric")? {
            ids.add(file, &d.id)?;
            let unit = parse_unit(&d.unit).ok_or_else(|| {
                PatternError::new(file, Some(&d.id), format!("unknown unit `{}`", d.unit))
            })?;
            if d.metric.trim().is_empty() {
                return Err(PatternError::new(file, Some(&d.id), "empty metric"));
            }
            let label = opt_re(file, &d.id, &d.label)?;
            if label.is_none() && d.after.is_none() {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "a metric rule needs `pattern` or `after`",
                ));
            }
            let not = opt_re(file, &d.id, &d.not)?;
            let scope = d.scope.unwrap_or_else(|| "unit".to_string());
            if !scope_names.contains(&scope) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    format!(
                        "unknown scope `{scope}` (known: {})",
                        scope_names.join(", ")
                    ),
                ));
            }
            let default_basis = match d.default_basis.as_deref() {
                Some(b) => Some(basis_of(file, &d.id, Some(b))?),
                None => None,
            };
            if let Some(l) = &label {
                rule::check_with(file, &d.id, &d.examples, &d.counter_examples, |s| {
                    let s = normalize_label(s, &rewrites);
                    l.is_match(&s) && !not.as_ref().is_some_and(|n| n.is_match(&s))
                })?;
            }
            if d.alone && label.is_none() {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "an `alone` rule needs `pattern`",
                ));
            }
            if !d.alone && (d.title.is_some() || d.named || d.not_in_text.is_some()) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "`title`, `not_in_text` and `named` are read by `alone` rules only",
                ));
            }
            let to = if d.alone { &mut alone } else { &mut rules };
            to.push(MetricRule {
                id: d.id.clone(),
                metric: d.metric,
                unit,
                label,
                not,
                not_context: opt_re(file, &d.id, &d.not_context)?,
                after: opt_re(file, &d.id, &d.after)?,
                not_after: opt_re(file, &d.id, &d.not_after)?,
                not_against: opt_re(file, &d.id, &d.not_against)?,
                unit_words: d.unit_words,
                scope,
                default_basis,
                list_children: d.list_children,
                splits_rows: d.splits_rows,
                title: opt_re(file, &d.id, &d.title)?,
                not_in_text: opt_re(file, &d.id, &d.not_in_text)?,
                named: d.named,
            });
        }

        let words = |section: &str| {
            let v = rule::rules::<WordDef>(file, &t, section)?;
            match v
                .iter()
                .find(|d| (d.words_after || d.with_previous || d.in_clause) && section != "exclude")
            {
                Some(d) => Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "`words_after`, `with_previous` and `in_clause` are read by `exclude` rules only",
                )),
                None => Ok(v),
            }
        };
        let mut basis = vec![];
        for d in words("basis")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            basis.push(BasisRule {
                basis: basis_of(file, &d.id, d.basis.as_deref())?,
                id: d.id,
                re,
            });
        }
        let mut doc_basis = vec![];
        for d in words("doc_basis")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            doc_basis.push(BasisRule {
                basis: basis_of(file, &d.id, d.basis.as_deref())?,
                id: d.id,
                re,
            });
        }
        let mut change = vec![];
        for d in words("change")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            let sign = match d.sign.as_deref() {
                Some("+") => 1,
                Some("-") => -1,
                s => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("`sign` must be \"+\" or \"-\", not {s:?}"),
                    ))
                }
            };
            change.push(ChangeRule { id: d.id, sign, re });
        }
        let mut exclude = vec![];
        for d in words("exclude")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            let units = d
                .units
                .iter()
                .map(|u| {
                    parse_unit(u).ok_or_else(|| {
                        PatternError::new(file, Some(&d.id), format!("unknown unit `{u}`"))
                    })
                })
                .collect::<Result<_, _>>()?;
            let on = match (d.words_after, d.with_previous, d.in_clause) {
                (false, false, false) => ExcludeOn::Label,
                (true, false, false) => ExcludeOn::After,
                (false, true, false) => ExcludeOn::Previous,
                (false, false, true) => ExcludeOn::Clause,
                _ => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        "set one of `words_after`, `with_previous` and `in_clause`, not two",
                    ))
                }
            };
            if let Some(m) = d
                .named_after
                .iter()
                .flatten()
                .find(|m| !rules.iter().any(|r: &MetricRule| &r.metric == *m))
            {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    format!("`named_after` names unknown metric `{m}`"),
                ));
            }
            exclude.push(ExcludeRule {
                id: d.id,
                units,
                re,
                on,
                named_after: d.named_after.map(|[a, b]| (a, b)),
            });
        }

        let mut column_units = vec![];
        for d in words("column_unit")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            let [u] = d.units.as_slice() else {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "`units` must name exactly one unit",
                ));
            };
            let unit = parse_unit(u).ok_or_else(|| {
                PatternError::new(file, Some(&d.id), format!("unknown unit `{u}`"))
            })?;
            column_units.push(ColumnUnitRule { id: d.id, unit, re });
        }

        let mut subjects = vec![];
        for d in rule::rules::<SubjectDef>(file, &t, "subject")? {
            ids.add(file, &d.id)?;
            let re = rule::compile(file, &d.id, &d.pattern)?;
            if !re.capture_names().any(|n| n == Some("subject")) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "pattern needs a `(?P<subject>…)` group",
                ));
            }
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            let requires = rule::Requires::new(file, &d.id, d.requires, &re, &d.examples)?;
            let title = match d.place.as_str() {
                "title" => true,
                "text" => false,
                p => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("`where` must be `title` or `text`, not `{p}`"),
                    ))
                }
            };
            subjects.push(SubjectRule {
                id: d.id,
                re,
                title,
                requires,
            });
        }

        let known: Vec<&str> = rules.iter().map(|r| r.metric.as_str()).collect();
        let mut table_kinds = vec![];
        for d in rule::rules::<TableKindDef>(file, &t, "table_kind")? {
            ids.add(file, &d.id)?;
            let kind = TableKind::parse(&d.kind).ok_or_else(|| {
                PatternError::new(
                    file,
                    Some(&d.id),
                    format!("unknown table kind `{}`", d.kind),
                )
            })?;
            for [a, b] in &d.rename {
                for m in [a, b] {
                    if !known.contains(&m.as_str()) {
                        return Err(PatternError::new(
                            file,
                            Some(&d.id),
                            format!("rename names unknown metric `{m}`"),
                        ));
                    }
                }
            }
            let title = match &d.title {
                Some(p) => {
                    let re = rule::compile(file, &d.id, p)?;
                    rule::check_examples(file, &d.id, &re, &d.examples, &[])?;
                    Some(re)
                }
                None => None,
            };
            let bare = match (&d.bare_label, &d.bare_metric) {
                (Some(p), Some(m)) => {
                    if !known.contains(&m.as_str()) {
                        return Err(PatternError::new(
                            file,
                            Some(&d.id),
                            format!("bare_metric names unknown metric `{m}`"),
                        ));
                    }
                    let re = rule::compile(file, &d.id, p)?;
                    rule::check_examples(
                        file,
                        &d.id,
                        &re,
                        &d.bare_examples,
                        &d.bare_counter_examples,
                    )?;
                    Some((re, m.clone()))
                }
                (None, None) => None,
                _ => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        "bare_label and bare_metric go together".to_string(),
                    ))
                }
            };
            table_kinds.push(TableKindRule {
                id: d.id,
                kind,
                topic: d.topic,
                rename: d.rename.into_iter().map(|[a, b]| (a, b)).collect(),
                title,
                bare,
            });
        }

        let mut column_plans = vec![];
        for d in rule::rules::<ColumnPlanDef>(file, &t, "column_plan")? {
            ids.add(file, &d.id)?;
            let err = |msg: String| PatternError::new(file, Some(&d.id), msg);
            let kind = TableKind::parse(&d.kind)
                .ok_or_else(|| err(format!("unknown table kind `{}`", d.kind)))?;
            if d.columns.len() < 2 {
                return Err(err("a plan needs two or more columns".into()));
            }
            let mut columns = vec![];
            for [m, b] in &d.columns {
                if !known.contains(&m.as_str()) {
                    return Err(err(format!("names unknown metric `{m}`")));
                }
                let basis = parse_basis(b).ok_or_else(|| err(format!("unknown basis `{b}`")))?;
                columns.push((m.clone(), basis));
            }
            column_plans.push(ColumnPlan {
                id: d.id,
                kind,
                header_words: d.header_words,
                columns,
            });
        }

        let mut totals_with_part = vec![];
        for d in rule::rules::<TotalWithPartDef>(file, &t, "total_with_part")? {
            ids.add(file, &d.id)?;
            for m in [&d.metric, &d.part, &d.becomes] {
                if !known.contains(&m.as_str()) {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("names unknown metric `{m}`"),
                    ));
                }
            }
            totals_with_part.push(TotalWithPart {
                not_in_text: opt_re(file, &d.id, &d.not_in_text)?,
                id: d.id,
                metric: d.metric,
                part: d.part,
                becomes: d.becomes,
            });
        }

        let mut item_lists = vec![];
        for d in rule::rules::<ItemListDef>(file, &t, "item_list")? {
            ids.add(file, &d.id)?;
            if !known.contains(&d.metric.as_str()) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    format!("names unknown metric `{}`", d.metric),
                ));
            }
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            let requires = rule::Requires::new(file, &d.id, d.requires, &re, &d.examples)?;
            item_lists.push(ItemListRule {
                id: d.id,
                re,
                metric: d.metric,
                requires,
            });
        }

        let mut fund_columns = vec![];
        for d in rule::rules::<FundColumnDef>(file, &t, "fund_column")? {
            ids.add(file, &d.id)?;
            for m in d.rename.iter().flatten() {
                if !known.contains(&m.as_str()) {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("rename names unknown metric `{m}`"),
                    ));
                }
            }
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            fund_columns.push(FundColumn {
                id: d.id,
                re,
                rename: d.rename.into_iter().map(|[a, b]| (a, b)).collect(),
            });
        }

        Ok(Metrics {
            label_set: Default::default(),
            id: {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            },
            rules,
            alone,
            basis,
            change,
            exclude,
            scopes,
            rewrites,
            doc_basis,
            subjects,
            table_kinds,
            column_plans,
            totals_with_part,
            item_lists,
            fund_columns,
            column_units,
            indicator_header,
            filler,
            total_label,
            basis_label,
            addend,
            score_scale,
            skip_column,
            subject_column,
            year,
        })
    }
}

/// Label wording as rules see it: no whitespace or quotation marks, full-width
/// brackets folded, and the file's rewrites (typos, synonyms) applied.
pub fn normalize_label(s: &str, rewrites: &Rewrites) -> String {
    // Runs of bytes that stand for themselves are copied whole: every character
    // `label_char` drops or changes is one of a few ASCII bytes or starts with
    // one of five lead bytes, and most CJK text starts with none of them.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        if !LABEL_SPECIAL[b[i] as usize] {
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("a char boundary");
        match label_char(c) {
            Some(x) if x == c => {}
            folded => {
                out.push_str(&s[run..i]);
                out.extend(folded);
                run = i + c.len_utf8();
            }
        }
        i += c.len_utf8();
    }
    out.push_str(&s[run..]);
    // No rewrite applies to a label without any of their words (nor, then, can one
    // rewrite make words for the next).
    if !rewrites.filter.may_match(&out) {
        return out;
    }
    for r in rewrites.iter() {
        if r.from.is_match(&out) {
            out = r.from.replace_all(&out, r.to.as_str()).into_owned();
        }
    }
    out
}

/// What a label keeps of a character: nothing for whitespace and quotation or
/// emphasis marks, the ASCII form of full-width brackets and punctuation.
fn label_char(c: char) -> Option<char> {
    if c.is_whitespace()
        || matches!(
            c,
            '“' | '”'
                | '‘'
                | '’'
                | '"'
                | '\''
                | '「'
                | '」'
                | '『'
                | '』'
                | '《'
                | '》'
                | '*'
                | '#'
        )
    {
        return None;
    }
    Some(match c {
        '（' | '〔' | '【' | '[' => '(',
        '）' | '〕' | '】' | ']' => ')',
        '，' => ',',
        '：' => ':',
        '；' => ';',
        c => c,
    })
}

/// Bytes that may start a character [`label_char`] drops or changes: ASCII
/// whitespace, `"'*#[]`, and the lead bytes of the non-ASCII whitespace (C2, E1,
/// E2, E3), the curly quotes (E2), the CJK brackets (E3) and the full-width forms
/// (EF).
const LABEL_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(
            b as u8,
            b'\t'
                ..=b'\r'
                    | b' '
                    | b'"'
                    | b'\''
                    | b'*'
                    | b'#'
                    | b'['
                    | b']'
                    | 0xC2
                    | 0xE1
                    | 0xE2
                    | 0xE3
                    | 0xEF
        );
        b += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The byte scan agrees with mapping every character.
        #[test]
        fn label_scan_maps_every_char(s in "[ \t\r\n\u{85}\u{a0}\u{1680}\u{2000}-\u{2030}\u{205f}\u{3000}-\u{3020}\u{ff01}-\u{ff1f}“”‘’\"'*#\\[\\]()a-z0-9项目经费支出（）]{0,40}") {
            let none = Rewrites::new(vec![]);
            let want: String = s.chars().filter_map(label_char).collect();
            prop_assert_eq!(normalize_label(&s, &none), want);
        }
    }

    fn load(src: &str) -> Result<Metrics, PatternError> {
        Metrics::load("m.toml", src, &mut IdRegistry::default())
    }

    #[test]
    fn alone_rules_are_kept_apart() {
        let m = load("[[metric]]\nid = \"a\"\nmetric = \"funds.annual\"\nunit = \"CNY\"\npattern = '^全年预算$'\nalone = true\ntitle = '绩效'\nexamples = [\"全年预算\"]\n").unwrap();
        assert!(m.rules.is_empty());
        assert_eq!(m.alone.len(), 1);
        assert!(m.alone[0].title.is_some());
        // `title` only on an `alone` rule, and an `alone` rule needs a pattern.
        let e = load("[[metric]]\nid = \"b\"\nmetric = \"x\"\nunit = \"CNY\"\npattern = 'x'\ntitle = '绩效'\n")
            .err()
            .unwrap();
        assert!(e.to_string().contains("`b`"), "{e}");
        let e = load(
            "[[metric]]\nid = \"c\"\nmetric = \"x\"\nunit = \"CNY\"\nafter = '^x'\nalone = true\n",
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("`c`"), "{e}");
        let e = load("[[metric]]\nid = \"d\"\nmetric = \"x\"\nunit = \"CNY\"\npattern = 'x'\nnot_in_text = '执行数'\n")
            .err()
            .unwrap();
        assert!(e.to_string().contains("`d`"), "{e}");
    }

    #[test]
    fn exclusions_after_the_figure() {
        let m = load("[[exclude]]\nid = \"band\"\nwords_after = true\npattern = '^以上的为'\n")
            .unwrap();
        assert!(m.excluded_after("以上的为优", Unit::Score).is_some());
        assert!(m.excluded_after("为优", Unit::Score).is_none());
        // Only an exclusion reads `words_after`, and never with `with_previous`.
        let e = load(
            "[[basis]]\nid = \"b\"\nbasis = \"actual\"\nwords_after = true\npattern = '决算'\n",
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("`b`"), "{e}");
        let e = load(
            "[[exclude]]\nid = \"x\"\nwords_after = true\nwith_previous = true\npattern = '以上'\n",
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("`x`"), "{e}");
    }
}

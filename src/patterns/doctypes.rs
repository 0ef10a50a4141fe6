//! `doctypes.toml`: the wording the document card reads — what kind of report
//! (part) a title or table announces, and where the year, the date, the unit's
//! name and the self-evaluation result are written.

use regex::Regex;
use serde::Deserialize;

use super::rule::{self, IdRegistry};
use crate::error::PatternError;
use crate::model::{DocType, Grade};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocTypeDef {
    id: String,
    doc_type: String,
    /// `title`: a title line (whitespace removed), the match is the kind phrase the
    /// unit name stands before; `cell`: a whole table cell or label line.
    #[serde(default = "default_on")]
    on: String,
    pattern: String,
    /// For `cell` rules: a line within the next lines must match too (a header
    /// that only this kind of table has).
    #[serde(default)]
    confirm: Option<String>,
    /// For `cell` rules: no other cell of the line may match (a column header
    /// beside it: the cell heads a list's column, not a form's row).
    #[serde(default)]
    not_beside: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

fn default_on() -> String {
    "title".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Title,
    Cell,
}

#[derive(Debug, Clone)]
pub struct DocTypeRule {
    pub id: String,
    pub doc_type: DocType,
    pub on: On,
    pub re: Regex,
    pub confirm: Option<Regex>,
    pub not_beside: Option<Regex>,
}

/// A rule that is just an id and a regex (with the named groups its section needs).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainDef {
    id: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub re: Regex,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeDef {
    id: String,
    pattern: String,
    grade: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct GradeRule {
    pub id: String,
    pub re: Regex,
    pub grade: Grade,
}

#[derive(Debug, Clone)]
pub struct DocTypes {
    /// Kinds of report parts, by title or table cell.
    pub rules: Vec<DocTypeRule>,
    /// Group `year`: the year a report covers, tried in order on the title first.
    pub years: Vec<Rule>,
    /// Groups `y`, `m`, `d`: the date a report was signed or filled in.
    pub dates: Vec<Rule>,
    /// Group `value` (may be empty: the value is then the next cell): labels whose
    /// value is the reporting unit's name, in order of trust.
    pub org_fields: Vec<Rule>,
    /// Words a line needs before any `org_fields` rule can match a cell of it.
    pub org_field_filter: rule::Prefilter,
    /// Words a line needs, whitespace removed, before any `on = "cell"` rule can
    /// match a cell of it (a cell without whitespace is a piece of that line).
    pub cell_filter: rule::Prefilter,
    /// What a unit's name ends with (局, 中心, 委员会 …).
    pub org_suffix: Vec<Rule>,
    /// Groups `score` and/or `grade`: the unit's overall self-evaluation result.
    pub self_eval: Vec<Rule>,
    /// Words just before a self-evaluation phrase that make it a project's result.
    pub project_context: Vec<Rule>,
    /// Words a self-evaluation phrase's sentence opens on that make it a project's
    /// result (`该项目全年预算数…，绩效自评得分94分`).
    pub project_sentence: Vec<Rule>,
    /// Words just before a self-evaluation phrase that make it one part's score.
    pub part_context: Vec<Rule>,
    /// Words in a self-evaluation phrase's sentence that make it the whole unit's
    /// result (`部门整体支出绩效自评得分91.8分`): it wins over a project's earlier one.
    pub unit_context: Vec<Rule>,
    /// A grade word as written → 优/良/中/差 (whole-word match).
    pub grades: Vec<GradeRule>,
    /// The label cell of an evaluation table's total row (总分).
    pub total_row: Vec<Rule>,
    /// The label cell of an evaluation table's grade row (`自评等级 | 优`).
    pub grade_row: Vec<Rule>,
}

fn plain(
    file: &str,
    t: &toml::Table,
    section: &str,
    groups: &[&str],
    ids: &mut IdRegistry,
) -> Result<Vec<Rule>, PatternError> {
    let mut out = vec![];
    for d in rule::rules::<PlainDef>(file, t, section)? {
        ids.add(file, &d.id)?;
        let re = rule::compile(file, &d.id, &d.pattern)?;
        for g in groups {
            if !re.capture_names().any(|n| n == Some(*g)) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    format!("pattern needs a group `{g}`"),
                ));
            }
        }
        rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
        out.push(Rule { id: d.id, re });
    }
    Ok(out)
}

impl DocTypes {
    pub fn load(file: &str, src: &str, ids: &mut IdRegistry) -> Result<DocTypes, PatternError> {
        let t = rule::parse_sections(
            file,
            src,
            &[
                "doctype",
                "year",
                "date",
                "org_field",
                "org_suffix",
                "self_eval",
                "project_context",
                "project_sentence",
                "part_context",
                "unit_context",
                "grade",
                "total_row",
                "grade_row",
            ],
            &[],
        )?;
        let mut rules = vec![];
        for d in rule::rules::<DocTypeDef>(file, &t, "doctype")? {
            ids.add(file, &d.id)?;
            let doc_type = DocType::parse(&d.doc_type).ok_or_else(|| {
                PatternError::new(
                    file,
                    Some(&d.id),
                    format!("unknown doc_type `{}`", d.doc_type),
                )
            })?;
            let on = match d.on.as_str() {
                "title" => On::Title,
                "cell" => On::Cell,
                other => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("`on` must be `title` or `cell`, not `{other}`"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            let confirm = d
                .confirm
                .as_deref()
                .map(|p| rule::compile(file, &d.id, p))
                .transpose()?;
            let not_beside = d
                .not_beside
                .as_deref()
                .map(|p| rule::compile(file, &d.id, p))
                .transpose()?;
            if on == On::Title && (confirm.is_some() || not_beside.is_some()) {
                return Err(PatternError::new(
                    file,
                    Some(&d.id),
                    "`confirm` and `not_beside` are for `on = \"cell\"` rules".to_string(),
                ));
            }
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            rules.push(DocTypeRule {
                id: d.id,
                doc_type,
                on,
                re,
                confirm,
                not_beside,
            });
        }
        let years = plain(file, &t, "year", &["year"], ids)?;
        let dates = plain(file, &t, "date", &["y", "m", "d"], ids)?;
        let org_fields = plain(file, &t, "org_field", &["value"], ids)?;
        let org_suffix = plain(file, &t, "org_suffix", &[], ids)?;
        let self_eval = plain(file, &t, "self_eval", &[], ids)?;
        for r in &self_eval {
            let has = |g: &str| r.re.capture_names().any(|n| n == Some(g));
            if !has("score") && !has("grade") {
                return Err(PatternError::new(
                    file,
                    Some(&r.id),
                    "pattern needs a group `score` or `grade`",
                ));
            }
        }
        let project_context = plain(file, &t, "project_context", &[], ids)?;
        let project_sentence = plain(file, &t, "project_sentence", &[], ids)?;
        let part_context = plain(file, &t, "part_context", &[], ids)?;
        let unit_context = plain(file, &t, "unit_context", &[], ids)?;
        let mut grades = vec![];
        for d in rule::rules::<GradeDef>(file, &t, "grade")? {
            ids.add(file, &d.id)?;
            let grade = match d.grade.as_str() {
                "优" => Grade::Excellent,
                "良" => Grade::Good,
                "中" => Grade::Fair,
                "差" => Grade::Poor,
                other => {
                    return Err(PatternError::new(
                        file,
                        Some(&d.id),
                        format!("grade must be 优, 良, 中 or 差, not `{other}`"),
                    ))
                }
            };
            let re = rule::compile(file, &d.id, &d.pattern)?;
            rule::check_examples(file, &d.id, &re, &d.examples, &d.counter_examples)?;
            grades.push(GradeRule {
                id: d.id,
                re,
                grade,
            });
        }
        let total_row = plain(file, &t, "total_row", &[], ids)?;
        let grade_row = plain(file, &t, "grade_row", &[], ids)?;
        let org_field_filter =
            rule::Prefilter::new(&org_fields.iter().map(|r| r.re.as_str()).collect::<Vec<_>>());
        let cell_filter = rule::Prefilter::new(
            &rules
                .iter()
                .filter(|r| r.on == On::Cell)
                .map(|r| r.re.as_str())
                .collect::<Vec<_>>(),
        );
        Ok(DocTypes {
            org_field_filter,
            cell_filter,
            rules,
            years,
            dates,
            org_fields,
            org_suffix,
            self_eval,
            project_context,
            project_sentence,
            part_context,
            unit_context,
            grades,
            total_row,
            grade_row,
        })
    }

    /// The grade a word stands for (`优秀` → 优).
    pub fn grade(&self, raw: &str) -> Option<Grade> {
        self.grades
            .iter()
            .find(|g| g.re.is_match(raw.trim()))
            .map(|g| g.grade)
    }

    /// Whether `name` ends like a unit's name.
    pub fn is_org_name(&self, name: &str) -> bool {
        self.org_suffix.iter().any(|r| r.re.is_match(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load() {
        let mut ids = IdRegistry::default();
        let d = DocTypes::load(
            "doctypes.toml",
            include_str!("../../patterns/doctypes.toml"),
            &mut ids,
        )
        .unwrap();
        assert_eq!(d.grade("优秀"), Some(Grade::Excellent));
        assert_eq!(d.grade("良好"), Some(Grade::Good));
        assert!(d.is_org_name("东安县网格事务中心"));
        assert!(!d.is_org_name("备注"));
        // The cell rules' words: a line without them has no such cell.
        assert!(d.cell_filter.is_active());
        assert!(d.cell_filter.may_match("序号|项目名称|预算数"));
        assert!(!d.cell_filter.may_match("单位:万元"));
    }

    #[test]
    fn bad_doc_type_names_the_rule() {
        let mut ids = IdRegistry::default();
        let e = DocTypes::load(
            "d.toml",
            "[[doctype]]\nid = \"d.x\"\ndoc_type = \"nope\"\npattern = 'x'\n",
            &mut ids,
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("d.toml: rule `d.x`"), "{e}");
    }
}

//! Tables and indicators: one golden file per layout fixture (the input beside its
//! expected JSON in `tests/fixtures/tables/`), the table kinds of the corpus, and
//! indicator accuracy on the shared gold.
//!
//! After an intended change, `BAOGAO_BLESS_TABLES=1 cargo test tables::` rewrites
//! the fixtures' expected JSON for review.

use std::path::{Path, PathBuf};
use std::process::Command;

use baogao::model::{Indicator, Table};
use baogao::{Outcome, PatternSet};
use serde_json::{json, Value};

use crate::common::*;

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/tables")
}

fn extract(path: &Path) -> (Vec<Table>, Vec<Indicator>) {
    let pats = PatternSet::embedded().unwrap();
    let bytes = std::fs::read(path).unwrap();
    match baogao::extract(&path.display().to_string(), &bytes, &pats) {
        Outcome::Extracted(doc) => (doc.tables, doc.indicators),
        Outcome::Failed(f) => panic!("{}: {}", path.display(), f.error),
    }
}

fn cells(rows: &[Vec<baogao::model::Cell>]) -> Value {
    rows.iter()
        .map(|r| r.iter().map(|c| c.text.clone()).collect::<Vec<_>>())
        .collect()
}

/// What a fixture's expected file records: the parts of a table a reader decides.
fn table_json(t: &Table) -> Value {
    json!({
        "kind": t.kind.as_str(),
        "rule": t.rule,
        "title": t.title,
        "unit": t.unit,
        "subject": t.subject,
        "layout": t.layout,
        "lines": [t.lines.0 + 1, t.lines.1 + 1],
        "header": cells(&t.header),
        "rows": cells(&t.rows),
    })
}

fn indicator_json(i: &Indicator) -> Value {
    let m = |x: &baogao::model::Measure| serde_json::to_value(x).unwrap();
    json!({
        "table_id": i.table_id,
        "subject": i.subject,
        "level1": i.level1,
        "level1_weight": i.level1_weight.map(|d| d.to_string()),
        "level2": i.level2,
        "level3": i.level3,
        "target": m(&i.target),
        "actual": m(&i.actual),
        "weight": i.weight.map(|d| d.to_string()),
        "score": i.score.map(|d| d.to_string()),
        "note": i.note,
        "is_total": i.is_total,
    })
}

/// The whole pipeline's output for a fixture.
fn fixture_doc(name: &str) -> baogao::model::Doc {
    let path = fixtures().join(format!("{name}.txt"));
    let pats = PatternSet::embedded().unwrap();
    match baogao::extract(name, &std::fs::read(&path).unwrap(), &pats) {
        Outcome::Extracted(doc) => *doc,
        Outcome::Failed(f) => panic!("{name}: {}", f.error),
    }
}

/// Each named indicator's level 3, target and actual as written.
fn targets_and_actuals(indicators: &[Indicator]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    indicators
        .iter()
        .filter_map(|i| {
            Some((
                i.level3.as_deref()?,
                i.target.raw.as_deref(),
                i.actual.raw.as_deref(),
            ))
        })
        .collect()
}

fn check_fixture(name: &str) {
    let input = fixtures().join(format!("{name}.txt"));
    let expected = fixtures().join(format!("{name}.json"));
    let (tables, indicators) = extract(&input);
    let got = json!({
        "tables": tables.iter().map(table_json).collect::<Vec<_>>(),
        "indicators": indicators.iter().map(indicator_json).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
    if std::env::var_os("BAOGAO_BLESS_TABLES").is_some() {
        std::fs::write(&expected, &text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&expected)
        .unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
    let want: Value = serde_json::from_str(&want).unwrap();
    assert_eq!(
        got,
        want,
        "{name}: tables differ from {} (BAOGAO_BLESS_TABLES=1 to accept)",
        expected.display()
    );
}

#[test]
fn layout_cell_per_line() {
    check_fixture("cell_per_line");
}

/// A 自评表 typed out one `label：value` field per line, indicators as blocks of
/// fields without blank lines between them: read as the cell rows of the form, one
/// table per project; `总分` is the full marks when a score line follows it.
#[test]
fn layout_record_fields() {
    check_fixture("record_fields");
    let (tables, indicators) = extract(&fixtures().join("record_fields.txt"));
    let subjects: Vec<Option<&str>> = tables.iter().map(|t| t.subject.as_deref()).collect();
    assert_eq!(
        subjects,
        [
            Some("城乡居民饮水安全巡检经费"),
            Some("小型水库安全鉴定补助")
        ]
    );
    let named: Vec<_> = indicators.iter().filter(|i| i.level3.is_some()).collect();
    assert_eq!(named.len(), 6);
    let last = named[3];
    assert_eq!(last.level3.as_deref(), Some("受益群众满意度"));
    assert_eq!(last.note.as_deref(), Some("偏远村组停水通知不及时。"));
}

/// A 基础数据表 typed out as label lines over blocks of `2023年决算数：…` fields: one
/// grid with the field names as its header, `其中：外事接待` a row of its own.
#[test]
fn layout_record_keyed_blocks() {
    check_fixture("record_keyed_blocks");
    let (tables, _) = extract(&fixtures().join("record_keyed_blocks.txt"));
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].unit.as_deref(), Some("万元"));
    let labels: Vec<&str> = tables[0].rows.iter().map(|r| r[0].text.as_str()).collect();
    assert!(labels.contains(&"其中:外事接待"), "{labels:?}");
    // The staff block is no row of the grid: its fields are rows of their own.
    assert!(labels.contains(&"编制数"), "{labels:?}");
}

/// A 自评表 of bare cell lines, rows between blank lines, merged cells printed
/// only in their first row: rows differ in width, and a row without the block's
/// leading cell (`绩效指标`) still puts its figures under 分值 and 得分.
#[test]
fn layout_bare_form_ragged() {
    check_fixture("bare_form_ragged");
    let (tables, indicators) = extract(&fixtures().join("bare_form_ragged.txt"));
    assert_eq!(tables.len(), 1);
    let got: Vec<(&str, Option<String>, Option<String>)> = indicators
        .iter()
        .filter_map(|i| {
            Some((
                i.level3.as_deref()?,
                i.weight.map(|d| d.to_string()),
                i.score.map(|d| d.to_string()),
            ))
        })
        .collect();
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got.contains(&("配备设备的卫生院数量", Some("20".into()), Some("20".into()))));
    assert!(got.contains(&("设备完好率", Some("15".into()), Some("12".into()))));
}

/// Regression: a value column aligned both ways (`≥88%` right, `≥36公里` left) is
/// split in two under one heading; the indicator reads both halves.
#[test]
fn layout_aligned_indicators_mixed_alignment() {
    check_fixture("aligned_indicators_mixed_alignment");
    let (_, indicators) = extract(&fixtures().join("aligned_indicators_mixed_alignment.txt"));
    let got: Vec<(Option<&str>, Option<&str>)> = indicators
        .iter()
        .map(|i| (i.target.raw.as_deref(), i.actual.raw.as_deref()))
        .collect();
    assert_eq!(got.len(), 6);
    assert!(
        got.iter().all(|(t, a)| t.is_some() && a.is_some()),
        "{got:?}"
    );
    assert_eq!(got[1], (Some("≥36公里"), Some("34.5公里")));
}

/// Regression: project forms printed one per page (their title repeated at each
/// page's top is no running header), 目标 cells set as sentences one space apart,
/// indicator names wrapped flush left around their figures, and a cell set one
/// space after a full one (`社会效益指标 城乡居民公共卫生服务差距`).
#[test]
fn layout_aligned_project_forms() {
    check_fixture("aligned_project_forms");
    let (tables, indicators) = extract(&fixtures().join("aligned_project_forms.txt"));
    assert_eq!(tables.len(), 3);
    let names: Vec<&str> = indicators
        .iter()
        .filter_map(|i| i.level3.as_deref())
        .collect();
    for want in [
        "65岁及以上老年人健康管理人数",
        "居民规范化电子健康档案建档率",
        "城乡居民公共卫生服务差距",
        "城乡居民对基本公共卫生服务满意度",
    ] {
        assert!(names.contains(&want), "{want} not in {names:?}");
    }
    // The 万元 of `项目资` / `金（万` / `元）` wrapped down the lead column, and the
    // year line under each form's title.
    let doc = fixture_doc("aligned_project_forms");
    assert!(doc
        .facts
        .iter()
        .any(|f| f.metric.as_deref() == Some("funds.annual")
            && f.value == rust_decimal::Decimal::from(23_568_000)));
    assert_eq!(doc.card.fiscal_year, Some(2023));
}

/// Regression: a numbered caption (`表2 …绩效指标完成情况`) over an indicator
/// table that is one band, and the heading after it (`五、存在的问题…`) left to
/// the text.
#[test]
fn layout_aligned_caption_indicators() {
    check_fixture("aligned_caption_indicators");
    let (tables, indicators) = extract(&fixtures().join("aligned_caption_indicators.txt"));
    assert_eq!(tables.len(), 1);
    assert!(!tables[0]
        .rows
        .iter()
        .flatten()
        .any(|c| c.text.contains("存在的问题")));
    let got: Vec<(&str, Option<&str>)> = indicators
        .iter()
        .filter_map(|i| Some((i.level3.as_deref()?, i.actual.raw.as_deref())))
        .collect();
    assert!(
        got.contains(&("道路清扫保洁面积", Some("1586万平方米"))),
        "{got:?}"
    );
    assert!(
        got.contains(&("生活垃圾日产日清率", Some("96.8%"))),
        "{got:?}"
    );
}

/// Regression: a 基础数据表 printed one bare cell per line with no blank line
/// between rows was no table; its rows are a label and as many figures as the
/// block's headings, each block's headings after its caption.
#[test]
fn layout_bare_cells_without_blank_lines() {
    check_fixture("bare_unbroken");
    let (tables, _) = extract(&fixtures().join("bare_unbroken.txt"));
    assert_eq!(tables.len(), 1);
    let rows: Vec<Vec<&str>> = tables[0]
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert!(
        rows.contains(&vec!["项目支出", "812.40", "905.00", "876.35"]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec!["政府采购金额", "——", "120.00", "113.60"]),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 7, "{rows:?}");
}

/// Regression: in a form whose names wrap above and below their row's values,
/// a line of values alone that pdftotext set columns off (`有效降低 有效降低 5 5`)
/// fell under the name column, the note heading's lower half (`改进措施`) was a
/// row, and a name's lower half joined the next row's name.
#[test]
fn layout_aligned_centred_value_lines() {
    check_fixture("aligned_centred_value_lines");
    let (_, indicators) = extract(&fixtures().join("aligned_centred_value_lines.txt"));
    let got: Vec<(&str, Option<&str>)> = indicators
        .iter()
        .filter_map(|i| Some((i.level3.as_deref()?, i.actual.raw.as_deref())))
        .collect();
    for want in [
        ("每公里年均日常养护成本", Some("0.277万元")),
        ("降低沿线群众出行和农产品运输成本", Some("有效降低")),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
}

/// Regression: values wrapped in narrow form cells sit half above, half below
/// their row's key line, which holds none of them; a lower half joined the next
/// row when the upper half ended short of the column's width (`≤90万元/` over
/// `公里`). A name's last line set after the level-2 name's with one space
/// (`响指标 机制`) stayed in the level-2 column.
#[test]
fn layout_aligned_values_split_around_row() {
    check_fixture("aligned_values_split_around_row");
    let (_, indicators) = extract(&fixtures().join("aligned_values_split_around_row.txt"));
    let got = targets_and_actuals(&indicators);
    for want in [
        (
            "道路竣工时间",
            Some("2024年10月15日前"),
            Some("2024年10月28日"),
        ),
        (
            "每公里建设成本",
            Some("≤90万元/公里"),
            Some("86.25万元/公里"),
        ),
        ("通行时间缩短比例", Some("≥5个百分点"), Some("6.1个百分点")),
        ("道路管护长效运行机制", Some("逐步建立"), Some("基本建立")),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    // No stray row of lower halves.
    assert_eq!(got.len(), 8, "{got:?}");
}

/// Regression: a form cell too narrow for `≥120千人` prints the figure above the
/// row's name and its unit below; the unit joined the next row, whose own figures
/// then stood as a row without a name. A note opening on a figure (`36处…`) took
/// no more words either.
#[test]
fn layout_aligned_values_over_units() {
    check_fixture("aligned_values_over_units");
    let (_, indicators) = extract(&fixtures().join("aligned_values_over_units.txt"));
    let got = targets_and_actuals(&indicators);
    for want in [
        ("农村供水保障人口", Some("≥120千人"), Some("116.5千人")),
        ("维修养护工程数量", Some("≥85处"), Some("87处")),
        ("水质检测覆盖行政村数", Some("≥210个"), Some("214个")),
        ("人均维修养护补助", Some("35.6元/人"), Some("35.2元/人")),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
    assert_eq!(indicators.len(), 6, "{got:?}");
    assert!(indicators[0]
        .note
        .as_deref()
        .is_some_and(|n| n.ends_with("续建")));
}

/// Regression: pdftotext lays each page out by itself and squeezed the second
/// page's columns unevenly (指标值 in place, 分值 ten columns left), so no one
/// shift brought its figures under the headings: weights fell in 实际完成值.
#[test]
fn layout_aligned_form_page_squeezed() {
    check_fixture("aligned_form_page_squeezed");
    let (_, indicators) = extract(&fixtures().join("aligned_form_page_squeezed.txt"));
    let got: Vec<(&str, Option<&str>, String, String)> = indicators
        .iter()
        .filter_map(|i| {
            Some((
                i.level3.as_deref()?,
                i.actual.raw.as_deref(),
                i.weight.map(|d| d.to_string()).unwrap_or_default(),
                i.score.map(|d| d.to_string()).unwrap_or_default(),
            ))
        })
        .collect();
    for (name, actual, weight, score) in [
        ("受益群众人均节约取水时间", "25分钟", "8", "8"),
        ("农村集中供水率", "92.4%", "8", "7.6"),
        ("工程管护机制", "基本健全", "8", "7"),
        ("受益群众满意度", "94%", "10", "10"),
    ] {
        assert!(
            got.contains(&(name, Some(actual), weight.into(), score.into())),
            "{name} not in {got:?}"
        );
    }
}

/// Regression: a scoring table (`一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 |
/// 指标解释及评分标准 | 自评得分`) took the first 分值 for every indicator's weight;
/// a row whose scoring note names 预算数…执行率 cut the table as if it were a 资金
/// band line; and the page before the repeated band line was read as a financial
/// table, its wrapped notes splitting the rows. (Rows above a level-1 label centred
/// on its block still carry the label before.)
#[test]
fn layout_aligned_scoring_table() {
    check_fixture("aligned_scoring_table");
    let (_, indicators) = extract(&fixtures().join("aligned_scoring_table.txt"));
    let text = |d: Option<rust_decimal::Decimal>| d.map_or(String::new(), |d| d.to_string());
    let got: Vec<[String; 4]> = indicators
        .iter()
        .filter_map(|i| {
            Some([
                i.level3.clone()?,
                text(i.level1_weight),
                text(i.weight),
                text(i.score),
            ])
        })
        .collect();
    assert_eq!(got.len(), 25, "{got:?}");
    for (name, weight, score) in [
        ("绩效目标合理性", "3", "3"),
        ("预算执行率", "5", "4.95"),
        ("预算调整率", "3", "2"),
        ("政府采购执行率", "3", "2.5"),
        ("资产管理安全性", "2", "2"),
        ("质量达标率", "8", "7"),
        ("社会公众或服务对象满意度", "6", "5.5"),
    ] {
        assert!(
            got.iter()
                .any(|g| g[0] == name && g[2] == weight && g[3] == score),
            "{name} {weight} {score} not in {got:?}"
        );
    }
    for (name, points) in [
        ("在职人员控制率", "15"),
        ("质量达标率", "30"),
        ("社会公众或服务对象满意度", "20"),
    ] {
        assert!(
            got.iter().any(|g| g[0] == name && g[1] == points),
            "{name} {points} not in {got:?}"
        );
    }
}

/// Regression: a form's note column headed above and below its band line
/// (`偏差原因分析及` / `改进措施`, right of `得分`) took the score column's place,
/// and the form's rows on the next page (set on that page's own grid, its first
/// line a wrapped label) were lost or read one column off.
#[test]
fn layout_aligned_form_note_column_pages() {
    check_fixture("aligned_form_note_column_pages");
    let (_, indicators) = extract(&fixtures().join("aligned_form_note_column_pages.txt"));
    let got: Vec<(&str, Option<&str>, Option<String>)> = indicators
        .iter()
        .filter_map(|i| {
            Some((
                i.level3.as_deref()?,
                i.actual.raw.as_deref(),
                i.score.map(|s| s.to_string()),
            ))
        })
        .collect();
    for want in [
        (
            "新建改扩建校舍面积",
            Some("6920平方米"),
            Some("8".to_string()),
        ),
        ("工程按期完工率", Some("83.3%"), Some("5.5".to_string())),
        ("学生满意度", Some("95.2%"), Some("5".to_string())),
        ("家长满意度", Some("92.6%"), Some("5".to_string())),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
}

/// Regression: a form whose first blocks are tab-separated rows and whose later
/// blocks are one cell per line was read as one cell-per-line table, its TSV
/// rows glued into one header cell.
#[test]
fn layout_tsv_then_cell_per_line() {
    check_fixture("tsv_then_cell_per_line");
    let doc = fixture_doc("tsv_then_cell_per_line");
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].unit.as_deref(), Some("万元"));
    let get = |m: &str| {
        doc.facts
            .iter()
            .filter(|f| f.metric.as_deref() == Some(m))
            .map(|f| f.raw.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(get("staff.authorized"), ["45"]);
    assert_eq!(get("expenditure.total"), ["3856.20", "5214.68", "5102.35"]);
    assert_eq!(get("three_public.total"), ["6.80", "5.36"]);
}

/// Regression: an untitled space-aligned table announced by the sentence above it
/// (`…重点项目自评结果如下：`), a listing of projects: each row's figures are its
/// project's, and the sentence's own figures stay text facts.
#[test]
fn layout_aligned_lead_in_listing() {
    check_fixture("aligned_lead_in_listing");
    let doc = fixture_doc("aligned_lead_in_listing");
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].title, None);
    let get = |raw: &str| {
        doc.facts
            .iter()
            .filter(|f| f.raw == raw)
            .map(|f| (f.metric.as_deref(), f.subject.as_deref()))
            .collect::<Vec<_>>()
    };
    assert!(get("2311.26").contains(&(Some("funds.annual"), Some("农村中小学校舍维修改造项目"))));
    assert!(get("85").contains(&(Some("self_eval.score"), Some("农村中小学校舍维修改造项目"))));
    assert!(get("94.5分").contains(&(Some("self_eval.score"), None)));
}

/// Regression: a listing's header row (`项目名称 | 年初预算 | …`) made `年初预算`
/// the table's project; each row is its own project's.
#[test]
fn tsv_listing_of_projects() {
    let doc = fixture_doc("tsv_listing");
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].subject, None);
    let f = doc.facts.iter().find(|f| f.raw == "10,245.80").unwrap();
    assert_eq!(f.metric.as_deref(), Some("funds.annual"));
    assert_eq!(f.subject.as_deref(), Some("农村最低生活保障金"));
    let r = doc.facts.iter().find(|f| f.raw == "99.42%").unwrap();
    assert_eq!(r.metric.as_deref(), Some("funds.execution_rate"));
}

/// Regression: a 基础数据表's numbered block captions (`二、部门预算及执行情况`)
/// cut it into blocks read on columns of their own ([[block]]), so the budget
/// block is not spread over the staff block's columns.
#[test]
fn layout_aligned_basic_data_blocks() {
    check_fixture("aligned_basic_data_blocks");
    let (tables, _) = extract(&fixtures().join("aligned_basic_data_blocks.txt"));
    let rows = &tables[0].rows;
    let budget = rows
        .iter()
        .position(|r| r.iter().any(|c| c.text == "年初预算"))
        .expect("the budget block's heading row");
    assert!(rows[budget].iter().all(|c| !c.text.contains("32")));
    assert!(rows.len() > budget + 1 && rows[budget + 1].iter().any(|c| c.text == "1,246.30"));
}

/// Regression: a 基础数据表 without numbered captions is a stack of small grids,
/// each under its own line of headings; a grid of one line of figures pairs
/// them with its headings in order (the headings are centred, the figures not).
#[test]
fn layout_aligned_basic_data_grids() {
    check_fixture("aligned_basic_data_grids");
    let (tables, _) = extract(&fixtures().join("aligned_basic_data_grids.txt"));
    let t = &tables[0];
    let staff = t.header.last().expect("the staff grid's headings");
    assert_eq!(staff[1].text, "编制数(人)");
    assert_eq!(t.rows[0][1].text, "18");
    let assets = t
        .rows
        .iter()
        .position(|r| r.iter().any(|c| c.text == "资产总额"))
        .expect("the assets grid's headings");
    assert_eq!(t.rows[assets + 1][1].text, "126.48");
    assert_eq!(t.rows[assets + 1][4].text, "6.00");
}

/// Regression: a 基础数据表 stacked in blocks, each with its own header: a
/// caption over banners set apart by a blank line (`“三公”经费预算数 …
/// 决算数` over the same six sub-headings twice), a side heading between
/// banners and their sub-headings (`机关运行经费（决算数）`), a banner over no
/// word (`政府采购实际支出` over `合计 货物类 …`), a banner over sub-headings
/// across a line of other words with rows labelled by year and the block's
/// caption beside the first, and a row of label-figure pairs. Each block's
/// figures take their metric from their own columns' headings, their basis
/// from the banner or the row label, and none takes a heading of a block above.
#[test]
fn layout_aligned_basic_data_stacked_blocks() {
    check_fixture("aligned_basic_data_stacked_blocks");
    let facts = metric_facts("aligned_basic_data_stacked_blocks");
    let has = |m: &str, b: &str, v: &str| facts.iter().any(|f| f.0 == m && f.1 == b && f.2 == v);
    for (m, b, v) in [
        ("staff.authorized", "", "41"),
        ("vehicles.count", "", "3"),
        ("three_public.total", "budget", "68000"),
        ("three_public.total", "actual", "59400"),
        ("three_public.reception", "budget", "22000"),
        ("three_public.vehicle_operation", "budget", "46000"),
        ("three_public.vehicle_operation", "actual", "41200"),
        ("reception.batches", "", "17"),
        ("reception.visitors", "", "143"),
        ("meeting.expense", "budget", "24000"),
        ("meeting.expense", "actual", "19600"),
        ("training.expense", "budget", "55000"),
        ("training.expense", "actual", "48700"),
        ("admin_operation.expense", "actual", "863500"),
        ("procurement.total", "budget", "3120000"),
        ("procurement.total", "actual", "2984600"),
        ("three_public.total", "prior_year", "51000"),
        ("three_public.total", "budget", "60000"),
        ("three_public.total", "actual", "54200"),
        ("three_public.vehicle_purchase", "actual", "0"),
        ("three_public.reception", "prior_year", "15000"),
        ("reception.batches", "", "14"),
        ("reception.visitors", "", "96"),
        ("meeting.expense", "budget", "21000"),
        ("training.expense", "actual", "36600"),
    ] {
        assert!(has(m, b, v), "{m} {b} {v} not in {facts:?}");
    }
    // No figure of a later block under a heading of an earlier one, no goods
    // purchase as the purchases' total, no count as an amount, no purchase
    // under the vehicles' banner as the vehicles' total.
    for (m, b, v) in [
        ("staff.authorized", "", "68000"),
        ("procurement.total", "actual", "1843000"),
        ("three_public.total", "actual", "14"),
        ("three_public.vehicle", "prior_year", "0"),
    ] {
        assert!(!has(m, b, v), "{m} {b} {v} in {facts:?}");
    }
}

/// Regression: `科目名称` set a line below `本年收入合计`, close to its left edge,
/// is the label column's heading, not a sub-heading that made `本年收入合计` a
/// group over two columns (every figure then sat one heading to the left).
#[test]
fn layout_aligned_label_heading_below() {
    check_fixture("aligned_label_heading_below");
    let (tables, _) = extract(&fixtures().join("aligned_label_heading_below.txt"));
    let t = &tables[0];
    let bottom = t.header.last().unwrap();
    let col = |w: &str| bottom.iter().position(|c| c.text == w).unwrap();
    assert_eq!(t.rows[0][col("本年收入合计")].text, "12,480,356.20");
    assert_eq!(t.rows[0][col("财政拨款收入")].text, "12,106,230.00");
    assert_eq!(t.rows[0][col("科目名称")].text, "合计");
}

#[test]
fn layout_tsv() {
    check_fixture("tsv");
}

/// Header cells with a line break (copied from a web page) break their row over
/// lines: joined again into one row as wide as the table. The 支出决算表's
/// `功能分类科目编码 | 科目名称` line is a row of its own.
#[test]
fn layout_tsv_broken_header() {
    check_fixture("tsv_broken_header");
}

#[test]
fn layout_tsv_eval_form() {
    check_fixture("tsv_eval_form");
}

/// The 绩效指标 block has a column more (偏差原因分析) than the form's first header:
/// a row with a note keeps its empty level-1 cell, as its neighbours do.
#[test]
fn layout_tsv_eval_form_wide_block() {
    check_fixture("tsv_eval_form_wide_block");
    let (_, indicators) = extract(&fixtures().join("tsv_eval_form_wide_block.txt"));
    let rows: Vec<_> = indicators
        .iter()
        .filter(|i| !i.is_total)
        .map(|i| (i.level1.as_deref(), i.level2.as_deref(), i.note.is_some()))
        .collect();
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[3], (Some("效益指标"), Some("社会效益指标"), true));
    assert_eq!(
        rows[4],
        (Some("满意度指标"), Some("服务对象满意度指标"), false)
    );
}

/// The 年度资金总额 rows, as wide as the form's first header, above a wider 绩效指标
/// block: they keep their columns; the `（2023年度）` line under the title is passed.
#[test]
fn layout_tsv_eval_form_funds_block() {
    check_fixture("tsv_eval_form_funds_block");
    let doc = fixture_doc("tsv_eval_form_funds_block");
    let t = &doc.tables[0];
    assert_eq!(t.kind, baogao::model::TableKind::DeptEval);
    assert_eq!(t.title.as_deref(), Some("部门整体支出绩效自评表"));
    let funds = t.rows.iter().find(|r| r[0].text == "年度资金总额").unwrap();
    let cells: Vec<&str> = funds.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        cells[..7],
        [
            "年度资金总额",
            "6285.46",
            "9842.37",
            "9516.08",
            "10",
            "96.68%",
            "9.67"
        ]
    );
    let rate = doc
        .facts
        .iter()
        .find(|f| f.metric.as_deref() == Some("funds.execution_rate"))
        .unwrap();
    assert_eq!(rate.raw, "96.68%");
}

/// Weights before targets, a 未完成原因分析 note column, a 填报单位（盖章） line
/// between title and table, and a 合计 row for the total score.
#[test]
fn layout_tsv_eval_weight_first() {
    check_fixture("tsv_eval_weight_first");
    let doc = fixture_doc("tsv_eval_weight_first");
    assert_eq!(doc.tables[0].kind, baogao::model::TableKind::DeptEval);
    let notes = doc.indicators.iter().filter(|i| i.note.is_some()).count();
    assert_eq!(notes, 1);
    let score: Vec<_> = doc
        .facts
        .iter()
        .filter(|f| f.metric.as_deref() == Some("self_eval.score"))
        .map(|f| f.value.to_string())
        .collect();
    assert_eq!(score, ["98"]);
}

/// A group heading set narrower than its three sub-headings (`公务用车购置及运行费`
/// over 小计 · 购置费 · 运行费, two lines up) heads all three, and is no first line
/// of the middle one.
#[test]
fn layout_aligned_three_public_budget() {
    check_fixture("aligned_three_public_budget");
    let doc = fixture_doc("aligned_three_public_budget");
    let of = |raw: &str| {
        doc.facts
            .iter()
            .find(|f| f.raw == raw)
            .and_then(|f| f.metric.clone())
    };
    assert_eq!(of("36.56").as_deref(), Some("three_public.vehicle"));
    assert_eq!(of("15").as_deref(), Some("three_public.vehicle_purchase"));
    assert_eq!(
        of("21.56").as_deref(),
        Some("three_public.vehicle_operation")
    );
    assert_eq!(of("37.91").as_deref(), Some("three_public.total"));
}

#[test]
fn layout_pipe() {
    check_fixture("pipe");
}

#[test]
fn layout_aligned_side_by_side() {
    check_fixture("aligned_side_by_side");
}

#[test]
fn layout_aligned_page_break() {
    check_fixture("aligned_page_break");
}

#[test]
fn layout_aligned_values_above_rows() {
    check_fixture("aligned_values_above");
}

/// Regression: a label letter-spaced over its cell (`总      计`, `项      目`) was
/// read as one column per letter, so the 总计 row lost its label.
#[test]
fn layout_aligned_letter_spaced() {
    check_fixture("aligned_letter_spaced");
}

#[test]
fn layout_aligned_centred_labels() {
    check_fixture("aligned_centred_labels");
}

/// Regression: the rows of a table's second page, set by pdftotext on a narrower
/// grid, each landed one column left (under 经济分类科目名称 instead of 合计).
/// And its `一般公共预算基本支出` banner, two lines above 人员经费, was read as the
/// first line of a wrapped 人员经费 cell instead of a heading over three figure
/// columns.
#[test]
fn layout_aligned_page_narrower() {
    check_fixture("aligned_page_narrower");
}

#[test]
fn layout_aligned_two_blocks() {
    check_fixture("aligned_two_blocks");
}

#[test]
fn layout_aligned_three_public() {
    check_fixture("aligned_three_public");
}

#[test]
fn layout_aligned_banner_groups() {
    // Regression: `项目 … 收入预算` on a line of its own above a blank line heads
    // the column groups, not the first line of `事业收入`; 合计 and 其他收入 are
    // under 收入预算 too.
    check_fixture("aligned_banner_groups");
    let (tables, _) = extract(&fixtures().join("aligned_banner_groups.txt"));
    let h = &tables[0].header;
    let col = |w: &str| h.last().unwrap().iter().position(|c| c.text == w).unwrap();
    for w in ["合计", "财政拨款收入", "事业收入", "其他收入"] {
        assert_eq!(h[0][col(w)].text, "收入预算", "{w}: {h:?}");
    }
    assert_ne!(h[0][col("功能分类科目名称")].text, "收入预算", "{h:?}");
}

#[test]
fn layout_aligned_banner_off_centre() {
    // Regression: a banner pdftotext set off-centre (from over 合计 to short of
    // 公用经费), over one sub-heading it is no first line of, heads the figure
    // columns: 合计 is no `人员经费` column, so its total is 基本支出.
    check_fixture("aligned_banner_off_centre");
    let (tables, _) = extract(&fixtures().join("aligned_banner_off_centre.txt"));
    let h = &tables[0].header;
    let leaf = h.last().unwrap();
    let at = |w: &str| leaf.iter().position(|c| c.text == w).unwrap();
    for w in ["合计", "人员经费", "公用经费"] {
        assert_eq!(h[0][at(w)].text, "2024年一般公共预算基本支出", "{h:?}");
        assert!(
            h.iter()
                .all(|r| !r[at(w)].text.contains("人员经费") || w == "人员经费"),
            "{h:?}"
        );
    }
    let facts = metric_facts("aligned_banner_off_centre");
    let has = |m: &str, v: &str| facts.iter().any(|f| f.0 == m && f.2 == v);
    assert!(has("expenditure.basic", "6425000"), "{facts:?}");
    assert!(!has("expenditure.personnel", "6425000"), "{facts:?}");
    assert!(has("expenditure.personnel", "5603000"), "{facts:?}");
}

#[test]
fn layout_aligned_banner_siblings() {
    // Regression: `本年支出` heads 小计 · 基本支出 · 项目支出 only, not 年初结转和结余
    // beside it (a heading over both header rows): set apart by a blank line, or
    // standing over a line of other headings with nothing under it.
    check_fixture("aligned_banner_siblings");
    let (tables, _) = extract(&fixtures().join("aligned_banner_siblings.txt"));
    assert_eq!(tables.len(), 2);
    for t in &tables {
        let h = &t.header;
        let leaf = |j: usize| {
            h.iter()
                .rev()
                .find(|r| !r[j].text.is_empty())
                .map(|r| r[j].text.clone())
        };
        let top = |w: &str| {
            let j = (0..h[0].len())
                .find(|&j| h.iter().any(|r| r[j].text == w))
                .unwrap();
            h[0][j].text.clone()
        };
        for w in ["小计", "基本支出", "项目支出"] {
            assert_eq!(top(w), "本年支出", "{w}: {h:?}");
        }
        for j in 0..h[0].len() {
            if h[0][j].text == "本年支出" {
                assert!(
                    leaf(j).is_some_and(|l| ["小计", "基本支出", "项目支出"].contains(&l.as_str())),
                    "{h:?}"
                );
            }
        }
    }
    let gov = metric_facts("aligned_banner_siblings");
    assert!(
        !gov.iter()
            .any(|(m, _, v)| m == "gov_fund.expenditure" && (v == "520000" || v == "317000")),
        "{gov:?}"
    );
}

/// Table facts of a fixture: `(metric, basis, value)`, value normalised.
fn metric_facts(name: &str) -> Vec<(String, String, String)> {
    fixture_doc(name)
        .facts
        .iter()
        .filter(|f| f.table_id.is_some())
        .filter_map(|f| {
            let basis = serde_json::to_value(f.basis).unwrap();
            Some((
                f.metric.clone()?,
                basis.as_str().unwrap_or("").to_string(),
                f.value.normalize().to_string(),
            ))
        })
        .collect()
}

/// Each column's header path, top to bottom: the distinct texts of its header
/// rows, numbering rows (`栏次 1 2 3`) left out.
fn column_paths(t: &Table) -> Vec<Vec<String>> {
    let numbering = |r: &[baogao::model::Cell]| {
        r.iter()
            .all(|c| c.text.is_empty() || c.text == "栏次" || c.text.parse::<u32>().is_ok())
    };
    let width = t.header.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .map(|j| {
            let mut path: Vec<String> = vec![];
            for r in t.header.iter().filter(|r| !numbering(r)) {
                let text = r.get(j).map_or("", |c| c.text.as_str());
                if !text.is_empty() && path.last().is_none_or(|p| p != text) {
                    path.push(text.to_string());
                }
            }
            path
        })
        .collect()
}

fn assert_facts(name: &str, want: &[(&str, &str, &str)]) {
    let got = metric_facts(name);
    for (m, b, v) in want {
        let key = (m.to_string(), b.to_string(), v.to_string());
        assert!(got.contains(&key), "{name}: {key:?} not in {got:?}");
    }
}

/// Regression: 预算数/决算数 banners over six columns each and a bare `1 2 … 12` line gave eight garbled header rows (`运行费10`).
#[test]
fn layout_aligned_three_public_two_blocks() {
    check_fixture("aligned_three_public_two_blocks");
    let (tables, _) = extract(&fixtures().join("aligned_three_public_two_blocks.txt"));
    let paths = column_paths(&tables[0]);
    assert_eq!(paths.len(), 12, "{paths:?}");
    assert_eq!(paths[1], ["预算数", "因公出国(境)费"]);
    assert_eq!(
        paths[3],
        ["预算数", "公务用车购置及运行费", "公务用车购置费"]
    );
    assert_eq!(paths[11], ["决算数", "公务接待费"]);
    let last = tables[0].header.last().unwrap();
    assert_eq!(
        last[11].text, "12",
        "the numbering line is a row of its own"
    );
    assert_facts(
        "aligned_three_public_two_blocks",
        &[
            ("three_public.total", "budget", "85000"),
            ("three_public.total", "actual", "70900"),
            ("three_public.overseas", "budget", "0"),
            ("three_public.overseas", "actual", "0"),
            ("three_public.vehicle", "budget", "60000"),
            ("three_public.vehicle", "actual", "52300"),
            ("three_public.vehicle_purchase", "budget", "0"),
            ("three_public.vehicle_purchase", "actual", "0"),
            ("three_public.vehicle_operation", "budget", "60000"),
            ("three_public.vehicle_operation", "actual", "52300"),
            ("three_public.reception", "budget", "25000"),
            ("three_public.reception", "actual", "18600"),
        ],
    );
}

/// Regression: rows 预算数/决算数 read on the glyph grid, not the header's display-width one, mixed up 公务接待费 and 运行维护费.
#[test]
fn layout_aligned_three_public_rows_by_basis() {
    check_fixture("aligned_three_public_rows_by_basis");
    assert_facts(
        "aligned_three_public_rows_by_basis",
        &[
            ("three_public.total", "budget", "308000"),
            ("three_public.total", "actual", "290400"),
            ("three_public.overseas", "budget", "0"),
            ("three_public.overseas", "actual", "0"),
            ("three_public.vehicle", "budget", "268000"),
            ("three_public.vehicle", "actual", "256000"),
            ("three_public.vehicle_purchase", "budget", "180000"),
            ("three_public.vehicle_purchase", "actual", "176800"),
            ("three_public.vehicle_operation", "budget", "88000"),
            ("three_public.vehicle_operation", "actual", "79200"),
            ("three_public.reception", "budget", "40000"),
            ("three_public.reception", "actual", "34400"),
        ],
    );
    let got = metric_facts("aligned_three_public_rows_by_basis");
    assert_eq!(got.len(), 12, "{got:?}");
}

/// Regression: a `栏次 1 2 3 …` line was glued into the header (`本年支出合计1`) and put 项目支出 over 基本支出.
#[test]
fn layout_aligned_expenditure_numbering_row() {
    check_fixture("aligned_expenditure_numbering_row");
    let (tables, _) = extract(&fixtures().join("aligned_expenditure_numbering_row.txt"));
    let paths = column_paths(&tables[0]);
    let col = |w: &str| paths.iter().position(|p| p.last().is_some_and(|x| x == w));
    assert_eq!(col("基本支出"), Some(4), "{paths:?}");
    assert_eq!(col("项目支出"), Some(5), "{paths:?}");
    assert_eq!(col("对附属单位补助支出"), Some(8), "{paths:?}");
    assert_facts(
        "aligned_expenditure_numbering_row",
        &[
            ("expenditure.total", "actual", "19480200"),
            ("expenditure.basic", "actual", "11025600"),
            ("expenditure.project", "actual", "8454600"),
        ],
    );
}

/// Regression: `收入 … 支出` banners over wrapped headings and 栏次 lines gave eight garbled header rows and budget-basis duplicates.
#[test]
fn layout_aligned_fiscal_summary_banners() {
    check_fixture("aligned_fiscal_summary_banners");
    let (tables, _) = extract(&fixtures().join("aligned_fiscal_summary_banners.txt"));
    let paths = column_paths(&tables[0]);
    assert_eq!(paths[1], ["收入", "决算数"]);
    assert_eq!(paths[4], ["支出", "一般公共预算财政拨款"]);
    assert_eq!(paths[6], ["支出", "国有资本经营预算财政拨款"]);
    assert_facts(
        "aligned_fiscal_summary_banners",
        &[
            ("funds.grand_total", "actual", "19781300"),
            ("carryover.begin", "actual", "1124000"),
            ("carryover.end", "actual", "763100"),
            ("fiscal.expenditure", "actual", "19018200"),
        ],
    );
    let got = metric_facts("aligned_fiscal_summary_banners");
    assert!(got.iter().all(|(_, b, _)| b == "actual"), "{got:?}");
}

/// A 自评表 set by pdftotext: key lines, the 资金 block, the 目标 block and the
/// 绩效指标 block each on columns of its own, read band by band; glyph-count grid
/// (`_display`: the same kind of form set by display width).
#[test]
fn layout_aligned_eval_form() {
    check_fixture("aligned_eval_form");
    check_fixture("aligned_eval_form_display");
    for (name, funds, rate, total, n) in [
        (
            "aligned_eval_form",
            ["12506000", "13802500", "13021800"],
            "94.34",
            "95.43",
            6,
        ),
        (
            "aligned_eval_form_display",
            ["2000000", "2200000", "2090000"],
            "95.00",
            "94",
            5,
        ),
    ] {
        let doc = fixture_doc(name);
        let facts: Vec<(String, String)> = doc
            .facts
            .iter()
            .filter_map(|f| Some((f.metric.clone()?, f.value.normalize().to_string())))
            .collect();
        let has = |m: &str, v: &str| {
            let v = v
                .parse::<rust_decimal::Decimal>()
                .unwrap()
                .normalize()
                .to_string();
            assert!(
                facts.contains(&(m.into(), v.clone())),
                "{name}: {m} {v} in {facts:?}"
            );
        };
        for v in funds {
            has("funds.annual", v);
        }
        has("funds.execution_rate", rate);
        has("self_eval.score", total);
        let inds: Vec<_> = doc.indicators.iter().filter(|i| !i.is_total).collect();
        assert_eq!(inds.len(), n, "{name}: {inds:?}");
        assert!(
            inds.iter()
                .all(|i| i.level3.is_some() && i.weight.is_some() && i.score.is_some()),
            "{name}: {inds:?}"
        );
    }
}

#[test]
fn layout_pipe_markdown_header_rows() {
    // Regression: a markdown table's `---` row after the first header row; the
    // other header rows, down to the column numbers, are header too.
    check_fixture("pipe_markdown_header_rows");
    let (tables, _) = extract(&fixtures().join("pipe_markdown_header_rows.txt"));
    assert_eq!(tables[0].header.len(), 4, "{:?}", tables[0].header);
    assert_eq!(tables[0].rows.len(), 1, "{:?}", tables[0].rows);
}

/// The properties the fixtures stand for, stated directly.
#[test]
fn layouts_keep_their_promises() {
    // Side by side: one table, left block then right block; the page break inside
    // it does not split it.
    let (t, _) = extract(&fixtures().join("aligned_side_by_side.txt"));
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].kind.as_str(), "income_expenditure_summary");
    let last = t[0].rows.last().unwrap();
    let texts: Vec<&str> = last.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["总计", "2,995.39", "总计", "2,995.39"]);
    // Every data row as wide as the header.
    for t in t.iter() {
        let w = t.header.last().map_or(0, |h| h.len());
        assert!(t.rows.iter().all(|r| r.len() == w));
    }
    // Page break with a page set on a narrower grid: figures stay in their columns.
    let (t, _) = extract(&fixtures().join("aligned_page_break.txt"));
    assert_eq!(t.len(), 1);
    let row = t[0]
        .rows
        .iter()
        .find(|r| r.iter().any(|c| c.text == "住房公积金"))
        .unwrap();
    let titles = baogao::tables::column_titles(&t[0], &PatternSet::embedded().unwrap());
    let at = |name: &str| titles.iter().position(|c| c.ends_with(name)).unwrap();
    assert_eq!(row[at("本年收入合计")].text, "187.19");
    assert_eq!(row[at("财政拨款收入")].text, "187.19");
    // The “三公” table's two figures: 合计 预算数 and 公务接待费 预算数, by position.
    let (t, _) = extract(&fixtures().join("aligned_three_public.txt"));
    let row = &t[0].rows[0];
    assert_eq!(row.len(), 12);
    assert_eq!(row[0].text, "0.95");
    assert_eq!(row[10].text, "0.95");
    assert!(row
        .iter()
        .enumerate()
        .all(|(j, c)| j == 0 || j == 10 || c.text.is_empty()));
    // TSV: a table split by a blank line and a repeated header is one table.
    let (t, _) = extract(&fixtures().join("tsv.txt"));
    let scoring = t
        .iter()
        .find(|t| t.kind.as_str() == "eval_scoring")
        .unwrap();
    assert_eq!(scoring.header.len(), 1);
    assert_eq!(scoring.rows.len(), 4);
    assert!(scoring.rows[1][0].filled);
}

/// Every table of the corpus is found with its kind: the nine final-accounts
/// tables in each final account, the evaluation forms in the seeds.
#[test]
fn corpus_table_kinds() {
    let Some(shared) = shared() else {
        eprintln!("tables: ../shared not found, skipped");
        return;
    };
    let nine = [
        "income_expenditure_summary",
        "income",
        "expenditure",
        "fiscal_summary",
        "general_budget_expenditure",
        "basic_expenditure_detail",
        "three_public",
        "gov_fund",
        "state_capital",
    ];
    let expect: Vec<(&str, Vec<&str>)> = vec![
        ("seeds/liling-2021-grid-final-accounts.txt", nine.to_vec()),
        (
            "real/putuo-caizhengju-2024-final-accounts.txt",
            nine.to_vec(),
        ),
        (
            "real/putuo-guihuaziyuanju-2024-final-accounts.txt",
            nine.to_vec(),
        ),
        (
            "real/putuo-shehuigongzuobu-2024-final-accounts.txt",
            nine.to_vec(),
        ),
        (
            "seeds/hengshan-2023-grid-eval-tables.txt",
            vec![
                "eval_basic_data",
                "dept_eval",
                "project_eval",
                "project_eval",
            ],
        ),
        ("seeds/dongan-2023-grid-dept-eval.txt", vec!["dept_eval"]),
        (
            "seeds/yueyanglou-2024-grid-dept-eval.txt",
            vec!["eval_scoring"],
        ),
        ("seeds/huailai-2023-grid-project-eval.txt", vec![]),
        // A budget's tables take the kinds of the final-accounts forms they mirror.
        (
            "real/putuo-district-2025-budget.txt",
            vec![
                "income_expenditure_summary",
                "income",
                "expenditure",
                "fiscal_summary",
                "general_budget_expenditure",
                "gov_fund",
                "state_capital",
                "basic_expenditure_detail",
                "three_public",
            ],
        ),
    ];
    for (rel, kinds) in expect {
        let (tables, _) = extract(&shared.join("corpus").join(rel));
        let got: Vec<&str> = tables.iter().map(|t| t.kind.as_str()).collect();
        assert_eq!(got, kinds, "{rel}");
    }
}

/// Indicators F1 on the shared gold (score.py) at least 0.97.
#[test]
fn indicators_on_shared_gold() {
    let Some(shared) = shared() else {
        eprintln!("tables: ../shared not found, skipped");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    extract_to(
        out.path(),
        &[&shared.join("corpus/seeds"), &shared.join("corpus/real")],
        &[],
        0,
    );
    let o = Command::new("python3")
        .arg(shared.join("tools/score.py"))
        .arg("--out")
        .arg(out.path())
        .arg("--gold")
        .arg(shared.join("gold"))
        .arg("--min-ind-f1")
        .arg("0.97")
        .output()
        .expect("python3 for score.py");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "indicators below 0.97:\n{report}");
}

/// Regression: a title line naming an attachment (`附件：…自评表`) over the signature
/// and its date is a reference in the text, not an aligned table.
#[test]
fn attachment_reference_over_a_signature_is_no_table() {
    let text = "附件：某某县水务局2024年度部门整体支出绩效自评表\n\n\n某某县水务局\n\n2025年5月20日\n\n\n附件\n";
    let pats = PatternSet::embedded().unwrap();
    let doc = match baogao::extract("t.txt", text.as_bytes(), &pats) {
        Outcome::Extracted(doc) => doc,
        Outcome::Failed(f) => panic!("{}", f.error),
    };
    assert!(doc.tables.is_empty(), "{:?}", doc.tables);
}

#[test]
fn layout_aligned_numbered_titles_part_tables() {
    // Regression: a numbered title (`表2 …情况表`) was stepped over like a page's
    // repeated table number, so two tables ran together and the first one's
    // 调整预算 figures fell in a column of their own (read as 实际支出).
    check_fixture("aligned_numbered_titles_part_tables");
    let (tables, _) = extract(&fixtures().join("aligned_numbered_titles_part_tables.txt"));
    assert_eq!(tables.len(), 2, "{tables:?}");
    assert!(tables[1].title.as_deref().unwrap_or("").starts_with("表2"));
    let facts = metric_facts("aligned_numbered_titles_part_tables");
    let has = |m: &str, b: &str, v: &str| facts.iter().any(|f| f.0 == m && f.1 == b && f.2 == v);
    assert!(
        has("expenditure.basic", "budget_final", "6281400"),
        "{facts:?}"
    );
    assert!(!has("expenditure.basic", "actual", "6281400"), "{facts:?}");
}

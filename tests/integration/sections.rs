//! The heading tree on documents written for the purpose, one per layout and
//! numbering habit of the genre, and the shared gold's sections and card scores.

use std::process::Command;

use baogao::model::{Doc, LineRole};
use baogao::{extract, Outcome, PatternSet};

use crate::common::*;

fn run(text: &str) -> Doc {
    let pats = PatternSet::embedded().unwrap();
    match extract("test.txt", text.as_bytes(), &pats) {
        Outcome::Extracted(d) => *d,
        Outcome::Failed(f) => panic!("extraction failed: {}", f.error),
    }
}

/// `(level, marker, title)` of every section.
fn tree(text: &str) -> Vec<(u32, String, String)> {
    run(text)
        .sections
        .iter()
        .map(|s| (s.level, s.marker.clone(), s.title.clone()))
        .collect()
}

fn titles(text: &str) -> Vec<(u32, String)> {
    tree(text).into_iter().map(|(l, _, t)| (l, t)).collect()
}

fn t(level: u32, title: &str) -> (u32, String) {
    (level, title.to_string())
}

#[test]
fn every_numbering_style_nests_by_its_rank() {
    let doc = "某某局2023年度部门决算\n\
第一部分 部门概况\n\
一、主要职能\n\
（一）贯彻执行有关法律法规。\n\
1、负责全县网格化管理。\n\
（1）事件登记。\n\
①受理。\n\
a. 派发。\n\
2.负责培训。\n\
二、机构设置\n\
第二部分 情况说明\n\
一、收入支出决算总体情况说明\n";
    let want: Vec<(u32, String, String)> = [
        (1, "第一部分", "部门概况"),
        (2, "一、", "主要职能"),
        (3, "（一）", "贯彻执行有关法律法规"),
        (4, "1、", "负责全县网格化管理"),
        (5, "（1）", "事件登记"),
        (6, "①", "受理"),
        (7, "a.", "派发"),
        (4, "2.", "负责培训"),
        (2, "二、", "机构设置"),
        (1, "第二部分", "情况说明"),
        (2, "一、", "收入支出决算总体情况说明"),
    ]
    .into_iter()
    .map(|(l, m, t)| (l, m.to_string(), t.to_string()))
    .collect();
    assert_eq!(tree(doc), want);
}

/// Regression: a 目录 typed as a plain list (no leaders, no page numbers), its
/// entries spaced after the marker, ends where the body starts over with its first
/// entry in Markdown; the body's headings are sections.
#[test]
fn a_plain_list_toc_ends_where_the_body_repeats_it() {
    let doc = "# 某某街道办事处2021年度部门决算\n\n目  录\n\n第一部分  部门概况\n一、部门职责\n二、机构设置\n第二部分  2021年度部门决算情况说明\n一、收入支出决算总体情况说明\n\n# 第一部分  部门概况\n\n## 一、部门职责\n\n负责辖区事务。\n\n## 二、机构设置\n\n内设5个科室。\n\n# 第二部分  2021年度部门决算情况说明\n\n## 一、收入支出决算总体情况说明\n\n收入支出总计100万元。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "部门概况"),
            t(2, "部门职责"),
            t(2, "机构设置"),
            t(1, "2021年度部门决算情况说明"),
            t(2, "收入支出决算总体情况说明")
        ]
    );
}

/// Regression: a 目录 listing the tables' titles unnumbered under 第二部分 ended at
/// the first long one, and the entries after it became sections.
#[test]
fn a_toc_listing_table_titles_runs_on() {
    let doc = "某某街道办事处\n2023年度部门决算\n\n目  录\n\n第一部分  部门概况\n    一、部门主要职责\n第二部分  2023年度部门决算表\n    收入支出决算总表\n    一般公共预算财政拨款“三公”经费支出决算表\n第三部分  2023年度部门决算情况说明\n    一、收入支出决算总体情况说明\n\n第一部分  部门概况\n\n一、部门主要职责\n\n负责辖区事务。\n\n第二部分  2023年度部门决算表\n\n收入支出决算总表\n项目\t金额\n合计\t1.00\n\n一般公共预算财政拨款“三公”经费支出决算表\n项目\t金额\n合计\t0.50\n\n第三部分  2023年度部门决算情况说明\n\n一、收入支出决算总体情况说明\n\n收入支出总计100万元。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "部门概况"),
            t(2, "部门主要职责"),
            t(1, "2023年度部门决算表"),
            t(1, "2023年度部门决算情况说明"),
            t(2, "收入支出决算总体情况说明")
        ]
    );
}

#[test]
fn chapters_hold_their_numbered_sections() {
    let doc = "某某县社会治理中心2023年度项目支出绩效自评报告\n\n第一章 项目概况\n一、项目基本情况\n正文。\n第二章 绩效目标实现情况\n一、产出目标\n完成。\n第三章 结论\n自评得分90分。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "项目概况"),
            t(2, "项目基本情况"),
            t(1, "绩效目标实现情况"),
            t(2, "产出目标"),
            t(1, "结论")
        ]
    );
}

/// Regression: a numbered table title (`二、收入决算表`) under a part heading was
/// only the table's title; its numbering runs on from the headings before it, so
/// it is a section too. A numbered row label inside a table is not.
#[test]
fn numbered_table_titles_are_sections() {
    let doc = "某某局2023年度部门决算\n\
第一部分 部门概况\n\
一、部门职责\n\
负责全县水利工作。\n\
第二部分 2023年度部门决算表\n\
一、收入支出决算总表\n\
单位：元\n\
\t项目\n\t决算数\n\n\t一、财政拨款收入\n\t1,200.00\n\n\t本年收入合计\n\t1,200.00\n\n\
二、收入决算表\n\
单位：元\n\
\t项目\n\t本年收入合计\n\n\t合计\n\t1,200.00\n\n\
第三部分 2023年度部门决算情况说明\n\
一、收入支出决算总体情况说明\n\
2023年度收入总计1,200.00元。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "部门概况"),
            t(2, "部门职责"),
            t(1, "2023年度部门决算表"),
            t(2, "收入支出决算总表"),
            t(2, "收入决算表"),
            t(1, "2023年度部门决算情况说明"),
            t(2, "收入支出决算总体情况说明"),
        ]
    );
    let d = run(doc);
    assert_eq!(d.tables.len(), 2, "{:?}", d.tables);
}

#[test]
fn level_one_is_the_outermost_style_used() {
    let doc = "2023年度某中心整体支出绩效评价报告\n\n（一）部门概况\n1、职能\n（二）支出情况\n";
    assert_eq!(
        titles(doc),
        vec![t(1, "部门概况"), t(2, "职能"), t(1, "支出情况")]
    );
}

#[test]
fn part_marker_alone_takes_the_next_line_and_wrapped_titles_join() {
    let doc = "第一部分\n\n某某中心概况\n\n一、部门职责\n正文。\n\n第三部分    某某局 2024 年度部门决算情况\n\n                     说明\n\n一、收入支出决算总体情况说明\n正文。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "某某中心概况"),
            t(2, "部门职责"),
            t(1, "某某局 2024 年度部门决算情况说明"),
            t(2, "收入支出决算总体情况说明"),
        ]
    );
}

#[test]
fn markdown_and_bold_decorations() {
    // Numbering decides the levels, not the number of `#`.
    let doc = "# 2023 年度某某项目自评报告\n\n# 一、项目基本情况\n\n### (一)项目概况\n\n# (二)项目预期绩效目标\n\n- 1、目标一。\n\n**二、 评价工作组人员名单**(姓名、职务)\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "项目基本情况"),
            t(2, "项目概况"),
            t(2, "项目预期绩效目标"),
            t(3, "目标一"),
            t(1, "评价工作组人员名单(姓名、职务)"),
        ]
    );
}

#[test]
fn unnumbered_markdown_headings_when_nothing_is_numbered() {
    let doc = "# 某某局绩效自评报告\n\n## 基本情况\n\n正文。\n\n### 职能\n\n正文。\n\n## 存在问题\n\n正文。\n";
    assert_eq!(
        titles(doc),
        vec![t(1, "基本情况"), t(2, "职能"), t(1, "存在问题")]
    );
}

#[test]
fn run_in_titles_end_at_the_first_cut() {
    let doc = "一、部门整体支出绩效情况\n\
1、平台建设率先垂范。我县综治中心按国标建成。\n\
2、收入支出决算总体情况说明 ；2023年度收、支总计74万元。\n\
3、财政拨款收入：指单位从同级财政部门取得的财政预算资金。\n\
二、一般公共预算财政拨款基本支出决算情况说明 2021 年度财政拨款基本支出 1832.39 万元，其中：人员经费\n\
三、一般公共预算财政拨款支出决算情况说明（一）财政拨款支出决算总体情况\n\
2021 年度财政拨款支出 2007.23 万元。\n";
    let got = tree(doc);
    let titles: Vec<&str> = got.iter().map(|x| x.2.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "部门整体支出绩效情况",
            "平台建设率先垂范",
            "收入支出决算总体情况说明",
            "财政拨款收入",
            "一般公共预算财政拨款基本支出决算情况说明",
            "一般公共预算财政拨款支出决算情况说明",
            "财政拨款支出决算总体情况",
        ]
    );
    // The nested heading is a child of the heading it runs out of.
    let d = run(doc);
    let last = d.sections.last().unwrap();
    assert_eq!(last.marker, "（一）");
    assert_eq!(
        last.parent,
        Some(d.sections[d.sections.len() - 2].section_id)
    );
    assert!(
        d.sections[1].text.starts_with("我县综治中心"),
        "{:?}",
        d.sections[1].text
    );
}

#[test]
fn a_number_starting_a_sentence_is_a_heading_only_in_sequence() {
    let doc = "一、部门整体支出使用情况\n\
1、收入支出决算总体情况说明。2023年度收、支总计74万元。\n\
2.2023年“三公经费”年初预算0.94万元，决算支出共 0.86万元。具体情况如下。\n\
二、部门整体支出管理情况\n\
2.2023年本部门共有编制8人。\n\
2.5万元用于培训。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "部门整体支出使用情况"),
            t(2, "收入支出决算总体情况说明"),
            t(2, "2023年“三公经费”年初预算0.94万元，决算支出共 0.86万元"),
            t(1, "部门整体支出管理情况"),
        ]
    );
}

#[test]
fn table_rows_are_not_headings() {
    // pdftotext rows of a 收入支出决算总表, with and without figures, and
    // tab-separated rows of a DOCX table.
    let doc = "第一部分 某某局2024年度部门决算表\n\
                   收入支出决算总表\n\
                                                 单位：万元\n\
一、一般公共预算财政拨款收入      2,940.05   一、一般公共服务支出        2,106.66\n\
二、政府性基金预算财政拨款收入                二、外交支出\n\
八、其他收入                  6.20   八、社会保障和就业支出        326.71\n\
                               九、卫生健康支出            60.99\n\
                               十、节能环保支出\n\
                               十一、城乡社区支出\n\
         本年收入合计     2,946.25       本年支出合计        2,940.05\n\
年初财政拨款结转和结余                   年末财政拨款结转和结余\n\
\n\
一、一般公共预算财政拨款\n\
\n\
二、政府性基金预算财政拨款\n\
\n\
         总计          307.82            总计       307.82   307.82\n\
一、一般公共预算财政拨款收入\t1\t1960.73\t一、一般公共服务支出\t14\t2027.27\n\
\t一、公务用车购置和维护经费\n\
第二部分 情况说明\n\
一、收入支出决算总体情况说明\n\
正文。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "某某局2024年度部门决算表"),
            t(1, "情况说明"),
            t(2, "收入支出决算总体情况说明"),
        ]
    );
}

#[test]
fn tables_of_contents_give_no_sections() {
    let with_header = "某某局2024年度部门决算\n\u{c}目 录\n\n第一部分 某某局概况\n - 一、主要职能\n - 二、部门决算单位构成\n第二部分 某某局2024年度部门决算\n表\n十、一般性支出情况说明十一、政府采购支出说明\n\u{c}第一部分 某某局概况\n一、主要职能\n正文。\n二、部门决算单位构成\n正文。\n";
    assert_eq!(
        titles(with_header),
        vec![
            t(1, "某某局概况"),
            t(2, "主要职能"),
            t(2, "部门决算单位构成")
        ]
    );
    let d = run(with_header);
    assert_eq!(d.roles[1], LineRole::Toc);
    assert_eq!(d.roles[3], LineRole::Toc);

    let leaders = "一、部门主要职能    ………………………………\n二、部门机构设置    ………………………………\n  1. 2025年部门财务收支预算总表   ……………\n\u{c}某某街道办事处主要职能\n一、加强党的建设。落实基层党建责任制。\n";
    assert_eq!(titles(leaders), vec![t(1, "加强党的建设")]);

    let repeated = "某某报告\n一、部门概况\n二、支出情况\n三、存在问题\n\n一、部门概况\n正文。\n二、支出情况\n正文。\n三、存在问题\n正文。\n";
    assert_eq!(
        titles(repeated),
        vec![t(1, "部门概况"), t(1, "支出情况"), t(1, "存在问题")]
    );
}

#[test]
fn covers_page_numbers_and_running_headers_are_not_content() {
    let mut doc = String::from("\n附件2\n\n2024年度某中心单位整体支出绩效自评报告\n\n预算单位名称：\n\n年 月 日\n\n(此页为封面)\n\n");
    for p in 1..=4 {
        doc.push_str("某某中心2024年度绩效自评报告\n");
        doc.push_str(&format!(
            "{}、第{p}部分标题\n正文第{p}页。\n- {p} -\n\u{c}",
            ["一", "二", "三", "四"][p - 1]
        ));
    }
    doc.push_str("附件3\n\n自评工作考核评分表\n一级标准\t分值\n");
    let d = run(&doc);
    let got: Vec<String> = d.sections.iter().map(|s| s.title.clone()).collect();
    assert_eq!(
        got,
        vec!["第1部分标题", "第2部分标题", "第3部分标题", "第4部分标题"]
    );
    assert!(d.sections.iter().all(|s| s.level == 1));
    assert_eq!(d.roles[1], LineRole::Cover);
    let furniture = d
        .roles
        .iter()
        .filter(|&&r| r == LineRole::PageFurniture)
        .count();
    assert!(furniture >= 8, "{:?}", d.roles);
    assert!(!d.sections[0].text.contains("- 1 -"));
}

#[test]
fn a_bundle_of_attachments() {
    let doc = "附件一\n\n2023年度部门整体支出绩效评价基础数据表\n\t编制数\n\t10\n\n附件二\n\n2023年度部门整体支出绩效自评表\n\t预算部门、单位名称\n\t某某县某某中心\n\n附件三\n\n2023年度项目支出绩效自评表\n\t项目支出名称\n\n附件三\n\n2023年度项目支出绩效自评表\n\t项目支出名称\n\n附件四\n\n2023年度某某县某某中心部门整体支出绩效自评报告\n\n部门（单位）名称：（盖章）\n\n2024年6月18日\n（此页为封面）\n一、部门基本情况\n\n（一）职能职责\n\n正文。\n\n二、一般公共预算支出情况\n\n正文。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "2023年度部门整体支出绩效评价基础数据表"),
            t(1, "2023年度部门整体支出绩效自评表"),
            t(1, "2023年度项目支出绩效自评表"),
            t(1, "2023年度项目支出绩效自评表"),
            t(1, "2023年度某某县某某中心部门整体支出绩效自评报告"),
            t(2, "部门基本情况"),
            t(3, "职能职责"),
            t(2, "一般公共预算支出情况"),
        ]
    );
}

/// Regression: `附表1` right over a table's title was the table's number line only,
/// so a bundle of attached tables had no sections.
#[test]
fn a_bundle_of_attached_tables() {
    let doc = "某某局2024年度部门整体支出绩效自评\n\n附表1\n2024年度部门整体支出绩效评价基础数据表\n单位名称：某某局\n财政供养人员情况（人）\t编制数\t实际在职人数\n\t42\t38\n\n附表2\n2024年度部门整体支出绩效自评得分表\n\t一级指标\n\t分值\n\t得分\n\n\t投入\n\t20\n\t19\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "2024年度部门整体支出绩效评价基础数据表"),
            t(1, "2024年度部门整体支出绩效自评得分表"),
        ]
    );
    // In a report that leads with something else, `附表1` numbers a table.
    let doc = "第一部分 部门概况\n\n正文。\n\n第二部分 部门决算表\n\n附表1\n收入支出决算总表\n单位：万元\n项目\t金额\n合计\t10.00\n";
    assert_eq!(titles(doc), vec![t(1, "部门概况"), t(1, "部门决算表")]);
}

#[test]
fn a_lone_attachment_stamp_does_not_divide_a_report() {
    let doc = "附件1\n\n2023年度某某县民政局部门整体支出绩效自评报告\n\n一、部门概况\n\n正文。\n\n二、存在问题\n\n正文。\n";
    assert_eq!(titles(doc), vec![t(1, "部门概况"), t(1, "存在问题")]);
}

#[test]
fn lines_the_tables_stage_marks_are_skipped() {
    // As the tables stage will do: table rows and their title lines become
    // `Table`; headings around them keep their titles.
    let text = "附件一\n\n2023年度部门整体支出绩效评价基础数据表\n\t一、编制数\n\t10\n\n附件二\n\n2023年度部门整体支出绩效自评表\n\t二、预算部门、单位名称\n\t某某县某某中心\n";
    let pats = PatternSet::embedded().unwrap();
    let norm = baogao::normalize::NormDoc::new(text.to_string());
    let marks = baogao::segment::markers(&norm, &pats);
    let mut roles = baogao::segment::classify_lines(&norm, &marks, &pats);
    for i in [2, 3, 4, 8, 9, 10] {
        roles[i] = LineRole::Table;
    }
    let s = baogao::segment::sections(&norm, &marks, &mut roles, &[], &pats);
    let got: Vec<(u32, String)> = s.iter().map(|x| (x.level, x.title.clone())).collect();
    assert_eq!(
        got,
        vec![
            t(1, "2023年度部门整体支出绩效评价基础数据表"),
            t(1, "2023年度部门整体支出绩效自评表")
        ]
    );
    assert!(s.iter().all(|x| x.text.is_empty()));
}

/// Regression: a word processor's TOC (entry, tab, page number, no leaders) was
/// read as a table, and a part heading above a `表1` line above a table's title
/// was taken for the table's.
#[test]
fn tab_page_number_toc_and_table_number_line() {
    let doc = "某某县水务局\n2024年部门预算\n\n目  录\n第一部分  某某县水务局概况\t1\n\
一、部门主要职责\t1\n第二部分  2024年部门预算表\t3\n一、收支预算总表\t3\n\
第三部分  2024年部门预算情况说明\t13\n\n第一部分  某某县水务局概况\n一、部门主要职责\n\
本局是县政府工作部门。\n序号\t单位名称\t单位性质\n1\t某某县水务局（本级）\t行政单位\n\n\
第二部分  2024年部门预算表\n表1\n2024年收支预算总表\n单位：万元\n项目\t预算数\t项目\t预算数\n\
一、一般公共预算拨款收入\t5,286.43\t一、农林水支出\t5,286.43\n\
第三部分  2024年部门预算情况说明\n一、收支预算总体情况\n收支预算总计5,286.43万元。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "某某县水务局概况"),
            t(2, "部门主要职责"),
            t(1, "2024年部门预算表"),
            t(1, "2024年部门预算情况说明"),
            t(2, "收支预算总体情况"),
        ]
    );
}

/// Regression: a table's title set as a markdown heading (`### 一、收入支出决算总表`
/// over a pipe table) was no section, though the author marked it as one.
#[test]
fn markdown_heading_over_a_table_is_a_section() {
    let doc = "## 第一部分 2022年度部门决算表\n\n### 一、收入支出决算总表\n\n单位：元\n\n\
| 项目 | 决算数 | 项目 | 决算数 |\n| --- | --- | --- | --- |\n\
| 一、财政拨款收入 | 1,200,000.00 | 一、农林水支出 | 1,200,000.00 |\n\
| 本年收入合计 | 1,200,000.00 | 本年支出合计 | 1,200,000.00 |\n\n\
### 二、支出决算表\n\n单位：元\n\n| 科目名称 | 合计 | 基本支出 | 项目支出 |\n\
| --- | --- | --- | --- |\n| 农林水支出 | 1,200,000.00 | 800,000.00 | 400,000.00 |\n\n\
## 第二部分 2022年度部门决算情况说明\n\n### 一、收入支出决算总体情况说明\n\n\
2022年度收入总计120.00万元。\n";
    assert_eq!(
        titles(doc),
        vec![
            t(1, "2022年度部门决算表"),
            t(2, "收入支出决算总表"),
            t(2, "支出决算表"),
            t(1, "2022年度部门决算情况说明"),
            t(2, "收入支出决算总体情况说明"),
        ]
    );
}

/// Regression: titles in traditional characters (a Big5 file) were emitted as
/// written, so they matched no simplified title of another report.
#[test]
fn traditional_titles_are_simplified() {
    let doc = "一、部門概況\n某某局屬財政全額撥款單位。\n二、收入支出決算總體情況說明\n\
（一）財政撥款收入\n";
    let d = run(doc);
    let got: Vec<&str> = d.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        got,
        ["部门概况", "收入支出决算总体情况说明", "财政拨款收入"]
    );
    assert_eq!(
        d.sections[2].path,
        ["收入支出决算总体情况说明", "财政拨款收入"]
    );
}

#[test]
fn section_records_are_consistent() {
    let d = run("一、部门概况\n正文一。\n（一）职能\n正文二。\n二、支出情况\n正文三。\n");
    let s = &d.sections;
    assert_eq!(s.len(), 3);
    assert_eq!(
        s.iter().map(|x| x.section_id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(s[1].parent, Some(1));
    assert_eq!(s[1].path, vec!["部门概况".to_string(), "职能".to_string()]);
    assert_eq!(s[1].ordinal, Some(1));
    assert_eq!(s[2].ordinal, Some(2));
    assert_eq!(s[0].text, "正文一。");
    assert_eq!(s[1].rule, "heading.cn_paren");
    assert_eq!(d.roles[0], LineRole::Heading);
    assert_eq!(d.roles[1], LineRole::Text);
}

/// Sections F1 and document-field accuracy on the shared gold (the bar).
#[test]
fn shared_gold_sections_and_cards() {
    let Some(shared) = shared() else {
        assert!(
            std::env::var_os("BAOGAO_REQUIRE_SHARED").is_none(),
            "../shared is missing but BAOGAO_REQUIRE_SHARED is set"
        );
        eprintln!("sections: ../shared not found, skipped");
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
        .args(["--min-sec-f1", "0.95", "--min-doc-acc", "0.97"])
        .output()
        .expect("python3 for score.py");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "below the issue's bar:\n{report}");
}

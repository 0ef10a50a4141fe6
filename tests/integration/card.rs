//! The document card on documents written for the purpose: region by gazetteer
//! and context, unit name, report kinds, year, date, self-evaluation.

use baogao::model::{Card, DocType, Grade, RegionLevel};
use baogao::{extract, Outcome, PatternSet};
use rust_decimal::Decimal;

fn card(text: &str) -> Card {
    let pats = PatternSet::embedded().unwrap();
    match extract("test.txt", text.as_bytes(), &pats) {
        Outcome::Extracted(d) => d.card,
        Outcome::Failed(f) => panic!("extraction failed: {}", f.error),
    }
}

fn report(org_line: &str, body: &str) -> String {
    format!("2023年度{org_line}部门整体支出绩效自评报告\n\n一、部门概况\n{body}\n")
}

#[test]
fn same_named_districts_are_resolved_by_context() {
    // 普陀区 is in 上海市 and in 舟山市.
    let c = card(&report(
        "普陀区民政局",
        "本局贯彻落实舟山市委、市政府的部署，服务舟山群岛新区建设。",
    ));
    assert_eq!(c.region.adcode.as_deref(), Some("330903"));
    assert_eq!(c.region.prefecture.as_deref(), Some("舟山市"));
    assert_eq!(c.region.province.as_deref(), Some("浙江省"));

    let c = card(&report(
        "普陀区民政局",
        "本局贯彻落实上海市委、市政府的部署。",
    ));
    assert_eq!(c.region.adcode.as_deref(), Some("310107"));
    assert_eq!(c.region.prefecture.as_deref(), Some("上海市"));

    // The place chain of the unit's own name decides before any context.
    let c = card(&report(
        "上海市普陀区财政局",
        "学习舟山市舟山市舟山市的经验。",
    ));
    assert_eq!(c.region.adcode.as_deref(), Some("310107"));

    // 朝阳区 (北京市, 长春市 …), 和平区 (天津市, 沈阳市), 城关区 (兰州市, 拉萨市).
    for (org, ctx, code) in [
        ("朝阳区财政局", "北京市委", "110105"),
        ("朝阳区财政局", "长春市委", "220104"),
        ("和平区财政局", "天津市", "120101"),
        ("和平区财政局", "沈阳市", "210102"),
        ("城关区财政局", "兰州市", "620102"),
        ("城关区财政局", "西藏自治区拉萨市", "540102"),
    ] {
        let c = card(&report(org, &format!("按照{ctx}的要求。")));
        assert_eq!(c.region.adcode.as_deref(), Some(code), "{org} {ctx}");
        assert_eq!(c.region.level, Some(RegionLevel::County));
    }
}

#[test]
fn former_county_names_and_simplified_place_names() {
    // 撤县设区: a report of the 湟中县 years finds 湟中区.
    let c = card(&report("湟中县民政局", "本局服务全县经济社会发展。"));
    assert_eq!(c.region.adcode.as_deref(), Some("630106"));
    assert_eq!(c.region.prefecture.as_deref(), Some("西宁市"));
    // Regression: traditional → simplified must not turn 乾县 into 干县.
    let c = card(&report("中共乾县委政法委员会", "服务全县发展。"));
    assert_eq!(c.region.adcode.as_deref(), Some("610424"));
    assert_eq!(c.org.as_deref(), Some("中共乾县委政法委员会"));
    // Two 江北区 (重庆, 宁波) and no context: no code.
    let c = card(&report("江北区民政局", "服务全区发展。"));
    assert_eq!(c.region.adcode, None);
}

#[test]
fn nothing_is_guessed() {
    let c = card(&report("普陀区民政局", "本局认真履行职责。"));
    assert_eq!(c.region.county.as_deref(), Some("普陀区"));
    assert_eq!(c.region.adcode, None);
    assert_eq!(c.region.prefecture, None);
    assert_eq!(c.region.province, None);
    let c = card(&report("网格事务中心", "本中心认真履行职责。"));
    assert_eq!(c.region.adcode, None);
    assert_eq!(c.region.county, None);
}

/// Regression: a cover with the unit on its own line, blank lines above the
/// report's title, gave a title without the unit and no org or region.
#[test]
fn cover_unit_line_above_the_title() {
    let c = card(
        "\n                 定襄县自然资源局\n\n               2023 年度部门决算\n\n\n\n\
         目    录\n一、收入支出决算总体情况说明\n本年收入合计1642.65万元。\n",
    );
    assert_eq!(c.org.as_deref(), Some("定襄县自然资源局"));
    assert_eq!(c.region.adcode.as_deref(), Some("140921"));
    assert_eq!(c.doc_types, [DocType::FinalAccounts]);
    // A title naming its own unit keeps it: the line above is not joined.
    let c = card("某某县财政局\n\n定襄县自然资源局2023年度部门决算\n\n一、概况\n正文。\n");
    assert_eq!(c.org.as_deref(), Some("定襄县自然资源局"));
}

/// Regression: a grade after a project's score in the same sentence, and a score
/// after a quoted project's name, were taken for the unit's.
#[test]
fn a_projects_result_later_in_its_sentence() {
    let c = card("某某县档案馆2023年度部门决算\n一、绩效评价情况\n本单位对档案数字化项目开展绩效自评，该项目绩效自评得分为94分，自评等级为“优”。\n");
    assert_eq!(c.self_eval.score, None);
    assert_eq!(c.self_eval.grade, None);
    let c = card("某某县农业农村局2022年度部门决算\n一、绩效评价情况\n“高标准农田建设”项目绩效目标全部完成，资金使用规范，自评得分 95 分。\n");
    assert_eq!(c.self_eval.score, None);
    // Projects listed without quotes, each with its budget (regression).
    let c = card("某某县教育局2023年度部门决算\n一、预算绩效管理情况说明\n本部门对项目支出全面开展绩效自评。其中，学生资助项目全年预算数1286.54万元，执行数1272.30万元，预算执行率98.89%，自评得分95分；校舍维修改造项目全年预算数1820.10万元，自评得分93分。\n");
    assert_eq!(c.self_eval.score, None);
    // A sentence opening on its project, the project named in the sentence before.
    let c = card("某某县退役军人事务局2022年度部门决算\n一、绩效评价情况\n本部门对“优抚对象医疗保障补助”项目开展了重点绩效自评。该项目全年预算数218.00万元，执行数211.46万元，预算执行率97.00%，绩效自评得分94分。\n");
    assert_eq!(c.self_eval.score, None);
}

/// Regression: a title wrapped over three lines and run straight into the text's
/// first line (no blank line, as pdftotext sets it) announced no report kind.
#[test]
fn title_run_into_the_first_line() {
    let c = card("              某某县医疗保障局\n  2024年城乡居民基本医疗保险财政补助资金项目\n              支出绩效自评报告\n  根据《某某县财政局关于开展2024年度财政资金绩效自评工作的通知》\n要求，我局开展了绩效自评，现将自评情况报告如下：\n  一、项目基本情况\n");
    assert_eq!(c.doc_types, [DocType::ProjectEvalReport]);
}

/// Regression: a file of several projects' forms, each with its own 总分, took
/// the first form's total for the file's score.
#[test]
fn several_project_forms_have_no_one_score() {
    let form = |name: &str, score: &str| {
        format!("项目支出绩效自评表\n（2023年度）\n项目名称\t{name}\n一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n产出指标\t数量指标\t维修供水管网长度\t≥25公里\t27.3公里\t100\t{score}\n总分\t\t\t\t\t100\t{score}\n\n")
    };
    let c = card(&format!(
        "{}{}",
        form("甲供水工程维修养护项目", "97"),
        form("乙饮水安全巩固提升项目", "95.21")
    ));
    assert_eq!(c.self_eval.score, None);
    let c = card(&form("甲供水工程维修养护项目", "97"));
    assert_eq!(
        c.self_eval.score.map(|s| s.to_string()).as_deref(),
        Some("97")
    );
}

/// A form's title with its year on the line below, the form right after.
#[test]
fn year_line_under_a_forms_title() {
    let c = card("项目支出绩效自评表\n（2024年度）\n填报单位（盖章）：宁都县水利局                    单位：万元\n\t项目名称\n\t固村河中小河流治理工程\n\n\t年度资金总额\n\t1200.00\n");
    assert_eq!(c.fiscal_year, Some(2024));
}

/// Regressions: a 主管部门 field beat the unit the title names with its place; a
/// part's score after `指标设定权重` counted as a second project score and voided
/// the result.
#[test]
fn a_project_report_by_a_town() {
    let c = card("泗洪县孙园镇人民政府\n2024年度项目支出绩效自评报告\n项目名称：钢架大棚产业项目\n主管部门：泗洪县农业农村局\n一、绩效目标完成情况\n产出指标设定权重50分，自评得分43分。\n二、自评结论\n本项目综合评分88.77分，等次为良好。\n");
    assert_eq!(c.org.as_deref(), Some("泗洪县孙园镇人民政府"));
    assert_eq!(
        c.self_eval.score.map(|d| d.to_string()).as_deref(),
        Some("88.77")
    );
    assert_eq!(c.self_eval.grade, Some(Grade::Good));
}

/// Regression: a score or grade hard-wrapped onto the next line (PDF text) was lost.
#[test]
fn self_evaluation_across_a_line_wrap() {
    let head = "2023年度某某县农业农村局部门整体支出绩效自评报告\n一、自评结论\n";
    let c = card(&format!(
        "{head}本部门预算资金使用规范，绩效目标基本完成。2023 年度部门整体支出绩效自评得分为\n\
         93.6 分，等级良好。\n"
    ));
    assert_eq!(c.self_eval.score, Some(Decimal::new(936, 1)));
    let c = card(&format!(
        "{head}经综合评价，产出指标得分47.8分，效益指标得分29.5分，自评总得分96.96分，自评等级为\n\
         “优”。\n"
    ));
    assert_eq!(c.self_eval.grade, Some(Grade::Excellent));
    assert_eq!(c.self_eval.grade_raw.as_deref(), Some("优"));
}

#[test]
fn prefecture_level_and_official_names() {
    let c = card(&report("岳阳市财政局", "正文。"));
    assert_eq!(c.region.level, Some(RegionLevel::Prefecture));
    assert_eq!(c.region.prefecture.as_deref(), Some("岳阳市"));
    assert_eq!(c.region.county, None);
    assert_eq!(c.region.adcode.as_deref(), Some("430600"));
    let c = card(&report("寻甸县民政局", "正文。"));
    assert_eq!(c.region.county.as_deref(), Some("寻甸回族彝族自治县"));
    assert_eq!(c.region.prefecture.as_deref(), Some("昆明市"));
}

#[test]
fn the_unit_name_prefers_its_full_form() {
    // The title says 网格事务中心; the table names the unit with its place.
    let doc = "2023年度网格事务中心整体支出绩效评价报告\n\n一、部门概况\n正文。\n\n县网格事务中心\n2024年5月17日\n \t市级预算部门名称\n\t东安县网格事务中心\n\n\t绩效指标\n\t三级指标\n\t实际完成值\n\t得分\n";
    let c = card(doc);
    assert_eq!(c.org.as_deref(), Some("东安县网格事务中心"));
    assert_eq!(c.region.adcode.as_deref(), Some("431122"));
    assert_eq!(c.report_date.as_deref(), Some("2024-05-17"));
    assert_eq!(
        c.doc_types,
        vec![DocType::DeptEvalReport, DocType::DeptEvalTable]
    );

    let c = card("上海市普陀区2025年区级部门预算\n\n 预算主管部门：上海市普陀区人民政府万里街道办事处\n\u{c}一、主要职能\n");
    assert_eq!(c.org.as_deref(), Some("上海市普陀区人民政府万里街道办事处"));
    assert_eq!(c.fiscal_year, Some(2025));
    assert_eq!(c.doc_types, vec![DocType::Budget]);

    // A stray space in the title; a project name after the unit.
    let c = card("2024年度岳阳市岳阳楼区公共服务和网格 化中心单位整体支出绩效自评报告\n一、概况\n");
    assert_eq!(c.org.as_deref(), Some("岳阳市岳阳楼区公共服务和网格化中心"));
    let c =
        card("# 2023 年度中共怀来县委政法委员会 网格化服务管理项目自评报告\n# 一、项目基本情况\n");
    assert_eq!(c.org.as_deref(), Some("中共怀来县委政法委员会"));
    assert_eq!(c.region.adcode.as_deref(), Some("130730"));
}

#[test]
fn every_part_a_file_holds_in_order() {
    let doc = "附件一\n\n2023年度部门整体支出绩效评价基础数据表\n\t编制数\n\n附件二\n\n2023年度部门整体支出绩效自评表\n\t预算部门、单位名称\n\t某某县某某中心\n\t三级指标\n\t总分\n\t100\n\t98\n\n附件三\n\n2023年度项目支出绩效自评表\n\t项目支出名称\n\t三级指标\n\t总分\n\t100\n\t97\n\n附件三\n\n2023年度项目支出绩效自评表\n\n附件四\n\n2023年度某某县某某中心部门整体支出绩效自评报告\n\n填表人：某某    填报日期：2024.6.18\n一、部门基本情况\n正文。\n";
    let c = card(doc);
    assert_eq!(
        c.doc_types,
        vec![
            DocType::EvalBasicData,
            DocType::DeptEvalTable,
            DocType::ProjectEvalTable,
            DocType::DeptEvalReport
        ]
    );
    // The 总分 of the department's table, not a project's.
    assert_eq!(c.self_eval.score, Some(Decimal::from(98)));
    assert_eq!(c.report_date.as_deref(), Some("2024-06-18"));
    assert_eq!(c.fiscal_year, Some(2023));

    // Parts listed in an attachment list are not in the file.
    let doc = "2024年度某某中心单位整体支出绩效自评报告\n一、概况\n正文。\n附件：1、单位整体支出绩效评价基础数据表\n2、单位整体支出绩效自评表\n3、项目支出绩效自评表\n";
    assert_eq!(card(doc).doc_types, vec![DocType::DeptEvalReport]);
}

#[test]
fn year_covered_and_date_signed() {
    // Written in 2024 about 2023; an event date in the text is not the report date.
    let doc = "2023年度某某县财政局部门整体支出绩效自评报告\n一、概况\n2024年3月1日召开会议。\n\n某某县财政局\n2024年4月16日\n";
    let c = card(doc);
    assert_eq!(c.fiscal_year, Some(2023));
    assert_eq!(c.report_date.as_deref(), Some("2024-04-16"));
    // A blank template gives no date.
    let c = card("2024年度某某中心单位整体支出绩效自评报告\n预算单位名称：\n\n年 月 日\n(此页为封面)\n一、概况\n于2025年7月15日前报送。\n");
    assert_eq!(c.report_date, None);
    // Chinese numerals.
    let c =
        card("2023年度某某局部门整体支出绩效自评报告\n一、概况\n正文。\n二〇二四年六月十八日\n");
    assert_eq!(c.report_date.as_deref(), Some("2024-06-18"));
}

#[test]
fn the_units_self_evaluation_not_a_projects() {
    let c = card(&report(
        "某某县网格事务中心",
        "对照指标表，2023年部门整体支出绩效自评结论：95分，优。",
    ));
    assert_eq!(c.self_eval.score, Some(Decimal::from(95)));
    assert_eq!(c.self_eval.grade, Some(Grade::Excellent));

    // A department's final accounts quoting a project's score.
    let doc = "2021 年度\n某某市某某中心\n部门决算\n\n第一部分\n\n概况\n\n一、部门职责\n“某某会议”项目绩效自评综述：根据年初设定的绩效目标，项目绩效自评得分为95分。\n";
    let c = card(doc);
    assert_eq!(c.self_eval.score, None);
    assert_eq!(c.doc_types, vec![DocType::FinalAccounts]);

    // A project report: its project's result is the document's.
    let doc = "2023 年度某某县委政法委员会网格化服务管理项目自评报告\n\n一、项目综合评价结论和评价等级\n\n根据项目执行情况和项目绩效情况,自评总得分为99分,得分≥85分,总体评分为优秀。\n";
    let c = card(doc);
    assert_eq!(c.self_eval.score, Some(Decimal::from(99)));
    assert_eq!(c.self_eval.grade, Some(Grade::Excellent));
    assert_eq!(c.self_eval.grade_raw.as_deref(), Some("优秀"));
}

#[test]
fn titles_in_other_counties_wording() {
    // `关于…的报告` names no unit: the signature block does, and gives the place.
    let doc = "关于2023年度网格化管理工作经费项目绩效自评的报告\n\n某某县委政法委：\n\n一、项目基本情况\n正文。\n二、自评结果\n综合评定得分95分，评定等级为“优秀”。\n\n湘潭县网格化服务管理中心\n2024年2月28日\n";
    let c = card(doc);
    assert_eq!(c.doc_types, vec![DocType::ProjectEvalReport]);
    assert_eq!(c.org.as_deref(), Some("湘潭县网格化服务管理中心"));
    assert_eq!(c.region.adcode.as_deref(), Some("430321"));
    assert_eq!(c.self_eval.score, Some(Decimal::from(95)));
    assert_eq!(c.report_date.as_deref(), Some("2024-02-28"));

    // The year in Chinese numerals.
    let c = card(
        "二〇二三年度\n石门县社会治安综合治理中心\n项目支出绩效自评报告\n\n一、项目概况\n正文。\n",
    );
    assert_eq!(c.fiscal_year, Some(2023));
    assert_eq!(c.org.as_deref(), Some("石门县社会治安综合治理中心"));
    assert_eq!(c.region.adcode.as_deref(), Some("430726"));

    // `部门决算公开`, and a county of one-character name.
    let c = card("2023年度攸县委政法委部门决算公开\n\n第一部分 部门概况\n一、职能\n正文。\n");
    assert_eq!(c.doc_types, vec![DocType::FinalAccounts]);
    assert_eq!(c.region.adcode.as_deref(), Some("430223"));
}

#[test]
fn score_and_grade_in_other_wording() {
    for (text, score, grade) in [
        (
            "经综合评价，评价结果为“优秀”。",
            None,
            Some(Grade::Excellent),
        ),
        (
            "自评结论：综合得分92分，评价等级“良好”。",
            Some(92),
            Some(Grade::Good),
        ),
        (
            "按照评分标准，自评分数为88分，等级为良。",
            Some(88),
            Some(Grade::Good),
        ),
        (
            "最终得分91分，绩效等级为“优”。",
            Some(91),
            Some(Grade::Excellent),
        ),
        (
            "经自评，总得分为89分，属于“良”等级。",
            Some(89),
            Some(Grade::Good),
        ),
        (
            "本部门整体支出绩效得分为90分，等级为“优”。",
            Some(90),
            Some(Grade::Excellent),
        ),
        // The grading bands come first; the result after them.
        (
            "综合评分90分（含）以上的为“优”，80分（含）至90分的为“良”。经评价，综合评分87分，评价等级为“良”。",
            Some(87),
            Some(Grade::Good),
        ),
        // A project's score in a department's report is not the department's.
        ("该项目得分92分。", None, None),
        // One part's score, after its weight, is not the result.
        (
            "产出指标分值50分，自评得分49分。综合自评得分98分，自评等级为“优”。",
            Some(98),
            Some(Grade::Excellent),
        ),
    ] {
        let c = card(&report("某某县网格事务中心", text));
        assert_eq!(c.self_eval.score, score.map(Decimal::from), "{text}");
        assert_eq!(c.self_eval.grade, grade, "{text}");
    }
    // Counts of projects by grade are no grade of the unit's.
    let c = card(&report(
        "某某县网格事务中心",
        "平均得分99分（其中，绩效等级为“优”的项目4个；绩效等级为“良”的项目0个）。",
    ));
    assert_eq!(c.self_eval.grade, None);
}

#[test]
fn score_and_grade_from_the_form() {
    // A grade row under the department table's total.
    let doc = "2023年度部门整体支出绩效自评表\n预算部门名称\t某某县网格化服务管理中心\n一级指标\t二级指标\t三级指标\t分值\t得分\n产出指标\t数量指标\t网格覆盖率\t50\t50\n效益指标\t社会效益\t群众满意度\t50\t46\n总分\t\t\t100\t96\n自评等级\t优\n";
    let c = card(doc);
    assert_eq!(c.self_eval.score, Some(Decimal::from(96)));
    assert_eq!(c.self_eval.grade, Some(Grade::Excellent));
    // A file that is one project's table: its total is the document's.
    let doc = "2023年度项目支出绩效自评表\n项目名称\t某某经费\n一级指标\t二级指标\t三级指标\t分值\t得分\n产出指标\t数量指标\t培训人数\t60\t60\n效益指标\t社会效益\t能力提升\t40\t35\n总分\t\t\t100\t95\n";
    assert_eq!(card(doc).self_eval.score, Some(Decimal::from(95)));
}

/// Regressions: in a file of project results the unit's own result wins, several
/// projects' results without one give none, and a grade cell may hold its value.
#[test]
fn self_evaluation_of_files_with_several_projects() {
    let c = card("某县卫生健康局2023年度项目支出绩效自评表\n\n第一部分 项目支出绩效自评表\n\n一、甲项目\n\n自评得分：97.9分    自评等级：优\n\n第二部分 部门整体支出绩效自评报告（摘要）\n\n经综合评定，我局2023年度部门整体支出绩效自评得分91.8分，自评等级为“优”。\n");
    assert_eq!(
        c.self_eval.score.map(|d| d.to_string()).as_deref(),
        Some("91.8")
    );
    assert!(
        c.doc_types.iter().any(|d| d.as_str() == "dept_eval_report"),
        "{:?}",
        c.doc_types
    );
    let c = card("某县农业农村局2023年度项目支出绩效自评报告\n\n一、甲项目\n\n经评价，该项目自评得分94.2分，等级为优。\n\n二、乙项目\n\n经评价，该项目自评得分88.5分，等级为良。\n");
    assert_eq!(c.self_eval.score, None);
}

/// Regression: a project's report with other projects' results appended gave no
/// result; the project its title names is the file's.
#[test]
fn the_titled_projects_result_among_appended_ones() {
    let c = card("某县民政局2024年度困难群众救助补助资金项目支出绩效自评报告\n\n一、自评结论\n经自评，困难群众救助补助资金项目2024年度绩效自评得分为94.6分，评价等级为“优”。\n\n二、其他项目自评情况\n养老服务补贴：全年预算120.00万元，执行率98%，自评得分91分，评价等级为“优”。\n殡葬改革经费：全年预算30.00万元，执行率85%，自评得分82.5分，评价等级为“良”。\n");
    assert_eq!(
        c.self_eval.score.map(|d| d.to_string()).as_deref(),
        Some("94.6")
    );
    assert_eq!(c.self_eval.grade, Some(Grade::Excellent));
}

/// Regression: a third-party evaluation report took the agency that signed it
/// for the unit; the cover's `项目单位` names the unit.
#[test]
fn a_third_party_report_names_the_project_unit() {
    let c = card("某某县2023年度农田水利建设项目\n支出绩效评价报告\n\n委托单位：宁都县财政局\n项目单位：宁都县水利局\n评价机构：某某工程咨询有限公司\n\n一、项目基本情况\n项目预算安排资金500.00万元。\n\n某某工程咨询有限公司\n2024年6月20日\n");
    assert_eq!(c.org.as_deref(), Some("宁都县水利局"));
    assert_eq!(c.region.adcode.as_deref(), Some("360730"));
}

/// Regression: a cover's `单位名称：…（盖章）` was no name, so a form's 实施单位 won.
#[test]
fn a_seal_note_after_the_units_name() {
    let c = card("2024年度项目支出绩效自评表\n\n单位名称：兰西县农业农村局（盖章）\n填报日期：2025年4月11日\n\n项目支出绩效自评表\n        项目名称            2024年动物防疫补助项目\n        主管部门            兰西县农业农村局          实施单位      兰西县动物疫病预防控制中心\n");
    assert_eq!(c.org.as_deref(), Some("兰西县农业农村局"));
}

/// Regression: a table listing projects (`序号 | 项目名称 | 年初预算 | …`) made a
/// department's report a project form too.
#[test]
fn a_list_of_projects_is_no_project_form() {
    let c = card("某县城市管理局2024年度部门整体支出绩效评价报告\n一、部门概况\n表2 主要项目支出执行情况表\n   序号     项目名称          年初预算     调整预算    实际支出    执行率\n    1   城区环卫保洁项目     1180.00      1326.50    1326.50    100.00%\n二、评价结论\n评价得分86.5分，等级为良。\n");
    assert_eq!(
        c.doc_types.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
        ["dept_eval_report"]
    );
}

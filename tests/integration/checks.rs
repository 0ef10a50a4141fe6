//! Consistency checks on named cases of the bundled corpus (issue 6): real
//! inconsistencies are flagged with both sides' spans, correct figures pass, and a
//! check that cannot run is skipped, never passed.

use serde_json::Value;

use crate::common::*;

/// (path of the document, checks.jsonl lines of it)
fn checks_of(file: &str) -> (String, Vec<Value>) {
    let dir = corpus_run();
    let doc = dataset(dir, "documents")
        .into_iter()
        .find(|d| d["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("{file} not in the corpus run"));
    let id = doc["doc_id"].clone();
    let checks = dataset(dir, "checks")
        .into_iter()
        .filter(|c| c["doc_id"] == id)
        .collect();
    (doc["path"].as_str().unwrap().to_string(), checks)
}

fn with<'a>(checks: &'a [Value], id: &str, status: &str) -> Vec<&'a Value> {
    checks
        .iter()
        .filter(|c| c["check"] == id && c["status"] == status)
        .collect()
}

#[test]
fn liling_income_row_that_does_not_add_up_is_flagged_with_both_sides() {
    let (path, checks) = checks_of("liling-2021-grid-final-accounts.txt");
    let text = decoded_text(&path);
    let fails = with(&checks, "table.row_sum", "fail");
    let health = fails
        .iter()
        .find(|c| c["message"].as_str().unwrap().contains("卫生健康支出"))
        .expect("卫生健康支出 row of 收入决算表 flagged");
    // 本年收入合计 5.88 against 财政拨款 5.88 + 其他收入 20.00, in yuan.
    assert_eq!(health["expected"], serde_json::json!(58800));
    assert_eq!(health["found"], serde_json::json!(258800));
    assert_eq!(health["tolerance"], serde_json::json!(100));
    let sides: Vec<String> = health["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| slice_chars(&text, s))
        .collect();
    assert_eq!(sides, ["5.88", "5.88", "20.00"]);
    // The rest of the final accounts adds up: its summary tables balance.
    for id in [
        "balance.totals",
        "balance.income_side",
        "balance.expenditure_side",
    ] {
        assert_eq!(with(&checks, id, "pass").len(), 2, "{id}");
        assert!(with(&checks, id, "fail").is_empty(), "{id}");
    }
}

#[test]
fn dongan_doubled_percent_rate_and_scores_pass() {
    let (_, checks) = checks_of("dongan-2023-grid-dept-eval.txt");
    let rate = with(&checks, "rate.execution", "pass");
    assert_eq!(rate.len(), 1, "{checks:?}");
    assert!(rate[0]["message"].as_str().unwrap().contains("121.93%%"));
    // Indicator scores and the budget row's 5 add to the stated 95 (no 总分 figures).
    let total = with(&checks, "indicator.scores_sum_to_total", "pass");
    assert_eq!(total.len(), 1, "{checks:?}");
    assert_eq!(total[0]["expected"]["score"], serde_json::json!(95));
    assert_eq!(
        with(&checks, "indicator.grade_matches_score", "pass").len(),
        1
    );
}

#[test]
fn final_accounts_tables_and_balances() {
    for file in [
        "putuo-caizhengju-2024-final-accounts.txt",
        "putuo-shehuigongzuobu-2024-final-accounts.txt",
        "putuo-guihuaziyuanju-2024-final-accounts.txt",
    ] {
        let (_, checks) = checks_of(file);
        let complete = &checks
            .iter()
            .find(|c| c["check"] == "complete.final_accounts")
            .unwrap();
        // All three publish the nine tables; the empty ones say 本表无数据.
        assert_eq!(complete["status"], "pass", "{file}: {complete}");
        for id in ["table.row_sum", "table.code_sum", "balance.totals"] {
            assert!(!with(&checks, id, "pass").is_empty(), "{file} {id}");
            assert!(with(&checks, id, "fail").is_empty(), "{file} {id}");
        }
    }
    // A budget is no final account (no completeness check), but its tables take
    // the kinds of the forms they mirror, so their sums are checked.
    let (_, checks) = checks_of("putuo-district-2025-budget.txt");
    assert_eq!(with(&checks, "complete.final_accounts", "skipped").len(), 1);
    for id in ["table.row_sum", "table.code_sum"] {
        assert!(!with(&checks, id, "pass").is_empty(), "budget {id}");
        assert!(with(&checks, id, "fail").is_empty(), "budget {id}");
    }
}

#[test]
fn a_partial_breakdown_is_not_a_sum_and_zero_bases_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("in/report.txt");
    std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
    std::fs::write(
        &doc,
        "一、支出决算情况\n本年支出合计100万元，其中：基本支出60万元。\n\
         二、收入支出总体情况\n本单位2024年度收入支出总计307.82万元，与上年相比增加307.82万元，增长100.00%。\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    extract_to(&out, &[&dir.path().join("in")], &[], 0);
    let checks = dataset(&out, "checks");
    let st = |id: &str| {
        checks
            .iter()
            .filter(|c| c["check"] == id)
            .map(|c| c["status"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(st("sum.expenditure_parts"), ["skipped"]);
    assert_eq!(st("rate.growth"), ["skipped"]);
    assert!(checks.iter().all(|c| c["status"] != "fail"), "{checks:?}");
}

#[test]
fn every_check_id_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/checks.md")).unwrap();
    let pats = baogao::patterns::PatternSet::embedded().unwrap();
    let ids = pats.checks.ids();
    assert!(ids.len() >= 14);
    let seen: std::collections::BTreeSet<String> = dataset(corpus_run(), "checks")
        .iter()
        .map(|c| c["check"].as_str().unwrap().to_string())
        .collect();
    for id in ids.iter().map(|s| s.to_string()).chain(seen) {
        assert!(
            doc.contains(&format!("`{id}`")),
            "{id} missing from docs/checks.md"
        );
    }
}

/// A whole-unit self-evaluation form as a markdown table (written for the test in
/// the genre's usual template): the unit comes from `填报单位（盖章）：`, the grade
/// from `自评等次`, and the 总分 counts the budget-execution row beside the indicators.
#[test]
fn a_pipe_form_with_the_budget_row_in_its_total() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/docs/dept-eval-table-pipe.md"),
        input.join("form.md"),
    )
    .unwrap();
    let out = dir.path().join("out");
    extract_to(&out, &[&input], &[], 0);
    let doc = &dataset(&out, "documents")[0];
    assert_eq!(doc["org"], "双峰县社会治理网格化服务中心");
    assert_eq!(doc["region"]["adcode"], "431321");
    assert_eq!(doc["report_date"], "2024-03-08");
    assert_eq!(doc["self_eval"]["score"], serde_json::json!(96.5));
    assert_eq!(doc["self_eval"]["grade"], "优");
    let checks = dataset(&out, "checks");
    let total = with(&checks, "indicator.scores_sum_to_total", "pass");
    assert_eq!(total.len(), 1, "{checks:?}");
    assert!(total[0]["message"]
        .as_str()
        .unwrap()
        .contains("budget-execution row"));
    assert_eq!(
        with(&checks, "indicator.grade_matches_score", "pass").len(),
        1
    );
}

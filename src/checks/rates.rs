//! Stated rates against the figures they describe: `[[fact_ratio]]` rules over facts
//! (执行率 in self-evaluation tables) and `[[text_rate]]` rules over running text
//! (完成预算的X%, 增长X%, 占X%).

use rust_decimal::Decimal;

use super::{check, close, num, skipped};
use crate::model::{Check, CheckStatus, Doc, Fact, LineRole, Span};
use crate::normalize::{join_lines, MappedText};
use crate::numbers::read_decimal;
use crate::patterns::checks::{TextRateKind, TextRateRule};
use crate::patterns::PatternSet;

pub fn run(doc: &Doc, pats: &PatternSet) -> Vec<Check> {
    let mut out = vec![];
    for r in &pats.checks.fact_ratios {
        out.extend(fact_ratio(doc, r));
    }
    let paragraphs = paragraphs(doc);
    for r in &pats.checks.text_rates {
        let mut found = vec![];
        for p in &paragraphs {
            found.extend(text_rate(doc, p, r));
        }
        if found.is_empty() {
            found.push(skipped(
                &r.id,
                format!("{}: no such statement in the text", r.description),
            ));
        }
        out.extend(found);
    }
    out
}

/// One unit of the last printed digit of a stated percentage (at least 0.01).
fn rate_tolerance(raw: &str) -> Decimal {
    Decimal::new(1, super::decimals(raw)).max(Decimal::new(1, 2))
}

fn percent_of(num_: Decimal, den: Decimal) -> Option<Decimal> {
    (!den.is_zero()).then(|| num_ * Decimal::from(100) / den)
}

fn fact_ratio(doc: &Doc, r: &crate::patterns::checks::FactRatioRule) -> Vec<Check> {
    let find = |metric: &str, basis, like: &Fact| {
        doc.facts.iter().find(|f| {
            f.metric.as_deref() == Some(metric)
                && f.basis == Some(basis)
                && f.subject == like.subject
                && f.table_id == like.table_id
        })
    };
    let mut out = vec![];
    for rate in doc
        .facts
        .iter()
        .filter(|f| f.metric.as_deref() == Some(r.rate.as_str()))
    {
        let (Some(n), Some(d)) = (
            find(&r.numerator.0, r.numerator.1, rate),
            find(&r.denominator.0, r.denominator.1, rate),
        ) else {
            out.push(skipped(
                &r.id,
                format!(
                    "{}: stated {} without both figures beside it",
                    r.description, rate.raw
                ),
            ));
            continue;
        };
        let tol = rate_tolerance(&rate.raw);
        let spans = vec![rate.span, n.span, d.span];
        match percent_of(n.value, d.value) {
            Some(p) => {
                let ok = close(p, rate.value, tol);
                out.push(check(
                    &r.id,
                    CheckStatus::of(ok),
                    num(p.round_dp(4)),
                    num(rate.value),
                    format!(
                        "{}: {} / {} = {}% vs stated {}",
                        r.description,
                        n.raw,
                        d.raw,
                        p.round_dp(2),
                        rate.raw
                    ),
                    spans,
                    Some(tol),
                ));
            }
            None => out.push(check(
                &r.id,
                CheckStatus::Skipped,
                serde_json::Value::Null,
                num(rate.value),
                format!(
                    "{}: stated {} but the denominator {} is zero: the rate is undefined",
                    r.description, rate.raw, d.raw
                ),
                spans,
                Some(tol),
            )),
        }
    }
    if out.is_empty() {
        out.push(skipped(
            &r.id,
            format!("{}: no {} stated", r.description, r.rate),
        ));
    }
    out
}

/// Running text in paragraphs (runs of body lines; blank lines kept inside a run).
fn paragraphs(doc: &Doc) -> Vec<MappedText> {
    let mut out = vec![];
    let mut run: Vec<usize> = vec![];
    for (i, role) in doc.roles.iter().enumerate() {
        match role {
            LineRole::Text | LineRole::Heading => run.push(i),
            LineRole::Blank if !run.is_empty() => run.push(i),
            _ => {
                if !run.is_empty() {
                    out.push(join_lines(&doc.norm, &run));
                    run.clear();
                }
            }
        }
    }
    if !run.is_empty() {
        out.push(join_lines(&doc.norm, &run));
    }
    out
}

/// A captured figure: value and span.
fn figure(doc: &Doc, p: &MappedText, m: Option<regex::Match>) -> Option<(Decimal, Span, String)> {
    let m = m?;
    let (v, _) = read_decimal(m.as_str())?;
    Some((
        v,
        doc.norm.mapped_span(p, m.start(), m.end()),
        doc.norm
            .mapped_source_slice(p, m.start(), m.end())
            .to_string(),
    ))
}

fn text_rate(doc: &Doc, p: &MappedText, r: &TextRateRule) -> Vec<Check> {
    let text = p.as_str();
    let mut out = vec![];
    let mut at = 0;
    while let Some(mut c) = r.re.captures_at(text, at) {
        let whole = c.get(0).map(|m| m.range()).unwrap_or(at..text.len());
        at = if whole.end > at {
            whole.end
        } else {
            match text[at..].chars().next() {
                Some(ch) => at + ch.len_utf8(),
                None => break,
            }
        };
        // `年初预算为0万元，全年预算为321.02万元，…完成…的95.89%`: a zero first budget
        // is not the base when a later one in the same statement leads to the same rate.
        if r.kind == TextRateKind::Ratio {
            while let (Some(d), Some(rm)) = (c.name("den"), c.name("rate")) {
                let zero = read_decimal(d.as_str()).is_some_and(|(v, _)| v.is_zero());
                let again = zero
                    .then(|| r.re.captures_at(text, d.end()))
                    .flatten()
                    .filter(|n| n.name("rate").map(|m| m.start()) == Some(rm.start()));
                match again {
                    Some(n) => c = n,
                    None => break,
                }
            }
        }
        match r.kind {
            TextRateKind::Ratio | TextRateKind::Growth => {
                let (a, b) = match r.kind {
                    TextRateKind::Ratio => ("num", "den"),
                    _ => ("change", "now"),
                };
                let (Some(x), Some(y), Some(rate)) = (
                    figure(doc, p, c.name(a)),
                    figure(doc, p, c.name(b)),
                    figure(doc, p, c.name("rate")),
                ) else {
                    continue;
                };
                let (num_, den) = match r.kind {
                    TextRateKind::Ratio => (x.0, y.0),
                    _ => {
                        // growth: the base is the earlier figure, now ∓ change
                        let down = c
                            .name("dir")
                            .is_some_and(|d| matches!(d.as_str(), "减少" | "下降"));
                        (x.0, if down { y.0 + x.0 } else { y.0 - x.0 })
                    }
                };
                out.push(rate_check(
                    r,
                    num_,
                    den,
                    &rate,
                    vec![rate.1, x.1, y.1],
                    &x.2,
                    &y.2,
                ));
            }
            TextRateKind::Shares => {
                let Some(total) = figure(doc, p, c.name("den")) else {
                    continue;
                };
                let Some(part_re) = &r.part else { continue };
                let whole = c.get(0).map(|m| m.end()).unwrap_or(0);
                // The shares of this total end at the sentence or at the next total.
                let end = text[whole..]
                    .find('。')
                    .map(|e| whole + e)
                    .unwrap_or(text.len())
                    .min(r.re.find_at(text, whole).map_or(text.len(), |m| m.start()));
                for pc in part_re.captures_iter(&text[whole..end]) {
                    let shift =
                        |m: Option<regex::Match>| m.map(|m| (m.start() + whole, m.end() + whole));
                    let (Some(nr), Some(rr)) = (shift(pc.name("num")), shift(pc.name("rate")))
                    else {
                        continue;
                    };
                    let get = |(a, b): (usize, usize)| {
                        read_decimal(&text[a..b]).map(|(v, _)| {
                            (
                                v,
                                doc.norm.mapped_span(p, a, b),
                                doc.norm.mapped_source_slice(p, a, b).to_string(),
                            )
                        })
                    };
                    let (Some(part), Some(rate)) = (get(nr), get(rr)) else {
                        continue;
                    };
                    out.push(rate_check(
                        r,
                        part.0,
                        total.0,
                        &rate,
                        vec![rate.1, part.1, total.1],
                        &part.2,
                        &total.2,
                    ));
                }
            }
        }
    }
    out
}

fn rate_check(
    r: &TextRateRule,
    num_: Decimal,
    den: Decimal,
    rate: &(Decimal, Span, String),
    spans: Vec<Span>,
    num_raw: &str,
    den_raw: &str,
) -> Check {
    let tol = rate_tolerance(&rate.2);
    match percent_of(num_, den) {
        Some(p) => {
            let ok = close(p, rate.0, tol);
            check(
                &r.id,
                CheckStatus::of(ok),
                num(p.round_dp(4)),
                num(rate.0),
                format!(
                    "{}: {} / {} = {}% vs stated {}",
                    r.description,
                    num_raw,
                    den_raw,
                    p.round_dp(2),
                    rate.2
                ),
                spans,
                Some(tol),
            )
        }
        // A rate of a zero base is undefined (a unit set up this year states
        // `增长100%`): nothing to compare, so the check cannot run.
        None => check(
            &r.id,
            CheckStatus::Skipped,
            serde_json::Value::Null,
            num(rate.0),
            format!(
                "{}: stated {} of a zero base ({}): the rate is undefined",
                r.description, rate.2, den_raw
            ),
            spans,
            Some(tol),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests_support::doc_from;

    fn statuses(text: &str, id: &str) -> Vec<(CheckStatus, String)> {
        let p = PatternSet::embedded().unwrap();
        let d = doc_from(text);
        run(&d, &p)
            .into_iter()
            .filter(|c| c.check == id)
            .map(|c| (c.status, c.message))
            .collect()
    }

    #[test]
    fn completion_rates() {
        let s = statuses(
            "2.2023年“三公经费”年初预算0.94万元，决算支出共 0.86万元，较预算减少0.08万元，完成预算的91.49%，主要原因。",
            "rate.completion",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, CheckStatus::Pass, "{s:?}");
        let s = statuses(
            "支出预算为5万元，支出决算为1.64万元，完成预算的38.2%。",
            "rate.completion",
        );
        assert_eq!(s[0].0, CheckStatus::Fail, "{s:?}");
    }

    #[test]
    fn growth_and_shares() {
        let s = statuses(
            "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入\n支出总计减少56.95万元，下降1.87%。主要原因：调整。",
            "rate.growth",
        );
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].0, CheckStatus::Pass, "{s:?}");
        let s = statuses(
            "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；卫生健康支出（类）60.99万元，占2.07%。",
            "rate.share",
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].0, CheckStatus::Fail, "71.65 ≠ 71.73: {s:?}");
        assert_eq!(s[1].0, CheckStatus::Pass, "{s:?}");
    }

    #[test]
    fn nothing_stated_is_skipped() {
        let s = statuses("本单位无政府性基金收支。", "rate.growth");
        assert_eq!(s[0].0, CheckStatus::Skipped);
    }
}

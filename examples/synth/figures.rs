//! Varying the figures of a document consistently.
//!
//! Every money figure of a document is multiplied by the same whole factor, so a
//! total still equals the sum of its parts and a rate (决算/预算) stays what it was;
//! years move by the same offset. Money is a figure followed by a money unit
//! (`74万元`, `3763807 元`) or written with two decimals (`1,960.73`, the way money
//! columns are printed); percentages, bare integers (row numbers, scores, head
//! counts, subject codes) are left alone. Digits keep their style (thousands
//! separators, decimals), and in space-aligned rows the gap before a figure absorbs
//! its change of width so the columns stay aligned.

/// How one document's figures change.
#[derive(Debug, Clone, Copy)]
pub struct Variation {
    pub factor: u32,
    pub year_shift: i32,
}

const MONEY_UNITS: [&str; 4] = ["万元", "亿元", "千元", "元"];

/// A figure as written: `digits` without separators, `decimals` after the point.
struct Figure {
    int_digits: String,
    frac_digits: String,
    commas: bool,
}

fn scan_figure(s: &str) -> (usize, Figure) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut int_digits = String::new();
    let mut commas = false;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            int_digits.push(b[i] as char);
            i += 1;
        } else if b[i] == b','
            && !int_digits.is_empty()
            && b.len() >= i + 4
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
        {
            commas = true;
            i += 1;
        } else {
            break;
        }
    }
    let mut frac_digits = String::new();
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            frac_digits.push(b[i] as char);
            i += 1;
        }
    }
    (
        i,
        Figure {
            int_digits,
            frac_digits,
            commas,
        },
    )
}

fn group_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (n - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn scaled(f: &Figure, factor: u32) -> Option<String> {
    let all = format!("{}{}", f.int_digits, f.frac_digits);
    let v: u128 = all.parse().ok()?;
    let v = v.checked_mul(factor as u128)?;
    let d = f.frac_digits.len();
    let s = format!("{:0width$}", v, width = d + 1);
    let (int, frac) = s.split_at(s.len() - d);
    let int = if f.commas {
        group_thousands(int)
    } else {
        int.to_string()
    };
    Some(if d > 0 { format!("{int}.{frac}") } else { int })
}

fn next_non_space(rest: &str) -> &str {
    rest.trim_start_matches([' ', '\u{3000}'])
}

/// Apply `v` to one line of text.
pub fn vary_line(line: &str, v: Variation) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let Some(c) = rest.chars().next() else { break };
        let starts_figure = c.is_ascii_digit()
            && !prev.is_some_and(|p| p.is_ascii_alphanumeric() || p == '.' || p == '_');
        if !starts_figure {
            out.push(c);
            prev = Some(c);
            i += c.len_utf8();
            continue;
        }
        let (len, fig) = scan_figure(rest);
        let written = &rest[..len];
        let after = &rest[len..];
        let next = next_non_space(after);
        let replacement = if next.starts_with(['%', '％', '‰']) {
            None
        } else if fig.frac_digits.is_empty()
            && !fig.commas
            && fig.int_digits.len() == 4
            && (2000..=2039).contains(&fig.int_digits.parse::<i32>().unwrap_or(0))
            && (next.starts_with(['年', '-', '—', '至', '~', '～']))
        {
            let y = fig.int_digits.parse::<i32>().unwrap_or(0) + v.year_shift;
            Some(y.to_string())
        } else if MONEY_UNITS.iter().any(|u| next.starts_with(u)) || fig.frac_digits.len() == 2 {
            scaled(&fig, v.factor)
        } else {
            None
        };
        match replacement {
            Some(new) if new != written => {
                align_gap(&mut out, new.len() as isize - written.len() as isize);
                out.push_str(&new);
            }
            _ => out.push_str(written),
        }
        prev = written.chars().last();
        i += len;
    }
    out
}

/// A figure preceded by a column gap (two or more spaces) takes its change of width
/// from that gap, keeping right-aligned columns aligned; one space always remains.
fn align_gap(out: &mut String, delta: isize) {
    let gap = out.len() - out.trim_end_matches(' ').len();
    if gap < 2 || delta == 0 {
        return;
    }
    if delta > 0 {
        let cut = (delta as usize).min(gap - 1);
        out.truncate(out.len() - cut);
    } else {
        out.extend(std::iter::repeat_n(' ', (-delta) as usize));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: Variation = Variation {
        factor: 3,
        year_shift: -1,
    };

    #[test]
    fn money_scales_and_years_shift() {
        assert_eq!(
            vary_line("2023年度收、支总计74万元,增长率为85%,决算0.86万元", V),
            "2022年度收、支总计222万元,增长率为85%,决算2.58万元"
        );
        assert_eq!(vary_line("资金投入 3763807 元", V), "资金投入 11291421 元");
        assert_eq!(
            vary_line("行次 12 分值 10 编码 2010101", V),
            "行次 12 分值 10 编码 2010101"
        );
        assert_eq!(vary_line("1,960.73", V), "5,882.19");
        assert_eq!(vary_line("执行率 121.93%", V), "执行率 121.93%");
        assert_eq!(vary_line("G2023年", V), "G2023年");
    }

    #[test]
    fn aligned_columns_stay_aligned() {
        let src = "八、其他收入                  6.20   八、社会保障和就业支出        326.71";
        let out = vary_line(
            src,
            Variation {
                factor: 20,
                year_shift: 0,
            },
        );
        assert_eq!(
            out,
            "八、其他收入                124.00   八、社会保障和就业支出       6534.20"
        );
        assert_eq!(out.chars().count(), src.chars().count());
    }

    #[test]
    fn commas_regroup() {
        assert_eq!(
            vary_line(
                "2,940.05",
                Variation {
                    factor: 400,
                    year_shift: 0
                }
            ),
            "1,176,020.00"
        );
        assert_eq!(scaled(&scan_figure("0.05").1, 2).as_deref(), Some("0.10"));
    }
}

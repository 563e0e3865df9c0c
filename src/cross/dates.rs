//! Calendar days, and the dates written in Chinese documents.
//!
//! Why hand-written: the dates to find are the ones a 会议通知 or a 总结报告 states —
//! `2025年8月20日`, `2025-08-20`, `2025.8.20`, the 公文 form `二〇二五年八月二十日`, and ranges
//! whose end leaves out what it shares with the start (`2025年8月20日至22日`,
//! `8月20日—9月2日`, a year given once for the whole document). A date-time crate parses
//! one fixed format at a time and knows none of these; what is needed of the calendar is the
//! day number of a civil date (Howard Hinnant's algorithm, as `facts::normalize_date`).

use regex::Regex;

pub(crate) use crate::units::Day;

/// A stated date or range of days, where it was written (byte offsets) and as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stated {
    pub first: Day,
    pub last: Day,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Chinese numerals of dates (`二〇二五`, `二十`, `十一`) to digits; other text unchanged.
fn cn_number(s: &str) -> Option<i64> {
    let digit = |c: char| {
        "〇零一二三四五六七八九".find(c).map(|i| {
            // Byte offsets: 〇 and 零 are both 0; each character is 3 bytes.
            let i = (i / 3) as i64;
            if i == 0 { 0 } else { i - 1 }
        })
    };
    let chars: Vec<char> = s.chars().collect();
    if chars.iter().all(|c| c.is_ascii_digit()) && !chars.is_empty() {
        return s.parse().ok();
    }
    if !chars.contains(&'十') {
        // Positional: 二〇二五.
        return chars
            .iter()
            .try_fold(0i64, |acc, c| digit(*c).map(|d| acc * 10 + d));
    }
    // 十 / 十一 / 二十 / 二十一 / 三十.
    let (tens, units) = match chars.as_slice() {
        ['十'] => (1, 0),
        ['十', u] => (1, digit(*u)?),
        [t, '十'] => (digit(*t)?, 0),
        [t, '十', u] => (digit(*t)?, digit(*u)?),
        _ => return None,
    };
    Some(tens * 10 + units)
}

struct Patterns {
    full: Regex,
    tail: Regex,
}

fn patterns() -> &'static Patterns {
    static P: std::sync::OnceLock<Patterns> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let n = r"[0-9０-９]{1,4}|[〇零一二三四五六七八九十]{1,4}";
        // Year optional (a notice often says 8月20日 and its year once, at the signature).
        let full = format!(
            r"(?:(?P<y>[0-9]{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*)?(?P<m>{n})\s*月\s*(?P<d>{n})\s*[日号]|(?P<iy>20[0-9]{{2}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})"
        );
        let tail = format!(
            r"^\s*(?:至|到|—|–|-|~|～|－|——)\s*(?:(?:(?P<y>[0-9]{{4}})\s*年\s*)?(?P<m>{n})\s*月\s*)?(?P<d>{n})\s*[日号]|^\s*(?:至|到|—|–|-|~|～|－)\s*(?P<iy>20[0-9]{{2}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})"
        );
        Patterns {
            full: Regex::new(&full).expect("date pattern"),
            tail: Regex::new(&tail).expect("date range pattern"),
        }
    })
}

fn num(c: &regex::Captures, name: &str) -> Option<i64> {
    let s: String = c
        .name(name)?
        .as_str()
        .chars()
        .map(|ch| match ch {
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32).unwrap_or(ch),
            _ => ch,
        })
        .collect();
    cn_number(&s)
}

/// Every date and range stated in `text`, in order. A date without a year takes the year of
/// the closest full date before it in the text, else `default_year`.
pub(crate) fn stated(text: &str, default_year: i64) -> Vec<Stated> {
    let p = patterns();
    let mut out: Vec<Stated> = Vec::new();
    let mut year = default_year;
    let mut at = 0;
    while let Some(c) = p.full.captures_at(text, at) {
        let Some(whole) = c.get(0) else { break };
        at = whole.end().max(at + 1);
        let (y, m, d) = if c.name("iy").is_some() {
            (num(&c, "iy"), num(&c, "im"), num(&c, "id"))
        } else {
            (num(&c, "y"), num(&c, "m"), num(&c, "d"))
        };
        let (Some(m), Some(d)) = (m, d) else { continue };
        if let Some(y) = y {
            year = y;
        }
        let Some(first) = Day::from_ymd(year, m, d) else {
            continue;
        };
        let mut end = whole.end();
        let mut last = first;
        if let Some(t) = p.tail.captures(&text[end..]) {
            let (ty, tm, td) = if t.name("iy").is_some() {
                (num(&t, "iy"), num(&t, "im"), num(&t, "id"))
            } else {
                (num(&t, "y"), num(&t, "m"), num(&t, "d"))
            };
            if let Some(td) = td
                && let Some(day) = Day::from_ymd(ty.unwrap_or(year), tm.unwrap_or(m), td)
                && day >= first
                && day.0 - first.0 <= 60
            {
                last = day;
                end += t.get(0).map_or(0, |x| x.end());
            }
        }
        at = at.max(end);
        out.push(Stated {
            first,
            last,
            start: whole.start(),
            end,
            text: text[whole.start()..end].to_string(),
        });
    }
    out
}

/// The sentence (or line) around `start..end`, trimmed, at most `max` characters each side.
pub(crate) fn around(text: &str, start: usize, end: usize, max: usize) -> String {
    let stops = ['。', '\n', '；', '！', '？'];
    let from = text[..start]
        .rfind(stops)
        .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let to = text[end..]
        .find(stops)
        .map(|i| end + i)
        .unwrap_or(text.len());
    let before: Vec<char> = text[from..start].chars().collect();
    let after: Vec<char> = text[end..to].chars().collect();
    let b: String = before[before.len().saturating_sub(max)..].iter().collect();
    let a: String = after[..after.len().min(max)].iter().collect();
    format!("{}{}{}", b.trim_start(), &text[start..end], a.trim_end())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The meeting's dates as a document states them: the first date after one of `words`
/// (within a few characters: `会议时间：2025年8月20日至21日`), else the first date of a sentence
/// that has one of `verbs` after it (`定于2025年8月20日在……召开`).
pub(crate) fn meeting(
    text: &str,
    words: &[String],
    verbs: &[String],
    default_year: i64,
) -> Option<Stated> {
    let all = stated(text, default_year);
    for w in words {
        for (i, _) in text.match_indices(w.as_str()) {
            let after = i + w.len();
            if let Some(s) = all
                .iter()
                .find(|s| s.start >= after && text[after..s.start].chars().count() <= 6)
            {
                return Some(s.clone());
            }
        }
    }
    all.into_iter().find(|s| {
        let rest = &text[s.end..];
        let sentence = rest.find(['。', '\n', '；']).map_or(rest, |i| &rest[..i]);
        verbs.iter().any(|v| sentence.contains(v.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        Day::parse_iso(s).unwrap()
    }

    #[test]
    fn civil_days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2025-06-20", "2026-12-31"] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("1970-01-02").0, 1);
        assert!(Day::from_ymd(2025, 2, 29).is_none());
        assert!(Day::parse_iso("2025-13-01").is_none());
        assert_eq!(Day::parse_iso("2025-08-20T09:00:00"), Some(d("2025-08-20")));
    }

    #[test]
    fn dates_as_documents_write_them() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "定于2025年8月20日至22日在乌鲁木齐召开",
                &[("2025-08-20", "2025-08-22")],
            ),
            ("2025年7月25日—26日", &[("2025-07-25", "2025-07-26")]),
            ("2025年8月30日至9月1日", &[("2025-08-30", "2025-09-01")]),
            (
                "发布时间：2025-08-22 10:30",
                &[("2025-08-22", "2025-08-22")],
            ),
            ("2025.9.5", &[("2025-09-05", "2025-09-05")]),
            ("二〇二五年八月二十日", &[("2025-08-20", "2025-08-20")]),
            ("二〇二五年十月一日", &[("2025-10-01", "2025-10-01")]),
            (
                "2025年6月25日印发。会议时间：7月18日至19日",
                &[("2025-06-25", "2025-06-25"), ("2025-07-18", "2025-07-19")],
            ),
            ("８月２０日", &[("2025-08-20", "2025-08-20")]),
            ("2025年2月30日", &[]),
            ("第3月", &[]),
        ];
        for (text, want) in table {
            let got = stated(text, 2025);
            let got: Vec<(String, String)> = got
                .iter()
                .map(|s| (s.first.to_string(), s.last.to_string()))
                .collect();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn meeting_dates_prefer_the_stated_time() {
        let words: Vec<String> = ["会议时间".to_string(), "时间".to_string()].into();
        let verbs: Vec<String> = ["召开".to_string()].into();
        let notice = "请于2025年7月5日前报名。\n会议时间：2025年7月18日至19日（7月17日报到）。\n新疆农学会\n2025年6月25日";
        let m = meeting(notice, &words, &verbs, 2025).unwrap();
        assert_eq!((m.first, m.last), (d("2025-07-18"), d("2025-07-19")));
        let summary = "2025年7月18日至19日，新疆农学会在乌鲁木齐召开了年会。";
        let m = meeting(summary, &[], &verbs, 2025).unwrap();
        assert_eq!(m.first, d("2025-07-18"));
        assert_eq!(
            around(summary, m.start, m.end, 10),
            "2025年7月18日至19日，新疆农学会在乌鲁木"
        );
        assert!(meeting("没有日期", &words, &verbs, 2025).is_none());
    }
}

//! How durations are written everywhere (one format): the dossier, the messages, the
//! findings of the extractors; and calendar days ([`Day`]), which the readers (creation dates)
//! and the audit's date checks share. Numbers with thousands separators are
//! [`crate::count::thousands`].

use std::fmt;

/// The placeholder for "no value".
const DASH: &str = "—";

/// `mm:ss` under an hour, `h:mm:ss` from an hour on. Seconds are truncated, not rounded, so a
/// recording of 44:59.6 never shows as 45:00 next to a fail for "不少于45分钟".
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return DASH.to_string();
    }
    // Saturating float-to-int cast: absurd header values cannot overflow.
    let total = seconds.trunc() as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// A calendar day (days since 1970-01-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Day(pub i64);

impl Day {
    /// The day of a civil date, `None` when there is no such day (2025-02-30).
    pub(crate) fn from_ymd(y: i64, m: i64, d: i64) -> Option<Day> {
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || !(1900..=2200).contains(&y)
        {
            return None;
        }
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = y2.div_euclid(400);
        let yoe = y2 - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// Year, month, day.
    pub(crate) fn ymd(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    /// `2025-08-20` (also the start of `2025-08-20T09:00:00` or `2025-08-20 09:00:00`).
    pub(crate) fn parse_iso(s: &str) -> Option<Day> {
        let s = s.trim();
        let y = s.get(0..4)?.parse().ok()?;
        if s.get(4..5)? != "-" || s.get(7..8)? != "-" {
            return None;
        }
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        Day::from_ymd(y, m, d)
    }

    pub(crate) fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }
}

/// Serialised as `2025-08-20`.
impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

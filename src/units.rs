//! How durations are written everywhere (one format): the dossier, the messages, the
//! findings of the extractors. Numbers with thousands separators are [`crate::count::thousands`].

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

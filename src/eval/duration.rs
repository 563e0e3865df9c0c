//! `duration`: recordings of at least `at_least` seconds — each one ("每个报告时长不少于45分钟",
//! `each = true`, the default) or any one ("不少于3分钟的宣传视频" inside an "或", `each = false`).
//!
//! Durations are compared in whole seconds, as a reviewer reads them (44:59.6 is 44:59). A
//! duration that is only an estimate or of low confidence never passes on its own (it is
//! `review`), though a short estimate still fails. With `pair_with` (the keynote decks), the
//! number of recordings is held against the number of decks: at least as many recordings as
//! decks, each long enough, passes; fewer recordings than decks fails, naming both counts and
//! the decks without a recording. Which deck belongs to which recording is read from the file
//! names ([`super::pairing`], with the rule file's `pair_strip` words): it explains the
//! dossier, it does not decide it — camera files called `00012.MTS` pair with nothing.
//! Recordings handed in as a link (a 网盘 link, a live-stream replay) are quoted for a person to
//! follow: `review`, never "not found".

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::files::{RoleFiles, list_links, list_unreadable, paths, why};
use super::table::{Line, Row, decide, explain};
use super::{Check, Context, Explain, MeasureKind, Requirement, check_role, ev, semi, start};
use crate::model::{FileRecord, RequirementResult};
use crate::units::duration as mmss;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    pub role: String,
    /// Seconds.
    pub at_least: f64,
    /// Every recording must reach it (`true`), or one is enough (`false`, an "或").
    #[serde(default = "yes")]
    pub each: bool,
    /// At least this many recordings.
    #[serde(default = "one")]
    pub min: u64,
    /// The role whose files each want a recording (keynote decks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair_with: Option<String>,
    /// Words taken out of file names before pairing (主旨报告, 幻灯片, 录像 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pair_strip: Vec<String>,
}

fn yes() -> bool {
    true
}

fn one() -> u64 {
    1
}

crate::decision_table! {
    PASS: Pass, "duration.pass",
        when "每个{name}均 ≥{at_least}，且数量不少于{partners}" / "every {name} ≥{at_least}, and at least as many as {partners}",
        says "{name} {n} 个，均不少于 {at_least}{unpaired}" / "{name|cap}: {n}, each at least {at_least}{unpaired}";
    PASS_ANY: Pass, "duration.pass_any",
        when "任一{name} ≥{at_least}" / "any one {name} ≥{at_least}",
        says "{file} 时长 {d}，不少于 {at_least}" / "{file} runs {d}, at least {at_least}";
    SHORT: Fail, "duration.short",
        when "任一{name} <{at_least}" / "any {name} <{at_least}",
        says "{short}{unpaired}" / "{short}{unpaired}";
    SHORT_ALL: Fail, "duration.short_all",
        when "每个{name}均 <{at_least}" / "every {name} <{at_least}",
        says "{name}均不足 {at_least}（最长 {d}）：{short}{unreadable}" / "Every {name} is shorter than {at_least} (the longest {d}): {short}{unreadable}";
    FEWER: Fail, "duration.fewer",
        when "{name}少于{partners}" / "fewer {name} than {partners}",
        says "{name} {n} 个，少于{partner_name} {k} 个：{lonely}" /
             "{name|cap}: {n}, fewer than the {k} {partner_name}: {lonely}";
    TOO_FEW: Fail, "duration.too_few",
        when "少于 {min} 个" / "fewer than {min}",
        says "{name}只有 {n} 个，要求至少 {min} 个" / "{name|cap}: only {n}, at least {min} required";
    UNREADABLE: Fail, "duration.unreadable",
        when "有无法读取的{name}（截断、损坏、空文件）" / "an unreadable {name} file (truncated, corrupt, empty)",
        says "{name}无法读取，无法核对时长：{files}；{todo}" / "{name|cap}: cannot be read, so the duration cannot be checked: {files}; {todo}";
    LINK: Review, "duration.link",
        when "{name}以链接代替文件提交（网盘、直播回放）" / "{name} handed in as a link instead of the file (cloud storage, a live-stream replay)",
        says "{name}以链接提交：{links}；时长需人工打开链接核对（每个不少于 {at_least}），或提交{name}文件" /
             "{name|cap}: handed in as a link: {links}; a person must follow it and check the durations (at least {at_least} each), or the files must be submitted";
    UNKNOWN: Review, "duration.unknown",
        when "时长无法读取（暂不支持的格式）" / "duration not readable (a format this tool does not read)",
        says "无法读取时长，需人工核对：{unknown}{unpaired}" / "The duration could not be read; needs review: {unknown}{unpaired}";
    ESTIMATE: Review, "duration.estimate",
        when "时长只是估算或可信度低" / "the duration is only an estimate or of low confidence",
        says "时长只是估算或可信度低，不能单独作为通过依据，需人工核对：{doubtful}{unpaired}" /
             "The duration is only an estimate or of low confidence and cannot pass on its own; needs review: {doubtful}{unpaired}";
    MISSING: Fail, "duration.missing",
        when "未提交" / "nothing submitted",
        says "{missing}" / "{missing}";
}

crate::messages! {
    ABOUT_EACH = "duration.about_each": "时长：每个{name}不少于 {at_least}" / "duration: each {name} at least {at_least}";
    ABOUT_ANY = "duration.about_any": "时长：任一{name}不少于 {at_least}" / "duration: any one {name} at least {at_least}";
    THRESHOLD_EACH = "duration.threshold_each": "每个不少于{at_least}" / "each at least {at_least}";
    NOT_SUBMITTED = "duration.not_submitted": "未提交" / "not submitted";
    SHORT_ITEM = "duration.short_item":
        "{path} 时长 {d}，不足 {at_least}（还差 {gap}）" / "{path} runs {d}, less than {at_least} ({gap} short)";
    PAIRED = "duration.paired": "配对{partner_name}：{deck}；" / "paired {partner_name}: {deck}; ";
    UNPAIRED = "duration.unpaired": "未配对{partner_name}；" / "no paired {partner_name}; ";
    HOW = "duration.how": "（{method}，可信度{confidence}）" / " ({method}, {confidence} confidence)";
    EV_SHORT = "duration.ev_short": "{prefix}时长 {d}{how} < {against}（不足）" / "{prefix}duration {d}{how} < {against} (too short)";
    EV_OK = "duration.ev_ok": "{prefix}时长 {d}{how} ≥ {against}" / "{prefix}duration {d}{how} ≥ {against}";
    DOUBTFUL_ITEM = "duration.doubtful_item": "{path} 时长 {d}{how}" / "{path} runs {d}{how}";
    UNKNOWN_ITEM = "duration.unknown_item": "{path}：{why}" / "{path}: {why}";
    LONELY_DECK = "duration.lonely_deck":
        "未找到对应的{name}（按文件名）" / "no {name} found for it (by file name)";
    MEASURED = "duration.measured": "{n} 个，最短 {d}" / "{n}, shortest {d}";
    MEASURED_LONGEST = "duration.measured_longest": "{n} 个，最长 {d}" / "{n}, longest {d}";
    MEASURED_UNKNOWN = "duration.measured_unknown": "{n} 个，时长未知" / "{n}, duration unknown";
    MEASURED_LINKS = "duration.measured_links": "以链接提交（{n} 个链接）" / "handed in as {n} {n|link|links}";
    MEASURED_PAIRS = "duration.measured_pairs":
        "；与{partner_name}配对 {p} 组，未配对{partner_name} {d} 个、{name} {r} 个" /
        "; paired with {partner_name}: {p}; unpaired {partner_name}: {d}, {name}: {r}";
    UNPAIRED_NOTE = "duration.unpaired_note":
        "；按文件名未能与{name}对应的{partner_name}（仅供核对）：{decks}" /
        "; {partner_name} that could not be matched to a {name} by file name (for checking only): {decks}";
    LONELY_LIST = "duration.lonely_list":
        "以下{partner_name}没有对应的{name}：{decks}" / "these {partner_name} have no {name}: {decks}";
    LONELY_GUESS = "duration.lonely_guess":
        "按文件名无法判断哪些{partner_name}缺少{name}，未能对应的{partner_name}：{decks}" /
        "which ones lack a {name} cannot be told by file name; {partner_name} not matched: {decks}";
    UNREADABLE_NOTE = "duration.unreadable_note": "；无法读取：{files}" / "; unreadable: {files}";
    THE_PARTNERS = "duration.partners": "{partner_name}的数量" / "the number of {partner_name}";
    NO_PARTNERS = "duration.no_partners": "{min} 个" / "{min}";
}

/// A recording's duration as it decides.
struct Reading<'a> {
    file: &'a FileRecord,
    seconds: f64,
    /// "（估算，可信度低）" when it cannot decide a pass by itself.
    how: String,
}

impl Duration {
    fn short(&self, d: f64) -> bool {
        // 50 ms of slack absorbs container timescale rounding (2699.999 s for 45:00).
        (d + 0.05).floor() < self.at_least
    }
}

impl MeasureKind for Duration {
    fn about(&self, ex: &Explain) -> String {
        let m = if self.each { &ABOUT_EACH } else { &ABOUT_ANY };
        crate::msg!(
            ex.lang,
            m,
            name = ex.role_name(&self.role),
            at_least = mmss(self.at_least)
        )
    }

    fn check(&mut self, cx: &mut dyn Check) {
        check_role(cx, "role", None, &self.role);
        if let Some(p) = &self.pair_with {
            check_role(cx, "pair_with", None, p);
        }
        if !(self.at_least.is_finite() && self.at_least >= 0.0) {
            cx.error("at_least", None, "at_least 必须是非负数".into());
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles = vec![self.role.as_str()];
        if let Some(p) = &self.pair_with {
            roles.push(p);
        }
        roles
    }

    fn any(&self) -> bool {
        !self.each
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        let name = ctx.role_name(&self.role);
        let at_least = mmss(self.at_least);
        r.threshold = json!(self.at_least);
        if r.threshold_text.is_empty() {
            r.threshold_text = crate::msg!(lang, THRESHOLD_EACH, at_least = &at_least);
        }
        let fs = RoleFiles::of(ctx, &self.role);
        let partner_name = self
            .pair_with
            .as_deref()
            .map(|p| ctx.role_name(p))
            .unwrap_or_default();
        let decks: Vec<&FileRecord> = self
            .pair_with
            .as_deref()
            .map(|p| {
                let d = RoleFiles::of(ctx, p);
                d.read
                    .into_iter()
                    .chain(d.unreadable)
                    .chain(d.unsupported)
                    .collect()
            })
            .unwrap_or_default();
        let recordings: Vec<&FileRecord> = fs
            .read
            .iter()
            .chain(&fs.unreadable)
            .chain(&fs.unsupported)
            .copied()
            .collect();
        // Pairing explains the recordings there are; with none (only a link) it has nothing to say.
        let pairing = self
            .pair_with
            .as_ref()
            .filter(|_| !recordings.is_empty())
            .map(|_| {
                let d: Vec<&str> = decks.iter().map(|f| f.path.as_str()).collect();
                let rec: Vec<&str> = recordings.iter().map(|f| f.path.as_str()).collect();
                super::pairing::pair(&d, &rec, &self.pair_strip)
            });
        let prefix = |f: &FileRecord| -> String {
            let Some(p) = &pairing else {
                return String::new();
            };
            let i = recordings.iter().position(|x| x.path == f.path);
            let deck = p
                .pairs
                .iter()
                .find(|(_, rec, _)| Some(*rec) == i)
                .and_then(|(d, _, _)| decks.get(*d));
            match deck {
                Some(d) => crate::msg!(lang, PAIRED, partner_name = &partner_name, deck = &d.path),
                None => crate::msg!(lang, UNPAIRED, partner_name = &partner_name),
            }
        };

        // Read every recording's duration.
        let against = mmss(self.at_least);
        let mut readings: Vec<Reading> = Vec::new();
        let mut unknown: Vec<String> = Vec::new();
        for f in &fs.read {
            let facts = f.facts.as_ref();
            match facts.and_then(|x| x.duration_s) {
                Some(seconds) => {
                    let how = facts
                        .and_then(|x| x.duration.as_ref())
                        .filter(|x| !x.decisive())
                        .map(|x| {
                            crate::msg!(
                                lang,
                                HOW,
                                method = lang.duration_method(x.method),
                                confidence = lang.confidence(x.confidence)
                            )
                        })
                        .unwrap_or_default();
                    let m = if self.short(seconds) {
                        &EV_SHORT
                    } else {
                        &EV_OK
                    };
                    r.evidence.push(ev(
                        &f.path,
                        crate::msg!(
                            lang,
                            m,
                            prefix = prefix(f),
                            d = mmss(seconds),
                            how = &how,
                            against = &against
                        ),
                    ));
                    readings.push(Reading {
                        file: f,
                        seconds,
                        how,
                    });
                }
                None => {
                    unknown.push(crate::msg!(
                        lang,
                        UNKNOWN_ITEM,
                        path = &f.path,
                        why = why(lang, f)
                    ));
                    r.evidence
                        .push(ev(&f.path, format!("{}{}", prefix(f), why(lang, f))));
                }
            }
        }
        for f in fs.unreadable.iter().chain(&fs.unsupported) {
            r.evidence
                .push(ev(&f.path, format!("{}{}", prefix(f), why(lang, f))));
        }
        for f in &fs.unsupported {
            unknown.push(crate::msg!(
                lang,
                UNKNOWN_ITEM,
                path = &f.path,
                why = why(lang, f)
            ));
        }
        for (f, l) in &fs.links {
            r.evidence.push(ev(&f.path, l.clone()));
        }
        let mut lonely: Vec<&FileRecord> = Vec::new();
        if let Some(p) = &pairing {
            for &d in &p.unpaired_decks {
                if let Some(deck) = decks.get(d) {
                    lonely.push(deck);
                    r.evidence
                        .push(ev(&deck.path, crate::msg!(lang, LONELY_DECK, name = &name)));
                }
            }
        }

        // Measured.
        let n = recordings.len() as u64;
        let shortest = readings.iter().map(|x| x.seconds).reduce(f64::min);
        let longest = readings.iter().map(|x| x.seconds).reduce(f64::max);
        let shown = if self.each { shortest } else { longest };
        r.measured = shown.map(|s| json!(s)).unwrap_or(Value::Null);
        r.measured_text = match (shown, self.each) {
            _ if fs.is_empty() => crate::msg!(lang, NOT_SUBMITTED),
            (None, _) if recordings.is_empty() && !fs.links.is_empty() => {
                crate::msg!(lang, MEASURED_LINKS, n = fs.links.len())
            }
            (Some(s), true) => crate::msg!(lang, MEASURED, n = n, d = mmss(s)),
            (Some(s), false) => crate::msg!(lang, MEASURED_LONGEST, n = n, d = mmss(s)),
            (None, _) => crate::msg!(lang, MEASURED_UNKNOWN, n = n),
        };
        if let Some(p) = &pairing {
            r.measured_text.push_str(&crate::msg!(
                lang,
                MEASURED_PAIRS,
                partner_name = &partner_name,
                name = &name,
                p = p.pairs.len(),
                d = p.unpaired_decks.len(),
                r = p.unpaired_recordings.len()
            ));
        }

        // Decide.
        let short: Vec<&Reading> = readings.iter().filter(|x| self.short(x.seconds)).collect();
        let short_text = short
            .iter()
            .map(|x| {
                crate::msg!(
                    lang,
                    SHORT_ITEM,
                    path = &x.file.path,
                    d = mmss(x.seconds),
                    at_least = &at_least,
                    gap = mmss((self.at_least - (x.seconds + 0.05).floor()).max(1.0))
                )
            })
            .collect::<Vec<_>>()
            .join(semi(lang));
        let doubtful: Vec<String> = readings
            .iter()
            .filter(|x| !self.short(x.seconds) && !x.how.is_empty())
            .map(|x| {
                crate::msg!(
                    lang,
                    DOUBTFUL_ITEM,
                    path = &x.file.path,
                    d = mmss(x.seconds),
                    how = &x.how
                )
            })
            .collect();
        let decisive_long = readings
            .iter()
            .filter(|x| !self.short(x.seconds) && x.how.is_empty())
            .max_by(|a, b| a.seconds.total_cmp(&b.seconds));
        let unpaired_note = if lonely.is_empty() {
            String::new()
        } else {
            crate::msg!(
                lang,
                UNPAIRED_NOTE,
                name = &name,
                partner_name = &partner_name,
                decks = paths(lang, &lonely)
            )
        };
        let k = decks.len() as u64;
        let lonely_text = if (lonely.len() as u64) == k.saturating_sub(n) {
            crate::msg!(
                lang,
                LONELY_LIST,
                partner_name = &partner_name,
                name = &name,
                decks = paths(lang, &lonely)
            )
        } else {
            crate::msg!(
                lang,
                LONELY_GUESS,
                partner_name = &partner_name,
                name = &name,
                decks = paths(lang, &lonely)
            )
        };
        let unreadable_note = if fs.unreadable.is_empty() {
            String::new()
        } else {
            crate::msg!(
                lang,
                UNREADABLE_NOTE,
                files = list_unreadable(lang, &fs.unreadable)
            )
        };
        let row: &Row = if fs.is_empty() {
            &MISSING
        } else if self.each {
            if !short.is_empty() {
                &SHORT
            } else if !fs.unreadable.is_empty() {
                &UNREADABLE
            } else if !fs.links.is_empty() {
                &LINK
            } else if self.pair_with.is_some() && n < k {
                &FEWER
            } else if n < self.min {
                &TOO_FEW
            } else if !unknown.is_empty() {
                &UNKNOWN
            } else if !doubtful.is_empty() {
                &ESTIMATE
            } else {
                &PASS
            }
        } else if decisive_long.is_some() {
            &PASS_ANY
        } else if !fs.links.is_empty() {
            &LINK
        } else if !doubtful.is_empty() {
            &ESTIMATE
        } else if !unknown.is_empty() {
            &UNKNOWN
        } else if !readings.is_empty() {
            &SHORT_ALL
        } else {
            &UNREADABLE
        };
        let args = crate::args!(
            name = &name,
            n = n,
            k = k,
            min = self.min,
            partner_name = &partner_name,
            at_least = &at_least,
            file = decisive_long
                .map(|x| x.file.path.clone())
                .unwrap_or_default(),
            d = decisive_long
                .or(readings
                    .iter()
                    .max_by(|a, b| a.seconds.total_cmp(&b.seconds)))
                .map(|x| mmss(x.seconds))
                .unwrap_or_default(),
            short = &short_text,
            unpaired = &unpaired_note,
            lonely = &lonely_text,
            unknown = unknown.join(semi(lang)),
            doubtful = doubtful.join(semi(lang)),
            unreadable = &unreadable_note,
            files = list_unreadable(lang, &fs.unreadable),
            links = list_links(lang, &fs.links),
            missing = super::files::missing(ctx, &self.role),
            todo = crate::msg!(lang, super::files::REPLACE),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let lang = ex.lang;
        let name = ex.role_name(&self.role);
        let partner_name = self
            .pair_with
            .as_deref()
            .map(|p| ex.role_name(p))
            .unwrap_or_default();
        let partners = if self.pair_with.is_some() {
            crate::msg!(lang, THE_PARTNERS, partner_name = &partner_name)
        } else {
            crate::msg!(lang, NO_PARTNERS, min = self.min)
        };
        let rows: Vec<&Row> = TABLE
            .iter()
            .filter(|row| {
                if self.each {
                    // With one recording required, "too few" is "none": links or missing.
                    **row != PASS_ANY
                        && **row != SHORT_ALL
                        && (self.pair_with.is_some() || **row != FEWER)
                        && (**row != TOO_FEW || self.min > 1)
                } else {
                    **row != PASS && **row != SHORT && **row != FEWER && **row != TOO_FEW
                }
            })
            .collect();
        let args = crate::args!(
            name = &name,
            partner_name = &partner_name,
            partners = partners,
            at_least = mmss(self.at_least),
            min = self.min,
        );
        explain(&rows, lang, &args)
    }
}

//! `news`: at least `at_least` news items published where the guide asks (XXJL: 中央或自治区主流
//! 媒体 for 国际/全国 meetings, 自治区科协官网 for 全疆 ones; DJQC: 自治区科协官网; QKPY: any).
//!
//! Each item is read for the channel it states. It names a required outlet: it counts. It
//! states another channel (the society's own website, a newspaper not on the list — the rule
//! file's `channel_patterns` find such statements): `fail`, quoting the channel (policy rule
//! 7). It states no channel, gives only a URL, is a screenshot, or is a link handed in
//! instead: a machine cannot tell where it was published, so `review`, saying what to check
//! (the link, or a screenshot of the page on the required site) — policy rule 3. Which outlets
//! are required may depend on the meeting's level; an unknown level is `review` too.

use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{RoleFiles, list_unreadable, why};
use super::table::{Line, decide, explain};
use super::{
    Check, Context, Explain, MeasureKind, Requirement, check_role, ev, quoted, semi, start,
};
use crate::label::normalize;
use crate::lang::Lang;
use crate::model::{FileRecord, RequirementResult};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct News {
    pub role: String,
    pub at_least: u64,
    /// Required outlets by level id, or under `any`; empty: any news item counts.
    #[serde(default)]
    pub outlets: BTreeMap<String, Vec<String>>,
    /// Regular expressions whose first group is a stated publication channel ("来源：XX日报").
    #[serde(default)]
    pub channel_patterns: Vec<String>,
    #[serde(skip)]
    pub compiled: Vec<Regex>,
}

crate::decision_table! {
    PASS: Pass, "news.pass",
        when "≥{at_least} 篇注明发布于{outlets}" / "≥{at_least} {at_least|item|items} naming {outlets}",
        says "{name} {ok} 篇，达到要求" / "{name|cap}: {ok} {ok|item|items}, as required";
    LEVEL: Review, "news.level",
        when "会议级别（{levels}）不明，不知应发布在哪里" / "the level ({levels}) is unknown, so the required outlets are too",
        says "无法确定会议级别（{levels}），无法判断新闻应发布的渠道：请用 --level 指定，或在会议通知中写明" /
             "The level of the meeting ({levels}) is unknown, so the required news outlets cannot be decided: give it with --level, or state it in the meeting notice";
    REVIEW: Review, "news.review",
        when "未写明发布渠道、只有网址或截图、或以链接提交" / "no channel stated, only a URL or a screenshot, or a link",
        says "{name}的发布渠道无法由机器确认，请人工核对是否发布在{outlets}：{items}" /
             "A machine cannot confirm where the {name} was published; please check whether it appeared on {outlets}: {items}";
    WRONG: Fail, "news.wrong",
        when "写明的发布渠道不是{outlets}" / "the channel stated is not {outlets}",
        says "{name}写明的发布渠道不是所要求的{outlets}：{items}" /
             "{name|cap}: the channel stated is not the required {outlets}: {items}";
    UNREADABLE: Fail, "news.unreadable",
        when "只有无法读取的文件" / "only unreadable files",
        says "{name}无法读取：{files}；{todo}" / "{name|cap}: cannot be read: {files}; {todo}";
    MISSING: Fail, "news.missing",
        when "未提交" / "nothing submitted",
        says "{missing}" / "{missing}";
}

crate::messages! {
    ABOUT = "news.about":
        "新闻：注明发布于所要求渠道的新闻不少于 {at_least} 篇（写明其他渠道为不通过，未写明为人工复核）" /
        "news: at least {at_least} items naming a required outlet (another channel stated fails, none stated needs review)";
    ANY_OUTLET = "news.any_outlet": "任何渠道" / "any outlet";
    ITEMS = "news.items": "{n} 篇" / "{n} {n|item|items}";
    OK = "news.ok": "注明发布渠道“{o}”" / "names the outlet “{o}”";
    ITEM = "news.item": "新闻稿" / "news item";
    WRONG_ITEM = "news.wrong_item": "写明发布于“{channel}”" / "states the channel “{channel}”";
    URL_ITEM = "news.url_item":
        "只有网址 {url}：请打开核对是否为{outlets}的页面" / "only a URL {url}: please open it and check it is a page of {outlets}";
    NO_CHANNEL = "news.no_channel":
        "未写明发布渠道：请核对原文链接或发布页面的截图" /
        "no publication channel stated: please check its link, or a screenshot of the page where it was published";
    PICTURE = "news.picture":
        "截图或扫描件，无可读文字：请查看图中网页是否为{outlets}" / "a screenshot or scan without readable text: please check the page shown is on {outlets}";
    LINK = "news.link": "以链接提交（{link}）：请打开核对是否发布在{outlets}" / "handed in as a link ({link}): please open it and check it was published on {outlets}";
    UNSUPPORTED = "news.unsupported": "格式暂不支持（{why}）：请人工核对" / "a format this tool does not read ({why}): please check by hand";
    MORE_OUTLETS = "news.more_outlets": "等（共 {n} 个）" / " and others ({n} in all)";
    ITEM_LINE = "news.item_line": "{path}（{detail}）" / "{path} ({detail})";
}

/// How one news item stands.
enum Item {
    Ok(String),
    Wrong(String),
    Check(String),
}

impl News {
    /// The outlets required at the context's level: `Some(empty)` when any outlet counts,
    /// `None` when the level decides and is not known.
    fn wanted<'a>(&'a self, level: Option<&str>) -> Option<&'a [String]> {
        if self.outlets.is_empty() {
            return Some(&[]);
        }
        if let Some(any) = self.outlets.get("any") {
            return Some(any);
        }
        level.and_then(|l| self.outlets.get(l)).map(Vec::as_slice)
    }

    fn outlets_text(lang: Lang, wanted: &[String]) -> String {
        if wanted.is_empty() {
            return crate::msg!(lang, ANY_OUTLET);
        }
        let first: Vec<String> = wanted.iter().take(3).cloned().collect();
        let more = if wanted.len() > first.len() {
            crate::msg!(lang, MORE_OUTLETS, n = wanted.len())
        } else {
            String::new()
        };
        format!("{}{more}", quoted(&first, lang))
    }

    fn item(&self, lang: Lang, f: &FileRecord, wanted: &[String], outlets: &str) -> Item {
        let Some(facts) = f.facts.as_ref() else {
            return Item::Check(crate::msg!(lang, UNSUPPORTED, why = why(lang, f)));
        };
        if let Some(link) = crate::link::find(facts) {
            let host_named = wanted
                .iter()
                .any(|o| normalize(&link).contains(&normalize(o)));
            if !host_named {
                return Item::Check(crate::msg!(lang, LINK, link = link, outlets = outlets));
            }
        }
        if facts.counts.chars_no_space < 20 {
            return Item::Check(crate::msg!(lang, PICTURE, outlets = outlets));
        }
        let text = normalize(&format!("{}\n{}", f.path, facts.all_text()));
        if wanted.is_empty() {
            return Item::Ok(crate::msg!(lang, ITEM));
        }
        if let Some(o) = wanted.iter().find(|o| text.contains(&normalize(o))) {
            return Item::Ok(crate::msg!(lang, OK, o = o));
        }
        let channel = self.compiled.iter().find_map(|re| {
            re.captures(&text)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
        });
        if let Some(channel) = channel {
            return Item::Wrong(crate::msg!(lang, WRONG_ITEM, channel = channel));
        }
        let raw = facts.all_text();
        if let Some(url) = crate::link::urls(&raw).first() {
            return Item::Check(crate::msg!(lang, URL_ITEM, url = *url, outlets = outlets));
        }
        Item::Check(crate::msg!(lang, NO_CHANNEL))
    }
}

impl MeasureKind for News {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(ex.lang, ABOUT, at_least = self.at_least)
    }

    fn check(&mut self, cx: &mut dyn Check) {
        check_role(cx, "role", None, &self.role);
        let levels: Vec<String> = self.outlets.keys().cloned().collect();
        for level in levels {
            if level != "any" && !cx.has_level(&level) {
                cx.error("outlets", None, format!("outlets 中未定义的级别 “{level}”"));
            }
        }
        self.compiled.clear();
        for (i, p) in self.channel_patterns.iter().enumerate() {
            match Regex::new(p) {
                Ok(re) if re.captures_len() >= 2 => self.compiled.push(re),
                Ok(_) => cx.error(
                    "channel_patterns",
                    Some(i),
                    "pattern 需要一个捕获组 (…) 来取出发布渠道".into(),
                ),
                Err(e) => cx.error(
                    "channel_patterns",
                    Some(i),
                    format!("pattern 不是有效的正则表达式：{e}"),
                ),
            }
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.role]
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        r.threshold = json!(self.at_least);
        let name = ctx.role_name(&self.role);
        let fs = RoleFiles::of(ctx, &self.role);
        let levels: Vec<&str> = ctx.rules.levels.iter().map(|l| l.name_in(lang)).collect();
        let Some(wanted) = self.wanted(ctx.level) else {
            r.measured_text = crate::msg!(lang, ITEMS, n = fs.all.len());
            for f in &fs.all {
                r.evidence.push(ev(&f.path, ""));
            }
            decide(
                &mut r,
                lang,
                &LEVEL,
                &crate::args!(levels = levels.join("/")),
            );
            return r;
        };
        let outlets = Self::outlets_text(lang, wanted);
        let (mut ok, mut wrong, mut check) = (0u64, Vec::new(), Vec::new());
        let readable: Vec<&FileRecord> = fs
            .read
            .iter()
            .chain(fs.links.iter().map(|(f, _)| f))
            .chain(&fs.unsupported)
            .copied()
            .collect();
        for f in readable {
            match self.item(lang, f, wanted, &outlets) {
                Item::Ok(d) => {
                    ok += 1;
                    r.evidence.push(ev(&f.path, d));
                }
                Item::Wrong(d) => {
                    wrong.push(crate::msg!(lang, ITEM_LINE, path = &f.path, detail = &d));
                    r.evidence.push(ev(&f.path, d));
                }
                Item::Check(d) => {
                    check.push(crate::msg!(lang, ITEM_LINE, path = &f.path, detail = &d));
                    r.evidence.push(ev(&f.path, d));
                }
            }
        }
        for f in &fs.unreadable {
            r.evidence.push(ev(&f.path, why(lang, f)));
        }
        r.measured = json!(ok);
        r.measured_text = crate::msg!(lang, ITEMS, n = ok);
        let row = if ok >= self.at_least {
            &PASS
        } else if fs.is_empty() {
            &MISSING
        } else if ok + check.len() as u64 >= self.at_least {
            &REVIEW
        } else if !wrong.is_empty() {
            &WRONG
        } else if !fs.unreadable.is_empty() {
            &UNREADABLE
        } else {
            &MISSING
        };
        let items = if *row == WRONG { &wrong } else { &check };
        let args = crate::args!(
            name = &name,
            ok = ok,
            outlets = &outlets,
            items = items.join(semi(lang)),
            files = list_unreadable(lang, &fs.unreadable),
            missing = super::files::missing(ctx, &self.role),
            todo = crate::msg!(lang, super::files::REPLACE),
            levels = levels.join("/"),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let lang = ex.lang;
        let levels: Vec<&str> = ex.rules.levels.iter().map(|l| l.name_in(lang)).collect();
        let outlets: Vec<String> = if self.outlets.is_empty() {
            vec![crate::msg!(lang, ANY_OUTLET)]
        } else {
            self.outlets
                .iter()
                .map(|(level, list)| {
                    let level_name = ex
                        .rules
                        .levels
                        .iter()
                        .find(|l| &l.id == level)
                        .map_or(String::new(), |l| format!("{}：", l.name_in(lang)));
                    format!("{level_name}{}", Self::outlets_text(lang, list))
                })
                .collect()
        };
        let rows: Vec<&super::table::Row> = TABLE
            .iter()
            .filter(|row| {
                let by_level = !self.outlets.is_empty() && !self.outlets.contains_key("any");
                // Without required outlets every readable item counts: no channel can be wrong.
                (**row != LEVEL || by_level) && (**row != WRONG || !self.outlets.is_empty())
            })
            .collect();
        let args = crate::args!(
            at_least = self.at_least,
            outlets = outlets.join(semi(lang)),
            levels = levels.join("/"),
        );
        explain(&rows, lang, &args)
    }
}

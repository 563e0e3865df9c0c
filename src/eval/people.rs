//! `titled_people`: the list names at least `at_least` people with one of the rule's titles
//! ("至少3名国内外院士或领域内知名专家").
//!
//! People are read by column from the list's tables ([`crate::experts`]: name column, title
//! columns), else from lines of text. Three outcomes matter to a reviewer:
//! - enough people with a title (院士, 教授, 研究员 … the rule file's `titles`): `pass`;
//! - fewer people listed than required: `fail`, whatever their titles (policy rule 5 — two
//!   people cannot be "至少3名");
//! - enough people listed but fewer with a title: `review` — whether the others are
//!   "知名专家" is a person's judgement (policy rule 3), and the message says who to look at.
//!
//! Without a table, the number of people is over-estimated (every entry of every line of
//! text, headers and labels left out) so that "fewer listed than required" is never said of
//! a list that might be long enough.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{RoleFiles, list_links, list_unreadable, paths, why};
use super::table::{Line, decide, explain};
use super::{Check, Context, Explain, MeasureKind, Requirement, check_role, ev, sep, start};
use crate::experts::{Titles, has_title, is_header_line, summarize};
use crate::lang::Lang;
use crate::model::{FileRecord, RequirementResult};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitledPeople {
    pub role: String,
    /// The academician title (院士): counted apart and named in the evidence.
    pub academician: String,
    /// The other titles that count (知名专家, 教授, 研究员, 主任医师 …).
    pub titles: Vec<String>,
    /// Prefixes that make a title junior (副教授 is not 教授).
    #[serde(default)]
    pub junior_prefixes: Vec<String>,
    pub at_least: u64,
    /// English for the academician title, as a plural heading ("academicians").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub academician_en: Option<String>,
    /// English for the titles, as a phrase ("renowned experts, professors, researchers").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub titles_en: Option<String>,
}

crate::decision_table! {
    PASS: Pass, "people.pass",
        when "带{academician}或{titles}等职称的人 ≥{at_least}" / "people with one of the titles {academician}, {titles} ≥{at_least}",
        says "{name}列出 {listed} 人，其中{academician} {ac} 位，{academician}及{titles}等职称共 {titled} 位" /
             "The {name} lists {listed} {listed|person|people} ({academician}: {ac}); {titled} hold one of the titles {titles}";
    TOO_FEW_LISTED: Fail, "people.too_few_listed",
        when "名单上的人 <{at_least}（无论职称）" / "fewer than {at_least} people listed (whatever their titles)",
        says "{name}只列出 {listed} 人（其中{academician} {ac} 位），要求{threshold}：人数不足" /
             "The {name} lists only {listed} {listed|person|people} ({academician}: {ac}), required {threshold}: too few people";
    TITLES: Review, "people.titles",
        when "名单上的人 ≥{at_least}，但带所列职称的 <{at_least}" / "at least {at_least} people listed, but fewer than {at_least} with the titles",
        says "{name}列出 {listed} 人，其中{academician}或{titles}等职称 {titled} 位，要求{threshold}；其余是否为“知名专家”需人工判断：{others}" /
             "The {name} lists {listed} {listed|person|people}, {titled} of them with one of the titles {academician}, {titles}, required {threshold}; whether the others are renowned experts is for a person to judge: {others}";
    NO_TEXT: Review, "people.no_text",
        when "名单是图片或扫描件" / "the list is a picture or a scan",
        says "{name}是图片或扫描件，无法读出人数和职称，需人工核对：{files}" /
             "The {name} is a picture or a scan, so the people and titles cannot be read; please check by hand: {files}";
    UNSUPPORTED: Review, "people.unsupported",
        when "格式暂不支持或以链接提交" / "a format this tool does not read, or a link",
        says "{name}无法由本工具读取，需人工核对人数和职称：{files}{links}" /
             "This tool cannot read the {name}; please check the people and titles by hand: {files}{links}";
    UNREADABLE: Fail, "people.unreadable",
        when "只有无法读取的文件" / "only unreadable files",
        says "{name}无法读取，无法核对专家人数：{files}；{todo}" / "The {name} cannot be read, so the experts cannot be counted: {files}; {todo}";
    MISSING: Fail, "people.missing",
        when "未提交" / "nothing submitted",
        says "{missing}" / "{missing}";
}

crate::messages! {
    ABOUT = "people.about":
        "专家：名单中带{academician}或{titles}等职称的人数不少于 {at_least}（表格按姓名列和职称列读取）" /
        "experts: at least {at_least} people on the list with one of the titles {academician}, {titles} (tables read by name and title columns)";
    NOT_SUBMITTED = "people.not_submitted": "未提交" / "not submitted";
    TABLE_EVIDENCE = "people.table_evidence":
        "表格中 {listed} 位专家，其中{academician} {ac} 位、其他所列职称 {senior} 位" /
        "{listed} {listed|expert|experts} in tables; {academician}: {ac}; with another of the titles: {senior}";
    NAMES = "people.names": "（{academician}：{names}{more}）" / " ({academician}: {names}{more})";
    AND_MORE = "people.and_more": " 等" / " and others";
    TEXT_EVIDENCE = "people.text_evidence":
        "约 {listed} 人，其中带职称 {titled} 人（{academician} {ac} 人）" /
        "about {listed} {listed|person|people}, {titled} with a title ({academician}: {ac})";
    MEASURED_TABLE = "people.measured_table":
        "{listed} 位专家，其中{academician} {ac} 位" / "{listed} {listed|expert|experts} ({academician}: {ac})";
    MEASURED_TEXT = "people.measured_text":
        "{titled} 位带职称的专家（其中{academician} {ac} 位）" / "{titled} {titled|expert|experts} with a title ({academician}: {ac})";
    NO_TEXT_EVIDENCE = "people.no_text_evidence":
        "图片或扫描件，无可读文字" / "a picture or scan without readable text";
}

/// What one list file says.
struct Reading {
    listed: u64,
    titled: u64,
    academicians: u64,
    table: bool,
}

impl TitledPeople {
    /// The title words as the expert-list reader takes them.
    pub fn titles(&self) -> Titles {
        Titles {
            academician: self.academician.clone(),
            senior: self.titles.clone(),
            junior_prefixes: self.junior_prefixes.clone(),
        }
    }

    /// The first few titles, for sentences ("知名专家/教授/研究员"); in English the rule file's
    /// `titles_en`, else the Chinese words quoted.
    fn some_titles(&self, lang: Lang) -> String {
        let zh = self.titles.iter().take(3).cloned().collect::<Vec<_>>();
        match (lang, &self.titles_en) {
            (Lang::En, Some(en)) => en.clone(),
            (Lang::En, None) => super::quoted(&zh, lang),
            (Lang::Zh, _) => zh.join("/"),
        }
    }

    /// The academician title in `lang`.
    fn academician(&self, lang: Lang) -> String {
        match (lang, &self.academician_en) {
            (Lang::En, Some(en)) => en.clone(),
            (Lang::En, None) => format!("“{}”", self.academician),
            (Lang::Zh, _) => self.academician.clone(),
        }
    }

    fn read(&self, ctx: &Context, f: &FileRecord, r: &mut RequirementResult) -> Option<Reading> {
        let lang = ctx.lang;
        let facts = f.facts.as_ref()?;
        if let Some(list) = summarize(&facts.tables, &self.titles()) {
            let mut detail = crate::msg!(
                lang,
                TABLE_EVIDENCE,
                listed = list.experts,
                academician = self.academician(lang),
                ac = list.academicians,
                senior = list.senior
            );
            if !list.academician_names.is_empty() {
                let shown: Vec<&str> = list
                    .academician_names
                    .iter()
                    .take(10)
                    .map(String::as_str)
                    .collect();
                let more = if list.academician_names.len() > shown.len() {
                    crate::msg!(lang, AND_MORE)
                } else {
                    String::new()
                };
                detail.push_str(&crate::msg!(
                    lang,
                    NAMES,
                    academician = self.academician(lang),
                    names = shown.join(sep(lang)),
                    more = more
                ));
            }
            r.evidence.push(ev(&f.path, detail));
            return Some(Reading {
                listed: list.experts,
                titled: list.titled(),
                academicians: list.academicians,
                table: true,
            });
        }
        if facts.counts.chars_no_space < 20 || !facts.scanned_pages.is_empty() {
            return None;
        }
        // Lines of text: a line with a title is one titled person; every entry of every line
        // (split at list separators) may be a person, headers and labels left out.
        let junior = &self.junior_prefixes;
        let (mut listed, mut titled, mut ac) = (0u64, 0u64, 0u64);
        for line in facts
            .all_text()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            if is_header_line(line) || ctx.rules.labels.iter().any(|l| line.contains(l.as_str())) {
                continue;
            }
            let entries = line
                .split(['、', '，', ',', '；', ';'])
                .filter(|e| e.trim().chars().count() >= 2)
                .count()
                .max(1) as u64;
            listed += entries;
            let academician =
                !self.academician.is_empty() && has_title(line, &self.academician, junior);
            if academician || self.titles.iter().any(|t| has_title(line, t, junior)) {
                titled += 1;
                if academician {
                    ac += 1;
                }
            }
        }
        r.evidence.push(ev(
            &f.path,
            crate::msg!(
                lang,
                TEXT_EVIDENCE,
                listed = listed,
                titled = titled,
                academician = self.academician(lang),
                ac = ac
            ),
        ));
        Some(Reading {
            listed,
            titled,
            academicians: ac,
            table: false,
        })
    }
}

impl MeasureKind for TitledPeople {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(
            ex.lang,
            ABOUT,
            academician = self.academician(ex.lang),
            titles = self.some_titles(ex.lang),
            at_least = self.at_least
        )
    }

    fn check(&mut self, cx: &mut dyn Check) {
        check_role(cx, "role", None, &self.role);
        if self.titles.is_empty() && self.academician.is_empty() {
            cx.error("titles", None, "titles 为空".into());
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.role]
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        r.threshold = json!(self.at_least);
        let fs = RoleFiles::of(ctx, &self.role);
        let mut readings = Vec::new();
        let mut pictures: Vec<&FileRecord> = Vec::new();
        for f in &fs.read {
            match self.read(ctx, f, &mut r) {
                Some(x) => readings.push(x),
                None => {
                    pictures.push(f);
                    r.evidence
                        .push(ev(&f.path, crate::msg!(lang, NO_TEXT_EVIDENCE)));
                }
            }
        }
        for f in fs.unreadable.iter().chain(&fs.unsupported) {
            r.evidence.push(ev(&f.path, why(lang, f)));
        }
        for (f, l) in &fs.links {
            r.evidence.push(ev(&f.path, l.clone()));
        }
        let listed: u64 = readings.iter().map(|x| x.listed).sum();
        let titled: u64 = readings.iter().map(|x| x.titled).sum();
        let ac: u64 = readings.iter().map(|x| x.academicians).sum();
        let table = readings.iter().any(|x| x.table);
        r.measured = json!(titled);
        r.measured_text = if fs.is_empty() {
            crate::msg!(lang, NOT_SUBMITTED)
        } else if table {
            crate::msg!(
                lang,
                MEASURED_TABLE,
                listed = listed,
                academician = self.academician(lang),
                ac = ac
            )
        } else {
            crate::msg!(
                lang,
                MEASURED_TEXT,
                titled = titled,
                academician = self.academician(lang),
                ac = ac
            )
        };
        let others_unknown =
            !pictures.is_empty() || !fs.unsupported.is_empty() || !fs.links.is_empty();
        let row = if fs.is_empty() {
            &MISSING
        } else if titled >= self.at_least {
            &PASS
        } else if others_unknown && !pictures.is_empty() {
            &NO_TEXT
        } else if others_unknown {
            &UNSUPPORTED
        } else if readings.is_empty() {
            &UNREADABLE
        } else if listed < self.at_least {
            &TOO_FEW_LISTED
        } else {
            &TITLES
        };
        let files = if *row == NO_TEXT {
            paths(lang, &pictures)
        } else if *row == UNSUPPORTED {
            list_unreadable(lang, &fs.unsupported)
        } else {
            list_unreadable(lang, &fs.unreadable)
        };
        let args = crate::args!(
            name = ctx.role_name(&self.role),
            listed = listed,
            titled = titled,
            ac = ac,
            academician = self.academician(lang),
            titles = self.some_titles(lang),
            threshold = req.threshold_in(lang),
            others = paths(lang, &fs.read),
            files = files,
            links = list_links(lang, &fs.links),
            missing = super::files::missing(ctx, &self.role),
            todo = crate::msg!(lang, super::files::REPLACE),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let args = crate::args!(
            titles = self.some_titles(ex.lang),
            academician = self.academician(ex.lang),
            at_least = self.at_least,
        );
        explain(&TABLE.iter().collect::<Vec<_>>(), ex.lang, &args)
    }
}

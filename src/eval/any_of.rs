//! `any_of`: the guide's "或" — the requirement passes when any one alternative passes (DJQC
//! 典型案例: "1份不少于2000字的典型图文材料或不少于3分钟的宣传视频").
//!
//! Each alternative is evaluated as a requirement of its own, inside an "或" (policy rule 4):
//! copies that cannot be ordered all count, so one qualifying file is enough whatever other
//! copies measure. None passing but one needing a person's look: `review`; else `fail`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::table::{Line, decide, explain};
use super::{Check, Context, Explain, MeasureKind, Requirement, evaluate_one, semi, start};
use crate::model::{RequirementResult, Verdict};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnyOf {
    /// The alternatives' tables: accepted here, read by the loader into `alternatives`
    /// (through `Check::alternatives`, which keeps their lines).
    #[allow(dead_code)]
    #[serde(rename = "any_of", default, skip_serializing)]
    raw: Option<serde::de::IgnoredAny>,
    #[serde(skip_deserializing)]
    pub alternatives: Vec<Requirement>,
}

crate::decision_table! {
    PASS: Pass, "any_of.pass",
        when "任一备选通过" / "any one alternative passes",
        says "满足其一：{parts}" / "One alternative is met: {parts}";
    REVIEW: Review, "any_of.review",
        when "无一通过，但有备选需人工复核" / "none passes, but one needs a person's look",
        says "均未满足，其中有需人工复核的：{parts}" / "No alternative is met, and one needs review: {parts}";
    FAIL: Fail, "any_of.fail",
        when "所有备选均不通过" / "every alternative fails",
        says "均未满足：{parts}" / "No alternative is met: {parts}";
}

crate::messages! {
    ABOUT = "any_of.about": "任一满足：所列备选要求中任一通过即通过" / "any one: passes when any one of the alternatives passes";
    PART = "any_of.part": "{message}（{verdict}）" / "{message} ({verdict})";
    MEASURED = "any_of.measured": "{title}：{measured}" / "{title}: {measured}";
}

impl MeasureKind for AnyOf {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(ex.lang, ABOUT)
    }

    fn check(&mut self, cx: &mut dyn Check) {
        self.alternatives = cx.alternatives("any_of");
        if self.alternatives.len() < 2 {
            cx.error("any_of", None, "any_of 至少要有两个备选".into());
        }
    }

    fn roles(&self) -> Vec<&str> {
        Vec::new()
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        let mut inner = ctx.clone();
        inner.any = true;
        let results: Vec<RequirementResult> = self
            .alternatives
            .iter()
            .map(|a| evaluate_one(&inner, a))
            .collect();
        r.measured = Value::Array(results.iter().map(|x| x.measured.clone()).collect());
        r.threshold = Value::Array(results.iter().map(|x| x.threshold.clone()).collect());
        r.measured_text = results
            .iter()
            .map(|x| {
                crate::msg!(
                    lang,
                    MEASURED,
                    title = &x.title,
                    measured = &x.measured_text
                )
            })
            .collect::<Vec<_>>()
            .join(semi(lang));
        let verdict_of = |v| results.iter().any(|x| x.verdict == v);
        let row = if verdict_of(Verdict::Pass) {
            &PASS
        } else if verdict_of(Verdict::Review) {
            &REVIEW
        } else {
            &FAIL
        };
        // A pass names the alternative that passed first.
        let mut ordered: Vec<&RequirementResult> = results.iter().collect();
        if *row == PASS {
            ordered.sort_by_key(|x| x.verdict != Verdict::Pass);
        }
        let parts: Vec<String> = ordered
            .iter()
            .map(|x| {
                crate::msg!(
                    lang,
                    PART,
                    message = &x.message,
                    verdict = lang.verdict(x.verdict)
                )
            })
            .collect();
        decide(
            &mut r,
            lang,
            row,
            &crate::args!(parts = parts.join(semi(lang))),
        );
        for x in results {
            r.evidence.extend(x.evidence);
        }
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        explain(&TABLE.iter().collect::<Vec<_>>(), ex.lang, &[])
    }
}

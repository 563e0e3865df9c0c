//! The rule files: the built-in ones load and carry the ids other tools rely on; broken ones are
//! reported with file, line and what is wrong, every problem at once.

use std::collections::BTreeSet;

use yanshou::rules::builtin::load_builtin;
use yanshou::rules::load::parse;
use yanshou::rules::{Measure, RuleSet};

fn sets() -> Vec<RuleSet> {
    load_builtin().expect("built-in rule files must load")
}

fn ids(set: &RuleSet) -> BTreeSet<String> {
    set.requirements.iter().map(|r| r.id.clone()).collect()
}

#[test]
fn builtin_rule_sets_carry_the_contract_ids() {
    let sets = sets();
    let want: &[(&str, &[&str])] = &[
        (
            "XXJL-2025",
            &[
                "meeting-docs",
                "proposal-report",
                "summary-report",
                "keynote-decks",
                "expert-list",
                "onsite-photos",
                "keynote-recordings",
                "news",
                "proceedings-or-transfer-list",
                "label",
                "performance-report",
                "audit-report",
            ],
        ),
        (
            "QKPY-2025",
            &[
                "proposal-report",
                "research-report",
                "website-news",
                "label",
                "project-report-book",
                "decision-advice",
                "project-results",
                "project-evidence",
                "performance-report",
                "audit-report",
            ],
        ),
        (
            "DJQC-2025",
            &[
                "overall-report",
                "typical-case",
                "implementation-plan",
                "news",
                "label",
                "party-label",
                "direct-contacts",
                "indirect-contacts",
                "party-member-coverage",
                "innovation-results",
                "standardization-rate",
                "member-coverage",
                "performance-report",
                "audit-report",
            ],
        ),
    ];
    for (id, reqs) in want {
        let set = sets.iter().find(|s| s.id == *id).expect(id);
        let have = ids(set);
        for r in *reqs {
            assert!(have.contains(*r), "{id} lacks requirement {r}");
        }
        assert_eq!(
            have.len(),
            set.requirements.len(),
            "{id}: requirement ids must be unique"
        );
        assert!(!set.labels.is_empty());
    }
}

#[test]
fn thresholds_match_the_guide() {
    let sets = sets();
    let words = |set: &str, req: &str| -> (u64, Option<f64>) {
        let s = sets.iter().find(|s| s.id == set).unwrap();
        match &s.requirements.iter().find(|r| r.id == req).unwrap().measure {
            Measure::Words(w) => (w.at_least, w.tolerance),
            other => panic!("{set}/{req} is not a words measure: {other:?}"),
        }
    };
    assert_eq!(words("XXJL-2025", "proposal-report"), (2000, Some(0.9)));
    assert_eq!(words("XXJL-2025", "summary-report"), (4000, Some(0.9)));
    assert_eq!(words("QKPY-2025", "proposal-report"), (3000, Some(0.9)));
    assert_eq!(words("QKPY-2025", "research-report"), (10000, None));
    assert_eq!(words("DJQC-2025", "overall-report"), (5000, None));
    let djqc = sets.iter().find(|s| s.id == "DJQC-2025").unwrap();
    assert!(
        djqc.labels
            .contains(&"自治区科技社团党委党建强会".to_string())
    );
}

const GOOD_HEAD: &str = r#"[ruleset]
id = "TEST-2025"
title = "t"
guide = "g"
code_prefix = "TEST-2025"
labels = ["标识"]

[[roles]]
id = "report"
name = "报告"
kinds = ["document"]
keywords = ["报告"]
"#;

#[test]
fn broken_rule_files_are_reported_with_lines() {
    // (requirement text appended after GOOD_HEAD, expected line, expected message fragment)
    let table: &[(&str, usize, &str)] = &[
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"words\"\nrole = \"nope\"\nat_least = 10\n",
            18,
            "未定义的角色 “nope”",
        ),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"wordz\"\nrole = \"report\"\n",
            17,
            "未知的 measure “wordz”",
        ),
        (
            // The key the measure does not use is reported on its own line.
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"present\"\nrole = \"report\"\nbasis = \"words\"\n",
            19,
            "不使用键 “basis”",
        ),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"words\"\nrole = \"report\"\n",
            17,
            "缺少 at_least",
        ),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"figure\"\nroles = [\"report\"]\npatterns = ['(unclosed']\nat_least = 1\n",
            19,
            "不是有效的正则表达式",
        ),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"words\"\nrole = \"report\"\nat_least = 10\ncolour = \"red\"\n",
            20,
            "unknown field `colour`",
        ),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"words\"\nrole = \"report\"\nat_least = 10\ntolerance = 3.0\n",
            20,
            "tolerance",
        ),
        // A parameter of the wrong type, on its own line.
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"duration\"\nrole = \"report\"\nat_least = 10\neach = \"yes\"\n",
            20,
            "invalid type",
        ),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"news\"\nrole = \"report\"\nat_least = 1\nchannel_patterns = ['(x']\n",
            20,
            "不是有效的正则表达式",
        ),
        // The second pattern of a list, on its line; named groups part/whole are a number.
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"figure\"\nroles = [\"report\"]\npatterns = [\n  '(?P<part>[0-9]+)/(?P<whole>[0-9]+)',\n  'no group',\n]\nat_least = 1\n",
            21,
            "捕获组",
        ),
        (
            "\n[[roles]]\nid = \"b\"\nname = \"b\"\nkinds = [\"document\"]\nkeywords = [\"b\"]\nserved_by = [\"nope\"]\n",
            19,
            "未定义的角色 “nope”",
        ),
        (
            "\n[versions]\nfinals = [\"定稿\"]\nnumbered = ['v(']\n",
            16,
            "numbered 不是有效的正则表达式",
        ),
        ("\n[colours]\nred = 1\n", 14, "unknown field `colours`"),
        (
            "\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"any_of\"\n\n[[requirements.any_of]]\nid = \"b\"\nmeasure = \"any_of\"\n",
            21,
            "any_of 不能嵌套",
        ),
    ];
    for (tail, line, fragment) in table {
        let src = format!("{GOOD_HEAD}{tail}");
        let errors = parse("test.toml", &src).expect_err(tail).0;
        let hit = errors
            .iter()
            .find(|e| e.message.contains(fragment))
            .unwrap_or_else(|| panic!("no error containing {fragment:?} in {errors:?}"));
        assert_eq!(hit.line, *line, "{fragment}: {errors:?}");
        assert_eq!(hit.file, "test.toml");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let src = format!(
        "{GOOD_HEAD}\n[[requirements]]\nid = \"a\"\ntitle = \"a\"\nmeasure = \"words\"\nrole = \"x\"\nat_least = 1\n\n[[requirements]]\nid = \"b\"\ntitle = \"b\"\nmeasure = \"count\"\nrole = \"y\"\nat_least = 1\n"
    );
    let errors = parse("multi.toml", &src).unwrap_err().0;
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].line, 18);
    assert_eq!(errors[1].line, 25);
}

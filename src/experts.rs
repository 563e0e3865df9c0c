//! Expert lists (专家名单) and sign-in sheets read as tables: who is listed, and with which title.
//!
//! Why it exists: the XXJL guide requires "至少3名国内外院士或领域内知名专家", and a society
//! delivers the evidence as a table (XLSX/ODS/XLS sheet, or a table in a DOCX/ODT). Counting
//! lines that mention a title cannot tell a header from a person, or a person listed twice from
//! two people; reading the table by column can: "7 位专家，其中院士 3 位".
//!
//! How: in each table, a header row is a row with a name cell (`姓名`, `专家姓名`, `名字` …);
//! the title columns are those headed `职称`/`职务`/`头衔`/`称号`/`职级`. Every later non-empty
//! row with a plausible name is an expert (until another header row). A person's title text is
//! their title columns plus the name cell (`张三（院士）`); without a title column, the whole
//! row except columns such as `单位`, `序号`, `电话`. Names are de-duplicated across tables.
//!
//! Trade-offs:
//! - 院士 is any title containing `院士` (中国科学院院士, 中国工程院院士, 外籍院士, foreign
//!   academies). "Senior" is a title containing one of the rule's keywords (教授, 研究员,
//!   主任医师, 正高级 …) not preceded by a junior prefix (`副`, `助理`, `实习`: 副教授, 助理研究员
//!   are not 正高级). The words are the rule file's ([`Titles`]); whether a professor is 知名 is
//!   a person's call, which the requirement's decision table says.
//! - A table without a recognisable header row is not read as a list (`None`), and the caller
//!   falls back to counting lines of text.

use std::collections::HashMap;

use crate::extract::table::Sheet;

/// The title words of a rule (`titled_people` in the rule file): the academician title, the
/// senior titles, and the prefixes that make a title junior (副教授 is not 教授).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Titles {
    pub academician: String,
    pub senior: Vec<String>,
    pub junior_prefixes: Vec<String>,
}

/// What an expert list says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertSummary {
    /// Distinct people listed (non-empty, plausible names under a header).
    pub experts: u64,
    /// Of them, titled 院士.
    pub academicians: u64,
    /// Of them, not 院士 but with a senior title (教授, 研究员 …).
    pub senior: u64,
    /// Data rows looked at under a header row (with or without a name).
    pub rows: u64,
    /// Names of the 院士, in list order.
    pub academician_names: Vec<String>,
}

impl ExpertSummary {
    /// 院士 plus other senior titles: what "院士或知名专家" is measured by.
    pub fn titled(&self) -> u64 {
        self.academicians + self.senior
    }
}

/// Removes all whitespace (Chinese forms write `姓  名`) and lower-cases ASCII.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_name_header(cell: &str) -> bool {
    let c = norm(cell);
    c.contains("姓名")
        || matches!(
            c.as_str(),
            "名字" | "专家" | "专家名单" | "name" | "fullname" | "expert" | "姓名/name"
        )
}

fn is_title_header(cell: &str) -> bool {
    let c = norm(cell);
    ["职称", "职务", "头衔", "称号", "职级", "title"]
        .iter()
        .any(|k| c.contains(k))
}

/// Columns whose text says nothing about a person's title (and may mislead: `院士工作站`).
fn is_other_header(cell: &str) -> bool {
    let c = norm(cell);
    [
        "单位", "机构", "院校", "学校", "部门", "地址", "电话", "手机", "邮箱", "序号", "编号",
        "题目", "报告", "签名", "签到", "时间", "日期", "备注",
    ]
    .iter()
    .any(|k| c.contains(k))
}

/// Whether a line of text is a list's header row ("姓名 单位 职称").
pub fn is_header_line(line: &str) -> bool {
    line.split_whitespace().any(is_name_header)
        || (line.contains("姓名") && line.split_whitespace().any(is_title_header))
}

/// A name cell that is really a total, a note or a number.
fn plausible_name(cell: &str) -> bool {
    let c = norm(cell);
    if c.is_empty() || c.chars().count() > 40 {
        return false;
    }
    if !c.chars().any(char::is_alphabetic) {
        return false;
    }
    !["合计", "共计", "小计", "总计", "备注", "说明", "注："]
        .iter()
        .any(|k| c.starts_with(k))
        && !is_name_header(cell)
}

/// Whether `text` contains `keyword` at a place not preceded by a junior prefix.
pub fn has_title(text: &str, keyword: &str, junior: &[String]) -> bool {
    if keyword.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|t| t.find(keyword)) {
        let pos = from + at;
        let before = text.get(..pos).unwrap_or("");
        if !junior
            .iter()
            .any(|p| !p.is_empty() && before.ends_with(p.as_str()))
        {
            return true;
        }
        from = pos + keyword.len();
    }
    false
}

/// Columns of one header row.
struct Columns {
    name: usize,
    titles: Vec<usize>,
    others: Vec<usize>,
}

fn header_of(row: &[String]) -> Option<Columns> {
    let name = row.iter().position(|c| is_name_header(c))?;
    let titles: Vec<usize> = row
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != name && is_title_header(c))
        .map(|(i, _)| i)
        .collect();
    let others = row
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != name && !titles.contains(i) && is_other_header(c))
        .map(|(i, _)| i)
        .collect();
    Some(Columns {
        name,
        titles,
        others,
    })
}

/// Reads the tables as an expert list with the rule's `titles`; `None` when no table has a
/// header row with a name column.
pub fn summarize(sheets: &[Sheet], titles: &Titles) -> Option<ExpertSummary> {
    let senior_keys: Vec<&str> = titles
        .senior
        .iter()
        .map(String::as_str)
        .filter(|t| !t.is_empty() && *t != titles.academician)
        .collect();
    let junior = &titles.junior_prefixes;
    let mut found_header = false;
    let mut summary = ExpertSummary::default();
    // Distinct names in order → (academician, senior).
    let mut people: Vec<(String, String, bool, bool)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for sheet in sheets {
        let mut columns: Option<Columns> = None;
        for row in &sheet.rows {
            if let Some(h) = header_of(row) {
                columns = Some(h);
                found_header = true;
                continue;
            }
            let Some(cols) = &columns else {
                continue;
            };
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            summary.rows += 1;
            let name = row.get(cols.name).map(|s| s.trim()).unwrap_or("");
            if !plausible_name(name) {
                continue;
            }
            let title_text: String = if cols.titles.is_empty() {
                row.iter()
                    .enumerate()
                    .filter(|(i, _)| !cols.others.contains(i))
                    .map(|(_, c)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                std::iter::once(name)
                    .chain(
                        cols.titles
                            .iter()
                            .filter_map(|&i| row.get(i).map(String::as_str)),
                    )
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let academician = !titles.academician.is_empty()
                && has_title(&title_text, &titles.academician, junior);
            let senior = !academician
                && senior_keys
                    .iter()
                    .any(|k| has_title(&title_text, k, junior));
            let key = norm(name);
            match index.get(&key) {
                Some(&i) => {
                    if let Some(p) = people.get_mut(i) {
                        p.2 |= academician;
                        p.3 |= senior;
                    }
                }
                None => {
                    index.insert(key.clone(), people.len());
                    people.push((key, name.to_string(), academician, senior));
                }
            }
        }
    }
    if !found_header {
        return None;
    }
    for (_, name, academician, senior) in &people {
        summary.experts += 1;
        if *academician {
            summary.academicians += 1;
            summary.academician_names.push(name.clone());
        } else if *senior {
            summary.senior += 1;
        }
    }
    Some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "s".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    fn titles() -> Titles {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Titles {
            academician: "院士".into(),
            senior: v(&["知名专家", "教授", "研究员", "主任医师", "正高级"]),
            junior_prefixes: v(&["副", "助理", "实习"]),
        }
    }

    /// (experts, academicians, senior, rows).
    type Counts = (u64, u64, u64, u64);

    /// (case, tables, counts) — None when not a list.
    #[test]
    fn summaries() {
        let cases: Vec<(&str, Vec<Sheet>, Option<Counts>)> = vec![
            (
                "title row above the header, 序号 column",
                vec![sheet(&[
                    &["2025年学术年会专家名单"],
                    &["序号", "姓  名", "工作单位", "职称"],
                    &["1", "张建华", "中国农业大学", "中国工程院院士"],
                    &["2", "李明远", "中国农业科学院", "中国科学院院士"],
                    &["3", "赵文静", "新疆农业大学", "教授"],
                    &["4", "陈国栋", "新疆农业科学院", "副研究员"],
                    &["5", "刘海燕", "石河子大学", "助理研究员"],
                    &["6", "马建军", "某医院", "主任医师"],
                    &["", "", "", ""],
                    &["合计", "", "", ""],
                ])],
                Some((6, 2, 2, 7)),
            ),
            (
                "no title column: the row minus the unit column",
                vec![sheet(&[
                    &["姓名", "单位", "简介"],
                    &["王立新", "院士专家工作站", "研究员"],
                    &["孙伟民", "计算所", "中国工程院院士"],
                ])],
                Some((2, 1, 1, 2)),
            ),
            (
                "title in the name cell; duplicates across sheets",
                vec![
                    sheet(&[
                        &["专家姓名", "职务"],
                        &["张三（院士）", "院长"],
                        &["李四", "主任"],
                    ]),
                    sheet(&[
                        &["姓名", "职称"],
                        &["张三（院士）", ""],
                        &["王五", "正高级工程师"],
                    ]),
                ],
                Some((3, 1, 1, 4)),
            ),
            (
                "repeated header rows inside one table",
                vec![sheet(&[
                    &["姓名", "职称"],
                    &["甲", "教授"],
                    &[],
                    &["职称", "姓名"],
                    &["院士", "乙"],
                ])],
                Some((2, 1, 1, 2)),
            ),
            (
                "no header: not a list",
                vec![sheet(&[&["张三", "教授"], &["李四", "院士"]])],
                None,
            ),
            ("no tables", vec![], None),
        ];
        for (name, sheets, want) in cases {
            let got = summarize(&sheets, &titles())
                .map(|s| (s.experts, s.academicians, s.senior, s.rows));
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn junior_prefixes() {
        let cases = [
            ("教授", "教授", true),
            ("副教授", "教授", false),
            ("副教授、教授级高工", "教授", true),
            ("助理研究员", "研究员", false),
            ("研究员级高级工程师", "研究员", true),
            ("副主任医师", "主任医师", false),
            ("中国科学院", "院士", false),
        ];
        for (text, key, want) in cases {
            assert_eq!(
                has_title(text, key, &titles().junior_prefixes),
                want,
                "{text} / {key}"
            );
        }
    }

    #[test]
    fn academician_names_in_order() {
        let s = summarize(
            &[sheet(&[
                &["姓名", "职称"],
                &["乙", "中国工程院院士"],
                &["甲", "外籍院士"],
            ])],
            &titles(),
        )
        .expect("list");
        assert_eq!(s.academician_names, vec!["乙", "甲"]);
        assert_eq!(s.titled(), 2);
    }
}

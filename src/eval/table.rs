//! Decision tables: every measure decides by picking one row of its table, and this helper
//! turns the row into the requirement's verdict and message.
//!
//! A row is a verdict and two messages: `when` (the condition, rendered with the rule's values
//! for `yanshou rules ID REQ`: "≥3,600 字（4千字左右 × 0.9）") and `says` (what the dossier
//! says when the row decides, rendered with the case's values: "总结报告 3,412 字 … 还差 188
//! 字"). The row's id (`says.id`, e.g. `words.short`) is kept in the result (`decision`), so a
//! test can assert which row decided and a reader of the JSON can group results by reason.
//! Because the table is data next to the code that picks its rows, the explanation a reviewer
//! reads and the decision the evaluator makes cannot drift apart.

use crate::lang::Lang;
use crate::model::{RequirementResult, Verdict};
use crate::msg::{Args, Message};

/// One row of a decision table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub verdict: Verdict,
    /// The condition, with the rule's values.
    pub when: Message,
    /// The message the dossier gives, with the case's values.
    pub says: Message,
}

impl Row {
    /// The row's stable id (`words.short`).
    pub(crate) fn id(&self) -> &'static str {
        self.says.id
    }
}

/// Sets the verdict, message and deciding row of `r` from `row`.
pub(crate) fn decide(r: &mut RequirementResult, lang: Lang, row: &Row, args: &Args) {
    r.verdict = row.verdict;
    r.message = row.says.render(lang, args);
    r.decision = row.id().to_string();
}

/// One line of an explained table: the condition with real values and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub id: &'static str,
    pub when: String,
    pub verdict: Verdict,
}

/// Renders the `when` of each row with the rule's values.
pub(crate) fn explain(rows: &[&Row], lang: Lang, args: &Args) -> Vec<Line> {
    rows.iter()
        .map(|row| Line {
            id: row.id(),
            when: row.when.render(lang, args),
            verdict: row.verdict,
        })
        .collect()
}

/// Declares the rows of a measure's decision table and the module's `TABLE`:
///
/// ```text
/// decision_table! {
///     PASS: Pass, "words.pass",
///         when "≥{bound}" / "≥{bound}",
///         says "{name} {n} {unit}，达到要求" / "{name|cap}: {n} {unit}, as required";
/// }
/// ```
#[macro_export]
macro_rules! decision_table {
    ($( $(#[$doc:meta])* $name:ident : $verdict:ident, $id:literal,
        when $wzh:literal / $wen:literal,
        says $szh:literal / $sen:literal ; )*) => {
        $( $(#[$doc])* pub(crate) const $name: $crate::eval::table::Row = $crate::eval::table::Row {
            verdict: $crate::model::Verdict::$verdict,
            when: $crate::msg::Message { id: concat!($id, ".when"), zh: $wzh, en: $wen },
            says: $crate::msg::Message { id: $id, zh: $szh, en: $sen },
        }; )*
        /// The measure's decision table, in the order it is explained.
        pub(crate) const TABLE: &[$crate::eval::table::Row] = &[$($name),*];
    };
}

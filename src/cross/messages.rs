//! The words of the cross-submission findings: one stable code per kind (with its Chinese
//! name, English sentence in `report::lang::problems`) and the messages, in Chinese and English,
//! with the numbers as arguments (see [`crate::msg`]).

/// Every finding code with its Chinese name (the summary column and the index say
/// "文字雷同 2；照片重复 1").
pub(crate) const CODES: &[(&str, &str)] = &[
    ("cross.text_reuse", "文字雷同"),
    ("cross.photo_reuse", "照片重复"),
    ("cross.recording_reuse", "录像重复"),
    ("cross.photo_date", "照片拍摄日期不符"),
    ("cross.document_date", "文档创建日期不符"),
    ("cross.news_date", "新闻日期不符"),
    ("cross.recording_date", "录像早于会议"),
    ("cross.code_mismatch", "项目编号不一致"),
    ("cross.society_mismatch", "学会名称不一致"),
    ("cross.meeting_date_mismatch", "会议日期不一致"),
];

/// The English name of a code, for the summary column under `--lang en`.
pub(crate) fn name_en(code: &str) -> &'static str {
    match code {
        "cross.text_reuse" => "shared text",
        "cross.photo_reuse" => "same photo",
        "cross.recording_reuse" => "same recording",
        "cross.photo_date" => "photo date",
        "cross.document_date" => "document date",
        "cross.news_date" => "news date",
        "cross.recording_date" => "recording before the meeting",
        "cross.code_mismatch" => "project code differs",
        "cross.society_mismatch" => "society differs",
        "cross.meeting_date_mismatch" => "meeting dates differ",
        _ => "finding",
    }
}

crate::messages! {
    TEXT_REUSE = "cross.text_reuse":
        "{file} 中有 {chars} 字与{other}的 {other_file} 相同（占本文件 {share}%，占对方文件 {other_share}%）。请核实是否抄用了其他学会的材料"
        / "{chars} characters of {file} are the same as in {other_file} of {other} ({share}% of this file, {other_share}% of the other). Please check whether another society's material was copied.";
    PHOTO_REUSE = "cross.photo_reuse":
        "{file} 与{other}的 {other_file} 是同一张照片（缩放、压缩、裁剪或重新加注后仍相同：感知哈希相差 {distance} 位，判定阈值 {max} 位）。请核实照片是否为本项目活动现场所摄"
        / "{file} is the same photo as {other_file} of {other} (resized, recompressed, cropped or relabelled: the perceptual hashes differ in {distance} bits, the threshold is {max}). Please check that the photo was taken at this project's event.";
    PHOTO_REUSE_WITHIN = "cross.photo_reuse.within":
        "{file} 与本项目的 {other_file} 是同一张照片（感知哈希相差 {distance} 位，判定阈值 {max} 位），作为两张照片提交"
        / "{file} and {other_file} of this submission are the same photo (the perceptual hashes differ in {distance} bits, the threshold is {max}), handed in as two.";
    RECORDING_REUSE = "cross.recording_reuse":
        "{file} 与{other}的 {other_file} 是同一段录像（时长均约 {duration}，抽样数据 {similarity}% 相同）。请核实录像是否为本项目的报告"
        / "{file} is the same recording as {other_file} of {other} (both about {duration} long, {similarity}% of the sampled data the same). Please check that the recording is of this project's talk.";
    RECORDING_REUSE_WITHIN = "cross.recording_reuse.within":
        "{file} 与本项目的 {other_file} 是同一段录像（时长均约 {duration}，抽样数据 {similarity}% 相同），作为两个报告的录像提交"
        / "{file} and {other_file} of this submission are the same recording (both about {duration} long, {similarity}% of the sampled data the same), handed in as two talks.";
    PHOTO_DATE = "cross.photo_date":
        "{file} 的拍摄时间为 {date}，不在{window} {first} 至 {last} 之内"
        / "{file} was taken on {date}, outside {window} {first} to {last}.";
    DOCUMENT_DATE = "cross.document_date":
        "{file} 的创建时间为 {date}，不在项目期间 {first} 至 {last} 之内"
        / "{file} was created on {date}, outside the project period {first} to {last}.";
    NEWS_DATE = "cross.news_date":
        "{file} 所载日期为 {date}，不在项目期间 {first} 至 {last} 之内"
        / "{file} is dated {date}, outside the project period {first} to {last}.";
    RECORDING_DATE = "cross.recording_date":
        "{file} 的录制（创建）时间为 {date}，早于{window}开始的 {first}"
        / "{file} was recorded (created) on {date}, before {window} began on {first}.";
    CODE_MISMATCH = "cross.code_mismatch":
        "{file} 中写的项目编号是 {found}，与提交材料名称中的 {code} 不一致"
        / "{file} names the project code {found}, not {code} as the submission's name does.";
    SOCIETY_MISMATCH = "cross.society_mismatch":
        "文件中 {n} 处写的是“{found}”（首见于 {file}），没有出现提交材料名称中的“{society}”"
        / "The documents name “{found}” {n} {n|time|times} (first in {file}) and never “{society}”, the society in the submission's name.";
    MEETING_DATE_MISMATCH = "cross.meeting_date_mismatch":
        "会议通知（{file}）写的会议日期是 {notice}，总结报告（{other_file}）写的是 {summary}"
        / "The meeting notice ({file}) dates the meeting {notice}, the summary report ({other_file}) {summary}.";
    OTHER_PROJECT = "cross.other":
        "{project}" / "{project}";
    OTHER_EARLIER = "cross.other.earlier":
        "往年提交的 {project}（{earlier}）" / "{project} of an earlier year ({earlier})";
}

/// "会议日期" / "the meeting's days", or "项目期间" / "the project period".
pub(crate) fn window_words(meeting: bool, lang: crate::lang::Lang) -> &'static str {
    use crate::lang::Lang;
    match (meeting, lang) {
        (true, Lang::Zh) => "会议日期",
        (true, Lang::En) => "the meeting's days",
        (false, Lang::Zh) => "项目期间",
        (false, Lang::En) => "the project period",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_consistent() {
        let all: Vec<&crate::msg::Message> = super::MESSAGES.iter().collect();
        assert!(!all.is_empty());
        let problems = crate::msg::check_catalog(&all);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

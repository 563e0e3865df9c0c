//! The command line in one language: `--help`, usage and argument errors in Chinese by default
//! and wholly in English with `--lang en`.
//!
//! Why by hand: clap writes its frame ("Usage:", "Options:", "[possible values: …]", "Print
//! help", "error: unexpected argument …") in English and has no translations, so a Chinese help
//! text came out half English. The argument definitions stay clap derives (one source of truth
//! for parsing); this module re-dresses the built `clap::Command`: a help template with Chinese
//! headings, value names, possible values and defaults written into each argument's own text,
//! our own `-h`/`-V` flags, the exit codes after every help, and argument errors rebuilt from
//! clap's structured error (its kind and context) in the chosen language. English descriptions
//! come from [`EN`], one line per argument; a test fails when an argument has none.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::Cli;
use crate::lang::Lang;

/// The language the command line speaks: `--lang en` (or `--lang=en`) anywhere in the
/// arguments, else Chinese. Decided before parsing, so help and errors speak it too.
pub fn lang_of_args(args: &[OsString]) -> Lang {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--lang" {
            if it.next().is_some_and(|v| v == "en") {
                return Lang::En;
            }
        } else if a == "--lang=en" {
            return Lang::En;
        }
    }
    Lang::Zh
}

/// What exit codes mean, after every help text.
fn exit_codes(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => {
            "退出码：0 没有不通过的要求；1 至少一项不通过（加 --strict 时需人工复核也算）；2 无法运行（参数有误、规则文件有误、输出目录不可写）；130 被 Ctrl+C 中断。"
        }
        Lang::En => {
            "Exit codes: 0 no requirement fails; 1 at least one fails (with --strict, also any needing review); 2 the tool could not run (bad arguments, invalid rule file, output not writable); 130 interrupted by Ctrl+C."
        }
    }
}

/// English descriptions: (subcommand or "" for the top level, argument id or "" for the
/// command itself, text). Chinese ones are the derives' doc comments.
static EN: &[(&str, &str, &str)] = &[
    (
        "",
        "",
        "yanshou: checks a funded project's closeout materials against the programme guide and writes an acceptance dossier.",
    ),
    (
        "check",
        "",
        "Check one project's closeout materials (a folder, an archive or one file) requirement by requirement.",
    ),
    (
        "check",
        "path",
        "The submission: a folder, a .zip/.7z archive (read in place, never extracted to disk) or one file.",
    ),
    (
        "check",
        "category",
        "The project category (rule set id, such as XXJL-2025); by default from the project code in the name or the documents.",
    ),
    (
        "check",
        "level",
        "The level of an academic exchange: international, national or regional (Xinjiang-wide).",
    ),
    (
        "check",
        "out",
        "Write dossier.json, dossier.md, dossier.html and dossier.docx into this folder.",
    ),
    ("check", "format", "Format of the standard output."),
    (
        "check",
        "strict",
        "Count \"needs review\" as failing (exit code 1).",
    ),
    (
        "check",
        "rules",
        "Rule files: a folder or one .toml (default: the built-in 2025 rules).",
    ),
    ("check", "no_color", "No colours in the terminal."),
    (
        "check",
        "jobs",
        "Files read at once (default: every CPU core).",
    ),
    (
        "check",
        "lang",
        "Language of the report and of this help (the guide's wording stays Chinese).",
    ),
    (
        "audit",
        "",
        "Audit a year: one dossier per project under ROOT (folders or archives named with a project code, and those beside them), and a summary.",
    ),
    ("audit", "root", "The folder holding every submission."),
    (
        "audit",
        "out",
        "Output folder: one folder per project (dossier.json/html/docx), summary.xlsx, summary.csv, index.html.",
    ),
    (
        "audit",
        "depth",
        "Take every folder or archive at depth N under ROOT as a project, whatever its name.",
    ),
    (
        "audit",
        "category",
        "Default category for submissions whose name and documents do not tell (such as XXJL-2025).",
    ),
    (
        "audit",
        "categories",
        "Category list (CSV, one \"submission name,category\" per line): the category of named submissions, before names and documents.",
    ),
    (
        "audit",
        "jobs",
        "Files read at once (default: every CPU core).",
    ),
    ("audit", "quiet", "No progress bar."),
    (
        "audit",
        "no_cache",
        "Neither use nor update the facts cache (read every file again).",
    ),
    ("audit", "cache", "Facts cache folder (default OUT/.cache)."),
    (
        "audit",
        "compare_with",
        "Compare with earlier years: the output folder of an earlier audit (holding fingerprints.jsonl); may be given several times.",
    ),
    (
        "audit",
        "lang",
        "Language of the reports and of this help (the guide's wording stays Chinese).",
    ),
    (
        "audit",
        "strict",
        "Count \"needs review\" as failing (exit code 1).",
    ),
    (
        "audit",
        "rules",
        "Rule files: a folder or one .toml (default: the built-in 2025 rules).",
    ),
    (
        "facts",
        "",
        "Show what was read from single files: format, pages/slides/duration, counts, labels, problems.",
    ),
    ("facts", "files", "The files to read."),
    ("facts", "json", "Output JSON."),
    (
        "facts",
        "text",
        "Also output the full text of every part (JSON only).",
    ),
    (
        "facts",
        "ocr",
        "OCR of scanned pages and photos: auto, on or off (as for check).",
    ),
    (
        "facts",
        "rules",
        "Rule files: a folder or one .toml, whose labels are looked for (default: the built-in 2025 rules).",
    ),
    (
        "facts",
        "lang",
        "Language of the output and of this help (zh Chinese / en English).",
    ),
    (
        "serve",
        "",
        "Start the local web page: upload an archive or a folder in the browser, read the verdict, download the dossier.",
    ),
    ("serve", "port", "Port (0 picks a free one)."),
    (
        "serve",
        "bind",
        "Address to listen on. By default only this computer; a LAN address (such as 0.0.0.0) lets other computers on the network upload too: use it only on a trusted network.",
    ),
    ("serve", "max_upload_mb", "Largest upload (MB)."),
    (
        "serve",
        "max_entries",
        "Most files in one upload (files of a folder, or entries of an archive).",
    ),
    (
        "serve",
        "rules",
        "Rule files: a folder or one .toml (default: the built-in 2025 rules).",
    ),
    ("serve", "lang", "Language of this help."),
    (
        "schema",
        "",
        "Print the JSON Schema of what yanshou writes: dossier (yanshou.dossier/1) or summary (the audit's summary.json).",
    ),
    (
        "schema",
        "which",
        "dossier (yanshou.dossier/1) or summary (the audit's summary.json).",
    ),
    ("schema", "lang", "Language of this help."),
    (
        "rules",
        "",
        "List the rule sets, or explain one (and one of its requirements, with its decision table).",
    ),
    ("rules", "id", "Rule set id, such as XXJL-2025."),
    (
        "rules",
        "requirement",
        "Requirement id, such as summary-report.",
    ),
    ("rules", "rules", "Rule files: a folder or one .toml."),
    ("rules", "lang", "Language of this help."),
    (
        "*",
        "timeout",
        "Time one file may take to read (seconds); over it, a finding and the run goes on; 0: no limit.",
    ),
    (
        "*",
        "archive_depth",
        "How many levels of archives inside archives are opened (the submission archive itself does not count).",
    ),
    (
        "*",
        "max_entry_mb",
        "Largest size of one archive entry once unpacked (MB).",
    ),
    (
        "*",
        "max_ratio",
        "Largest compression ratio (above it: a zip bomb, not read).",
    ),
    (
        "*",
        "ocr",
        "OCR of scanned pages and photos (tesseract + chi_sim): auto uses it when installed, on requires it (exit code 2 without it), off never. OCR counts are estimates and never a pass on their own.",
    ),
    (
        "*",
        "max_memory_mb",
        "Memory one file may use while it is read (MB); over it, reading stops with a finding; 0: no limit.",
    ),
    ("*", "help", "Print help."),
    ("*", "version", "Print version."),
];

/// The English description of `arg` of subcommand `sub` ("" for the top level).
fn english(sub: &str, arg: &str) -> Option<&'static str> {
    EN.iter()
        .find(|(s, a, _)| *s == sub && *a == arg)
        .or_else(|| EN.iter().find(|(s, a, _)| *s == "*" && *a == arg))
        .map(|(_, _, t)| *t)
}

/// Chinese value names for the placeholders of options (`--out <目录>`).
fn value_name_zh(arg: &str) -> Option<&'static str> {
    Some(match arg {
        "path" => "路径",
        "root" => "根目录",
        "category" => "类别",
        "categories" => "清单文件",
        "level" => "级别",
        "out" | "cache" | "compare_with" => "目录",
        "format" => "格式",
        "rules" => "规则文件",
        "lang" => "语言",
        "ocr" => "模式",
        "jobs" | "max_entries" => "个数",
        "depth" | "archive_depth" => "层数",
        "timeout" => "秒",
        "max_entry_mb" | "max_memory_mb" | "max_upload_mb" => "MB",
        "max_ratio" => "倍数",
        "files" => "文件",
        "port" => "端口",
        "bind" => "地址",
        "id" => "规则集",
        "which" => "种类",
        "requirement" => "要求",
        _ => return None,
    })
}

const TEMPLATE_ZH: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";
const TEMPLATE_EN: &str = "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}";

/// The whole command line in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut cmd = dress(cmd, "", lang)
        .disable_help_subcommand(true)
        .subcommand_value_name(match lang {
            Lang::Zh => "命令",
            Lang::En => "COMMAND",
        })
        .override_usage(match lang {
            Lang::Zh => "yanshou <命令> [选项]",
            Lang::En => "yanshou <COMMAND> [OPTIONS]",
        });
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sc| dress(sc, &name, lang));
    }
    cmd
}

/// One command in `lang`: template, about, own help/version flags, every argument's text.
fn dress(cmd: Command, sub: &str, lang: Lang) -> Command {
    let mut cmd = cmd
        .help_template(match lang {
            Lang::Zh => TEMPLATE_ZH,
            Lang::En => TEMPLATE_EN,
        })
        .after_help(exit_codes(lang))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(match lang {
                    Lang::Zh => "显示帮助。",
                    Lang::En => "Print help.",
                }),
        );
    if sub.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(match lang {
                    Lang::Zh => "显示版本。",
                    Lang::En => "Print version.",
                }),
        );
    }
    if lang == Lang::En
        && let Some(about) = english(sub, "")
    {
        cmd = cmd.about(about);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .filter(|a| a.get_id() != "help" && a.get_id() != "version")
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(&id, |a| dress_arg(a, sub, lang));
    }
    if !sub.is_empty() {
        let usage = usage_of(&cmd, sub, lang);
        cmd = cmd.override_usage(usage);
    }
    cmd
}

fn dress_arg(a: Arg, sub: &str, lang: Lang) -> Arg {
    let id = a.get_id().to_string();
    let base = match lang {
        Lang::Zh => a.get_help().map(|h| h.to_string()).unwrap_or_default(),
        Lang::En => english(sub, &id).unwrap_or("").to_string(),
    };
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let takes_value = a.get_action().takes_values();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let mut extra = Vec::new();
    if takes_value && !values.is_empty() {
        extra.push(match lang {
            Lang::Zh => format!("可选：{}", values.join("、")),
            Lang::En => format!("one of: {}", values.join(", ")),
        });
    }
    if takes_value && !defaults.is_empty() {
        extra.push(match lang {
            Lang::Zh => format!("默认：{}", defaults.join("、")),
            Lang::En => format!("default: {}", defaults.join(", ")),
        });
    }
    let help = match (extra.is_empty(), lang) {
        (true, _) => base,
        (false, Lang::Zh) => format!("{base}（{}）", extra.join("；")),
        (false, Lang::En) => format!("{} ({})", base.trim_end_matches('.'), extra.join("; ")),
    };
    let mut a = a.help(help);
    if takes_value {
        a = a.hide_possible_values(true).hide_default_value(true);
    }
    if lang == Lang::Zh
        && takes_value
        && let Some(name) = value_name_zh(&id)
    {
        a = a.value_name(name);
    }
    a
}

/// `yanshou check <路径> [选项]`.
fn usage_of(cmd: &Command, sub: &str, lang: Lang) -> String {
    let mut s = format!("yanshou {sub}");
    for a in cmd.get_positionals() {
        let name = a
            .get_value_names()
            .and_then(|n| n.first())
            .map(|n| n.to_string())
            .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
        let many = matches!(a.get_action(), ArgAction::Append)
            || a.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        if a.is_required_set() {
            s.push_str(&format!(" <{name}>{dots}"));
        } else {
            s.push_str(&format!(" [{name}]{dots}"));
        }
    }
    s.push_str(match lang {
        Lang::Zh => " [选项]",
        Lang::En => " [OPTIONS]",
    });
    s
}

/// clap's section headings ("Options:") in the help's language; the rest of the frame is set
/// on the command (template, usage, flags).
fn frame(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Zh => text
            .replace("\nArguments:\n", "\n参数：\n")
            .replace("\nOptions:\n", "\n选项：\n")
            .replace("\nCommands:\n", "\n命令：\n"),
    }
}

/// The help text of the top level (`sub` empty) or of a subcommand, in `lang`.
pub fn help_text(sub: &str, lang: Lang) -> String {
    let mut cmd = command(lang);
    let text = if sub.is_empty() {
        cmd.render_help().to_string()
    } else {
        match cmd.find_subcommand_mut(sub) {
            Some(sc) => sc.render_help().to_string(),
            None => String::new(),
        }
    };
    frame(&text, lang)
}

/// Parses the process's arguments in the language they ask for. `Err` is the exit code after
/// help, the version or an argument error was printed.
pub fn parse() -> Result<Cli, i32> {
    let args: Vec<OsString> = std::env::args_os().collect();
    parse_from(args)
}

/// [`parse`] over given arguments (tests).
pub fn parse_from(args: Vec<OsString>) -> Result<Cli, i32> {
    use clap::FromArgMatches;
    let lang = lang_of_args(&args);
    let mut cmd = command(lang);
    let matches = match cmd.try_get_matches_from_mut(args) {
        Ok(m) => m,
        Err(e) => return Err(report_error(&mut cmd, &e, lang)),
    };
    Cli::from_arg_matches(&matches).map_err(|e| report_error(&mut cmd, &e, lang))
}

/// Prints help, the version, or an argument error in `lang`; returns the exit code.
fn report_error(cmd: &mut Command, e: &clap::Error, lang: Lang) -> i32 {
    match e.kind() {
        ErrorKind::DisplayHelp => {
            super::emit(&frame(&e.render().to_string(), lang));
            0
        }
        ErrorKind::DisplayVersion => {
            let _ = e.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            eprint!("{}", frame(&cmd.render_help().to_string(), lang));
            2
        }
        _ => {
            eprintln!("{}", error_text(e, lang));
            2
        }
    }
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An argument error in `lang`, from clap's kind and context (never clap's English text).
pub fn error_text(e: &clap::Error, lang: Lang) -> String {
    let arg = context(e, ContextKind::InvalidArg)
        .or_else(|| context(e, ContextKind::InvalidSubcommand))
        .unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(e, ContextKind::ValidValue);
    let suggested = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .map(|s| s.split(", ").next().unwrap_or_default().to_string());
    let zh = lang == Lang::Zh;
    let mut text = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            if zh {
                format!("没有 “{arg}” 这个命令（可用：check、audit、facts、serve、schema、rules）")
            } else {
                format!(
                    "there is no command “{arg}” (available: check, audit, facts, serve, schema, rules)"
                )
            }
        }
        ErrorKind::UnknownArgument => {
            if zh {
                format!("不认识的参数 {arg}")
            } else {
                format!("unknown argument {arg}")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            if zh {
                format!("缺少必需的参数：{arg}")
            } else {
                format!("a required argument is missing: {arg}")
            }
        }
        ErrorKind::InvalidValue => {
            let valid = valid.map(|v| {
                if zh {
                    format!("（可选：{}）", v.replace(", ", "、"))
                } else {
                    format!(" (one of: {v})")
                }
            });
            if zh {
                if value.is_empty() {
                    format!("{arg} 需要一个值{}", valid.unwrap_or_default())
                } else {
                    format!("{arg} 的值 “{value}” 无效{}", valid.unwrap_or_default())
                }
            } else if value.is_empty() {
                format!("{arg} needs a value{}", valid.unwrap_or_default())
            } else {
                format!(
                    "invalid value “{value}” for {arg}{}",
                    valid.unwrap_or_default()
                )
            }
        }
        ErrorKind::ValueValidation => {
            if zh {
                format!("{arg} 的值 “{value}” 无效（应为数字或合法的地址）")
            } else {
                format!(
                    "invalid value “{value}” for {arg} (a number or a valid address is expected)"
                )
            }
        }
        ErrorKind::ArgumentConflict => {
            if zh {
                format!("参数 {arg} 不能与其他参数同时使用")
            } else {
                format!("{arg} cannot be used with the other arguments given")
            }
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            if zh {
                format!("参数 {arg} 给出的值个数不对")
            } else {
                format!("wrong number of values for {arg}")
            }
        }
        _ => {
            if zh {
                "参数有误".to_string()
            } else {
                "invalid arguments".to_string()
            }
        }
    };
    if let Some(s) = suggested.filter(|s| !s.is_empty()) {
        text.push_str(&if zh {
            format!("；是不是想用 {s}？")
        } else {
            format!("; did you mean {s}?")
        });
    }
    if zh {
        format!("yanshou：{text}\n用 yanshou --help 或 yanshou <命令> --help 查看用法。")
    } else {
        format!("yanshou: {text}\nSee yanshou --help or yanshou <COMMAND> --help.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_of_args(&args(&["yanshou", "check", "x"])), Lang::Zh);
        assert_eq!(
            lang_of_args(&args(&["yanshou", "check", "--lang", "en", "x"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&["yanshou", "rules", "--lang=en"])),
            Lang::En
        );
    }

    #[test]
    fn every_argument_has_english() {
        let cmd = Cli::command();
        let mut missing = Vec::new();
        for sc in cmd.get_subcommands() {
            let name = sc.get_name();
            if english(name, "").is_none() {
                missing.push(name.to_string());
            }
            for a in sc.get_arguments() {
                if english(name, a.get_id().as_str()).is_none() {
                    missing.push(format!("{name} --{}", a.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "no English for: {missing:?}");
    }

    #[test]
    fn help_has_no_english_frame_in_chinese_and_no_chinese_in_english() {
        for sub in ["", "check", "audit", "facts", "serve", "schema", "rules"] {
            let (zh, en) = (help_text(sub, Lang::Zh), help_text(sub, Lang::En));
            assert!(!zh.is_empty() && !en.is_empty(), "{sub}");
            for frame in [
                "Usage",
                "Options",
                "Arguments",
                "Commands",
                "possible values",
                "default:",
                "Print help",
            ] {
                assert!(
                    !zh.contains(frame),
                    "{sub}: “{frame}” in Chinese help:\n{zh}"
                );
            }
            assert!(zh.contains("退出码"), "{sub}");
            assert!(en.contains("Exit codes"), "{sub}");
            let han = en
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            assert_eq!(han, 0, "{sub}: Chinese in English help:\n{en}");
        }
    }
}

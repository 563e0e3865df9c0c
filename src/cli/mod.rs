//! The command line: arguments → library calls → exit code (0 no fail, 1 fail, 2 could not run).
//!
//! Kept thin on purpose: every decision lives in the library so tests can call it directly; this
//! module only parses flags (clap derive: `--help` comes from the same structs), loads the rule
//! sets before anything else, and maps outcomes to exit codes.

pub mod help;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Writes to stdout, ignoring a closed pipe (`yanshou rules | head`): the exit code still
/// reflects the verdict, and nothing panics.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

macro_rules! out {
    ($($t:tt)*) => { emit(&format!($($t)*)) };
}

macro_rules! outln {
    ($($t:tt)*) => {{ emit(&format!($($t)*)); emit("\n"); }};
}

use crate::audit::{AuditOptions, audit};
use crate::input::{Input, Limits};
use crate::lang::Lang;
use crate::ocr::OcrMode;
use crate::pipeline::{Options, all_labels, check, read_file};
use crate::report::{OutputFormat, checked_at_now, dossier_meta, render_lang, write_out_dir_with};
use crate::rules::RuleSet;
use crate::rules::builtin::{load_builtin, load_dir, load_file};

/// yanshou（验收）：按申报指南核查项目结题材料，生成验收核查报告。
#[derive(Debug, Parser)]
#[command(name = "yanshou", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 核查一个项目的结题材料（文件夹、压缩包或单个文件），输出逐项结论。
    Check {
        /// 提交材料所在文件夹、压缩包（.zip/.7z，按文件夹读取，不解压到磁盘）或单个文件。
        path: PathBuf,
        /// 项目类别（规则集 id，如 XXJL-2025）；默认从文件夹名中的项目编号或文档内容判断。
        #[arg(long)]
        category: Option<String>,
        /// 学术交流活动的级别：international（国际）/ national（全国）/ regional（全疆）。
        #[arg(long)]
        level: Option<String>,
        /// 把 dossier.json、dossier.md、dossier.html、dossier.docx 写入该目录。
        #[arg(long)]
        out: Option<PathBuf>,
        /// 标准输出的格式。
        #[arg(long, value_enum, default_value_t = OutputFormat::Terminal)]
        format: OutputFormat,
        /// 把“需人工复核”也视为不通过（退出码 1）。
        #[arg(long)]
        strict: bool,
        /// 规则文件目录或单个 .toml（默认使用内置的 2025 年规则）。
        #[arg(long)]
        rules: Option<PathBuf>,
        /// 不使用终端颜色。
        #[arg(long)]
        no_color: bool,
        /// 同时读取的文件数（默认：全部 CPU 核）。
        #[arg(long)]
        jobs: Option<usize>,
        #[command(flatten)]
        limits: LimitArgs,
        /// 报告的语言（zh 中文 / en 英文；指南原文保持中文）。
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
    /// 批量核查：ROOT 下每个项目（名称含项目编号的文件夹或 .zip）各出一份核查表，并汇总。
    Audit {
        /// 存放全部提交材料的根目录。
        root: PathBuf,
        /// 输出目录：每个项目一个子目录（dossier.json/html/docx），以及 summary.xlsx、summary.csv、index.html。
        #[arg(long)]
        out: PathBuf,
        /// 把 ROOT 下第 N 层的每个文件夹或压缩包都视为一个项目（不看名称中的编号）。
        #[arg(long)]
        depth: Option<usize>,
        /// 默认项目类别：名称中没有项目编号、文档也判断不出类别的提交材料按此类别核查（如 XXJL-2025）。
        #[arg(long)]
        category: Option<String>,
        /// 类别清单（CSV，每行“提交材料名称,类别”）：逐个指定提交材料的类别，优先于名称和文档。
        #[arg(long, value_name = "FILE")]
        categories: Option<PathBuf>,
        /// 同时读取的文件数（默认：全部 CPU 核）。
        #[arg(long)]
        jobs: Option<usize>,
        /// 不显示进度条。
        #[arg(long)]
        quiet: bool,
        /// 不使用、也不更新事实缓存（强制重新读取全部文件）。
        #[arg(long)]
        no_cache: bool,
        /// 事实缓存目录（默认 OUT/.cache）。
        #[arg(long)]
        cache: Option<PathBuf>,
        /// 报告的语言（zh 中文 / en 英文；指南原文保持中文）。
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
        /// 把“需人工复核”也视为不通过（退出码 1）。
        #[arg(long)]
        strict: bool,
        /// 规则文件目录或单个 .toml（默认使用内置的 2025 年规则）。
        #[arg(long)]
        rules: Option<PathBuf>,
        /// 与往年比对：往年 audit 的输出目录（含 fingerprints.jsonl），可重复指定。
        #[arg(long, value_name = "DIR")]
        compare_with: Vec<PathBuf>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 显示单个文件读取到的事实：格式、页数/幻灯片数/时长、字数、标识、问题。
    Facts {
        /// 要读取的文件。
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 以 JSON 输出。
        #[arg(long)]
        json: bool,
        /// 同时输出各部分的全文（仅 JSON）。
        #[arg(long)]
        text: bool,
        /// 扫描页和照片的 OCR：auto / on / off（同 check）。
        #[arg(long, value_enum, default_value_t = OcrMode::Auto)]
        ocr: OcrMode,
        /// 规则文件目录或单个 .toml：按其中的标识查找（默认使用内置的 2025 年规则）。
        #[arg(long)]
        rules: Option<PathBuf>,
        /// 输出、帮助和提示的语言（zh 中文 / en 英文）。
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
    /// 启动本机网页：在浏览器中上传压缩包或文件夹，查看核查结论并下载核查表。
    Serve {
        /// 端口（0 表示任选一个空闲端口）。
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// 监听地址。默认只允许本机访问；改为局域网地址（如 0.0.0.0）时，同一网络中的其他电脑也能上传，请只在可信网络中使用。
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// 单次上传的大小上限（MB）。
        #[arg(long, value_name = "MB", default_value_t = 4096)]
        max_upload_mb: u64,
        /// 单次上传的文件数上限（文件夹中的文件数，或压缩包内的条目数）。
        #[arg(long, value_name = "N", default_value_t = 10_000)]
        max_entries: usize,
        /// 规则文件目录或单个 .toml（默认使用内置的 2025 年规则）。
        #[arg(long)]
        rules: Option<PathBuf>,
        /// 帮助和提示的语言（网页为中文）。
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// 输出 JSON 数据的格式说明（JSON Schema）：dossier 为核查报告，summary 为批量核查汇总。
    Schema {
        /// dossier（yanshou.dossier/1）或 summary（audit 的 summary.json）。
        #[arg(value_enum, default_value_t = SchemaKind::Dossier)]
        which: SchemaKind,
        /// 帮助和提示的语言。
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
    /// 列出规则集，或解释一个规则集（及其中一项要求）。
    Rules {
        /// 规则集 id，如 XXJL-2025。
        id: Option<String>,
        /// 要求 id，如 summary-report。
        requirement: Option<String>,
        /// 规则文件目录或单个 .toml。
        #[arg(long)]
        rules: Option<PathBuf>,
        /// 帮助和提示的语言。
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
}

/// Which JSON document `yanshou schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// The dossier, `yanshou.dossier/1` (`check --format json`, dossier.json, serve's API).
    Dossier,
    /// The audit's summary.json.
    Summary,
}

/// The JSON Schema of a document yanshou writes, generated from its Rust types.
pub fn schema_of(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Dossier => schemars::schema_for!(crate::model::Report),
        SchemaKind::Summary => schemars::schema_for!(crate::audit::AuditResult),
    };
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The limits a reviewer may want to change (the others keep their defaults).
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// 单个文件的读取时限（秒），超时记为问题并继续；0 表示不限。
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
    /// 压缩包最多展开几层（提交材料本身是压缩包时不计入）。
    #[arg(long, value_name = "LEVELS", default_value_t = 3)]
    pub archive_depth: usize,
    /// 压缩包内单个文件解压后的上限（MB）。
    #[arg(long, value_name = "MB", default_value_t = 8192)]
    pub max_entry_mb: u64,
    /// 压缩比上限（超过视为压缩炸弹，不读取）。
    #[arg(long, value_name = "RATIO", default_value_t = 100)]
    pub max_ratio: u64,
    /// 扫描页和照片的 OCR（tesseract + chi_sim）：auto 已安装就用，on 必须使用（未安装则退出码 2），off 不用。OCR 字数只是估计，不能单独作为通过依据。
    #[arg(long, value_enum, default_value_t = OcrMode::Auto)]
    pub ocr: OcrMode,
    /// 读取单个文件可用的内存上限（MB），超过即停止读取该文件并记为问题；0 表示不限。
    #[arg(long, value_name = "MB", default_value_t = 4096)]
    pub max_memory_mb: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            timeout: (self.timeout > 0).then(|| std::time::Duration::from_secs(self.timeout)),
            max_archive_depth: self.archive_depth,
            max_entry_bytes: self.max_entry_mb.saturating_mul(1 << 20),
            max_ratio: self.max_ratio,
            ..Limits::default()
        }
    }

    /// [`LimitArgs::limits`] with the OCR engine `--ocr` asks for (tesseract found and checked);
    /// `Err` (exit 2) when `--ocr on` and it is missing.
    pub fn resolve(&self) -> Result<Limits, String> {
        Ok(Limits {
            ocr: crate::ocr::resolve(self.ocr)?,
            ..self.limits()
        })
    }

    /// [`LimitArgs::resolve`] for a subcommand: the error printed, `Err` the exit code (2).
    fn resolve_or_exit(&self) -> Result<Limits, i32> {
        self.resolve().map_err(|e| {
            eprintln!("yanshou: {e}");
            2
        })
    }
}

/// Reads files in worker processes of this executable (see [`crate::isolate`]), `jobs` at
/// once, each under the memory ceiling; Ctrl+C stops them. Threads where the executable
/// cannot be found (or on systems without worker processes).
fn isolation(jobs: Option<usize>, max_memory_mb: u64, handle_interrupt: bool) {
    let jobs = jobs.unwrap_or(0);
    #[cfg(unix)]
    let mut config = match std::env::current_exe() {
        Ok(program) => crate::isolate::Config::processes(program, jobs),
        Err(_) => crate::isolate::Config::threads(jobs),
    };
    #[cfg(not(unix))]
    let mut config = crate::isolate::Config::threads(jobs);
    // Hidden switch for measuring what the processes cost (bench/RESULTS.md), and an escape
    // hatch where starting processes is forbidden: files read on threads, without the kill.
    if std::env::var_os("YANSHOU_ISOLATION").is_some_and(|v| v == "threads") {
        config = crate::isolate::Config::threads(jobs);
    }
    if config.max_memory.is_some() {
        config.max_memory = (max_memory_mb > 0).then(|| max_memory_mb.saturating_mul(1 << 20));
    }
    // The rayon pool that hands files to the workers is as wide as the workers.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build_global();
    crate::isolate::configure(config);
    #[cfg(unix)]
    if handle_interrupt {
        crate::isolate::signals::install();
    }
    #[cfg(not(unix))]
    let _ = handle_interrupt;
}

/// Exit code of a run stopped by Ctrl+C (128 + SIGINT, the shell's convention).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Runs the CLI and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let code = run_command(cli);
    crate::isolate::shutdown();
    code
}

fn run_command(cli: Cli) -> i32 {
    match cli.command {
        Command::Check {
            path,
            category,
            level,
            out,
            format,
            strict,
            rules,
            no_color,
            jobs,
            lang,
            limits,
        } => {
            isolation(jobs, limits.max_memory_mb, true);
            let (sets, limits) = match rules_and_limits(rules.as_ref(), &limits) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let options = Options {
                category,
                level,
                strict,
                limits,
                lang,
                ..Options::default()
            };
            let report = match check(&path, &sets, &options) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("yanshou: {e}");
                    return 2;
                }
            };
            if crate::isolate::interrupted() {
                eprintln!("yanshou: 已中断，未生成核查报告");
                return EXIT_INTERRUPTED;
            }
            if let Some(dir) = out {
                let meta = dossier_meta(&report, lang, checked_at_now());
                match write_out_dir_with(&report, &dir, &meta) {
                    Ok(paths) => {
                        for p in paths {
                            eprintln!("已写入 {}", p.display());
                        }
                    }
                    Err(e) => {
                        eprintln!(
                            "yanshou: {}",
                            crate::audit::out_error(&dir.display().to_string(), &e)
                        );
                        return 2;
                    }
                }
            }
            let color = !no_color
                && format == OutputFormat::Terminal
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            let rendered = render_lang(&report, format, color, lang);
            match rendered {
                Ok(text) => out!("{text}"),
                Err(e) => {
                    eprintln!("yanshou: 无法生成报告：{e}");
                    return 2;
                }
            }
            report.exit_code()
        }
        Command::Audit {
            root,
            out,
            depth,
            category,
            categories,
            jobs,
            quiet,
            no_cache,
            cache,
            lang,
            strict,
            rules,
            compare_with,
            limits,
        } => {
            isolation(jobs, limits.max_memory_mb, true);
            let (sets, limits) = match rules_and_limits(rules.as_ref(), &limits) {
                Ok(x) => x,
                Err(code) => return code,
            };
            if let Some(c) = &category
                && !sets.iter().any(|s| s.id.eq_ignore_ascii_case(c))
            {
                let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
                eprintln!("yanshou: 未知的类别 “{c}”（可用：{}）", ids.join(", "));
                return 2;
            }
            let listed = match &categories {
                None => Default::default(),
                Some(file) => match std::fs::read_to_string(file)
                    .map_err(|e| format!("无法读取（{}）", crate::os_error::zh(&e)))
                    .and_then(|text| crate::audit::read_category_list(&text, &sets))
                {
                    Ok(map) => map,
                    Err(e) => {
                        eprintln!("yanshou: 类别清单 {} 有误：{e}", file.display());
                        return 2;
                    }
                },
            };
            let opts = AuditOptions {
                categories: listed,
                default_category: category,
                depth,
                jobs,
                progress: !quiet,
                cache_dir: if no_cache {
                    None
                } else {
                    Some(cache.unwrap_or_else(|| out.join(".cache")))
                },
                lang,
                check: Options {
                    strict,
                    limits,
                    lang,
                    ..Options::default()
                },
                checked_at: None,
                no_cross: false,
                compare_with,
            };
            match audit(&root, &out, &sets, &opts) {
                Ok(result) => {
                    eprint!(
                        "{}",
                        crate::report::audit_text::audit_summary(&result.totals(), lang)
                    );
                    if result.interrupted {
                        EXIT_INTERRUPTED
                    } else {
                        result.exit_code(strict)
                    }
                }
                Err(e) => {
                    eprintln!("yanshou: {e}");
                    2
                }
            }
        }
        Command::Facts {
            files,
            json,
            text,
            ocr,
            rules,
            lang,
        } => {
            isolation(None, crate::isolate::DEFAULT_MAX_MEMORY >> 20, true);
            match load_rules(rules.as_ref()) {
                Ok(sets) => facts(&files, &sets, json, text, ocr, lang),
                Err(code) => code,
            }
        }
        Command::Serve {
            port,
            bind,
            max_upload_mb,
            max_entries,
            rules,
            lang: _,
            limits,
        } => {
            // The server stops its checks itself on Ctrl+C (see `serve`).
            isolation(None, limits.max_memory_mb, false);
            let (sets, mut limits) = match rules_and_limits(rules.as_ref(), &limits) {
                Ok(x) => x,
                Err(code) => return code,
            };
            limits.max_entries = max_entries;
            let config = crate::serve::Config {
                bind,
                port,
                max_upload_bytes: max_upload_mb.saturating_mul(1 << 20),
                max_entries,
                limits,
                ..crate::serve::Config::default()
            };
            crate::serve::run(config, sets)
        }
        Command::Schema { which, lang: _ } => {
            out!("{}", schema_of(which));
            0
        }
        Command::Rules {
            id,
            requirement,
            rules,
            lang: _,
        } => match load_rules(rules.as_ref()) {
            Ok(sets) => {
                match crate::rules::explain::answer(&sets, id.as_deref(), requirement.as_deref()) {
                    Ok(text) => {
                        out!("{text}");
                        0
                    }
                    Err(e) => {
                        eprintln!("yanshou: {e}");
                        2
                    }
                }
            }
            Err(code) => code,
        },
    }
}

/// What check, audit and serve all start with: the rule sets and the resolved limits (OCR
/// included); `Err` is the exit code, the reason already printed.
fn rules_and_limits(
    rules: Option<&PathBuf>,
    limits: &LimitArgs,
) -> Result<(Vec<RuleSet>, Limits), i32> {
    Ok((load_rules(rules)?, limits.resolve_or_exit()?))
}

fn load_rules(path: Option<&PathBuf>) -> Result<Vec<RuleSet>, i32> {
    let loaded = match path {
        None => load_builtin(),
        Some(p) if p.is_dir() => load_dir(p),
        Some(p) => load_file(p),
    };
    loaded.map_err(|errors| {
        eprintln!("yanshou: 规则文件有误，未开始核查：");
        eprint!("{errors}");
        2
    })
}

/// `yanshou facts`: reads each file as a check would, with the labels of `sets` (the built-in
/// rules or `--rules`), and prints the records as JSON or as text in `lang`.
fn facts(
    paths: &[PathBuf],
    sets: &[RuleSet],
    json: bool,
    with_text: bool,
    ocr: OcrMode,
    lang: Lang,
) -> i32 {
    let (labels, distance) = all_labels(sets);
    let limits = match crate::ocr::resolve(ocr) {
        Ok(ocr) => Limits {
            ocr,
            ..Limits::default()
        },
        Err(e) => {
            eprintln!("yanshou: {e}");
            return 2;
        }
    };
    let mut records = Vec::new();
    let mut code = 0;
    for p in paths {
        let input = match Input::from_path(p, p.display().to_string()) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("yanshou: {}: {e}", p.display());
                code = 2;
                continue;
            }
        };
        let mut rec = read_file(&input, &labels, distance, &limits);
        if !with_text && let Some(f) = rec.facts.as_mut() {
            for part in &mut f.parts {
                part.text.clear();
            }
            f.tables.clear();
        }
        records.push(rec);
    }
    if json {
        match serde_json::to_string_pretty(&records) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("yanshou: {e}");
                return 2;
            }
        }
    } else {
        for r in &records {
            out!("{}", crate::report::facts_text::facts_text(r, lang));
        }
    }
    code
}

//! `yanshou facts FILE…` as text: what was read from single files (format, pages/slides/
//! duration, counts by part, the file's own statistics, labels, problems), in the chosen
//! language.
//!
//! Why a renderer of its own: `facts` shows one [`FileRecord`] at a time, with every part and
//! the raw duration detail a developer or a careful reviewer wants, which no dossier renderer
//! does. It reads only the record, like every renderer; the command line only dispatches.

use crate::count::thousands;
use crate::facts::LabelMatch;
use crate::report::format;
use crate::report::lang::Lang;
use crate::report::model::FileRecord;

/// Human-readable facts of one file.
pub(crate) fn facts_text(r: &FileRecord, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    // Chinese or English, chosen once per line.
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let list = t("，", ", ");
    let mut s = format!(
        "{}\n  {}{}{}{}{}{}\n",
        r.path,
        t("格式：", "format: "),
        r.format.name(),
        if zh {
            format!("（{}）", r.kind.name())
        } else {
            format!(" ({})", r.kind.name())
        },
        t(" ", "  "),
        t("状态：", "status: "),
        lang.status(r.status)
    );
    if let Some(f) = &r.facts {
        let mut dims = Vec::new();
        if let Some(p) = f.pages {
            dims.push(if zh {
                format!("{p} 页")
            } else {
                format!("{p} page{}", plural(u64::from(p)))
            });
        }
        if let Some(n) = f.slides {
            let hidden = f.hidden_slides.filter(|h| *h > 0).map(|h| {
                if zh {
                    format!("（隐藏 {h} 张）")
                } else {
                    format!(" ({h} hidden)")
                }
            });
            dims.push(if zh {
                format!("{n} 张幻灯片{}", hidden.unwrap_or_default())
            } else {
                format!(
                    "{n} slide{}{}",
                    plural(u64::from(n)),
                    hidden.unwrap_or_default()
                )
            });
        }
        if let Some(d) = &f.duration {
            let clock = format::duration(d.seconds);
            dims.push(if zh {
                format!("时长 {clock}（{:.3} 秒，{}）", d.seconds, d.detail)
            } else {
                format!("duration {clock} ({:.3} s, {})", d.seconds, d.detail)
            });
        }
        if let (Some(w), Some(h)) = (f.width, f.height) {
            dims.push(format!("{w}×{h}"));
        }
        if !dims.is_empty() {
            s.push_str(&format!("  {}\n", dims.join(list)));
        }
        if let Some(title) = &f.title {
            s.push_str(&format!("  {}{title}\n", t("标题：", "title: ")));
        }
        let c = &f.counts;
        let (words, han, cjk, non_cjk, chars) = (
            thousands(c.words),
            thousands(c.han),
            thousands(c.cjk),
            thousands(c.non_cjk_words),
            thousands(c.chars_no_space),
        );
        s.push_str(&if zh {
            format!(
                "  字数 {words}（汉字 {han}，中文字符 {cjk}，非中文单词 {non_cjk}，字符数不计空格 {chars}）\n"
            )
        } else {
            format!(
                "  {words} characters, Word's count (Han {han}, East Asian characters {cjk}, other words {non_cjk}, characters without spaces {chars})\n"
            )
        });
        for p in &f.parts {
            let (pw, ph) = (thousands(p.counts.words), thousands(p.counts.han));
            let not_counted = if p.kind.counted() {
                ""
            } else {
                t("（不计入）", " (not counted)")
            };
            s.push_str(&if zh {
                format!(
                    "    {}{not_counted}：字数 {pw}，汉字 {ph}\n",
                    lang.part(p.kind)
                )
            } else {
                format!(
                    "    {}{not_counted}: {pw} characters, Han {ph}\n",
                    lang.part(p.kind)
                )
            });
        }
        if let Some(rec) = &f.recorded {
            let mut parts = Vec::new();
            if let Some(w) = rec.words {
                parts.push(format!("Words {w}"));
            }
            if let Some(c) = rec.characters {
                parts.push(format!("Characters {c}"));
            }
            if let Some(c) = rec.characters_no_space {
                parts.push(format!("NonWhitespace {c}"));
            }
            if let Some(p) = rec.pages {
                parts.push(format!("Pages {p}"));
            }
            let app = rec
                .application
                .as_ref()
                .map(|a| format!("{list}{a}"))
                .unwrap_or_default();
            s.push_str(&if zh {
                format!(
                    "  文件自带统计（{}{app}，仅供参考）：{}\n",
                    rec.source,
                    parts.join(list)
                )
            } else {
                format!(
                    "  the file's own statistics ({}{app}, for information only): {}\n",
                    rec.source,
                    parts.join(list)
                )
            });
        }
        if f.labels.is_empty() {
            s.push_str(t("  标识：未找到\n", "  label: not found\n"));
        }
        for l in &f.labels {
            let how = match (l.matched, zh) {
                (LabelMatch::Exact, true) => "找到".to_string(),
                (LabelMatch::Exact, false) => "found".to_string(),
                (LabelMatch::NearMiss, true) => {
                    format!("近似（写成“{}”，差 {} 字）", l.found, l.distance)
                }
                (LabelMatch::NearMiss, false) => format!(
                    "near miss (written “{}”, {} character{} off)",
                    l.found,
                    l.distance,
                    plural(l.distance as u64)
                ),
            };
            let place = lang.part(l.location);
            s.push_str(&if zh {
                format!("  标识“{}”：{how}，位置：{place}\n", l.text)
            } else {
                format!("  label “{}”: {how}, in the {place}\n", l.text)
            });
        }
        if !f.scanned_pages.is_empty() {
            s.push_str(&format!(
                "  {}{:?}\n",
                t("无文字层页面：", "pages without a text layer: "),
                f.scanned_pages
            ));
        }
        if let Some(o) = &f.ocr {
            let (ow, oh) = (thousands(o.counts.words), thousands(o.counts.han));
            let skipped = if o.skipped_pages.is_empty() {
                String::new()
            } else if zh {
                format!("，未识别页面 {:?}", o.skipped_pages)
            } else {
                format!(", pages not recognised {:?}", o.skipped_pages)
            };
            s.push_str(&if zh {
                format!(
                    "  OCR 估计（{}，basis: ocr）：约 {ow} 字（汉字 {oh}），识别图像 {} 张{skipped}\n",
                    o.engine, o.images
                )
            } else {
                format!(
                    "  OCR estimate ({}, basis: ocr): about {ow} characters (Han {oh}), {} image{} recognised{skipped}\n",
                    o.engine,
                    o.images,
                    plural(u64::from(o.images))
                )
            });
        }
    }
    for p in &r.problems {
        s.push_str(&format!(
            "  {} [{}]{}{}\n",
            t("问题", "problem"),
            p.code,
            t("：", ": "),
            lang.problem(p)
        ));
    }
    s
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

//! English sentences for the stable problem codes (`Problem::code`), shown under `--lang en`.
//!
//! Why one table by code instead of an English twin at every `Problem::new` site: there are
//! hundreds of sites in the extractors, most formatting details (byte offsets, limits, parser
//! errors) that matter to a developer, not to a reviewer. The code already says what went wrong
//! in a stable way, so one sentence per code says it in English and what to do about it. The
//! trade-off: the English sentence is generic (it does not repeat the offset or the limit); the
//! Chinese message, with every detail, stays beside it (`message_zh` in the JSON). A code
//! without an entry falls back to the Chinese message; `every_problem_code_has_english` in
//! `tests/lang.rs` scans `src/` so a new code without English fails CI.

/// The English sentence for a problem code, if the table has one.
pub fn english(code: &str) -> Option<&'static str> {
    TABLE
        .binary_search_by(|(c, _)| c.cmp(&code))
        .ok()
        .and_then(|i| TABLE.get(i))
        .map(|(_, en)| *en)
}

/// Every code with its sentence, sorted by code (a test checks the order).
pub static TABLE: &[(&str, &str)] = &[
    (
        "archive.absolute_path",
        "An entry name in the archive is an absolute path or has a drive letter; it is shown relative to the archive (yanshou never extracts to disk). Please repack the archive with a common tool.",
    ),
    (
        "archive.backslash",
        "An entry name in the archive uses backslashes as separators (not valid in ZIP). Please repack the archive with a common tool.",
    ),
    (
        "archive.control_chars",
        "An entry name in the archive contains control characters. Please repack the archive with a common tool.",
    ),
    (
        "archive.duplicate_entries",
        "The archive lists entries with exactly the same name; only one of them can be read. Please remove the duplicates and repack.",
    ),
    (
        "archive.duplicate_name",
        "The archive has several entries with the same name; this one is shown under a changed name. Please remove the duplicates and repack.",
    ),
    (
        "archive.empty_name",
        "An entry name in the archive is empty. Please repack the archive with a common tool.",
    ),
    (
        "archive.name_encoding",
        "The file names in the archive are neither UTF-8 nor GBK and may be shown garbled. Please repack with 7-Zip or the system's own compression.",
    ),
    (
        "archive.name_repaired",
        "A file name in the archive was Chinese (GBK) read as code page 437 and stored that way (7-Zip on a Western Windows); it is shown repaired. Please repack with UTF-8 file names.",
    ),
    (
        "archive.overlapping",
        "Several entries of the archive share the same data (a typical zip-bomb construction); they are limited by the compression-ratio cap.",
    ),
    (
        "archive.path_traversal",
        "An entry name in the archive contains “..” and points outside the archive (path traversal). Please repack the archive with a common tool.",
    ),
    (
        "avi.trailing_data",
        "The recording has unrecognised data after its end; it was ignored.",
    ),
    (
        "cross.code_mismatch",
        "A document names a project code other than the one in the submission's name (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.document_date",
        "A document was created outside the project period (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.meeting_date_mismatch",
        "The meeting notice and the summary report give different dates for the meeting (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.news_date",
        "A news item is dated outside the project period (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.photo_date",
        "A photo was taken outside the meeting's days or the project period (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.photo_reuse",
        "The same photo, possibly resized, recompressed, cropped or relabelled, was handed in twice, in another submission or in this one (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.recording_date",
        "A recording was made before the meeting (or the project) began (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.recording_reuse",
        "The same recording was handed in twice, in another submission or in this one (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.society_mismatch",
        "The documents name another society, never the one in the submission's name (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "cross.text_reuse",
        "A document shares passages with a document of another submission (a finding of the audit's cross-submission pass; it changes no verdict).",
    ),
    (
        "doc.hidden_text",
        "The document has hidden text; it is not counted, as in Word's word count. Check that nothing required is hidden.",
    ),
    (
        "doc.tracked_deletions",
        "The document has unresolved tracked changes; deleted text is not counted, as in Word's word count. Accept or reject all changes before submitting.",
    ),
    (
        "duration.disagree",
        "The recording's header and its actual data give different durations; the duration of the data was used. Please check it by hand.",
    ),
    (
        "duration.missing",
        "The recording has no usable duration information. Please check its duration by hand.",
    ),
    (
        "extract.crashed",
        "The reader of this file ended abnormally (a crash, an abort or a stack overflow in a parser); the file was not read and the other files were checked as usual. The file may be damaged: open it in the program that made it and save a new copy; if it is fine, please report it to the yanshou maintainers.",
    ),
    (
        "extract.panic",
        "The reader for this format failed on the file (an internal error); its content could not be read. Please save it again as .docx, .xlsx, .pptx or PDF.",
    ),
    (
        "extract.partial",
        "Part of the file's structure could not be located; some text was not read and the counts may be low.",
    ),
    (
        "format.mismatch",
        "The file's extension does not match its content; it was read by its actual format. Please correct the extension.",
    ),
    (
        "ignored.archive_link",
        "A symbolic link inside the archive was not followed (a link is not file content).",
    ),
    (
        "ignored.clutter",
        "A system or temporary file (not submission material) was skipped.",
    ),
    (
        "ignored.manifest",
        "The yanshou manifest (file roles) is not checked as submission material.",
    ),
    (
        "image.corrupt",
        "The image data is damaged or truncated. Please provide the complete original photo.",
    ),
    (
        "image.not_verified",
        "The image is very large; its pixel data was not fully decoded to check for damage.",
    ),
    (
        "limit.archive_depth",
        "The archive is nested too deeply; the inner archives were not opened. Please unpack the inner archives before submitting.",
    ),
    (
        "limit.asf_header",
        "The recording's header is too large to read; it was skipped.",
    ),
    (
        "limit.avi_index",
        "The recording's header or index is too large to read; it was skipped.",
    ),
    (
        "limit.decompressed",
        "A data stream in the PDF decompresses beyond the limit (a possible zip bomb); it was not read.",
    ),
    (
        "limit.entry_count",
        "The archive has more entries than the limit (abnormal, or a zip bomb); not all were opened. Please split it before submitting.",
    ),
    (
        "limit.entry_memory",
        "An entry of the archive needs more memory to decompress than allowed; it was not read. Please repack with standard Deflate zip compression.",
    ),
    (
        "limit.entry_size",
        "A file in the archive is larger than the per-file limit once decompressed; it was not read. If it is a genuine file, please submit it unpacked.",
    ),
    (
        "limit.file_size",
        "The file is larger than the limit; it was not read.",
    ),
    (
        "limit.image_pixels",
        "The image has more pixels than the limit; it was not read.",
    ),
    (
        "limit.memory",
        "Reading this file needed more memory than the per-file limit, so its reading was stopped. The file may be damaged or deliberately crafted; if it is a normal file, raise the limit with --max-memory-mb and check again.",
    ),
    (
        "limit.mkv_header",
        "The recording's header information is too large to read; it was skipped.",
    ),
    (
        "limit.mp4_index",
        "The recording's index is too large to read; it was skipped.",
    ),
    (
        "limit.package_size",
        "The file is larger than the limit once decompressed (abnormal, or a zip bomb); part of it was not read.",
    ),
    (
        "limit.part_size",
        "A part of the file is larger than the limit once decompressed (abnormal, or a zip bomb); it was not read.",
    ),
    (
        "limit.pdf_content",
        "The PDF's content exceeds the processing limits; only part of its text was read, so the counts may be low. Needs review.",
    ),
    (
        "limit.ratio",
        "The compression ratio is abnormal (a possible zip bomb); the entry was not opened. If it is a genuine file, please submit it unpacked.",
    ),
    (
        "limit.solid_block",
        "The file sits in the same solid 7z block as a file over the limits or damaged; it was not read. Please repack as zip or non-solid 7z.",
    ),
    (
        "limit.table_size",
        "The table or workbook is larger than the limit; the excess was not read, so the counts may be low.",
    ),
    (
        "limit.text",
        "The document's text exceeds the limit or is abnormally structured; only part of it was read.",
    ),
    (
        "limit.timeout",
        "Reading the file took longer than the time limit; it was skipped. If it is a genuine file, retry with a larger --timeout.",
    ),
    (
        "limit.total_size",
        "The archives of the submission decompress beyond the total limit; this file was not read. Please split the submission or remove large unrelated files.",
    ),
    (
        "limit.xml_depth",
        "The file is abnormal: its XML is nested far deeper than any normal document; it was not read. Please open it in its program and save a new copy.",
    ),
    (
        "mkv.too_many_elements",
        "The recording has too many structural elements; the rest was not read.",
    ),
    (
        "mkv.trailing_data",
        "The recording has unrecognised data after its end; it was ignored.",
    ),
    (
        "mp4.multiple_moov",
        "The recording contains several moov indexes; only the first was used.",
    ),
    (
        "mp4.too_many_boxes",
        "The recording has too many top-level structures; the rest was not read.",
    ),
    (
        "mp4.trailing_data",
        "The recording has unrecognised data at its end; it was ignored.",
    ),
    (
        "ocr.failed",
        "OCR could not read this image or page; it needs a reviewer to look at it.",
    ),
    (
        "ocr.frame_label",
        "A label was read by OCR in a sampled frame of the recording (the time is given); worth a look.",
    ),
    (
        "ocr.frames_no_label",
        "OCR read none of the labels in the sampled frames of the recording (the frames are listed); the label may be in other frames, needs review.",
    ),
    (
        "ocr.frames_skipped",
        "Frames of a recording inside an archive are not sampled; the label may be in the picture, needs review.",
    ),
    (
        "ocr.no_ffmpeg",
        "ffmpeg is not installed, so no frames of the recording were read; the label may be in the picture, needs review (see the README to install it).",
    ),
    (
        "ocr.skipped",
        "Some images or pages were not read by OCR (over the per-file time or image budget); they need a reviewer to look at them.",
    ),
    (
        "ocr.unsupported",
        "This image or page is in a form the OCR step cannot read (e.g. HEIC, JBIG2); it needs a reviewer to look at it.",
    ),
    (
        "ofd.page_missing",
        "Some pages of the OFD document could not be read; their text is not counted.",
    ),
    (
        "pdf.repaired",
        "The PDF's structure is damaged (the file may be truncated); it was read as far as possible, so pages and counts may be incomplete. Needs review.",
    ),
    (
        "pptx.slide_missing",
        "Some slides are missing or unreadable; their text is not counted.",
    ),
    (
        "run.interrupted",
        "The check was interrupted (Ctrl+C) before this file was read; run the check again.",
    ),
    (
        "scanned.pages",
        "Some pages have no text layer (probably scanned); their characters must be counted by hand.",
    ),
    (
        "submission.empty",
        "There is no file in the submission: put the closeout materials in it and check again.",
    ),
    (
        "submission.unopenable",
        "The archive the submission came in cannot be opened, so none of its materials were checked: repack it (as a zip, without a password) and submit it again.",
    ),
    (
        "text.charset_mismatch",
        "The page declares a different encoding from the one it uses; it was read in the actual encoding.",
    ),
    (
        "text.undecodable",
        "Some text could not be decoded (a font without ToUnicode); the counts may be low. Needs review.",
    ),
    (
        "unreadable.corrupt",
        "The file is damaged and could not be read. Please save or export it again and resubmit.",
    ),
    (
        "unreadable.empty",
        "The file is empty (0 bytes). Please submit it again.",
    ),
    (
        "unreadable.encrypted",
        "The file is encrypted; please provide an unencrypted copy.",
    ),
    (
        "unreadable.io",
        "The file could not be opened. Please check that it exists and can be read.",
    ),
    (
        "unreadable.no_slides",
        "The presentation reads as 0 slides although its own summary records some: probably an old layout that cannot be read. Please save it as .pptx in PowerPoint or WPS.",
    ),
    (
        "unreadable.truncated",
        "The file is incomplete (probably cut off while downloading or copying). Please provide the complete original.",
    ),
    (
        "unsupported.7z_method",
        "The 7z archive uses an unsupported compression method. Please repack as zip, or 7z with the default LZMA2 method.",
    ),
    (
        "unsupported.format",
        "This format cannot be read yet; the file is listed but its content was not checked. If it is acceptance material, please convert it to PDF, DOCX, PPTX or MP4.",
    ),
    (
        "unsupported.legacy_office",
        "The content is an old binary Office format (.doc/.ppt/.xls), not an Office Open XML package.",
    ),
    (
        "unsupported.ole",
        "The file is an OLE compound document but not a Word, PowerPoint, Excel or WPS file. Please save it as .docx, .pptx, .xlsx or PDF.",
    ),
    (
        "unsupported.rar",
        "RAR archives are not supported. Please repack as zip.",
    ),
    (
        "unsupported.word95",
        "This is a Word 6.0/95 document, which cannot be read. Please save it as .docx or PDF in Word or WPS.",
    ),
    (
        "unsupported.works_wps",
        "This is a Microsoft Works document (not WPS Writer). Please save it as .docx or PDF.",
    ),
    (
        "walk.error",
        "The file or folder could not be accessed. Please check its permissions and retry.",
    ),
    (
        "walk.link_outside",
        "A symbolic link points outside the submission and was not followed. Please include the actual file instead of a link.",
    ),
    (
        "walk.name_control_chars",
        "The file name contains control characters and is shown cleaned. Please rename it.",
    ),
    (
        "walk.name_not_utf8",
        "The file name is not valid UTF-8 (GBK bytes left by a Windows unzip are decoded as Chinese; anything else is shown with replacement characters); its content was checked as usual. Please rename it.",
    ),
    (
        "walk.special_file",
        "This is not a regular file (a named pipe, a socket or a device) and was not read; a submission should contain only files and folders, so please remove it.",
    ),
    (
        "walk.symlink_loop",
        "Symbolic links form a loop and were not followed. Please remove the link and include the actual file.",
    ),
    (
        "xlsx.sheet_missing",
        "A worksheet could not be read; its content is not counted.",
    ),
];

//! Problem codes: the one registry of every code a file's problem can carry (`Problem::code`),
//! each with its English sentence.
//!
//! Why a registry: the codes are part of the JSON contract (`files[].problems[].code`,
//! schema/dossier.schema.json) that integrators match on, so they must be stable, unique and
//! spelt the same at every site. A site names a constant (`Problem::new(codes::UNREADABLE_ENCRYPTED,
//! …)`), so a misspelt code is a compile error rather than a new code nobody translated, and
//! [`Code`] can only be made here. Modelled on cargo-deny's diagnostic codes: one table, a test
//! that the codes are unique (`tests/lang.rs`), and the same table gives the English.
//!
//! The English sentence is generic (it does not repeat the offset or the limit that the Chinese
//! message at the site carries): one sentence per code says what went wrong and what to do, and
//! is what `--lang en` shows ([`crate::lang::problems`]); the Chinese message, with every
//! detail, stays beside it (`message_zh` in an English JSON dossier). The Chinese is written at
//! the site because it carries the details; no code has one fixed Chinese sentence.
//!
//! Entries are sorted by code (a test checks it; lookups binary-search). A constant's name is
//! its code in upper case with `.` as `_`.

use std::fmt;

/// A stable problem code (`"unreadable.encrypted"`). Made only by the registry below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(&'static str);

impl Code {
    /// The code as written in the JSON contract.
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The English sentence of the code.
    pub fn english(self) -> &'static str {
        english(self.0).unwrap_or(self.0)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.0.to_string()
    }
}

impl PartialEq<Code> for String {
    fn eq(&self, other: &Code) -> bool {
        self == other.0
    }
}

impl PartialEq<Code> for str {
    fn eq(&self, other: &Code) -> bool {
        self == other.0
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.0
    }
}

/// One registry entry: the constant's name, the code and its English sentence.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub code: Code,
    pub en: &'static str,
}

/// The English sentence of a code, if the registry has it (a facts cache or a dossier written
/// by another version may carry a code this one does not know).
pub fn english(code: &str) -> Option<&'static str> {
    ALL.binary_search_by(|e| e.code.0.cmp(code))
        .ok()
        .and_then(|i| ALL.get(i))
        .map(|e| e.en)
}

macro_rules! codes {
    ($($name:ident = $code:literal: $en:literal;)*) => {
        $(
            #[doc = concat!("`", $code, "`: ", $en)]
            pub const $name: Code = Code($code);
        )*
        /// Every code, sorted by code.
        pub static ALL: &[Entry] = &[$(Entry { name: stringify!($name), code: $name, en: $en }),*];
    };
}

codes! {
    ARCHIVE_ABSOLUTE_PATH = "archive.absolute_path":
        "An entry name in the archive is an absolute path or has a drive letter; it is shown relative to the archive (yanshou never extracts to disk). Please repack the archive with a common tool.";
    ARCHIVE_BACKSLASH = "archive.backslash":
        "An entry name in the archive uses backslashes as separators (not valid in ZIP). Please repack the archive with a common tool.";
    ARCHIVE_CONTROL_CHARS = "archive.control_chars":
        "An entry name in the archive contains control characters. Please repack the archive with a common tool.";
    ARCHIVE_DUPLICATE_ENTRIES = "archive.duplicate_entries":
        "The archive lists entries with exactly the same name; only one of them can be read. Please remove the duplicates and repack.";
    ARCHIVE_DUPLICATE_NAME = "archive.duplicate_name":
        "The archive has several entries with the same name; this one is shown under a changed name. Please remove the duplicates and repack.";
    ARCHIVE_EMPTY_NAME = "archive.empty_name":
        "An entry name in the archive is empty. Please repack the archive with a common tool.";
    ARCHIVE_NAME_ENCODING = "archive.name_encoding":
        "The file names in the archive are neither UTF-8 nor GBK and may be shown garbled. Please repack with 7-Zip or the system's own compression.";
    ARCHIVE_NAME_REPAIRED = "archive.name_repaired":
        "A file name in the archive was Chinese (GBK) read as code page 437 and stored that way (7-Zip on a Western Windows); it is shown repaired. Please repack with UTF-8 file names.";
    ARCHIVE_OVERLAPPING = "archive.overlapping":
        "Several entries of the archive share the same data (a typical zip-bomb construction); they are limited by the compression-ratio cap.";
    ARCHIVE_PATH_TRAVERSAL = "archive.path_traversal":
        "An entry name in the archive contains “..” and points outside the archive (path traversal). Please repack the archive with a common tool.";
    AVI_TRAILING_DATA = "avi.trailing_data":
        "The recording has unrecognised data after its end; it was ignored.";
    CROSS_CODE_MISMATCH = "cross.code_mismatch":
        "A document names a project code other than the one in the submission's name (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_DOCUMENT_DATE = "cross.document_date":
        "A document was created outside the project period (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_MEETING_DATE_MISMATCH = "cross.meeting_date_mismatch":
        "The meeting notice and the summary report give different dates for the meeting (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_NEWS_DATE = "cross.news_date":
        "A news item is dated outside the project period (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_PHOTO_DATE = "cross.photo_date":
        "A photo was taken outside the meeting's days or the project period (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_PHOTO_REUSE = "cross.photo_reuse":
        "The same photo, possibly resized, recompressed, cropped or relabelled, was handed in twice, in another submission or in this one (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_RECORDING_DATE = "cross.recording_date":
        "A recording was made before the meeting (or the project) began (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_RECORDING_REUSE = "cross.recording_reuse":
        "The same recording was handed in twice, in another submission or in this one (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_SOCIETY_MISMATCH = "cross.society_mismatch":
        "The documents name another society, never the one in the submission's name (a finding of the audit's cross-submission pass; it changes no verdict).";
    CROSS_TEXT_REUSE = "cross.text_reuse":
        "A document shares passages with a document of another submission (a finding of the audit's cross-submission pass; it changes no verdict).";
    DOC_HIDDEN_TEXT = "doc.hidden_text":
        "The document has hidden text; it is not counted, as in Word's word count. Check that nothing required is hidden.";
    DOC_TRACKED_DELETIONS = "doc.tracked_deletions":
        "The document has unresolved tracked changes; deleted text is not counted, as in Word's word count. Accept or reject all changes before submitting.";
    DURATION_DISAGREE = "duration.disagree":
        "The recording's header and its actual data give different durations; the duration of the data was used. Please check it by hand.";
    DURATION_MISSING = "duration.missing":
        "The recording has no usable duration information. Please check its duration by hand.";
    EXTRACT_CRASHED = "extract.crashed":
        "The reader of this file ended abnormally (a crash, an abort or a stack overflow in a parser); the file was not read and the other files were checked as usual. The file may be damaged: open it in the program that made it and save a new copy; if it is fine, please report it to the yanshou maintainers.";
    EXTRACT_PANIC = "extract.panic":
        "The reader for this format failed on the file (an internal error); its content could not be read. Please save it again as .docx, .xlsx, .pptx or PDF.";
    EXTRACT_PARTIAL = "extract.partial":
        "Part of the file's structure could not be located; some text was not read and the counts may be low.";
    FORMAT_MISMATCH = "format.mismatch":
        "The file's extension does not match its content; it was read by its actual format. Please correct the extension.";
    IGNORED_ARCHIVE_LINK = "ignored.archive_link":
        "A symbolic link inside the archive was not followed (a link is not file content).";
    IGNORED_CLUTTER = "ignored.clutter":
        "A system or temporary file (not submission material) was skipped.";
    IGNORED_MANIFEST = "ignored.manifest":
        "The yanshou manifest (file roles) is not checked as submission material.";
    IMAGE_CORRUPT = "image.corrupt":
        "The image data is damaged or truncated. Please provide the complete original photo.";
    IMAGE_NOT_VERIFIED = "image.not_verified":
        "The image is very large; its pixel data was not fully decoded to check for damage.";
    LIMIT_ARCHIVE_DEPTH = "limit.archive_depth":
        "The archive is nested too deeply; the inner archives were not opened. Please unpack the inner archives before submitting.";
    LIMIT_ASF_HEADER = "limit.asf_header":
        "The recording's header is too large to read; it was skipped.";
    LIMIT_AVI_INDEX = "limit.avi_index":
        "The recording's header or index is too large to read; it was skipped.";
    LIMIT_DECOMPRESSED = "limit.decompressed":
        "A data stream in the PDF decompresses beyond the limit (a possible zip bomb); it was not read.";
    LIMIT_ENTRY_COUNT = "limit.entry_count":
        "The archive has more entries than the limit (abnormal, or a zip bomb); not all were opened. Please split it before submitting.";
    LIMIT_ENTRY_MEMORY = "limit.entry_memory":
        "An entry of the archive needs more memory to decompress than allowed; it was not read. Please repack with standard Deflate zip compression.";
    LIMIT_ENTRY_SIZE = "limit.entry_size":
        "A file in the archive is larger than the per-file limit once decompressed; it was not read. If it is a genuine file, please submit it unpacked.";
    LIMIT_FILE_SIZE = "limit.file_size":
        "The file is larger than the limit; it was not read.";
    LIMIT_IMAGE_PIXELS = "limit.image_pixels":
        "The image has more pixels than the limit; it was not read.";
    LIMIT_MEMORY = "limit.memory":
        "Reading this file needed more memory than the per-file limit, so its reading was stopped. The file may be damaged or deliberately crafted; if it is a normal file, raise the limit with --max-memory-mb and check again.";
    LIMIT_MKV_HEADER = "limit.mkv_header":
        "The recording's header information is too large to read; it was skipped.";
    LIMIT_MP4_INDEX = "limit.mp4_index":
        "The recording's index is too large to read; it was skipped.";
    LIMIT_PACKAGE_SIZE = "limit.package_size":
        "The file is larger than the limit once decompressed (abnormal, or a zip bomb); part of it was not read.";
    LIMIT_PART_SIZE = "limit.part_size":
        "A part of the file is larger than the limit once decompressed (abnormal, or a zip bomb); it was not read.";
    LIMIT_PDF_CONTENT = "limit.pdf_content":
        "The PDF's content exceeds the processing limits; only part of its text was read, so the counts may be low. Needs review.";
    LIMIT_RATIO = "limit.ratio":
        "The compression ratio is abnormal (a possible zip bomb); the entry was not opened. If it is a genuine file, please submit it unpacked.";
    LIMIT_SOLID_BLOCK = "limit.solid_block":
        "The file sits in the same solid 7z block as a file over the limits or damaged; it was not read. Please repack as zip or non-solid 7z.";
    LIMIT_TABLE_SIZE = "limit.table_size":
        "The table or workbook is larger than the limit; the excess was not read, so the counts may be low.";
    LIMIT_TEXT = "limit.text":
        "The document's text exceeds the limit or is abnormally structured; only part of it was read.";
    LIMIT_TIMEOUT = "limit.timeout":
        "Reading the file took longer than the time limit; it was skipped. If it is a genuine file, retry with a larger --timeout.";
    LIMIT_TOTAL_SIZE = "limit.total_size":
        "The archives of the submission decompress beyond the total limit; this file was not read. Please split the submission or remove large unrelated files.";
    LIMIT_XML_DEPTH = "limit.xml_depth":
        "The file is abnormal: its XML is nested far deeper than any normal document; it was not read. Please open it in its program and save a new copy.";
    MKV_TOO_MANY_ELEMENTS = "mkv.too_many_elements":
        "The recording has too many structural elements; the rest was not read.";
    MKV_TRAILING_DATA = "mkv.trailing_data":
        "The recording has unrecognised data after its end; it was ignored.";
    MP4_MULTIPLE_MOOV = "mp4.multiple_moov":
        "The recording contains several moov indexes; only the first was used.";
    MP4_TOO_MANY_BOXES = "mp4.too_many_boxes":
        "The recording has too many top-level structures; the rest was not read.";
    MP4_TRAILING_DATA = "mp4.trailing_data":
        "The recording has unrecognised data at its end; it was ignored.";
    OCR_ESTIMATE = "ocr.estimate":
        "Scanned pages were read by OCR (the pages are listed); the count is only an estimate and needs a reviewer to check it.";
    OCR_FAILED = "ocr.failed":
        "OCR could not read this image or page; it needs a reviewer to look at it.";
    OCR_FRAME_LABEL = "ocr.frame_label":
        "A label was read by OCR in a sampled frame of the recording (the time is given); worth a look.";
    OCR_FRAMES_NO_LABEL = "ocr.frames_no_label":
        "OCR read none of the labels in the sampled frames of the recording (the frames are listed); the label may be in other frames, needs review.";
    OCR_FRAMES_SKIPPED = "ocr.frames_skipped":
        "Frames of a recording inside an archive are not sampled; the label may be in the picture, needs review.";
    OCR_NO_FFMPEG = "ocr.no_ffmpeg":
        "ffmpeg is not installed, so no frames of the recording were read; the label may be in the picture, needs review (see the README to install it).";
    OCR_SKIPPED = "ocr.skipped":
        "Some images or pages were not read by OCR (over the per-file time or image budget); they need a reviewer to look at them.";
    OCR_UNSUPPORTED = "ocr.unsupported":
        "This image or page is in a form the OCR step cannot read (e.g. HEIC, JBIG2); it needs a reviewer to look at it.";
    OFD_PAGE_MISSING = "ofd.page_missing":
        "Some pages of the OFD document could not be read; their text is not counted.";
    PDF_REPAIRED = "pdf.repaired":
        "The PDF's structure is damaged (the file may be truncated); it was read as far as possible, so pages and counts may be incomplete. Needs review.";
    PPTX_SLIDE_MISSING = "pptx.slide_missing":
        "Some slides are missing or unreadable; their text is not counted.";
    RUN_INTERRUPTED = "run.interrupted":
        "The check was interrupted (Ctrl+C) before this file was read; run the check again.";
    SCANNED_PAGES = "scanned.pages":
        "Some pages have no text layer (probably scanned); their characters must be counted by hand.";
    SUBMISSION_EMPTY = "submission.empty":
        "There is no file in the submission: put the closeout materials in it and check again.";
    SUBMISSION_UNOPENABLE = "submission.unopenable":
        "The archive the submission came in cannot be opened, so none of its materials were checked: repack it (as a zip, without a password) and submit it again.";
    TEXT_CHARSET_MISMATCH = "text.charset_mismatch":
        "The page declares a different encoding from the one it uses; it was read in the actual encoding.";
    TEXT_UNDECODABLE = "text.undecodable":
        "Some text could not be decoded (a font without ToUnicode); the counts may be low. Needs review.";
    UNREADABLE_CORRUPT = "unreadable.corrupt":
        "The file is damaged and could not be read. Please save or export it again and resubmit.";
    UNREADABLE_EMPTY = "unreadable.empty":
        "The file is empty (0 bytes). Please submit it again.";
    UNREADABLE_ENCRYPTED = "unreadable.encrypted":
        "The file is encrypted; please provide an unencrypted copy.";
    UNREADABLE_IO = "unreadable.io":
        "The file could not be opened. Please check that it exists and can be read.";
    UNREADABLE_NO_SLIDES = "unreadable.no_slides":
        "The presentation reads as 0 slides although its own summary records some: probably an old layout that cannot be read. Please save it as .pptx in PowerPoint or WPS.";
    UNREADABLE_TRUNCATED = "unreadable.truncated":
        "The file is incomplete (probably cut off while downloading or copying). Please provide the complete original.";
    UNSUPPORTED_7Z_METHOD = "unsupported.7z_method":
        "The 7z archive uses an unsupported compression method. Please repack as zip, or 7z with the default LZMA2 method.";
    UNSUPPORTED_FORMAT = "unsupported.format":
        "This format cannot be read yet; the file is listed but its content was not checked. If it is acceptance material, please convert it to PDF, DOCX, PPTX or MP4.";
    UNSUPPORTED_LEGACY_OFFICE = "unsupported.legacy_office":
        "The content is an old binary Office format (.doc/.ppt/.xls), not an Office Open XML package.";
    UNSUPPORTED_OLE = "unsupported.ole":
        "The file is an OLE compound document but not a Word, PowerPoint, Excel or WPS file. Please save it as .docx, .pptx, .xlsx or PDF.";
    UNSUPPORTED_RAR = "unsupported.rar":
        "RAR archives are not supported. Please repack as zip.";
    UNSUPPORTED_WORD95 = "unsupported.word95":
        "This is a Word 6.0/95 document, which cannot be read. Please save it as .docx or PDF in Word or WPS.";
    UNSUPPORTED_WORKS_WPS = "unsupported.works_wps":
        "This is a Microsoft Works document (not WPS Writer). Please save it as .docx or PDF.";
    WALK_ERROR = "walk.error":
        "The file or folder could not be accessed. Please check its permissions and retry.";
    WALK_LINK_OUTSIDE = "walk.link_outside":
        "A symbolic link points outside the submission and was not followed. Please include the actual file instead of a link.";
    WALK_NAME_CONTROL_CHARS = "walk.name_control_chars":
        "The file name contains control characters and is shown cleaned. Please rename it.";
    WALK_NAME_NOT_UTF8 = "walk.name_not_utf8":
        "The file name is not valid UTF-8 (GBK bytes left by a Windows unzip are decoded as Chinese; anything else is shown with replacement characters); its content was checked as usual. Please rename it.";
    WALK_SPECIAL_FILE = "walk.special_file":
        "This is not a regular file (a named pipe, a socket or a device) and was not read; a submission should contain only files and folders, so please remove it.";
    WALK_SYMLINK_LOOP = "walk.symlink_loop":
        "Symbolic links form a loop and were not followed. Please remove the link and include the actual file.";
    XLSX_SHEET_MISSING = "xlsx.sheet_missing":
        "A worksheet could not be read; its content is not counted.";
}

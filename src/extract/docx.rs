//! docx extractor (placeholder while it is being written).

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn name(&self) -> &'static str {
        "docx"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Docx]
    }
    fn extract(
        &self,
        _input: &Input,
        _limits: &Limits,
        _w: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        Err(Problem::new("unsupported.format", "尚未支持"))
    }
}

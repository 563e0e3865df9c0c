//! pptx extractor (placeholder while it is being written).

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct PptxExtractor;

impl Extractor for PptxExtractor {
    fn name(&self) -> &'static str {
        "pptx"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Pptx]
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

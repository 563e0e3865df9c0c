//! text extractor (placeholder while it is being written).

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct TextExtractor;

impl Extractor for TextExtractor {
    fn name(&self) -> &'static str {
        "text"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Txt, Format::Html]
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

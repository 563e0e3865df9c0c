//! image extractor (placeholder while it is being written).

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct ImageExtractor;

impl Extractor for ImageExtractor {
    fn name(&self) -> &'static str {
        "image"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Jpeg, Format::Png]
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

//! mp4 extractor (placeholder while it is being written).

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct Mp4Extractor;

impl Extractor for Mp4Extractor {
    fn name(&self) -> &'static str {
        "mp4"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Mp4]
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

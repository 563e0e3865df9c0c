#!/bin/sh
# Fills fuzz/corpus/<target>/ with the seeds tests/fuzz_regress.rs uses (fixtures, the shared
# corpus where present, kept crash inputs). Run from the crate root.
set -e
YANSHOU_FUZZ_CORPUS="$(pwd)/fuzz/corpus" cargo test --test fuzz_regress write_fuzz_corpus -- --ignored

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: { yanshou::fuzzing::init(); },
    |data: &[u8]| { yanshou::fuzzing::asf(data); }
);

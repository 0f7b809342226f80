#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bilan_fuzz::compute(data));

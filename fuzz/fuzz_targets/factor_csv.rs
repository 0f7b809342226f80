#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bilan_fuzz::factor_csv(data));

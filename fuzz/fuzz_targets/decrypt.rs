#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    aimis_fuzz::decrypt(data);
});

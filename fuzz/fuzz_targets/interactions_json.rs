//! Every interaction entry point that takes JSON or text: knowledge bases, screens, checks,
//! name resolution.
#![no_main]
use apotheca_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((op, text)) = op_and_text(data) else {
        return;
    };
    let Ok(kb) = apotheca::Interactions::sample() else {
        return;
    };
    match op % 4 {
        0 => no_internal(&apotheca::Interactions::from_json(text)),
        1 => no_internal(&decode(text).and_then(|r| kb.screen(&r))),
        2 => no_internal(&decode(text).and_then(|r| kb.check_new(&r))),
        _ => no_internal(&kb.resolve(text, u32::from(op))),
    }
});

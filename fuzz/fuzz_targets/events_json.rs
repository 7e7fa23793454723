//! Restoring a ledger from arbitrary log text: refused with a code, never INTERNAL; whatever
//! restores replays again to the same digest.
#![no_main]
use apotheca_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = apotheca::Ledger::from_events_json(text, None);
    no_internal(&r);
    if let Ok(l) = r {
        replays(&l);
    }
});

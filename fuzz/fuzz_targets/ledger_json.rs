//! Every ledger entry point that takes JSON: the first byte picks the operation, the rest is
//! its JSON text, read as the bindings read it.
#![no_main]
use apotheca_fuzz::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((op, text)) = op_and_text(data) else {
        return;
    };
    let l = stocked();
    match op % 8 {
        0 => ledger_call(&l, |l| l.post(decode(text)?)),
        1 => ledger_call(&l, |l| l.dispense(decode(text)?)),
        2 => ledger_call(&l, |l| l.allocate(&decode(text)?)),
        3 => ledger_call(&l, |l| l.set_batch_status(decode(text)?)),
        4 => ledger_call(&l, |l| l.load_catalog(&decode(text)?)),
        5 => ledger_call(&l, |l| l.register_batch(decode(text)?)),
        6 => ledger_call(&l, |l| l.stock(&decode(text)?)),
        _ => ledger_call(&l, |l| l.stock_card(&decode(text)?)),
    }
    replays(&l);
});

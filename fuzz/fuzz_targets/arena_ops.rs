//! Fuzzes an arena with the model test's operations: the input bytes decode
//! into a first generation and a sequence of `Op`s (core/tests/model/ops.rs),
//! which run on a real arena and on the reference model, compared after
//! every step. Any disagreement panics, which the fuzzer reports.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../core/tests/model/check.rs"]
mod check;
#[path = "../../core/tests/model/harness.rs"]
mod harness;
#[path = "../../core/tests/model/lifecycle.rs"]
mod lifecycle;
#[path = "../../core/tests/model/ops.rs"]
mod ops;
#[path = "../../core/tests/model/payload.rs"]
mod payload;
#[path = "../../core/tests/model/reference.rs"]
mod reference;

fuzz_target!(|data: &[u8]| {
    let (first_generation, ops) = ops::decode(data);
    harness::run(first_generation, &ops);
});

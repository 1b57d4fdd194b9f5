//! The atomics the strong-count protocol runs on: `std`'s, or loom's when
//! the crate is built with `--cfg loom` to model-check that protocol (see
//! `tests/loom_strong.rs`).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicU64};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{fence, AtomicU64};

/// Waits a moment for another thread to finish a short critical step.
#[cfg(loom)]
pub(crate) fn spin_loop() {
    loom::thread::yield_now();
}

/// Waits a moment for another thread to finish a short critical step.
#[cfg(not(loom))]
pub(crate) fn spin_loop() {
    std::hint::spin_loop();
}

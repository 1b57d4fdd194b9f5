//! The atomics the lock-free protocols run on (the count word, the death
//! stack and its counts): `std`'s, or loom's when the crate is built with
//! `--cfg loom` to model-check them (see `tests/loom_strong.rs`). Also the
//! poison-tolerant `lock` every mutex here goes through.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicU64};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{fence, AtomicU64};

use std::sync::{Mutex, MutexGuard};

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

/// Locks a mutex, recovering the data if a panicking thread poisoned it:
/// every critical section in this crate leaves its data consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

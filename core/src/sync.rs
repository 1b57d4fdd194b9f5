//! The atomics the strong-count protocol runs on: `std`'s, or loom's when
//! the crate is built with `--cfg loom` to model-check that protocol (see
//! `tests/loom_strong.rs`).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{fence, AtomicU64};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{fence, AtomicU64};

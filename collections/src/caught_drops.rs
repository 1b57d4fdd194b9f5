//! Drops that cannot abort: a `clear` drops every stored value even when
//! some of their `Drop`s panic, then resumes the first panic.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

/// Drops values one at a time, each under `catch_unwind`, so a panicking
/// `Drop` neither stops the work nor meets a second panic during unwinding
/// (which aborts the process). The first panic is kept for
/// [`resume`](CaughtDrops::resume); later ones are leaked, as the sweeps
/// leak a payload, since a payload's own `Drop` may panic too.
#[derive(Default)]
pub(crate) struct CaughtDrops {
    first: Option<Box<dyn Any + Send>>,
}

impl CaughtDrops {
    /// Drops `value`, catching a panic of its `Drop`.
    pub(crate) fn drop<V>(&mut self, value: V) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| drop(value))) {
            match self.first {
                None => self.first = Some(payload),
                Some(_) => std::mem::forget(payload),
            }
        }
    }

    /// Once every value is dropped: resumes the first panic caught, if any.
    pub(crate) fn resume(self) {
        if let Some(payload) = self.first {
            resume_unwind(payload);
        }
    }
}

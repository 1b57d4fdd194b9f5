//! Drops that cannot abort: a `clear`, a `retain` or a map's `Drop` drops
//! every stored value (or key copy) even when some of their `Drop`s panic,
//! then resumes the first panic.

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
    /// Drops `value`, catching a panic of its `Drop`. A type with no drop
    /// glue cannot panic there: it is dropped with no `catch_unwind`.
    #[inline]
    pub(crate) fn drop<V>(&mut self, value: V) {
        if std::mem::needs_drop::<V>() {
            self.catch(|| drop(value));
        }
    }

    /// Runs `work` (which drops stored values), catching a panic.
    pub(crate) fn catch(&mut self, work: impl FnOnce()) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(work)) {
            match self.first {
                None => self.first = Some(payload),
                Some(_) => std::mem::forget(payload),
            }
        }
    }

    /// Once every value is dropped: resumes the first panic caught, if any.
    /// While the thread is already unwinding (a map dropped during another
    /// panic), the payload is leaked instead: a second panic would abort.
    pub(crate) fn resume(self) {
        match self.first {
            Some(payload) if std::thread::panicking() => std::mem::forget(payload),
            Some(payload) => resume_unwind(payload),
            None => {}
        }
    }

    /// [`resume`](CaughtDrops::resume), handing back `result` when nothing
    /// panicked (or the thread is already unwinding); after a panic
    /// `result` is dropped here first, since dropping it while unwinding
    /// could panic a second time.
    pub(crate) fn finish<R>(mut self, result: R) -> R {
        if self.first.is_none() || std::thread::panicking() {
            std::mem::forget(self.first);
            return result;
        }
        self.drop(result);
        self.resume();
        unreachable!("a caught panic was resumed")
    }
}

//! Helpers shared by the core integration tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A payload that counts its drops in a shared counter.
pub(crate) struct DropCounter {
    pub(crate) name: &'static str,
    pub(crate) drops: Arc<AtomicUsize>,
}

impl DropCounter {
    pub(crate) fn new(name: &'static str, drops: &Arc<AtomicUsize>) -> DropCounter {
        DropCounter { name, drops: Arc::clone(drops) }
    }
}

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// A shared log that callbacks push lines into.
#[derive(Clone, Default)]
pub(crate) struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    pub(crate) fn push(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// A closure that logs `line` when called with anything.
    pub(crate) fn on<A>(&self, line: &str) -> impl FnOnce(A) + Send + 'static {
        let log = self.clone();
        let line = line.to_owned();
        move |_| log.push(line)
    }

    /// A finalizer body that logs `line`.
    pub(crate) fn fin(&self, line: &str) -> impl FnOnce() + Send + 'static {
        let log = self.clone();
        let line = line.to_owned();
        move || log.push(line)
    }
}

/// `n` divided by the `WEAKARENA_TEST_SCALE` environment variable (at least
/// 1): CI's Miri step shrinks the threaded tests' loops with it.
pub(crate) fn scaled(n: usize) -> usize {
    let divisor =
        std::env::var("WEAKARENA_TEST_SCALE").ok().and_then(|scale| scale.parse().ok()).unwrap_or(1);
    (n / divisor.max(1)).max(1)
}

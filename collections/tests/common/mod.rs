//! Helpers shared by the collections tests.

use weakarena_core::{Arena, Strong};

/// An arena holding `0..n`, with the strong handles.
pub(crate) fn arena_with(n: usize) -> (Arena<usize>, Vec<Strong<usize>>) {
    let mut arena = Arena::new();
    let handles = (0..n).map(|i| arena.insert(i)).collect();
    (arena, handles)
}

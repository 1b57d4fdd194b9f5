//! A frame end's allocations follow the arenas, not the collections: the
//! sweeps of many collections allocate nothing of their own per frame.

#![allow(unsafe_code, reason = "a counting global allocator must implement the unsafe GlobalAlloc")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use weakarena_collections::{end_frame_all, Sweep, WeakSet};
use weakarena_core::{Arena, Strong};

/// The system allocator, counting this thread's allocations.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to `System` unchanged; the counter is a
// thread-local `Cell` with a `const` initialiser, which allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations (and reallocations) made by one frame end over `sets`
/// selections of the same 500 of 1,000 objects, of which 200 die: dense
/// deaths, so the sets stream over their members.
fn frame_end_allocations(sets: usize) -> usize {
    let mut arena = Arena::new();
    let mut objects: Vec<Strong<u32>> = (0..1000).map(|i| arena.insert(i)).collect();
    let mut selections: Vec<WeakSet<u32>> = (0..sets).map(|_| WeakSet::new(&arena)).collect();
    for selection in &mut selections {
        selection.extend(objects.iter().step_by(2));
    }
    drop(objects.drain(..200));
    let mut collections: Vec<&mut dyn Sweep> =
        selections.iter_mut().map(|set| set as &mut dyn Sweep).collect();
    let before = ALLOCATIONS.with(Cell::get);
    let end = end_frame_all(&mut [&mut arena], &mut collections);
    let allocations = ALLOCATIONS.with(Cell::get) - before;
    assert_eq!(end.deaths(), 200);
    assert_eq!(end.swept(), 100 * sets);
    drop(collections);
    assert!(selections.iter().all(|set| set.len() == 400));
    allocations
}

#[test]
fn sweeping_more_collections_allocates_nothing_more() {
    let one = frame_end_allocations(1);
    assert_eq!(frame_end_allocations(4), one, "four streaming sweeps allocate what one does");
    assert_eq!(frame_end_allocations(16), one);
}

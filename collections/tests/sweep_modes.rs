//! What a sweep reports as its mode: the dense map takes each death by
//! index, so it reports `Deaths` where the hashed tables would stream.

use weakarena_collections::{SparseWeakKeyMap, Sweep, SweepMode, WeakKeyMap};
use weakarena_core::Arena;

#[test]
fn many_deaths_stream_through_a_hashed_map_and_go_by_index_in_a_dense_one() {
    let mut arena = Arena::new();
    let mut objects: Vec<_> = (0..10).map(|i| arena.insert(i)).collect();
    let dense = WeakKeyMap::from_iter_in(&arena, objects.iter().map(|object| (object, ())));
    let sparse = SparseWeakKeyMap::from_iter_in(&arena, objects.iter().map(|object| (object, ())));
    objects.truncate(2); // eight of ten die: enough to stream
    let report = arena.end_frame();
    let (mut dense, mut sparse) = (dense, sparse);
    let (by_index, streamed) = (dense.sweep(&report), sparse.sweep(&report));
    assert_eq!(streamed.mode, SweepMode::Stream);
    assert_eq!(by_index.mode, SweepMode::Deaths);
    assert_eq!((by_index.removed, streamed.removed), (8, 8));
}

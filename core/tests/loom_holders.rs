//! Loom model checks of the holder word of an object's shared callback-less
//! reference (`src/holder_word.rs`): handles made and dropped on any thread
//! count exactly, and handles of a dead object never touch the count of the
//! slot's next occupant, whichever lands first.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p weakarena-core --test loom_holders --release`.
#![cfg(loom)]

use loom::sync::atomic::AtomicU64;
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering;

use weakarena_core::holder_word::{enter_held, enter_live, holders, leave, pack};

fn word_with(generation: u32, count: u32) -> Arc<AtomicU64> {
    Arc::new(AtomicU64::new(pack(generation, count)))
}

#[test]
fn handles_made_and_dropped_on_two_threads_count_exactly() {
    loom::model(|| {
        let word = word_with(3, 1);
        let other = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                assert!(enter_held(&word, 3));
                leave(&word, 3);
                assert!(enter_live(&word, 3));
            }
        });
        assert!(enter_live(&word, 3));
        leave(&word, 3);
        other.join().unwrap();
        assert_eq!(word.load(Ordering::Relaxed), pack(3, 2));
    });
}

#[test]
fn a_dead_objects_handles_never_count_for_the_next_occupant() {
    // Generation 3's object is dead with two handles out; a clone and two
    // drops of them race the first reference to generation 4's object.
    loom::model(|| {
        let word = word_with(3, 2);
        let stale = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                assert!(enter_held(&word, 3));
                leave(&word, 3);
                leave(&word, 3);
            }
        });
        assert!(enter_live(&word, 4));
        stale.join().unwrap();
        let word = word.load(Ordering::Relaxed);
        assert_eq!((holders(word, 4), holders(word, 3)), (1, 0), "{word:#x}");
    });
}

#[test]
fn the_last_drop_and_a_new_reference_leave_one_handle() {
    loom::model(|| {
        let word = word_with(5, 1);
        let dropper = thread::spawn({
            let word = Arc::clone(&word);
            move || leave(&word, 5)
        });
        assert!(enter_live(&word, 5));
        dropper.join().unwrap();
        assert_eq!(holders(word.load(Ordering::Relaxed), 5), 1);
    });
}

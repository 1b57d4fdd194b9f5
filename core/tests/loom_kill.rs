//! Loom model checks of the forced death (`count_word::kill`, behind
//! `Arena::kill`) racing the strong handles other threads hold: a kill and
//! a last drop agree on one death, an upgrade never succeeds after a kill,
//! and clones and drops of a killed object still count down to exactly one
//! observed death (the one that lets the frame end recycle its slot).
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p weakarena-core --test loom_kill --release`.
#![cfg(loom)]

use loom::sync::atomic::AtomicU64;
use loom::sync::Arc;
use loom::thread;
use std::sync::atomic::Ordering;

use weakarena_core::count_word::{count_of, decrement, increment, is_live, kill, pack, try_upgrade};

const GENERATION: u32 = 7;

fn word_with(count: u32) -> Arc<AtomicU64> {
    Arc::new(AtomicU64::new(pack(GENERATION, count)))
}

#[test]
fn a_kill_racing_the_last_drop_leaves_one_death_for_the_drop() {
    loom::model(|| {
        let word = word_with(1);
        let dropper = thread::spawn({
            let word = Arc::clone(&word);
            move || decrement(&word)
        });
        let killed = kill(&word, GENERATION);
        let dropper_saw_death = dropper.join().unwrap();
        assert!(dropper_saw_death, "the last drop queues the death, killed or not");
        assert!(!is_live(word.load(Ordering::Relaxed)));
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 0);
        assert!(!kill(&word, GENERATION), "dead stays dead");
        let _ = killed; // either order is fine: killed first, or already dead
    });
}

#[test]
fn an_upgrade_racing_a_kill_never_returns_a_handle_after_it() {
    loom::model(|| {
        let word = word_with(1);
        let upgrader = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                let upgraded = try_upgrade(&word, GENERATION).unwrap();
                let live_after = is_live(word.load(Ordering::Acquire));
                let last = upgraded && decrement(&word);
                (upgraded, live_after, last)
            }
        });
        assert!(kill(&word, GENERATION), "the object had a holder: the kill finds it alive");
        assert!(!try_upgrade(&word, GENERATION).unwrap(), "no upgrade after the kill");
        let (_upgraded, _live_after, upgrader_last) = upgrader.join().unwrap();
        assert!(!upgrader_last, "the main thread still holds its count");
        assert!(decrement(&word), "the last holder observes the death");
        assert_eq!(count_of(word.load(Ordering::Relaxed)), 0);
    });
}

#[test]
fn clones_and_drops_of_a_killed_object_count_down_to_one_death() {
    loom::model(|| {
        let word = word_with(2);
        let other = thread::spawn({
            let word = Arc::clone(&word);
            move || {
                increment(&word).unwrap();
                decrement(&word) | decrement(&word)
            }
        });
        let killed = kill(&word, GENERATION);
        let here = decrement(&word);
        let there = other.join().unwrap();
        assert!(killed, "a holder was counted throughout");
        assert!(here ^ there, "exactly one death: here {here}, there {there}");
        assert!(!is_live(word.load(Ordering::Relaxed)));
    });
}

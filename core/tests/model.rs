//! Model-based property tests: random operation sequences run on a real
//! arena and on a plain-Rust reference model, every observable compared
//! after every step (see `model/check.rs`). `fuzz/fuzz_targets/arena_ops.rs`
//! runs the same harness on fuzzer input.

#[path = "model/check.rs"]
mod check;
#[path = "model/harness.rs"]
mod harness;
#[path = "model/lifecycle.rs"]
mod lifecycle;
#[path = "model/ops.rs"]
mod ops;
#[path = "model/payload.rs"]
mod payload;
#[path = "model/reference.rs"]
mod reference;

use proptest::prelude::*;

use ops::{decode, Op, OP_BYTES};

fn op() -> impl Strategy<Value = Op> {
    (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(tag, a, b)| Op::from_parts(tag, a, b))
}

fn first_generation() -> impl Strategy<Value = u32> {
    prop_oneof![Just(1), Just(u32::MAX - 2)]
}

proptest! {
    #[test]
    fn the_arena_agrees_with_the_model(first in first_generation(), ops in prop::collection::vec(op(), 0..192)) {
        harness::run(first, &ops);
    }

    /// The fuzz target's input path: raw bytes decoded into operations.
    #[test]
    fn decoded_bytes_agree_with_the_model(bytes in prop::collection::vec(any::<u8>(), 0..(1 + 64 * OP_BYTES))) {
        let (first, ops) = decode(&bytes);
        harness::run(first, &ops);
    }
}

#[test]
fn decoding_reaches_every_operation() {
    let decoded: Vec<Op> = (0..=u8::MAX).map(|tag| Op::from_parts(tag, 0, 1)).collect();
    let kinds: std::collections::HashSet<_> = decoded.iter().map(std::mem::discriminant).collect();
    assert_eq!(kinds.len(), 20);
    assert_eq!(decode(&[1, 0, 0, 0]), (u32::MAX - 2, vec![Op::Insert]));
}

/// A scripted run through every operation, so a change in the harness that
/// skips them all cannot pass unnoticed.
#[test]
fn a_scripted_run_covers_cascades_callbacks_and_finalizers() {
    let ops = [
        Op::Insert,
        Op::Insert,
        Op::WeakRef { of: 0, callback: true },
        Op::Proxy { of: 0, callback: false },
        Op::Proxy { of: 0, callback: false },
        Op::Finalizer { of: 0, holds: None },
        Op::WeakRef { of: 1, callback: false },
        Op::CloneRef(2),
        Op::Downgrade(1),
        Op::Nest { child: 1, parent: 0 },
        Op::DropStrong(0),
        Op::EndFrame,
        Op::Upgrade(0),
        Op::Insert,
        Op::Finalizer { of: 0, holds: Some(1) },
        Op::SetAtexit { of: 0, on: false },
        Op::Finalizer { of: 0, holds: None },
        Op::Peek(1),
        Op::Detach(1),
        Op::Call(0),
        Op::DropFinalizer(0),
        Op::DropRef(0),
        Op::CloneStrong(0),
        Op::WeakMethod { of: 0, callback: true },
        Op::WeakMethod { of: 0, callback: false },
        Op::CloneRef(3),
        Op::AddMembership(1),
        Op::AddMembership(0),
        Op::RemoveMembership(0),
        Op::EndFrame,
    ];
    harness::run(1, &ops);
}

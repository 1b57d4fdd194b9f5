//! The operations the model test and the fuzz target drive an arena with,
//! and their decoding from raw bytes (what the fuzzer and the property test
//! both generate, so they explore the same space).
//!
//! Every selector (`u8`) picks an element of the matching list of held
//! handles modulo its length; an operation on an empty list does nothing.

/// One step applied to the real arena and to the reference model.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Op {
    /// `arena.insert(value)`: a new object with one strong handle.
    Insert,
    /// Clones a held strong handle.
    CloneStrong(u8),
    /// Drops a held strong handle (Python's `del`).
    DropStrong(u8),
    /// Keeps a plain weak handle to a strong handle's object.
    Downgrade(u8),
    /// `arena.upgrade(weak)`: keeps the strong handle when it succeeds.
    Upgrade(u8),
    /// `WeakRef::new` / `WeakRef::with_callback` on a strong handle's object.
    WeakRef { of: u8, callback: bool },
    /// `Proxy::new` / `Proxy::with_callback` on a strong handle's object.
    Proxy { of: u8, callback: bool },
    /// `WeakMethod::new` / `WeakMethod::with_callback` on a strong handle's object.
    WeakMethod { of: u8, callback: bool },
    /// Clones a held `WeakRef` or `Proxy` (the same tracked reference);
    /// weak methods are not `Clone`, so nothing happens for them.
    CloneRef(u8),
    /// Drops a held `WeakRef`, `Proxy` or `WeakMethod` (cancels its callback
    /// when last).
    DropRef(u8),
    /// `Finalizer::new` on a strong handle's object; with `holds`, its
    /// closure takes a held strong handle along (released when it runs, is
    /// detached, or is dropped unrun) — even its own object's, which then
    /// lives until the finalizer is called.
    Finalizer { of: u8, holds: Option<u8> },
    /// Drops a held `Finalizer` (which does not cancel it).
    DropFinalizer(u8),
    /// `Finalizer::detach`: keeps the strong handle it gives back.
    Detach(u8),
    /// `Finalizer::call`.
    Call(u8),
    /// `Finalizer::set_atexit`.
    SetAtexit { of: u8, on: bool },
    /// `Finalizer::peek` (the handle it returns is dropped at once).
    Peek(u8),
    /// Moves a held strong handle into the value of another held handle's
    /// object (possibly the same one: a cycle that never dies).
    Nest { child: u8, parent: u8 },
    /// `SlotTable::add_membership` through a held weak handle (what a weak
    /// collection does per entry); kept when it succeeds.
    AddMembership(u8),
    /// `SlotTable::remove_membership` of a kept membership.
    RemoveMembership(u8),
    /// `arena.end_frame()`.
    EndFrame,
}

/// Bytes per operation in [`decode`].
pub const OP_BYTES: usize = 3;

impl Op {
    /// The operation a tag byte and two argument bytes stand for; the tag
    /// ranges weight the operations (more inserts and drops than peeks).
    pub fn from_parts(tag: u8, a: u8, b: u8) -> Op {
        let flag = b & 1 == 1;
        match tag % 35 {
            0..=3 => Op::Insert,
            4..=6 => Op::CloneStrong(a),
            7..=10 => Op::DropStrong(a),
            11..=12 => Op::Downgrade(a),
            13..=14 => Op::Upgrade(a),
            15..=16 => Op::WeakRef { of: a, callback: flag },
            17 => Op::Proxy { of: a, callback: flag },
            18 => Op::CloneRef(a),
            19..=20 => Op::DropRef(a),
            21..=22 => Op::Finalizer { of: a, holds: flag.then_some(b >> 1) },
            23 => Op::DropFinalizer(a),
            24 => Op::Detach(a),
            25 => Op::Call(a),
            26 => Op::SetAtexit { of: a, on: flag },
            27 => Op::Peek(a),
            28 => Op::Nest { child: a, parent: b },
            29 => Op::WeakMethod { of: a, callback: flag },
            30 => Op::AddMembership(a),
            31 => Op::RemoveMembership(a),
            _ => Op::EndFrame,
        }
    }
}

/// Decodes a byte string: the first byte picks the arena's first generation
/// (odd: close enough to `u32::MAX` that slots retire), then every
/// [`OP_BYTES`] bytes make one operation.
pub fn decode(bytes: &[u8]) -> (u32, Vec<Op>) {
    let Some((&first, rest)) = bytes.split_first() else {
        return (1, Vec::new());
    };
    let first_generation = if first & 1 == 1 { u32::MAX - 2 } else { 1 };
    let ops = rest.chunks_exact(OP_BYTES).map(|op| Op::from_parts(op[0], op[1], op[2])).collect();
    (first_generation, ops)
}

/// The element of a list of `len` that selector `at` picks, if any.
pub fn pick(at: u8, len: usize) -> Option<usize> {
    (len > 0).then(|| at as usize % len)
}

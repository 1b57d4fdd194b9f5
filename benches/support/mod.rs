//! What the benches share: the payload type, a seeded RNG, and criterion
//! settings sized for a 2-core machine.

#![allow(dead_code, reason = "each bench uses a different part")]

use std::time::Duration;

use criterion::{measurement::WallTime, BenchmarkGroup, SamplingMode};

/// The arena payload of every bench: 64 bytes, like a small game component.
pub type Payload = [u64; 8];

/// The payload stored for key number `i`.
pub fn payload(i: u64) -> Payload {
    [i; 8]
}

/// SplitMix64: a seeded, reproducible RNG, so every implementation kills
/// the same sequence of key positions.
pub struct Rng(u64);

impl Rng {
    /// An RNG seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: usize) -> usize {
        ((self.next_u64() as u128 * bound as u128) >> 64) as usize
    }

    /// Shuffles `items` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Short, flat sampling: twenty samples (medians that hold up when other
/// jobs share the cores), the time budget scaled to the work, so the whole
/// grid runs in minutes on two cores.
pub fn configure(group: &mut BenchmarkGroup<'_, WallTime>, warm_up_ms: u64, measure_ms: u64) {
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(warm_up_ms))
        .measurement_time(Duration::from_millis(measure_ms));
}

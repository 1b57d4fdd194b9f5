//! Seeded random numbers that never depend on the thread count.
//!
//! Every draw comes from a [`Rng`] seeded by *what* it is for — the run's
//! seed, the agent's id, the frame and a [`Stream`] — never by the order in
//! which threads happen to ask. A parallel system therefore draws exactly the
//! numbers a sequential one would.

/// What a generator is for; mixed into its seed so purposes never share draws.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Stream {
    /// Initial placement of an agent.
    Spawn,
    /// An agent's wandering this frame.
    Wander,
    /// Whether and where an agent gives birth this frame.
    Birth,
    /// Where the selection box goes.
    Selection,
}

/// SplitMix64: tiny, fast, and good enough for a simulation.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

/// The SplitMix64 finalizer: spreads the bits of `z` over all 64 bits.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng { state: mix64(seed ^ 0x6A09_E667_F3BC_C908) }
    }

    /// The generator for one purpose of one agent (or other subject) in one frame.
    pub fn for_draw(seed: u64, subject: u64, frame: u64, stream: Stream) -> Rng {
        let lane = mix64(subject.wrapping_add(0x9E37_79B9_7F4A_7C15));
        let time = mix64(frame ^ ((stream as u64 + 1) << 56));
        Rng::new(seed ^ lane ^ time.rotate_left(17))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.state)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// A float in `[low, high)`.
    pub fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    /// An integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * n as u64) >> 32) as u32
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_depend_only_on_their_seed() {
        let a = Rng::for_draw(7, 3, 10, Stream::Wander).next_u64();
        let b = Rng::for_draw(7, 3, 10, Stream::Wander).next_u64();
        let c = Rng::for_draw(7, 3, 10, Stream::Birth).next_u64();
        let d = Rng::for_draw(7, 4, 10, Stream::Wander).next_u64();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn ranges_stay_in_bounds() {
        let mut rng = Rng::new(1);
        for _ in 0..10_000 {
            let x = rng.range(-2.0, 3.0);
            assert!((-2.0..3.0).contains(&x));
            assert!(rng.below(7) < 7);
        }
    }
}

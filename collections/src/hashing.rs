//! Hashing handles: they are already unique 64-bit numbers, so one
//! multiply-fold mixes them for the hash table.

use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for handle bits: one 128-bit multiply, folded.
#[derive(Default, Clone, Copy)]
pub(crate) struct HandleHasher(u64);

impl Hasher for HandleHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(self.0 ^ byte as u64);
        }
    }

    #[inline]
    fn write_u64(&mut self, bits: u64) {
        self.0 = mix(self.0 ^ bits);
    }
}

/// Builds [`HandleHasher`]s.
pub(crate) type BuildHandleHasher = BuildHasherDefault<HandleHasher>;

/// Spreads the bits of a handle over all 64 bits.
#[inline]
pub(crate) fn mix(bits: u64) -> u64 {
    let product = (bits as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    (product as u64) ^ ((product >> 64) as u64)
}

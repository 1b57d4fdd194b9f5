//! Growable storage whose elements never move: segment `s` holds `64 << s`
//! slots and is allocated once, so other threads can keep reading a slot
//! while the arena's owner grows the table.

use std::sync::atomic::AtomicU64;
use std::sync::OnceLock;

/// Slots in the first segment.
const FIRST_SEGMENT_LEN: u64 = 64;
/// Enough segments for every `u32` index.
const SEGMENTS: usize = 27;

/// The two words each slot keeps in the side table.
pub(crate) struct SlotWords {
    /// `generation << 32 | strong count` (see `count_word`).
    pub(crate) strong: crate::sync::AtomicU64,
    /// `generation << 32 | weak-collection memberships`.
    pub(crate) members: AtomicU64,
}

/// A segmented array of [`SlotWords`] with stable addresses.
pub(crate) struct Segments {
    segments: [OnceLock<Box<[SlotWords]>>; SEGMENTS],
}

/// Which segment holds `index`, and where in it.
#[inline]
fn locate(index: u32) -> (usize, usize) {
    let scaled = (index as u64 / FIRST_SEGMENT_LEN) + 1;
    let segment = 63 - scaled.leading_zeros() as u64;
    let start = ((1u64 << segment) - 1) * FIRST_SEGMENT_LEN;
    (segment as usize, (index as u64 - start) as usize)
}

impl Segments {
    pub(crate) fn new() -> Segments {
        Segments { segments: std::array::from_fn(|_| OnceLock::new()) }
    }

    /// The slot at `index`, or `None` if no segment holds it yet.
    #[inline]
    pub(crate) fn get(&self, index: u32) -> Option<&SlotWords> {
        let (segment, offset) = locate(index);
        self.segments[segment].get().map(|words| &words[offset])
    }

    /// The slot at `index`, allocating its segment (zeroed words) if needed.
    ///
    /// Inlined: every strong clone and drop comes through here, from the
    /// crate that instantiates `Strong<T>`; the allocation stays out of line.
    #[inline]
    pub(crate) fn get_or_grow(&self, index: u32) -> &SlotWords {
        let (segment, offset) = locate(index);
        match self.segments[segment].get() {
            Some(words) => &words[offset],
            None => &self.grow(segment)[offset],
        }
    }

    /// Allocates segment `segment` (unless another thread just did).
    #[cold]
    #[inline(never)]
    fn grow(&self, segment: usize) -> &[SlotWords] {
        self.segments[segment].get_or_init(|| {
            let len = (FIRST_SEGMENT_LEN << segment) as usize;
            (0..len)
                .map(|_| SlotWords { strong: crate::sync::AtomicU64::new(0), members: AtomicU64::new(0) })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_covers_indices_contiguously() {
        assert_eq!(locate(0), (0, 0));
        assert_eq!(locate(63), (0, 63));
        assert_eq!(locate(64), (1, 0));
        assert_eq!(locate(191), (1, 127));
        assert_eq!(locate(192), (2, 0));
        let (segment, offset) = locate(u32::MAX);
        assert!(segment < SEGMENTS);
        assert!((offset as u64) < (FIRST_SEGMENT_LEN << segment));
    }

    #[test]
    fn slots_keep_their_address_when_the_table_grows() {
        let segments = Segments::new();
        let first = segments.get_or_grow(5) as *const SlotWords;
        for index in 0..10_000 {
            segments.get_or_grow(index);
        }
        assert_eq!(segments.get(5).map(|s| s as *const SlotWords), Some(first));
        assert!(segments.get(1 << 20).is_none());
    }
}

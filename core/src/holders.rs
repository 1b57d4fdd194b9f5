//! Where the holder words (`holder_word.rs`) of the objects' shared
//! callback-less references live: two per slot (the basic `WeakRef` and the
//! basic `Proxy`), in pages made the first time a slot of theirs gets one,
//! so an arena whose objects never get a shared reference holds none.
//!
//! Pages are found without a lock through a three-level directory of
//! `OnceLock`s (slot index bits 31..21, 20..10, 9..0) and never freed
//! before the registry, so a reference finds its word again at its drop.

use std::sync::OnceLock;

use crate::registry::TrackedKind;
use crate::sync::AtomicU64;

/// log2 of the slots per page.
const PAGE_SHIFT: u32 = 10;
const PAGE_LEN: usize = 1 << PAGE_SHIFT;
/// log2 of the pages per middle block.
const MID_SHIFT: u32 = 11;
const MID_LEN: usize = 1 << MID_SHIFT;
/// Middle blocks: enough for every `u32` index.
const TOP_LEN: usize = 1 << (32 - PAGE_SHIFT - MID_SHIFT);

/// One slot's words: the basic reference's, then the basic proxy's.
type Words = [AtomicU64; 2];
type Page = [Words; PAGE_LEN];
type Mid = [OnceLock<Box<Page>>; MID_LEN];
type Top = [OnceLock<Box<Mid>>; TOP_LEN];

/// The holder words of one arena's slots.
#[derive(Default)]
pub(crate) struct Holders {
    top: OnceLock<Box<Top>>,
}

/// A boxed array of `N` values made by `make`, built on the heap.
fn boxed<T, const N: usize>(make: impl FnMut(usize) -> T) -> Box<[T; N]> {
    let items: Box<[T]> = (0..N).map(make).collect();
    match items.try_into() {
        Ok(array) => array,
        Err(_) => unreachable!("weakarena: {N} items were made"),
    }
}

/// Which of a slot's words holds `kind`'s count (only the two shared kinds
/// have one).
fn position(kind: TrackedKind) -> usize {
    match kind {
        TrackedKind::Proxy => 1,
        _ => 0,
    }
}

/// The three directory positions of slot `index`.
fn split(index: u32) -> (usize, usize, usize) {
    let index = index as usize;
    (index >> (PAGE_SHIFT + MID_SHIFT), (index >> PAGE_SHIFT) & (MID_LEN - 1), index & (PAGE_LEN - 1))
}

impl Holders {
    /// Slot `index`'s word for `kind`, if its page was ever made.
    #[inline]
    pub(crate) fn word(&self, index: u32, kind: TrackedKind) -> Option<&AtomicU64> {
        let (top, mid, at) = split(index);
        let page = self.top.get()?[top].get()?[mid].get()?;
        Some(&page[at][position(kind)])
    }

    /// Slot `index`'s word for `kind`, making its page (and the directory
    /// blocks above it) if this is the first.
    #[inline]
    pub(crate) fn word_or_make(&self, index: u32, kind: TrackedKind) -> &AtomicU64 {
        match self.word(index, kind) {
            Some(word) => word,
            None => self.make(index, kind),
        }
    }

    #[cold]
    fn make(&self, index: u32, kind: TrackedKind) -> &AtomicU64 {
        let (top, mid, at) = split(index);
        let mids = self.top.get_or_init(|| boxed(|_| OnceLock::new()));
        let pages = mids[top].get_or_init(|| boxed(|_| OnceLock::new()));
        let page = pages[mid].get_or_init(|| boxed(|_| [AtomicU64::new(0), AtomicU64::new(0)]));
        &page[at][position(kind)]
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn each_slot_and_kind_has_its_own_word_made_on_first_use() {
        let holders = Holders::default();
        assert!(holders.word(5, TrackedKind::Ref).is_none(), "nothing is made before use");
        let indices = [0, 5, PAGE_LEN as u32, (PAGE_LEN * MID_LEN) as u32 + 3, u32::MAX];
        for (n, &index) in indices.iter().enumerate() {
            holders.word_or_make(index, TrackedKind::Ref).store(2 * n as u64, Ordering::Relaxed);
            holders.word_or_make(index, TrackedKind::Proxy).store(2 * n as u64 + 1, Ordering::Relaxed);
        }
        for (n, &index) in indices.iter().enumerate() {
            let read = |kind| holders.word(index, kind).map(|word| word.load(Ordering::Relaxed));
            assert_eq!(
                (read(TrackedKind::Ref), read(TrackedKind::Proxy)),
                (Some(2 * n as u64), Some(2 * n as u64 + 1))
            );
        }
        assert_eq!(
            holders.word(6, TrackedKind::Ref).map(|w| w.load(Ordering::Relaxed)),
            Some(0),
            "same page"
        );
        assert!(holders.word(PAGE_LEN as u32 * 2, TrackedKind::Ref).is_none(), "another page is not made");
    }
}

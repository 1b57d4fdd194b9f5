//! An arena on the wire: every slot's generation, the free list in reuse
//! order, the frame counter and limits, each live object's strong count
//! and value, and each killed object's outstanding strong handles. Retired
//! slots are those neither live, killed nor free.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::load_scope::{with_entry, Entry, Saved};
use super::save_scope::saving_arena;
use super::{ArenaKey, Bookkeeping, LoadError, SaveError};
use crate::arena::Arena;
use crate::count_word;
use crate::generation::Generation;
use crate::handle::RawHandle;
use crate::slot_table::SlotTable;
use crate::strong::Strong;

/// What is saved of an arena; `V` is `&T` when saving, `T` when loading.
#[derive(Serialize, Deserialize)]
struct ArenaImage<V> {
    key: ArenaKey,
    frame: u64,
    first_generation: u32,
    slot_limit: u32,
    /// Per slot: the generation its word holds (a live object's; a vacant
    /// slot's next occupant's; a retired slot's last).
    generations: Vec<u32>,
    /// Vacant slots, in the order inserts take them (last first).
    free: Vec<u32>,
    /// Live objects in slot order: slot, strong count, value.
    live: Vec<(u32, u32, V)>,
    /// Objects killed ([`Arena::kill`]) and reclaimed, in slot order: slot
    /// and the strong handles still out. Dead, valueless; their slots wait
    /// for those handles to drop. Absent from files of worlds without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    killed: Vec<(u32, u32)>,
}

impl<T: Serialize> Serialize for Arena<T> {
    /// The arena's slots and values, inside a [`SaveScope`](super::SaveScope).
    /// Fails with [`SaveError::PendingDeaths`] if objects died since the
    /// last frame end.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.has_pending_deaths() {
            return Err(S::Error::custom(SaveError::PendingDeaths(self.id())));
        }
        let key = saving_arena(self.id()).map_err(S::Error::custom)?;
        image_of(self, key).serialize(serializer)
    }
}

fn image_of<T>(arena: &Arena<T>, key: ArenaKey) -> ArenaImage<&T> {
    let kept = arena.bookkeeping();
    let slots = arena.slots_ref();
    let mut generations = Vec::with_capacity(slots.len() as usize);
    let mut live = Vec::with_capacity(arena.len());
    let mut killed = Vec::new();
    let held = arena.kills.held_slots();
    for index in 0..slots.len() {
        let word = slots.slot(index).expect("an allocated slot").word.load(Ordering::Acquire);
        let generation = count_word::generation_bits(word);
        generations.push(generation);
        if count_word::is_live(word) {
            let raw = RawHandle::new(index, Generation::new(generation).expect("a live slot's generation"));
            let value = arena.get(crate::Weak::from_raw(raw)).expect("a live slot holds a value");
            live.push((index, count_word::count_of(word), value));
        } else if held.binary_search(&index).is_ok() && count_word::count_of(word) > 0 {
            killed.push((index, count_word::count_of(word)));
        }
    }
    ArenaImage {
        key,
        frame: kept.frame,
        first_generation: kept.first_generation.get(),
        slot_limit: kept.slot_limit,
        generations,
        free: kept.free,
        live,
        killed,
    }
}

impl<'de, T: Deserialize<'de> + 'static> Deserialize<'de> for Arena<T> {
    /// The saved arena, inside a [`LoadScope`](super::LoadScope): the same
    /// slots, generations, free list and values; each strong count is
    /// restored by [`LoadScope::finish`](super::LoadScope::finish).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Arena<T>, D::Error> {
        // The values first: strong handles inside them reach the arena's
        // shell through the scope while they load.
        let image = ArenaImage::<T>::deserialize(deserializer)?;
        with_entry::<T, _>(image.key, |entry| install(entry, image)).map_err(D::Error::custom)
    }
}

/// Occupies `raw`'s slot in `shell` (adding slots up to it) with one strong
/// reference, the load's hold on the object.
pub(super) fn occupy<T>(shell: &mut Arena<T>, raw: RawHandle) -> Strong<T> {
    let slots = shell.slots_mut();
    while slots.len() <= raw.index() {
        slots.push();
    }
    slots.occupy(raw.index(), raw.generation());
    let ptr = slots.slot_ptr(raw.index()).expect("an allocated slot has a chunk");
    // SAFETY: `ptr` is the slot's address from its chunk base, in this
    // arena's `Slot<T>` chunks, and `occupy` just counted the handle.
    unsafe { Strong::from_counted_slot(ptr.cast(), raw) }
}

/// Fills the shell of `entry` in from `image`, after checking the image.
fn install<T>(entry: &mut Entry<T>, image: ArenaImage<T>) -> Result<Arena<T>, LoadError> {
    let key = entry.key;
    let bad = |reason: String| LoadError::BadArena { key, reason };
    check(&image, &entry.holds).map_err(bad)?;
    let mut arena = entry.shell.take().ok_or(LoadError::LoadedTwice(key))?;
    let first_generation = Generation::new(image.first_generation).expect("checked");
    let live: BTreeSet<u32> = image.live.iter().map(|(index, _, _)| *index).collect();
    let killed: BTreeSet<u32> = image.killed.iter().map(|(index, _)| *index).collect();
    while arena.slots_ref().len() < image.generations.len() as u32 {
        arena.slots_mut().push();
    }
    for (index, &generation) in image.generations.iter().enumerate() {
        let index = index as u32;
        let generation = Generation::new(generation).expect("checked");
        if live.contains(&index) || killed.contains(&index) {
            let raw = RawHandle::new(index, generation);
            entry.holds.entry(index).or_insert_with(|| occupy(&mut arena, raw));
        } else {
            let slots = arena.slots_ref();
            let word = &slots.slot(index).expect("an allocated slot").word;
            SlotTable::vacate(word, slots.side(index).expect("an allocated slot"), generation);
        }
    }
    let mut saved = BTreeMap::new();
    for (index, count, value) in image.live {
        arena.slots_mut().write(index, value);
        saved.insert(index, Saved { count, killed: false });
    }
    for &(index, count) in &image.killed {
        let generation = Generation::new(image.generations[index as usize]).expect("checked");
        arena.restore_killed(RawHandle::new(index, generation));
        saved.insert(index, Saved { count, killed: true });
    }
    let retired = image.generations.len() - live.len() - killed.len() - image.free.len();
    let kept = Bookkeeping {
        free: image.free,
        retired,
        first_generation,
        slot_limit: image.slot_limit,
        frame: image.frame,
    };
    arena.set_bookkeeping(kept);
    entry.saved = Some(saved);
    Ok(arena)
}

/// Why a list of saved objects (`what`: live or killed) cannot be: a slot
/// out of range, out of order or in `taken` (free, or listed before), or a
/// strong count of 0 or past the limit. Adds each slot to `taken`.
fn check_objects(
    what: &str,
    objects: impl Iterator<Item = (u32, u32)>,
    len: usize,
    taken: &mut BTreeSet<u32>,
) -> Result<(), String> {
    let mut previous = None;
    for (index, count) in objects {
        if index as usize >= len || previous.is_some_and(|p| p >= index) || !taken.insert(index) {
            return Err(format!("{what} slot {index} is out of range, out of order, or also free or live"));
        }
        if count == 0 || count > count_word::MAX_STRONG {
            return Err(format!("{what} slot {index} has strong count {count}"));
        }
        previous = Some(index);
    }
    Ok(())
}

/// Why `image` cannot be a saved arena, if it cannot; `holds` are the
/// objects already loaded through strong handles.
fn check<T, V>(image: &ArenaImage<V>, holds: &BTreeMap<u32, Strong<T>>) -> Result<(), String> {
    let len = image.generations.len();
    if len > image.slot_limit as usize {
        return Err(format!("{len} slots exceed the slot limit {}", image.slot_limit));
    }
    if image.first_generation == 0 || image.generations.contains(&0) {
        return Err("a generation is 0".to_owned());
    }
    let mut taken = BTreeSet::new();
    for &index in &image.free {
        if index as usize >= len || !taken.insert(index) {
            return Err(format!("free slot {index} is out of range or listed twice"));
        }
    }
    let live = image.live.iter().map(|&(index, count, _)| (index, count));
    check_objects("live", live, len, &mut taken)?;
    check_objects("killed", image.killed.iter().copied(), len, &mut taken)?;
    for (index, hold) in holds {
        let live = image.live.binary_search_by_key(index, |(i, _, _)| *i).is_ok();
        let killed = image.killed.binary_search_by_key(index, |(i, _)| *i).is_ok();
        if !(live || killed) || image.generations[*index as usize] != hold.raw().generation().get() {
            return Err(format!(
                "a strong handle names {:?}, which was neither alive nor killed",
                hold.raw()
            ));
        }
    }
    Ok(())
}

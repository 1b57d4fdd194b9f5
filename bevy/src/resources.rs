//! Arenas and weak collections as bevy resources.

use std::ops::{Deref, DerefMut};

use bevy_ecs::resource::Resource;
use weakarena_collections::{Sweep, WeakKeyMap};
use weakarena_core::Arena;

use crate::entity_rc::RcEntity;
use crate::lending::{HoldsArena, LENT_OUT};

/// An [`Arena`] as a bevy resource, registered with
/// [`add_weak_arena`](crate::WeakArenaAppExt::add_weak_arena): systems use it
/// as `Res<WeakArena<T>>` / `ResMut<WeakArena<T>>` (it derefs to the arena),
/// and [`WeakArenaPlugin`](crate::WeakArenaPlugin) ends its frame once per
/// app update, writing a [`Deaths<T>`](crate::Deaths) message.
#[derive(Resource)]
pub struct WeakArena<T: Send + Sync + 'static> {
    arena: Option<Arena<T>>,
}

impl<T: Send + Sync + 'static> WeakArena<T> {
    /// Wraps `arena` as a resource.
    pub fn new(arena: Arena<T>) -> WeakArena<T> {
        WeakArena { arena: Some(arena) }
    }
}

impl<T: Send + Sync + 'static> Default for WeakArena<T> {
    fn default() -> Self {
        WeakArena::new(Arena::new())
    }
}

impl<T: Send + Sync + 'static> Deref for WeakArena<T> {
    type Target = Arena<T>;

    fn deref(&self) -> &Arena<T> {
        self.arena.as_ref().expect(LENT_OUT)
    }
}

impl<T: Send + Sync + 'static> DerefMut for WeakArena<T> {
    fn deref_mut(&mut self) -> &mut Arena<T> {
        self.arena.as_mut().expect(LENT_OUT)
    }
}

impl<T: Send + Sync + 'static> HoldsArena for WeakArena<T> {
    type Item = T;

    fn slot(&mut self) -> &mut Option<Arena<T>> {
        &mut self.arena
    }
}

/// A weak collection (a [`WeakKeyMap`], `WeakValueMap` or `WeakSet`) as a
/// bevy resource, registered with
/// [`add_weak_collection`](crate::WeakArenaAppExt::add_weak_collection) and
/// swept by [`WeakArenaPlugin`](crate::WeakArenaPlugin) after each frame end.
/// It derefs to the collection.
#[derive(Resource)]
pub struct WeakCollection<C: Sweep + Sync + 'static> {
    pub(crate) collection: Option<C>,
}

impl<C: Sweep + Sync + 'static> WeakCollection<C> {
    /// Wraps `collection` as a resource.
    pub fn new(collection: C) -> WeakCollection<C> {
        WeakCollection { collection: Some(collection) }
    }
}

impl<C: Sweep + Sync + 'static> Deref for WeakCollection<C> {
    type Target = C;

    fn deref(&self) -> &C {
        self.collection.as_ref().expect(LENT_OUT)
    }
}

impl<C: Sweep + Sync + 'static> DerefMut for WeakCollection<C> {
    fn deref_mut(&mut self) -> &mut C {
        self.collection.as_mut().expect(LENT_OUT)
    }
}

/// Per-entity data that cleans itself: a [`WeakKeyMap`] keyed by
/// refcounted entities, as a resource (`ResMut<EntityMap<V>>`), registered
/// with [`add_entity_map`](crate::WeakArenaAppExt::add_entity_map). An entry
/// is gone from every lookup the instant its entity's last
/// [`EntityRc`](crate::EntityRc) drops, and its memory and value are
/// reclaimed at that frame end: no `RemovedComponents` reader, no observer,
/// no `retain` pass (bevy issue #2031).
pub type EntityMap<V> = WeakCollection<WeakKeyMap<RcEntity, V>>;

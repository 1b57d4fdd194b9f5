//! Refcounted entities: a strong handle that owns a bevy [`Entity`].

use std::fmt;
use std::hash::{Hash, Hasher};

use bevy_ecs::entity::Entity;
use weakarena_core::{ArenaHandle, ArenaId, RawHandle, Strong, Weak};

/// The arena object behind each refcounted entity: the bevy [`Entity`] it
/// stands for. Held in [`RcEntities`](crate::RcEntities); handles to it are
/// [`EntityRc`] (strong) and [`EntityWeak`] (weak).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct RcEntity(pub Entity);

/// The weak handle of a refcounted entity: 8 bytes, `Copy`, keeps nothing
/// alive. It reads dead from the instant the last [`EntityRc`] drops, and
/// never names a later entity that reuses the slot.
///
/// ```
/// assert_eq!(std::mem::size_of::<weakarena_bevy::EntityWeak>(), 8);
/// ```
pub type EntityWeak = Weak<RcEntity>;

/// A counted, owning handle to a bevy [`Entity`]: cloning adds one to the
/// entity's strong count, dropping removes one, and when the last one drops
/// — on any thread, from a component, a resource or a system's `Local` —
/// the entity is dead at once (its [`EntityWeak`] handles read dead) and is
/// despawned at the next frame end of [`WeakArenaPlugin`](crate::WeakArenaPlugin),
/// after its callbacks and finalizers have run.
///
/// Made by [`RcEntities::adopt`](crate::RcEntities::adopt) or
/// [`RcEntities::spawn`](crate::RcEntities::spawn). It is `Send + Sync`, so it
/// can live in any component or resource.
#[derive(Clone)]
pub struct EntityRc {
    strong: Strong<RcEntity>,
    entity: Entity,
}

impl EntityRc {
    pub(crate) fn new(strong: Strong<RcEntity>, entity: Entity) -> EntityRc {
        EntityRc { strong, entity }
    }

    /// The bevy entity this handle keeps alive.
    pub fn entity(&self) -> Entity {
        self.entity
    }

    /// The weak handle: 8 bytes, keeps nothing alive.
    pub fn downgrade(&self) -> EntityWeak {
        self.strong.downgrade()
    }

    /// The underlying weakarena strong handle, for tracked references:
    /// [`WeakRef::with_callback`](weakarena_core::WeakRef::with_callback),
    /// [`Finalizer::new`](weakarena_core::Finalizer::new), [`Proxy::new`](weakarena_core::Proxy::new).
    pub fn strong(&self) -> &Strong<RcEntity> {
        &self.strong
    }

    /// How many `EntityRc` handles keep this entity alive.
    pub fn strong_count(&self) -> usize {
        self.strong.strong_count()
    }
}

impl PartialEq for EntityRc {
    fn eq(&self, other: &Self) -> bool {
        self.strong == other.strong
    }
}

impl Eq for EntityRc {}

impl Hash for EntityRc {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.strong.hash(state);
    }
}

impl fmt::Debug for EntityRc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntityRc({}, {:?})", self.entity, self.strong.raw())
    }
}

impl ArenaHandle<RcEntity> for EntityRc {
    fn raw_handle(&self) -> RawHandle {
        self.strong.raw()
    }

    fn arena_id(&self) -> Option<ArenaId> {
        Some(self.strong.arena_id())
    }
}

#[cfg(test)]
mod tests {
    use std::mem::size_of;

    use super::{EntityRc, EntityWeak};

    #[test]
    fn handles_are_24_and_8_bytes() {
        assert_eq!(size_of::<EntityRc>(), 24);
        assert_eq!(size_of::<Option<EntityRc>>(), 24);
        assert_eq!(size_of::<EntityWeak>(), 8);
    }
}

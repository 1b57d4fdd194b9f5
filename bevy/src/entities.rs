//! `RcEntities`: the arena of refcounted entities, as a resource.

use bevy_ecs::bundle::Bundle;
use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::Commands;
use bevy_ecs::world::World;
use weakarena_core::{Arena, ArenaHandle};

use crate::entity_rc::{EntityRc, EntityWeak, RcEntity};
use crate::lending::{HoldsArena, LENT_OUT};

/// The refcounted entities of a bevy app: an [`Arena`] whose objects are
/// bevy [`Entity`] ids, inserted by [`WeakArenaPlugin`](crate::WeakArenaPlugin).
///
/// [`adopt`](RcEntities::adopt) (or [`spawn`](RcEntities::spawn)) makes an
/// entity refcounted and returns its first [`EntityRc`]. When the last one
/// drops, the entity reads dead at once; the plugin's frame end runs its
/// callbacks and finalizers, despawns it, sweeps the weak collections and
/// writes an [`EntityDeaths`](crate::EntityDeaths) message.
#[derive(Resource)]
pub struct RcEntities {
    arena: Option<Arena<RcEntity>>,
    /// Slot index → the entity adopted into it, kept after its death so the
    /// frame end can despawn it (a slot is only reused after that).
    by_slot: Vec<Entity>,
}

impl Default for RcEntities {
    fn default() -> Self {
        RcEntities { arena: Some(Arena::new()), by_slot: Vec::new() }
    }
}

impl RcEntities {
    /// Makes `entity` refcounted: it is despawned at the frame end after the
    /// last [`EntityRc`] returned here (or cloned from it) drops. Adopt each
    /// entity once: two adoptions are two counts, and the first to reach
    /// zero despawns it.
    pub fn adopt(&mut self, entity: Entity) -> EntityRc {
        let strong = self.arena_mut().insert(RcEntity(entity));
        let slot = strong.raw().index() as usize;
        if self.by_slot.len() <= slot {
            self.by_slot.resize(slot + 1, Entity::PLACEHOLDER);
        }
        self.by_slot[slot] = entity;
        EntityRc::new(strong, entity)
    }

    /// Spawns `bundle` through `commands` and adopts the new entity.
    pub fn spawn(&mut self, commands: &mut Commands, bundle: impl Bundle) -> EntityRc {
        let entity = commands.spawn(bundle).id();
        self.adopt(entity)
    }

    /// Spawns `bundle` in `world` and adopts the new entity.
    ///
    /// # Panics
    ///
    /// If `world` has no [`RcEntities`] (add [`WeakArenaPlugin`](crate::WeakArenaPlugin)).
    pub fn spawn_in(world: &mut World, bundle: impl Bundle) -> EntityRc {
        let entity = world.spawn(bundle).id();
        world.resource_mut::<RcEntities>().adopt(entity)
    }

    /// The entity `handle` names, or `None` once its last [`EntityRc`] dropped.
    pub fn get(&self, handle: impl ArenaHandle<RcEntity>) -> Option<Entity> {
        self.arena().get(handle).map(|record| record.0)
    }

    /// Whether `handle`'s entity is still held by an [`EntityRc`].
    pub fn is_alive(&self, handle: impl ArenaHandle<RcEntity>) -> bool {
        self.arena().contains(handle)
    }

    /// A new strong handle, or `None` if the entity is dead: a dead entity is
    /// never revived, even racing with its last drop on another thread.
    pub fn upgrade(&self, handle: EntityWeak) -> Option<EntityRc> {
        let strong = self.arena().upgrade(handle)?;
        let entity = self.by_slot[handle.index() as usize];
        Some(EntityRc::new(strong, entity))
    }

    /// Refcounted entities still alive.
    pub fn len(&self) -> usize {
        self.arena().len()
    }

    /// Whether no refcounted entity is alive.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The arena itself: for weak collections keyed by entities
    /// ([`WeakKeyMap::new`](weakarena_collections::WeakKeyMap::new)),
    /// `strong_count`, `weak_count` and the rest of the arena's queries.
    pub fn arena(&self) -> &Arena<RcEntity> {
        self.arena.as_ref().expect(LENT_OUT)
    }

    fn arena_mut(&mut self) -> &mut Arena<RcEntity> {
        self.arena.as_mut().expect(LENT_OUT)
    }

    /// The entity adopted into `slot` (alive or dead since the last frame end).
    pub(crate) fn entity_in_slot(&self, slot: u32) -> Entity {
        self.by_slot[slot as usize]
    }
}

impl HoldsArena for RcEntities {
    type Item = RcEntity;

    fn slot(&mut self) -> &mut Option<Arena<RcEntity>> {
        &mut self.arena
    }
}

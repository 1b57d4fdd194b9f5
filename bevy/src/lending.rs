//! How the frame end borrows every arena and collection at once: each
//! resource lends its value out for the length of one pass and gets it back
//! even if the pass panics.

use std::marker::PhantomData;

use bevy_ecs::change_detection::DetectChangesMut;
use bevy_ecs::component::Mutable;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use weakarena_collections::Sweep;
use weakarena_core::{Arena, EndFrame};

use crate::resources::WeakCollection;

/// The message of the one impossible state: a resource read while the frame
/// end has its value (only the plugin's own exclusive system lends them).
pub(crate) const LENT_OUT: &str =
    "weakarena-bevy: read while lent to the frame end (a bug in weakarena-bevy)";

/// A resource that holds an arena the frame end ends.
pub(crate) trait HoldsArena: Resource<Mutability = Mutable> {
    /// The arena's object type.
    type Item: Send + Sync + 'static;
    /// Where the arena lives while it is not lent.
    fn slot(&mut self) -> &mut Option<Arena<Self::Item>>;
}

/// An arena lent to one pass of the frame end.
pub(crate) trait LentArena: Send {
    fn arena(&mut self) -> &mut dyn EndFrame;
    fn give_back(self: Box<Self>, world: &mut World);
}

/// A weak collection lent to one pass of the frame end.
pub(crate) trait LentCollection: Send {
    fn collection(&mut self) -> &mut dyn Sweep;
    fn give_back(self: Box<Self>, world: &mut World);
}

struct ArenaOf<R: HoldsArena> {
    arena: Arena<R::Item>,
    _resource: PhantomData<fn() -> R>,
}

impl<R: HoldsArena> LentArena for ArenaOf<R> {
    fn arena(&mut self) -> &mut dyn EndFrame {
        &mut self.arena
    }

    fn give_back(self: Box<Self>, world: &mut World) {
        if let Some(mut resource) = world.get_resource_mut::<R>() {
            *resource.bypass_change_detection().slot() = Some(self.arena);
        }
    }
}

/// Takes `R`'s arena out of the world, if the resource is there.
pub(crate) fn lend_arena<R: HoldsArena>(world: &mut World) -> Option<Box<dyn LentArena>> {
    let mut resource = world.get_resource_mut::<R>()?;
    let arena = resource.bypass_change_detection().slot().take()?;
    Some(Box::new(ArenaOf::<R> { arena, _resource: PhantomData }))
}

struct CollectionOf<C> {
    collection: C,
}

impl<C: Sweep + Sync + 'static> LentCollection for CollectionOf<C> {
    fn collection(&mut self) -> &mut dyn Sweep {
        &mut self.collection
    }

    fn give_back(self: Box<Self>, world: &mut World) {
        if let Some(mut resource) = world.get_resource_mut::<WeakCollection<C>>() {
            resource.bypass_change_detection().collection = Some(self.collection);
        }
    }
}

/// Takes the collection out of its [`WeakCollection`] resource, if there.
pub(crate) fn lend_collection<C: Sweep + Sync + 'static>(
    world: &mut World,
) -> Option<Box<dyn LentCollection>> {
    let mut resource = world.get_resource_mut::<WeakCollection<C>>()?;
    let collection = resource.bypass_change_detection().collection.take()?;
    Some(Box::new(CollectionOf { collection }))
}

/// Lends one registered collection out of the world.
pub(crate) type LendCollection = fn(&mut World) -> Option<Box<dyn LentCollection>>;

/// Everything lent for one pass of the frame end.
#[derive(Default)]
pub(crate) struct Lent {
    /// Each lent arena with its index in the plan.
    pub(crate) arenas: Vec<(usize, Box<dyn LentArena>)>,
    pub(crate) collections: Vec<Box<dyn LentCollection>>,
}

impl Lent {
    /// Gives everything back to `world`'s resources.
    pub(crate) fn give_back(&mut self, world: &mut World) {
        for (_, arena) in self.arenas.drain(..) {
            arena.give_back(world);
        }
        for collection in self.collections.drain(..) {
            collection.give_back(world);
        }
    }
}

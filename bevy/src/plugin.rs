//! The plugin and the `App` methods that register arenas and collections.

use std::any::TypeId;
use std::sync::Arc;

use bevy_app::{App, Last, Plugin};
use bevy_ecs::intern::Interned;
use bevy_ecs::schedule::{IntoScheduleConfigs, ScheduleLabel, SystemSet};
use weakarena_collections::{Sweep, WeakKeyMap};
use weakarena_core::Arena;

use crate::entities::RcEntities;
use crate::entity_rc::RcEntity;
use crate::frame_end::{end_frame_system, ArenaStage, FramePlan, Plan};
use crate::lending::lend_collection;
use crate::messages::{Deaths, EntityDeaths};
use crate::resources::{WeakArena, WeakCollection};

/// Ends the frame of every registered arena once per app update, sweeps
/// every registered weak collection, despawns the entities whose last
/// [`EntityRc`](crate::EntityRc) dropped, and writes the deaths as messages.
///
/// It runs in [`Last`] unless [`in_schedule`](WeakArenaPlugin::in_schedule)
/// names another schedule, as the system set [`WeakArenaSystems::EndFrame`].
///
/// ```
/// use bevy_app::{App, PostUpdate};
/// use weakarena_bevy::{RcEntities, WeakArenaPlugin};
///
/// let mut app = App::new();
/// app.add_plugins(WeakArenaPlugin::in_schedule(PostUpdate));
/// let rc = RcEntities::spawn_in(app.world_mut(), ());
/// let entity = rc.entity();
/// drop(rc);
/// app.update(); // the frame end despawns it
/// assert!(app.world().get_entity(entity).is_err());
/// ```
#[derive(Debug)]
pub struct WeakArenaPlugin {
    schedule: Interned<dyn ScheduleLabel>,
}

impl Default for WeakArenaPlugin {
    fn default() -> Self {
        WeakArenaPlugin::in_schedule(Last)
    }
}

impl WeakArenaPlugin {
    /// The plugin, ending frames in `schedule` instead of [`Last`].
    pub fn in_schedule(schedule: impl ScheduleLabel) -> WeakArenaPlugin {
        WeakArenaPlugin { schedule: schedule.intern() }
    }
}

/// The plugin's systems, for ordering yours before or after the frame end.
#[derive(SystemSet, Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum WeakArenaSystems {
    /// The frame end: arenas, sweeps, despawns, messages.
    EndFrame,
}

impl Plugin for WeakArenaPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Plan>().init_resource::<RcEntities>().add_message::<EntityDeaths>();
        register(app, TypeId::of::<RcEntities>(), |plan| plan.arenas.push(ArenaStage::of_entities()));
        app.add_systems(self.schedule, end_frame_system.in_set(WeakArenaSystems::EndFrame));
    }
}

/// Adds to the plan once per `key`.
fn register(app: &mut App, key: TypeId, add: impl FnOnce(&mut FramePlan)) {
    let mut plan = app.world_mut().resource_mut::<Plan>();
    let plan = Arc::make_mut(&mut plan.0);
    if !plan.registered.contains(&key) {
        plan.registered.push(key);
        add(plan);
    }
}

/// `App` methods that put arenas and weak collections under the plugin's
/// frame end. Add [`WeakArenaPlugin`] first.
pub trait WeakArenaAppExt {
    /// Inserts a [`WeakArena<T>`] resource (unless there is one) and ends its
    /// frame in the plugin's frame end; its deaths arrive as [`Deaths<T>`].
    fn add_weak_arena<T: Send + Sync + 'static>(&mut self) -> &mut Self;

    /// Inserts `make(arena)` as a [`WeakCollection<C>`] resource over the
    /// arena of [`WeakArena<T>`] (added if missing), swept by the frame end.
    fn add_weak_collection<T, C>(&mut self, make: impl FnOnce(&Arena<T>) -> C) -> &mut Self
    where
        T: Send + Sync + 'static,
        C: Sweep + Sync + 'static;

    /// Inserts `make(arena)` as a [`WeakCollection<C>`] resource over the
    /// refcounted entities, swept by the frame end.
    fn add_entity_collection<C: Sweep + Sync + 'static>(
        &mut self,
        make: impl FnOnce(&Arena<RcEntity>) -> C,
    ) -> &mut Self;

    /// Inserts an empty [`EntityMap<V>`](crate::EntityMap): data per
    /// refcounted entity that cleans itself.
    fn add_entity_map<V: Send + Sync + 'static>(&mut self) -> &mut Self {
        self.add_entity_collection(WeakKeyMap::<RcEntity, V>::new)
    }
}

impl WeakArenaAppExt for App {
    fn add_weak_arena<T: Send + Sync + 'static>(&mut self) -> &mut Self {
        assert_plugin(self);
        self.init_resource::<WeakArena<T>>().add_message::<Deaths<T>>();
        register(self, TypeId::of::<WeakArena<T>>(), |plan| plan.arenas.push(ArenaStage::of_arena::<T>()));
        self
    }

    fn add_weak_collection<T, C>(&mut self, make: impl FnOnce(&Arena<T>) -> C) -> &mut Self
    where
        T: Send + Sync + 'static,
        C: Sweep + Sync + 'static,
    {
        self.add_weak_arena::<T>();
        let collection = make(self.world().resource::<WeakArena<T>>());
        insert_collection(self, collection)
    }

    fn add_entity_collection<C: Sweep + Sync + 'static>(
        &mut self,
        make: impl FnOnce(&Arena<RcEntity>) -> C,
    ) -> &mut Self {
        assert_plugin(self);
        let collection = make(self.world().resource::<RcEntities>().arena());
        insert_collection(self, collection)
    }
}

fn insert_collection<C: Sweep + Sync + 'static>(app: &mut App, collection: C) -> &mut App {
    app.insert_resource(WeakCollection::new(collection));
    register(app, TypeId::of::<WeakCollection<C>>(), |plan| plan.collections.push(lend_collection::<C>));
    app
}

/// # Panics
///
/// With a message when the plugin has not been added.
fn assert_plugin(app: &App) {
    assert!(
        app.world().contains_resource::<Plan>(),
        "weakarena-bevy: add WeakArenaPlugin before registering arenas or collections"
    );
}

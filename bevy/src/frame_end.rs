//! The frame end the plugin runs once per app update: every registered
//! arena and weak collection, until nothing more dies.
//!
//! ```text
//! end_frame_parts, one frame of every arena:
//!   pass: lend every arena and collection out of its resource
//!         reclaim every arena's deaths (cascading across arenas), sweep
//!         give everything back
//!         despawn the entities whose last EntityRc dropped (their components
//!         drop: more handles may reach zero)
//!   another pass while the last one found deaths
//! then:   one message per arena that lost objects (Deaths<T>, EntityDeaths)
//! ```

use std::sync::Arc;
use std::time::Duration;

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use weakarena_collections::{end_frame_parts, FrameParts, Sweep};
use weakarena_core::{EndFrame, FrameReport, RawHandle};

use crate::entities::RcEntities;
use crate::entity_rc::RcEntity;
use crate::lending::{lend_arena, LendCollection, Lent, LentArena};
use crate::messages::{Deaths, EntityDeaths, FrameFigures};
use crate::resources::WeakArena;

/// What one arena lost over the update's rounds.
#[derive(Default)]
pub(crate) struct Tally {
    handles: Vec<RawHandle>,
    entities: Vec<Entity>,
    figures: FrameFigures,
}

/// One registered arena, as the frame end sees it.
#[derive(Clone, Copy)]
pub(crate) struct ArenaStage {
    lend: fn(&mut World) -> Option<Box<dyn LentArena>>,
    /// Runs after each pass with the arena's report of it (the entities
    /// despawn).
    after_pass: fn(&mut World, &FrameReport, &mut Tally),
    publish: fn(&mut World, Tally),
}

impl ArenaStage {
    /// The stage of a [`WeakArena<T>`].
    pub(crate) fn of_arena<T: Send + Sync + 'static>() -> ArenaStage {
        ArenaStage {
            lend: lend_arena::<WeakArena<T>>,
            after_pass: |_, _, _| {},
            publish: publish_deaths::<T>,
        }
    }

    /// The stage of the refcounted entities.
    pub(crate) fn of_entities() -> ArenaStage {
        ArenaStage {
            lend: lend_arena::<RcEntities>,
            after_pass: despawn_dead,
            publish: publish_entity_deaths,
        }
    }
}

/// The registered arenas and collections, in registration order.
#[derive(Clone, Default)]
pub(crate) struct FramePlan {
    pub(crate) arenas: Vec<ArenaStage>,
    pub(crate) collections: Vec<LendCollection>,
    /// Type names already registered, so registering twice is harmless.
    pub(crate) registered: Vec<std::any::TypeId>,
}

/// The plan as a resource, shared so the frame end can hold it while it
/// borrows the world.
#[derive(Resource, Default)]
pub(crate) struct Plan(pub(crate) Arc<FramePlan>);

/// The world lending its registered arenas and collections to the frame
/// end: lent for each pass and given back before the despawns between two
/// passes (a despawn's hooks and observers may read those resources), and
/// given back at the end even if the frame end panics.
struct WorldParts<'a> {
    plan: &'a FramePlan,
    world: &'a mut World,
    lent: Lent,
    lent_out: bool,
    tallies: Vec<Tally>,
}

impl WorldParts<'_> {
    /// Lends every registered arena and collection that is in the world,
    /// unless they are lent already.
    fn lend(&mut self) -> &mut Lent {
        if !self.lent_out {
            self.lent_out = true;
            for (index, stage) in self.plan.arenas.iter().enumerate() {
                if let Some(arena) = (stage.lend)(self.world) {
                    self.lent.arenas.push((index, arena));
                }
            }
            for lend in &self.plan.collections {
                if let Some(collection) = lend(self.world) {
                    self.lent.collections.push(collection);
                }
            }
        }
        &mut self.lent
    }

    fn give_back(&mut self) {
        self.lent.give_back(self.world);
        self.lent_out = false;
    }

    /// The plan's index of each lent arena, in lending order.
    fn arena_indices(&mut self) -> Vec<usize> {
        self.lend().arenas.iter().map(|(index, _)| *index).collect()
    }
}

impl FrameParts for WorldParts<'_> {
    fn arenas(&mut self) -> Vec<&mut dyn EndFrame> {
        self.lend().arenas.iter_mut().map(|(_, arena)| arena.arena()).collect()
    }

    fn collections(&mut self) -> Vec<&mut dyn Sweep> {
        self.lend().collections.iter_mut().map(|collection| collection.collection()).collect()
    }

    fn after_pass(&mut self, pass: &[FrameReport]) {
        let indices = self.arena_indices();
        self.give_back();
        for (index, report) in indices.into_iter().zip(pass) {
            (self.plan.arenas[index].after_pass)(self.world, report, &mut self.tallies[index]);
        }
    }
}

impl Drop for WorldParts<'_> {
    fn drop(&mut self) {
        self.give_back();
    }
}

impl FramePlan {
    /// The whole frame end of one app update: one frame of every arena,
    /// however many passes its despawns take.
    fn run(&self, world: &mut World) {
        let tallies = self.arenas.iter().map(|_| Tally::default()).collect();
        let mut parts =
            WorldParts { plan: self, world: &mut *world, lent: Lent::default(), lent_out: false, tallies };
        let indices = parts.arena_indices();
        let swept_arenas: Vec<_> = parts.collections().iter().map(|c| c.arena_id()).collect();
        let end = end_frame_parts(&mut parts);
        parts.give_back();
        for (index, report) in indices.into_iter().zip(&end.reports) {
            let ours = end.sweeps.iter().zip(&swept_arenas).filter(|(_, arena)| **arena == report.arena);
            let (swept, time) =
                ours.fold((0, Duration::ZERO), |(n, t), (s, _)| (n + s.removed, t + s.elapsed));
            let tally = &mut parts.tallies[index];
            tally.figures.add(report, swept, time);
            tally.handles.extend_from_slice(&report.deaths);
        }
        let tallies = std::mem::take(&mut parts.tallies);
        drop(parts);
        for (stage, tally) in self.arenas.iter().zip(tallies) {
            if !tally.handles.is_empty() {
                (stage.publish)(world, tally);
            }
        }
    }
}

/// The plugin's exclusive system: the frame end of one app update.
pub(crate) fn end_frame_system(world: &mut World) {
    let plan = Arc::clone(&world.resource::<Plan>().0);
    plan.run(world);
}

/// Despawns the entities that died in `report`'s frame (one already
/// despawned by hand is skipped).
fn despawn_dead(world: &mut World, report: &FrameReport, tally: &mut Tally) {
    let entities = world.resource::<RcEntities>();
    let dead: Vec<Entity> =
        report.deaths.iter().map(|death| entities.entity_in_slot(death.index())).collect();
    for &entity in &dead {
        let _already_gone = world.try_despawn(entity);
    }
    tally.entities.extend(dead);
}

fn publish_deaths<T: Send + Sync + 'static>(world: &mut World, tally: Tally) {
    world.write_message(Deaths::<T>::new(&tally.handles, tally.figures));
}

fn publish_entity_deaths(world: &mut World, tally: Tally) {
    let handles = tally.handles.iter().map(|&raw| weakarena_core::Weak::<RcEntity>::from_raw(raw));
    let entities = handles.zip(tally.entities).collect();
    world.write_message(EntityDeaths { entities, figures: tally.figures });
}

//! The frame end the plugin runs once per app update: every registered
//! arena and weak collection, until nothing more dies.
//!
//! ```text
//! round: lend every arena and collection out of its resource
//!        end_frame_all: arenas' frame ends and sweeps, until nothing more dies
//!        give everything back
//!        despawn the entities whose last EntityRc dropped (their components drop:
//!        more handles may reach zero)
//!        another round while any arena has deaths left
//! then:  one message per arena that lost objects (Deaths<T>, EntityDeaths)
//! ```

use std::sync::Arc;
use std::time::Duration;

use bevy_ecs::entity::Entity;
use bevy_ecs::resource::Resource;
use bevy_ecs::world::World;
use weakarena_collections::{end_frame_all, Sweep, SweepStats};
use weakarena_core::{ArenaId, EndFrame, FrameReport, RawHandle};

use crate::entities::RcEntities;
use crate::entity_rc::RcEntity;
use crate::lending::{has_pending, lend_arena, LendCollection, Lent, LentArena};
use crate::messages::{Deaths, EntityDeaths, FrameFigures};
use crate::resources::WeakArena;

/// Ends the frame over `arenas` and `collections` until nothing more dies
/// ([`end_frame_all`]): the one call into weakarena's frame end, so it
/// changes in one place. One report per arena, one sweep per collection.
fn end_frame_over(
    arenas: &mut [&mut dyn EndFrame],
    collections: &mut [&mut dyn Sweep],
) -> (Vec<FrameReport>, Vec<SweepStats>) {
    let end = end_frame_all(arenas, collections);
    (end.reports, end.sweeps)
}

impl Lent<'_> {
    /// Ends the frame over everything lent; each sweep's stats come with
    /// the arena it swept for.
    fn end_frame(&mut self) -> (Vec<FrameReport>, Vec<(ArenaId, SweepStats)>) {
        let mut arenas: Vec<&mut dyn EndFrame> =
            self.arenas.iter_mut().map(|(_, arena)| arena.arena()).collect();
        let mut collections: Vec<&mut dyn Sweep> =
            self.collections.iter_mut().map(|c| c.collection()).collect();
        let (reports, stats) = end_frame_over(&mut arenas, &mut collections);
        let sweeps = collections.iter().map(|collection| collection.arena_id()).zip(stats).collect();
        (reports, sweeps)
    }
}

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
    pending: fn(&World) -> bool,
    /// Runs after each round with the arena's report (the entities despawn).
    after_round: fn(&mut World, &FrameReport, &mut Tally),
    publish: fn(&mut World, Tally),
}

impl ArenaStage {
    /// The stage of a [`WeakArena<T>`].
    pub(crate) fn of_arena<T: Send + Sync + 'static>() -> ArenaStage {
        ArenaStage {
            lend: lend_arena::<WeakArena<T>>,
            pending: has_pending::<WeakArena<T>>,
            after_round: |_, _, _| {},
            publish: publish_deaths::<T>,
        }
    }

    /// The stage of the refcounted entities.
    pub(crate) fn of_entities() -> ArenaStage {
        ArenaStage {
            lend: lend_arena::<RcEntities>,
            pending: has_pending::<RcEntities>,
            after_round: despawn_dead,
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

impl FramePlan {
    /// Lends every registered arena and collection that is in the world.
    fn lend_all<'w>(&self, world: &'w mut World) -> Lent<'w> {
        let mut lent = Lent::new(world);
        for (index, stage) in self.arenas.iter().enumerate() {
            if let Some(arena) = (stage.lend)(lent.world()) {
                lent.arenas.push((index, arena));
            }
        }
        for lend in &self.collections {
            if let Some(collection) = lend(lent.world()) {
                lent.collections.push(collection);
            }
        }
        lent
    }

    /// One round: every arena's frame end and every collection's sweep,
    /// then each arena's tally and after-round work (the despawns).
    fn round(&self, world: &mut World, tallies: &mut [Tally]) {
        let mut lent = self.lend_all(world);
        let (reports, sweeps) = lent.end_frame();
        let indices: Vec<usize> = lent.arenas.iter().map(|(index, _)| *index).collect();
        drop(lent); // everything goes back before the despawns
        for (index, report) in indices.into_iter().zip(&reports) {
            let ours = sweeps.iter().filter(|(arena, _)| *arena == report.arena);
            let (swept, time) =
                ours.fold((0, Duration::ZERO), |(n, t), (_, s)| (n + s.removed, t + s.elapsed));
            let tally = &mut tallies[index];
            tally.figures.add(report, swept, time);
            tally.handles.extend_from_slice(&report.deaths);
            (self.arenas[index].after_round)(world, report, tally);
        }
    }

    /// The whole frame end of one app update.
    fn run(&self, world: &mut World) {
        let mut tallies: Vec<Tally> = self.arenas.iter().map(|_| Tally::default()).collect();
        loop {
            self.round(world, &mut tallies);
            if !self.arenas.iter().any(|stage| (stage.pending)(world)) {
                break;
            }
        }
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

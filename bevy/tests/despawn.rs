//! A refcounted entity is despawned at the frame end of the update in which
//! its last handle dropped, and its weak handle reads dead at once.

mod common;

use bevy_app::{Last, PostUpdate, Update};
use bevy_ecs::component::Component;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::{Res, ResMut};
use bevy_ecs::world::World;
use common::{app, exists};
use weakarena_bevy::{EntityRc, RcEntities, WeakArenaPlugin};

#[derive(Resource)]
struct Held {
    rc: Option<EntityRc>,
    drop_at: u32,
    update: u32,
    alive_after_drop: Option<bool>,
}

fn drop_on_time(mut held: ResMut<Held>, entities: Res<RcEntities>) {
    held.update += 1;
    if held.update == held.drop_at {
        let weak = held.rc.take().map(|rc| rc.downgrade()).expect("held until now");
        held.alive_after_drop = Some(entities.is_alive(weak));
    }
}

#[test]
fn the_last_drop_in_a_system_despawns_at_that_updates_frame_end() {
    let mut app = app();
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    let entity = rc.entity();
    app.insert_resource(Held { rc: Some(rc), drop_at: 3, update: 0, alive_after_drop: None });
    app.add_systems(Update, drop_on_time);
    app.update();
    app.update();
    assert!(exists(&app, entity));
    app.update(); // dropped in Update, despawned in Last
    assert!(!exists(&app, entity));
    assert_eq!(app.world().resource::<Held>().alive_after_drop, Some(false));
    assert!(app.world().resource::<RcEntities>().is_empty());
}

#[test]
fn a_drop_between_updates_reads_dead_at_once_and_despawns_at_the_next_update() {
    let mut app = app();
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    let (entity, weak) = (rc.entity(), rc.downgrade());
    app.update();
    drop(rc);
    let entities = app.world().resource::<RcEntities>();
    assert!(!entities.is_alive(weak));
    assert_eq!(entities.get(weak), None);
    assert!(entities.upgrade(weak).is_none());
    assert!(exists(&app, entity)); // the despawn waits for the frame end
    app.update();
    assert!(!exists(&app, entity));
}

#[test]
fn clones_count_and_the_entity_lives_until_the_last_one() {
    let mut app = app();
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    let copy = rc.clone();
    let upgraded = app.world().resource::<RcEntities>().upgrade(rc.downgrade()).expect("alive");
    assert_eq!(rc.strong_count(), 3);
    assert_eq!(upgraded, rc);
    let entity = rc.entity();
    drop(rc);
    drop(upgraded);
    app.update();
    assert!(exists(&app, entity));
    assert_eq!(copy.strong_count(), 1);
    drop(copy);
    app.update();
    assert!(!exists(&app, entity));
}

#[test]
fn a_last_drop_on_another_thread_despawns_at_the_next_frame_end() {
    let mut app = app();
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    let (entity, weak) = (rc.entity(), rc.downgrade());
    std::thread::spawn(move || drop(rc)).join().expect("the thread drops the handle");
    assert!(!app.world().resource::<RcEntities>().is_alive(weak));
    app.update();
    assert!(!exists(&app, entity));
}

#[derive(Resource)]
struct Target(bevy_ecs::entity::Entity);

/// Runs in `Last`, after `PostUpdate`.
fn record_gone(world: &mut World) {
    let entity = world.resource::<Target>().0;
    let gone = world.get_entity(entity).is_err();
    world.insert_resource(Gone(gone));
}

#[test]
fn the_frame_end_runs_in_the_schedule_the_user_picks() {
    let mut app = bevy_app::App::new();
    app.add_plugins(WeakArenaPlugin::in_schedule(PostUpdate));
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    app.insert_resource(Target(rc.entity()));
    app.insert_resource(Held { rc: Some(rc), drop_at: 1, update: 0, alive_after_drop: None });
    app.add_systems(Update, drop_on_time);
    app.add_systems(Last, record_gone);
    app.update();
    assert!(app.world().resource::<Gone>().0, "despawned in PostUpdate, before Last");
}

#[derive(Resource)]
struct Gone(bool);

/// A component holding another entity's handle: despawning its entity
/// releases that entity.
#[derive(Component)]
struct Holds(#[allow(dead_code, reason = "held for its drop")] EntityRc);

#[test]
fn a_cascade_over_several_despawn_rounds_is_one_frame_of_the_update() {
    let mut app = app();
    let last = RcEntities::spawn_in(app.world_mut(), ());
    let middle = RcEntities::spawn_in(app.world_mut(), Holds(last.clone()));
    let first = RcEntities::spawn_in(app.world_mut(), Holds(middle.clone()));
    let chain = [first.entity(), middle.entity(), last.entity()];
    drop((middle, last));
    app.update();
    let frame = |app: &bevy_app::App| app.world().resource::<RcEntities>().arena().frame();
    assert_eq!(frame(&app), 1);
    drop(first); // each despawn releases the next entity: three rounds
    app.update();
    assert!(chain.iter().all(|&entity| !exists(&app, entity)), "the whole chain in one update");
    assert_eq!(frame(&app), 2, "the frame advances once per update, not once per round");
    app.update(); // the reader in `Update` sees the last update's message
    assert_eq!(frame(&app), 3);
    let seen = &app.world().resource::<common::Seen>().messages;
    assert_eq!(seen.len(), 1, "one message for the update");
    assert_eq!((seen[0].0.len(), seen[0].1.frame, seen[0].1.passes), (3, 1, 3));
}

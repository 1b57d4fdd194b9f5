//! Handles held in components, resources and system locals count, and what
//! a despawn or a swept map value releases dies in the same app update.

mod common;

use bevy_app::Update;
use bevy_ecs::component::Component;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::{Local, ResMut};
use common::{app, exists, Seen};
use weakarena_bevy::{EntityMap, EntityRc, RcEntities, WeakArenaAppExt};

#[derive(Component)]
struct InSquad(#[allow(dead_code, reason = "held for its count")] EntityRc);

#[test]
fn a_handle_in_a_component_keeps_its_entity_until_the_holder_despawns() {
    let mut app = app();
    let squad = RcEntities::spawn_in(app.world_mut(), ());
    let squad_entity = squad.entity();
    let unit = app.world_mut().spawn(InSquad(squad)).id(); // a plain bevy entity
    app.update();
    assert!(exists(&app, squad_entity));
    app.world_mut().despawn(unit); // bevy's own despawn drops the component
    app.update();
    assert!(!exists(&app, squad_entity));
}

#[test]
fn a_despawn_cascades_through_components_in_the_same_update() {
    let mut app = app();
    let squad = RcEntities::spawn_in(app.world_mut(), ());
    let unit = RcEntities::spawn_in(app.world_mut(), InSquad(squad.clone()));
    let (squad_entity, unit_entity) = (squad.entity(), unit.entity());
    drop(squad); // only the unit holds its squad now
    app.update();
    assert!(exists(&app, squad_entity));
    drop(unit);
    app.update(); // the unit despawns, its component drops, the squad follows
    assert!(!exists(&app, unit_entity));
    assert!(!exists(&app, squad_entity));
    app.update(); // the reader sees the update's one message
    let seen = app.world().resource::<Seen>();
    assert_eq!(seen.messages.len(), 1);
    assert_eq!(seen.entities(), vec![unit_entity, squad_entity]);
    assert!(seen.messages[0].1.passes >= 2, "the squad died in a later pass");
}

#[derive(Resource)]
struct Keeper(#[allow(dead_code, reason = "held for its count")] EntityRc);

#[test]
fn a_handle_in_a_resource_counts_until_the_resource_goes() {
    let mut app = app();
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    let entity = rc.entity();
    app.insert_resource(Keeper(rc));
    app.update();
    assert!(exists(&app, entity));
    app.world_mut().remove_resource::<Keeper>();
    app.update();
    assert!(!exists(&app, entity));
}

#[derive(Resource, Default)]
struct Updates(u32);

#[derive(Resource)]
struct Handoff(Option<EntityRc>);

/// Takes the handle into its `Local` at the first update, drops it at the third.
fn keep_in_local(
    mut local: Local<Option<EntityRc>>,
    mut handoff: ResMut<Handoff>,
    mut updates: ResMut<Updates>,
) {
    updates.0 += 1;
    if let Some(rc) = handoff.0.take() {
        *local = Some(rc);
    }
    if updates.0 == 3 {
        *local = None;
    }
}

#[test]
fn a_handle_in_a_system_local_counts_until_the_system_drops_it() {
    let mut app = app();
    let rc = RcEntities::spawn_in(app.world_mut(), ());
    let entity = rc.entity();
    app.insert_resource(Handoff(Some(rc))).init_resource::<Updates>().add_systems(Update, keep_in_local);
    app.update();
    app.update();
    assert!(exists(&app, entity));
    app.update();
    assert!(!exists(&app, entity));
}

#[test]
fn a_map_value_holding_a_handle_is_released_in_the_same_update() {
    let mut app = app();
    app.add_entity_map::<EntityRc>();
    let leader = RcEntities::spawn_in(app.world_mut(), ());
    let follower = RcEntities::spawn_in(app.world_mut(), ());
    let (leader_entity, follower_entity) = (leader.entity(), follower.entity());
    app.world_mut().resource_mut::<EntityMap<EntityRc>>().try_insert(&leader, follower).expect("alive key");
    app.update();
    assert!(exists(&app, follower_entity));
    drop(leader); // its entry's value was the follower's only handle
    app.update();
    assert!(!exists(&app, leader_entity));
    assert!(!exists(&app, follower_entity));
    assert!(app.world().resource::<EntityMap<EntityRc>>().is_empty());
}

//! Deaths reach systems as messages: each death in exactly one message,
//! with the frame end's figures.

mod common;

use std::collections::HashMap;

use bevy_app::Update;
use bevy_ecs::message::MessageReader;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::ResMut;
use common::{app, Seen};
use weakarena_bevy::{Deaths, EntityRc, RcEntities, WeakArena, WeakArenaAppExt, WeakCollection};
use weakarena_collections::WeakKeyMap;
use weakarena_core::{Finalizer, Strong, Weak};

#[derive(Resource, Default)]
struct Army(Vec<EntityRc>);

/// Each update drops every third handle still held and adopts two more.
fn churn(mut army: ResMut<Army>, mut entities: ResMut<RcEntities>, mut commands: bevy_ecs::system::Commands) {
    let mut index = 0;
    army.0.retain(|_| {
        index += 1;
        index % 3 != 0
    });
    for _ in 0..2 {
        let rc = entities.spawn(&mut commands, ());
        army.0.push(rc);
    }
}

#[test]
fn every_death_arrives_in_exactly_one_message() {
    let mut app = app();
    app.init_resource::<Army>().add_systems(Update, churn);
    let mut spawned = Vec::new();
    for _ in 0..200 {
        app.update();
        let army = &app.world().resource::<Army>().0;
        spawned.extend(army.iter().map(EntityRc::entity));
    }
    app.world_mut().resource_mut::<Army>().0.clear();
    app.update(); // the last deaths' frame end
    app.update(); // their message is read
    spawned.sort();
    spawned.dedup();
    let mut times_seen: HashMap<_, usize> = HashMap::new();
    for entity in app.world().resource::<Seen>().entities() {
        *times_seen.entry(entity).or_default() += 1;
    }
    assert_eq!(times_seen.len(), spawned.len());
    assert!(spawned.iter().all(|entity| times_seen.get(entity) == Some(&1)));
    let seen = app.world().resource::<Seen>();
    assert!(seen.messages.iter().all(|(dead, _)| !dead.is_empty()), "no message without a death");
}

struct Ship;

#[derive(Resource, Default)]
struct ShipLog(Vec<(Vec<Weak<Ship>>, usize, usize)>);

fn read_ship_deaths(mut reader: MessageReader<Deaths<Ship>>, mut log: ResMut<ShipLog>) {
    for deaths in reader.read() {
        log.0.push((deaths.handles.clone(), deaths.figures.finalizers_run, deaths.figures.swept));
    }
}

#[test]
fn a_user_arena_reports_its_deaths_with_the_figures() {
    let mut app = app();
    app.add_weak_collection::<Ship, _>(WeakKeyMap::<Ship, &str>::new);
    app.init_resource::<ShipLog>().add_systems(Update, read_ship_deaths);
    let ship: Strong<Ship> = app.world_mut().resource_mut::<WeakArena<Ship>>().insert(Ship);
    let handle = ship.downgrade();
    let finalizer = Finalizer::new(&ship, || {});
    app.world_mut().resource_mut::<WeakCollection<WeakKeyMap<Ship, &str>>>().insert(&ship, "Pequod");
    app.update();
    drop(ship);
    app.update();
    app.update();
    assert!(!finalizer.alive());
    assert_eq!(app.world().resource::<ShipLog>().0, vec![(vec![handle], 1, 1)]);
    assert!(app.world().resource::<WeakCollection<WeakKeyMap<Ship, &str>>>().is_empty());
    assert!(app.world().resource::<WeakArena<Ship>>().is_empty());
}

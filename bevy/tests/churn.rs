//! Nothing leaks over 10,000 updates of steady churn: entities, arena
//! slots, map entries and messages all stay bounded and exact.

mod common;

use bevy_app::Update;
use bevy_ecs::component::Component;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::{Commands, ResMut};
use common::{app, Seen};
use weakarena_bevy::{EntityMap, EntityRc, RcEntities, WeakArenaAppExt};

const LIVE: usize = 64;
const UPDATES: usize = 10_000;

#[derive(Component)]
struct Unit;

#[derive(Resource, Default)]
struct Pool {
    units: Vec<EntityRc>,
    rng: u64,
    dropped: usize,
    last_update: usize,
}

impl Pool {
    fn next(&mut self) -> usize {
        self.rng = self.rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.rng >> 33) as usize
    }
}

/// Drops one to four random units and spawns as many, keeping `LIVE` alive.
fn churn(
    mut pool: ResMut<Pool>,
    mut entities: ResMut<RcEntities>,
    mut cache: ResMut<EntityMap<u64>>,
    mut commands: Commands,
) {
    let deaths = 1 + pool.next() % 4;
    for _ in 0..deaths {
        let victim = pool.next() % pool.units.len();
        pool.units.swap_remove(victim);
    }
    pool.dropped += deaths;
    pool.last_update = deaths;
    while pool.units.len() < LIVE {
        let rc = entities.spawn(&mut commands, Unit);
        cache.try_insert(&rc, pool.rng).expect("a new key is alive");
        pool.units.push(rc);
    }
}

#[test]
fn ten_thousand_updates_of_churn_leak_nothing() {
    let mut app = app();
    app.add_entity_map::<u64>().init_resource::<Pool>();
    app.world_mut().resource_mut::<Pool>().rng = 7;
    for _ in 0..LIVE {
        let rc = RcEntities::spawn_in(app.world_mut(), Unit);
        app.world_mut().resource_mut::<EntityMap<u64>>().try_insert(&rc, 0).expect("alive");
        app.world_mut().resource_mut::<Pool>().units.push(rc);
    }
    app.add_systems(Update, churn);
    for _ in 0..UPDATES {
        app.update();
    }
    app.update(); // reads the last update's deaths (and churns once more)
    let world = app.world_mut();
    let units = world.query::<&Unit>().iter(world).count();
    assert_eq!(units, LIVE, "every dropped unit was despawned");
    let entities = world.resource::<RcEntities>();
    assert_eq!(entities.len(), LIVE);
    assert!(entities.arena().slot_count() <= LIVE + 4, "slots are reused: {}", entities.arena().slot_count());
    assert_eq!(world.resource::<EntityMap<u64>>().len(), LIVE, "the cache holds only the living");
    let pool = world.resource::<Pool>();
    let read = pool.dropped - pool.last_update; // the last deaths' message is read next update
    assert_eq!(world.resource::<Seen>().entities().len(), read, "one message entry per death");
}

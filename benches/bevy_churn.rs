//! Per-update cost of entity churn in a bevy app with one per-entity cache:
//! N entities live, d die and d are spawned each update.
//!
//! | id | death | cache cleanup |
//! |---|---|---|
//! | `bevy_churn/weakarena/<N>/<d>` | drop the entity's last `EntityRc` | an `EntityMap<u64>`, swept by `WeakArenaPlugin` |
//! | `bevy_churn/bevy_observer/<N>/<d>` | `commands.entity(e).despawn()` | an `EntityHashMap<u64>` cleaned by an `On<Remove<Unit>>` observer |
//!
//! Both spawn the same component through `Commands` and kill the same
//! seeded sequence of positions; one iteration is one `App::update`.

use bevy_app::{App, Update};
use bevy_ecs::component::Component;
use bevy_ecs::entity::{Entity, EntityHashMap};
use bevy_ecs::lifecycle::Remove;
use bevy_ecs::observer::On;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::{Commands, ResMut};
use criterion::Criterion;
use weakarena_bevy::{EntityMap, EntityRc, RcEntities, WeakArenaAppExt, WeakArenaPlugin};

mod support;
use support::{configure, Rng};

const SIZES: [usize; 2] = [10_000, 100_000];
const DEATHS: [usize; 3] = [10, 100, 1000];

#[derive(Component)]
struct Unit;

/// The weakarena side: the only strong handles, and the churn's settings.
#[derive(Resource)]
struct Held {
    units: Vec<EntityRc>,
    deaths: usize,
    rng: Rng,
}

fn churn_rc(
    mut held: ResMut<Held>,
    mut entities: ResMut<RcEntities>,
    mut cache: ResMut<EntityMap<u64>>,
    mut commands: Commands,
) {
    let Held { units, deaths, rng } = &mut *held;
    for _ in 0..*deaths {
        units.swap_remove(rng.below(units.len())); // the last handle: dead now, despawned at the frame end
    }
    for i in 0..*deaths as u64 {
        let rc = entities.spawn(&mut commands, Unit);
        cache.try_insert(&rc, i).expect("a new entity is alive");
        units.push(rc);
    }
}

fn weakarena_app(live: usize, deaths: usize) -> App {
    let mut app = App::new();
    app.add_plugins(WeakArenaPlugin::default()).add_entity_map::<u64>();
    let mut units = Vec::with_capacity(live);
    for i in 0..live as u64 {
        let rc = RcEntities::spawn_in(app.world_mut(), Unit);
        app.world_mut().resource_mut::<EntityMap<u64>>().try_insert(&rc, i).expect("alive");
        units.push(rc);
    }
    app.insert_resource(Held { units, deaths, rng: Rng::new(7) }).add_systems(Update, churn_rc);
    app
}

/// The bevy side: plain entities, despawned by hand.
#[derive(Resource)]
struct Spawned {
    units: Vec<Entity>,
    deaths: usize,
    rng: Rng,
}

#[derive(Resource, Default)]
struct Cache(EntityHashMap<u64>);

fn churn_despawn(mut spawned: ResMut<Spawned>, mut cache: ResMut<Cache>, mut commands: Commands) {
    let Spawned { units, deaths, rng } = &mut *spawned;
    for _ in 0..*deaths {
        commands.entity(units.swap_remove(rng.below(units.len()))).despawn();
    }
    for i in 0..*deaths as u64 {
        let entity = commands.spawn(Unit).id();
        cache.0.insert(entity, i);
        units.push(entity);
    }
}

fn forget_removed(remove: On<Remove<Unit>>, mut cache: ResMut<Cache>) {
    cache.0.remove(&remove.entity);
}

fn bevy_app(live: usize, deaths: usize) -> App {
    let mut app = App::new();
    app.init_resource::<Cache>().add_observer(forget_removed);
    let units: Vec<Entity> = (0..live).map(|_| app.world_mut().spawn(Unit).id()).collect();
    app.world_mut().resource_mut::<Cache>().0.extend(units.iter().zip(0..).map(|(&e, i)| (e, i)));
    app.insert_resource(Spawned { units, deaths, rng: Rng::new(7) }).add_systems(Update, churn_despawn);
    app
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("bevy_churn");
    configure(&mut group, 500, 2000);
    for live in SIZES {
        for deaths in DEATHS {
            let mut app = weakarena_app(live, deaths);
            group.bench_function(format!("weakarena/{live}/{deaths}"), |bencher| {
                bencher.iter(|| app.update())
            });
            assert_eq!(app.world().resource::<EntityMap<u64>>().len(), live);
            let mut app = bevy_app(live, deaths);
            group.bench_function(format!("bevy_observer/{live}/{deaths}"), |bencher| {
                bencher.iter(|| app.update())
            });
            assert_eq!(app.world().resource::<Cache>().0.len(), live);
        }
    }
    group.finish();
    criterion.final_summary();
}

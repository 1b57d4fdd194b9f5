//! A headless skirmish on refcounted entities: two teams of squads, units
//! that hold their squad, targets held weakly, and a per-unit cache that
//! cleans itself.
//!
//! The phases of one app update:
//! 1. `select_targets` (Update): each unit reads its target's weak handle;
//!    a dead target is replaced by the first living enemy.
//! 2. `fight` (Update): each unit hits its target; a unit at zero health is
//!    killed — the army drops its only handle — and its killer's cache
//!    entry counts the kill.
//! 3. the frame end (Last, `WeakArenaPlugin`): dead units run their
//!    finalizers and despawn; a squad whose last unit died despawns with
//!    them (its units held it); the cache drops the dead units' entries.
//! 4. `report` (Last, after the frame end): prints what died.
//!
//! ```text
//! cargo run -p weakarena-bevy --example squads
//! ```

use bevy_app::{App, Last, Update};
use bevy_ecs::component::Component;
use bevy_ecs::message::MessageReader;
use bevy_ecs::query::With;
use bevy_ecs::resource::Resource;
use bevy_ecs::schedule::IntoScheduleConfigs;
use bevy_ecs::system::{Query, Res};
use bevy_ecs::world::World;
use weakarena_bevy::{
    EntityDeaths, EntityMap, EntityRc, EntityWeak, RcEntities, WeakArenaAppExt, WeakArenaPlugin,
    WeakArenaSystems,
};
use weakarena_core::Finalizer;

const TEAMS: [&str; 2] = ["red", "blue"];
const SQUADS_PER_TEAM: usize = 2;
const UNITS_PER_SQUAD: usize = 3;

#[derive(Component)]
struct Unit {
    team: usize,
    health: i32,
    strength: i32,
}

/// A unit's strong handle to its squad: the squad lives while a unit does.
#[derive(Component)]
struct InSquad(#[allow(dead_code, reason = "held for its count")] EntityRc);

/// A unit's target, held weakly: the target's death needs no cleanup here.
#[derive(Component, Default)]
struct Target(Option<EntityWeak>);

/// What the cache keeps per unit.
#[derive(Default, Debug)]
struct Stats {
    hits: u32,
    kills: u32,
}

/// The only strong handles to units: dropping one is the kill.
#[derive(Resource, Default)]
struct Army(Vec<EntityRc>);

fn select_targets(
    mut units: Query<(&Unit, &mut Target)>,
    all: Query<&Unit>,
    army: Res<Army>,
    entities: Res<RcEntities>,
) {
    for (unit, mut target) in &mut units {
        if target.0.is_some_and(|weak| entities.is_alive(weak)) {
            continue; // the weak handle still reads alive
        }
        let enemy = army.0.iter().find(|rc| all.get(rc.entity()).is_ok_and(|other| other.team != unit.team));
        target.0 = enemy.map(EntityRc::downgrade);
    }
}

fn fight(world: &mut World) {
    let army = &world.resource::<Army>().0;
    let attacks: Vec<(EntityWeak, EntityWeak, i32)> = army
        .iter()
        .filter_map(|rc| {
            Some((
                rc.downgrade(),
                world.get::<Target>(rc.entity())?.0?,
                world.get::<Unit>(rc.entity())?.strength,
            ))
        })
        .collect();
    for (attacker, target, strength) in attacks {
        let entities = world.resource::<RcEntities>();
        // Killed earlier in this loop: both handles read dead at once, before any despawn.
        let (Some(victim), true) = (entities.get(target), entities.is_alive(attacker)) else { continue };
        let mut unit = world.get_mut::<Unit>(victim).expect("a live target is spawned");
        unit.health -= strength;
        let killed = unit.health <= 0;
        if let Some(stats) = world.resource_mut::<EntityMap<Stats>>().get_mut(attacker) {
            stats.hits += 1;
            stats.kills += u32::from(killed);
        }
        if killed {
            world.resource_mut::<Army>().0.retain(|rc| rc.downgrade() != target);
            // the kill
        }
    }
}

fn report(
    mut deaths: MessageReader<EntityDeaths>,
    cache: Res<EntityMap<Stats>>,
    living: Query<&Unit, With<InSquad>>,
) {
    for message in deaths.read() {
        let figures = &message.figures;
        println!(
            "  frame {}: {} despawned (passes {}, finalizers {}, cache entries swept {}); units left {}, cached {}",
            figures.frame,
            message.entities.len(),
            figures.passes,
            figures.finalizers_run,
            figures.swept,
            living.iter().count(),
            cache.len(),
        );
    }
}

/// Spawns the squads and their units; returns the army.
fn deploy(app: &mut App) {
    let mut strength = 2;
    for (team, name) in TEAMS.iter().enumerate() {
        for squad_number in 1..=SQUADS_PER_TEAM {
            let squad = RcEntities::spawn_in(app.world_mut(), ());
            let squad_name = format!("{name}-{squad_number}");
            let _disbanded =
                Finalizer::new(squad.strong(), move || println!("    squad {squad_name} disbanded"));
            for unit_number in 1..=UNITS_PER_SQUAD {
                strength = strength % 5 + 2;
                let unit = Unit { team, health: 10, strength };
                let rc =
                    RcEntities::spawn_in(app.world_mut(), (unit, InSquad(squad.clone()), Target::default()));
                let unit_name = format!("{name}-{squad_number}.{unit_number}");
                let _obituary = Finalizer::new(rc.strong(), move || println!("    {unit_name} fell"));
                app.world_mut()
                    .resource_mut::<EntityMap<Stats>>()
                    .try_insert(&rc, Stats::default())
                    .expect("alive");
                app.world_mut().resource_mut::<Army>().0.push(rc);
            }
        }
    }
}

fn main() {
    let mut app = App::new();
    app.add_plugins(WeakArenaPlugin::default())
        .add_entity_map::<Stats>()
        .init_resource::<Army>()
        .add_systems(Update, (select_targets, fight).chain())
        .add_systems(Last, report.after(WeakArenaSystems::EndFrame));
    deploy(&mut app);
    for update in 1..=40 {
        println!("update {update}");
        app.update();
        let army = &app.world().resource::<Army>().0;
        let teams_left = TEAMS.iter().enumerate().filter(|(team, _)| {
            army.iter().any(|rc| app.world().get::<Unit>(rc.entity()).is_some_and(|unit| unit.team == *team))
        });
        if teams_left.count() < 2 {
            break;
        }
    }
    let world = app.world();
    let best =
        world.resource::<EntityMap<Stats>>().iter().max_by_key(|(_, stats)| stats.kills).map(|(_, s)| s);
    println!(
        "refcounted entities alive: {}; the best survivor's record: {best:?}",
        world.resource::<RcEntities>().len()
    );
    println!("dropping the app (its last handles go, and their finalizers run):");
}

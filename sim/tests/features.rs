//! A short run in which every weak feature's effect is checked after every
//! frame: targets, registry, statistics, selection, species resources and
//! their finalizers, the camera proxy, weak-method handlers, obituaries.

use std::collections::HashSet;

use weakarena_core::Weak;
use weakarena_sim::{agent_name, Agent, FrameLoop, FrameOutcome, SpeciesId, World, WorldConfig};

const FRAMES: u64 = 90;
const DODO: SpeciesId = SpeciesId(2);

/// The default ecosystem, squeezed so that everything happens quickly: the
/// dodos cannot breed and die of age within 40 frames; hunters live 60.
fn config() -> WorldConfig {
    let mut config = WorldConfig::new(500, 5);
    let dodo = &mut config.species[DODO.index()];
    dodo.max_age = 40;
    dodo.birth_chance = 0.0;
    for spec in config.species.iter_mut().filter(|spec| spec.is_predator()) {
        spec.max_age = 60;
    }
    config
}

/// What the world looked like before a frame.
struct Before {
    alive: Vec<bool>,
    subject: Option<Weak<Agent>>,
    switches: u64,
}

impl Before {
    fn of(world: &World) -> Before {
        let alive =
            world.book().ids().map(|id| world.species_arena().contains(world.book().resources(id))).collect();
        Before { alive, subject: world.camera().subject(), switches: world.camera().switches() }
    }
}

/// Runs `FRAMES` frames, calling `check` after each with the state before it.
fn run(mut check: impl FnMut(&World, &Before, &FrameOutcome)) {
    let mut sim = FrameLoop::new(World::new(&config()));
    for _ in 0..FRAMES {
        let before = Before::of(sim.world());
        let outcome = sim.step();
        sim.world().check_invariants().unwrap_or_else(|e| panic!("frame {}: {e}", outcome.frame));
        check(sim.world(), &before, &outcome);
    }
}

#[test]
fn no_hunter_holds_a_dead_target_after_a_frame() {
    let mut chasing = 0;
    run(|world, _, outcome| {
        for (handle, agent) in world.agents().iter() {
            if let Some(target) = agent.target {
                assert!(
                    world.agents().contains(target),
                    "frame {}: {handle:?} chases the dead",
                    outcome.frame
                );
                chasing += 1;
            }
        }
    });
    assert!(chasing > 0, "some hunter must have chased something");
}

#[test]
fn registry_and_statistics_hold_exactly_the_live_agents() {
    run(|world, _, outcome| {
        let live = world.agents().len();
        assert_eq!(world.registry().len(), live, "frame {}", outcome.frame);
        assert_eq!(world.stats().len(), live, "frame {}", outcome.frame);
        for (handle, agent) in world.agents().iter() {
            let name = agent_name(world.book().spec(agent.species).name, agent.id);
            assert_eq!(world.by_name(&name), Some(handle));
            assert!(world.stats().contains_key(handle));
        }
        // Each death of the frame took exactly one entry out of each.
        let deaths = outcome.reports[0].death_count();
        assert_eq!(outcome.sweeps[0].removed, deaths, "registry, frame {}", outcome.frame);
        assert_eq!(outcome.sweeps[1].removed, deaths, "statistics, frame {}", outcome.frame);
        assert_eq!(world.selection().len(), world.selection().live_len());
    });
}

#[test]
fn species_resources_are_freed_exactly_at_extinction() {
    let mut extinctions = 0;
    run(|world, before, outcome| {
        let book = world.book();
        for id in book.ids() {
            let resources = book.resources(id);
            let alive = world.species_arena().contains(resources);
            assert_eq!(alive, book.population(id) > 0, "{} at frame {}", book.spec(id).name, outcome.frame);
            assert_eq!(world.species_arena().strong_count(resources), book.population(id) as usize);
            let died_now = before.alive[id.index()] && !alive;
            // Freed in this frame's end_frames cascade, finalizer included.
            assert_eq!(outcome.reports[1].died(resources.raw()), died_now);
            if died_now {
                extinctions += 1;
                let recorded = book.extinctions().iter().find(|e| e.species == id).expect("finalizer ran");
                assert_eq!(recorded.frame, outcome.frame);
                assert_eq!(outcome.reports[1].finalizers_run, 1);
            }
        }
    });
    assert!(extinctions >= 1, "the dodos must die out");
}

#[test]
fn the_camera_switches_when_its_agent_dies() {
    let mut switches_on_death = 0;
    run(|world, before, outcome| {
        let camera = world.camera();
        match before.subject {
            Some(previous) if !world.agents().contains(previous) => {
                assert_ne!(camera.subject(), Some(previous), "frame {}", outcome.frame);
                assert_eq!(camera.switches(), before.switches + 1);
                switches_on_death += 1;
            }
            Some(previous) => {
                assert_eq!(camera.subject(), Some(previous), "no switch while it lives");
                assert_eq!(camera.switches(), before.switches);
            }
            None => assert!(camera.subject().is_some()),
        }
    });
    assert!(switches_on_death >= 1, "the camera's subject must die at least once");
}

#[test]
fn handlers_obituaries_and_grids_follow_their_objects() {
    let mut stale_seen = false;
    run(|world, before, outcome| {
        // A species' weak-method handler is dropped at the first dispatch
        // after its resources died.
        let alive_before = before.alive.iter().filter(|&&alive| alive).count();
        assert_eq!(world.events().handlers(), alive_before, "frame {}", outcome.frame);
        // Obituaries name agents that are gone.
        for obituary in world.legends().obituaries() {
            assert!(world.by_name(&obituary.name).is_none());
        }
        // The grids keep weak handles to agents killed after the rebuild;
        // queries skip them.
        stale_seen |= world.prey_grid().stale(world.agents()) > 0;
    });
    assert!(stale_seen);
}

#[test]
fn census_handlers_count_what_happened() {
    let mut sim = FrameLoop::new(World::new(&config()));
    let founders = config().founders()[DODO.index()] as u64;
    for _ in 0..FRAMES {
        sim.step();
    }
    let world = sim.world();
    let dodo = world.book().census(DODO);
    assert_eq!((dodo.births, dodo.deaths), (0, founders));
    let kills: u64 = world.book().ids().map(|id| world.book().census(id).kills).sum();
    assert_eq!(kills, world.tally().eaten);
    let names: HashSet<&str> = world.legends().obituaries().iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names.len(), world.legends().obituaries().len(), "one obituary per legend");
}

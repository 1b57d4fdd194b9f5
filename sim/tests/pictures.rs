//! What the pictures show: the plot names its run and marks extinctions; a
//! snapshot draws every live agent, every chase and the camera's agent.

use std::path::PathBuf;

use weakarena_sim::{
    render_snapshot, run, run_observed, wrapped_segments, Config, FrameLoop, Snapshot, Torus, Vec2, World,
    WorldConfig, DOT_RADIUS,
};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weakarena-sim-pictures-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Line pieces a chase from inside the torus to `to` (the short way, maybe
/// past an edge) needs: one, and one more per axis whose edge it crosses.
fn pieces(torus: Torus, to: Vec2) -> usize {
    let crosses = |v: f32, size: f32| usize::from(!(0.0..size).contains(&v));
    1 + crosses(to.x, torus.width) + crosses(to.y, torus.height)
}

/// The hunters with a live target in `world`, and the line pieces they need.
fn chases(world: &World) -> (usize, usize) {
    let (agents, torus) = (world.agents(), world.torus());
    let mut count = (0, 0);
    for (_, agent) in agents.iter() {
        if let Some(prey) = agent.target.and_then(|t| agents.get(t)).filter(|_| agent.hunter) {
            count.0 += 1;
            count.1 += pieces(torus, agent.pos + torus.delta(agent.pos, prey.pos));
        }
    }
    count
}

#[test]
fn a_snapshot_draws_every_agent_every_chase_and_the_camera() {
    let mut sim = FrameLoop::new(World::new(&WorldConfig::new(400, 11)));
    for _ in 0..40 {
        sim.step();
    }
    let world = sim.world();
    let svg = render_snapshot(world, 40).unwrap();
    let camera = world.camera().subject().is_some_and(|s| world.agents().contains(s));
    assert!(camera, "the camera follows someone after 40 frames");
    let circles = svg.matches("<circle").count();
    let dot_circles = svg.matches(&format!("r=\"{DOT_RADIUS}\"")).count();
    assert_eq!(dot_circles, world.agents().len(), "a dot per live agent");
    assert_eq!(circles, dot_circles + 1, "and the camera's ring");
    let (hunters, needed) = chases(world);
    assert!(hunters > 10, "hunters chase after 40 frames: {hunters}");
    // Each chase's pieces, and the camera's cross (two lines).
    assert_eq!(svg.matches("<polyline").count(), needed + 2);
    assert!(svg.contains("frame 40, seed 11: ") && svg.contains("rabbit "), "the title and legend");
}

#[test]
fn a_chase_across_an_edge_goes_on_from_the_opposite_edge() {
    let torus = Torus::square(100.0);
    let inside = wrapped_segments(torus, Vec2::new(10.0, 10.0), Vec2::new(20.0, 30.0));
    assert_eq!(inside, [(Vec2::new(10.0, 10.0), Vec2::new(20.0, 30.0))]);
    // From x = 95 right to x = 105: 95..100, then 0..5 on the left edge.
    let across = wrapped_segments(torus, Vec2::new(95.0, 50.0), Vec2::new(105.0, 50.0));
    assert_eq!(across.len(), 2, "{across:?}");
    assert!(across.contains(&(Vec2::new(95.0, 50.0), Vec2::new(100.0, 50.0))), "{across:?}");
    assert!(across.contains(&(Vec2::new(-0.0, 50.0), Vec2::new(5.0, 50.0))), "{across:?}");
    let corner = wrapped_segments(torus, Vec2::new(98.0, 97.0), Vec2::new(104.0, 105.0));
    assert_eq!(corner.len(), 3, "across a corner: {corner:?}");
    for (a, b) in corner {
        for p in [a, b] {
            assert!((0.0..=100.0).contains(&p.x) && (0.0..=100.0).contains(&p.y), "{p:?} inside");
        }
    }
}

#[test]
fn a_run_takes_its_snapshots_at_their_frames() {
    let dir = scratch("run");
    let shots = [0, 7, 12].map(|frame| Snapshot { frame, path: dir.join(format!("at-{frame}.svg")) });
    let config = Config { snapshots: shots.to_vec(), ..Config::new(300, 12, 5, 2) };
    let mut live = vec![300];
    run_observed(&config, |world, _| live.push(world.agents().len())).unwrap();
    for shot in &shots {
        let svg = std::fs::read_to_string(&shot.path).unwrap();
        let dots = svg.matches(&format!("r=\"{DOT_RADIUS}\"")).count();
        assert_eq!(dots, live[shot.frame as usize], "frame {}", shot.frame);
        assert!(svg.contains(&format!("frame {}, seed 5: ", shot.frame)));
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_snapshots_do_not_change_the_run() {
    let dir = scratch("same");
    let plain = run(&Config::new(300, 20, 3, 1)).unwrap().deterministic;
    let shots = vec![Snapshot { frame: 10, path: dir.join("s.svg") }];
    let drawn = run(&Config { snapshots: shots, ..Config::new(300, 20, 3, 1) }).unwrap().deterministic;
    assert_eq!(plain, drawn);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_plot_names_its_run_and_marks_extinctions() {
    let dir = scratch("plot");
    let plot = dir.join("plot.svg");
    // Seed 42 at 600 agents: the dodo dies out within 400 frames.
    let config = Config { plot: Some(plot.clone()), ..Config::new(600, 400, 42, 1) };
    let report = run(&config).unwrap();
    let svg = std::fs::read_to_string(&plot).unwrap();
    let label = "400 frames, 600 founding agents, seed 42, 1 thread";
    assert!(svg.lines().any(|line| line == label), "the run label, as a text of its own");
    let extinct = &report.deterministic.extinctions;
    assert!(!extinct.is_empty(), "the run must see an extinction: {:?}", report.deterministic.species);
    for e in extinct {
        assert!(svg.contains(&format!("{} extinct at frame {}", e.species, e.frame)), "{e:?}");
    }
    let marks = svg.matches(" extinct at frame ").count();
    assert_eq!(marks, extinct.len(), "one mark per extinction");
    std::fs::remove_dir_all(dir).unwrap();
}

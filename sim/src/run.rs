//! A whole run: thread pool, world, frames, progress, report, outputs.

use std::time::Instant;

use rayon::ThreadPoolBuilder;

use crate::cli::Config;
use crate::error::SimError;
use crate::outputs::Outputs;
use crate::progress::Progress;
use crate::record::Recorder;
use crate::report::RunReport;
use crate::save::Saved;
use crate::world::World;
use weakarena_collections::frame_loop::{FrameLoop, FrameOutcome};

/// Runs the simulation `config` describes on its own thread pool, writes
/// the `--json` and `--plot` files, and returns the report.
///
/// Output paths are created before the first frame, so a bad one fails at
/// once.
pub fn run(config: &Config) -> Result<RunReport, SimError> {
    run_observed(config, |_, _| {})
}

/// [`run`], calling `observe` after every frame with the world and what the
/// frame did (tests check invariants here).
pub fn run_observed<F>(config: &Config, mut observe: F) -> Result<RunReport, SimError>
where
    F: FnMut(&World, &FrameOutcome) + Send,
{
    config.validate()?;
    let loaded = crate::save::load_for(config)?;
    let config = &crate::save::continued(config, loaded.as_ref());
    let outputs = Outputs::prepare(config)?;
    let save_to = crate::save::prepare(config)?;
    let pool = ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .thread_name(|i| format!("sim-worker-{i}"))
        .build()
        .map_err(|error| SimError::Threads(error.to_string()))?;
    let (report, world, next_frame) = pool.install(|| simulate(config, loaded, &mut observe));
    outputs.write(&report)?;
    if let Some(target) = save_to {
        target.write(&world, next_frame)?;
    }
    Ok(report)
}

fn simulate(
    config: &Config,
    loaded: Option<Saved>,
    observe: &mut dyn FnMut(&World, &FrameOutcome),
) -> (RunReport, World, u64) {
    let started = Instant::now();
    let mut sim = match loaded {
        Some(saved) => FrameLoop::resume(saved.world, saved.next_frame),
        None => FrameLoop::new(World::new(&config.world())),
    };
    let mut recorder = Recorder::default();
    let progress = Progress::new(config.frames, config.progress);
    for _ in 0..config.frames {
        let outcome = sim.step();
        recorder.record(sim.world(), &outcome);
        observe(sim.world(), &outcome);
        progress.tick(sim.world(), outcome.frame);
    }
    progress.finish();
    let report = RunReport::build(config, sim.world(), &recorder, started.elapsed());
    let next_frame = sim.frame();
    (report, sim.into_world(), next_frame)
}

//! A whole run: thread pool, world, frames, progress, report, outputs.

use std::io::Write;
use std::time::Instant;

use rayon::ThreadPoolBuilder;

use crate::cli::Config;
use crate::error::SimError;
use crate::outputs::Outputs;
use crate::progress::Progress;
use crate::record::Recorder;
use crate::report::RunReport;
use crate::save::Saved;
use crate::snapshot::Snapshots;
use crate::world::World;
use weakarena_collections::frame_loop::{FrameLoop, FrameOutcome};

/// Runs the simulation `config` describes on its own thread pool, writes
/// the `--json`, `--plot`, `--snapshot` and `--save` files, and returns the
/// report. `--json -` writes the report to the process's standard output.
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
    run_to(config, &mut observe, &mut std::io::stdout())
}

/// [`run_observed`], writing `--json -` to `stdout`.
pub(crate) fn run_to(
    config: &Config,
    observe: &mut (dyn FnMut(&World, &FrameOutcome) + Send),
    stdout: &mut dyn Write,
) -> Result<RunReport, SimError> {
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
    let finished = pool.install(|| simulate(config, loaded, observe))?;
    outputs.write(&finished.report, &finished.snapshots, stdout)?;
    if let Some(target) = save_to {
        target.write(&finished.world, finished.next_frame)?;
    }
    Ok(finished.report)
}

/// What a run leaves: its report, its world, the frame the loop runs next
/// and the snapshots drawn on the way.
struct Finished {
    report: RunReport,
    world: World,
    next_frame: u64,
    snapshots: Vec<String>,
}

fn simulate(
    config: &Config,
    loaded: Option<Saved>,
    observe: &mut dyn FnMut(&World, &FrameOutcome),
) -> Result<Finished, SimError> {
    let started = Instant::now();
    let mut sim = match loaded {
        Some(saved) => FrameLoop::resume(saved.world, saved.next_frame),
        None => FrameLoop::new(World::new(&config.world())),
    };
    let mut recorder = Recorder { first_frame: sim.frame(), ..Recorder::default() };
    let mut snapshots = Snapshots::new(&config.snapshots);
    snapshots.take(0, sim.world())?;
    let progress = Progress::new(config.frames, config.progress);
    for done in 1..=config.frames {
        let outcome = sim.step();
        recorder.record(sim.world(), &outcome);
        observe(sim.world(), &outcome);
        snapshots.take(done, sim.world())?;
        progress.tick(sim.world(), outcome.frame);
    }
    progress.finish();
    let report = RunReport::build(config, sim.world(), &recorder, started.elapsed());
    let next_frame = sim.frame();
    Ok(Finished { report, world: sim.into_world(), next_frame, snapshots: snapshots.pictures() })
}

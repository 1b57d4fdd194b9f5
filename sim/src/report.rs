//! The run's report: a `deterministic` part that depends only on the seed
//! and the arguments, never on threads or timing, and a `timings` part.

use std::time::Duration;

use serde::Serialize;

use crate::cli::Config;
use crate::memory::peak_rss_bytes;
use crate::record::Recorder;
use crate::species::{SpeciesId, SpeciesSpec};
use crate::world::World;

/// Everything a run reports; serialized as the `--json` file.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct RunReport {
    /// Identical for the same seed and arguments, whatever `--threads`.
    pub deterministic: Deterministic,
    /// How long it took, and on how many threads.
    pub timings: Timings,
}

/// The part of the report that must not depend on threads or timing.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Deterministic {
    /// The seed.
    pub seed: u64,
    /// Founding agents.
    pub agents: u32,
    /// Frames run.
    pub frames: u32,
    /// The world's frame number when this run began: 0, or the frame a
    /// `--load`ed save left off at. Frame numbers in the report (the
    /// extinctions', `extinct_at`) count from the world's start.
    pub first_frame: u64,
    /// Per species, in table order.
    pub species: Vec<SpeciesReport>,
    /// Agents alive at the end.
    pub final_population: u64,
    /// Agents born during the run.
    pub births: u64,
    /// Deaths by cause.
    pub deaths: Deaths,
    /// Species that died out, in order.
    pub extinctions: Vec<ExtinctionReport>,
    /// Entries reclaimed by the sweeps, per collection.
    pub entries_swept: Swept,
    /// Times the camera switched subjects.
    pub camera_switches: u64,
    /// Legends whose obituary was written.
    pub obituaries: u64,
    /// Handler calls made by the event bus.
    pub events_delivered: u64,
    /// Handlers dropped because their species died out.
    pub handlers_pruned: u64,
    /// Digest of the final world, as 16 hex digits.
    pub checksum: String,
}

/// One species' story.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct SpeciesReport {
    /// Its name.
    pub name: String,
    /// `"prey"` or `"predator"`.
    pub role: String,
    /// Members at the end.
    pub final_population: u32,
    /// Most members at once.
    pub peak_population: u32,
    /// Births its census handler counted.
    pub births: u64,
    /// Deaths its census handler counted.
    pub deaths: u64,
    /// Catches its census handler counted.
    pub kills: u64,
    /// The frame it went extinct, if it did.
    pub extinct_at: Option<u64>,
    /// Members after each frame.
    pub population: Vec<u32>,
}

/// Deaths by cause.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Deaths {
    /// Caught by hunters.
    pub eaten: u64,
    /// Ran out of energy.
    pub starved: u64,
    /// Reached their maximum age.
    pub old_age: u64,
    /// All of them.
    pub total: u64,
}

/// An extinction.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ExtinctionReport {
    /// The species.
    pub species: String,
    /// The frame its resources were freed.
    pub frame: u64,
}

/// Entries reclaimed by sweeps.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Swept {
    /// From the name registry (`WeakValueMap`).
    pub registry: u64,
    /// From the statistics (`WeakKeyMap`).
    pub stats: u64,
    /// From the selection (`WeakSet`).
    pub selection: u64,
    /// All of them.
    pub total: u64,
}

/// Wall-clock measurements: differ from run to run.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct Timings {
    /// Worker threads.
    pub threads: usize,
    /// The whole run, in seconds.
    pub wall_s: f64,
    /// Frame time median, in milliseconds.
    pub frame_median_ms: f64,
    /// Frame time 99th percentile, in milliseconds.
    pub frame_p99_ms: f64,
    /// Slowest frame, in milliseconds.
    pub frame_max_ms: f64,
    /// Time in the systems, in seconds.
    pub systems_s: f64,
    /// Time ending frames (cascades, callbacks, finalizers, drops), in seconds.
    pub end_frame_s: f64,
    /// Time sweeping, in seconds.
    pub sweep_s: f64,
    /// Entries reclaimed per second of sweeping.
    pub sweep_entries_per_s: f64,
    /// Peak resident memory, in bytes, where the system reports it.
    pub peak_memory_bytes: Option<u64>,
    /// Sweep time of each frame, in microseconds.
    pub sweep_us: Vec<f64>,
}

impl RunReport {
    /// What the run was: `"1200 frames, 30000 founding agents, seed 42, 2
    /// threads"`, and where a loaded run began. Titles the plot.
    ///
    /// ```
    /// use weakarena_sim::{run, Config};
    /// let report = run(&Config::new(100, 3, 9, 1)).unwrap();
    /// assert_eq!(report.run_label(), "3 frames, 100 founding agents, seed 9, 1 thread");
    /// ```
    pub fn run_label(&self) -> String {
        let d = &self.deterministic;
        let continued = match d.first_frame {
            0 => String::new(),
            first => format!(" (continued from frame {first})"),
        };
        format!("{} frames{continued}, {}", d.frames, self.founders_seed_threads())
    }

    /// `"30000 founding agents, seed 42, 2 threads"`.
    pub(crate) fn founders_seed_threads(&self) -> String {
        let (d, threads) = (&self.deterministic, self.timings.threads);
        let noun = if threads == 1 { "thread" } else { "threads" };
        format!("{} founding agents, seed {}, {threads} {noun}", d.agents, d.seed)
    }

    /// The report as the `--json` file holds it: pretty JSON and a newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|text| format!("{text}\n"))
    }

    pub(crate) fn build(config: &Config, world: &World, recorder: &Recorder, wall: Duration) -> RunReport {
        RunReport {
            deterministic: deterministic(config, world, recorder),
            timings: timings(config, world, recorder, wall),
        }
    }
}

fn deterministic(config: &Config, world: &World, recorder: &Recorder) -> Deterministic {
    let tally = world.tally();
    let swept = |i: usize| tally.swept.get(i).copied().unwrap_or(0);
    Deterministic {
        seed: config.seed,
        agents: config.agents,
        frames: config.frames,
        first_frame: recorder.first_frame,
        species: world.book().ids().map(|id| species_report(world, recorder, id)).collect(),
        final_population: world.agents().len() as u64,
        births: tally.births,
        deaths: Deaths {
            eaten: tally.eaten,
            starved: tally.starved,
            old_age: tally.old_age,
            total: tally.deaths(),
        },
        extinctions: extinctions(world),
        entries_swept: Swept {
            registry: swept(0),
            stats: swept(1),
            selection: swept(2),
            total: tally.total_swept(),
        },
        camera_switches: world.camera().switches(),
        obituaries: world.legends().obituaries().len() as u64,
        events_delivered: world.events().delivered(),
        handlers_pruned: world.events().pruned(),
        checksum: format!("{:016x}", world.checksum()),
    }
}

fn extinctions(world: &World) -> Vec<ExtinctionReport> {
    let list = world.book().extinctions().iter();
    list.map(|e| ExtinctionReport { species: e.name.to_owned(), frame: e.frame }).collect()
}

fn species_report(world: &World, recorder: &Recorder, id: SpeciesId) -> SpeciesReport {
    let book = world.book();
    let spec: &SpeciesSpec = book.spec(id);
    let census = book.census(id);
    SpeciesReport {
        name: spec.name.to_owned(),
        role: if spec.is_predator() { "predator" } else { "prey" }.to_owned(),
        final_population: book.population(id),
        peak_population: book.peak(id),
        births: census.births,
        deaths: census.deaths,
        kills: census.kills,
        extinct_at: book.extinctions().iter().find(|e| e.species == id).map(|e| e.frame),
        population: recorder.populations.get(id.index()).cloned().unwrap_or_default(),
    }
}

fn timings(config: &Config, world: &World, recorder: &Recorder, wall: Duration) -> Timings {
    let mut frames: Vec<Duration> = recorder.frame_times.clone();
    frames.sort_unstable();
    let swept = world.tally().total_swept() as f64;
    let sweep_s = recorder.sweep.as_secs_f64();
    Timings {
        threads: config.threads,
        wall_s: wall.as_secs_f64(),
        frame_median_ms: percentile_ms(&frames, 0.5),
        frame_p99_ms: percentile_ms(&frames, 0.99),
        frame_max_ms: frames.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        systems_s: recorder.systems.as_secs_f64(),
        end_frame_s: recorder.end_frame.as_secs_f64(),
        sweep_s,
        sweep_entries_per_s: if sweep_s > 0.0 { swept / sweep_s } else { 0.0 },
        peak_memory_bytes: peak_rss_bytes(),
        sweep_us: recorder.sweep_times.iter().map(|d| d.as_secs_f64() * 1e6).collect(),
    }
}

/// The `q` quantile (nearest rank) of sorted durations, in milliseconds.
fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1e3
}

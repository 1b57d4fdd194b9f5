//! The command line: flags, their limits, and the `sim` example's `main`.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

use crate::config::WorldConfig;
use crate::error::SimError;
use crate::run::run_to;
use crate::snapshot::{is_svg, Snapshot};

/// Founding agents of the default run.
pub const DEFAULT_AGENTS: u32 = 30_000;
/// Frames of the default run.
pub const DEFAULT_FRAMES: u32 = 1_200;
/// Fewest founding agents: enough for one member of each species and then some.
pub const MIN_AGENTS: u32 = 10;
/// Most founding agents (the population may grow to three times this).
pub const MAX_AGENTS: u32 = 1_000_000;
/// Most frames.
pub const MAX_FRAMES: u32 = 10_000_000;
/// Most worker threads.
pub const MAX_THREADS: usize = 1024;

/// `sim`: a predator/prey ecosystem on weakarena.
///
/// Rabbits, deer and dodos graze; wolves and foxes hunt them. Every weak
/// reference feature has a job: Weak targets, a spatial grid of weak handles,
/// a WeakValueMap name registry, a WeakKeyMap of statistics, a WeakSet
/// selection, species resources freed at extinction with a finalizer, a
/// Proxy camera, WeakMethod event handlers.
#[derive(Parser, Clone, PartialEq, Eq, Debug)]
#[command(name = "sim", version)]
pub struct Cli {
    /// Founding agents (10 to 1000000).
    #[arg(long, value_name = "N", allow_negative_numbers = true, default_value_t = DEFAULT_AGENTS,
          value_parser = clap::value_parser!(u32).range(MIN_AGENTS as i64..=MAX_AGENTS as i64))]
    pub agents: u32,

    /// Frames to run (1 to 10000000).
    #[arg(long, value_name = "N", allow_negative_numbers = true, default_value_t = DEFAULT_FRAMES,
          value_parser = clap::value_parser!(u32).range(1..=MAX_FRAMES as i64))]
    pub frames: u32,

    /// Seed of every random draw: the same seed gives the same run.
    #[arg(long, value_name = "N", allow_negative_numbers = true, default_value_t = 42)]
    pub seed: u64,

    /// Worker threads (1 to 1024) [default: one per core].
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u64).range(1..=MAX_THREADS as u64))]
    pub threads: Option<u64>,

    /// No progress bar and no summary: only errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Write the report as JSON to PATH ('-': standard output, and the summary goes to standard error).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,

    /// Draw populations and sweep times to PATH (an .svg file).
    #[arg(long, value_name = "PATH")]
    pub plot: Option<PathBuf>,

    /// Write the world to PATH at the end of the run, to continue it with --load.
    #[arg(long, value_name = "PATH")]
    pub save: Option<PathBuf>,

    /// Continue the run saved in PATH for --frames more frames (its agents and seed are the saved run's).
    #[arg(long, value_name = "PATH")]
    pub load: Option<PathBuf>,

    /// Draw the torus after FRAME frames of this run (0: before the first) to FILE.svg; repeatable.
    #[arg(long, value_name = "FRAME:FILE.svg")]
    pub snapshot: Vec<Snapshot>,
}

/// A checked run configuration.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Config {
    /// Founding agents.
    pub agents: u32,
    /// Frames to run.
    pub frames: u32,
    /// The seed.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Whether to show a progress bar (on a terminal only).
    pub progress: bool,
    /// Where to write the JSON report ([`STDOUT`]: standard output).
    pub json: Option<PathBuf>,
    /// Where to draw the plot.
    pub plot: Option<PathBuf>,
    /// Where to save the world at the end.
    pub save: Option<PathBuf>,
    /// The saved world to continue.
    pub load: Option<PathBuf>,
    /// The pictures of the world to draw, in order.
    pub snapshots: Vec<Snapshot>,
}

/// The `--json` path that means standard output.
pub const STDOUT: &str = "-";

impl Config {
    /// A quiet run of `agents` agents for `frames` frames on `threads`
    /// threads, with no output files.
    pub fn new(agents: u32, frames: u32, seed: u64, threads: usize) -> Config {
        Config {
            agents,
            frames,
            seed,
            threads,
            progress: false,
            json: None,
            plot: None,
            save: None,
            load: None,
            snapshots: Vec::new(),
        }
    }

    /// Whether the JSON report goes to standard output (`--json -`).
    pub fn json_to_stdout(&self) -> bool {
        self.json.as_deref().is_some_and(|path| path.as_os_str() == STDOUT)
    }

    /// The world this run simulates.
    pub fn world(&self) -> WorldConfig {
        WorldConfig::new(self.agents, self.seed)
    }

    /// Checks what the flag parser cannot: the plot's and the snapshots'
    /// format, that no snapshot is past the run's last frame, and that no
    /// two output files are the same.
    pub fn validate(&self) -> Result<(), SimError> {
        check_range("--agents", self.agents as u64, MIN_AGENTS as u64, MAX_AGENTS as u64)?;
        check_range("--frames", self.frames as u64, 1, MAX_FRAMES as u64)?;
        check_range("--threads", self.threads as u64, 1, MAX_THREADS as u64)?;
        if let Some(plot) = self.plot.as_deref().filter(|plot| !is_svg(plot)) {
            let message =
                format!("--plot '{}': the plot is drawn as SVG; give a path ending in .svg", plot.display());
            return Err(SimError::InvalidArgument(message));
        }
        for shot in &self.snapshots {
            self.check_snapshot(shot)?;
        }
        self.check_distinct_outputs()
    }

    fn check_snapshot(&self, shot: &Snapshot) -> Result<(), SimError> {
        let named = format!("--snapshot {}:{}", shot.frame, shot.path.display());
        if !is_svg(&shot.path) {
            return Err(SimError::InvalidArgument(format!("{named}: give a path ending in .svg")));
        }
        if shot.frame > self.frames {
            let message = format!("{named}: frame {} is past the run's last ({})", shot.frame, self.frames);
            return Err(SimError::InvalidArgument(message));
        }
        Ok(())
    }

    /// Every file the run writes, with the flag that names it.
    fn outputs(&self) -> Vec<(&'static str, &std::path::Path)> {
        let json = self.json.as_deref().filter(|_| !self.json_to_stdout()).map(|path| ("--json", path));
        let plot = self.plot.as_deref().map(|path| ("--plot", path));
        let save = self.save.as_deref().map(|path| ("--save", path));
        let shots = self.snapshots.iter().map(|shot| ("--snapshot", shot.path.as_path()));
        json.into_iter().chain(plot).chain(save).chain(shots).collect()
    }

    fn check_distinct_outputs(&self) -> Result<(), SimError> {
        let outputs = self.outputs();
        for (i, (flag, path)) in outputs.iter().enumerate() {
            if let Some((other, _)) = outputs[..i].iter().find(|(_, earlier)| earlier == path) {
                let message = format!("{other} and {flag} name the same file '{}'", path.display());
                return Err(SimError::InvalidArgument(message));
            }
        }
        Ok(())
    }
}

fn check_range(flag: &str, value: u64, low: u64, high: u64) -> Result<(), SimError> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(SimError::InvalidArgument(format!("{flag} {value} is not in {low}..={high}")))
    }
}

impl Cli {
    /// The checked configuration these flags ask for.
    pub fn config(&self) -> Result<Config, SimError> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let config = Config {
            agents: self.agents,
            frames: self.frames,
            seed: self.seed,
            threads: self.threads.map_or(cores, |n| n as usize),
            progress: !self.quiet,
            json: self.json.clone(),
            plot: self.plot.clone(),
            save: self.save.clone(),
            load: self.load.clone(),
            snapshots: self.snapshot.clone(),
        };
        config.validate()?;
        Ok(config)
    }
}

/// The `sim` example's whole `main`: parses `args` (program name first),
/// runs, prints the summary unless `--quiet`, and returns the exit status:
/// 0 on success, 2 for bad arguments, 1 when the run failed. The summary
/// goes to `out`, or to `err` when `--json -` writes the JSON report to
/// `out` (which then holds the JSON alone). Errors go to `err` with a clear
/// message; nothing panics on bad input.
pub fn main_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let (cli, config) = match parse(args) {
        Ok(parsed) => parsed,
        Err((status, message)) => {
            let sink: &mut dyn Write = if status == 0 { &mut *out } else { &mut *err };
            let _ = sink.write_all(message.as_bytes());
            return status;
        }
    };
    match run_to(&config, &mut |_, _| {}, &mut *out) {
        Ok(report) => {
            if !cli.quiet {
                let sink: &mut dyn Write = if config.json_to_stdout() { &mut *err } else { &mut *out };
                let _ = sink.write_all(report.summary().as_bytes());
            }
            0
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            1
        }
    }
}

/// The flags and the checked configuration, or the exit status and the
/// text to print (help and version exit 0).
fn parse<I, T>(args: I) -> Result<(Cli, Config), (u8, String)>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(|e| (e.exit_code() as u8, e.render().to_string()))?;
    match cli.config() {
        Ok(config) => Ok((cli, config)),
        Err(error) => Err((2, format!("error: {error}\n\nFor more information, try '--help'.\n"))),
    }
}

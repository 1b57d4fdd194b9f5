//! The differential test: generated scenarios, run by CPython's `weakref`
//! and by weakarena, must agree by SPEC.md's rule.
//!
//! `WRS_SCENARIOS` (default 300) sets how many, `WRS_SEED` the first seed
//! (scenario `i` uses seed `WRS_SEED + i`). The scenarios are written to
//! `target/tmp/wrs-generated-SEED/`, kept there when a run disagrees:
//! `cargo run -p weakarena-conformance --example replay -- --generate SEED` prints one again.
//! Skipped, with a message, when `python3` is missing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{assert_no_failures, check_replay, cpython_or_skip, scenario_files};
use weakarena_conformance::{generate, BatchRun, CPython};

const DEFAULT_SEED: u64 = 0x5eed_0000;
const DEFAULT_SCENARIOS: u64 = 300;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |value| value.parse().unwrap_or_else(|_| panic!("{name}={value:?}")))
}

/// Runs `paths` through CPython, split over a few processes at once.
fn run_cpython(python: &CPython, paths: &[PathBuf]) -> Vec<BatchRun> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let chunk = paths.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            paths.chunks(chunk).map(|paths| scope.spawn(move || python.run_batch(paths))).collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle.join().expect("a CPython batch thread").expect("cpython_runner.py --owners-batch")
            })
            .collect()
    })
}

/// Writes the generated scenarios, returning their paths and texts.
fn write_scenarios(dir: &Path, first_seed: u64, count: u64) -> Vec<(PathBuf, String)> {
    fs::create_dir_all(dir).expect("a scratch folder");
    (0..count)
        .map(|i| {
            let seed = first_seed.wrapping_add(i);
            let path = dir.join(format!("{seed}.wrs"));
            let scenario = generate(seed);
            fs::write(&path, &scenario).expect("a writable scratch folder");
            (path, scenario)
        })
        .collect()
}

#[test]
fn generated_scenarios_agree_with_cpython() {
    let Some(python) = cpython_or_skip("generated_scenarios_agree_with_cpython") else { return };
    let started = Instant::now();
    let seed = env_number("WRS_SEED", DEFAULT_SEED);
    let count = env_number("WRS_SCENARIOS", DEFAULT_SCENARIOS);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("wrs-generated-{seed}"));
    let scenarios = write_scenarios(&dir, seed, count);
    let paths: Vec<PathBuf> = scenarios.iter().map(|(path, _)| path.clone()).collect();
    let runs = run_cpython(&python, &paths);
    assert_eq!(runs.len(), scenarios.len(), "CPython ran every scenario");
    let mut failures = Vec::new();
    for ((path, scenario), run) in scenarios.iter().zip(&runs) {
        assert_eq!(&run.path, path);
        let name = path.display().to_string();
        if run.status != 0 {
            failures.push(format!(
                "{name}: CPython rejected a generated scenario (status {})\n{scenario}",
                run.status
            ));
        } else if let Err(failure) = check_replay(&name, scenario, &run.trace) {
            failures.push(failure);
        }
    }
    eprintln!(
        "{count} generated scenarios (seeds {seed}..{}), CPython {}: {} agree, {:.1?}",
        seed.wrapping_add(count),
        python.version(),
        scenarios.len() - failures.len(),
        started.elapsed()
    );
    assert_no_failures("generated scenarios", scenarios.len(), &failures);
    fs::remove_dir_all(&dir).expect("the scratch folder can go");
}

#[test]
fn cpython_still_writes_the_checked_in_traces() {
    let Some(python) = cpython_or_skip("cpython_still_writes_the_checked_in_traces") else { return };
    let files = scenario_files();
    for run in python.run_batch(&files).expect("cpython_runner.py --owners-batch") {
        let owners =
            fs::read_to_string(run.path.with_extension("owners")).expect("every scenario has .owners");
        let text: String = run.trace.iter().map(|line| format!("{line}\n")).collect();
        assert_eq!(
            (run.status, text.as_str()),
            (0, owners.as_str()),
            "CPython {} no longer writes {} (run tests/conformance/regenerate.sh --check)",
            python.version(),
            run.path.display()
        );
    }
}

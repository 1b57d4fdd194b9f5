//! What the conformance tests share: the checked-in scenarios, comparing a
//! replay with a reference trace, and finding CPython.

#![allow(dead_code, reason = "each test file uses a part of it")]

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use weakarena_conformance::{compare, conformance_dir, report, run_str, CPython, TraceLine};

/// The checked-in `scenarios/*.wrs`, sorted.
pub fn scenario_files() -> Vec<PathBuf> {
    let dir = conformance_dir().join("scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wrs"))
        .collect();
    files.sort();
    files
}

/// Replays `scenario` on weakarena and compares its trace with CPython's:
/// `Err` holds the full report (scenario, both traces, first difference).
pub fn check_replay(name: &str, scenario: &str, cpython: &[TraceLine]) -> Result<(), String> {
    let outcome = run_str(scenario);
    if let Some(error) = outcome.error {
        return Err(format!("{name}: weakarena's replay stopped with {error}\n{scenario}"));
    }
    compare(cpython, &outcome.trace).map_err(|difference| {
        format!("{name} disagrees\n{}", report(scenario, cpython, &outcome.trace, &difference))
    })
}

/// Panics with the first few failure reports and a count of all of them.
pub fn assert_no_failures(what: &str, total: usize, failures: &[String]) {
    if failures.is_empty() {
        return;
    }
    for failure in failures.iter().take(3) {
        eprintln!("{failure}\n");
    }
    panic!("{} of {total} {what} disagree (the first 3 are shown above)", failures.len());
}

/// CPython, or `None` after saying on stderr that `test` is skipped.
pub fn cpython_or_skip(test: &str) -> Option<CPython> {
    let python = CPython::find();
    if python.is_none() {
        // Straight to stderr, not through `eprintln!`, which the test
        // harness captures: a skip must be seen even when the test "passes".
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: python3 was not found (set WRS_PYTHON to a Python 3.11 interpreter); \
             nothing was compared with CPython"
        );
    }
    python
}

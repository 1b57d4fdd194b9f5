//! The checked-in scenarios against their checked-in CPython traces: needs
//! no Python.

mod common;

use std::fs;

use common::{assert_no_failures, check_replay, scenario_files};
use weakarena_conformance::parse_owners;

#[test]
fn every_checked_in_scenario_agrees_with_its_cpython_trace() {
    let files = scenario_files();
    assert!(files.len() >= 24, "scenarios are missing: {files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let scenario = fs::read_to_string(file).expect("a readable scenario");
        let owners = fs::read_to_string(file.with_extension("owners")).expect("every scenario has .owners");
        let cpython = parse_owners(&owners).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        if let Err(failure) = check_replay(&file.display().to_string(), &scenario, &cpython) {
            failures.push(failure);
        }
    }
    assert_no_failures("checked-in scenarios", files.len(), &failures);
}

#[test]
fn every_expected_trace_is_the_text_of_its_owners_trace() {
    for file in scenario_files() {
        let expected =
            fs::read_to_string(file.with_extension("expected")).expect("every scenario has .expected");
        let owners = fs::read_to_string(file.with_extension("owners")).expect("every scenario has .owners");
        let texts: String =
            parse_owners(&owners).unwrap().iter().map(|line| format!("{}\n", line.text)).collect();
        assert_eq!(texts, expected, "{}", file.display());
    }
}

#[test]
fn line_ends_and_whitespace_change_nothing() {
    for file in scenario_files() {
        let scenario = fs::read_to_string(&file).expect("a readable scenario");
        // CRLF line ends, and tabs and an ASCII unit separator (whitespace
        // to Python's `str.split`) around every space.
        let mangled = scenario.replace('\n', "\r\n").replace(' ', "\t \u{1f}");
        let owners = fs::read_to_string(file.with_extension("owners")).expect("every scenario has .owners");
        let cpython = parse_owners(&owners).expect("a valid .owners file");
        if let Err(failure) = check_replay(&file.display().to_string(), &mangled, &cpython) {
            panic!("{failure}");
        }
    }
}

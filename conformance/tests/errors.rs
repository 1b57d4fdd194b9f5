//! Malformed scenarios: both runners stop at the same line with the same
//! message, having printed the same trace, and run no exit.

mod common;

use common::cpython_or_skip;
use weakarena_conformance::{run_str, TraceLine};

/// Scenario, the error line on stderr, the `--owners` trace before it.
const CASES: [(&str, &str, &str); 20] = [
    (
        "new a A\ncount a\nfrobnicate x\ncount a\n",
        "error 3: unknown operation 'frobnicate'",
        "2\t\tcount a 1\n",
    ),
    ("new a A\nnew b A\n", "error 2: object name 'A' used twice", ""),
    ("new a A\nweak r a\ncount r\n", "error 3: variable 'r' is a weak reference, expected an object", ""),
    ("count nothere\n", "error 1: unknown variable 'nothere'", ""),
    ("new a A\nunset a f\n", "error 2: variable 'a' has no field 'f'", ""),
    ("new a A\nfin f a\natexit f maybe\n", "error 3: expected 'on' or 'off', got 'maybe'", ""),
    ("atexit 1x maybe\n", "error 1: bad variable name '1x'", ""),
    ("set 1x f unknown\n", "error 1: unknown variable 'unknown'", ""),
    ("new a A\nwkd c\nput c k1 a\n", "error 3: unknown variable 'k1'", ""),
    (
        "new a A\nwvd c\nremove c a\nget c\n",
        "error 4: variable 'c' is a weak-value dictionary, expected a weak reference or a proxy",
        "3\t\tremove c KeyError\n",
    ),
    ("new a A\nup x a\n", "error 2: variable 'a' is an object, expected a weak reference", ""),
    (
        "new a A\nweak r a\ndel a\nup x r\nlet y x\ncount y\n",
        "error 6: variable 'y' is None, expected an object",
        "",
    ),
    ("  frame   extra\n", "error 1: wrong number of operands (1)", ""),
    (
        "new a A\nfin f a\n# c\n\nwset s\nadd s f\n",
        "error 6: variable 'f' is a finalizer, expected an object",
        "",
    ),
    ("new a A\nweak r a cb\ndel a\nget r x\n", "error 4: wrong number of operands (2)", "3\tA\tcallback r\n"),
    ("new a Ä\n", "error 1: bad object name 'Ä'", ""),
    ("count it's\n", "error 1: bad variable name \"it's\"", ""),
    ("new a A\nfin f a\nset a f-g a\n", "error 3: bad field name 'f-g'", ""),
    ("count a\u{1}\n", "error 1: bad variable name 'a\\x01'", ""),
    (
        "new a A\nmethod m a\ncall m\ncall a\n",
        "error 4: variable 'a' is an object, expected a weak method",
        "3\t\tcall m hello A\n",
    ),
];

fn owners_text(trace: &[TraceLine]) -> String {
    trace.iter().map(|line| format!("{line}\n")).collect()
}

#[test]
fn weakarena_stops_at_the_bad_line() {
    for (scenario, error, trace) in CASES {
        let outcome = run_str(scenario);
        assert_eq!(outcome.error.map(|error| error.to_string()).as_deref(), Some(error), "{scenario}");
        assert_eq!(owners_text(&outcome.trace), trace, "{scenario}");
    }
}

#[test]
fn cpython_stops_at_the_same_line() {
    let Some(python) = cpython_or_skip("cpython_stops_at_the_same_line") else { return };
    for (scenario, error, trace) in CASES {
        let output = python.run_text(scenario).expect("cpython_runner.py runs");
        assert_eq!(output.status.code(), Some(2), "{scenario}");
        assert_eq!(String::from_utf8_lossy(&output.stderr), format!("{error}\n"), "{scenario}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), trace, "{scenario}");
    }
}

#[test]
fn lines_after_exit_are_never_read_by_either() {
    let scenario = "new a A\nfin f a\nexit\nthis is not an operation\n";
    let outcome = run_str(scenario);
    assert_eq!((outcome.error, owners_text(&outcome.trace)), (None, "3\t\tfinalize f\n".to_owned()));
    if let Some(python) = cpython_or_skip("lines_after_exit_are_never_read_by_either") {
        let output = python.run_text(scenario).expect("cpython_runner.py runs");
        assert!(output.status.success());
        assert_eq!(String::from_utf8_lossy(&output.stdout), "3\t\tfinalize f\n");
    }
}

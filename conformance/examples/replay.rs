//! Replays a WRS scenario (shared/conformance/SPEC.md) on weakarena and
//! prints its trace, exactly as CPython's `weakref` would print it.
//!
//! ```text
//! cargo run --release -p weakarena-conformance --example replay -- tests/conformance/scenarios/01_refcounts_and_weak_keys.wrs
//! cargo run --release -p weakarena-conformance --example replay -- --owners FILE.wrs   # SRCLINE<TAB>OWNER<TAB>TEXT
//! cargo run --release -p weakarena-conformance --example replay -- -                   # the scenario on standard input
//! cargo run --release -p weakarena-conformance --example replay -- --generate 42       # print a generated scenario
//! ```
//!
//! Each line of the scenario is one frame of a tiny simulation:
//!
//! 1. read the line and run its operation on an `Arena<Obj>` and the
//!    variables (strong handles, tracked references, proxies, weak
//!    collections, finalizers, weak methods);
//! 2. end the frame: dead objects' callbacks and finalizers run, their
//!    values drop, cascades follow;
//! 3. sweep every weak collection with the frame's report;
//! 4. print what the operation printed, then read the next line.
//!
//! Exit status: 0; 2 with `error LINE: MESSAGE` on standard error for a
//! malformed scenario; 64 for bad arguments; 66 for an unreadable file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::process::ExitCode;

use weakarena_conformance::{generate, run_reader, TraceLine};

const USAGE: &str = "usage: replay [--owners] FILE.wrs|-\n       replay --generate SEED";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (owners, path) = match args.as_slice() {
        [flag, seed] if flag == "--generate" => return print_generated(seed),
        [flag, path] if flag == "--owners" => (true, path),
        [path] if !path.starts_with("--") => (false, path),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(64);
        }
    };
    let input: Box<dyn BufRead> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        match File::open(path) {
            Ok(file) => Box::new(BufReader::new(file)),
            Err(error) => {
                eprintln!("replay: cannot read {path}: {error}");
                return ExitCode::from(66);
            }
        }
    };
    replay(input, owners)
}

/// Runs the scenario, printing each operation's lines before the next line
/// is read.
fn replay(input: impl BufRead, owners: bool) -> ExitCode {
    let mut stdout = io::stdout().lock();
    let print = |lines: &[TraceLine]| {
        for line in lines {
            // A closed standard output is not the scenario's fault: keep going quietly.
            let _ = if owners { writeln!(stdout, "{line}") } else { writeln!(stdout, "{}", line.text) };
        }
        let _ = stdout.flush();
    };
    match run_reader(input, print) {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(error)) => {
            eprintln!("{error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("replay: cannot read the scenario: {error}");
            ExitCode::from(66)
        }
    }
}

fn print_generated(seed: &str) -> ExitCode {
    match seed.parse() {
        Ok(seed) => {
            print!("{}", generate(seed));
            ExitCode::SUCCESS
        }
        Err(_) => {
            eprintln!("replay: --generate takes a number, not {seed:?}\n{USAGE}");
            ExitCode::from(64)
        }
    }
}

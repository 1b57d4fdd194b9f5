//! `--save` and `--load`: a run saved after N frames and continued for M
//! more ends in the same world as a run of N + M frames, at any thread count.

use std::path::PathBuf;

use weakarena_sim::{main_with, run, Config, SimError};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weakarena-sim-save-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn checksum(config: Config) -> String {
    run(&config).expect("the run succeeds").deterministic.checksum
}

#[test]
fn a_saved_run_continues_into_the_same_world_at_any_thread_count() {
    let dir = scratch("continue");
    let file = dir.join("world.json");
    // Long enough for deaths, births and slot reuse; the continuation
    // crosses the selection at frame 250.
    let first = Config { save: Some(file.clone()), ..Config::new(400, 150, 7, 2) };
    let saved = run(&first).unwrap();
    let whole = checksum(Config::new(400, 300, 7, 1));
    assert_ne!(saved.deterministic.checksum, whole, "the world moves on");
    for threads in [1, 3] {
        // --agents and --seed are the saved run's, whatever the flags say.
        let continued = Config { load: Some(file.clone()), ..Config::new(10, 150, 99, threads) };
        let report = run(&continued).unwrap();
        assert_eq!(report.deterministic.checksum, whole, "{threads} threads");
        assert_eq!((report.deterministic.agents, report.deterministic.seed), (400, 7));
    }
    // A loaded run saves again, and that save continues too.
    let again = dir.join("again.json");
    let middle = Config { load: Some(file), save: Some(again.clone()), ..Config::new(10, 75, 0, 2) };
    run(&middle).unwrap();
    assert_eq!(checksum(Config { load: Some(again), ..Config::new(10, 75, 0, 2) }), whole);
}

#[test]
fn bad_save_files_are_refused_with_a_message() {
    let dir = scratch("bad");
    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "[1, 2, 3]").unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["sim", "--quiet", "--frames", "1", "--load", garbage.to_str().unwrap()];
    assert_eq!(main_with(args, &mut out, &mut err), 1);
    let message = String::from_utf8(err).unwrap();
    assert!(message.contains("cannot use the --load file"), "{message}");

    let missing = Config { load: Some(dir.join("missing.json")), ..Config::new(10, 1, 0, 1) };
    assert!(matches!(run(&missing), Err(SimError::Save { flag: "--load", .. })));
    let unwritable =
        Config { save: Some(dir.join("no-such-dir").join("w.json")), ..Config::new(10, 1, 0, 1) };
    assert!(matches!(run(&unwritable), Err(SimError::Save { flag: "--save", .. })));
}

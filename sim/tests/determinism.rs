//! The same seed and arguments give the same `deterministic` report on any
//! number of threads.

use weakarena_sim::{run, Config, Deterministic};

fn deterministic(seed: u64, threads: usize) -> Deterministic {
    run(&Config::new(600, 60, seed, threads)).expect("a valid run").deterministic
}

#[test]
fn one_two_and_four_threads_agree() {
    let one = deterministic(42, 1);
    assert!(one.deaths.total > 0 && one.births > 0, "the run must do something: {one:?}");
    assert!(one.entries_swept.total > 0);
    assert_eq!(one, deterministic(42, 2));
    assert_eq!(one, deterministic(42, 4));
}

#[test]
fn another_seed_gives_another_world() {
    let a = deterministic(1, 2);
    let b = deterministic(2, 2);
    assert_ne!(a.checksum, b.checksum);
}

#[test]
fn the_report_serializes_as_two_members() {
    let report = run(&Config::new(200, 5, 3, 2)).expect("a valid run");
    let json = serde_json::to_value(&report).expect("serializable");
    let object = json.as_object().expect("an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["deterministic", "timings"]);
    assert!(json["deterministic"]["deaths"]["total"].is_u64());
    assert!(json["timings"]["frame_p99_ms"].is_f64());
}

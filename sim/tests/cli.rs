//! Bad input gets a clear message and a non-zero exit status, never a panic;
//! good input writes the JSON report and the SVG plot.

use std::path::PathBuf;

use weakarena_sim::{main_with, run, Cli, Config, SimError};

/// Runs the `sim` entry point on `args`: (status, stdout, stderr).
fn sim(args: &[&str]) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = std::iter::once("sim").chain(args.iter().copied());
    let status = main_with(argv, &mut out, &mut err);
    (status, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

/// A fresh scratch directory for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("weakarena-sim-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn out_of_range_numbers_are_refused() {
    for args in [
        ["--agents", "0"],
        ["--agents", "9"],
        ["--agents", "99999999999"],
        ["--agents", "-5"],
        ["--agents", "many"],
        ["--frames", "0"],
        ["--threads", "0"],
        ["--threads", "100000"],
        ["--seed", "-1"],
    ] {
        let (status, out, err) = sim(&args);
        assert_eq!(status, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(err.contains("error: invalid value") && err.contains(args[0]), "{args:?}: {err}");
    }
}

#[test]
fn unknown_flags_are_refused() {
    let (status, _, err) = sim(&["--agnets", "100"]);
    assert_eq!(status, 2);
    assert!(err.contains("unexpected argument '--agnets'"), "{err}");
    assert!(err.contains("--agents"), "suggests the right flag: {err}");
}

#[test]
fn help_and_version_exit_zero() {
    let (status, out, _) = sim(&["--help"]);
    assert_eq!(status, 0);
    for flag in ["--agents", "--frames", "--seed", "--threads", "--quiet", "--json", "--plot", "--snapshot"] {
        assert!(out.contains(flag), "{flag} missing from --help");
    }
    assert_eq!(sim(&["--version"]).0, 0);
}

#[test]
fn a_plot_must_be_svg() {
    let (status, _, err) = sim(&["--plot", "populations.png", "--frames", "1"]);
    assert_eq!(status, 2);
    assert!(err.contains("give a path ending in .svg"), "{err}");
    let cli = Cli { plot: Some("p.png".into()), ..cli_defaults() };
    assert!(matches!(cli.config(), Err(SimError::InvalidArgument(_))));
}

#[test]
fn unwritable_outputs_fail_before_the_run() {
    let missing = scratch("missing").join("no/such/dir");
    let json = missing.join("report.json");
    let (status, _, err) = sim(&["--json", json.to_str().unwrap(), "--agents", "100", "--frames", "1"]);
    assert_eq!(status, 1);
    assert!(err.contains("cannot write the --json file") && err.contains("report.json"), "{err}");

    let plot = missing.join("plot.svg");
    let config = Config { plot: Some(plot), ..Config::new(100, 1, 1, 1) };
    match run(&config) {
        Err(SimError::Output { flag: "--plot", .. }) => {}
        other => panic!("expected an --plot output error, got {other:?}"),
    }
}

#[test]
fn the_same_file_for_both_outputs_is_refused() {
    let (status, _, err) = sim(&["--json", "x.svg", "--plot", "x.svg"]);
    assert_eq!(status, 2);
    assert!(err.contains("same file"), "{err}");
}

#[test]
fn a_good_run_writes_json_and_svg() {
    let dir = scratch("good");
    let (json, plot) = (dir.join("report.json"), dir.join("plot.svg"));
    let args = ["--agents", "200", "--frames", "10", "--threads", "2", "--json", json.to_str().unwrap()];
    let (status, out, err) = sim(&[&args[..], &["--plot", plot.to_str().unwrap()]].concat());
    assert_eq!(status, 0, "{err}");
    assert!(
        out.contains("| frames") && out.contains("sweep throughput") && out.contains("peak memory"),
        "{out}"
    );
    assert!(out.contains("(200 founding agents, seed 42, 2 threads)"), "{out}");
    assert!(out.contains("dead entries reclaimed per second of sweeping"), "{out}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["deterministic"]["frames"], 10);
    assert_eq!(report["timings"]["threads"], 2);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("population per species"),
        "{}",
        &svg[..80.min(svg.len())]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn snapshots_parse_and_repeat() {
    let args = ["sim", "--frames", "10", "--snapshot", "0:a.svg", "--snapshot", "10:dir/b.SVG"];
    let cli = <Cli as clap::Parser>::try_parse_from(args).unwrap();
    let config = cli.config().unwrap();
    let shots: Vec<(u32, &str)> =
        config.snapshots.iter().map(|shot| (shot.frame, shot.path.to_str().unwrap())).collect();
    assert_eq!(shots, [(0, "a.svg"), (10, "dir/b.SVG")]);
}

#[test]
fn bad_snapshots_are_refused_with_a_message() {
    for (args, expected) in [
        (&["--snapshot", "12"][..], "'12' is not FRAME:FILE.svg"),
        (&["--snapshot", "12:"][..], "give a path ending in .svg"),
        (&["--snapshot", "twelve:w.svg"][..], "'twelve' is not a frame number"),
        (&["--snapshot=-1:w.svg"][..], "'-1' is not a frame number"),
        (&["--snapshot", "3:w.png"][..], "give a path ending in .svg"),
        (&["--frames", "5", "--snapshot", "6:w.svg"][..], "frame 6 is past the run's last (5)"),
        (
            &["--snapshot", "1:w.svg", "--snapshot", "2:w.svg"][..],
            "--snapshot and --snapshot name the same file",
        ),
        (&["--plot", "w.svg", "--snapshot", "2:w.svg"][..], "--plot and --snapshot name the same file"),
    ] {
        let (status, out, err) = sim(args);
        assert_eq!(status, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.starts_with("error: ") && err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn an_unwritable_snapshot_fails_before_the_run() {
    let path = scratch("snapshot-missing").join("no/such/dir/w.svg");
    let shot = format!("1:{}", path.display());
    let (status, out, err) = sim(&["--agents", "100", "--frames", "1", "--snapshot", &shot]);
    assert_eq!((status, out.as_str()), (1, ""));
    assert!(err.starts_with("error: cannot write the --snapshot file") && err.contains("w.svg"), "{err}");
}

#[test]
fn json_to_stdout_is_the_json_alone() {
    let (status, out, err) = sim(&["--agents", "100", "--frames", "3", "--threads", "1", "--json", "-"]);
    assert_eq!(status, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("stdout is one JSON document");
    assert_eq!(report["deterministic"]["frames"], 3);
    assert!(err.contains("| frames") && err.contains("1 thread)"), "the summary goes to stderr: {err}");
    assert!(!std::path::Path::new("-").exists(), "no file named '-'");

    let (status, out, err) = sim(&["--agents", "100", "--frames", "3", "--json", "-", "--quiet"]);
    assert_eq!((status, err.as_str()), (0, ""));
    assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{out}");
}

#[test]
fn quiet_prints_nothing() {
    let (status, out, err) = sim(&["--agents", "100", "--frames", "2", "--quiet"]);
    assert_eq!((status, out.as_str(), err.as_str()), (0, "", ""));
}

fn cli_defaults() -> Cli {
    Cli {
        agents: 100,
        frames: 1,
        seed: 0,
        threads: Some(1),
        quiet: true,
        json: None,
        plot: None,
        save: None,
        load: None,
        snapshot: Vec::new(),
    }
}

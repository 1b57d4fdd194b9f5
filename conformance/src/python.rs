//! The CPython reference runner, `tests/conformance/cpython_runner.py`,
//! run from Rust.

use std::env;
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::trace::{parse_owners, TraceLine};

/// The workspace's `tests/conformance` folder: the CPython runner and the
/// checked-in scenarios.
pub fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("tests").join("conformance")
}

/// A Python interpreter that can run the reference runner.
#[derive(Clone, Debug)]
pub struct CPython {
    program: PathBuf,
    version: String,
}

/// One scenario as CPython ran it, in the `--owners` format.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BatchRun {
    /// The scenario file.
    pub path: PathBuf,
    /// Its trace.
    pub trace: Vec<TraceLine>,
    /// The runner's exit status: 0, or 2 for a malformed scenario.
    pub status: i32,
}

impl CPython {
    /// `$WRS_PYTHON`, or `python3` from the path; `None` if it cannot be
    /// started.
    pub fn find() -> Option<CPython> {
        let program = env::var_os("WRS_PYTHON").unwrap_or_else(|| OsString::from("python3"));
        let probe = "import sys; print(sys.executable); print(sys.version.split()[0])";
        let output = Command::new(&program).args(["-c", probe]).stderr(Stdio::null()).output().ok()?;
        let text = String::from_utf8(output.stdout).ok().filter(|_| output.status.success())?;
        let mut lines = text.lines();
        // Run the interpreter itself, not a wrapper such as a pyenv shim.
        let program = lines.next().filter(|path| !path.is_empty()).map_or(program.into(), PathBuf::from);
        Some(CPython { program, version: lines.next()?.to_owned() })
    }

    /// The Python version, such as `3.11.7`.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn runner(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.arg(conformance_dir().join("cpython_runner.py"));
        command
    }

    /// Runs a scenario given as text (`--owners -`): the output (stdout in
    /// the `--owners` format, stderr with any `error LINE: MESSAGE`).
    pub fn run_text(&self, scenario: &str) -> io::Result<Output> {
        let mut child = self
            .runner()
            .args(["--owners", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        child.stdin.take().expect("stdin is piped").write_all(scenario.as_bytes())?;
        child.wait_with_output()
    }

    /// Runs scenario files in one process (`--owners-batch`), each exactly
    /// as `--owners FILE` would.
    pub fn run_batch(&self, paths: &[PathBuf]) -> io::Result<Vec<BatchRun>> {
        let output = self.runner().arg("--owners-batch").args(paths).stderr(Stdio::inherit()).output()?;
        if !output.status.success() {
            return Err(io::Error::other(format!("cpython_runner.py --owners-batch: {}", output.status)));
        }
        let text = String::from_utf8(output.stdout).map_err(io::Error::other)?;
        parse_batch(&text).map_err(io::Error::other)
    }
}

/// Parses `--owners-batch` output: per file `#file PATH`, its `--owners`
/// lines, `#status N`.
fn parse_batch(text: &str) -> Result<Vec<BatchRun>, String> {
    let mut runs = Vec::new();
    let mut current: Option<(PathBuf, String)> = None;
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("#file ") {
            current = Some((PathBuf::from(path), String::new()));
        } else if let Some(status) = line.strip_prefix("#status ") {
            let (path, lines) = current.take().ok_or("#status before #file")?;
            let status = status.parse().map_err(|_| format!("bad status line {line:?}"))?;
            runs.push(BatchRun { path, trace: parse_owners(&lines)?, status });
        } else {
            let (_, lines) = current.as_mut().ok_or_else(|| format!("output outside a file: {line:?}"))?;
            lines.push_str(line);
            lines.push('\n');
        }
    }
    match current {
        Some((path, _)) => Err(format!("no status for {}", path.display())),
        None => Ok(runs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_output_splits_by_file() {
        let text = "#file a.wrs\n4\t\tcount a 1\n#status 0\n#file b.wrs\n#status 2\n";
        let runs = parse_batch(text).unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].trace[0].text, "count a 1");
        assert_eq!((runs[1].path.to_str(), runs[1].status), (Some("b.wrs"), 2));
        assert!(parse_batch("#file a.wrs\n").is_err());
        assert!(parse_batch("1\t\tx\n").is_err());
    }

    #[test]
    fn the_runner_is_where_the_crate_expects_it() {
        assert!(conformance_dir().join("cpython_runner.py").is_file());
        assert!(conformance_dir().join("scenarios").is_dir());
    }
}

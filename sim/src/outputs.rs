//! The `--json`, `--plot` and `--snapshot` files: opened before the run, so
//! a bad path fails at once instead of after the simulation, and written
//! after it. `--json -` goes to standard output instead.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{Config, STDOUT};
use crate::error::SimError;
use crate::plot::render_svg;
use crate::report::RunReport;

/// An output file, created and ready to write.
struct Output {
    flag: &'static str,
    path: PathBuf,
    file: File,
}

impl Output {
    fn create(flag: &'static str, path: &Path) -> Result<Output, SimError> {
        match File::create(path) {
            Ok(file) => Ok(Output { flag, path: path.to_owned(), file }),
            Err(source) => Err(SimError::Output { flag, path: path.to_owned(), source }),
        }
    }

    fn failed(self, source: std::io::Error) -> SimError {
        SimError::Output { flag: self.flag, path: self.path, source }
    }

    fn write(mut self, contents: &[u8]) -> Result<(), SimError> {
        let written = self.file.write_all(contents).and_then(|()| self.file.flush());
        written.map_err(|source| SimError::Output { flag: self.flag, path: self.path, source })
    }
}

/// Where the JSON report goes.
enum JsonSink {
    File(Output),
    /// `--json -`.
    Stdout,
}

/// The run's output files.
pub(crate) struct Outputs {
    json: Option<JsonSink>,
    plot: Option<Output>,
    snapshots: Vec<Output>,
}

impl Outputs {
    /// Creates the files `config` names, or says why one cannot be.
    pub(crate) fn prepare(config: &Config) -> Result<Outputs, SimError> {
        let json = match config.json.as_deref() {
            Some(_) if config.json_to_stdout() => Some(JsonSink::Stdout),
            Some(path) => Some(JsonSink::File(Output::create("--json", path)?)),
            None => None,
        };
        let plot = config.plot.as_deref().map(|path| Output::create("--plot", path)).transpose()?;
        let snapshots = config.snapshots.iter().map(|shot| Output::create("--snapshot", &shot.path));
        Ok(Outputs { json, plot, snapshots: snapshots.collect::<Result<_, _>>()? })
    }

    /// Writes the report as JSON (to `stdout` for `--json -`), draws the
    /// plot, and writes the `pictures` the snapshots took, in order.
    pub(crate) fn write(
        self,
        report: &RunReport,
        pictures: &[String],
        stdout: &mut dyn Write,
    ) -> Result<(), SimError> {
        if let Some(sink) = self.json {
            write_json(sink, report, stdout)?;
        }
        if let Some(output) = self.plot {
            output.write(render_svg(report)?.as_bytes())?;
        }
        for (output, picture) in self.snapshots.into_iter().zip(pictures) {
            output.write(picture.as_bytes())?;
        }
        Ok(())
    }
}

fn write_json(sink: JsonSink, report: &RunReport, stdout: &mut dyn Write) -> Result<(), SimError> {
    let text = report.to_json().map_err(std::io::Error::other);
    match sink {
        JsonSink::File(output) => match text {
            Ok(text) => output.write(text.as_bytes()),
            Err(error) => Err(output.failed(error)),
        },
        JsonSink::Stdout => {
            let written =
                text.and_then(|text| stdout.write_all(text.as_bytes())).and_then(|()| stdout.flush());
            written.map_err(|source| SimError::Output { flag: "--json", path: PathBuf::from(STDOUT), source })
        }
    }
}

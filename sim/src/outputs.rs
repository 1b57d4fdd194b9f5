//! The `--json` and `--plot` files: opened before the run, so a bad path
//! fails at once instead of after the simulation, and written after it.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::Config;
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

/// The run's output files.
pub(crate) struct Outputs {
    json: Option<Output>,
    plot: Option<Output>,
}

impl Outputs {
    /// Creates the files `config` names, or says why one cannot be.
    pub(crate) fn prepare(config: &Config) -> Result<Outputs, SimError> {
        let json = config.json.as_deref().map(|path| Output::create("--json", path)).transpose()?;
        let plot = config.plot.as_deref().map(|path| Output::create("--plot", path)).transpose()?;
        Ok(Outputs { json, plot })
    }

    /// Writes the report as JSON and draws the plot.
    pub(crate) fn write(self, report: &RunReport) -> Result<(), SimError> {
        if let Some(output) = self.json {
            match serde_json::to_string_pretty(report) {
                Ok(text) => output.write(format!("{text}\n").as_bytes())?,
                Err(error) => return Err(output.failed(std::io::Error::other(error))),
            }
        }
        if let Some(output) = self.plot {
            output.write(render_svg(report)?.as_bytes())?;
        }
        Ok(())
    }
}

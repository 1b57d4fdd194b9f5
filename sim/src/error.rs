//! Why a run could not be done: every failure is a value with a message.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A run that could not start or could not save its results.
#[derive(Debug)]
pub enum SimError {
    /// An argument is out of range or inconsistent with another.
    InvalidArgument(String),
    /// An output file (`--json` or `--plot`) cannot be created or written.
    Output {
        /// Which flag named the file.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The plot could not be drawn.
    Plot(String),
    /// The thread pool could not be built.
    Threads(String),
    /// The `--save` or `--load` file cannot be written or read.
    Save {
        /// Which flag named the file.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::InvalidArgument(message) => write!(f, "invalid argument: {message}"),
            SimError::Output { flag, path, source } => {
                write!(f, "cannot write the {flag} file '{}': {source}", path.display())
            }
            SimError::Plot(message) => write!(f, "cannot draw the plot: {message}"),
            SimError::Threads(message) => write!(f, "cannot start the worker threads: {message}"),
            SimError::Save { flag, path, message } => {
                write!(f, "cannot use the {flag} file '{}': {message}", path.display())
            }
        }
    }
}

impl std::error::Error for SimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SimError::Output { source, .. } => Some(source),
            _ => None,
        }
    }
}

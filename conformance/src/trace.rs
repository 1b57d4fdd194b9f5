//! Trace lines, the `--owners` format, and the sink that callbacks and
//! finalizers print into.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// One printed line, with the operation that printed it and, for a
/// callback or finalizer line caused by a death, the dead object's name.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TraceLine {
    /// 1-based source line of the operation (`str::lines()` numbering; the
    /// implicit exit is the line after the last).
    pub srcline: usize,
    /// The name of the object whose death printed the line; empty for
    /// every other line.
    pub owner: String,
    /// The line as SPEC.md prints it.
    pub text: String,
}

impl TraceLine {
    /// Parses one line of the `--owners` format, `SRCLINE\tOWNER\tTEXT`.
    ///
    /// ```
    /// use weakarena_conformance::TraceLine;
    /// let line = TraceLine::parse("16\tWilliam2\tcallback e3_weak2").unwrap();
    /// assert_eq!((line.srcline, line.owner.as_str()), (16, "William2"));
    /// assert_eq!(line.to_string(), "16\tWilliam2\tcallback e3_weak2");
    /// ```
    pub fn parse(line: &str) -> Option<TraceLine> {
        let mut fields = line.splitn(3, '\t');
        let srcline = fields.next()?.parse().ok()?;
        let owner = fields.next()?.to_owned();
        let text = fields.next()?.to_owned();
        Some(TraceLine { srcline, owner, text })
    }
}

impl fmt::Display for TraceLine {
    /// The `--owners` format (without the line end); `text` alone is the
    /// plain format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}\t{}", self.srcline, self.owner, self.text)
    }
}

/// Parses a whole `--owners` trace (a `.owners` file), or names the first
/// line that is not in the format.
pub fn parse_owners(text: &str) -> Result<Vec<TraceLine>, String> {
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            TraceLine::parse(line)
                .ok_or_else(|| format!("line {}: not SRCLINE\\tOWNER\\tTEXT: {line:?}", index + 1))
        })
        .collect()
}

/// Where the interpreter, its callbacks and its finalizers print. Clones
/// share one buffer, so a callback can hold one.
#[derive(Clone, Default)]
pub(crate) struct TraceSink(Arc<Mutex<SinkState>>);

#[derive(Default)]
struct SinkState {
    lines: Vec<TraceLine>,
    srcline: usize,
    /// Set while `callfin` or `exit` runs finalizers: their lines are not
    /// deaths, so they have no owner.
    explicit: bool,
}

impl TraceSink {
    fn state(&self) -> MutexGuard<'_, SinkState> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts the operation on `srcline`.
    pub(crate) fn begin(&self, srcline: usize) {
        let mut state = self.state();
        state.srcline = srcline;
        state.explicit = false;
    }

    /// Marks the finalizers run from now on as run explicitly (or not).
    pub(crate) fn set_explicit(&self, explicit: bool) {
        self.state().explicit = explicit;
    }

    /// An ordinary line of the current operation.
    pub(crate) fn print(&self, text: String) {
        self.emit("", text);
    }

    /// A line printed by `owner`'s death (or explicitly, see `set_explicit`).
    pub(crate) fn emit(&self, owner: &str, text: String) {
        let mut state = self.state();
        let owner = if state.explicit { String::new() } else { owner.to_owned() };
        let srcline = state.srcline;
        state.lines.push(TraceLine { srcline, owner, text });
    }

    /// The lines printed since the last call.
    pub(crate) fn take(&self) -> Vec<TraceLine> {
        std::mem::take(&mut self.state().lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_format_round_trips_and_rejects_garbage() {
        let text = "4\t\tcount p1 2\n17\tTeddy3\tcallback c2\n";
        let lines = parse_owners(text).unwrap();
        assert_eq!(lines.len(), 2);
        let back: String = lines.iter().map(|line| format!("{line}\n")).collect();
        assert_eq!(back, text);
        assert!(parse_owners("x\t\ty").is_err());
        assert!(parse_owners("3 count").is_err());
    }

    #[test]
    fn explicit_finalizer_lines_have_no_owner() {
        let sink = TraceSink::default();
        sink.begin(7);
        sink.emit("A", "finalize f".into());
        sink.set_explicit(true);
        sink.emit("A", "finalize g".into());
        let lines = sink.take();
        assert_eq!(lines[0].owner, "A");
        assert_eq!(lines[1].owner, "");
        assert!(lines.iter().all(|line| line.srcline == 7));
        assert!(sink.take().is_empty());
    }
}

//! Running a whole scenario, line by line.

use std::io::{self, BufRead};

use crate::error::ScenarioError;
use crate::interpreter::{Flow, Interpreter};
use crate::trace::TraceLine;

/// A finished scenario: its trace and, if it was malformed, the error that
/// stopped it (the trace then holds the lines printed before the bad line).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Outcome {
    /// The lines printed, in order.
    pub trace: Vec<TraceLine>,
    /// The error that stopped the scenario, if any.
    pub error: Option<ScenarioError>,
}

/// Runs the scenario read from `input`, handing each operation's lines to
/// `emit` before reading the next line. Lines are split on `\n` with one
/// trailing `\r` dropped (`str::lines()` numbering); a scenario that ends
/// without `exit` runs an exit numbered one past its last line.
///
/// Returns the scenario error that stopped it, if any; an I/O error if
/// `input` failed.
pub fn run_reader(
    mut input: impl BufRead,
    mut emit: impl FnMut(&[TraceLine]),
) -> io::Result<Option<ScenarioError>> {
    let mut interpreter = Interpreter::new();
    let mut buffer = Vec::new();
    let mut srcline = 0;
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        srcline += 1;
        let result = match std::str::from_utf8(strip_line_end(&buffer)) {
            Ok(line) => interpreter.run_line(srcline, line),
            Err(_) => Err(ScenarioError { line: srcline, message: "line is not valid UTF-8".into() }),
        };
        emit(&interpreter.take_trace());
        match result {
            Ok(Flow::Continue) => {}
            Ok(Flow::Exit) => return Ok(None),
            Err(error) => return Ok(Some(error)),
        }
    }
    interpreter.exit(srcline + 1);
    emit(&interpreter.take_trace());
    Ok(None)
}

/// The line without its `\n` and one `\r` before it.
fn strip_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Runs a scenario held in memory.
///
/// ```
/// use weakarena_conformance::run_str;
/// let outcome = run_str("new a A\nfin f a\n");
/// assert_eq!(outcome.trace[0].to_string(), "3\t\tfinalize f"); // the implicit exit
/// ```
pub fn run_str(scenario: &str) -> Outcome {
    let mut trace = Vec::new();
    let error = run_reader(scenario.as_bytes(), |lines| trace.extend_from_slice(lines))
        .expect("reading from memory cannot fail");
    Outcome { trace, error }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(outcome: &Outcome) -> Vec<String> {
        outcome.trace.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn crlf_tabs_and_comments_number_like_str_lines() {
        let outcome = run_str("# c\r\n\r\nnew\ta A\r\n  count   a \r\n");
        assert_eq!(texts(&outcome), ["4\t\tcount a 1"]);
    }

    #[test]
    fn lines_after_exit_are_not_read() {
        let outcome = run_str("new a A\nexit\ncount a\nnot an operation\n");
        assert!(outcome.error.is_none());
        assert!(outcome.trace.is_empty());
    }

    #[test]
    fn an_error_stops_after_the_trace_so_far_and_runs_no_exit() {
        let outcome = run_str("new a A\nfin f a\ncount a\nweak r a bad\ncount a\n");
        assert_eq!(texts(&outcome), ["3\t\tcount a 1"]);
        assert_eq!(outcome.error.unwrap().to_string(), "error 4: expected 'cb', got 'bad'");
    }

    #[test]
    fn invalid_utf8_is_an_error_of_its_line() {
        let mut input = b"new a A\ncount a\n".to_vec();
        input.extend_from_slice(b"count \xff\n");
        let mut trace = Vec::new();
        let error = run_reader(&input[..], |lines| trace.extend_from_slice(lines)).unwrap();
        assert_eq!(error.unwrap().line, 3);
        assert_eq!(trace.len(), 1);
    }

    #[test]
    fn a_scenario_without_a_final_newline_still_exits_after_its_last_line() {
        let outcome = run_str("new a A\nfin f a");
        assert_eq!(texts(&outcome), ["3\t\tfinalize f"]);
    }
}

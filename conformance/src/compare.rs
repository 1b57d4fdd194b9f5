//! SPEC.md's agreement rule: operation by operation the same lines, where
//! lines of different dying objects may interleave but each object's lines,
//! and all unowned lines, keep their order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write};

use crate::trace::TraceLine;

/// Where two traces first disagree.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Disagreement {
    /// The source line of the first operation whose lines differ.
    pub srcline: usize,
    /// The reference's (CPython's) first line without its match; `None`
    /// when the other trace has a line more.
    pub expected: Option<TraceLine>,
    /// The line the other trace printed in its place; `None` when it
    /// printed nothing there.
    pub actual: Option<TraceLine>,
}

/// Compares two `--owners` traces by SPEC.md's rule: grouped by source line,
/// the groups must be the same size and, for each owner (the empty owner is
/// one of its own), hold the same lines in the same order.
///
/// ```
/// use weakarena_conformance::{compare, parse_owners};
/// let cpython = parse_owners("9\tA\tcallback ra\n9\tB\tcallback rb\n9\tA\tfinalize fa\n").unwrap();
/// let replay = parse_owners("9\tB\tcallback rb\n9\tA\tcallback ra\n9\tA\tfinalize fa\n").unwrap();
/// assert!(compare(&cpython, &replay).is_ok()); // B may come first
/// let wrong = parse_owners("9\tA\tfinalize fa\n9\tA\tcallback ra\n9\tB\tcallback rb\n").unwrap();
/// let difference = compare(&cpython, &wrong).unwrap_err();
/// assert_eq!(difference.expected.unwrap().text, "callback ra"); // A's own order matters
/// ```
pub fn compare(expected: &[TraceLine], actual: &[TraceLine]) -> Result<(), Disagreement> {
    let expected = by_operation(expected);
    let actual = by_operation(actual);
    let srclines: BTreeSet<usize> = expected.keys().chain(actual.keys()).copied().collect();
    let empty = Vec::new();
    for srcline in srclines {
        let expected_lines = expected.get(&srcline).unwrap_or(&empty);
        let actual_lines = actual.get(&srcline).unwrap_or(&empty);
        if let Some((expected, actual)) = first_difference(expected_lines, actual_lines) {
            return Err(Disagreement { srcline, expected: expected.cloned(), actual: actual.cloned() });
        }
    }
    Ok(())
}

/// The lines of each operation, in order.
fn by_operation(trace: &[TraceLine]) -> BTreeMap<usize, Vec<&TraceLine>> {
    let mut groups: BTreeMap<usize, Vec<&TraceLine>> = BTreeMap::new();
    for line in trace {
        groups.entry(line.srcline).or_default().push(line);
    }
    groups
}

/// One operation's lines split by owner, each owner's in order.
fn by_owner<'a>(lines: &[&'a TraceLine]) -> HashMap<&'a str, Vec<&'a TraceLine>> {
    let mut owners: HashMap<&str, Vec<&TraceLine>> = HashMap::new();
    for line in lines {
        owners.entry(line.owner.as_str()).or_default().push(line);
    }
    owners
}

/// The first line of `expected` (in its order) whose owner's subsequence
/// differs from `actual`'s at that point, with what `actual` has there; or
/// `actual`'s first extra line.
fn first_difference<'a>(
    expected: &[&'a TraceLine],
    actual: &[&'a TraceLine],
) -> Option<(Option<&'a TraceLine>, Option<&'a TraceLine>)> {
    let expected_owners = by_owner(expected);
    let actual_owners = by_owner(actual);
    let nth_of = |owners: &HashMap<&str, Vec<&'a TraceLine>>, line: &TraceLine, rank: usize| {
        owners.get(line.owner.as_str()).and_then(|lines| lines.get(rank).copied())
    };
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for &line in expected {
        let position = rank.entry(line.owner.as_str()).or_default();
        let counterpart = nth_of(&actual_owners, line, *position);
        *position += 1;
        if counterpart.is_none_or(|other| other.text != line.text) {
            return Some((Some(line), counterpart));
        }
    }
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for &line in actual {
        let position = rank.entry(line.owner.as_str()).or_default();
        let counterpart = nth_of(&expected_owners, line, *position);
        *position += 1;
        if counterpart.is_none() {
            return Some((None, Some(line)));
        }
    }
    None
}

/// A line for a message: its text, and its owner if it has one.
fn describe(line: Option<&TraceLine>) -> String {
    match line {
        Some(line) if line.owner.is_empty() => format!("`{}`", line.text),
        Some(line) => format!("`{}` (owner {})", line.text, line.owner),
        None => String::from("nothing"),
    }
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "scenario line {}: CPython printed {}, weakarena printed {}",
            self.srcline,
            describe(self.expected.as_ref()),
            describe(self.actual.as_ref())
        )
    }
}

/// The full account of a disagreement: the scenario (numbered, the
/// operation that differs marked `>>`), both `--owners` traces, and the
/// first differing line.
pub fn report(
    scenario: &str,
    expected: &[TraceLine],
    actual: &[TraceLine],
    difference: &Disagreement,
) -> String {
    let mut text = String::from("scenario:\n");
    let mut count = 0;
    for (index, line) in scenario.lines().enumerate() {
        let mark = if index + 1 == difference.srcline { ">>" } else { "  " };
        let _ = writeln!(text, "{mark}{:4} | {line}", index + 1);
        count = index + 1;
    }
    if difference.srcline > count {
        let _ = writeln!(text, ">>{:4} | (end of scenario: the implicit exit)", count + 1);
    }
    for (who, trace) in [("CPython", expected), ("weakarena", actual)] {
        let _ = writeln!(text, "{who} trace (SRCLINE OWNER TEXT), {} lines:", trace.len());
        for line in trace {
            let _ = writeln!(text, "    {line}");
        }
    }
    let _ = writeln!(text, "first differing line: {difference}");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::parse_owners;

    fn check(expected: &str, actual: &str) -> Result<(), Disagreement> {
        compare(&parse_owners(expected).unwrap(), &parse_owners(actual).unwrap())
    }

    #[test]
    fn identical_traces_agree() {
        let trace = "4\t\tcount p1 2\n16\tW\tcallback a\n16\tW\tcallback b\n";
        assert_eq!(check(trace, trace), Ok(()));
    }

    #[test]
    fn unowned_lines_are_strictly_ordered() {
        let difference = check("5\t\tget a A\n5\t\tget b B\n", "5\t\tget b B\n5\t\tget a A\n").unwrap_err();
        assert_eq!(difference.srcline, 5);
        assert_eq!(difference.expected.unwrap().text, "get a A");
        assert_eq!(difference.actual.unwrap().text, "get b B");
    }

    #[test]
    fn lines_belong_to_their_operation() {
        let difference = check("5\t\tcount a 1\n", "6\t\tcount a 1\n").unwrap_err();
        assert_eq!(difference.srcline, 5);
        assert_eq!(difference.actual, None);
    }

    #[test]
    fn an_extra_line_is_reported() {
        let difference = check("5\tA\tcallback r\n", "5\tA\tcallback r\n5\tB\tcallback s\n").unwrap_err();
        assert_eq!(difference.expected, None);
        assert_eq!(difference.actual.unwrap().owner, "B");
        assert!(check("", "1\t\tcount a 1\n").is_err());
    }

    #[test]
    fn the_owner_is_part_of_the_line() {
        assert!(check("5\tA\tfinalize f\n", "5\t\tfinalize f\n").is_err());
    }

    #[test]
    fn the_report_shows_everything() {
        let expected = parse_owners("2\t\tcount a 1\n").unwrap();
        let actual = parse_owners("2\t\tcount a 2\n").unwrap();
        let difference = compare(&expected, &actual).unwrap_err();
        let text = report("new a A\ncount a\n", &expected, &actual, &difference);
        assert!(text.contains(">>   2 | count a"), "{text}");
        assert!(text.contains("2\t\tcount a 1") && text.contains("2\t\tcount a 2"), "{text}");
        assert!(text.contains("CPython printed `count a 1`, weakarena printed `count a 2`"), "{text}");
    }
}

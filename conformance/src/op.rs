//! One WRS operation: parsed from a line's tokens, printed back as a line.
//!
//! Parsing checks what the CPython runner checks before it looks at any
//! variable (operation name, operand count, the names being bound, field
//! names, the literal `cb`); everything that depends on the variables is
//! checked when the operation runs, in the CPython runner's order, so both
//! runners report the same error for the same line.

use std::fmt;

use crate::error::Checked;
use crate::syntax::{ident, py_repr};

/// A WRS operation (SPEC.md's table). Operands that name existing variables
/// are kept as written; the interpreter checks them.
#[derive(Clone, PartialEq, Eq, Debug)]
#[allow(missing_docs, reason = "the fields are SPEC.md's operands, named as there")]
pub enum Op {
    /// `new X NAME`
    New { var: String, name: String },
    /// `let X Y`
    Let { var: String, source: String },
    /// `del X`
    Del { var: String },
    /// `set X FIELD Y`
    Set { var: String, field: String, value: String },
    /// `unset X FIELD`
    Unset { var: String, field: String },
    /// `count X`
    Count { var: String },
    /// `weak R X [cb]`
    Weak { var: String, target: String, callback: bool },
    /// `proxy R X [cb]`
    Proxy { var: String, target: String, callback: bool },
    /// `get R`
    Get { var: String },
    /// `up X R`
    Up { var: String, source: String },
    /// `weakcount X`
    WeakCount { var: String },
    /// `wkd C`
    Wkd { var: String },
    /// `wvd C`
    Wvd { var: String },
    /// `wset C`
    Wset { var: String },
    /// `put C X V` (weak-key) or `put C K X` (weak-value)
    Put { collection: String, first: String, second: String },
    /// `putobj C X Y` (weak-key: the value is Y's object, held strongly)
    PutObj { collection: String, key: String, value: String },
    /// `add C X`
    Add { collection: String, member: String },
    /// `remove C X` or `remove C K`
    Remove { collection: String, key: String },
    /// `lookup C X` or `lookup C K`
    Lookup { collection: String, key: String },
    /// `len C`
    Len { collection: String },
    /// `items C`
    Items { collection: String },
    /// `fin F X`
    Fin { var: String, target: String },
    /// `fin_alive F`
    FinAlive { var: String },
    /// `detach F`
    Detach { var: String },
    /// `peek F`
    Peek { var: String },
    /// `callfin F`
    CallFin { var: String },
    /// `atexit F on|off` (the flag is checked after `F`, as CPython does)
    AtExit { var: String, flag: String },
    /// `method M X`
    Method { var: String, target: String },
    /// `call M`
    Call { var: String },
    /// `frame`
    Frame,
    /// `collect`
    Collect,
    /// `exit`
    Exit,
}

/// Exactly `N` operands, owned.
fn operands<const N: usize>(args: &[&str]) -> Checked<[String; N]> {
    let array: [&str; N] =
        args.try_into().map_err(|_| format!("wrong number of operands ({})", args.len()))?;
    Ok(array.map(str::to_owned))
}

/// A name being bound, checked.
fn binding(token: &str) -> Checked<String> {
    ident(token, "variable").map(str::to_owned)
}

/// The operands of `weak`/`proxy`: `R X` or `R X cb`.
fn weak_operands(args: &[&str]) -> Checked<(String, String, bool)> {
    let (var, target, callback) = match *args {
        [var, target] => (var, target, None),
        [var, target, callback] => (var, target, Some(callback)),
        _ => return Err(format!("wrong number of operands ({})", args.len())),
    };
    let var = binding(var)?;
    if let Some(word) = callback.filter(|&word| word != "cb") {
        return Err(format!("expected 'cb', got {}", py_repr(word)));
    }
    Ok((var, target.to_owned(), callback.is_some()))
}

impl Op {
    /// Every operation keyword, in SPEC.md's order.
    pub const KEYWORDS: [&'static str; 32] = [
        "new",
        "let",
        "del",
        "set",
        "unset",
        "count",
        "weak",
        "proxy",
        "get",
        "up",
        "weakcount",
        "wkd",
        "wvd",
        "wset",
        "put",
        "putobj",
        "add",
        "remove",
        "lookup",
        "len",
        "items",
        "fin",
        "fin_alive",
        "detach",
        "peek",
        "callfin",
        "atexit",
        "method",
        "call",
        "frame",
        "collect",
        "exit",
    ];

    /// Parses a line's tokens (the first is the operation), or gives the
    /// CPython runner's error message.
    ///
    /// ```
    /// use weakarena_conformance::Op;
    /// let op = Op::parse(&["weak", "r", "a", "cb"]).unwrap();
    /// assert_eq!(op.to_string(), "weak r a cb");
    /// assert_eq!(Op::parse(&["weak", "r", "a", "x"]).unwrap_err(), "expected 'cb', got 'x'");
    /// assert_eq!(Op::parse(&["jump"]).unwrap_err(), "unknown operation 'jump'");
    /// ```
    pub fn parse(tokens: &[&str]) -> Result<Op, String> {
        let (&keyword, args) = tokens.split_first().ok_or("empty line")?;
        let op = match keyword {
            "new" => {
                let [var, name] = operands(args)?;
                Op::New { var: binding(&var)?, name: ident(&name, "object")?.to_owned() }
            }
            "let" => {
                let [var, source] = operands(args)?;
                Op::Let { var: binding(&var)?, source }
            }
            "set" => {
                let [var, field, value] = operands(args)?;
                Op::Set { var, field: ident(&field, "field")?.to_owned(), value }
            }
            "unset" => {
                let [var, field] = operands(args)?;
                Op::Unset { var, field: ident(&field, "field")?.to_owned() }
            }
            "weak" | "proxy" => {
                let (var, target, callback) = weak_operands(args)?;
                if keyword == "weak" {
                    Op::Weak { var, target, callback }
                } else {
                    Op::Proxy { var, target, callback }
                }
            }
            "up" => {
                let [var, source] = operands(args)?;
                Op::Up { var: binding(&var)?, source }
            }
            "fin" | "method" => {
                let [var, target] = operands(args)?;
                let var = binding(&var)?;
                if keyword == "fin" {
                    Op::Fin { var, target }
                } else {
                    Op::Method { var, target }
                }
            }
            "put" => {
                let [collection, first, second] = operands(args)?;
                Op::Put { collection, first, second }
            }
            "putobj" => {
                let [collection, key, value] = operands(args)?;
                Op::PutObj { collection, key, value }
            }
            "add" => {
                let [collection, member] = operands(args)?;
                Op::Add { collection, member }
            }
            "remove" | "lookup" => {
                let [collection, key] = operands(args)?;
                if keyword == "remove" {
                    Op::Remove { collection, key }
                } else {
                    Op::Lookup { collection, key }
                }
            }
            "atexit" => {
                let [var, flag] = operands(args)?;
                Op::AtExit { var, flag }
            }
            "frame" | "collect" | "exit" => {
                let [] = operands(args)?;
                match keyword {
                    "frame" => Op::Frame,
                    "collect" => Op::Collect,
                    _ => Op::Exit,
                }
            }
            _ => Op::parse_one_operand(keyword, args)?,
        };
        Ok(op)
    }

    /// The operations with one operand.
    fn parse_one_operand(keyword: &str, args: &[&str]) -> Checked<Op> {
        let make: fn(String) -> Op = match keyword {
            "del" => |var| Op::Del { var },
            "count" => |var| Op::Count { var },
            "get" => |var| Op::Get { var },
            "weakcount" => |var| Op::WeakCount { var },
            "len" => |collection| Op::Len { collection },
            "items" => |collection| Op::Items { collection },
            "fin_alive" => |var| Op::FinAlive { var },
            "detach" => |var| Op::Detach { var },
            "peek" => |var| Op::Peek { var },
            "callfin" => |var| Op::CallFin { var },
            "call" => |var| Op::Call { var },
            "wkd" | "wvd" | "wset" => {
                let [var] = operands(args)?;
                let var = binding(&var)?;
                return Ok(match keyword {
                    "wkd" => Op::Wkd { var },
                    "wvd" => Op::Wvd { var },
                    _ => Op::Wset { var },
                });
            }
            _ => return Err(format!("unknown operation {}", py_repr(keyword))),
        };
        let [operand] = operands(args)?;
        Ok(make(operand))
    }

    /// The operation's keyword (`new`, `fin_alive`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            Op::New { .. } => "new",
            Op::Let { .. } => "let",
            Op::Del { .. } => "del",
            Op::Set { .. } => "set",
            Op::Unset { .. } => "unset",
            Op::Count { .. } => "count",
            Op::Weak { .. } => "weak",
            Op::Proxy { .. } => "proxy",
            Op::Get { .. } => "get",
            Op::Up { .. } => "up",
            Op::WeakCount { .. } => "weakcount",
            Op::Wkd { .. } => "wkd",
            Op::Wvd { .. } => "wvd",
            Op::Wset { .. } => "wset",
            Op::Put { .. } => "put",
            Op::PutObj { .. } => "putobj",
            Op::Add { .. } => "add",
            Op::Remove { .. } => "remove",
            Op::Lookup { .. } => "lookup",
            Op::Len { .. } => "len",
            Op::Items { .. } => "items",
            Op::Fin { .. } => "fin",
            Op::FinAlive { .. } => "fin_alive",
            Op::Detach { .. } => "detach",
            Op::Peek { .. } => "peek",
            Op::CallFin { .. } => "callfin",
            Op::AtExit { .. } => "atexit",
            Op::Method { .. } => "method",
            Op::Call { .. } => "call",
            Op::Frame => "frame",
            Op::Collect => "collect",
            Op::Exit => "exit",
        }
    }

    /// The operands, in the order they are written.
    fn operands(&self) -> Vec<&str> {
        match self {
            Op::New { var, name: b }
            | Op::Let { var, source: b }
            | Op::Unset { var, field: b }
            | Op::Up { var, source: b }
            | Op::Fin { var, target: b }
            | Op::Method { var, target: b }
            | Op::AtExit { var, flag: b }
            | Op::Add { collection: var, member: b }
            | Op::Remove { collection: var, key: b }
            | Op::Lookup { collection: var, key: b } => vec![var.as_str(), b.as_str()],
            Op::Set { var, field: b, value: c }
            | Op::Put { collection: var, first: b, second: c }
            | Op::PutObj { collection: var, key: b, value: c } => {
                vec![var.as_str(), b.as_str(), c.as_str()]
            }
            Op::Weak { var, target, callback } | Op::Proxy { var, target, callback } => {
                let mut all = vec![var.as_str(), target.as_str()];
                all.extend(callback.then_some("cb"));
                all
            }
            Op::Del { var }
            | Op::Count { var }
            | Op::Get { var }
            | Op::WeakCount { var }
            | Op::Wkd { var }
            | Op::Wvd { var }
            | Op::Wset { var }
            | Op::Len { collection: var }
            | Op::Items { collection: var }
            | Op::FinAlive { var }
            | Op::Detach { var }
            | Op::Peek { var }
            | Op::CallFin { var }
            | Op::Call { var } => vec![var.as_str()],
            Op::Frame | Op::Collect | Op::Exit => Vec::new(),
        }
    }
}

impl fmt::Display for Op {
    /// The operation as a scenario line: `parse` gives it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())?;
        for operand in self.operands() {
            write!(f, " {operand}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::tokens;

    #[test]
    fn every_keyword_parses_and_prints_back() {
        let lines = [
            "new x A",
            "let x y",
            "del x",
            "set x f y",
            "unset x f",
            "count x",
            "weak r x",
            "weak r x cb",
            "proxy p x cb",
            "get r",
            "up x r",
            "weakcount x",
            "wkd c",
            "wvd c",
            "wset c",
            "put c x v",
            "putobj c x y",
            "add c x",
            "remove c k",
            "lookup c k",
            "len c",
            "items c",
            "fin f x",
            "fin_alive f",
            "detach f",
            "peek f",
            "callfin f",
            "atexit f on",
            "method m x",
            "call m",
            "frame",
            "collect",
            "exit",
        ];
        for line in lines {
            let op = Op::parse(&tokens(line)).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(op.to_string(), line);
        }
        let mut seen: Vec<&str> =
            lines.iter().map(|line| Op::parse(&tokens(line)).unwrap().keyword()).collect();
        seen.dedup();
        assert_eq!(seen, Op::KEYWORDS);
    }

    #[test]
    fn syntax_errors_use_the_cpython_wording() {
        let cases = [
            ("new x", "wrong number of operands (1)"),
            ("new 1x A", "bad variable name '1x'"),
            ("new x A-1", "bad object name 'A-1'"),
            ("set x f-1 y", "bad field name 'f-1'"),
            ("weak r x cb more", "wrong number of operands (4)"),
            ("proxy r x callback", "expected 'cb', got 'callback'"),
            ("frame now", "wrong number of operands (1)"),
            ("Frame", "unknown operation 'Frame'"),
            ("wkd c-1", "bad variable name 'c-1'"),
        ];
        for (line, message) in cases {
            assert_eq!(Op::parse(&tokens(line)), Err(message.to_owned()), "{line}");
        }
    }

    #[test]
    fn variable_operands_are_checked_later() {
        assert!(Op::parse(&tokens("count 1x")).is_ok());
        assert!(Op::parse(&tokens("atexit f maybe")).is_ok());
    }
}

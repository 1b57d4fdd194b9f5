//! The WRS interpreter on weakarena.
//!
//! Objects are [`Obj`]s in one [`Arena`]; each variable holds a [`Value`]:
//! a [`Strong`] handle, a tracked reference, a proxy, a weak collection, a
//! finalizer or a weak method. Callbacks and finalizers print into a shared
//! trace sink, tagged with the dying object's name.
//!
//! Every operation runs in three phases, so that all of its work is done
//! before the next line is read:
//!
//! 1. the operation itself (binding evaluates the new value, then drops the
//!    old one, as a Python assignment does);
//! 2. the frame end: `end_frame_all` over the arena and every live weak
//!    collection, which runs callbacks and finalizers, drops dead values
//!    (cascades) and sweeps, so `len` is exact; a swept entry drops its
//!    value, which may kill more objects (`putobj`), so it passes again
//!    until nothing more dies.
//!
//! The interpreter holds strong handles only in variables and in fields, so
//! `count` is the arena's strong count.

mod collections;
mod finalizers;
mod objects;
mod refs;

use std::collections::{HashMap, HashSet};

use weakarena_collections::{end_frame_all, sweep_all, Sweep};
use weakarena_core::{collect_cycles, Arena, ArenaHandle, Strong};

use crate::error::{Checked, ScenarioError};
use crate::op::Op;
use crate::syntax::{ident, is_blank_or_comment, py_repr, tokens};
use crate::trace::{TraceLine, TraceSink};
use crate::value::{Kind, Obj, Value};

/// What to do after a line.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Flow {
    /// Read the next line.
    Continue,
    /// The scenario ended (`exit`): read nothing more.
    Exit,
}

/// A running scenario: the arena, the variables and the trace printed so
/// far.
///
/// ```
/// use weakarena_conformance::{Flow, Interpreter};
/// let mut interpreter = Interpreter::new();
/// interpreter.run_line(1, "new a A").unwrap();
/// interpreter.run_line(2, "fin f a").unwrap();
/// assert_eq!(interpreter.run_line(3, "exit"), Ok(Flow::Exit));
/// let trace = interpreter.take_trace();
/// assert_eq!(trace[0].to_string(), "3\t\tfinalize f");
/// ```
pub struct Interpreter {
    vars: HashMap<String, Value>,
    names: HashSet<String>,
    sink: TraceSink,
    arena: Arena<Obj>,
}

impl Default for Interpreter {
    fn default() -> Self {
        Interpreter::new()
    }
}

impl Interpreter {
    /// A scenario with no variables yet.
    pub fn new() -> Interpreter {
        Interpreter {
            vars: HashMap::new(),
            names: HashSet::new(),
            sink: TraceSink::default(),
            arena: Arena::new(),
        }
    }

    /// Runs source line `srcline` (blank and comment lines do nothing).
    pub fn run_line(&mut self, srcline: usize, line: &str) -> Result<Flow, ScenarioError> {
        let tokens = tokens(line);
        if is_blank_or_comment(&tokens) {
            return Ok(Flow::Continue);
        }
        let op = Op::parse(&tokens).map_err(|message| ScenarioError { line: srcline, message })?;
        self.run_op(srcline, &op)
    }

    /// Runs one operation as source line `srcline`, with its frame end and
    /// sweeps. On an error nothing has changed.
    pub fn run_op(&mut self, srcline: usize, op: &Op) -> Result<Flow, ScenarioError> {
        self.sink.begin(srcline);
        let flow = self.exec(op).map_err(|message| ScenarioError { line: srcline, message })?;
        if flow == Flow::Continue {
            self.end_frame();
        }
        Ok(flow)
    }

    /// The exit at the end of a scenario without `exit`, as source line
    /// `srcline`: live finalizers whose `atexit` is on run, newest first.
    pub fn exit(&mut self, srcline: usize) {
        self.run_op(srcline, &Op::Exit).expect("exit takes no operands");
    }

    /// The lines printed since the last call.
    pub fn take_trace(&mut self) -> Vec<TraceLine> {
        self.sink.take()
    }

    fn exec(&mut self, op: &Op) -> Checked<Flow> {
        match op {
            Op::New { var, name } => self.new_object(var, name)?,
            Op::Let { var, source } => self.let_(var, source)?,
            Op::Del { var } => self.del(var)?,
            Op::Set { var, field, value } => self.set_field(var, field, value)?,
            Op::Unset { var, field } => self.unset_field(var, field)?,
            Op::Count { var } => self.count(var)?,
            Op::WeakCount { var } => self.weak_count(var)?,
            Op::Weak { var, target, callback } => self.weak(var, target, *callback)?,
            Op::Proxy { var, target, callback } => self.proxy(var, target, *callback)?,
            Op::Get { var } => self.get(var)?,
            Op::Up { var, source } => self.up(var, source)?,
            Op::Method { var, target } => self.method(var, target)?,
            Op::Call { var } => self.call(var)?,
            Op::Wkd { var } => self.new_collection(var, Kind::Wkd)?,
            Op::Wvd { var } => self.new_collection(var, Kind::Wvd)?,
            Op::Wset { var } => self.new_collection(var, Kind::Wset)?,
            Op::Put { collection, first, second } => self.put(collection, first, second)?,
            Op::PutObj { collection, key, value } => self.put_object(collection, key, value)?,
            Op::Add { collection, member } => self.add(collection, member)?,
            Op::Remove { collection, key } => self.remove(collection, key)?,
            Op::Lookup { collection, key } => self.lookup(collection, key)?,
            Op::Len { collection } => self.len(collection)?,
            Op::Items { collection } => self.items(collection)?,
            Op::Fin { var, target } => self.fin(var, target)?,
            Op::FinAlive { var } => self.fin_alive(var)?,
            Op::Detach { var } => self.detach(var)?,
            Op::Peek { var } => self.peek(var)?,
            Op::CallFin { var } => self.call_fin(var)?,
            Op::AtExit { var, flag } => self.atexit(var, flag)?,
            Op::Frame => {}
            Op::Collect => self.collect(),
            Op::Exit => {
                self.shutdown();
                return Ok(Flow::Exit);
            }
        }
        Ok(Flow::Continue)
    }

    /// Reclaims this operation's deaths (running callbacks and finalizers)
    /// and sweeps every weak collection with the report, until nothing more
    /// dies: a swept entry drops its value, which may hold the last strong
    /// reference to another object (`putobj`).
    fn end_frame(&mut self) {
        let mut collections: Vec<&mut dyn Sweep> =
            self.vars.values_mut().filter_map(Value::as_sweep).collect();
        let end = end_frame_all(&mut [&mut self.arena], &mut collections);
        debug_assert!(end.reports.iter().all(|report| report.panics.is_empty()), "{:?}", end.reports);
    }

    /// `gc.collect()`: frees the objects that only hold each other, then
    /// sweeps every weak collection with the collection's frame report.
    fn collect(&mut self) {
        let report = collect_cycles(&mut [&mut self.arena], &mut []);
        debug_assert!(!report.backed_off, "no other thread upgrades handles here");
        let mut collections: Vec<&mut dyn Sweep> =
            self.vars.values_mut().filter_map(Value::as_sweep).collect();
        for frame in report.frames {
            debug_assert!(frame.panics.is_empty(), "{:?}", frame.panics);
            sweep_all(&[frame], &mut collections);
        }
    }

    /// Interpreter exit: atexit finalizers, newest first, print with no
    /// owner; nothing runs afterwards.
    fn shutdown(&mut self) {
        self.sink.set_explicit(true);
        self.arena.shutdown();
    }

    /// The value of `var` (any kind).
    fn value(&self, var: &str) -> Checked<&Value> {
        ident(var, "variable")?;
        self.vars.get(var).ok_or_else(|| format!("unknown variable {}", py_repr(var)))
    }

    /// The value of `var`, which must be of one of `kinds`.
    fn need(&self, var: &str, kinds: &[Kind]) -> Checked<&Value> {
        let value = self.value(var)?;
        let kind = value.kind();
        if kinds.contains(&kind) {
            return Ok(value);
        }
        let expected: Vec<&str> = kinds.iter().map(|kind| kind.words()).collect();
        Err(format!("variable {} is {}, expected {}", py_repr(var), kind.words(), expected.join(" or ")))
    }

    /// The object `var` holds.
    fn object(&self, var: &str) -> Checked<&Strong<Obj>> {
        match self.need(var, &[Kind::Object])? {
            Value::Object(strong) => Ok(strong),
            _ => unreachable!("need checked the kind"),
        }
    }

    /// The name of a live object.
    fn name_of(&self, handle: impl ArenaHandle<Obj>) -> String {
        self.arena[handle].name.clone()
    }

    /// Binds `var` to `value`, then drops its old value.
    fn bind(&mut self, var: &str, value: Value) {
        let old = self.vars.insert(var.to_owned(), value);
        drop(old);
    }

    fn print(&self, text: String) {
        self.sink.print(text);
    }
}

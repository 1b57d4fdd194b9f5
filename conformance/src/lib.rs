//! # weakarena-conformance
//!
//! The project's proof that weakarena behaves like CPython's `weakref`: an
//! interpreter of WRS, the weak-reference scenario language of
//! `shared/conformance/SPEC.md`, running on weakarena, plus what the
//! differential test needs around it.
//!
//! | piece | module |
//! |---|---|
//! | lines to tokens, names, Python's `repr` | [`syntax`] |
//! | one operation, parsed and printed | [`Op`] |
//! | the scenario on weakarena | [`Interpreter`], [`run_reader`], [`run_str`] |
//! | trace lines and the `--owners` format | [`TraceLine`] |
//! | SPEC.md's agreement rule | [`compare`], [`Disagreement`] |
//! | seeded valid scenarios | [`generate`] |
//! | the CPython reference runner | [`CPython`] |
//!
//! This crate's `replay` example is the command-line
//! face of [`run_reader`]:
//!
//! ```text
//! cargo run --release -p weakarena-conformance --example replay -- tests/conformance/scenarios/01_refcounts_and_weak_keys.wrs
//! ```
//!
//! ```
//! use weakarena_conformance::run_str;
//! let outcome = run_str("new a A\nweak r a cb\ncount a\ndel a\nget r\n");
//! let texts: Vec<&str> = outcome.trace.iter().map(|line| line.text.as_str()).collect();
//! assert_eq!(texts, ["count a 1", "callback r", "get r None"]);
//! assert_eq!(outcome.trace[1].owner, "A"); // printed by A's death
//! assert!(outcome.error.is_none());
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod compare;
mod error;
mod generate;
mod interpreter;
mod op;
mod python;
mod rng;
mod run;
pub mod syntax;
mod trace;
mod value;

pub use compare::{compare, report, Disagreement};
pub use error::ScenarioError;
pub use generate::generate;
pub use interpreter::{Flow, Interpreter};
pub use op::Op;
pub use python::{conformance_dir, BatchRun, CPython};
pub use rng::SplitMix64;
pub use run::{run_reader, run_str, Outcome};
pub use trace::{parse_owners, TraceLine};
pub use value::Obj;

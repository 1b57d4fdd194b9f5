//! Cycle collection over arenas: objects that only keep each other alive
//! (parent ↔ child, A → B → A across arenas, self-references, values of a
//! weak-key map that hold their own key) are found by trial deletion and
//! freed with CPython's phases.

mod collector;
mod graph;
mod referrers;
mod report;

pub use collector::{collect_cycles, Collect, EphemeronTable};
pub use referrers::{referrers, why_alive, ObjectId};
pub use report::CycleReport;

//! `sim`: a predator/prey ecosystem on weakarena — the front door.
//!
//! ```text
//! cargo run --release --example sim                  # the default run
//! cargo run --release --example sim -- --help        # every flag
//! cargo run --release --example sim -- --agents 5000 --frames 300 --json out.json --plot out.svg
//! ```
//!
//! Each frame, in order:
//! 1. movement (parallel): hunters chase `Weak` targets, prey flee, the rest wander;
//! 2. the spatial grids are refilled with weak handles;
//! 3. grazing; 4. hunting (eaten prey die at once); 5. ageing and starvation;
//! 6. births; 7. hunters whose target died pick a new one (parallel);
//! 8. box selection (`WeakSet`); 9. the `Proxy` camera follows or switches;
//! 10. events go to each species' `WeakMethod` census handler;
//! 11. `end_frames` over agents and species: dead values dropped, extinct
//!     species' resources freed in the same cascade, finalizers and
//!     obituary callbacks run;
//! 12. `sweep_all`: the registry, the statistics and the selection are swept
//!     in parallel.

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = weakarena_sim::main_with(std::env::args_os(), &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(code)
}

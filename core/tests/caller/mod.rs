//! Catching a panic with the message and source location it reports, to
//! check that `#[track_caller]` methods blame the caller's line.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LOCATION: RefCell<Option<(String, u32)>> = const { RefCell::new(None) };
}

/// Installs, once, a hook that records the location of panics raised under
/// [`panic_site`] and hands every other panic to the default hook.
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.get() {
                let location = info.location().map(|at| (at.file().to_string(), at.line()));
                LOCATION.set(location);
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, which must panic: its message, and the file and line the
/// panic's location names.
pub(crate) fn panic_site<R>(f: impl FnOnce() -> R) -> (String, (String, u32)) {
    install_hook();
    CAPTURING.set(true);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.set(false);
    let Err(payload) = result else { panic!("expected a panic") };
    let message = match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload.downcast_ref::<&str>().map(|s| s.to_string()).unwrap_or_default(),
    };
    let location = LOCATION.take().expect("the hook saw the panic");
    (message, location)
}

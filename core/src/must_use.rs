//! What must not be dropped unseen: the constructors of tracked
//! references, proxies, weak methods and finalizers are `#[must_use]`, so
//! a result dropped on the spot (a callback that can then never fire) is a
//! warning, and an error under `deny(unused_must_use)`. Each `compile_fail`
//! example has a twin that keeps the value and compiles.
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//! let mut arena = weakarena_core::Arena::new();
//! let object = arena.insert(1);
//! weakarena_core::WeakRef::with_callback(&object, |_| println!("never runs"));
//! ```
//!
//! ```
//! #![deny(unused_must_use)]
//! let mut arena = weakarena_core::Arena::new();
//! let object = arena.insert(1);
//! let _kept = weakarena_core::WeakRef::with_callback(&object, |_| println!("runs"));
//! ```
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//! let mut arena = weakarena_core::Arena::new();
//! let object = arena.insert(1);
//! weakarena_core::Proxy::new(&object);
//! ```
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//! let mut arena = weakarena_core::Arena::new();
//! let object = arena.insert(1);
//! weakarena_core::WeakMethod::new(&object, |x: &i32, ()| *x);
//! ```
//!
//! A finalizer runs even when its handle is dropped, as in Python; the
//! warning asks to say so with `let _ =`:
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//! let mut arena = weakarena_core::Arena::new();
//! let object = arena.insert(1);
//! weakarena_core::Finalizer::new(&object, || println!("runs"));
//! ```
//!
//! ```
//! #![deny(unused_must_use)]
//! let mut arena = weakarena_core::Arena::new();
//! let object = arena.insert(1);
//! let _ = weakarena_core::Finalizer::new(&object, || println!("runs"));
//! ```

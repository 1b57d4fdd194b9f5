//! What must not compile: handles to objects that must stay on one thread
//! cannot leave it. Each `compile_fail` example has a twin that compiles
//! with a thread-safe payload, so it fails for the stated reason only
//! (`E0277`: the payload is not `Send`/`Sync`).
//!
//! A strong handle to an `Rc` payload cannot move to another thread
//! (`Strong<T>: Send` needs `T: Send + Sync`):
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Rc::new(1_u8));
//! std::thread::spawn(move || drop(strong));
//! ```
//!
//! ```
//! use std::sync::Arc;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Arc::new(1_u8));
//! std::thread::spawn(move || drop(strong)).join().unwrap();
//! ```
//!
//! Nor can an arena of them:
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//! let mut arena = weakarena_core::Arena::new();
//! let _strong = arena.insert(Rc::new(1_u8));
//! std::thread::spawn(move || arena.end_frame());
//! ```
//!
//! ```
//! use std::sync::Arc;
//! let mut arena = weakarena_core::Arena::new();
//! let _strong = arena.insert(Arc::new(1_u8));
//! std::thread::spawn(move || arena.end_frame()).join().unwrap();
//! ```
//!
//! An arena of a `Send` but not `Sync` payload cannot be read from two
//! threads at once:
//!
//! ```compile_fail,E0277
//! use std::cell::Cell;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Cell::new(1_u8));
//! let weak = strong.downgrade();
//! std::thread::scope(|s| {
//!     s.spawn(|| arena.get(weak).map(Cell::get));
//! });
//! ```
//!
//! ```
//! use std::sync::atomic::{AtomicU8, Ordering};
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(AtomicU8::new(1));
//! let weak = strong.downgrade();
//! std::thread::scope(|s| {
//!     s.spawn(|| arena.get(weak).map(|v| v.load(Ordering::Relaxed)));
//! });
//! ```
//!
//! A strong handle to that payload cannot move either:
//!
//! ```compile_fail,E0277
//! use std::cell::Cell;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Cell::new(1_u8));
//! std::thread::spawn(move || drop(strong));
//! ```
//!
//! Nor can a tracked reference to it, which would upgrade to one on the
//! other thread: a [`WeakRef`](crate::WeakRef), a [`Proxy`](crate::Proxy),
//! a [`Finalizer`](crate::Finalizer) or a [`WeakMethod`](crate::WeakMethod)
//! is `Send`/`Sync` exactly when `Strong` is (and, for a weak method, its
//! closure is).
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Rc::new(1_u8));
//! let tracked = weakarena_core::WeakRef::new(&strong);
//! std::thread::spawn(move || tracked.upgrade().is_some());
//! ```
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Rc::new(1_u8));
//! let proxy = weakarena_core::Proxy::new(&strong);
//! std::thread::spawn(move || proxy.is_alive());
//! ```
//!
//! ```compile_fail,E0277
//! use std::cell::Cell;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Cell::new(1_u8));
//! let finalizer = weakarena_core::Finalizer::new(&strong, || ());
//! std::thread::scope(|s| {
//!     s.spawn(|| finalizer.peek().is_some());
//! });
//! ```
//!
//! ```compile_fail,E0277
//! use std::rc::Rc;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Rc::new(1_u8));
//! let method = weakarena_core::WeakMethod::new(&strong, |n: &Rc<u8>, (): ()| **n);
//! std::thread::spawn(move || method.upgrade().is_some());
//! ```
//!
//! ```
//! use std::sync::Arc;
//! let mut arena = weakarena_core::Arena::new();
//! let strong = arena.insert(Arc::new(1_u8));
//! let tracked = weakarena_core::WeakRef::new(&strong);
//! let proxy = weakarena_core::Proxy::new(&strong);
//! let finalizer = weakarena_core::Finalizer::new(&strong, || ());
//! let method = weakarena_core::WeakMethod::new(&strong, |n: &Arc<u8>, (): ()| **n);
//! std::thread::spawn(move || tracked.upgrade().is_some() && proxy.is_alive()).join().unwrap();
//! std::thread::scope(|s| {
//!     s.spawn(|| finalizer.peek().is_some());
//!     s.spawn(|| method.upgrade().is_some());
//! });
//! ```

//! A panicking callback is reported in the message and the app carries on.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{app, exists, Seen};
use weakarena_bevy::RcEntities;
use weakarena_core::{Finalizer, PanicSource, WeakRef};

#[test]
fn a_panicking_callback_is_reported_and_the_app_carries_on() {
    let mut app = app();
    let ran = Arc::new(AtomicUsize::new(0));
    let doomed = RcEntities::spawn_in(app.world_mut(), ());
    let neighbour = RcEntities::spawn_in(app.world_mut(), ());
    let (doomed_entity, neighbour_entity) = (doomed.entity(), neighbour.entity());
    let _bad = WeakRef::with_callback(doomed.strong(), |_| panic!("callback exploded"));
    let counter = Arc::clone(&ran);
    let _good = Finalizer::new(neighbour.strong(), move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    drop(doomed);
    drop(neighbour);
    app.update(); // must not panic
    assert!(!exists(&app, doomed_entity));
    assert!(!exists(&app, neighbour_entity));
    assert_eq!(ran.load(Ordering::SeqCst), 1, "the other death's finalizer still ran");

    let later = RcEntities::spawn_in(app.world_mut(), ());
    let later_entity = later.entity();
    drop(later);
    app.update(); // the app is not poisoned: the next frame end works
    app.update();
    assert!(!exists(&app, later_entity));
    let seen = app.world().resource::<Seen>();
    let panics = &seen.messages[0].1.panics;
    assert_eq!(panics.len(), 1);
    assert!(matches!(panics[0].source, PanicSource::Callback(_)));
    assert_eq!(panics[0].message, "callback exploded");
    assert_eq!(seen.entities(), vec![doomed_entity, neighbour_entity, later_entity]);
    assert!(seen.messages[1].1.panics.is_empty());
}

//! Game events and their handlers, bound weakly with [`WeakMethod`].
//!
//! Each species subscribes a handler bound to its [`SpeciesResources`]: the
//! handler keeps the species' census. When a species goes extinct its
//! resources are freed, its handler dies with them, and the bus drops it the
//! next time it dispatches — nobody has to unsubscribe.

use weakarena_core::{Arena, Strong, Weak, WeakMethod};

use crate::agent::Cause;
use crate::species::{SpeciesId, SpeciesResources};

/// Something that happened this frame.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Event {
    /// A member of `species` was born.
    Born {
        /// Its species.
        species: SpeciesId,
    },
    /// A member of `species` died of `cause`.
    Died {
        /// Its species.
        species: SpeciesId,
        /// Why.
        cause: Cause,
    },
    /// A member of `hunter` caught a member of `prey`.
    Kill {
        /// The hunter's species.
        hunter: SpeciesId,
        /// The victim's species.
        prey: SpeciesId,
    },
}

/// A handler: a method of a species' resources, given each event.
pub type Handler = fn(&mut SpeciesResources, &Event);

/// The census keeper every species subscribes.
pub fn census_handler(resources: &mut SpeciesResources, event: &Event) {
    let census = &mut resources.census;
    match *event {
        Event::Born { species } if species == resources.id => census.births += 1,
        Event::Died { species, .. } if species == resources.id => census.deaths += 1,
        Event::Kill { hunter, .. } if hunter == resources.id => census.kills += 1,
        _ => {}
    }
}

/// Events queued during a frame, delivered to weakly bound handlers.
#[derive(Debug, Default)]
pub struct EventBus {
    handlers: Vec<WeakMethod<SpeciesResources, Handler>>,
    queue: Vec<Event>,
    delivered: u64,
    pruned: u64,
}

impl EventBus {
    /// Subscribes `handler`, bound weakly to `owner`.
    pub fn subscribe(&mut self, owner: &Strong<SpeciesResources>, handler: Handler) {
        self.handlers.push(WeakMethod::new(owner, handler));
    }

    /// Queues `event` for the next dispatch.
    pub fn emit(&mut self, event: Event) {
        self.queue.push(event);
    }

    /// Delivers the queued events, in order, to every live handler; drops the
    /// handlers whose owner has died.
    pub fn dispatch(&mut self, owners: &mut Arena<SpeciesResources>) {
        let queue = std::mem::take(&mut self.queue);
        let before = self.handlers.len();
        self.handlers.retain(|handler| handler.is_alive());
        self.pruned += (before - self.handlers.len()) as u64;
        for event in &queue {
            for handler in &self.handlers {
                if handler.call_mut(owners, event).is_some() {
                    self.delivered += 1;
                }
            }
        }
    }

    /// Live subscriptions.
    pub fn handlers(&self) -> usize {
        self.handlers.len()
    }

    /// Handler calls made so far.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Handlers dropped because their owner died.
    pub fn pruned(&self) -> u64 {
        self.pruned
    }
}

/// What a save keeps (`save.rs`): handlers are functions bound to owners, so
/// the owners are kept, in order, and subscribed again on load.
impl EventBus {
    pub(crate) fn owners(&self) -> impl Iterator<Item = Weak<SpeciesResources>> + '_ {
        self.handlers.iter().map(WeakMethod::handle)
    }

    /// Whether no event waits for dispatch (always so between frames).
    pub(crate) fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }

    pub(crate) fn with_counts(delivered: u64, pruned: u64) -> EventBus {
        EventBus { delivered, pruned, ..EventBus::default() }
    }
}

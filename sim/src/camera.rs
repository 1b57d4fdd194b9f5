//! The camera: follows one agent through a [`Proxy`], and switches to
//! another when the proxy answers [`ReferenceError`].

use weakarena_core::{Arena, Proxy, ReferenceError, Strong, Weak};

use crate::agent::Agent;
use crate::torus::{Torus, Vec2};

/// How far the camera closes on its subject each frame (0 to 1).
const FOLLOW: f32 = 0.25;

/// A camera following one agent.
///
/// The camera does not own its subject: it holds a [`Proxy`], whose every
/// access is a `Result`. The frame the subject dies, the access fails with
/// [`ReferenceError`] and the camera picks someone else to follow.
#[derive(Debug, Default)]
pub struct Camera {
    subject: Option<Proxy<Agent>>,
    center: Vec2,
    switches: u64,
}

/// What [`Camera::update`] did.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum CameraUpdate {
    /// Still following the same agent.
    Followed,
    /// The subject was gone (or there was none): now following another.
    Switched,
    /// Nobody left to follow.
    Idle,
}

impl Camera {
    /// Follows the subject, or — if the proxy answers `ReferenceError` —
    /// the agent `pick` chooses.
    pub fn update<P>(&mut self, agents: &Arena<Agent>, torus: Torus, pick: P) -> CameraUpdate
    where
        P: FnOnce() -> Option<Strong<Agent>>,
    {
        let view: Option<Result<Vec2, ReferenceError>> =
            self.subject.as_ref().map(|proxy| proxy.get(agents).map(|agent| agent.pos));
        match view {
            Some(Ok(pos)) => {
                self.close_in(torus, pos);
                CameraUpdate::Followed
            }
            // The subject died: the proxy says so with `ReferenceError`.
            Some(Err(_)) | None => self.switch(agents, pick()),
        }
    }

    fn switch(&mut self, agents: &Arena<Agent>, next: Option<Strong<Agent>>) -> CameraUpdate {
        self.subject = next.as_ref().map(Proxy::new);
        match next.and_then(|strong| agents.get(&strong).map(|agent| agent.pos)) {
            Some(pos) => {
                self.switches += 1;
                self.center = pos;
                CameraUpdate::Switched
            }
            None => CameraUpdate::Idle,
        }
    }

    fn close_in(&mut self, torus: Torus, target: Vec2) {
        let step = torus.delta(self.center, target) * FOLLOW;
        self.center = torus.wrap(self.center + step);
    }

    /// The agent followed, if any (it may have died since the last update).
    pub fn subject(&self) -> Option<Weak<Agent>> {
        self.subject.as_ref().map(Proxy::handle)
    }

    /// Where the camera looks.
    pub fn center(&self) -> Vec2 {
        self.center
    }

    /// Times it switched subjects (the first pick counts).
    pub fn switches(&self) -> u64 {
        self.switches
    }
}

/// What a load rebuilds (`save.rs`): the proxy is made again from the saved
/// subject.
impl Camera {
    pub(crate) fn restored(subject: Option<Proxy<Agent>>, center: Vec2, switches: u64) -> Camera {
        Camera { subject, center, switches }
    }
}

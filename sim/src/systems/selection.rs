//! Selection: every few hundred frames the player drags a new box, and the
//! agents inside it become the selection — a `WeakSet`, so members that die
//! simply leave it.

use crate::rng::{Rng, Stream};
use crate::torus::Vec2;
use crate::world::World;

/// The box's side, as a share of the world's.
const BOX: f32 = 0.2;

pub(crate) fn run(world: &mut World, frame: u64) {
    if frame % world.config.selection_period.max(1) != 0 {
        return;
    }
    let mut rng = Rng::for_draw(world.config.seed, 0, frame, Stream::Selection);
    let torus = world.torus;
    let corner = Vec2::new(rng.range(0.0, torus.width), rng.range(0.0, torus.height));
    let size = Vec2::new(torus.width * BOX, torus.height * BOX);
    let inside = |pos: Vec2| {
        let d = torus.wrap(pos - corner);
        d.x < size.x && d.y < size.y
    };
    world.selection.clear();
    let members = world.agents.iter().filter(|(_, agent)| inside(agent.pos)).map(|(handle, _)| handle);
    world.selection.extend(members);
}

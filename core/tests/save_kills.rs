//! Saving around deaths (feature `serde`): a death awaiting its frame end
//! refuses the save; a killed object whose strong handles are still out
//! saves as dead, loads as dead, and its slot comes back to the free list
//! once its last handle drops, as in the world that was saved.
#![cfg(feature = "serde")]

use serde::{Deserialize, Serialize};
use weakarena_core::save::{LoadScope, Roots, SaveError, SaveScope};
use weakarena_core::{Arena, Strong, WeakRef};

#[derive(Serialize, Deserialize)]
struct World {
    units: Arena<u32>,
    /// Strong handles the game keeps: a despawned unit's may linger here.
    squad: Vec<Strong<u32>>,
}

fn save<W: Serialize>(world: &W) -> Result<String, String> {
    let scope = SaveScope::new();
    let json = serde_json::to_string(world).map_err(|error| error.to_string())?;
    scope.finish().map_err(|error| error.to_string())?;
    Ok(json)
}

fn load<W: for<'de> Deserialize<'de>>(json: &str) -> (W, Roots) {
    let scope = LoadScope::new();
    let world = serde_json::from_str(json).expect("deserializes");
    (world, scope.finish().expect("a whole world"))
}

/// Three units; the squad holds a strong handle to each.
fn world() -> World {
    let mut units = Arena::new();
    let squad = (0..3).map(|hp| units.insert(hp)).collect();
    World { units, squad }
}

#[test]
fn deaths_awaiting_the_frame_end_refuse_the_save() {
    let mut world = world();
    assert!(world.units.kill(&world.squad[1]));
    let refused = save(&world).unwrap_err();
    let expected = SaveError::PendingDeaths(world.units.id()).to_string();
    assert!(refused.contains(&expected), "{refused}");
    world.units.end_frame();
    assert!(save(&world).is_ok(), "saved once the frame ended");

    let dropped = world.squad.pop().unwrap();
    drop(dropped); // the last strong handle: a death awaiting the frame end
    assert!(save(&world).unwrap_err().contains(&expected));
}

#[test]
fn a_killed_object_with_handles_out_saves_and_loads_dead() {
    let mut world = world();
    let watch = WeakRef::with_callback(&world.squad[1], |_| {});
    let killed = world.squad[1].downgrade();
    assert!(world.units.kill(killed));
    assert_eq!(world.units.end_frame().death_count(), 1);
    assert!(!watch.is_alive());
    // The squad still holds the killed unit's strong handle: saved with it.
    let json = save(&world).expect("a killed object's outstanding handles do not block a save");
    let (mut loaded, roots): (World, Roots) = load(&json);
    assert!(roots.is_empty(), "a dead object gets no roots");
    assert_eq!(loaded.units.len(), 2);
    assert_eq!(loaded.units.get(killed), None, "dead in the loaded world too");
    assert!(loaded.units.upgrade(&loaded.squad[1]).is_none(), "its loaded strong handle never revives it");
    assert_eq!(loaded.units.weak_count(killed), 0);
    assert_eq!(loaded.units[&loaded.squad[2]], 2);
    assert!(save(&loaded).is_ok(), "the loaded world saves again");

    // Both worlds drop the lingering handle; the slot is recycled, not
    // reported again, and the next insert takes it in both.
    for units_and_squad in [(&mut world.units, &mut world.squad), (&mut loaded.units, &mut loaded.squad)] {
        let (units, squad) = units_and_squad;
        squad.remove(1);
        assert_eq!(units.end_frame().death_count(), 0, "reported once, at the kill");
    }
    let (again, reloaded_again) = (world.units.insert(7), loaded.units.insert(7));
    assert_eq!(again.downgrade(), reloaded_again.downgrade(), "the same slot and generation");
    assert_eq!(again.downgrade().index(), killed.index());
}

#[test]
fn a_killed_object_whose_handles_were_not_saved_frees_its_slot_at_the_first_frame_end() {
    let mut units = Arena::new();
    let (a, b) = (units.insert(1u32), units.insert(2));
    let (weak_a, weak_b) = (a.downgrade(), b.downgrade());
    assert!(units.kill(&a));
    units.end_frame();
    let json = save(&units).expect("saves");
    let (mut loaded, mut roots): (Arena<u32>, Roots) = load(&json);
    let b_root = roots.take(&loaded, weak_b).expect("the live object kept outside comes back as a root");
    assert!(roots.is_empty(), "none for the dead: its handles kept outside are not made up");
    assert_eq!((loaded.len(), loaded.get(weak_a), loaded.get(weak_b)), (1, None, Some(&2)));
    assert_eq!(loaded.end_frame().death_count(), 0, "released, not reported again");
    // As if the handle kept outside had dropped at the load.
    drop(a);
    units.end_frame();
    assert_eq!(loaded.insert(3).downgrade(), units.insert(3).downgrade());
    assert_eq!((b_root.strong_count(), b.strong_count()), (1, 1));
}

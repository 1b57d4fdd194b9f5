//! Save and load of arenas and handles (feature `serde`).
#![cfg(feature = "serde")]

use serde::{Deserialize, Serialize};
use weakarena_core::save::{LoadError, LoadScope, Roots, SaveError, SaveScope};
use weakarena_core::{Arena, Generation, Strong, Weak};

fn save<W: Serialize>(world: &W) -> String {
    let scope = SaveScope::new();
    let json = serde_json::to_string(world).expect("serializes");
    scope.finish().expect("a whole world");
    json
}

fn load<W: for<'de> Deserialize<'de>>(json: &str) -> (W, Roots) {
    let scope = LoadScope::new();
    let world = serde_json::from_str(json).expect("deserializes");
    (world, scope.finish().expect("a whole world"))
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Node {
    name: String,
    next: Option<Strong<Node>>,
    team: Option<Strong<Team>>,
    friend: Option<Weak<Node>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Team(u32);

/// Handles saved before their arenas, strong handles inside values of the
/// same arena and across arenas: each count comes back exactly.
#[derive(Serialize, Deserialize)]
struct World {
    roots: Vec<Strong<Node>>,
    nodes: Arena<Node>,
    teams: Arena<Team>,
}

fn node(name: &str, next: Option<Strong<Node>>, team: Option<Strong<Team>>) -> Node {
    Node { name: name.to_owned(), next, team, friend: None }
}

#[test]
fn strong_counts_come_back_across_arenas_and_in_any_file_order() {
    let mut teams = Arena::new();
    let red = teams.insert(Team(1));
    let mut nodes = Arena::new();
    let tail = nodes.insert(node("tail", None, Some(red.clone())));
    let head = nodes.insert(node("head", Some(tail.clone()), Some(red.clone())));
    nodes.get_mut(&tail).unwrap().friend = Some(head.downgrade());
    let (tail_weak, head_weak, red_weak) = (tail.downgrade(), head.downgrade(), red.downgrade());
    drop(red);
    let world = World { roots: vec![head, tail], nodes, teams };
    let json = save(&world);

    let (loaded, roots): (World, Roots) = load(&json);
    assert!(roots.is_empty());
    assert_eq!(loaded.roots[0].downgrade(), head_weak);
    assert_eq!(loaded.nodes.strong_count(tail_weak), 2, "the root and head.next");
    assert_eq!(loaded.nodes.strong_count(head_weak), 1);
    assert_eq!(loaded.teams.strong_count(red_weak), 2, "one per node");
    assert_eq!(loaded.nodes[tail_weak].friend, Some(head_weak));
    assert_eq!(loaded.nodes[head_weak].name, "head");
    assert_eq!(loaded.teams[red_weak], Team(1));
    assert_eq!((loaded.nodes.len(), loaded.teams.len()), (2, 1));

    // The counts are live: dropping the roots cascades through both arenas.
    let World { roots, mut nodes, mut teams } = loaded;
    drop(roots);
    assert!(!nodes.contains(head_weak));
    nodes.end_frame();
    assert!(!nodes.contains(tail_weak), "head's value held the tail's last handle");
    nodes.end_frame();
    assert!(!teams.contains(red_weak));
    teams.end_frame();
    assert!(nodes.is_empty() && teams.is_empty());
}

#[test]
fn slots_generations_free_and_retired_slots_come_back() {
    let mut arena = Arena::with_first_generation(Generation::new(u32::MAX - 1).unwrap());
    let handles: Vec<Strong<u32>> = (0..6).map(|i| arena.insert(i)).collect();
    let weaks: Vec<Weak<u32>> = handles.iter().map(Strong::downgrade).collect();
    let mut kept = Vec::new();
    for (i, strong) in handles.into_iter().enumerate() {
        if i % 3 == 0 {
            kept.push(strong);
        }
    }
    arena.end_frame(); // slots 1, 2, 4, 5 vacant at generation LAST
    let again: Vec<Strong<u32>> = (10..12).map(|i| arena.insert(i)).collect();
    drop(again);
    arena.end_frame(); // those two retire
    assert_eq!(arena.retired_slots(), 2);
    let json = save(&(&arena, &kept));

    let ((mut loaded, kept2), roots): ((Arena<u32>, Vec<Strong<u32>>), Roots) = load(&json);
    assert!(roots.is_empty());
    assert_eq!(loaded.retired_slots(), 2);
    assert_eq!(loaded.slot_count(), arena.slot_count());
    assert_eq!(loaded.frame(), arena.frame());
    for weak in &weaks {
        assert_eq!(loaded.get(*weak), arena.get(*weak), "{weak:?}");
    }
    let raws = |handles: &[Strong<u32>]| handles.iter().map(Strong::raw).collect::<Vec<_>>();
    assert_eq!(raws(&kept2), raws(&kept));
    assert!(kept2.iter().all(|strong| strong.strong_count() == 1 && loaded.contains(strong)));
    // The next inserts take the same slots, with the same generations.
    for value in 20..23 {
        let original = arena.try_insert(value).map(|s| s.raw());
        let reloaded = loaded.try_insert(value).map(|s| s.raw());
        assert_eq!(original.ok(), reloaded.ok());
    }
}

#[test]
fn holders_outside_the_file_come_back_as_roots() {
    let mut arena = Arena::new();
    let boss = arena.insert(String::from("boss"));
    let second = boss.clone();
    let minion = arena.insert(String::from("minion"));
    let (boss_weak, minion_weak) = (boss.downgrade(), minion.downgrade());
    let json = save(&(&arena, &second)); // boss and minion held outside

    let ((loaded, second), mut roots): ((Arena<String>, Strong<String>), Roots) = load(&json);
    assert_eq!(roots.len(), 2);
    assert_eq!(loaded.strong_count(boss_weak), 2, "the loaded handle and the root");
    let boss = roots.take(&loaded, boss_weak).expect("boss had an unsaved holder");
    assert_eq!(roots.take(&loaded, boss_weak), None, "only one");
    drop(roots); // the minion's only holder was not re-attached
    assert!(!loaded.contains(minion_weak));
    assert_eq!(boss.strong_count(), 2);
    drop(second);
    assert_eq!(boss.strong_count(), 1);
    drop(minion);
}

#[test]
fn saving_between_frames_only_and_whole_worlds_only() {
    let mut arena = Arena::new();
    let gone = arena.insert(1u8);
    drop(gone);
    let scope = SaveScope::new();
    let error = serde_json::to_string(&arena).unwrap_err().to_string();
    assert!(error.contains("end the frame before saving"), "{error}");
    drop(scope);
    arena.end_frame();
    let kept = arena.insert(2u8);
    let scope = SaveScope::new();
    serde_json::to_string(&(&arena, &arena)).unwrap_err();
    drop(scope);
    let scope = SaveScope::new();
    serde_json::to_string(&kept).unwrap();
    assert_eq!(scope.finish(), Err(SaveError::MissingArena(arena.id())));
    assert!(serde_json::to_string(&kept).unwrap_err().to_string().contains("outside a SaveScope"));
}

#[test]
fn inconsistent_files_fail_with_the_reason() {
    let mut arena = Arena::new();
    let kept = arena.insert(7u8);
    let json = save(&(&arena, &kept));
    let fails = |text: &str| {
        let scope = LoadScope::new();
        match serde_json::from_str::<(Arena<u8>, Strong<u8>)>(text) {
            Err(error) => error.to_string(),
            Ok(_) => scope.finish().unwrap_err().to_string(),
        }
    };
    // A second strong handle the saved count (1) does not allow.
    let doubled = format!("[{},[[0,4294967296],[0,4294967296]]]", &json[1..json.rfind(",[").unwrap()]);
    let scope = LoadScope::new();
    let result = serde_json::from_str::<(Arena<u8>, Vec<Strong<u8>>)>(&doubled);
    assert!(result.is_ok());
    assert!(matches!(scope.finish(), Err(LoadError::TooManyStrong { saved: 1, loaded: 2, .. })));
    // A handle to another generation of the slot.
    let stale = json.replace("[0,4294967296]", "[0,8589934592]");
    assert!(fails(&stale).contains("names no live object"), "{}", fails(&stale));
    // A payload type the arena was not saved with.
    let scope = LoadScope::new();
    let error = serde_json::from_str::<(Arena<u8>, Strong<u16>)>(&json).unwrap_err().to_string();
    assert!(error.contains("but is loaded as holding u16"), "{error}");
    drop(scope);
    // Generation 0.
    assert!(fails(&json.replace("[0,4294967296]", "[0,0]")).contains("generation 0"));
}

#[test]
fn weak_handles_are_their_bits() {
    let mut arena = Arena::new();
    let a = arena.insert(());
    let json = serde_json::to_string(&a.downgrade()).unwrap();
    assert_eq!(json, a.downgrade().to_bits().to_string());
    let back: Weak<()> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a.downgrade());
    assert!(serde_json::from_str::<Weak<()>>("12").is_err(), "generation 0");
}

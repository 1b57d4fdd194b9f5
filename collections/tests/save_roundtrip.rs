//! Round trip of random worlds through save and load (feature `serde`):
//! two arenas with strong handles inside values (within and across arenas),
//! saved and unsaved roots, and every kind of weak collection. After the
//! load every observable matches: values, the liveness of every handle ever
//! made, strong and weak counts, collection contents and lengths, and the
//! slots the next inserts take.
#![cfg(feature = "serde")]

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use weakarena_collections::{end_frame_all, SparseWeakKeyMap, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::save::{LoadScope, SaveScope};
use weakarena_core::{Arena, RawHandle, Strong, Weak};

#[derive(Serialize, Deserialize, Debug)]
struct Obj {
    value: u32,
    holds: Vec<Strong<Obj>>,
    tag: Option<Strong<Tag>>,
    seen: Option<Weak<Obj>>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Tag(u8);

/// Some collections come before their arenas in the file, some after.
#[derive(Serialize, Deserialize)]
struct World {
    dense: WeakKeyMap<Obj, u32>,
    tagged: WeakKeyMap<Tag, String>,
    objs: Arena<Obj>,
    tags: Arena<Tag>,
    roots: Vec<Strong<Obj>>,
    sparse: SparseWeakKeyMap<Obj, u32>,
    names: WeakValueMap<u32, Obj>,
    selected: WeakSet<Obj>,
    dense_selected: WeakSet<Obj>,
}

/// The world plus what the file leaves out: roots held elsewhere.
struct Game {
    world: World,
    unsaved: Vec<Strong<Obj>>,
    tag_roots: Vec<Strong<Tag>>,
}

#[derive(Clone, Debug)]
enum Op {
    Spawn { holds: Vec<usize>, tag: Option<usize>, unsaved: bool },
    Tag(u8),
    DropRoot(usize),
    DropTagRoot(usize),
    CloneRoot(usize),
    Dense(usize, u32),
    Sparse(usize, u32),
    Name(u32, usize),
    Select(usize),
    Unselect(usize),
    TagNote(usize),
    EndFrame,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop::collection::vec(any::<usize>(), 0..3), prop::option::of(any::<usize>()), any::<bool>())
            .prop_map(|(holds, tag, unsaved)| Op::Spawn { holds, tag, unsaved }),
        1 => any::<u8>().prop_map(Op::Tag),
        3 => any::<usize>().prop_map(Op::DropRoot),
        1 => any::<usize>().prop_map(Op::DropTagRoot),
        1 => any::<usize>().prop_map(Op::CloneRoot),
        2 => (any::<usize>(), any::<u32>()).prop_map(|(o, v)| Op::Dense(o, v)),
        2 => (any::<usize>(), any::<u32>()).prop_map(|(o, v)| Op::Sparse(o, v)),
        2 => (0u32..6, any::<usize>()).prop_map(|(k, o)| Op::Name(k, o)),
        2 => any::<usize>().prop_map(Op::Select),
        1 => any::<usize>().prop_map(Op::Unselect),
        1 => any::<usize>().prop_map(Op::TagNote),
        2 => Just(Op::EndFrame),
    ]
}

fn pick<T>(list: &[T], at: usize) -> Option<&T> {
    (!list.is_empty()).then(|| &list[at % list.len()])
}

impl Game {
    fn new() -> Game {
        let objs = Arena::new();
        let tags = Arena::new();
        let world = World {
            dense: WeakKeyMap::new(&objs),
            sparse: SparseWeakKeyMap::new(&objs),
            names: WeakValueMap::new(&objs),
            selected: WeakSet::new(&objs),
            dense_selected: WeakSet::dense(&objs),
            tagged: WeakKeyMap::new(&tags),
            objs,
            tags,
            roots: Vec::new(),
        };
        Game { world, unsaved: Vec::new(), tag_roots: Vec::new() }
    }

    /// Clones of every root, held while one operation runs.
    fn holders(&self) -> Vec<Strong<Obj>> {
        self.world.roots.iter().chain(&self.unsaved).cloned().collect()
    }

    fn apply(&mut self, op: &Op, made: &mut Vec<Weak<Obj>>, tags_made: &mut Vec<Weak<Tag>>) {
        let holders = self.holders();
        let target = |at: usize| pick(&holders, at).cloned();
        let w = &mut self.world;
        match op {
            Op::Spawn { holds, tag, unsaved } => {
                let holds: Vec<Strong<Obj>> = holds.iter().filter_map(|&at| target(at)).collect();
                let tag = tag.and_then(|at| pick(&self.tag_roots, at).cloned());
                let seen = made.last().copied();
                let strong = w.objs.insert(Obj { value: made.len() as u32, holds, tag, seen });
                made.push(strong.downgrade());
                if *unsaved {
                    self.unsaved.push(strong)
                } else {
                    w.roots.push(strong)
                }
            }
            Op::Tag(n) => {
                let tag = w.tags.insert(Tag(*n));
                tags_made.push(tag.downgrade());
                self.tag_roots.push(tag);
            }
            Op::DropRoot(at) => {
                let total = w.roots.len() + self.unsaved.len();
                if total > 0 {
                    let at = at % total;
                    if at < w.roots.len() {
                        w.roots.swap_remove(at);
                    } else {
                        self.unsaved.swap_remove(at - w.roots.len());
                    }
                }
            }
            Op::DropTagRoot(at) => {
                if !self.tag_roots.is_empty() {
                    self.tag_roots.swap_remove(at % self.tag_roots.len());
                }
            }
            Op::CloneRoot(at) => {
                if let Some(strong) = target(*at) {
                    w.roots.push(strong)
                }
            }
            Op::Dense(at, v) => {
                if let Some(s) = target(*at) {
                    w.dense.insert(&s, *v);
                }
            }
            Op::Sparse(at, v) => {
                if let Some(s) = target(*at) {
                    w.sparse.insert(&s, *v);
                }
            }
            Op::Name(k, at) => {
                if let Some(s) = target(*at) {
                    w.names.insert(*k, &s);
                }
            }
            Op::Select(at) => {
                if let Some(s) = target(*at) {
                    w.selected.insert(&s);
                    w.dense_selected.insert(&s);
                }
            }
            Op::Unselect(at) => {
                if let Some(s) = target(*at) {
                    w.selected.remove(&s);
                    w.dense_selected.remove(&s);
                }
            }
            Op::TagNote(at) => {
                if let Some(t) = pick(&self.tag_roots, *at) {
                    w.tagged.insert(t, format!("tag {}", w.tags[t].0));
                }
            }
            Op::EndFrame => self.end_frame(),
        }
    }

    fn end_frame(&mut self) {
        let w = &mut self.world;
        end_frame_all(
            &mut [&mut w.objs, &mut w.tags],
            &mut [
                &mut w.dense,
                &mut w.sparse,
                &mut w.names,
                &mut w.selected,
                &mut w.dense_selected,
                &mut w.tagged,
            ],
        );
    }
}

/// Value, held handles, tag, weak field, strong count, weak count.
type ObjView = (u32, Vec<RawHandle>, Option<RawHandle>, Option<Weak<Obj>>, usize, usize);

/// Everything observable about one object, comparable across arenas.
fn obj_view(world: &World, weak: Weak<Obj>) -> Option<ObjView> {
    let obj = world.objs.get(weak)?;
    Some((
        obj.value,
        obj.holds.iter().map(Strong::raw).collect(),
        obj.tag.as_ref().map(Strong::raw),
        obj.seen,
        world.objs.strong_count(weak),
        world.objs.weak_count(weak),
    ))
}

fn collections_view(w: &World) -> impl PartialEq + std::fmt::Debug {
    // Hashed collections compare as sets: their order is the hash table's.
    let sorted = |mut list: Vec<_>| {
        list.sort();
        list
    };
    (
        w.dense.iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>(),
        sorted(w.sparse.iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>()),
        sorted(w.names.iter().map(|(k, v)| (v, *k)).collect::<Vec<_>>()),
        sorted(w.selected.iter().map(|m| (m, 0)).collect::<Vec<_>>()),
        (w.dense_selected.iter().collect::<Vec<_>>(), w.dense_selected.len()),
        (w.selected.is_dense(), w.dense_selected.is_dense()),
        w.tagged.iter().map(|(k, v)| (k, v.clone())).collect::<Vec<_>>(),
        (w.dense.len(), w.sparse.len(), w.names.len(), w.selected.len(), w.tagged.len()),
        (w.objs.len(), w.objs.slot_count(), w.objs.retired_slots(), w.objs.frame()),
        (w.tags.len(), w.tags.slot_count(), w.tags.frame()),
    )
}

fn round_trip(ops: &[Op]) -> Result<(), TestCaseError> {
    let (mut made, mut tags_made) = (Vec::new(), Vec::new());
    let mut game = Game::new();
    for op in ops {
        game.apply(op, &mut made, &mut tags_made);
    }
    game.end_frame();

    let scope = SaveScope::new();
    let json = serde_json::to_string(&game.world).expect("a world saves");
    scope.finish().expect("a whole world");
    let scope = LoadScope::new();
    let world: World = serde_json::from_str(&json).expect("a world loads");
    let mut roots = scope.finish().expect("a whole world");
    // Re-attach the holders the file left out where the game kept them.
    let unsaved: Option<Vec<_>> =
        game.unsaved.iter().map(|s| roots.take(&world.objs, s.downgrade())).collect();
    let tag_roots: Option<Vec<_>> =
        game.tag_roots.iter().map(|s| roots.take(&world.tags, s.downgrade())).collect();
    prop_assert!(roots.is_empty());
    let mut loaded = Game {
        unsaved: unsaved.expect("a root per holder"),
        tag_roots: tag_roots.expect("a root per holder"),
        world,
    };

    for &weak in &made {
        prop_assert_eq!(obj_view(&loaded.world, weak), obj_view(&game.world, weak), "{:?}", weak);
    }
    for &tag in &tags_made {
        let view =
            |w: &World| w.tags.get(tag).map(|t| (t.0, w.tags.strong_count(tag), w.tags.weak_count(tag)));
        prop_assert_eq!(view(&loaded.world), view(&game.world));
    }
    prop_assert_eq!(collections_view(&loaded.world), collections_view(&game.world));
    // The next inserts take the same slots with the same generations.
    for value in 0..4 {
        let next = |g: &mut Game| g.world.objs.insert(Obj { value, holds: vec![], tag: None, seen: None });
        let (a, b) = (next(&mut game), next(&mut loaded));
        prop_assert_eq!(a.raw(), b.raw());
        game.world.roots.push(a);
        loaded.world.roots.push(b);
    }
    // And the two worlds keep agreeing as they run on.
    for op in ops.iter().rev().take(12) {
        game.apply(op, &mut made.clone(), &mut tags_made.clone());
        loaded.apply(op, &mut made.clone(), &mut tags_made.clone());
    }
    game.end_frame();
    loaded.end_frame();
    for &weak in &made {
        prop_assert_eq!(obj_view(&loaded.world, weak), obj_view(&game.world, weak));
    }
    prop_assert_eq!(collections_view(&loaded.world), collections_view(&game.world));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_worlds_round_trip(ops in prop::collection::vec(op(), 0..80)) {
        round_trip(&ops)?;
    }
}

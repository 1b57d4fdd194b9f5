//! Model test: random operations on a WeakKeyMap (dense and sparse), a
//! WeakValueMap and a WeakSet (hashed and dense),
//! checked against plain HashMaps after every step.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use weakarena_collections::{SparseWeakKeyMap, Sweep, WeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::{Arena, Strong, Weak};

#[derive(Clone, Debug)]
enum Op {
    Spawn,
    Kill(usize),
    InsertKey(usize, u8),
    RemoveKey(usize),
    InsertValue(u8, usize),
    RemoveValue(u8),
    Add(usize),
    Discard(usize),
    EndFrame { sweep: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Spawn),
        2 => any::<usize>().prop_map(Op::Kill),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(o, v)| Op::InsertKey(o, v)),
        1 => any::<usize>().prop_map(Op::RemoveKey),
        3 => (0u8..8, any::<usize>()).prop_map(|(k, o)| Op::InsertValue(k, o)),
        1 => (0u8..8).prop_map(Op::RemoveValue),
        2 => any::<usize>().prop_map(Op::Add),
        1 => any::<usize>().prop_map(Op::Discard),
        2 => any::<bool>().prop_map(|sweep| Op::EndFrame { sweep }),
    ]
}

/// The world under test and its model.
struct Harness {
    arena: Arena<u32>,
    live: Vec<Strong<u32>>,
    ever: Vec<Weak<u32>>,
    keys: WeakKeyMap<u32, u8>,
    sparse_keys: SparseWeakKeyMap<u32, u8>,
    values: WeakValueMap<u8, u32>,
    set: WeakSet<u32>,
    dense_set: WeakSet<u32>,
    model_keys: HashMap<Weak<u32>, u8>,
    model_values: HashMap<u8, Weak<u32>>,
    model_set: HashSet<Weak<u32>>,
}

impl Harness {
    fn new() -> Harness {
        let arena = Arena::new();
        Harness {
            keys: WeakKeyMap::new(&arena),
            sparse_keys: SparseWeakKeyMap::new(&arena),
            values: WeakValueMap::new(&arena),
            set: WeakSet::new(&arena),
            dense_set: WeakSet::dense(&arena),
            arena,
            live: Vec::new(),
            ever: Vec::new(),
            model_keys: HashMap::new(),
            model_values: HashMap::new(),
            model_set: HashSet::new(),
        }
    }

    /// Some handle ever made: live or dead.
    fn pick(&self, n: usize) -> Option<Weak<u32>> {
        (!self.ever.is_empty()).then(|| self.ever[n % self.ever.len()])
    }

    fn alive(&self, w: Weak<u32>) -> bool {
        self.live.iter().any(|s| s.downgrade() == w)
    }

    fn apply(&mut self, op: Op) {
        match op {
            Op::Spawn => {
                let s = self.arena.insert(self.ever.len() as u32);
                self.ever.push(s.downgrade());
                self.live.push(s);
            }
            Op::Kill(n) if !self.live.is_empty() => {
                let dead = self.live.swap_remove(n % self.live.len()).downgrade();
                self.model_keys.remove(&dead);
                self.model_values.retain(|_, v| *v != dead);
                self.model_set.remove(&dead);
            }
            Op::InsertKey(n, v) => self.insert_key(n, v),
            Op::RemoveKey(n) => {
                if let Some(w) = self.pick(n) {
                    assert_eq!(self.sparse_keys.remove(w), self.model_keys.get(&w).copied());
                    assert_eq!(self.keys.remove(w), self.model_keys.remove(&w));
                }
            }
            Op::InsertValue(k, n) => self.insert_value(k, n),
            Op::RemoveValue(k) => assert_eq!(self.values.remove(&k), self.model_values.remove(&k)),
            Op::Add(n) => {
                if let Some(w) = self.pick(n) {
                    assert_eq!(self.set.try_insert(w).is_ok(), self.alive(w));
                    assert_eq!(self.dense_set.try_insert(w).is_ok(), self.alive(w));
                    if self.alive(w) {
                        self.model_set.insert(w);
                    }
                }
            }
            Op::Discard(n) => {
                if let Some(w) = self.pick(n) {
                    assert_eq!(self.dense_set.remove(w), self.model_set.contains(&w));
                    assert_eq!(self.set.remove(w), self.model_set.remove(&w));
                }
            }
            Op::EndFrame { sweep } => self.end_frame(sweep),
            Op::Kill(_) => {}
        }
    }

    fn insert_key(&mut self, n: usize, v: u8) {
        let Some(w) = self.pick(n) else { return };
        let result = self.keys.try_insert(w, v);
        assert_eq!(self.sparse_keys.try_insert(w, v).ok(), result.as_ref().ok().copied());
        if self.alive(w) {
            assert_eq!(result.unwrap(), self.model_keys.insert(w, v));
        } else {
            assert!(result.is_err());
        }
    }

    fn insert_value(&mut self, k: u8, n: usize) {
        let Some(w) = self.pick(n) else { return };
        let result = self.values.try_insert(k, w);
        if self.alive(w) {
            assert_eq!(result.unwrap(), self.model_values.insert(k, w));
        } else {
            assert!(result.is_err());
        }
    }

    fn end_frame(&mut self, sweep: bool) {
        let report = self.arena.end_frame();
        if !sweep {
            return; // a skipped sweep: the next one must catch up
        }
        self.keys.sweep(&report);
        self.sparse_keys.sweep(&report);
        self.values.sweep(&report);
        self.set.sweep(&report);
        self.dense_set.sweep(&report);
        assert_eq!(self.keys.len(), self.model_keys.len());
        assert_eq!(self.sparse_keys.len(), self.model_keys.len());
        assert_eq!(self.values.len(), self.model_values.len());
        assert_eq!(self.set.len(), self.model_set.len());
        assert_eq!(self.dense_set.len(), self.model_set.len());
    }

    fn check(&self) {
        let keys: HashMap<Weak<u32>, u8> = self.keys.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(keys, self.model_keys);
        let sparse: HashMap<Weak<u32>, u8> = self.sparse_keys.iter().map(|(k, v)| (k, *v)).collect();
        assert_eq!(sparse, self.model_keys);
        let in_slot_order: Vec<u32> = self.keys.keys().map(|k| k.index()).collect();
        assert!(in_slot_order.windows(2).all(|w| w[0] < w[1]), "the dense map iterates in slot order");
        let values: HashMap<u8, Weak<u32>> = self.values.iter().map(|(k, v)| (*k, v)).collect();
        assert_eq!(values, self.model_values);
        let set: HashSet<Weak<u32>> = self.set.iter().collect();
        assert_eq!(set, self.model_set);
        let dense_set: Vec<Weak<u32>> = self.dense_set.iter().collect();
        assert!(
            dense_set.windows(2).all(|w| w[0].index() < w[1].index()),
            "the dense set iterates in slot order"
        );
        assert_eq!(dense_set.into_iter().collect::<HashSet<_>>(), self.model_set);
        assert_eq!(self.dense_set.live_len(), self.model_set.len());
        for &w in &self.ever {
            assert_eq!(self.keys.get(w), self.model_keys.get(&w));
            assert_eq!(self.sparse_keys.get(w), self.model_keys.get(&w));
            assert_eq!(self.set.contains(w), self.model_set.contains(&w));
            assert_eq!(self.dense_set.contains(w), self.model_set.contains(&w));
            let memberships = 2 * usize::from(self.model_keys.contains_key(&w))
                + self.model_values.values().filter(|&&v| v == w).count()
                + 2 * usize::from(self.model_set.contains(&w));
            assert_eq!(self.arena.weak_count(w), memberships);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn collections_match_a_hashmap_model(ops in proptest::collection::vec(op(), 1..120)) {
        let mut harness = Harness::new();
        for op in ops {
            harness.apply(op);
            harness.check();
        }
    }
}

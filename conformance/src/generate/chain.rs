//! Chains of weak-key dictionary values (`putobj`): `d[n0] = n1`,
//! `d[n1] = n2`, … held by one root, so that the root's death frees the
//! whole chain in one operation — or, closed into a cycle through a value
//! or a field, so that only dropping the dictionary frees it (CPython's
//! `WeakKeyDictionary` holds its values strongly; `collect` cannot).

use super::{Generator, Slot};
use crate::op::Op;

/// What a chain may put on each link.
const WATCHERS: [&str; 3] = ["weak", "fin", "proxy"];
/// How often (in 100) a chain is closed into a cycle.
const CYCLIC_PERCENT: usize = 30;

impl Generator {
    /// The operations of one chain, applied to the model:
    ///
    /// 1. a weak-key dictionary (an existing one, or a new one);
    /// 2. a new root and two to five new links, each the value of the one
    ///    before it;
    /// 3. a callback reference or finalizer on some links;
    /// 4. sometimes the last link's value or field pointing back at the root;
    /// 5. the links' variables deleted: the dictionary holds them now;
    /// 6. an ending: the root deleted, its value replaced or removed, or the
    ///    dictionary dropped — or nothing, leaving the chain for later.
    pub(super) fn value_chain(&mut self) -> Vec<Op> {
        let mut ops = Vec::new();
        let map = match self.var_where(|slot| slot == Slot::Wkd) {
            Some(map) if self.rng.percent(60) => map,
            _ => {
                let map = self.any_var(&[]);
                self.model.bind(map, Slot::Wkd);
                ops.push(Op::Wkd { var: map.into() });
                map
            }
        };
        let mut chain = vec![self.any_var(&[map])];
        ops.push(self.new_object(chain[0]));
        for _ in 0..2 + self.rng.below(4) {
            let keep: Vec<&str> = chain.iter().copied().chain([map]).collect();
            let link = self.any_var(&keep);
            ops.push(self.new_object(link));
            ops.extend(self.put_object(map, chain[chain.len() - 1], link));
            chain.push(link);
        }
        ops.extend(self.watch_links(map, &chain));
        if self.rng.percent(CYCLIC_PERCENT) {
            ops.extend(self.close_chain(map, &chain));
        }
        for &link in &chain[1..] {
            ops.push(self.del(link));
        }
        ops.extend(self.end_chain(map, chain[0]));
        ops
    }

    /// A callback reference, proxy or finalizer on about half the links.
    fn watch_links(&mut self, map: &'static str, chain: &[&'static str]) -> Vec<Op> {
        let mut ops = Vec::new();
        for &link in chain {
            if self.rng.percent(50) {
                let keyword = *self.rng.pick(&WATCHERS).expect("watchers");
                let keep: Vec<&str> = chain.iter().copied().chain([map]).collect();
                let var = self.any_var(&keep);
                ops.extend(self.reference(keyword, var, link));
            }
        }
        ops
    }

    /// The last link holds the root: as its dictionary value, or in a field.
    fn close_chain(&mut self, map: &'static str, chain: &[&'static str]) -> Option<Op> {
        let (last, root) = (chain[chain.len() - 1], chain[0]);
        if self.rng.percent(50) {
            self.put_object(map, last, root)
        } else {
            let field = self.field();
            self.set_field(last, field, root)
        }
    }

    /// How the chain ends: its root deleted, the root's value replaced by a
    /// token or removed, the dictionary dropped, or nothing yet.
    fn end_chain(&mut self, map: &'static str, root: &'static str) -> Vec<Op> {
        match self.rng.below(5) {
            0 => vec![self.put_token(map, root), self.del(root)],
            1 => {
                let key = self.object_of(root).expect("the root is alive");
                self.model.drop_entry(map, key);
                vec![Op::Remove { collection: map.into(), key: root.into() }]
            }
            2 => vec![self.del(map)],
            3 => Vec::new(),
            _ => vec![self.del(root)],
        }
    }
}

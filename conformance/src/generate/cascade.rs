//! Cascades: a few objects with callbacks and finalizers hung under one
//! holder by fields only, so that one death kills them all at once, each
//! printing its own lines — or, closed into a cycle, so that only `collect`
//! frees them.

use super::{Generator, Slot};
use crate::op::Op;

/// What a cascade may put on each object it hangs (`entry`: an entry in a
/// weak collection).
const WATCHERS: [&str; 5] = ["weak", "proxy", "fin", "method", "entry"];
/// How often (in 100) a cascade is closed into a cycle.
const CYCLIC_PERCENT: usize = 40;

impl Generator {
    /// The operations of one cascade, applied to the model:
    ///
    /// 1. a holder (an object variable, or a new object);
    /// 2. one to three new objects, each set as a field of the holder or
    ///    of one made before it (new objects reach nothing: no cycle);
    /// 3. one or two references, proxies, finalizers, weak methods (in
    ///    variables of their own) or collection entries on each;
    /// 4. sometimes a field from a new object back to the holder or another
    ///    member, closing a cycle;
    /// 5. the new objects' variables deleted: fields hold them now;
    /// 6. sometimes the holder's variable deleted at once (mostly, for a
    ///    cycle, followed by `collect`).
    pub(super) fn cascade(&mut self) -> Vec<Op> {
        let mut ops = Vec::new();
        let holder = match self.object_var() {
            Some((var, _)) if self.rng.percent(70) => var,
            _ => {
                let var = self.any_var(&[]);
                ops.push(self.new_object(var));
                var
            }
        };
        let mut tree = vec![holder];
        for _ in 0..1 + self.rng.below(3) {
            let child = self.any_var(&tree);
            ops.push(self.new_object(child));
            let parent = *self.rng.pick(&tree).expect("the holder is in the tree");
            let field = self.field();
            ops.extend(self.set_field(parent, field, child));
            tree.push(child);
        }
        for index in 1..tree.len() {
            for _ in 0..1 + self.rng.below(2) {
                let keyword = *self.rng.pick(&WATCHERS).expect("watchers");
                if keyword == "entry" {
                    ops.extend(self.entry(tree[index]));
                } else {
                    let var = self.any_var(&tree);
                    ops.extend(self.reference(keyword, var, tree[index]));
                }
            }
        }
        let cyclic = self.rng.percent(CYCLIC_PERCENT);
        if cyclic {
            ops.extend(self.close_cycle(&tree));
        }
        for &child in &tree[1..] {
            ops.push(self.del(child));
        }
        if self.rng.percent(if cyclic { 80 } else { 40 }) {
            ops.push(self.del(holder));
        }
        if cyclic && self.rng.percent(70) {
            self.model.collect();
            ops.push(Op::Collect);
        }
        ops
    }

    /// A field from a new member of `tree` back to the holder or another
    /// member (itself included).
    fn close_cycle(&mut self, tree: &[&'static str]) -> Option<Op> {
        let from = *self.rng.pick(&tree[1..])?;
        let to = *self.rng.pick(tree)?;
        let field = self.field();
        self.set_field(from, field, to)
    }

    /// `put` or `add` of `var`'s object into some weak collection.
    fn entry(&mut self, var: &str) -> Option<Op> {
        let collection = self.var_where(|slot| matches!(slot, Slot::Wkd | Slot::Wvd | Slot::Wset))?;
        let token = self.token();
        let (collection, member) = (collection.to_owned(), var.to_owned());
        Some(match self.model.slot(&collection)? {
            Slot::Wset => Op::Add { collection, member },
            Slot::Wvd => Op::Put { collection, first: token, second: member },
            _ => self.put_token(&collection, &member),
        })
    }
}

//! What the generator knows about a scenario it is writing: which variable
//! holds what, each object's fields and strong count. Enough to write only
//! valid lines (`unset` of a field that exists, `up` giving an object or
//! `None`), and which objects `collect` frees: those in cycles that no
//! variable reaches. Weak-key dictionary values (`putobj`) are strong
//! references held by the dictionary's variable, as in CPython: they die
//! with their entry (the key dies, the entry is removed or replaced, or the
//! dictionary is dropped), and `collect` counts them as held from outside.

use std::collections::BTreeMap;

/// An object, by creation order.
pub(super) type ObjId = usize;

/// What a variable holds.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(super) enum Slot {
    Object(ObjId),
    None,
    Ref(ObjId),
    Proxy,
    Wkd,
    Wvd,
    Wset,
    Fin,
    Method,
}

#[derive(Default)]
struct Object {
    fields: BTreeMap<&'static str, ObjId>,
    strong: usize,
}

/// Variables and objects, with reference counting as CPython does it.
#[derive(Default)]
pub(super) struct Model {
    objects: Vec<Object>,
    vars: BTreeMap<&'static str, Slot>,
    /// The object values of each weak-key dictionary variable, by key.
    map_values: BTreeMap<&'static str, BTreeMap<ObjId, ObjId>>,
}

impl Model {
    /// A new object, not yet held by anything.
    pub(super) fn new_object(&mut self) -> ObjId {
        self.objects.push(Object::default());
        self.objects.len() - 1
    }

    /// What `var` holds, if it is bound.
    pub(super) fn slot(&self, var: &str) -> Option<Slot> {
        self.vars.get(var).copied()
    }

    /// The bound variables whose value `wanted` accepts.
    pub(super) fn vars_where(&self, wanted: impl Fn(Slot) -> bool) -> Vec<&'static str> {
        self.vars.iter().filter(|&(_, &slot)| wanted(slot)).map(|(&var, _)| var).collect()
    }

    /// Binds `var`: the new value is held first, then the old one dropped.
    pub(super) fn bind(&mut self, var: &'static str, slot: Slot) {
        if let Slot::Object(id) = slot {
            self.objects[id].strong += 1;
        }
        let old = self.vars.insert(var, slot);
        self.drop_slot(var, old);
    }

    /// `del var`
    pub(super) fn unbind(&mut self, var: &str) {
        let old = self.vars.remove(var);
        self.drop_slot(var, old);
    }

    fn drop_slot(&mut self, var: &str, slot: Option<Slot>) {
        match slot {
            Some(Slot::Object(id)) => self.release(id),
            Some(Slot::Wkd) => {
                for value in self.map_values.remove(var).unwrap_or_default().into_values() {
                    self.release(value);
                }
            }
            _ => {}
        }
    }

    /// `putobj map key value`: holds the value, then drops the one replaced.
    pub(super) fn put_object(&mut self, map: &'static str, key: ObjId, value: ObjId) {
        self.objects[value].strong += 1;
        if let Some(old) = self.map_values.entry(map).or_default().insert(key, value) {
            self.release(old);
        }
    }

    /// `put map key V` or `remove map key`: the entry's object value, if it
    /// had one, is dropped.
    pub(super) fn drop_entry(&mut self, map: &str, key: ObjId) {
        if let Some(old) = self.map_values.get_mut(map).and_then(|values| values.remove(&key)) {
            self.release(old);
        }
    }

    /// A dead key's entries leave every dictionary, dropping their values.
    fn drop_entries_of(&mut self, key: ObjId) {
        let values: Vec<ObjId> =
            self.map_values.values_mut().filter_map(|values| values.remove(&key)).collect();
        for value in values {
            self.release(value);
        }
    }

    /// Drops one strong reference; the last one kills the object and
    /// releases its fields.
    fn release(&mut self, id: ObjId) {
        let object = &mut self.objects[id];
        object.strong -= 1;
        if object.strong == 0 {
            for target in std::mem::take(&mut object.fields).into_values() {
                self.release(target);
            }
            self.drop_entries_of(id);
        }
    }

    /// Strong references to the object, from variables and fields.
    pub(super) fn strong_count(&self, id: ObjId) -> usize {
        self.objects[id].strong
    }

    /// Whether the object is alive.
    pub(super) fn is_alive(&self, id: ObjId) -> bool {
        self.strong_count(id) > 0
    }

    /// `holder.field = target`: stores the new reference, then drops the old.
    pub(super) fn set_field(&mut self, holder: ObjId, field: &'static str, target: ObjId) {
        self.objects[target].strong += 1;
        if let Some(old) = self.objects[holder].fields.insert(field, target) {
            self.release(old);
        }
    }

    /// `del holder.field`
    pub(super) fn unset_field(&mut self, holder: ObjId, field: &str) {
        if let Some(old) = self.objects[holder].fields.remove(field) {
            self.release(old);
        }
    }

    /// The fields the object has.
    pub(super) fn fields(&self, id: ObjId) -> Vec<&'static str> {
        self.objects[id].fields.keys().copied().collect()
    }

    /// Whether `to` is `from` or reachable from it through fields: setting
    /// a field of `to` to `from` would then close a cycle.
    pub(super) fn reaches(&self, from: ObjId, to: ObjId) -> bool {
        let mut seen = vec![false; self.objects.len()];
        let mut stack = vec![from];
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if !std::mem::replace(&mut seen[id], true) {
                stack.extend(self.objects[id].fields.values());
            }
        }
        false
    }

    /// `gc.collect()`: every live object no variable or dictionary value
    /// reaches is garbage (it can only be alive through a cycle); it dies,
    /// its fields let go of the objects outside the garbage they held, and
    /// its entries of weak-key dictionaries drop their values.
    pub(super) fn collect(&mut self) {
        let mut reached = vec![false; self.objects.len()];
        let held =
            self.vars.values().filter_map(|slot| if let Slot::Object(id) = slot { Some(*id) } else { None });
        let mut stack: Vec<ObjId> =
            held.chain(self.map_values.values().flat_map(|values| values.values().copied())).collect();
        while let Some(id) = stack.pop() {
            if !std::mem::replace(&mut reached[id], true) {
                stack.extend(self.objects[id].fields.values());
            }
        }
        let garbage: Vec<ObjId> =
            (0..self.objects.len()).filter(|&id| self.is_alive(id) && !reached[id]).collect();
        for &id in &garbage {
            self.objects[id].strong = 0;
        }
        for &id in &garbage {
            for target in std::mem::take(&mut self.objects[id].fields).into_values() {
                if self.objects[target].strong > 0 {
                    self.objects[target].strong -= 1;
                }
            }
        }
        for id in garbage {
            self.drop_entries_of(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cascade_like_cpython() {
        let mut model = Model::default();
        let (a, b) = (model.new_object(), model.new_object());
        model.bind("x", Slot::Object(a));
        model.bind("y", Slot::Object(b));
        model.set_field(a, "f", b);
        assert!(model.reaches(a, b) && !model.reaches(b, a));
        model.unbind("y");
        assert!(model.is_alive(b));
        model.bind("x", Slot::Ref(a)); // `weak x x`: the object dies
        assert!(!model.is_alive(a) && !model.is_alive(b));
        assert_eq!(model.vars_where(|slot| matches!(slot, Slot::Ref(_))), ["x"]);
    }

    #[test]
    fn dictionary_values_die_with_their_key_entry_or_dictionary() {
        let mut model = Model::default();
        let objects: Vec<ObjId> = (0..4).map(|_| model.new_object()).collect();
        model.bind("d", Slot::Wkd);
        for (var, &id) in ["a", "b", "c", "e"].iter().zip(&objects) {
            model.bind(var, Slot::Object(id));
        }
        model.put_object("d", objects[0], objects[1]);
        model.put_object("d", objects[1], objects[2]);
        model.unbind("b");
        model.unbind("c");
        assert!(model.is_alive(objects[2]));
        model.unbind("a"); // the chain goes with its root
        assert!(!model.is_alive(objects[1]) && !model.is_alive(objects[2]));
        model.put_object("d", objects[3], objects[3]); // held by its own value
        model.unbind("e");
        model.collect();
        assert!(model.is_alive(objects[3]), "a dictionary value is held from outside");
        model.unbind("d");
        assert!(!model.is_alive(objects[3]));
    }
}

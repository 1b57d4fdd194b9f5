//! Weak collections: `wkd`, `wvd`, `wset`, `put`, `putobj`, `add`, `remove`,
//! `lookup`, `len`, `items`.

use weakarena_collections::{SparseWeakKeyMap, WeakSet, WeakValueMap};
use weakarena_core::Weak;

use super::Interpreter;
use crate::error::Checked;
use crate::syntax::py_bool;
use crate::value::{Kind, MapValue, Obj, Value};

/// The collection kinds.
const COLLECTIONS: [Kind; 3] = [Kind::Wkd, Kind::Wvd, Kind::Wset];

const LIVE: &str = "a variable's object is alive";

impl Interpreter {
    /// `wkd C`, `wvd C`, `wset C`
    pub(super) fn new_collection(&mut self, var: &str, kind: Kind) -> Checked<()> {
        let value = match kind {
            Kind::Wkd => Value::Wkd(SparseWeakKeyMap::new(&self.arena)),
            Kind::Wvd => Value::Wvd(WeakValueMap::new(&self.arena)),
            _ => Value::Wset(WeakSet::new(&self.arena)),
        };
        self.bind(var, value);
        Ok(())
    }

    /// Checks that `var` is a collection of one of `kinds`; then, unless it
    /// is a weak-value dictionary (whose keys are plain tokens), the handle
    /// of the object variable `key`.
    fn key_handle(&self, var: &str, kinds: &[Kind], key: &str) -> Checked<Option<Weak<Obj>>> {
        if self.need(var, kinds)?.kind() == Kind::Wvd {
            return Ok(None);
        }
        Ok(Some(self.object(key)?.downgrade()))
    }

    /// `put C X V` (weak-key) or `put C K X` (weak-value).
    pub(super) fn put(&mut self, var: &str, first: &str, second: &str) -> Checked<()> {
        let kind = self.need(var, &[Kind::Wkd, Kind::Wvd])?.kind();
        let (object, token) = if kind == Kind::Wkd { (first, second) } else { (second, first) };
        let handle = self.object(object)?.downgrade();
        match self.vars.get_mut(var) {
            Some(Value::Wkd(map)) => {
                drop(map.try_insert(handle, MapValue::Text(token.to_owned())).expect(LIVE))
            }
            Some(Value::Wvd(map)) => drop(map.try_insert(token.to_owned(), handle).expect(LIVE)),
            _ => unreachable!("checked the kind"),
        }
        Ok(())
    }

    /// `putobj C X Y`: the entry holds Y's object strongly; the value it
    /// replaces is dropped at once.
    pub(super) fn put_object(&mut self, var: &str, key: &str, value: &str) -> Checked<()> {
        self.need(var, &[Kind::Wkd])?;
        let handle = self.object(key)?.downgrade();
        let value = MapValue::Object(self.object(value)?.clone());
        if let Some(Value::Wkd(map)) = self.vars.get_mut(var) {
            drop(map.try_insert(handle, value).expect(LIVE));
        }
        Ok(())
    }

    /// How a weak-key dictionary's value prints: its token, or the name of
    /// the object it holds.
    fn map_text(&self, value: &MapValue) -> String {
        match value {
            MapValue::Text(text) => text.clone(),
            MapValue::Object(object) => self.name_of(object),
        }
    }

    /// `add C X`
    pub(super) fn add(&mut self, var: &str, member: &str) -> Checked<()> {
        let handle = self.key_handle(var, &[Kind::Wset], member)?;
        if let (Some(Value::Wset(set)), Some(handle)) = (self.vars.get_mut(var), handle) {
            set.try_insert(handle).expect(LIVE);
        }
        Ok(())
    }

    /// `remove C X` / `remove C K`: `KeyError` for a missing dictionary key.
    pub(super) fn remove(&mut self, var: &str, key: &str) -> Checked<()> {
        let handle = self.key_handle(var, &COLLECTIONS, key)?;
        let missing = match (self.vars.get_mut(var), handle) {
            (Some(Value::Wkd(map)), Some(handle)) => map.remove(handle).is_none(),
            (Some(Value::Wvd(map)), _) => map.remove(key).is_none(),
            (Some(Value::Wset(set)), Some(handle)) => {
                set.remove(handle); // `discard`: a missing member is fine
                false
            }
            _ => unreachable!("checked the kind"),
        };
        if missing {
            self.print(format!("remove {var} KeyError"));
        }
        Ok(())
    }

    /// `lookup C X` / `lookup C K`
    pub(super) fn lookup(&mut self, var: &str, key: &str) -> Checked<()> {
        let handle = self.key_handle(var, &COLLECTIONS, key)?;
        let found = match (&self.vars[var], handle) {
            (Value::Wkd(map), Some(handle)) => {
                map.get(handle).map_or_else(|| "None".into(), |v| self.map_text(v))
            }
            (Value::Wvd(map), _) => map.get(key).map_or_else(|| "None".into(), |object| self.name_of(object)),
            (Value::Wset(set), Some(handle)) => py_bool(set.contains(handle)).to_owned(),
            _ => unreachable!("checked the kind"),
        };
        self.print(format!("lookup {var} {found}"));
        Ok(())
    }

    /// `len C`: exact, since every frame end is swept.
    pub(super) fn len(&mut self, var: &str) -> Checked<()> {
        let len = match self.need(var, &COLLECTIONS)? {
            Value::Wkd(map) => map.len(),
            Value::Wvd(map) => map.len(),
            Value::Wset(set) => set.len(),
            _ => unreachable!("need checked the kind"),
        };
        self.print(format!("len {var} {len}"));
        Ok(())
    }

    /// `items C`: live entries sorted as CPython sorts `(key, value)`
    /// tuples (by name for sets).
    pub(super) fn items(&mut self, var: &str) -> Checked<()> {
        let mut entries: Vec<(String, Option<String>)> = match self.need(var, &COLLECTIONS)? {
            Value::Wkd(map) => {
                map.iter().map(|(key, value)| (self.name_of(key), Some(self.map_text(value)))).collect()
            }
            Value::Wvd(map) => {
                map.iter().map(|(key, object)| (key.clone(), Some(self.name_of(object)))).collect()
            }
            Value::Wset(set) => set.iter().map(|member| (self.name_of(member), None)).collect(),
            _ => unreachable!("need checked the kind"),
        };
        entries.sort();
        let mut line = format!("items {var}");
        for (key, value) in entries {
            line.push(' ');
            line.push_str(&key);
            if let Some(value) = value {
                line.push('=');
                line.push_str(&value);
            }
        }
        self.print(line);
        Ok(())
    }
}

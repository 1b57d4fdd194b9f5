//! Objects, variables and fields: `new`, `let`, `del`, `set`, `unset`,
//! `count`, `weakcount`.

use std::collections::BTreeMap;

use super::Interpreter;
use crate::error::Checked;
use crate::syntax::py_repr;
use crate::value::{Kind, Obj, Value};

impl Interpreter {
    /// `new X NAME`
    pub(super) fn new_object(&mut self, var: &str, name: &str) -> Checked<()> {
        if !self.names.insert(name.to_owned()) {
            return Err(format!("object name {} used twice", py_repr(name)));
        }
        let object = self.arena.insert(Obj { name: name.to_owned(), fields: BTreeMap::new() });
        self.bind(var, Value::Object(object));
        Ok(())
    }

    /// `let X Y`: another strong reference, or `None`.
    pub(super) fn let_(&mut self, var: &str, source: &str) -> Checked<()> {
        let value = match self.need(source, &[Kind::Object, Kind::None])? {
            Value::Object(object) => Value::Object(object.clone()),
            _ => Value::None,
        };
        self.bind(var, value);
        Ok(())
    }

    /// `del X`, of any kind.
    pub(super) fn del(&mut self, var: &str) -> Checked<()> {
        self.value(var)?;
        self.vars.remove(var);
        Ok(())
    }

    /// `set X FIELD Y`: stores the new reference, then drops the old one.
    pub(super) fn set_field(&mut self, var: &str, field: &str, value: &str) -> Checked<()> {
        self.object(value)?;
        let holder = self.object(var)?.downgrade();
        let target = self.object(value)?.clone();
        let old = self.arena[holder].fields.insert(field.to_owned(), target);
        drop(old);
        Ok(())
    }

    /// `unset X FIELD`
    pub(super) fn unset_field(&mut self, var: &str, field: &str) -> Checked<()> {
        let holder = self.object(var)?.downgrade();
        let old = self.arena[holder].fields.remove(field);
        match old {
            Some(old) => {
                drop(old);
                Ok(())
            }
            None => Err(format!("variable {} has no field {}", py_repr(var), py_repr(field))),
        }
    }

    /// `count X`: strong references from variables and fields.
    pub(super) fn count(&mut self, var: &str) -> Checked<()> {
        let count = self.arena.strong_count(self.object(var)?);
        self.print(format!("count {var} {count}"));
        Ok(())
    }

    /// `weakcount X`: `weakref.getweakrefcount`.
    pub(super) fn weak_count(&mut self, var: &str) -> Checked<()> {
        let count = self.arena.weak_count(self.object(var)?);
        self.print(format!("weakcount {var} {count}"));
        Ok(())
    }
}

//! Finalizers: `fin`, `fin_alive`, `detach`, `peek`, `callfin`, `atexit`.

use weakarena_core::{BoxedFinalizer, Finalizer};

use super::Interpreter;
use crate::error::Checked;
use crate::syntax::{py_bool, py_repr};
use crate::value::{Kind, Obj, Value};

impl Interpreter {
    /// The finalizer `var` holds.
    fn finalizer(&self, var: &str) -> Checked<&Finalizer<Obj, BoxedFinalizer>> {
        match self.need(var, &[Kind::Fin])? {
            Value::Fin(finalizer) => Ok(finalizer),
            _ => unreachable!("need checked the kind"),
        }
    }

    /// `fin F X`: prints `finalize F` when it runs, owned by X's death
    /// unless run by `callfin` or at exit.
    pub(super) fn fin(&mut self, var: &str, target: &str) -> Checked<()> {
        let object = self.object(target)?;
        let owner = self.name_of(object);
        let sink = self.sink.clone();
        let text = format!("finalize {var}");
        let body: BoxedFinalizer = Box::new(move || sink.emit(&owner, text));
        let finalizer = Finalizer::new(object, body);
        self.bind(var, Value::Fin(finalizer));
        Ok(())
    }

    /// `fin_alive F`
    pub(super) fn fin_alive(&mut self, var: &str) -> Checked<()> {
        let alive = self.finalizer(var)?.alive();
        self.print(format!("fin_alive {var} {}", py_bool(alive)));
        Ok(())
    }

    /// `detach F`: whether it detached; the object and body it gives back
    /// are dropped at once.
    pub(super) fn detach(&mut self, var: &str) -> Checked<()> {
        let detached = self.finalizer(var)?.detach().is_some();
        self.print(format!("detach {var} {}", py_bool(detached)));
        Ok(())
    }

    /// `peek F`: the object's name while the finalizer is alive.
    pub(super) fn peek(&mut self, var: &str) -> Checked<()> {
        let object = self.finalizer(var)?.peek_object();
        let name = object.map_or_else(|| "None".to_owned(), |object| self.name_of(&object));
        self.print(format!("peek {var} {name}"));
        Ok(())
    }

    /// `callfin F`: runs it now if alive; its line has no owner.
    pub(super) fn call_fin(&mut self, var: &str) -> Checked<()> {
        let finalizer = self.finalizer(var)?;
        self.sink.set_explicit(true);
        finalizer.call();
        self.sink.set_explicit(false);
        Ok(())
    }

    /// `atexit F on|off`
    pub(super) fn atexit(&mut self, var: &str, flag: &str) -> Checked<()> {
        let finalizer = self.finalizer(var)?;
        let on = match flag {
            "on" => true,
            "off" => false,
            _ => return Err(format!("expected 'on' or 'off', got {}", py_repr(flag))),
        };
        finalizer.set_atexit(on);
        Ok(())
    }
}

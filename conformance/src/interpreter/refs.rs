//! References, proxies and weak methods: `weak`, `proxy`, `get`, `up`,
//! `method`, `call`.

use weakarena_core::{Proxy, Weak, WeakMethod, WeakRef};

use super::Interpreter;
use crate::error::Checked;
use crate::value::{hello, Hello, Kind, Obj, Value};

impl Interpreter {
    /// The callback of reference `var` to `target`: prints `callback VAR`,
    /// owned by the target's death.
    fn callback(&self, var: &str, target: &str) -> Checked<impl FnOnce(Weak<Obj>) + Send + 'static> {
        let owner = self.name_of(self.object(target)?);
        let sink = self.sink.clone();
        let text = format!("callback {var}");
        Ok(move |_dead: Weak<Obj>| sink.emit(&owner, text))
    }

    /// `weak R X [cb]`
    pub(super) fn weak(&mut self, var: &str, target: &str, callback: bool) -> Checked<()> {
        let object = self.object(target)?;
        let reference = if callback {
            WeakRef::with_callback(object, self.callback(var, target)?)
        } else {
            WeakRef::new(object)
        };
        self.bind(var, Value::Ref(reference));
        Ok(())
    }

    /// `proxy R X [cb]`
    pub(super) fn proxy(&mut self, var: &str, target: &str, callback: bool) -> Checked<()> {
        let object = self.object(target)?;
        let proxy = if callback {
            Proxy::with_callback(object, self.callback(var, target)?)
        } else {
            Proxy::new(object)
        };
        self.bind(var, Value::Proxy(proxy));
        Ok(())
    }

    /// `get R`: the name, `None` for a dead reference, `ReferenceError` for
    /// a dead proxy.
    pub(super) fn get(&mut self, var: &str) -> Checked<()> {
        let name = match self.need(var, &[Kind::Ref, Kind::Proxy])? {
            Value::Ref(reference) => self.arena.get(reference.handle()).map(|obj| obj.name.as_str()),
            Value::Proxy(proxy) => {
                Some(proxy.get(&self.arena).map_or("ReferenceError", |obj| obj.name.as_str()))
            }
            _ => unreachable!("need checked the kind"),
        };
        self.print(format!("get {var} {}", name.unwrap_or("None")));
        Ok(())
    }

    /// `up X R`: a new strong reference, or `None`.
    pub(super) fn up(&mut self, var: &str, source: &str) -> Checked<()> {
        let value = match self.need(source, &[Kind::Ref])? {
            Value::Ref(reference) => reference.upgrade().map_or(Value::None, Value::Object),
            _ => unreachable!("need checked the kind"),
        };
        self.bind(var, value);
        Ok(())
    }

    /// `method M X`: `WeakMethod(X.hello)`.
    pub(super) fn method(&mut self, var: &str, target: &str) -> Checked<()> {
        let method = WeakMethod::new(self.object(target)?, hello as Hello);
        self.bind(var, Value::Method(method));
        Ok(())
    }

    /// `call M`
    pub(super) fn call(&mut self, var: &str) -> Checked<()> {
        let result = match self.need(var, &[Kind::Method])? {
            Value::Method(method) => method.call(&self.arena, ()),
            _ => unreachable!("need checked the kind"),
        };
        self.print(format!("call {var} {}", result.as_deref().unwrap_or("None")));
        Ok(())
    }
}

//! What scenario variables hold: objects and every kind of weak reference.

use std::collections::BTreeMap;

use weakarena_collections::{SparseWeakKeyMap, Sweep, WeakSet, WeakValueMap};
use weakarena_core::{BoxedFinalizer, Finalizer, Proxy, Strong, Trace, Tracer, WeakMethod, WeakRef};

/// SPEC.md's `Obj`: a name, and named fields that hold strong references
/// to other objects (CPython instance attributes).
#[derive(Debug)]
pub struct Obj {
    /// The name given to `new`.
    pub name: String,
    /// The fields set with `set`.
    pub fields: BTreeMap<String, Strong<Obj>>,
}

impl Trace for Obj {
    /// The fields are the strong references an object holds, so `collect`
    /// can free objects that only hold each other.
    fn trace(&self, tracer: &mut Tracer) {
        self.fields.trace(tracer);
    }
}

/// `Obj.hello`, the method weak methods bind.
pub(crate) type Hello = fn(&Obj, ()) -> String;

/// `Obj.hello`: `hello NAME`.
pub(crate) fn hello(obj: &Obj, (): ()) -> String {
    format!("hello {}", obj.name)
}

/// A weak-key dictionary's value: a token (`put C X V`) or a strong
/// reference to an object (`putobj C X Y`), released with the entry.
pub(crate) enum MapValue {
    Text(String),
    Object(Strong<Obj>),
}

/// The value of one variable.
pub(crate) enum Value {
    Object(Strong<Obj>),
    None,
    Ref(WeakRef<Obj>),
    Proxy(Proxy<Obj>),
    Wkd(SparseWeakKeyMap<Obj, MapValue>),
    Wvd(WeakValueMap<String, Obj>),
    Wset(WeakSet<Obj>),
    Fin(Finalizer<Obj, BoxedFinalizer>),
    Method(WeakMethod<Obj, Hello>),
}

/// The kind of a variable's value, as the CPython runner names it.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Object,
    None,
    Ref,
    Proxy,
    Wkd,
    Wvd,
    Wset,
    Fin,
    Method,
}

impl Kind {
    /// The words error messages use (`a weak reference`).
    pub(crate) fn words(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::None => "None",
            Kind::Ref => "a weak reference",
            Kind::Proxy => "a proxy",
            Kind::Wkd => "a weak-key dictionary",
            Kind::Wvd => "a weak-value dictionary",
            Kind::Wset => "a weak set",
            Kind::Fin => "a finalizer",
            Kind::Method => "a weak method",
        }
    }
}

impl Value {
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Value::Object(_) => Kind::Object,
            Value::None => Kind::None,
            Value::Ref(_) => Kind::Ref,
            Value::Proxy(_) => Kind::Proxy,
            Value::Wkd(_) => Kind::Wkd,
            Value::Wvd(_) => Kind::Wvd,
            Value::Wset(_) => Kind::Wset,
            Value::Fin(_) => Kind::Fin,
            Value::Method(_) => Kind::Method,
        }
    }

    /// The value as a collection to sweep after a frame, if it is one.
    pub(crate) fn as_sweep(&mut self) -> Option<&mut dyn Sweep> {
        match self {
            Value::Wkd(map) => Some(map),
            Value::Wvd(map) => Some(map),
            Value::Wset(set) => Some(set),
            _ => None,
        }
    }
}

//! Seeded random scenarios that are always valid, some with reference
//! cycles that `collect` frees.
//!
//! Every operation of SPEC.md appears ([`random`] picks them by weight), and
//! now and then a [`cascade`] hangs a few objects with callbacks and
//! finalizers under one holder, so that one death kills several objects at
//! once. Variables come from one small pool, so bindings often replace a
//! value of another kind. A field now and then points back at its holder
//! (directly or through other objects): the cycle outlives its variables
//! until `collect`, which then frees it with its callbacks and finalizers.
//! A [`chain`] of weak-key dictionary values (`putobj`) dies with its root
//! in one operation, or, closed into a cycle, with its dictionary.
//!
//! Nothing generated depends on a difference weakarena keeps on purpose:
//! `Obj` hashes by identity and supports weak references in CPython too, and
//! the replay runner ends a frame after every operation.

mod cascade;
mod chain;
mod model;
mod random;

use model::{Model, ObjId, Slot};

use crate::op::Op;
use crate::rng::SplitMix64;

/// Variable names: one pool for every kind.
const VARS: [&str; 14] = ["a", "b", "c", "d", "e", "g", "h", "i", "m", "n", "p", "r", "s", "x"];
/// Field names (fields live apart from variables: `g` is both).
const FIELDS: [&str; 4] = ["f", "g", "next", "name"];
/// `K` and `V` tokens, odd ones included.
const TOKENS: [&str; 9] = ["k1", "k2", "k3", "v1", "v2", "None", "x=y", "#k", "K"];
/// How often (in 100) a `set` may close a cycle.
const CYCLE_PERCENT: usize = 35;
/// How often (in 100) the next operations are a cascade.
const CASCADE_PERCENT: usize = 8;
/// How often (in 100) the next operations are a chain of dictionary values.
const CHAIN_PERCENT: usize = 5;

/// A valid scenario of 20 to 60 operations, the same for the same seed.
///
/// ```
/// use weakarena_conformance::{generate, run_str};
/// let scenario = generate(42);
/// assert_eq!(scenario, generate(42));
/// assert!(run_str(&scenario).error.is_none());
/// ```
pub fn generate(seed: u64) -> String {
    let mut generator = Generator { rng: SplitMix64::new(seed), model: Model::default(), objects: 0 };
    let budget = 20 + generator.rng.below(41);
    let mut ops = Vec::with_capacity(budget + 16);
    while ops.len() < budget {
        if generator.rng.percent(CASCADE_PERCENT) {
            ops.extend(generator.cascade());
        } else if generator.rng.percent(CHAIN_PERCENT) {
            ops.extend(generator.value_chain());
        } else {
            ops.push(generator.random_op());
        }
    }
    ops.truncate(budget); // each operation was valid where it stands
    if generator.rng.percent(50) {
        ops.push(Op::Exit);
        if generator.rng.percent(30) {
            ops.push(generator.random_op()); // never read
        }
    }
    let mut text = format!("# generated scenario, seed {seed}\n");
    for op in ops {
        generator.write_line(&mut text, &op);
    }
    text
}

struct Generator {
    rng: SplitMix64,
    model: Model,
    objects: usize,
}

impl Generator {
    /// Writes `op`'s line, now and then spaced oddly or after a comment or
    /// a blank line.
    fn write_line(&mut self, text: &mut String, op: &Op) {
        text.push_str(match self.rng.below(40) {
            0 => "# a comment\n",
            1 => "\n",
            2 => "   # indented comment\n",
            _ => "",
        });
        let line = op.to_string();
        let line = match self.rng.below(30) {
            0 => line.replace(' ', "\t"),
            1 => format!("  {}  ", line.replace(' ', "   ")),
            _ => line,
        };
        text.push_str(&line);
        text.push('\n');
    }

    /// A variable name to bind, not one of `keep`: mostly an unbound one,
    /// sometimes one to rebind.
    fn any_var(&mut self, keep: &[&str]) -> &'static str {
        let free: Vec<&'static str> = VARS.iter().copied().filter(|var| !keep.contains(var)).collect();
        let unbound: Vec<&'static str> =
            free.iter().copied().filter(|var| self.model.slot(var).is_none()).collect();
        match self.rng.pick(&unbound) {
            Some(&var) if self.rng.percent(70) => var,
            _ => self.rng.pick(&free).expect("the pool is larger than what is kept"),
        }
    }

    /// A bound variable whose value `wanted` accepts.
    fn var_where(&mut self, wanted: impl Fn(Slot) -> bool) -> Option<&'static str> {
        let vars = self.model.vars_where(wanted);
        self.rng.pick(&vars).copied()
    }

    /// A variable holding an object, with the object.
    fn object_var(&mut self) -> Option<(&'static str, ObjId)> {
        let var = self.var_where(|slot| matches!(slot, Slot::Object(_)))?;
        Some((var, self.object_of(var)?))
    }

    /// The object `var` holds.
    fn object_of(&self, var: &str) -> Option<ObjId> {
        match self.model.slot(var)? {
            Slot::Object(id) => Some(id),
            _ => None,
        }
    }

    fn token(&mut self) -> String {
        TOKENS[self.rng.below(TOKENS.len())].to_owned()
    }

    fn field(&mut self) -> &'static str {
        FIELDS[self.rng.below(FIELDS.len())]
    }

    /// `new VAR NAME`
    fn new_object(&mut self, var: &'static str) -> Op {
        self.objects += 1;
        let id = self.model.new_object();
        self.model.bind(var, Slot::Object(id));
        Op::New { var: var.into(), name: format!("O{}", self.objects) }
    }

    /// `set VAR FIELD VALUE`.
    fn set_field(&mut self, var: &str, field: &'static str, value: &str) -> Option<Op> {
        let (holder, target) = (self.object_of(var)?, self.object_of(value)?);
        self.model.set_field(holder, field, target);
        Some(Op::Set { var: var.into(), field: field.into(), value: value.into() })
    }

    /// `weak`, `proxy`, `fin` or `method` (per `keyword`) of TARGET's
    /// object, bound to VAR.
    fn reference(&mut self, keyword: &str, var: &'static str, target: &str) -> Option<Op> {
        let id = self.object_of(target)?;
        let (var_name, target) = (var.to_owned(), target.to_owned());
        let callback = self.rng.percent(60);
        let (slot, op) = match keyword {
            "weak" => (Slot::Ref(id), Op::Weak { var: var_name, target, callback }),
            "proxy" => (Slot::Proxy, Op::Proxy { var: var_name, target, callback }),
            "fin" => (Slot::Fin, Op::Fin { var: var_name, target }),
            _ => (Slot::Method, Op::Method { var: var_name, target }),
        };
        self.model.bind(var, slot);
        Some(op)
    }

    /// `put MAP KEY V` on a weak-key dictionary: a token replaces the
    /// entry's value, dropping an object it held.
    fn put_token(&mut self, map: &str, key: &str) -> Op {
        if let Some(id) = self.object_of(key) {
            self.model.drop_entry(map, id);
        }
        Op::Put { collection: map.into(), first: key.into(), second: self.token() }
    }

    /// `putobj MAP KEY VALUE`
    fn put_object(&mut self, map: &'static str, key: &str, value: &str) -> Option<Op> {
        let (key_id, value_id) = (self.object_of(key)?, self.object_of(value)?);
        self.model.put_object(map, key_id, value_id);
        Some(Op::PutObj { collection: map.into(), key: key.into(), value: value.into() })
    }

    /// `del VAR`
    fn del(&mut self, var: &str) -> Op {
        self.model.unbind(var);
        Op::Del { var: var.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::run_str;
    use crate::syntax::{is_blank_or_comment, tokens};

    fn ops(scenario: &str) -> Vec<Op> {
        scenario
            .lines()
            .map(tokens)
            .filter(|tokens| !is_blank_or_comment(tokens))
            .map(|tokens| Op::parse(&tokens).unwrap())
            .collect()
    }

    #[test]
    fn scenarios_are_valid_and_use_every_operation() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..200 {
            let scenario = generate(seed);
            let outcome = run_str(&scenario);
            assert_eq!(outcome.error, None, "seed {seed}:\n{scenario}");
            let ops = ops(&scenario);
            let counted = ops.iter().take_while(|op| **op != Op::Exit).count();
            assert!((20..=60).contains(&counted), "seed {seed}: {counted} operations");
            seen.extend(ops.iter().map(Op::keyword));
        }
        let missing: Vec<&str> =
            Op::KEYWORDS.iter().copied().filter(|keyword| !seen.contains(keyword)).collect();
        assert!(missing.is_empty(), "never generated: {missing:?}");
    }

    #[test]
    fn seeds_give_different_scenarios() {
        assert_ne!(generate(1), generate(2));
    }

    #[test]
    fn one_death_often_kills_several_objects_with_callbacks() {
        let cascades = (0..100)
            .filter(|&seed| {
                let trace = run_str(&generate(seed)).trace;
                trace.iter().any(|line| {
                    let owners =
                        trace.iter().filter(|other| other.srcline == line.srcline && !other.owner.is_empty());
                    owners.map(|other| &other.owner).collect::<std::collections::BTreeSet<_>>().len() > 1
                })
            })
            .count();
        assert!(cascades >= 20, "only {cascades} of 100 scenarios have a multi-object death");
    }
}

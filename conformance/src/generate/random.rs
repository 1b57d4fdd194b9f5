//! One random operation at a time, chosen by weight among those that are
//! valid in the current state.

use super::{Generator, Slot, CYCLE_PERCENT};
use crate::op::Op;

/// Operations and their weights (`exit` only ends scenarios).
pub(super) const WEIGHTS: [(&str, usize); 32] = [
    ("new", 14),
    ("let", 5),
    ("del", 10),
    ("set", 12),
    ("unset", 4),
    ("count", 5),
    ("weak", 8),
    ("proxy", 4),
    ("get", 5),
    ("up", 4),
    ("weakcount", 5),
    ("wkd", 2),
    ("wvd", 2),
    ("wset", 2),
    ("put", 6),
    ("putobj", 4),
    ("add", 4),
    ("remove", 4),
    ("lookup", 4),
    ("len", 3),
    ("items", 3),
    ("fin", 5),
    ("fin_alive", 2),
    ("detach", 2),
    ("peek", 2),
    ("callfin", 2),
    ("atexit", 2),
    ("method", 3),
    ("call", 3),
    ("frame", 1),
    ("collect", 1),
    ("exit", 0),
];

impl Generator {
    /// A random valid operation, applied to the model.
    pub(super) fn random_op(&mut self) -> Op {
        let total: usize = WEIGHTS.iter().map(|&(_, weight)| weight).sum();
        loop {
            let mut roll = self.rng.below(total);
            let (keyword, _) = WEIGHTS
                .iter()
                .find(|&&(_, weight)| {
                    let hit = roll < weight;
                    roll = roll.saturating_sub(weight);
                    hit
                })
                .expect("the roll is below the total");
            if let Some(op) = self.try_op(keyword) {
                return op;
            }
        }
    }

    /// `keyword` with random operands, if the state allows one.
    fn try_op(&mut self, keyword: &str) -> Option<Op> {
        match keyword {
            "new" => {
                let var = self.any_var(&[]);
                Some(self.new_object(var))
            }
            "let" => {
                let source = self.var_where(|slot| matches!(slot, Slot::Object(_) | Slot::None))?;
                let var = self.any_var(&[]);
                self.model.bind(var, self.model.slot(source)?);
                Some(Op::Let { var: var.into(), source: source.into() })
            }
            "del" => self.random_del(),
            "set" => self.random_set(),
            "unset" => {
                let (var, id) = self.object_var()?;
                let field = *self.rng.pick(&self.model.fields(id))?;
                self.model.unset_field(id, field);
                Some(Op::Unset { var: var.into(), field: field.into() })
            }
            "weak" | "proxy" | "fin" | "method" => {
                let (target, _) = self.object_var()?;
                let var = if self.rng.percent(10) { target } else { self.any_var(&[]) };
                self.reference(keyword, var, target)
            }
            "up" => {
                let source = self.var_where(|slot| matches!(slot, Slot::Ref(_)))?;
                let Some(Slot::Ref(id)) = self.model.slot(source) else { return None };
                let var = self.any_var(&[]);
                let slot = if self.model.is_alive(id) { Slot::Object(id) } else { Slot::None };
                self.model.bind(var, slot);
                Some(Op::Up { var: var.into(), source: source.into() })
            }
            "wkd" | "wvd" | "wset" => {
                let var = self.any_var(&[]);
                let (slot, op) = match keyword {
                    "wkd" => (Slot::Wkd, Op::Wkd { var: var.into() }),
                    "wvd" => (Slot::Wvd, Op::Wvd { var: var.into() }),
                    _ => (Slot::Wset, Op::Wset { var: var.into() }),
                };
                self.model.bind(var, slot);
                Some(op)
            }
            "put" | "putobj" | "add" | "remove" | "lookup" => self.collection_entry(keyword),
            _ => self.inspection(keyword),
        }
    }

    /// `del`: half the time of an object that something else still holds,
    /// so that it dies later, in a cascade.
    fn random_del(&mut self) -> Option<Op> {
        let held =
            self.model.vars_where(|slot| matches!(slot, Slot::Object(id) if self.model.strong_count(id) > 1));
        let var = match self.rng.pick(&held) {
            Some(&var) if self.rng.percent(50) => var,
            _ => self.var_where(|_| true)?,
        };
        Some(self.del(var))
    }

    /// `set X FIELD Y`; now and then Y reaches X, closing a cycle that only
    /// `collect` frees.
    fn random_set(&mut self) -> Option<Op> {
        let (var, holder) = self.object_var()?;
        let allow_cycle = self.rng.percent(CYCLE_PERCENT);
        let candidates = self.model.vars_where(|slot| match slot {
            Slot::Object(target) => allow_cycle || !self.model.reaches(target, holder),
            _ => false,
        });
        let value = *self.rng.pick(&candidates)?;
        let field = self.field();
        self.set_field(var, field, value)
    }

    /// `put`, `putobj`, `add`, `remove`, `lookup` on a collection of the
    /// right kind.
    fn collection_entry(&mut self, keyword: &str) -> Option<Op> {
        let map = self.var_where(|slot| match keyword {
            "put" => matches!(slot, Slot::Wkd | Slot::Wvd),
            "putobj" => slot == Slot::Wkd,
            "add" => slot == Slot::Wset,
            _ => matches!(slot, Slot::Wkd | Slot::Wvd | Slot::Wset),
        })?;
        let weak_values = self.model.slot(map) == Some(Slot::Wvd);
        let key = if weak_values { self.token() } else { self.object_var()?.0.into() };
        let collection = map.to_owned();
        Some(match keyword {
            "put" if weak_values => Op::Put { collection, first: key, second: self.object_var()?.0.into() },
            "put" => self.put_token(map, &key),
            "putobj" => {
                let value = self.object_var()?.0;
                self.put_object(map, &key, value)?
            }
            "add" => Op::Add { collection, member: key },
            "remove" => {
                if let Some(id) = self.object_of(&key).filter(|_| self.model.slot(map) == Some(Slot::Wkd)) {
                    self.model.drop_entry(map, id);
                }
                Op::Remove { collection, key }
            }
            _ => Op::Lookup { collection, key },
        })
    }

    /// Operations that print or run something but bind nothing.
    fn inspection(&mut self, keyword: &str) -> Option<Op> {
        let wanted: fn(Slot) -> bool = match keyword {
            "count" | "weakcount" => |slot| matches!(slot, Slot::Object(_)),
            "get" => |slot| matches!(slot, Slot::Ref(_) | Slot::Proxy),
            "len" | "items" => |slot| matches!(slot, Slot::Wkd | Slot::Wvd | Slot::Wset),
            "call" => |slot| slot == Slot::Method,
            "fin_alive" | "detach" | "peek" | "callfin" | "atexit" => |slot| slot == Slot::Fin,
            "frame" => return Some(Op::Frame),
            "collect" => {
                self.model.collect();
                return Some(Op::Collect);
            }
            _ => return None,
        };
        let var = self.var_where(wanted)?.to_owned();
        Some(match keyword {
            "count" => Op::Count { var },
            "weakcount" => Op::WeakCount { var },
            "get" => Op::Get { var },
            "len" => Op::Len { collection: var },
            "items" => Op::Items { collection: var },
            "call" => Op::Call { var },
            "fin_alive" => Op::FinAlive { var },
            "detach" => Op::Detach { var },
            "peek" => Op::Peek { var },
            "callfin" => Op::CallFin { var },
            _ => Op::AtExit { var, flag: if self.rng.percent(50) { "on" } else { "off" }.into() },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::WEIGHTS;
    use crate::op::Op;

    #[test]
    fn the_weights_name_every_operation_once() {
        let names: Vec<&str> = WEIGHTS.iter().map(|&(keyword, _)| keyword).collect();
        assert_eq!(names, Op::KEYWORDS);
    }
}

//! `Arena::referents`, `referrers` and `why_alive`: gc.get_referents,
//! gc.get_referrers and "what keeps this alive", across arenas.

use weakarena_core::{collect_cycles, referrers, why_alive, Arena, ObjectId, Strong, Trace, Tracer};

struct Node {
    next: Vec<Strong<Node>>,
    item: Option<Strong<Item>>,
}

struct Item {
    owner: Option<Strong<Node>>,
}

impl Trace for Node {
    fn trace(&self, tracer: &mut Tracer) {
        self.next.trace(tracer);
        self.item.trace(tracer);
    }
}

impl Trace for Item {
    fn trace(&self, tracer: &mut Tracer) {
        self.owner.trace(tracer);
    }
}

fn node(next: Vec<Strong<Node>>) -> Node {
    Node { next, item: None }
}

#[test]
fn referents_are_what_a_value_holds_in_trace_order() {
    let mut nodes = Arena::new();
    let mut items = Arena::new();
    let a = nodes.insert(node(vec![]));
    let b = nodes.insert(node(vec![]));
    let item = items.insert(Item { owner: None });
    let holder = nodes.insert(Node { next: vec![b.clone(), a.clone()], item: Some(item.clone()) });
    let expected = [ObjectId::from(&b), ObjectId::from(&a), ObjectId::from(&item)];
    assert_eq!(nodes.referents(&holder), expected);
    assert!(nodes.referents(&a).is_empty());
    let gone = holder.downgrade();
    drop(holder);
    assert!(nodes.referents(gone).is_empty(), "a dead object holds nothing");
}

#[test]
fn referrers_are_the_live_objects_holding_a_handle_each_once() {
    let mut nodes = Arena::new();
    let mut items = Arena::new();
    let shared = nodes.insert(node(vec![]));
    let twice = nodes.insert(node(vec![shared.clone(), shared.clone()]));
    let item = items.insert(Item { owner: Some(shared.clone()) });
    let unrelated = nodes.insert(node(vec![]));
    let target = ObjectId::from(&shared);
    let found = referrers(&[&nodes, &items], target);
    assert_eq!(found, [ObjectId::from(&twice), ObjectId::from(&item)]);
    assert_eq!(referrers(&[&nodes], target), [ObjectId::from(&twice)], "only the arenas given");
    assert!(referrers(&[&nodes, &items], ObjectId::from(&unrelated)).is_empty());
}

#[test]
fn why_alive_walks_from_a_root_across_arenas() {
    let mut nodes = Arena::new();
    let mut items = Arena::new();
    let leaked = nodes.insert(node(vec![]));
    let item = items.insert(Item { owner: Some(leaked.clone()) });
    let root = nodes.insert(Node { next: vec![], item: Some(item.clone()) });
    let (target, via) = (ObjectId::from(&leaked), ObjectId::from(&item));
    drop((leaked, item));
    let path = why_alive(&[&nodes, &items], target);
    assert_eq!(path, Some(vec![ObjectId::from(&root), via, target]));
    assert_eq!(why_alive(&[&nodes, &items], ObjectId::from(&root)), Some(vec![ObjectId::from(&root)]));
    // Without the items arena, the item counts as outside: the leaked node is held from outside.
    assert_eq!(why_alive(&[&nodes], target), Some(vec![target]));
}

#[test]
fn why_alive_is_none_for_cycle_garbage_and_dead_objects() {
    let mut nodes = Arena::new();
    let a = nodes.insert(node(vec![]));
    let b = nodes.insert(node(vec![a.clone()]));
    nodes[&a].next.push(b.clone());
    let (ia, ib) = (ObjectId::from(&a), ObjectId::from(&b));
    assert_eq!(why_alive(&[&nodes], ib), Some(vec![ib]), "held from outside itself");
    drop(b);
    assert_eq!(why_alive(&[&nodes], ib), Some(vec![ia, ib]), "through a, held from outside");
    drop(a);
    assert_eq!(why_alive(&[&nodes], ia), None, "only the cycle keeps it: collect_cycles would free it");
    assert_eq!(collect_cycles(&mut [&mut nodes], &mut []).garbage, 2);
    assert_eq!(why_alive(&[&nodes], ia), None, "dead");
}

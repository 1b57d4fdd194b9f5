//! Seed tutorial 2 (the Bear tutorial): strong versus weak references,
//! callbacks, proxies, and weak-value and weak-key dictionaries.
//!
//! Phases of the story:
//! 1. Two strong references to one bear; `del` one, the bear lives on.
//! 2. A weak reference goes dead with the last strong one.
//! 3. A callback fires when the bear dies — at the frame end.
//! 4. A proxy reads the bear while it lives and fails with `ReferenceError`
//!    after.
//! 5. A `WeakValueDictionary` and a `WeakKeyDictionary` lose the entries of
//!    dead bears.
//!
//! Run with `cargo run --example bears`; the scenario
//! `02_bears_callbacks_proxies.wrs` is the same story checked against CPython.

use weakarena::prelude::*;

fn main() {
    let mut bears: Arena<String> = Arena::new();

    // 1. Strong references.
    let bear1 = bears.insert("Teddy".into());
    let bear2 = bear1.clone();
    drop(bear1);
    println!("count bear2 {}", bear2.strong_count());
    drop(bear2);

    // 2. A weak reference goes away with the last strong reference.
    let b1 = bears.insert("Teddy2".into());
    let b2 = WeakRef::new(&b1);
    println!("get b2 {}", name_of(&bears, &b2));
    drop(b1);
    println!("get b2 {}", name_of(&bears, &b2));

    // 3. A callback runs at the frame end after the bear dies.
    let c1 = bears.insert("Teddy3".into());
    let c2 = WeakRef::with_callback(&c1, |_dead| println!("callback c2"));
    println!("get c2 {}", name_of(&bears, &c2));
    drop(c1);
    let report = bears.end_frame();
    assert_eq!(report.callbacks_run, 1);
    println!("get c2 {}", name_of(&bears, &c2));

    // 4. A proxy: access works while alive, ReferenceError after.
    let t1 = bears.insert("Teddy4".into());
    let r = Proxy::new(&t1);
    println!("get r {}", r.get(&bears).expect("alive"));
    drop(t1);
    match r.get(&bears) {
        Ok(name) => println!("get r {name}"),
        Err(err) => println!("get r ReferenceError: {err}"),
    }

    weak_value_dictionary(&mut bears);
    weak_key_dictionary(&mut bears);
}

fn name_of(bears: &Arena<String>, r: &WeakRef<String>) -> String {
    r.upgrade().map_or_else(|| "None".to_string(), |s| bears[&s].clone())
}

/// 5a. Names to bears, held weakly.
fn weak_value_dictionary(bears: &mut Arena<String>) {
    let names = ["Teddy5", "Mike", "Joe", "Jim", "Ben"];
    let mut herd: Vec<_> = names.iter().map(|n| bears.insert(n.to_string())).collect();
    let mut d = WeakValueMap::new(bears);
    for (key, bear) in ["teddy", "mike", "joe", "jim", "ben"].into_iter().zip(&herd) {
        d.insert(key, bear);
    }
    print_values(bears, &d);
    for gone in [4, 2, 0] {
        drop(herd.remove(gone));
    }
    let report = bears.end_frame();
    d.sweep(&report);
    print_values(bears, &d);
    println!("len D {}", d.len());
    assert_eq!(d.len(), 2);
}

fn print_values(bears: &Arena<String>, d: &WeakValueMap<&str, String>) {
    let mut items: Vec<_> = d.iter().map(|(k, v)| format!("{k}={}", bears[v])).collect();
    items.sort();
    println!("items D {}", items.join(" "));
}

/// 5b. Bears to names, bears held weakly.
fn weak_key_dictionary(bears: &mut Arena<String>) {
    let names = ["Teddy6", "Mike2", "Joe2", "Jim2", "Ben2"];
    let mut herd: Vec<_> = names.iter().map(|n| bears.insert(n.to_string())).collect();
    let mut k = WeakKeyMap::new(bears);
    for (bear, value) in herd.iter().zip(["teddy", "mike", "joe", "jim", "ben"]) {
        k.insert(bear, value);
    }
    print_keys(bears, &k);
    herd.drain(0..3);
    let report = bears.end_frame();
    k.sweep(&report);
    print_keys(bears, &k);
    println!("len K {}", k.len());
    assert_eq!(k.len(), 2);
}

fn print_keys(bears: &Arena<String>, k: &WeakKeyMap<String, &str>) {
    let mut items: Vec<_> = k.iter().map(|(b, v)| format!("{}={v}", bears[b])).collect();
    items.sort();
    println!("items K {}", items.join(" "));
}

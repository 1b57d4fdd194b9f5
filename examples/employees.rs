//! Seed tutorial 3 (the Employee tutorial): the twelve weakref examples.
//!
//! Phases:
//! 1. `ref` and dereferencing; the reference dies with the employee.
//! 2. Several callbacks on one employee run newest first.
//! 3. Callback-less references to one object are one shared reference.
//! 4. Proxies, and proxies with callbacks.
//! 5. `WeakKeyDictionary` with `keyrefs` and `update`.
//! 6. `WeakValueDictionary` with `valuerefs` and `update`.
//! 7. `WeakSet`.
//! 8. `WeakMethod`.
//! 9. `finalize`: two run at death, newest first; a detached one never runs.
//!
//! Run with `cargo run --example employees`; the scenario
//! `03_employees_full_api.wrs` checks the same story against CPython.

use weakarena::prelude::*;

struct Employee {
    name: &'static str,
}

fn main() {
    let mut staff: Arena<Employee> = Arena::new();
    references(&mut staff);
    callbacks_newest_first(&mut staff);
    shared_references(&mut staff);
    proxies(&mut staff);
    dictionaries_and_sets(&mut staff);
    weak_method(&mut staff);
    finalizers(&mut staff);
}

fn hire(staff: &mut Arena<Employee>, name: &'static str) -> Strong<Employee> {
    staff.insert(Employee { name })
}

/// 1. A reference, dereferenced, then dead.
fn references(staff: &mut Arena<Employee>) {
    let employee1 = hire(staff, "William");
    let e1_weak = WeakRef::new(&employee1);
    let empl1 = e1_weak.upgrade().expect("alive");
    println!("get e1_weak {}", staff[&empl1].name);
    drop((employee1, empl1));
    println!("get e1_weak {:?}", e1_weak.upgrade().map(|s| staff[&s].name));
}

/// 2. Three callbacks run newest first, at the frame end.
fn callbacks_newest_first(staff: &mut Arena<Employee>) {
    let employee3 = hire(staff, "William2");
    let _w1 = WeakRef::with_callback(&employee3, |_| println!("callback e3_weak1"));
    let _w3 = WeakRef::with_callback(&employee3, |_| println!("callback e3_weak3"));
    let _w2 = WeakRef::with_callback(&employee3, |_| println!("callback e3_weak2"));
    drop(employee3);
    staff.end_frame(); // prints e3_weak2, e3_weak3, e3_weak1
}

/// 3. `ref(o) is ref(o)`: one shared callback-less reference.
fn shared_references(staff: &mut Arena<Employee>) {
    let employee4 = hire(staff, "William3");
    let refs: Vec<_> = (0..3).map(|_| WeakRef::new(&employee4)).collect();
    assert!(WeakRef::ptr_eq(&refs[0], &refs[2]));
    println!("weakcount employee4 {}", staff.weak_count(&employee4));
}

/// 4. Proxies fail with ReferenceError; proxy callbacks run newest first.
fn proxies(staff: &mut Arena<Employee>) {
    let employee5 = hire(staff, "William4");
    let e5_proxy = Proxy::new(&employee5);
    println!("get e5_proxy {}", e5_proxy.get(staff).expect("alive").name);
    drop(employee5);
    if let Err(err) = e5_proxy.get(staff) {
        println!("get e5_proxy ReferenceError ({err})");
    }
    let employee6 = hire(staff, "William5");
    let _p1 = Proxy::with_callback(&employee6, |_| println!("callback e6_p1"));
    let _p3 = Proxy::with_callback(&employee6, |_| println!("callback e6_p3"));
    let _p2 = Proxy::with_callback(&employee6, |_| println!("callback e6_p2"));
    drop(employee6);
    staff.end_frame();
}

/// 5–7. The weak collections lose dead employees and take new ones.
fn dictionaries_and_sets(staff: &mut Arena<Employee>) {
    let mut team: Vec<_> = ["William6", "Dalton2", "Russell"].map(|n| hire(staff, n)).into();
    let mut by_employee = WeakKeyMap::new(staff);
    let mut by_name = WeakValueMap::new(staff);
    let mut roster = WeakSet::new(staff);
    for member in &team {
        by_employee.insert(member, staff[member].name);
        by_name.insert(staff[member].name, member);
        roster.insert(member);
    }
    drop(team.remove(0));
    let report = staff.end_frame();
    sweep_all(&[report], &mut [&mut by_employee, &mut by_name, &mut roster]);
    let peter = hire(staff, "Peter");
    by_employee.extend([(&peter, "Peter")]);
    by_name.extend([("Peter", &peter)]);
    roster.extend([&peter]);
    let mut keyrefs: Vec<_> = by_employee.keyrefs().iter().map(|&k| staff[k].name).collect();
    keyrefs.sort();
    println!("keyrefs {keyrefs:?}");
    let mut valuerefs: Vec<_> = by_name.valuerefs().iter().map(|&v| staff[v].name).collect();
    valuerefs.sort();
    println!("valuerefs {valuerefs:?}");
    println!("len weak_set {}", roster.len());
    assert_eq!((by_employee.len(), by_name.len(), roster.len()), (3, 3, 3));
}

/// 8. A weak method dies with its object.
fn weak_method(staff: &mut Arena<Employee>) {
    let m1 = hire(staff, "William9");
    let hello = WeakMethod::new(&m1, |e: &Employee, ()| format!("hello {}", e.name));
    println!("call weak_method {:?}", hello.call(staff, ()));
    drop(m1);
    println!("call weak_method {:?}", hello.call(staff, ()));
}

/// 9. Finalizers: two run newest first at death; the detached one never.
fn finalizers(staff: &mut Arena<Employee>) {
    let f_emp = hire(staff, "William10");
    let finalizer1 = Finalizer::new(&f_emp, announce("finalizer1"));
    let finalizer2 = Finalizer::new(&f_emp, announce("finalizer2"));
    let finalizer3 = Finalizer::new(&f_emp, announce("finalizer3"));
    let detached = finalizer3.detach();
    println!("detach finalizer3 {}", detached.is_some());
    drop(detached);
    let alive = |f: &[&Finalizer<Employee>]| f.iter().map(|f| f.alive()).collect::<Vec<_>>();
    println!("alive {:?}", alive(&[&finalizer1, &finalizer2, &finalizer3]));
    drop(f_emp);
    staff.end_frame(); // finalizer2, then finalizer1
    println!("alive {:?}", alive(&[&finalizer1, &finalizer2, &finalizer3]));
}

/// A finalizer body that prints its name (boxed, so finalizers share a type).
fn announce(name: &'static str) -> BoxedFinalizer {
    Box::new(move || println!("finalize {name}"))
}

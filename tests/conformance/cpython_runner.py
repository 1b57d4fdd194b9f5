#!/usr/bin/env python3
"""CPython reference runner for WRS (weak-reference scenario language, v1.1).

Interprets a scenario written in the language of
/work/shared/conformance/SPEC.md with CPython's real ``weakref``, ``gc`` and
``sys`` modules and prints the trace.  Python 3.11, standard library only.

Usage
-----
    python3 cpython_runner.py [--owners] FILE.wrs     (FILE may be "-" for stdin)
    python3 cpython_runner.py --owners-batch FILE.wrs...

Output formats (stdout, UTF-8, "\\n" line ends, nothing else is written)
----------------------------------------------------------------------
Plain mode (default): the trace exactly as SPEC.md defines it, one line per
printed line -- byte-for-byte the format of the ``*.expected`` files.

``--owners`` mode: the same lines in the same order, each written as three
TAB-separated fields:

    SRCLINE <TAB> OWNER <TAB> TEXT

* SRCLINE -- 1-based line number, in the scenario file, of the operation that
  printed the line (lines are split on "\\n", a trailing "\\r" is dropped, a
  final empty line after the last "\\n" does not count: Rust's
  ``str::lines()`` numbering).  When the scenario ends without an ``exit``
  line, the implicit exit gets SRCLINE = (number of lines) + 1.
  SRCLINE identifies the *operation*: all lines with the same SRCLINE were
  printed by one operation.
* OWNER -- the name (NAME given to ``new``) of the object whose *death*
  printed the line: a weakref/proxy callback line (``callback R``) or a
  finalizer line (``finalize F``) that ran because the object died (during
  any operation, including ``collect``).  OWNER is empty for every other
  line: ordinary operation output (``get``, ``count``, ``items``, ...) and
  ``finalize F`` lines printed by ``callfin`` or by ``exit`` (those are not
  deaths: their order is fully defined and must match exactly).
* TEXT -- the trace line exactly as in plain mode (never contains a TAB).

``--owners-batch`` mode runs many scenarios in one process, for the Rust
differential test (one interpreter start instead of hundreds).  Each FILE
runs in a child forked before any scenario ran (or, without ``os.fork``, a
fresh ``--owners FILE`` process), so it runs exactly as ``--owners FILE``
would.  Per FILE the output is::

    #file FILE
    ...the --owners lines of its trace...
    #status N

where N is the exit status ``--owners FILE`` would have (0 or 2; a scenario
error's message goes to stderr as usual).  Trace lines start with a digit,
so the ``#`` lines cannot be mistaken for them.

Comparison rule (SPEC.md "Traces and how they are compared") in terms of this
format: group lines by SRCLINE; two traces agree when, for every operation,
they have the same lines and, for every OWNER value (the empty owner is one
group of its own), the subsequence of that operation's lines having that
owner is identical, in order.  In other words lines of different dying
objects may interleave freely, lines of one object keep CPython's order, and
non-death lines are strictly ordered.  (No WRS operation prints both owned
and un-owned lines.)

Errors
------
A malformed line, an unknown operation, an unknown variable, or a variable
of the wrong kind: the trace so far is flushed to stdout, then
``error LINE_NUMBER: MESSAGE`` is printed on stderr and the runner exits
with status 2.  Exit status 0 otherwise.  Lines after an ``exit`` line are
not read.

Implementation notes
--------------------
* ``gc.disable()`` is called before anything else; ``collect`` is
  ``gc.collect()``; ``frame`` is a no-op.
* Every scenario variable is an entry of the module-level dict ``V``; the
  runner keeps no other references to scenario objects between operations
  (handlers hold values only on the evaluation stack or in locals released
  when the handler returns, i.e. before the next operation).
* ``Obj`` keeps its name and its fields in ``__slots__`` (fields in a dict)
  so that a field called ``name`` or ``hello`` cannot shadow the name or the
  method.  Strong references are the same as with plain instance
  attributes.
* ``count X`` is ``sys.getrefcount(V[X]) - 1`` (the one extra reference is
  getrefcount's argument on the evaluation stack).
* ``exit`` (or end of file) runs ``weakref.finalize._exitfunc()`` -- the very
  function CPython registers with ``atexit`` -- then flushes and leaves with
  ``os._exit`` so that interpreter teardown cannot print anything more.
"""

import gc

gc.disable()

import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import weakref  # noqa: E402

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Obj:
    __slots__ = ("_name", "_fields", "__weakref__")

    def __init__(self, name):
        self._name = name
        self._fields = {}

    @property
    def name(self):
        return self._name

    def hello(self):
        return "hello " + self._name


class ScenarioError(Exception):
    pass


# ----------------------------------------------------------------- output

OWNERS = False        # --owners mode
CUR_LINE = 0          # source line of the operation being run
EXPLICIT = False      # True while callfin / exit run finalizers
_out = sys.stdout.buffer


def out(text, owner=""):
    if OWNERS:
        s = "%d\t%s\t%s\n" % (CUR_LINE, owner, text)
    else:
        s = text + "\n"
    _out.write(s.encode("utf-8"))


def make_callback(rname, owner):
    line = "callback " + rname

    def callback(_wr):
        out(line, owner)

    return callback


def make_emitter(owner):
    def emit(text):
        out(text, "" if EXPLICIT else owner)

    return emit


# -------------------------------------------------------------- variables

V = {}            # variable name -> value
NAMES = set()     # object names used so far

KIND_OF_TYPE = {
    Obj: "object",
    type(None): "none",
    weakref.ReferenceType: "ref",
    weakref.ProxyType: "proxy",
    weakref.CallableProxyType: "proxy",
    weakref.WeakKeyDictionary: "wkd",
    weakref.WeakValueDictionary: "wvd",
    weakref.WeakSet: "wset",
    weakref.finalize: "fin",
    weakref.WeakMethod: "method",
}

KIND_WORDS = {
    "object": "an object",
    "none": "None",
    "ref": "a weak reference",
    "proxy": "a proxy",
    "wkd": "a weak-key dictionary",
    "wvd": "a weak-value dictionary",
    "wset": "a weak set",
    "fin": "a finalizer",
    "method": "a weak method",
}


def check_ident(tok, what="variable"):
    if not IDENT.match(tok):
        raise ScenarioError("bad %s name %r" % (what, tok))
    return tok


def kind(var):
    """Kind of a bound variable (error if unbound)."""
    check_ident(var)
    if var not in V:
        raise ScenarioError("unknown variable %r" % var)
    return KIND_OF_TYPE[type(V[var])]


def need(var, *kinds):
    k = kind(var)
    if k not in kinds:
        raise ScenarioError(
            "variable %r is %s, expected %s"
            % (var, KIND_WORDS[k], " or ".join(KIND_WORDS[x] for x in kinds)))
    return var


def obj(var):
    """The object bound to var (must be a live object, not None)."""
    return V[need(var, "object")]


def nargs(args, *allowed):
    if len(args) not in allowed:
        raise ScenarioError("wrong number of operands (%d)" % len(args))


# ------------------------------------------------------------- operations

def op_new(a):
    nargs(a, 2)
    x = check_ident(a[0])
    name = check_ident(a[1], "object")
    if name in NAMES:
        raise ScenarioError("object name %r used twice" % name)
    NAMES.add(name)
    V[x] = Obj(name)


def op_let(a):
    nargs(a, 2)
    x = check_ident(a[0])
    need(a[1], "object", "none")
    V[x] = V[a[1]]


def op_del(a):
    nargs(a, 1)
    kind(a[0])
    del V[a[0]]


def op_set(a):
    nargs(a, 3)
    check_ident(a[1], "field")
    need(a[2], "object")
    obj(a[0])._fields[a[1]] = V[a[2]]


def op_unset(a):
    nargs(a, 2)
    check_ident(a[1], "field")
    fields = obj(a[0])._fields
    if a[1] not in fields:
        raise ScenarioError("variable %r has no field %r" % (a[0], a[1]))
    del fields[a[1]]


def op_count(a):
    nargs(a, 1)
    need(a[0], "object")
    n = sys.getrefcount(V[a[0]]) - 1
    out("count %s %d" % (a[0], n))


def _weak(a, factory):
    nargs(a, 2, 3)
    r = check_ident(a[0])
    if len(a) == 3 and a[2] != "cb":
        raise ScenarioError("expected 'cb', got %r" % a[2])
    need(a[1], "object")
    if len(a) == 3:
        V[r] = factory(V[a[1]], make_callback(r, V[a[1]]._name))
    else:
        V[r] = factory(V[a[1]])


def op_weak(a):
    _weak(a, weakref.ref)


def op_proxy(a):
    _weak(a, weakref.proxy)


def op_get(a):
    nargs(a, 1)
    r = a[0]
    if need(r, "ref", "proxy") and kind(r) == "ref":
        o = V[r]()
        out("get %s %s" % (r, "None" if o is None else o._name))
    else:
        try:
            text = "get %s %s" % (r, V[r].name)
        except ReferenceError:
            text = "get %s ReferenceError" % r
        out(text)


def op_up(a):
    nargs(a, 2)
    x = check_ident(a[0])
    need(a[1], "ref")
    V[x] = V[a[1]]()


def op_weakcount(a):
    nargs(a, 1)
    need(a[0], "object")
    out("weakcount %s %d" % (a[0], weakref.getweakrefcount(V[a[0]])))


def op_wkd(a):
    nargs(a, 1)
    V[check_ident(a[0])] = weakref.WeakKeyDictionary()


def op_wvd(a):
    nargs(a, 1)
    V[check_ident(a[0])] = weakref.WeakValueDictionary()


def op_wset(a):
    nargs(a, 1)
    V[check_ident(a[0])] = weakref.WeakSet()


def op_put(a):
    nargs(a, 3)
    c = a[0]
    if need(c, "wkd", "wvd") and kind(c) == "wkd":
        V[c][obj(a[1])] = a[2]
    else:
        V[c][a[1]] = obj(a[2])


def op_putobj(a):
    nargs(a, 3)
    need(a[0], "wkd")
    key = obj(a[1])
    value = obj(a[2])
    V[a[0]][key] = value


def text_of(value):
    """A weak-key dictionary value as traces print it: V, or an object's NAME."""
    return value._name if isinstance(value, Obj) else value


def op_add(a):
    nargs(a, 2)
    need(a[0], "wset")
    V[a[0]].add(obj(a[1]))


def op_remove(a):
    nargs(a, 2)
    c = a[0]
    k = need(c, "wkd", "wvd", "wset") and kind(c)
    if k == "wset":
        V[c].discard(obj(a[1]))
        return
    if k == "wkd":
        obj(a[1])  # validate before touching the dictionary
    missing = False
    try:
        if k == "wkd":
            del V[c][V[a[1]]]
        else:
            del V[c][a[1]]
    except KeyError:
        missing = True
    if missing:
        out("remove %s KeyError" % c)


def op_lookup(a):
    nargs(a, 2)
    c = a[0]
    k = need(c, "wkd", "wvd", "wset") and kind(c)
    if k == "wkd":
        v = V[c].get(obj(a[1]))
        text = "None" if v is None else text_of(v)
        del v
    elif k == "wvd":
        o = V[c].get(a[1])
        text = "None" if o is None else o._name
        del o
    else:
        text = "True" if obj(a[1]) in V[c] else "False"
    out("lookup %s %s" % (c, text))


def op_len(a):
    nargs(a, 1)
    need(a[0], "wkd", "wvd", "wset")
    out("len %s %d" % (a[0], len(V[a[0]])))


def op_items(a):
    nargs(a, 1)
    c = a[0]
    k = need(c, "wkd", "wvd", "wset") and kind(c)
    if k == "wkd":
        entries = sorted([(o._name, text_of(v)) for o, v in V[c].items()])
    elif k == "wvd":
        entries = sorted([(key, o._name) for key, o in V[c].items()])
    else:
        entries = sorted([(o._name, None) for o in V[c]])
    parts = ["items " + c]
    for key, val in entries:
        parts.append(key if val is None else key + "=" + val)
    out(" ".join(parts))


def op_fin(a):
    nargs(a, 2)
    f = check_ident(a[0])
    need(a[1], "object")
    V[f] = weakref.finalize(V[a[1]], make_emitter(V[a[1]]._name),
                            "finalize " + f)


def op_fin_alive(a):
    nargs(a, 1)
    need(a[0], "fin")
    out("fin_alive %s %s" % (a[0], V[a[0]].alive))


def op_detach(a):
    nargs(a, 1)
    need(a[0], "fin")
    out("detach %s %s" % (a[0], V[a[0]].detach() is not None))


def op_peek(a):
    nargs(a, 1)
    need(a[0], "fin")
    t = V[a[0]].peek()
    text = "peek %s %s" % (a[0], "None" if t is None else t[0]._name)
    del t
    out(text)


def op_callfin(a):
    global EXPLICIT
    nargs(a, 1)
    need(a[0], "fin")
    EXPLICIT = True
    try:
        V[a[0]]()
    finally:
        EXPLICIT = False


def op_atexit(a):
    nargs(a, 2)
    need(a[0], "fin")
    if a[1] not in ("on", "off"):
        raise ScenarioError("expected 'on' or 'off', got %r" % a[1])
    V[a[0]].atexit = a[1] == "on"


def op_method(a):
    nargs(a, 2)
    m = check_ident(a[0])
    need(a[1], "object")
    V[m] = weakref.WeakMethod(V[a[1]].hello)


def op_call(a):
    nargs(a, 1)
    need(a[0], "method")
    bm = V[a[0]]()
    text = "call %s %s" % (a[0], "None" if bm is None else bm())
    del bm
    out(text)


def op_frame(a):
    nargs(a, 0)


def op_collect(a):
    nargs(a, 0)
    gc.collect()


def op_exit(a):
    nargs(a, 0)
    finish(0)


OPS = {
    "new": op_new, "let": op_let, "del": op_del, "set": op_set,
    "unset": op_unset, "count": op_count, "weak": op_weak, "proxy": op_proxy,
    "get": op_get, "up": op_up, "weakcount": op_weakcount, "wkd": op_wkd,
    "wvd": op_wvd, "wset": op_wset, "put": op_put, "putobj": op_putobj,
    "add": op_add,
    "remove": op_remove, "lookup": op_lookup, "len": op_len,
    "items": op_items, "fin": op_fin, "fin_alive": op_fin_alive,
    "detach": op_detach, "peek": op_peek, "callfin": op_callfin,
    "atexit": op_atexit, "method": op_method, "call": op_call,
    "frame": op_frame, "collect": op_collect, "exit": op_exit,
}


# ------------------------------------------------------------------- main

def finish(status):
    """Interpreter exit: atexit finalizers newest first, then stop."""
    global EXPLICIT
    EXPLICIT = True
    weakref.finalize._exitfunc()
    _out.flush()
    sys.stderr.flush()
    os._exit(status)


def fail(lineno, msg):
    _out.flush()
    sys.stderr.write("error %d: %s\n" % (lineno, msg))
    sys.stderr.flush()
    os._exit(2)


def split_lines(data):
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def run_isolated(path):
    """Runs ``--owners path`` in a pristine child; returns its exit status."""
    _out.flush()
    sys.stderr.flush()
    if not hasattr(os, "fork"):
        import subprocess
        return subprocess.call([sys.executable, os.path.abspath(__file__),
                                "--owners", path])
    pid = os.fork()
    if pid == 0:
        try:
            main([sys.argv[0], "--owners", path])
        except BaseException:
            import traceback
            traceback.print_exc()
        finally:
            os._exit(70)
    status = os.waitpid(pid, 0)[1]
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)


def batch(paths):
    """--owners-batch: every scenario as --owners would run it, delimited."""
    for path in paths:
        _out.write(("#file %s\n" % path).encode("utf-8"))
        status = run_isolated(path)
        _out.write(("#status %d\n" % status).encode("utf-8"))
    _out.flush()
    os._exit(0)


def main(argv):
    global OWNERS, CUR_LINE
    args = argv[1:]
    if args and args[0] == "--owners-batch":
        batch(args[1:])
    if args and args[0] == "--owners":
        OWNERS = True
        args = args[1:]
    if len(args) != 1:
        sys.stderr.write("usage: cpython_runner.py [--owners] FILE.wrs|-\n"
                         "       cpython_runner.py --owners-batch FILE.wrs...\n")
        sys.stderr.flush()
        os._exit(64)
    path = args[0]
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                raw = fh.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write("cpython_runner.py: cannot read %s: %s\n" % (path, exc))
        sys.stderr.flush()
        os._exit(66)
    lines = split_lines(text)
    del raw, text
    for index in range(len(lines)):
        CUR_LINE = index + 1
        tokens = lines[index].split()
        if not tokens or tokens[0].startswith("#"):
            continue
        handler = OPS.get(tokens[0])
        if handler is None:
            fail(CUR_LINE, "unknown operation %r" % tokens[0])
        try:
            handler(tokens[1:])
        except ScenarioError as exc:
            fail(CUR_LINE, str(exc))
    CUR_LINE = len(lines) + 1
    finish(0)


if __name__ == "__main__":
    main(sys.argv)

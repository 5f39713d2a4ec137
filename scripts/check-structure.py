#!/usr/bin/env python3
"""Structure checks `make test` runs over every crate's `src/`:

1. No import cycle between a crate's modules: module A uses B (directly or through others)
   and B uses A, where A and B stand for whole branches of the module tree (`routes::auth`
   using `cookies` is `routes` using `cookies`). A module and its own submodules may refer to
   each other (a parent declares and re-exports its children).
2. No source file over 400 lines outside its unit tests (`#[cfg(test)] mod tests`), unless
   its first lines say why (a `//!` line containing "longer than 400 lines because").

Exits non-zero, naming each cycle and each long file.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_LINES = 400
REASON = "longer than 400 lines because"

USE_RE = re.compile(r"\buse\s+((?:crate|super|self)\b[^;]*);", re.S)
PATH_RE = re.compile(r"\b((?:crate|super)(?:::super)*(?:::\w+)+)")


def crates():
    for manifest in sorted(ROOT.glob("**/Cargo.toml")):
        if "target" in manifest.parts or "node_modules" in manifest.parts:
            continue
        src = manifest.parent / "src"
        if src.is_dir():
            yield manifest.parent, src


def module_of(src, path):
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    if len(parts) >= 1 and parts[0] == "bin":
        return None
    return tuple(parts)


def expand(tree):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                head, inner, tail = tree[:start], tree[start + 1 : i], tree[i + 1 :]
                items, level, current = [], 0, ""
                for c in inner:
                    if c == "," and level == 0:
                        items.append(current)
                        current = ""
                        continue
                    level += c == "{"
                    level -= c == "}"
                    current += c
                items.append(current)
                out = []
                for item in filter(None, items):
                    out.extend(expand(head + item + tail))
                return out
    return [tree.split(" as ")[0]]


def resolve(path, here, modules):
    parts = path.split("::")
    if parts[0] == "crate":
        base, rest = [], parts[1:]
    else:
        base, rest = list(here), parts
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                base = base[:-1]
            rest = rest[1:]
    full = base + [p for p in rest if p not in ("self", "*")]
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in modules:
            return tuple(full[:n])
    return None


def related(a, b):
    return a[: len(b)] == b or b[: len(a)] == a


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main():
    problems = []
    for crate, src in crates():
        files = {}
        for path in sorted(src.rglob("*.rs")):
            module = module_of(src, path)
            if module is not None:
                files[module] = path
        graph = {m: set() for m in files}
        for module, path in files.items():
            text = path.read_text()
            # Unit tests may be long and may use anything.
            code = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
            lines = code.rstrip().count("\n") + 1
            head = "\n".join(text.splitlines()[:12]).lower()
            if lines > MAX_LINES and REASON not in head:
                problems.append(
                    f"{path.relative_to(ROOT)}: {lines} lines before its tests (over "
                    f"{MAX_LINES}, and no '//! … {REASON} …' at its top)"
                )
            code = re.sub(r"//[^\n]*", "", code)
            paths = set()
            for tree in USE_RE.findall(code):
                paths.update(expand(tree))
            paths.update(PATH_RE.findall(code))
            for used in paths:
                target = resolve(used, module, files)
                if target is not None and target != module and not related(module, target):
                    # Compared as the two branches under their deepest common module, so that
                    # `a::x` using `b` while `b` uses `a::y` counts as the cycle a <-> b.
                    common = 0
                    while module[common] == target[common]:
                        common += 1
                    source, target = module[: common + 1], target[: common + 1]
                    graph.setdefault(source, set()).add(target)
        for cycle in cycles(graph):
            names = ", ".join("::".join(m) or "crate" for m in cycle)
            problems.append(f"{crate.relative_to(ROOT)}: import cycle between {names}")
    for problem in problems:
        print(f"structure: {problem}")
    if problems:
        sys.exit(1)
    print("structure: no import cycles, no file over 400 lines without a reason")


if __name__ == "__main__":
    main()

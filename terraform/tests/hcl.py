"""Reading terraform/ with python-hcl2, for the tests beside this file."""

from pathlib import Path

import hcl2

TERRAFORM = Path(__file__).resolve().parents[1]
FILES = sorted(TERRAFORM.rglob("*.tf"))


def unquote(value):
    """hcl2 keeps the quotes of string literals and keys; take them off, all the way down."""
    if isinstance(value, str):
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, dict):
        return {unquote(key): unquote(item) for key, item in value.items() if key != "__is_block__"}
    return value


def parse(path):
    with open(path) as handle:
        return unquote(hcl2.load(handle))


def blocks(tf, kind, type_, where=""):
    """Every `kind "type" "name" {}` (kind: resource or data) in files under `where`."""
    found = []
    for path, document in tf.items():
        if not path.startswith(where):
            continue
        for entry in document.get(kind, []):
            for block_type, named in entry.items():
                if block_type == type_:
                    for name, body in named.items():
                        found.append((path, name, body))
    assert found, f"no {kind} {type_} under terraform/{where}"
    return found


def one(tf, kind, type_, where=""):
    (found,) = blocks(tf, kind, type_, where)
    return found[2]


def local(tf, path, name):
    for entry in tf[path].get("locals", []):
        if name in entry:
            return entry[name]
    raise AssertionError(f"no local {name} in {path}")


def module_call(tf, path, name):
    for entry in tf[path].get("module", []):
        if name in entry:
            return entry[name]
    raise AssertionError(f"no module {name} in {path}")


def block(body, name):
    (inner,) = body[name]
    return inner

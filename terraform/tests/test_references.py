"""What `terraform validate` would catch first, without terraform: every variable, local,
module argument and module output a file names is declared where it must be.
"""

import re

import pytest

from hcl import FILES, TERRAFORM, parse


META_ARGUMENTS = {"source", "for_each", "count", "depends_on", "providers", "version"}


def directories():
    return sorted({path.parent for path in FILES})


def declared(directory, kind):
    """The variables (or locals, outputs) a module directory declares."""
    names = {}
    for path in sorted(directory.glob("*.tf")):
        for entry in parse(path).get(kind, []):
            names.update(entry)
    return names


@pytest.mark.parametrize("directory", directories(), ids=lambda d: d.relative_to(TERRAFORM).as_posix())
def test_every_variable_and_local_used_is_declared(directory):
    text = "\n".join(path.read_text() for path in sorted(directory.glob("*.tf")))
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    variables = set(declared(directory, "variable"))
    locals_ = set(declared(directory, "locals"))
    if directory.name == "common":  # linked into an environment, whose settings.tf sets these
        locals_ |= set(declared(directory.parent / "staging", "locals"))
    assert set(re.findall(r"\bvar\.([a-z_0-9]+)", code)) <= variables
    assert set(re.findall(r"\blocal\.([a-z_0-9]+)", code)) <= locals_


@pytest.mark.parametrize("directory", directories(), ids=lambda d: d.relative_to(TERRAFORM).as_posix())
def test_every_module_call_passes_what_the_module_declares(directory):
    for path in sorted(directory.glob("*.tf")):
        for entry in parse(path).get("module", []):
            for name, call in entry.items():
                target = (directory / call["source"]).resolve()
                variables = declared(target, "variable")
                passed = set(call) - META_ARGUMENTS - {"__comments__"}
                assert passed <= set(variables), (path.name, name, passed - set(variables))
                required = {key for key, body in variables.items() if "default" not in body}
                assert required <= passed, (path.name, name, required - passed)
                outputs = set(declared(target, "output"))
                text = "\n".join(p.read_text() for p in sorted(directory.glob("*.tf")))
                used = set(re.findall(rf"\bmodule\.{name}(?:\[[^\]]+\])?\.([a-z_0-9]+)", text))
                assert used <= outputs, (name, used - outputs)

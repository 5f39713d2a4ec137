#!/usr/bin/env python3
"""Every error code a service can answer is in the README's error table, and every code the
table lists is one a service can answer: the docs cannot drift from the code.

The codes are read from the services' sources (tests left out): the code argument of
`ApiError::new(StatusCode::…, "code", …)`, `ApiError::bad_request/unauthorized/conflict`,
the websocket protocols' `ServerMessage::error("code", …)` and `code: "code".to_owned()`.
The table is the one under the README heading "### Error codes": the first column holds
the code in backticks.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ["shared/src", "crud", "realtime"]
CODE = re.compile(
    r"""(?:\bnew\(\s*(?:[\w:]*StatusCode::\w+)\s*,\s*
         |\b(?:bad_request|unauthorized|conflict|error)\(\s*)"([a-z][a-z_]+)"
       |\bcode:\s*"([a-z][a-z_]+)"\.(?:to_owned|into|to_string)\(\)""",
    re.S | re.X,
)


def codes_in_sources():
    found = {}
    for base in SOURCES:
        for path in (ROOT / base).rglob("*.rs"):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/testing/" in relative or "/target/" in relative:
                continue
            text = path.read_text()
            # A file's unit tests come last, after its first #[cfg(test)].
            text = text.split("#[cfg(test)]", 1)[0]
            for match in CODE.finditer(text):
                found.setdefault(match.group(1) or match.group(2), set()).add(relative)
    return found


def codes_in_readme():
    text = (ROOT / "README.md").read_text()
    section = re.search(r"^### Error codes\n(.*?)(?=^#{2,3} )", text, re.S | re.M)
    if not section:
        sys.exit("README.md has no '### Error codes' section")
    codes = set()
    for line in section.group(1).splitlines():
        cells = line.split("|")
        if len(cells) > 2:
            codes.update(re.findall(r"`([a-z][a-z_]+)`", cells[1]))
    return codes


def main():
    in_code = codes_in_sources()
    documented = codes_in_readme()
    missing = sorted(set(in_code) - documented)
    stale = sorted(documented - set(in_code))
    for code in missing:
        print(f"error code `{code}` ({', '.join(sorted(in_code[code]))}) is not in the README's error table")
    for code in stale:
        print(f"the README's error table lists `{code}`, which no service returns")
    if missing or stale:
        sys.exit(1)
    print(f"{len(documented)} error codes, each documented")


if __name__ == "__main__":
    main()

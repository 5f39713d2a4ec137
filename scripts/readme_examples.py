#!/usr/bin/env python3
"""Runs the README's example blocks against a running stack, each in a fresh shell, twice.

Every ```sh block in README.md must be marked by the line just before it:

    <!-- example -->                       runs on its own
    <!-- example: NAME -->                 runs on its own; later blocks may need it
    <!-- example after NAME -->            needs block NAME first, in the same shell
    <!-- not an example: REASON -->        not run here, and why

A block runs as `bash -euo pipefail` (after the blocks it needs), from the repository's root,
in this environment less every variable the blocks set, so an undefined variable, a failed call (`curl
--fail-with-body`, `jq -e`) or a failed command fails it. Each block runs twice in a row, as
a reader running it again would. Then every operation in the services' public OpenAPI
documents must be called by some example (a curl with its method and path).

    scripts/readme_examples.py [--runs N] [--only SUBSTRING] [--list] [--show]
"""

import argparse
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARK = re.compile(r"^<!-- (example(?::\s*(?P<name>[\w-]+))?(?:\s+after\s+(?P<after>[\w-]+))?|not an example: (?P<why>.+?)) -->$")
TIMEOUT_SECS = 180


class Block:
    def __init__(self, line, heading, code, name, after, skip):
        self.line, self.heading, self.code = line, heading, code
        self.name, self.after, self.skip = name, after, skip

    def title(self):
        return f"README.md:{self.line} ({self.heading})"


def blocks():
    lines = (ROOT / "README.md").read_text().splitlines()
    found, problems, heading = [], [], ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("# ")
        if re.match(r"^```(sh|bash|shell|console|zsh)\s*$", line.strip()):
            start = i
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), None)
            if end is None:
                problems.append(f"README.md:{start + 1}: a code block that never closes")
                break
            code = "\n".join(lines[i + 1 : end]) + "\n"
            mark = MARK.match(lines[i - 1].strip()) if i > 0 else None
            if not mark:
                problems.append(f"README.md:{start + 1}: a sh block without a mark on the line before it "
                                "(<!-- example -->, <!-- example after NAME -->, <!-- not an example: why -->)")
            else:
                found.append(Block(start + 1, heading, code, mark["name"], mark["after"], mark["why"]))
            i = end
        i += 1
    names = {}
    for block in found:
        if block.name in names:
            problems.append(f"{block.title()}: another block is named '{block.name}' too")
        if block.name:
            names[block.name] = block
    for block in found:
        if block.after and block.after not in names:
            problems.append(f"{block.title()}: needs block '{block.after}', which no block is named")
    return found, names, problems


def script_of(block, names):
    parts, seen, current = [], set(), block
    while current.after:
        if current.after in seen:
            sys.exit(f"{block.title()}: its blocks need each other in a circle")
        seen.add(current.after)
        current = names[current.after]
        parts.insert(0, current.code)
    return "\n".join(parts + [block.code])


def run(block, names, attempt, show=False):
    # The environment a new terminal has, without any variable a block sets.
    assigned = set(re.findall(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=", script_of(block, names), re.M))
    env = {name: value for name, value in os.environ.items() if name not in assigned}
    started = time.monotonic()
    # A session of its own, so that a timeout ends the block's background clients too.
    shell = subprocess.Popen(
        ["bash", "--noprofile", "--norc", "-euo", "pipefail", "-c", script_of(block, names)],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        out, err = shell.communicate(timeout=TIMEOUT_SECS)
        status = shell.returncode
    except subprocess.TimeoutExpired:
        os.killpg(shell.pid, signal.SIGKILL)
        out, err = shell.communicate()
        status, err = "timeout", err + f"\n(killed after {TIMEOUT_SECS} s)"
    finally:
        # Whatever the block left running in the background.
        try:
            os.killpg(shell.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    took = time.monotonic() - started
    ok = status == 0
    print(f"{'ok  ' if ok else 'FAIL'} {block.title()} run {attempt} ({took:.1f} s)", flush=True)
    if show and ok:
        print(out, end="", flush=True)
    if not ok:
        print(f"--- exit status {status}; stdout:\n{out[-4000:]}\n--- stderr:\n{err[-4000:]}\n---", flush=True)
    return ok


# Each service's address and the path of its public OpenAPI document, on the stack make up runs.
DOCUMENTS = [
    ("http://127.0.0.1:8001", "/user-service-api/openapi.json"),
    ("http://127.0.0.1:8002", "/question-service-api/openapi.json"),
    ("http://127.0.0.1:8003", "/matching-service-api/openapi.json"),
    ("http://127.0.0.1:8004", "/history-service-api/openapi.json"),
    ("http://127.0.0.1:8005", "/collaboration-service-api/openapi.json"),
    ("http://127.0.0.1:8006", "/chat-service-api/openapi.json"),
]


def calls_in(examples):
    """(METHOD, url path) of every curl in the example blocks, variables that hold URLs
    expanded, other variables left as they are (they stand for ids)."""
    calls = []
    for block in examples:
        text = re.sub(r"\\\n\s*", " ", block.code)
        urls = {}
        for name, value in re.findall(r"^\s*(\w+)=(https?://\S+)$", text, re.M):
            urls[name] = value
        for line in text.splitlines():
            line = re.sub(r"(^|\s)#.*$", "", line)   # a comment calls nothing
            if "curl " not in line:
                continue
            for _ in range(3):
                for name, value in urls.items():
                    line = re.sub(r"\$\{?" + name + r"\b\}?", lambda _: value, line)
            explicit = re.search(r"-X\s+([A-Z]+)", line)
            sends = re.search(r"\s(-d|--data\S*|--json|-F|--form)\s", line) and not re.search(r"\s(-G|--get)\s", line)
            method = explicit.group(1) if explicit else ("POST" if sends else "GET")
            for url in re.findall(r"https?://127\.0\.0\.1:\d+(/[^\s\"'?]*)", line):
                calls.append((method, url))
    return calls


def uncovered_endpoints(examples):
    """Every operation of the services' public OpenAPI documents that no example calls."""
    calls = calls_in(examples)
    missing = []
    for root, document in DOCUMENTS:
        with urllib.request.urlopen(root + document, timeout=10) as answer:
            paths = json.load(answer)["paths"]
        for path, item in paths.items():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(path)) + "$")
            for method in ("get", "post", "put", "patch", "delete"):
                if method in item and not any(
                    m == method.upper() and pattern.match(url) for m, url in calls
                ):
                    missing.append(f"{method.upper()} {path}")
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", help="run only blocks whose heading or line contains this")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--show", action="store_true", help="print what each block prints")
    args = parser.parse_args()
    found, names, problems = blocks()
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    examples = [block for block in found if block.skip is None]
    if args.only:
        examples = [b for b in examples if args.only in b.heading or args.only == str(b.line)]
    if args.list:
        for block in found:
            what = f"not run: {block.skip}" if block.skip else f"after {block.after}" if block.after else "alone"
            print(f"{block.title()}: {what}")
        return
    failed = 0
    for block in examples:
        for attempt in range(1, args.runs + 1):
            if not run(block, names, attempt, args.show):
                failed += 1
                break
    if not args.only:
        missing = uncovered_endpoints(examples)
        for endpoint in missing:
            print(f"FAIL no README example calls {endpoint}")
        failed += len(missing)
    skipped = len(found) - len([b for b in found if b.skip is None])
    print(f"{len(examples)} example blocks run {args.runs} times each, {failed} failed; "
          f"{skipped} blocks are marked as not examples")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

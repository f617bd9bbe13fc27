#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a Python file under tests/ holds a bare `assert` statement.

`python -O` removes assert statements, and with them the check (and any call
inside it, such as `assert action.do_action(0)`); a bare assert also fails
with no sentence.  The tests use harness.check(condition, "what went wrong")
in tests/ui and unittest's self.assert*() methods elsewhere.

Usage: check-no-assert.py SOURCE_ROOT
Reads the files with the ast module, so "assert" in strings and comments is fine."""

import ast
import os
import sys


def bare_asserts(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    tests = os.path.join(root, "tests")
    checked, found = 0, []
    for dirpath, dirnames, filenames in os.walk(tests):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            checked += 1
            found += ["%s:%d" % (os.path.relpath(path, root), line) for line in bare_asserts(path)]
    if checked == 0:
        print("check-no-assert: no Python files under %s" % tests, file=sys.stderr)
        return 1
    for where in found:
        print("%s: bare assert (removed by python -O; use harness.check() or self.assert*())"
              % where, file=sys.stderr)
    print("check-no-assert: %d Python files under tests/, %d bare asserts" % (checked, len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

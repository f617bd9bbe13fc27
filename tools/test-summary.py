#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/mtavip test's last line: passed, failed and skipped over the meson
test logs named (BUILD LOGBASE...). With several logs (the two lanes and
the tests run alone), a test that none of them ran is a failure: a suite
added to meson.build but to no lane in tools/mtavip."""

import json
import os
import subprocess
import sys


def main():
    build, logs = sys.argv[1], sys.argv[2:]
    passed = failed = skipped = 0
    seen = set()
    for log in logs:
        path = os.path.join(build, "meson-logs", log + ".json")
        if not os.path.exists(path):
            continue
        for line in open(path):
            r = json.loads(line)
            seen.add(r["name"])
            if r.get("result") in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r.get("result") == "SKIP":
                skipped += 1
            else:
                failed += 1
    print("tests: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    if len(logs) < 2:
        return 0
    listed = subprocess.run(["meson", "test", "-C", build, "--no-rebuild", "--list"],
                            capture_output=True, text=True).stdout.splitlines()
    left = [t.strip() for t in listed if " / " in t and t.strip() not in seen]
    if left:
        print("tests in no lane (tools/mtavip: LANE1, LANE2, suite alone): " + ", ".join(left))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check the dir_stack of walk --report-every records read on stdin.

Usage: dirstack.py ROOT [MIN_RECORDS [MIN_DEEP]]

Every record whose state is "running" must carry a stack that starts at
ROOT, where each level is a directory of the one before (os.path.dirname),
each with the inode os.stat gives its path, and whose last level is the
record's current_directory.  At least MIN_RECORDS (default 1) such records
must come, MIN_DEEP (default 0) of them three or more levels deep.
"""
import json
import os
import sys

root = sys.argv[1]
min_n = int(sys.argv[2]) if len(sys.argv) > 2 else 1
min_deep = int(sys.argv[3]) if len(sys.argv) > 3 else 0
n = deep = 0
for line in sys.stdin:
    r = json.loads(line)
    if r["state"] != "running":
        continue
    cur, st = r["current_directory"], r["dir_stack"]
    assert st[0]["path"] == root, st
    for a, b in zip(st, st[1:]):
        assert os.path.dirname(b["path"]) == a["path"], (a, b)
    for lv in st:
        assert os.stat(lv["path"]).st_ino == lv["inode"], lv
    assert st[-1]["path"] == cur, (st, cur)
    n += 1
    deep += len(st) >= 3
assert n >= min_n and deep >= min_deep, (n, deep)

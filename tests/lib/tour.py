#!/usr/bin/env python3
"""tour.py - run README.md's console examples and compare them with what
tnos prints (tests/tour.bats).

  tour.py setup README         print the tour's setup script (the first
                               ```sh block of "## A tour")
  tour.py env                  print the phrases README.md must contain, which
                               state how this script runs the examples
  tour.py keys README          print the key of every ```console block
                               (its heading, up to " - "), in order
  tour.py run README KEY STATE run the console blocks under heading KEY, in
                               order; STATE (a JSON file) carries the id
                               correspondence from one call to the next

A console block holds commands, "# CMD" (root, in /) or "$ CMD" (uid 1000
in /mnt/tank/home/alice), each followed by the lines it prints (stdout and
stderr as they came).  "echo $?" shows the previous command's exit status;
a command not followed by one must exit 0, or non-zero if what it prints
includes an error line ("tnos CMD: ...").

Only what differs from run to run is not compared literally: unique mount
ids, mountinfo's old ids, the mount namespace id, device numbers (MAJ:MIN,
DEV), times, and the generation number in a tmpfs file handle.  Each is
recognised by where it stands (a KEY: or KEY="" field of that name, a table
column of that name, a MOUNT_ID:HEX handle, an ISO time), must have the
right form, and must stand for the same value everywhere: an id the README
shows twice must be one id in tnos's output too, and two different README
ids two different ids.  Everything else, spaces included, must be equal.
"""
import json
import os
import re
import subprocess
import sys

# the user the "$" examples run as, and where (the README says so too)
USER_CMD = ["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups"]
USER_DIR = "/mnt/tank/home/alice"
ROOT_DIR = "/"
LOCALE = "C.UTF-8"

# fields whose value differs between runs, by KEY (key/value records, -P
# pairs, table headings) -> class
FIELD_CLASS = {
    "ID": "mount id", "PARENT": "mount id", "MNT-ID": "mount id",
    "MOUNT-ID": "mount id",
    "OLD-ID": "old id", "OLD-PARENT": "old id",
    "NS-ID": "namespace id",
    "MAJ:MIN": "device", "DEV": "device",
}
UNIQUE_MIN = 1 << 31
VALID = {
    "mount id": lambda v: v.isdigit() and int(v) >= UNIQUE_MIN,
    "old id": lambda v: v.isdigit() and 0 < int(v) < UNIQUE_MIN,
    "namespace id": lambda v: v.isdigit() and int(v) > 0,
    "device": lambda v: re.fullmatch(r"\d+:\d+", v) is not None,
    "generation": lambda v: re.fullmatch(r"[0-9a-f]{8}", v) is not None,
    "time": lambda v: True,
}
TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d")
# MOUNT_ID:HEX, HEX = handle_bytes (4) handle_type (4) f_handle; a tmpfs
# f_handle starts with the inode's generation (4 bytes, random), then its
# inode number (8 bytes, compared)
HANDLE_RE = re.compile(r"\b(\d+):([0-9a-f]{16})([0-9a-f]{8})(?=[0-9a-f]*\b)")
KV_RE = re.compile(r"^([A-Z][A-Z0-9:-]*):( +)(.*)$")
PAIR_RE = re.compile(r"\b([A-Z][A-Z0-9:-]*)=\"([^\"]*)\"")
HEAD_RE = re.compile(r"^[A-Z][A-Z0-9:-]*( +[A-Z][A-Z0-9:-]*)+$")
ERR_RE = re.compile(r"^tnos [a-z0-9]+: ")


def sections(readme):
    """yield (heading, fence info, lines) for every fenced block"""
    heading, fence, body = "", None, []
    with open(readme, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if fence is None:
                if line.startswith("```"):
                    fence, body = line[3:].strip(), []
                elif line.startswith("#"):
                    heading = line.lstrip("#").strip()
            elif line.startswith("```"):
                yield heading, fence, body
                fence = None
            else:
                body.append(line)
    if fence is not None:
        sys.exit(f"{readme}: a ``` block is not closed")


def key_of(heading):
    return re.split(r" [—-] ", heading, maxsplit=1)[0]


def tour_setup(readme):
    for heading, fence, body in sections(readme):
        if heading == "A tour" and fence == "sh":
            return "\n".join(body) + "\n"
    sys.exit(f"{readme}: no ```sh block (the tour's setup) under '## A tour'")


def console_blocks(readme):
    return [(key_of(h), body) for h, fence, body in sections(readme) if fence == "console"]


def parse_block(body):
    """[(prompt, command, [expected lines])]"""
    cmds = []
    for line in body:
        if line.startswith("# ") or line.startswith("$ "):
            cmds.append((line[0], line[2:], []))
        elif not cmds:
            raise ValueError(f"output before any command: {line!r}")
        else:
            cmds[-1][2].append(line)
    return cmds


def spans(lines):
    """per line, the sorted list of (start, end, class) of varying parts"""
    out = []
    head = None	# table heading: [(start, class)] of varying columns
    for n, line in enumerate(lines):
        sp = []
        for m in TIME_RE.finditer(line):
            sp.append((m.start(), m.end(), "time"))
        for m in HANDLE_RE.finditer(line):
            sp.append((m.start(1), m.end(1), "mount id"))
            sp.append((m.start(3), m.end(3), "generation"))
        m = KV_RE.match(line)
        if m and m.group(1) in FIELD_CLASS and m.group(3):
            sp.append((m.start(3), len(line), FIELD_CLASS[m.group(1)]))
        elif m and m.group(1) == "F-HANDLE" and len(m.group(3)) >= 8:
            sp.append((m.start(3), m.start(3) + 8, "generation"))
        for m in PAIR_RE.finditer(line):
            if m.group(1) in FIELD_CLASS:
                sp.append((m.start(2), m.end(2), FIELD_CLASS[m.group(1)]))
        if n == 0 and HEAD_RE.match(line):
            head = [(m.start(), FIELD_CLASS[m.group()])
                    for m in re.finditer(r"\S+", line) if m.group() in FIELD_CLASS]
        elif head:
            for col, cls in head:
                if col < len(line) and line[col] != " " and (col == 0 or line[col - 1] == " "):
                    e = line.find(" ", col)
                    sp.append((col, len(line) if e < 0 else e, cls))
        sp.sort()
        for a, b in zip(sp, sp[1:]):
            if a[1] > b[0]:
                raise ValueError(f"overlapping fields in {line!r}")
        out.append(sp)
    return out


def pieces(line, sp):
    """line -> [literal, (class, value), literal, ...]"""
    res, pos = [], 0
    for s, e, cls in sp:
        res.append(line[pos:s])
        res.append((cls, line[s:e]))
        pos = e
    res.append(line[pos:])
    return res


class Mismatch(Exception):
    pass


def unify(state, cls, want, got):
    """README value want stands for tnos value got (a bijection per class)"""
    if not VALID[cls](got):
        raise Mismatch(f"{got!r} is not a {cls}")
    if cls == "time":
        return
    fw = state.setdefault(cls, {})
    bw = state.setdefault(cls + " (reverse)", {})
    if fw.get(want, got) != got:
        raise Mismatch(f"the README's {cls} {want} stood for {fw[want]} before, not {got}")
    if bw.get(got, want) != want:
        raise Mismatch(f"tnos's {cls} {got} is the README's {bw[got]}, not {want}")
    fw[want], bw[got] = got, want


def compare(state, want, got):
    """None if equal but for varying fields (state learns them), else why not"""
    if len(want) != len(got):
        return f"{len(got)} lines, the README shows {len(want)}"
    trial = json.loads(json.dumps(state))
    for n, (w, g, ws, gs) in enumerate(zip(want, got, spans(want), spans(got)), 1):
        pw, pg = pieces(w, ws), pieces(g, gs)
        if len(pw) != len(pg) or any(
                (type(a) is str) != (type(b) is str) or (type(a) is str and a != b) or
                (type(a) is tuple and a[0] != b[0]) for a, b in zip(pw, pg)):
            return f"line {n} differs:\n    README: {w!r}\n    tnos:   {g!r}"
        try:
            for a, b in zip(pw, pg):
                if type(a) is tuple:
                    unify(trial, a[0], a[1], b[1])
        except Mismatch as e:
            return f"line {n}: {e}"
    state.clear()
    state.update(trial)
    return None


def substitute(state, cmd):
    """the README's ids in a command -> the ones this run has"""
    def mnt(v):
        got = state.get("mount id", {}).get(v)
        if got is None:
            raise Mismatch(f"the command uses mount id {v}, which no earlier output showed")
        return got

    def handle(m):
        gen = state.get("generation", {}).get(m.group(3))
        if gen is None:
            raise Mismatch("the command uses a handle no earlier output showed")
        return mnt(m.group(1)) + ":" + m.group(2) + gen
    cmd = HANDLE_RE.sub(handle, cmd)
    return re.sub(r"(?<![0-9a-f:])\b\d{10,}\b(?!:)",
                  lambda m: mnt(m.group()) if int(m.group()) >= UNIQUE_MIN else m.group(), cmd)


def run(readme, key, statefile, tnos):
    blocks = [b for k, b in console_blocks(readme) if k == key]
    if not blocks:
        print(f"{readme}: no ```console block under a heading '{key}'")
        return 1
    try:
        with open(statefile) as f:
            state = json.load(f)
    except FileNotFoundError:
        state = {}
    env = dict(os.environ, LC_ALL=LOCALE, TOUR_TNOS=tnos)
    env.pop("BASH_ENV", None)
    prelude = 'tnos() { "$TOUR_TNOS" "$@"; }\n'
    failed = 0
    for body in blocks:
        cmds = parse_block(body)
        status = None
        for i, (prompt, cmd, want) in enumerate(cmds):
            shown = f"{prompt} {cmd}"
            if cmd.strip() == "echo $?":
                got = [str(status)]
            else:
                try:
                    real = substitute(state, cmd)
                except Mismatch as e:
                    print(f"{shown}\n  {e}")
                    return 1
                argv = (USER_CMD + ["--"] if prompt == "$" else []) + ["bash", "-c", prelude + real]
                p = subprocess.run(argv, cwd=USER_DIR if prompt == "$" else ROOT_DIR, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                status = p.returncode
                text = p.stdout.decode("utf-8", "backslashreplace")
                got = text.split("\n")
                if got[-1] == "":
                    got.pop()
                elif text:
                    got[-1] += "  <- no newline at the end"
                shows_status = i + 1 < len(cmds) and cmds[i + 1][1].strip() == "echo $?"
                errs = any(ERR_RE.match(w) for w in want)
                if not shows_status and (status != 0) != errs:
                    print(f"{shown}\n  exit status {status}, but the README shows "
                          + ("an error" if errs else "no error and no 'echo $?'"))
                    failed = 1
            why = compare(state, want, got)
            if why:
                failed = 1
                print(f"{shown}\n  {why}")
                print("  README:")
                print("".join(f"    |{w}\n" for w in want), end="")
                print("  tnos:")
                print("".join(f"    |{g}\n" for g in got), end="")
    with open(statefile, "w") as f:
        json.dump(state, f)
    return failed


def main(argv):
    if len(argv) >= 3 and argv[1] == "setup":
        sys.stdout.write(tour_setup(argv[2]))
        return 0
    if len(argv) == 2 and argv[1] == "env":
        print(f"LC_ALL={LOCALE}")
        print("unshare -m --propagation private")
        print(f"`#` examples ran as root in `{ROOT_DIR}`")
        print(f"cd {USER_DIR} && {' '.join(USER_CMD)} bash")
        return 0
    if len(argv) >= 3 and argv[1] == "keys":
        for k, _ in console_blocks(argv[2]):
            print(k)
        return 0
    if len(argv) == 6 and argv[1] == "run":
        return run(argv[2], argv[3], argv[4], argv[5])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

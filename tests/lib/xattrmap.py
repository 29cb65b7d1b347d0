"""xattrmap.py - extended attributes as "NAME_HEX VALUE_HEX" lines, sorted,
from either side of a comparison:

    getfattr -h -d -m - -e hex FILE | python3 xattrmap.py getfattr
    tnos xattr list -J FILE         | python3 xattrmap.py tnos

getfattr writes each name's bytes as they are except '=', '\\' and
newline, which it writes as \\ooo octal; the value after '=' is 0xHEX
(-e hex).  tnos's JSON has name (name_b64 when not UTF-8) and value_b64.
"""
import base64
import json
import re
import sys


def from_getfattr(data: bytes):
    out = []
    for line in data.split(b"\n"):
        if not line or line.startswith(b"#"):
            continue
        name, _, value = line.partition(b"=")
        name = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), name)
        assert value.startswith(b"0x") or value == b"", line
        out.append((name.hex(), value[2:].decode()))
    return out


def from_tnos(data: bytes):
    doc = json.loads(data)
    out = []
    for x in doc.get("xattrs", [doc] if "name" in doc else []):
        name = (base64.b64decode(x["name_b64"]) if "name_b64" in x
                else x["name"].encode())
        out.append((name.hex(), base64.b64decode(x["value_b64"]).hex()))
    return out


rows = (from_getfattr if sys.argv[1] == "getfattr" else from_tnos)(sys.stdin.buffer.read())
for n, v in sorted(rows):
    print(n, v)

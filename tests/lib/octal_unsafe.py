"""octal_unsafe.py - getfattr -e text's text made safe for a terminal, the
way tnos-xattr(1) says tnos shows a text value:

    getfattr -n NAME -e text FILE | sed -n 's/^[^=]*=//p' | python3 octal_unsafe.py

getfattr writes every byte of the value as it is but for '"', '\\', NUL,
newline and CR; a terminal would act on the other control bytes, DEL and
the C1 controls (U+0080 to U+009F), and a byte that is not part of valid
UTF-8 is not text.  Each of those is written here as \\ooo, the escape
getfattr uses and setfattr reads back.  The text is read from standard
input, its final newline dropped.
"""
import sys


def safe(b: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(b):
        ch = None
        for n in (1, 2, 3, 4):	# the character that starts at i, if any
            try:
                ch = b[i:i + n].decode("utf-8")
                break
            except UnicodeDecodeError:
                pass
        cp = ord(ch) if ch else -1
        if 0x20 <= cp < 0x7f or cp >= 0xa0:
            out += b[i:i + n]
            i += n
        else:
            out += b"\\%03o" % b[i]
            i += 1
    return bytes(out)


data = sys.stdin.buffer.read()
if data.endswith(b"\n"):
    data = data[:-1]
sys.stdout.buffer.write(safe(data))

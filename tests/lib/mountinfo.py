#!/usr/bin/env python3
"""Oracle for the mount tests: parse /proc/PID/mountinfo (the kernel's own
text, decoded from its octal escapes) and compare it with tnos lsmount -J
on stdin.  Prints one line per disagreement; exit 1 if any."""
import json
import re
import sys


def unescape(s):
    return re.sub(rb'\\([0-7]{3})', lambda m: bytes([int(m.group(1), 8)]), s)


def parse(path):
    mounts = {}
    with open(path, 'rb') as f:
        for line in f:
            fields = line.rstrip(b'\n').split(b' ')
            sep = fields.index(b'-')
            opt = fields[6:sep]
            m = {
                'id': int(fields[0]), 'parent': int(fields[1]),
                'majmin': fields[2].decode(), 'root': unescape(fields[3]),
                'target': unescape(fields[4]), 'vfsopts': fields[5].decode(),
                'fstype': unescape(fields[sep + 1]).decode(),
                'source': unescape(fields[sep + 2]),
                'superopts': unescape(fields[sep + 3]).decode(),
                'shared': 0, 'master': 0, 'propagate_from': 0, 'unbindable': False,
            }
            m['opt_fields'] = b' '.join(opt).decode()
            for o in opt:
                k, _, v = o.decode().partition(':')
                if k == 'unbindable':
                    m['unbindable'] = True
                elif k in ('shared', 'master', 'propagate_from'):
                    m[k] = int(v)
            mounts[m['id']] = m
    return mounts


def jbytes(rec, key):
    """The exact bytes of a JSON string field (lossless via KEY_b64)."""
    import base64
    if key + '_b64' in rec:
        return base64.b64decode(rec[key + '_b64'])
    return rec[key].encode()


def compare(mi, doc):
    errs = []
    seen = set()
    for r in doc['mounts']:
        old = r['mnt_id_old']
        if old in seen:
            errs.append(f'duplicate mount {old}')
        seen.add(old)
        m = mi.get(old)
        if m is None:
            errs.append(f'mount {old} not in mountinfo')
            continue
        want = {
            'mnt_parent_id_old': m['parent'],
            'mnt_point': m['target'], 'mnt_root': m['root'],
            'sb_source': m['source'], 'fs_type': m['fstype'],
            'majmin': m['majmin'],
            'vfsopts': m['vfsopts'],
            'superopts': m['superopts'],
            'propagation': m,
        }
        got_opts = ','.join(r['mnt_attr'])
        # mountinfo omits strictatime
        got_opts = ','.join(x for x in r['mnt_attr'] if x != 'strictatime')
        checks = [
            ('parent', r['mnt_parent_id_old'], m['parent']),
            ('target', jbytes(r, 'mnt_point'), m['target']),
            ('root', jbytes(r, 'mnt_root'), m['root']),
            ('source', jbytes(r, 'sb_source'), m['source']),
            ('fstype', r['fs_type'], m['fstype']),
            ('maj:min', f"{r['sb_dev_major']}:{r['sb_dev_minor']}", m['majmin']),
            ('vfs options', got_opts, m['vfsopts']),
            # superblock flag words, then the filesystem's options
            ('sb flags', ','.join(r['sb_flags']),
             ','.join(w for w in m['superopts'].split(',') if w in ('rw', 'ro', 'sync', 'dirsync', 'lazytime'))),

            ('shared', r['mnt_peer_group'] if 'shared' in r['mnt_propagation'] else 0, m['shared']),
            ('master', r['mnt_master'] if 'slave' in r['mnt_propagation'] else 0, m['master']),
            ('unbindable', 'unbindable' in r['mnt_propagation'], m['unbindable']),
        ]
        # the mountinfo-shaped text columns, when asked for
        for key, exp in (('vfs_options', m['vfsopts']), ('mnt_opts', m['superopts']),
                         ('opt_fields', m['opt_fields'])):
            if key in r:
                checks.append((key, r[key], exp))
        if m['propagate_from']:
            checks.append(('propagate_from', r.get('propagate_from'), m['propagate_from']))
        for name, got, exp in checks:
            if got != exp:
                errs.append(f'mount {old} ({m["target"]!r}): {name}: tnos {got!r} mountinfo {exp!r}')
    for old, m in mi.items():
        if old not in seen:
            errs.append(f'mount {old} ({m["target"]!r}) missing from tnos')
    return errs


if __name__ == '__main__':
    pid = sys.argv[1] if len(sys.argv) > 1 else 'self'
    mi = parse(f'/proc/{pid}/mountinfo')
    errs = compare(mi, json.load(sys.stdin))
    for e in errs:
        print(e)
    sys.exit(1 if errs else 0)

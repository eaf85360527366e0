#!/usr/bin/env python3
"""census.py — the SQL side of tools/sql-census.sh (docs/postgres.md, "The census").

  census.py collect LOG ROOT BUILD > records
      The statements logged by shim.c while the unit tests ran (their callers resolved
      with addr2line, their $n types from the binds), then those the stores' calls of
      db_prepare() hold statically (the C preprocessor expands the macros, "%s" filled
      empty), as records "origin 0x1f types 0x1f sql 0x1e" for pgcheck.
  census.py report CHECKED [--tout]
      The answers of pgcheck in plain words: the statements of the stores (src/, not
      src/sim/) that PostgreSQL refuses, then those that return a boolean column. Exit
      status 1 when a statement seen running fails, or a statement only read in the code
      fails otherwise than on a parameter type it could not know. --tout adds the
      statements of the tests. The simulator's (src/sim/) stay on SQLite: left out.

Not part of cej; the Python of meson, nothing more.
"""
import bisect
import collections
import json
import os
import re
import shlex
import subprocess
import sys

SKIP = re.compile(r'^\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END)\b', re.I)
DML = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b', re.I)


def dollars(sql):
    """?N back into $N, outside literals, quoted names and comments (db.h's rewrite undone)."""
    out, i, quote = [], 0, None
    while i < len(sql):
        c = sql[i]
        if quote:
            out.append(c)
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
            out.append(c)
        elif sql.startswith('--', i):
            j = sql.find('\n', i)
            j = len(sql) if j < 0 else j
            out.append(sql[i:j])
            i = j
            continue
        elif c == '?' and i + 1 < len(sql) and sql[i + 1].isdigit():
            m = re.match(r'\?(\d+)', sql[i:])
            out.append('$' + m.group(1))
            i += len(m.group(0))
            continue
        else:
            out.append(c)
        i += 1
    return ''.join(out)


def resolve(root, frames_by_exe):
    """{(exe, offset): [function, file:line, …]} through one addr2line per program."""
    where = {}
    for exe, offs in frames_by_exe.items():
        offs = sorted(offs)
        out = subprocess.run(['addr2line', '-f', '-i', '-a', '-e', exe] + ['0x' + o for o in offs],
                             capture_output=True, text=True).stdout.splitlines()
        cur, frames = None, []
        for line in out + ['0x0']:
            if line.startswith('0x'):
                if cur is not None:
                    where[(exe, cur)] = frames
                cur, frames = format(int(line, 16), 'x'), []
            else:
                frames.append(line)
    return where


def origin(root, where, exe, offs):
    """The first caller outside src/db/: "path:line (function)"."""
    for o in offs:
        fr = where.get((exe, o), [])
        for i in range(0, len(fr) - 1, 2):
            path = fr[i + 1].split(' ')[0].rsplit(':', 1)
            if len(path) != 2:
                continue
            rel = os.path.relpath(os.path.normpath(path[0]), root)
            if rel.startswith('..') or rel.startswith('src/db/'):
                continue
            return f'{rel}:{path[1]} ({fr[i]})'
    return '?'


def types_of(sql, binds):
    nums = [int(x) for x in re.findall(r'\$(\d+)', sql)]
    out = []
    for i in range(1, (max(nums) if nums else 0) + 1):
        t = binds.get(i, set())
        out.append('int8' if 'int8' in t else 'bytea' if 'bytea' in t
                   else 'float8' if 'float8' in t else '0')
    return ','.join(out)


def dynamic(root, log):
    raw = open(log, 'rb').read().decode('utf-8', 'replace').split('\x1e')
    calls = collections.OrderedDict()
    binds = collections.defaultdict(lambda: collections.defaultdict(set))
    frames_by_exe = collections.defaultdict(set)
    for rec in raw:
        if rec.startswith('B\x1f'):
            _, idx, typ, sql = rec.split('\x1f', 3)
            binds[sql.strip()][int(idx)].add(typ)
        elif rec.startswith('P\x1f'):
            _, frames, sql = rec.split('\x1f', 2)
            sql = sql.strip()
            if not sql or SKIP.match(sql):
                continue
            parts = frames.split()
            exe = parts[0]
            offs = tuple(p.rsplit('+', 1)[1] for p in parts[1:]
                         if not p.startswith('/lib') and not p.startswith('/usr'))
            frames_by_exe[exe].update(offs)
            calls.setdefault(sql, set()).add((exe, offs))
    where = resolve(root, frames_by_exe)
    for sql, sites in calls.items():
        origins = sorted({origin(root, where, e, o) for e, o in sites},
                         key=lambda x: (x == '?', x))
        pg = dollars(sql)
        yield origins[0], types_of(pg, binds[sql]), pg


def static(root, build):
    """The literal SQL of every db_prepare() of src/ (not src/sim/, src/db/)."""
    for e in json.load(open(os.path.join(build, 'compile_commands.json'))):
        f = os.path.normpath(os.path.join(e['directory'], e['file']))
        rel = os.path.relpath(f, root)
        if not rel.startswith('src/') or rel.startswith(('src/sim/', 'src/db/')):
            continue
        if 'db_prepare' not in open(f).read():
            continue
        args, skip = [], False
        for x in shlex.split(e['command']):
            if skip:
                skip = False
            elif x in ('-o', '-MF', '-MQ'):
                skip = True
            elif x not in ('-c', '-MD'):
                args.append(x)
        pp = subprocess.run(args + ['-E'], cwd=e['directory'], capture_output=True,
                            text=True).stdout
        text, places, cur, line = [], [], None, 0
        for l in pp.split('\n'):
            m = re.match(r'# (\d+) "([^"]+)"', l)
            if m:
                line, cur = int(m.group(1)), os.path.normpath(os.path.join(e['directory'], m.group(2)))
                continue
            places.append((cur, line))
            text.append(l)
            line += 1
        joined = '\n'.join(text)
        starts, o = [], 0
        for l in text:
            starts.append(o)
            o += len(l) + 1
        for m in re.finditer(r'\bdb_prepare\s*\(\s*\w+\s*,', joined):
            i = j = m.end()
            depth = 1
            while depth and j < len(joined):
                if joined[j] == '"':
                    j += 1
                    while joined[j] != '"':
                        j += 2 if joined[j] == '\\' else 1
                elif joined[j] == '(':
                    depth += 1
                elif joined[j] == ')':
                    depth -= 1
                j += 1
            fname, ln = places[bisect.bisect_right(starts, m.start()) - 1]
            for group in re.findall(r'((?:"(?:[^"\\]|\\.)*"\s*)+)', joined[i:j - 1]):
                lit = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', group))
                lit = lit.encode('utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')
                if not DML.match(lit):
                    continue
                lit = (lit.replace('%%', '\0').replace('%s', '').replace('%d', '1')
                       .replace('%lld', '1').replace('\0', '%'))
                yield f'{os.path.relpath(fname, root)}:{ln} (lu dans le code)', None, lit


def collect(log, root, build):
    seen = set()
    out = sys.stdout
    for o, types, sql in dynamic(root, log):
        seen.add(sql)
        out.write(f'{o}\x1f{types}\x1f{sql}\x1e')
    for o, _, sql in static(root, build):
        if sql in seen:
            continue
        seen.add(sql)
        out.write(f'{o}\x1f{types_of(sql, {})}\x1f{sql}\x1e')


def report(checked, everything):
    errors, booleans, fatal = [], [], 0
    for rec in open(checked, encoding='utf-8').read().split('\x1e'):
        if rec.count('\x1f') < 3:
            continue
        o, kind, msg, sql = rec.split('\x1f', 3)
        if o.startswith('src/sim/'):
            continue   # the simulator stays on SQLite
        store = o.startswith('src/')
        if not store and not everything:
            continue
        if kind == 'ERROR':
            unknowable = ('lu dans le code' in o and
                          re.search(r'could not determine data type|unknown', msg))
            fatal += store and not unknowable
            errors.append((o, msg + (' (types non vus : à vérifier)' if unknowable else ''), sql))
        else:
            booleans.append((o, msg, sql))
    shown = set()
    for o, msg, sql in sorted(errors):
        if (o, msg) not in shown:
            shown.add((o, msg))
            print(f'{o} : PostgreSQL refuse : {msg}\n    {sql[:240]}')
    for o, msg in sorted({(o, msg) for o, msg, _ in booleans}):
        print(f'{o} : résultat booléen en {msg} (à lire avec db_col_int64)')
    print(f'sql-census : {len(errors)} requête(s) refusée(s) dont {fatal} à corriger, '
          f'{len(booleans)} avec un résultat booléen')
    return 1 if fatal else 0


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'collect':
        collect(sys.argv[2], os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4]))
    elif len(sys.argv) in (3, 4) and sys.argv[1] == 'report':
        sys.exit(report(sys.argv[2], '--tout' in sys.argv[3:]))
    else:
        sys.exit(__doc__)

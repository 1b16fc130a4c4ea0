#!/usr/bin/env python3
"""The module graph: every `#include "module/..."` in src/ against docs/architecture.md.

The "depends on" column of the module table in docs/architecture.md names a module's allowed
dependencies in backticks (`core`, `geo`); plain words there are third-party libraries. This test
fails, naming the file and the include, when
  - a file includes a module its module may not depend on,
  - a file outside a module includes one of that module's private headers (PRIVATE below),
  - the table allows a dependency that no file uses (the column must stay true), or
  - CMakeLists.txt links an est_<module> library to other est_ libraries than the modules it
    includes (the link graph equals the include graph).
Usage: include_graph_test.py SOURCE_DIR
"""
import os
import re
import sys

# Headers that only their own module may include.
PRIVATE = {
    "app/system_access.h": "app",
    "app/use_case_util.h": "app",
    "http/server_impl.h": "http",
    "http/fields.h": "http",
    "http/params.h": "http",
    "store/sql_store.h": "store",
    "store/db.h": "store",
    "store/sqlite/sqlite_conn.h": "store",
    "store/sqlite/sqlite_schema.h": "store",
    "store/sqlite/sqlite_store.h": "store",
    "store/postgres/pg_conn.h": "store",
    "store/postgres/pg_schema.h": "store",
    "store/postgres/pg_store.h": "store",
    "cli/common.h": "cli",
}


def allowed_table(doc_path):
    """module -> set of allowed modules, from the '## Modules' table."""
    table = {}
    in_modules = False
    for line in open(doc_path, encoding="utf-8"):
        if line.startswith("## "):
            in_modules = line.strip() == "## Modules (one folder each under `src/`)"
            continue
        if not in_modules or not line.startswith("|"):
            continue
        # Split on the pipes outside `code` (a job may name `est import surveys|vulnerable`).
        cells, cell, code = [], "", False
        for ch in line.strip().strip("|"):
            if ch == "`":
                code = not code
            if ch == "|" and not code:
                cells.append(cell.strip())
                cell = ""
            else:
                cell += ch
        cells.append(cell.strip())
        if len(cells) < 3 or cells[0] in ("module", "---"):
            continue
        m = re.fullmatch(r"`(\w+)`", cells[0])
        if not m:
            continue
        table[m.group(1)] = set(re.findall(r"`(\w+)`", cells[2]))
    return table


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    src = os.path.join(root, "src")
    table = allowed_table(os.path.join(root, "docs", "architecture.md"))
    problems = []
    modules = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    for m in modules:
        if m not in table:
            problems.append(f"docs/architecture.md: module `{m}` is missing from the module table")
    used = {m: set() for m in modules}
    include = re.compile(r'^\s*#\s*include\s+"(\w+)/([^"]+)"')
    for m in modules:
        for dirpath, _, files in os.walk(os.path.join(src, m)):
            for name in sorted(files):
                if not re.search(r"\.(h|cc|in)$", name):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                    hit = include.match(line)
                    if not hit or hit.group(1) not in modules:
                        continue
                    target, header = hit.group(1), f"{hit.group(1)}/{hit.group(2)}"
                    if header in PRIVATE and PRIVATE[header] != m:
                        problems.append(f"{rel}:{n}: includes {header}, private to {PRIVATE[header]}")
                    if target == m:
                        continue
                    used[m].add(target)
                    if target not in table.get(m, set()):
                        problems.append(f"{rel}:{n}: #include \"{header}\": module {m} may not "
                                        f"depend on {target} (docs/architecture.md allows: "
                                        f"{', '.join(sorted(table.get(m, []))) or 'nothing'})")
    for m in modules:
        for extra in sorted(table.get(m, set()) - used[m]):
            problems.append(f"docs/architecture.md: `{m}` is said to depend on `{extra}`, "
                            f"but no file in src/{m} includes it")
    cmake = open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8").read()
    for hit in re.finditer(r"^est_module\((\w+)([^)]*)\)", cmake, re.M):
        m = hit.group(1)
        links = set(re.findall(r"\best_(\w+)", hit.group(2)))
        if m in used and links != used[m]:
            problems.append(f"CMakeLists.txt: est_{m} links {sorted('est_' + x for x in links)} "
                            f"but includes {sorted('est_' + x for x in used[m])}")
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in the module graph" if problems else "module graph ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

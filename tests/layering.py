#!/usr/bin/env python3
"""The layering test: no library reaches back up the pipeline (docs/architecture.md).

Reads the layers CMake declares (build/layers.txt: one line per library, `NAME|FOLDER|
ARCHIVE|DEPENDS`), and fails when
  - a source file in a library's folder includes a header of another library's folder
    that the library does not depend on (directly or through its dependencies), or
  - a library's archive needs a slac symbol that only a library it does not depend on
    defines (read with nm).
Usage: layering.py LAYERS_TXT
"""
import os
import re
import subprocess
import sys


def main(path):
    layers = {}
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        name, folder, archive, deps = line.split("|")
        layers[name] = {"folder": folder, "archive": archive,
                        "deps": [d for d in deps.split(",") if d.startswith("slac")]}
    if len(layers) < 2:
        print(f"layering: {path} lists {len(layers)} libraries; expected the whole pipeline")
        return 1

    def closure(name, seen=None):
        seen = set() if seen is None else seen
        for d in layers[name]["deps"]:
            if d not in seen:
                seen.add(d)
                closure(d, seen)
        return seen

    allowed = {n: closure(n) | {n} for n in layers}
    by_folder = {os.path.basename(l["folder"]): n for n, l in layers.items()}
    problems = []

    # Includes: "FOLDER/..." names the library of FOLDER.
    include = re.compile(r'^\s*#\s*include\s+"([^/"]+)/')
    checked_files = 0
    for name, layer in layers.items():
        for dirpath, _, files in os.walk(layer["folder"]):
            for f in files:
                if not f.endswith((".cpp", ".hpp")):
                    continue
                file = os.path.join(dirpath, f)
                checked_files += 1
                for number, text in enumerate(open(file, encoding="utf-8"), 1):
                    m = include.match(text)
                    if not m or m.group(1) not in by_folder:
                        continue
                    target = by_folder[m.group(1)]
                    if target not in allowed[name]:
                        problems.append(f"{file}:{number}: {name} includes {m.group(1)}/, "
                                        f"but does not depend on {target}")

    # Symbols: every slac symbol an archive needs must be defined in its own closure
    # when some slac library defines it at all.
    defined = {}
    undefined = {}
    for name, layer in layers.items():
        if not layer["archive"]:
            continue
        out = subprocess.run(["nm", "-P", layer["archive"]], capture_output=True, text=True, check=True).stdout
        defs, undefs = set(), set()
        for row in out.splitlines():
            parts = row.split()
            if len(parts) < 2 or "4slac" not in parts[0]:
                continue
            (undefs if parts[1] == "U" else defs).add(parts[0])
        defined[name] = defs
        undefined[name] = undefs - defs
    for name, needs in undefined.items():
        for sym in sorted(needs):
            owners = {n for n, defs in defined.items() if sym in defs}
            if owners and not owners & allowed[name]:
                problems.append(f"{name} uses `{sym}`, defined only in {', '.join(sorted(owners))}, "
                                f"which it does not depend on")

    for p in problems:
        print(p)
    archives = sum(1 for l in layers.values() if l["archive"])
    print(f"layering: {len(layers)} libraries, {checked_files} files, {archives} archives; "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

#!/usr/bin/env python3
"""`slac lsp` in a real editor: Neovim's built-in LSP client, headless (issue 18).

Writes a contract with a typo that imports another file, and runs tests/nvim/lsp.lua in
`nvim --headless --clean`: the typo's diagnostic (line, code) within a second, the
diagnostics gone once it is fixed, hover on a param, go to definition into the imported
file, formatting. Without `nvim` (Debian's neovim, scripts/install-deps.sh) it fails
under CI and skips loudly (exit 77) elsewhere.
Usage: nvim_test.py SLAC SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

SLAC, SOURCE, WORK = (os.path.abspath(a) for a in sys.argv[1:4])

LIB = """contract "Vocabulary"
  timezone "Europe/Paris"

signal heartbeat : event
signal status : enum { ok, fault }
state alive = seen heartbeat within 10m
"""

MAIN = """contract "Kiosks"
  timezone "Europe/Paris"

import "lib.sla"

state available = alive and status == ok
param target = 90%

sla uptime {
  in any calendar month, on any device,
  availble for at least target of the time
}
"""


def main():
    nvim = shutil.which("nvim")
    if nvim is None:
        if os.environ.get("CI"):
            print("nvim_test: nvim is missing; install Debian's neovim (scripts/install-deps.sh)", file=sys.stderr)
            return 1
        print("nvim_test: SKIPPED: nvim is missing (scripts/install-deps.sh installs it)", file=sys.stderr)
        return 77
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    with open(os.path.join(WORK, "lib.sla"), "w") as f:
        f.write(LIB)
    with open(os.path.join(WORK, "main.sla"), "w") as f:
        f.write(MAIN)
    log = os.path.join(WORK, "nvim.log")
    env = dict(os.environ,
               SLAC=SLAC, SLAC_NVIM_DIR=WORK, SLAC_NVIM_LOG=log,
               SLAC_NVIM_TYPO_LINE=str(MAIN[:MAIN.index("availble")].count("\n")),
               SLAC_NVIM_ALIVE_LINE=str(LIB[:LIB.index("state alive")].count("\n")),
               # Neovim's own files (shada, state, logs) in the work folder.
               XDG_STATE_HOME=os.path.join(WORK, "state"), XDG_DATA_HOME=os.path.join(WORK, "data"),
               XDG_CACHE_HOME=os.path.join(WORK, "cache"), XDG_CONFIG_HOME=os.path.join(WORK, "config"))
    # Under the sanitizers everything is slower: the second becomes five.
    if "ASAN_OPTIONS" in os.environ:
        env.setdefault("SLAC_NVIM_LATENCY_MS", "5000")
    script = os.path.join(SOURCE, "tests", "nvim", "lsp.lua")
    try:
        run = subprocess.run([nvim, "--headless", "--clean", "-n", "-c", f"luafile {script}"], env=env,
                             cwd=WORK, capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print("nvim_test: FAIL: Neovim did not finish in 90 s", file=sys.stderr)
        return 1
    report = open(log).read() if os.path.exists(log) else ""
    print(report, end="")
    if run.returncode != 0 or "FAIL" in report or not report.endswith("done\n"):
        print(f"nvim_test: FAIL (exit {run.returncode})\n{run.stdout}{run.stderr}", file=sys.stderr)
        return 1
    print("nvim_test: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

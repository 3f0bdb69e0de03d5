#!/usr/bin/env python3
"""The p_meet backtest script (bench/backtest.sh) runs every scenario and prints, for
each, what docs/status.md shows: the samples, a reliability table, three Brier scores
and the targets line. Its figures are benchmarks and stay out of the tests; here three
car parks instead of thirty keep it short.

Usage: backtest_structure.py BUILD_DIR
"""
import os
import re
import subprocess
import sys
import tempfile

build = sys.argv[1]
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
with tempfile.TemporaryDirectory() as data:
    env = dict(os.environ, SLAC_BENCH_BUILD=build, SLAC_BENCH_DATA=data, SLAC_BENCH_SITES="3")
    run = subprocess.run(["bash", "bench/backtest.sh"], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        sys.exit(f"bench/backtest.sh failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    out = run.stdout
    # An unknown scenario is refused.
    bad = subprocess.run(["bash", "bench/backtest.sh", "6"], cwd=root, env=env, capture_output=True, text=True)
    if bad.returncode != 2 or "no scenario 6" not in bad.stderr:
        sys.exit(f"scenario 6 was not refused: {bad.returncode} {bad.stderr}")

sections = re.split(r"^== ", out, flags=re.M)[1:]
if [s.split(".")[0] for s in sections] != ["1", "2", "3", "4", "5"]:
    sys.exit(f"expected scenarios 1 to 5, got:\n{out}")
number = r"[0-9]+\.[0-9]+"
for s in sections:
    lines = s.splitlines()
    checks = [
        (r"^[0-9]+ \(group, window, T\) samples; [0-9.]+% of them met$", 1),
        (r"^reliability of p_meet$", 1),
        (r"^ +p_meet +samples +mean p_meet +share met$", 1),
        (rf"^ +{number}\.\.{number} +[0-9]+ +{number} +{number}$", None),
        (rf"^  p_meet +{number}  \(skill -?[0-9.]+% over the base rate\)$", 1),
        (rf"^  p_meet without time of week +{number}  \(skill -?[0-9.]+%\)$", 1),
        (rf"^  base rate +{number}$", 1),
        (rf"^targets: skill -?[0-9.]+% \(>= 40%: (met|MISSED)\); [0-9]+ bins of >= 200 samples, worst off by {number} \(<= 0.07: (met|MISSED)\)$", 1),
    ]
    for pattern, count in checks:
        found = sum(1 for line in lines if re.match(pattern, line))
        if (count is None and not 1 <= found <= 10) or (count is not None and found != count):
            sys.exit(f"scenario {s.split('.')[0]}: {found} lines match {pattern!r}:\n{s}")
    # The bins' samples add up to the samples.
    total = int(lines[1].split()[0]) if lines[1][0].isdigit() else int(re.search(r"^([0-9]+) \(group", s, re.M).group(1))
    binned = sum(int(line.split()[1]) for line in lines if re.match(rf"^ +{number}\.\.{number} ", line))
    if binned != total:
        sys.exit(f"scenario {s.split('.')[0]}: bins hold {binned} samples of {total}")
print(f"{len(sections)} scenarios, each with its samples, reliability table, Brier scores and targets")

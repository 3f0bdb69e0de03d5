#!/usr/bin/env python3
"""`pip install .` of the Python package, offline, as docs/python.md says, then the
installed package judges the bundled example from DataFrames with the program's JSON.

A virtual environment with Debian's site packages (pandas), `pip install
--no-build-isolation --no-index SOURCE` with SLAC_CMAKE_BUILD_DIR=BUILD_DIR (the
suite's build, so that setup.py builds the `_slac` target there instead of a whole
Release build of its own; the fresh build is the same code path without that variable),
and the installed package imported from outside the source tree.
Usage: pip_test.py SOURCE_DIR BUILD_DIR
"""
import os
import subprocess
import sys
import tempfile
import unittest

SOURCE, BUILD = (os.path.abspath(p) for p in sys.argv[1:3])
del sys.argv[1:3]


class PipInstall(unittest.TestCase):
    def test_installs_and_judges(self):
        with tempfile.TemporaryDirectory() as tmp:
            venv = os.path.join(tmp, "venv")
            subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], check=True)
            python = os.path.join(venv, "bin", "python")
            env = dict(os.environ, SLAC_CMAKE_BUILD_DIR=BUILD, PIP_DISABLE_PIP_VERSION_CHECK="1")
            env.pop("PYTHONPATH", None)
            r = subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index", SOURCE],
                               env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("Successfully installed slac-", r.stdout)
            script = f"""
import json, os, pandas as pd, slac
assert slac.__file__.startswith({venv!r}), slac.__file__
estate = {os.path.join(SOURCE, "examples", "ev-estate")!r}
contract = slac.load({os.path.join(SOURCE, "examples", "acme-retail.sla")!r})
ev = contract.evaluate(sites=pd.read_csv(os.path.join(estate, "sites.csv"), dtype=str, keep_default_na=False),
                       devices=pd.read_csv(os.path.join(estate, "devices.csv"), dtype=str, keep_default_na=False),
                       events=pd.read_csv(os.path.join(estate, "events.csv"), dtype=str, keep_default_na=False))
print(ev.to_json())
"""
            r = subprocess.run([python, "-c", script], cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            cli = subprocess.run([os.path.join(BUILD, "slac"), "eval", os.path.join(SOURCE, "examples", "acme-retail.sla"),
                                  "--data", os.path.join(SOURCE, "examples", "ev-estate"), "--format", "json"],
                                 capture_output=True, text=True, check=True)
            self.assertEqual(r.stdout.rstrip("\n"), cli.stdout.rstrip("\n"))
            self.assertIn('"verdicts"', cli.stdout)

    def test_a_build_folder_that_is_not_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, SLAC_CMAKE_BUILD_DIR=tmp, PIP_DISABLE_PIP_VERSION_CHECK="1")
            r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-index",
                                "--no-deps", "-w", tmp, SOURCE], env=env, capture_output=True, text=True, timeout=300)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("is not a configured CMake build folder", r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()

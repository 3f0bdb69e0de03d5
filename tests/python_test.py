#!/usr/bin/env python3
"""The Python package against the program: the same judgements, the same words.

Runs with Debian's python3 and the package built in BUILD/python (ctest `python`):
the bundled example and every tests/eval case evaluated through `slac` from the folder
and from pandas DataFrames give exactly `slac eval --format json`; status and whatif
likewise; the errors are typed and located.
Usage: python_test.py SOURCE_DIR BUILD_DIR
"""
import datetime as dt
import glob
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest
from decimal import Decimal

SOURCE, BUILD = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(BUILD, "python"))
# docs/python.md's Dask example starts worker processes: they import slac from here too.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.join(BUILD, "python"), os.environ.get("PYTHONPATH")]))

import pandas as pd  # noqa: E402

import slac  # noqa: E402
from slac import _frames  # noqa: E402

EXAMPLE = os.path.join(SOURCE, "examples", "acme-retail.sla")
ESTATE = os.path.join(SOURCE, "examples", "ev-estate")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def cli(*args):
    """The program's standard output (it must succeed)."""
    run = subprocess.run([os.path.join(BUILD, "slac"), *args], capture_output=True, text=True)
    if run.returncode != 0:
        raise AssertionError(f"slac {' '.join(args)}: exit {run.returncode}: {run.stderr}")
    return run.stdout


def frames(folder, parse_times=True):
    """A dataset folder's files as DataFrames, as a data team would read them: ids as
    text, times as UTC datetimes."""
    sites = pd.read_csv(os.path.join(folder, "sites.csv"), dtype=str, keep_default_na=False)
    devices = pd.read_csv(os.path.join(folder, "devices.csv"), dtype=str, keep_default_na=False)
    events = pd.read_csv(os.path.join(folder, "events.csv"), dtype=str, keep_default_na=False)
    if parse_times:
        events["time"] = pd.to_datetime(events["time"], utc=True)
    return sites, devices, events


class Example(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.contract = slac.load(EXAMPLE)
        cls.expected = cli("eval", EXAMPLE, "--data", ESTATE, "--format", "json")

    def test_contract(self):
        c = self.contract
        self.assertEqual(c.name, "EV charging availability")
        self.assertEqual(c.customer, "Acme Retail")
        self.assertEqual(c.currency, "GBP")
        self.assertEqual(c.timezone, "Europe/London")
        self.assertEqual(c.params["heartbeat_timeout"], "1h15m")
        self.assertEqual(c.params["target"], "90%")
        self.assertIn("availability", [s.name for s in c.slas])
        self.assertTrue(c.slas[0].text.startswith(("sla ", "kpi ")))

    def test_folder_is_the_program(self):
        ev = self.contract.evaluate(data=ESTATE)
        self.assertEqual(ev.to_json(), self.expected)

    def test_dataframes_are_the_program(self):
        ev = self.contract.evaluate(*frames(ESTATE))
        got, want = json.loads(ev.to_json()), json.loads(self.expected)
        for key in ("results", "verdicts", "totals", "from", "to", "currency", "contract"):
            self.assertEqual(got[key], want[key], key)
        self.assertEqual(got["data"]["events"], want["data"]["events"])

    def test_frames_and_decimal(self):
        ev = self.contract.evaluate(data=ESTATE)
        want = json.loads(self.expected, parse_float=Decimal)
        self.assertIsInstance(ev.total_penalty, Decimal)
        self.assertEqual(ev.total_penalty, Decimal(want["totals"]["penalty"]))
        self.assertEqual(ev.currency, "GBP")
        r = ev.results
        self.assertEqual(len(r), len(want["results"]))
        self.assertEqual(str(r["window_start"].dtype), "datetime64[ns, UTC]")
        first = want["results"][0]
        self.assertEqual(r["window_start"][0], pd.Timestamp(first["window"]["start"]))
        self.assertEqual(r["group"][0], first["group"])
        self.assertEqual(r["measured_s"][0], first["measured_s"])
        self.assertAlmostEqual(r["attainment"][0], float(first["attainment"]), places=15)
        v = ev.verdicts
        self.assertEqual(list(v["met"]), [x["met"] for x in want["verdicts"]])
        self.assertEqual(sum(Decimal(str(p)) for p in v["penalty"]), ev.total_penalty)

    def test_options(self):
        want = cli("eval", EXAMPLE, "--data", ESTATE, "--format", "json", "--sla", "availability", "--set",
                   "target=95%", "--from", "2026-03-01", "--to", "2026-04-01")
        ev = self.contract.evaluate(data=ESTATE, sla="availability", set={"target": "95%"}, from_=dt.date(2026, 3, 1),
                                    to="2026-04-01")
        self.assertEqual(ev.to_json(), want)
        ev = self.contract.evaluate(data=ESTATE, sla=["availability"], set={"target": "95%"},
                                    from_=dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=0))),
                                    to=pd.Timestamp("2026-04-01T00:00:00Z"), threads=1)
        self.assertEqual(json.loads(ev.to_json())["results"][0]["window"],
                         json.loads(want)["results"][0]["window"])

    def test_status_and_whatif(self):
        as_of = "2026-03-15T12:00:00Z"
        want = cli("status", EXAMPLE, "--data", ESTATE, "--as-of", as_of, "--format", "json", "--seed", "7")
        st = self.contract.status(data=ESTATE, as_of=as_of, seed=7)
        self.assertEqual(st.to_json(), want)
        self.assertEqual(len(st.groups), len(json.loads(want)["groups"]))
        st = self.contract.status(*frames(ESTATE), as_of=pd.Timestamp(as_of), seed=7)
        self.assertEqual(json.loads(st.to_json())["groups"], json.loads(want)["groups"])
        want = cli("whatif", EXAMPLE, "--data", ESTATE, "--sla", "availability", "--sweep", "target=85%..95%/5%",
                   "--format", "json")
        w = self.contract.whatif(data=ESTATE, sla="availability", sweep="target=85%..95%/5%")
        self.assertEqual(w.to_json(), want)

    def test_explain(self):
        self.assertEqual(self.contract.explain(), cli("explain", EXAMPLE))

    def test_threads_run_at_once(self):
        # The GIL is released during evaluation: evaluations in threads all finish, alike.
        out = []
        threads = [threading.Thread(target=lambda: out.append(self.contract.evaluate(data=ESTATE).to_json()))
                   for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(out, [self.expected] * 3)


class EvalCases(unittest.TestCase):
    def test_every_case_from_dataframes(self):
        cases = sorted(glob.glob(os.path.join(SOURCE, "tests", "eval", "*", "contract.sla")))
        self.assertGreater(len(cases), 20)
        for path in cases:
            folder = os.path.dirname(path)
            args = []
            args_file = os.path.join(folder, "args")
            if os.path.exists(args_file):
                args = read(args_file).split()
            # The cases' options are --from and --to (a test below fails otherwise).
            options = dict(zip(args[0::2], args[1::2]))
            self.assertLessEqual(set(options), {"--from", "--to"}, folder)
            with self.subTest(case=os.path.basename(folder)):
                want = json.loads(cli("eval", path, "--data", folder, "--format", "json", *args))
                got = json.loads(slac.load(path).evaluate(*frames(folder, parse_times=False), from_=options.get("--from"),
                                                          to=options.get("--to")).to_json())
                self.assertEqual(got["results"], want["results"])
                self.assertEqual(got["verdicts"], want["verdicts"])
                self.assertEqual(got["totals"], want["totals"])


class Errors(unittest.TestCase):
    def test_contract_errors_are_located(self):
        text = read(EXAMPLE).replace("seen heartbeat", "seen hartbeat", 1)
        self.assertNotEqual(text, read(EXAMPLE))
        result = slac.check(text, name="typo.sla")
        self.assertFalse(result.ok)
        self.assertEqual(result.errors, 1)
        d = result.diagnostics[0]
        self.assertEqual(d["file"], "typo.sla")
        self.assertIn("hartbeat", d["message"])
        with self.assertRaises(slac.ContractError) as e:
            slac.load(text, name="typo.sla")
        self.assertIn(f"typo.sla:{d['line']}:{d['column']}", str(e.exception))
        self.assertEqual(e.exception.diagnostics[0]["code"], d["code"])
        self.assertTrue(slac.check(EXAMPLE).ok)

    def test_texts_that_are_not_unicode_and_fields_that_need_quotes(self):
        c = slac.load(EXAMPLE)
        sites, devices, events = frames(ESTATE)
        bad = events.copy()
        bad.iloc[5, bad.columns.get_loc("entity")] = "S001-C1\ud800"
        with self.assertRaises(slac.DataError) as e:
            c.evaluate(sites, devices, bad)
        self.assertEqual((e.exception.table, e.exception.row), ("events", 5))
        self.assertIn(f"events row 5 (index {bad.index[5]!r}): a text that is not Unicode", str(e.exception))
        header = events.rename(columns={"value": "value\udc80"})
        with self.assertRaisesRegex(slac.DataError, "events header"):
            c.evaluate(sites, devices, header)
        # A value holding a separator, a quote or a line end is one field, as pandas writes it.
        odd = pd.DataFrame({"a": ["x,y", 'say "hi"', "two\nlines", "", "plain"], "b": [1, 2, 3, 4, 5]})
        self.assertEqual(_frames._csv(odd, "odd")[0], odd.to_csv(index=False, lineterminator="\n"))
        self.assertIn('\n"cr\rhere"\n', _frames._csv(pd.DataFrame({"a": ["cr\rhere"]}), "odd")[0])
        one = pd.DataFrame({"site": ["S1", ""]})
        self.assertEqual(_frames._csv(one, "sites")[0], one.to_csv(index=False, lineterminator="\n"))

    def test_usage_errors(self):
        c = slac.load(EXAMPLE)
        with self.assertRaises(slac.UsageError) as e:
            c.evaluate(data=ESTATE, sla="availabilty")
        self.assertIn("did you mean `availability`", str(e.exception))
        self.assertEqual(e.exception.exit_code, 2)
        with self.assertRaises(slac.UsageError):
            c.evaluate(data=os.path.join(SOURCE, "no-such-folder"))
        with self.assertRaises(slac.UsageError):
            c.evaluate(data=ESTATE, set={"target": "lots"})
        with self.assertRaises(slac.UsageError):
            c.evaluate(data=ESTATE, from_=dt.datetime(2026, 3, 1))  # naive: which zone?
        # Year 1 is written 0001 (strftime wrote `1-01-01`, which was "not an RFC 3339 time").
        with self.assertRaisesRegex(slac.UsageError, "time `0001-01-01T00:00:00.000Z` is outside the years 1970-9999"):
            c.evaluate(data=ESTATE, from_=dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc))
        with self.assertRaises(slac.UsageError):
            slac.load(os.path.join(SOURCE, "no-such.sla"))
        sites, devices, events = frames(ESTATE)
        with self.assertRaises(slac.UsageError):
            c.evaluate(sites, devices, None)
        with self.assertRaises(slac.UsageError):
            c.evaluate(sites, devices, events, data=ESTATE)

    def test_a_bad_row_names_its_dataframe_row(self):
        c = slac.load(EXAMPLE)
        sites, devices, events = frames(ESTATE, parse_times=False)
        events.index = [f"r{i}" for i in range(len(events))]
        status = events.index[events["signal"] == "status"][3]
        events.loc[status, "value"] = "broken"
        with self.assertRaises(slac.DataError) as e:
            c.evaluate(sites, devices, events)
        row = list(events.index).index(status)
        self.assertEqual((e.exception.table, e.exception.row), ("events", row))
        self.assertIn(f"events row {row} (index '{status}')", str(e.exception))
        self.assertIn("`broken` is not a value of `status`", str(e.exception))
        # and skipped, counted, with the program's option
        ev = c.evaluate(sites, devices, events, skip_bad_rows=True)
        self.assertEqual(json.loads(ev.to_json())["data"]["skipped_rows"], 1)

    def test_a_bad_row_of_a_folder_names_its_line(self):
        with tempfile.TemporaryDirectory() as d:
            for f in ("sites.csv", "devices.csv"):
                write(os.path.join(d, f), read(os.path.join(ESTATE, f)))
            write(os.path.join(d, "events.csv"), "time,entity,signal,value\n2026-13-01T00:00:00Z,x,status,ok\n")
            with self.assertRaises(slac.DataError) as e:
                slac.load(EXAMPLE).evaluate(data=d)
            self.assertEqual(e.exception.line, 2)
            self.assertTrue(e.exception.file.endswith("events.csv"))

    def test_naive_times_need_a_zone(self):
        sites, devices, events = frames(ESTATE)
        events["time"] = events["time"].dt.tz_convert("Europe/London").dt.tz_localize(None)
        c = slac.load(EXAMPLE)
        with self.assertRaises(slac.DataError) as e:
            c.evaluate(sites, devices, events)
        self.assertIn("events row 0", str(e.exception))
        ev = c.evaluate(sites, devices, events, data_timezone="Europe/London")
        want = json.loads(cli("eval", EXAMPLE, "--data", ESTATE, "--format", "json"))
        self.assertEqual(json.loads(ev.to_json())["results"], want["results"])


class Hostile(unittest.TestCase):
    """What a new user's review found (issue 19): each a UsageError, DataError or
    warning, never a crash, a hang or a silent change."""

    @classmethod
    def setUpClass(cls):
        cls.c = slac.load(EXAMPLE)

    def test_options_out_of_range(self):
        for threads in (0, 257, 40000, 10 ** 12, -1, "2", True):
            with self.assertRaises(slac.UsageError, msg=repr(threads)):
                self.c.evaluate(data=ESTATE, threads=threads)
        with self.assertRaises(slac.UsageError):
            self.c.evaluate(data=ESTATE, time_unit="sec")
        for seed in (-1, 2 ** 64, "1"):
            with self.assertRaises(slac.UsageError, msg=repr(seed)):
                self.c.status(data=ESTATE, as_of="2026-03-15", seed=seed)

    def test_column_names(self):
        sites, devices, events = frames(ESTATE)
        for columns in (["time", " entity", " signal", " value"], ["time", "entity", "signal", "time"]):
            x = events.copy()
            x.columns = columns
            with self.assertRaises(slac.UsageError, msg=repr(columns)):
                self.c.evaluate(sites, devices, x)
        x = events.copy()
        x["x;y"] = 1
        with self.assertRaises(slac.UsageError):
            self.c.evaluate(sites, devices, x)

    def test_rows_with_line_ends_are_counted_as_rows(self):
        sites, devices, events = frames(ESTATE, parse_times=False)
        x = events.head(20).copy()
        x.loc[0, "entity"] = "A\nB\nC"
        x.loc[7, "value"] = "broken"
        x.loc[7, "signal"] = "status"
        with self.assertRaises(slac.DataError) as e:
            self.c.evaluate(sites, devices, x)
        self.assertEqual(e.exception.row, 7)
        self.assertIn("events row 7 (index 7)", str(e.exception))

    def test_rows_left_out_are_warned_of_by_row(self):
        sites, devices, events = frames(ESTATE, parse_times=False)
        x = events.head(200).copy()
        x.loc[3, "entity"] = "nobody"
        with self.assertWarns(slac.DataWarning) as w:
            ev = self.c.evaluate(sites, devices, x)
        self.assertIn("row 3 (index 3)", str(w.warning))
        self.assertEqual(len(ev.data_warnings), 1)
        self.assertIn("`nobody`", ev.data_warnings[0])

    def test_values_that_are_not_values(self):
        sites, devices, events = frames(ESTATE, parse_times=False)
        x = events.head(20).copy().astype(object)
        x.at[5, "value"] = {"v": 1}
        with self.assertRaises(slac.DataError) as e:
            self.c.evaluate(sites, devices, x)
        self.assertEqual(e.exception.row, 5)
        x = events.head(20).copy()
        x.loc[4, "entity"] = "S001-C1\udc80"
        with self.assertRaises(slac.DataError) as e:
            self.c.evaluate(sites, devices, x)
        self.assertIn("events row 4", str(e.exception))
        self.assertLess(len(str(e.exception)), 500)

    def test_a_contract_is_judged_as_loaded(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "contract acme.sla")  # a file whose name reads like a text
            write(path, read(EXAMPLE))
            c = slac.load(path)
            self.assertTrue(slac.check(path).ok)
            write(path, "broken")
            self.assertEqual(c.evaluate(data=ESTATE).to_json(), cli("eval", EXAMPLE, "--data", ESTATE, "--format", "json"))
            self.assertEqual(c.explain(), cli("explain", EXAMPLE).replace(EXAMPLE, path))
        with self.assertRaises(slac.UsageError):
            slac.load(SOURCE)

    def test_empty_results_have_their_columns(self):
        ev = self.c.evaluate(data=ESTATE, to="2026-02-20")
        self.assertEqual(len(ev.results), 0)
        for column in ("met", "penalty", "attainment", "window_start"):
            self.assertIn(column, ev.results.columns)
            self.assertIn(column, ev.verdicts.columns) if column != "attainment" else None
        full = self.c.evaluate(data=ESTATE)
        self.assertTrue(all(isinstance(p, Decimal) for p in full.results["penalty"] if p is not None))


class Docs(unittest.TestCase):
    def test_python_md(self):
        # docs/python.md's examples, run from the repository's root as the page says.
        import doctest

        here = os.getcwd()
        os.chdir(SOURCE)
        try:
            result = doctest.testfile(os.path.join(SOURCE, "docs", "python.md"), module_relative=False,
                                      optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        finally:
            os.chdir(here)
        self.assertGreater(result.attempted, 10)
        self.assertEqual(result.failed, 0)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])

#!/usr/bin/env python3
"""slac.dask.evaluate on a real Dask cluster against the program: the same bytes.

One distributed.LocalCluster of 2 worker processes (one thread each) for the whole test
(ctest `dask`, Debian's python3 with python3-dask and python3-distributed): every case
of tests/eval (every grouping form, `on average`, `mean of`, event measures, `in site
timezone`, DST) and the bundled estate, with rows out of order, unknown ids, a device
without events and a site without devices, give exactly `slac eval --format json`.
Usage: dask_test.py SOURCE_DIR BUILD_DIR
"""
import glob
import json
import os
import sys
import unittest
import warnings

# The paths, the package on sys.path and on the workers' PYTHONPATH (they are processes
# of their own), and the helpers, as the `python` test has them.
from python_test import ESTATE, EXAMPLE, SOURCE, cli, frames as parsed_frames, read

import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import slac  # noqa: E402
import slac.dask  # noqa: E402
import slac.partial  # noqa: E402


def frames(folder):
    return parsed_frames(folder, parse_times=False)


class OnACluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        cls.client = Client(cls.cluster)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.cluster.close()

    def test_every_eval_case(self):
        # Every grouping form of tests/eval, in 3 input partitions and 3 buckets of sites:
        # the JSON is the program's, byte for byte.
        cases = sorted(glob.glob(os.path.join(SOURCE, "tests", "eval", "*", "contract.sla")))
        self.assertGreater(len(cases), 20)
        for path in cases:
            folder = os.path.dirname(path)
            args_file = os.path.join(folder, "args")
            args = read(args_file).split() if os.path.exists(args_file) else []
            options = dict(zip(args[0::2], args[1::2]))
            with self.subTest(case=os.path.basename(folder)):
                want = cli("eval", path, "--data", folder, "--format", "json", *args)
                sites, devices, events = frames(folder)
                ev = slac.dask.evaluate(slac.load(path), dd.from_pandas(events, npartitions=3, sort=False), sites,
                                        devices, partitions=3, from_=options.get("--from"), to=options.get("--to"))
                self.assertEqual(ev.to_json(), want)

    def test_estate_out_of_order_with_strays(self):
        # The bundled estate, its rows shuffled (both read the same order: dask's
        # pieces keep it, so ties at one instant resolve alike), a stray id, an undeclared signal, a
        # device without events and a site without devices: the program's bytes and
        # warnings, whatever the partitions.
        sites, devices, events = frames(ESTATE)
        events = events.sample(frac=1, random_state=7).reset_index(drop=True)
        events.loc[len(events)] = ["2026-02-03T10:00:00Z", "S999-C1", "status", "ok"]
        events.loc[len(events)] = ["2026-02-03T10:00:00Z", "S001-C1", "temperature", "20"]
        devices.loc[len(devices)] = ["S001-C9", "S001"] + [devices.iloc[0, k] for k in range(2, devices.shape[1])]
        sites.loc[len(sites)] = ["S777"] + [sites.iloc[0, k] for k in range(1, sites.shape[1])]
        contract = slac.load(EXAMPLE)
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            want = contract.evaluate(sites, devices, events)
            for partitions, buckets in ((1, 1), (4, 3), (5, 16)):
                got = slac.dask.evaluate(contract, dd.from_pandas(events, npartitions=partitions, sort=False), sites,
                                         devices, partitions=buckets)
                self.assertEqual(got.to_json(), want.to_json(), (partitions, buckets))
                self.assertEqual(json.loads(got.to_json())["data"]["unknown_entities"], 1)
                self.assertEqual(len(got.data_warnings), 2)
                self.assertIn("`S999-C1`, which is not in the inventory (first at events partition", got.data_warnings[1])
        self.assertEqual(got.total_penalty, want.total_penalty)
        self.assertTrue(got.results["attainment"].equals(want.results["attainment"]))

    def test_options_and_errors(self):
        sites, devices, events = frames(ESTATE)
        contract = slac.load(EXAMPLE)
        ddf = dd.from_pandas(events, npartitions=2, sort=False)
        want = cli("eval", EXAMPLE, "--data", ESTATE, "--format", "json", "--sla", "availability", "--set",
                      "target=95%", "--from", "2026-03-01", "--to", "2026-04-01")
        got = slac.dask.evaluate(EXAMPLE, ddf, sites, devices, sla="availability", set={"target": "95%"},
                                 from_="2026-03-01", to="2026-04-01")
        self.assertEqual(got.to_json(), want)
        with self.assertRaises(slac.UsageError):
            slac.dask.evaluate(contract, ddf, sites, devices, sla="availabilty")
        bad = events.copy()
        status = bad.index[bad["signal"] == "status"][5]
        bad.loc[status, "value"] = "broken"
        with self.assertRaises(slac.DataError) as e:
            slac.dask.evaluate(contract, dd.from_pandas(bad, npartitions=2, sort=False), sites, devices)
        self.assertIn(f"events partition 0 row {status} (index {status})", str(e.exception))
        self.assertIn("`broken` is not a value of `status`", str(e.exception))
        skipped = slac.dask.evaluate(contract, dd.from_pandas(bad, npartitions=2, sort=False), sites, devices,
                                     skip_bad_rows=True)
        self.assertEqual(skipped.to_json(), contract.evaluate(sites, devices, bad, skip_bad_rows=True).to_json())
        no_site = devices.copy()
        no_site.loc[0, "site"] = "S404"
        with self.assertRaises(slac.DataError) as e:
            slac.dask.evaluate(contract, ddf, sites, no_site)
        self.assertEqual(e.exception.table, "devices")

    def test_partials_by_hand(self):
        # The Python partial API: two partitions of sites, merged, judged.
        sites, devices, events = frames(ESTATE)
        contract = slac.load(EXAMPLE)
        site_of = dict(zip(devices["device"], devices["site"]))
        owner = events["entity"].map(lambda e: site_of.get(e, e))
        first = sorted(sites["site"])[:7]
        parts = [events[owner.isin(first)], events[~owner.isin(first)]]
        owned = [first, [s for s in sites["site"] if s not in first]]
        whole = sum((slac.partial.scan(contract, sites, devices, p) for p in parts), slac.partial.Scan())
        self.assertEqual(whole.rows, len(events))
        shares = [slac.partial.partial(contract, sites, devices, p, owned_sites=o, whole=whole)
                  for p, o in zip(parts, owned)]
        self.assertTrue(all(isinstance(s, bytes) and s.startswith(b"slac-partial") for s in shares))
        ev = slac.partial.reduce(contract, sites, devices, shares[::-1])
        self.assertEqual(ev.to_json(), contract.evaluate(sites, devices, events).to_json())
        with self.assertRaises(slac.UsageError) as e:
            slac.partial.reduce(contract, sites, devices, shares[:1])
        self.assertIn("no partial holds the devices of 13 sites", str(e.exception))

    def test_partials_that_do_not_add_up(self):
        # A share of rows of unknown ids only (it owns no site) merged twice or left out,
        # a partition with events of a site it does not own, a scan that no data gives,
        # damaged bytes: refused, never judged with the wrong counts.
        sites, devices, events = frames(ESTATE)
        contract = slac.load(EXAMPLE)
        P = slac.partial
        site_of = dict(zip(devices["device"], devices["site"]))
        owner = events["entity"].map(lambda e: site_of.get(e, e))
        first = sorted(sites["site"])[:7]
        stray = events.head(1).assign(entity="S999-C1")
        parts = [events[owner.isin(first)], events[~owner.isin(first)], stray]
        owned = [first, [s for s in sites["site"] if s not in first], []]
        whole = sum((P.scan(contract, sites, devices, p) for p in parts), P.Scan())
        shares = [P.partial(contract, sites, devices, p, owned_sites=o, whole=whole) for p, o in zip(parts, owned)]
        with warnings.catch_warnings(record=True):
            ev = P.reduce(contract, sites, devices, shares)
            self.assertEqual(ev.to_json(), contract.evaluate(sites, devices, pd.concat(parts)).to_json())
        for partials in (shares + shares[2:], shares[:2]):
            with self.assertRaises(slac.UsageError) as e:
                P.reduce(contract, sites, devices, partials)
            self.assertIn("a partition is missing or merged twice", str(e.exception))
        with self.assertRaises(slac.UsageError) as e:
            P.partial(contract, sites, devices, events, owned_sites=first, whole=whole)
        self.assertIn("which it does not own", str(e.exception))
        for odd in (P.Scan(1, -2**63, 2**63 - 1), P.Scan(1, 0, 10**15), P.Scan(0, 1, 2)):
            with self.assertRaises(slac.UsageError) as e:
                P.partial(contract, sites, devices, parts[0], owned_sites=first, whole=odd)
            self.assertIn("the scan of the whole data is not one", str(e.exception))
        with self.assertRaises(slac.UsageError):
            P.partial(contract, sites, devices, parts[0], owned_sites=first, whole=P.Scan(-1))
        with self.assertRaises(TypeError):
            P.partial(contract, sites, devices, parts[0], owned_sites=first, whole=(1, 2, 3))
        with self.assertRaises(TypeError):
            P.partial(contract, sites, devices, parts[0], owned_sites="S001", whole=whole)
        damaged = bytearray(shares[0])
        damaged[len(damaged) // 2] ^= 1
        with self.assertRaises(slac.UsageError) as e:
            P.reduce(contract, sites, devices, [bytes(damaged)] + shares[1:])
        self.assertIn("damaged", str(e.exception))

    def test_partitions_with_other_column_orders(self):
        # Dask lets partitions hold their columns in other orders (compute() aligns
        # them): each is read by its names, not by its place.
        import dask
        sites, devices, events = frames(ESTATE)
        contract = slac.load(EXAMPLE)
        pieces = [events.iloc[:0][["signal", "time", "value", "entity"]], events.iloc[:60000],
                  events.iloc[60000:][["time", "entity", "value", "signal"]].assign(extra="x")]
        ddf = dd.from_delayed([dask.delayed(p) for p in pieces], meta=events.iloc[:0], verify_meta=False)
        for buckets in (1, 3):
            got = slac.dask.evaluate(contract, ddf, sites, devices, partitions=buckets)
            self.assertEqual(got.to_json(), contract.evaluate(sites, devices, events).to_json())
        with self.assertRaises(slac.UsageError):
            slac.dask.evaluate(contract, events, sites, devices, partitions="4")


class Docs(unittest.TestCase):
    def test_dask_section_runs(self):
        # docs/python.md's Dask examples are doctests of the `python` test; here the
        # page is checked to hold them, so that they are not dropped unseen.
        text = read(os.path.join(SOURCE, "docs", "python.md"))
        self.assertTrue("ev = slac.dask.evaluate(contract, events_ddf, sites, devices)" in text)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])

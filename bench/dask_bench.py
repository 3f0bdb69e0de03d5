"""bench/dask.sh's measurements: the CLI, Contract.evaluate and slac.dask.evaluate on 1
and 2 workers, over the same estate; the best of RUNS wall times each, and ratios.
Usage: dask_bench.py CONTRACT DATASET RUNS"""
import os
import subprocess
import sys
import time
import warnings

import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import slac
import slac.dask


def main():
    contract_path, folder, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, ["build/python", os.environ.get("PYTHONPATH")]))
    warnings.simplefilter("ignore", slac.DataWarning)

    def best(f):
        times, out = [], None
        for _ in range(runs):
            t = time.perf_counter()
            out = f()
            times.append(time.perf_counter() - t)
        return min(times), out

    def cli():
        return subprocess.run(["build/slac", "eval", contract_path, "--data", folder, "--format", "json"],
                              capture_output=True, text=True, check=True).stdout

    contract = slac.load(contract_path)
    read = dict(dtype=str, keep_default_na=False)
    sites = pd.read_csv(os.path.join(folder, "sites.csv"), **read)
    devices = pd.read_csv(os.path.join(folder, "devices.csv"), **read)
    events_path = os.path.join(folder, "events.csv")
    size = os.path.getsize(events_path)
    t_read, events = best(lambda: pd.read_csv(events_path, **read))
    print(f"{len(events):,} events, {size / 1e6:.0f} MB of CSV, {len(devices)} devices; best of {runs}")
    t_cli, want = best(cli)
    t_folder, ev = best(lambda: contract.evaluate(data=folder))
    assert ev.to_json() == want
    t_frames, ev = best(lambda: contract.evaluate(sites, devices, events))
    assert ev.to_json() == want
    rows = [("slac eval (CLI, files)", t_cli), ("Contract.evaluate(data=folder)", t_folder),
            ("pandas.read_csv of the events", t_read), ("Contract.evaluate(DataFrames)", t_frames)]
    # Partitions of about 64 MB of CSV, read on the workers.
    blocksize = 64_000_000
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster):
            ddf = dd.read_csv(events_path, blocksize=blocksize, **read)
            t, ev = best(lambda: slac.dask.evaluate(contract, ddf, sites, devices, partitions=ddf.npartitions))
            assert ev.to_json() == want
            rows.append((f"slac.dask.evaluate, {workers} worker{'s' if workers > 1 else ''} "
                         f"({ddf.npartitions} partitions, read_csv included)", t))
            persisted = ddf.persist()
            t, ev = best(lambda: slac.dask.evaluate(contract, persisted, sites, devices, partitions=ddf.npartitions))
            assert ev.to_json() == want
            rows.append((f"slac.dask.evaluate, {workers} worker{'s' if workers > 1 else ''} (events persisted)", t))
    width = max(len(r[0]) for r in rows)
    for name, t in rows:
        print(f"{name:<{width}}  {t:7.2f} s  {t / t_cli:6.1f}x CLI")
    d1 = [t for n, t in rows if "1 worker (events" in n][0]
    d2 = [t for n, t in rows if "2 workers (events" in n][0]
    print(f"2 workers / 1 worker (persisted): {d2 / d1:.2f}; dask 1 worker / Contract.evaluate(DataFrames): "
          f"{d1 / t_frames:.2f}")


if __name__ == "__main__":  # the workers, processes of their own, import this file
    main()

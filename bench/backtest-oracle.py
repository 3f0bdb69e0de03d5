#!/usr/bin/env python3
"""How far is p_meet from the best any model could do? Backtest scenario 2.

An oracle that knows the laws slac-gen drew scenario 2 from (bench/backtest.sh:
after each repair the next failure comes after an exponential time of mean 10 days;
a repair takes an exponential amount of mean 3 hours of its site's business time,
Monday to Friday 08:00-18:00 local; a failure is seen about 10 minutes late) simulates
each sample's rest of the week and scores its own probability against what happened.
Only the samples not failing at T whose p_meet is neither 0 nor 1 are scored (the
oracle does not model a failure in progress).

Usage: SLAC_BACKTEST_DUMP=/tmp/bt2.csv build/slac-backtest bench/backtest-247.sla DIR
       bench/backtest-oracle.py DIR /tmp/bt2.csv [SIMULATIONS]
Prints the number of samples and the Brier scores of the oracle and of p_meet.
"""
import csv
import datetime
import math
import random
import sys
import zoneinfo

HOUR = 3_600_000


def business_end(tz, t, work):
    """The instant (ms) at which `work` ms of business time from t is done."""
    cur = t
    while True:
        local = datetime.datetime.fromtimestamp(cur / 1000, tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if local.weekday() < 5:
            opens = int(midnight.replace(hour=8).timestamp() * 1000)
            closes = int(midnight.replace(hour=18).timestamp() * 1000)
            a = max(cur, opens)
            if a < closes:
                if a + work <= closes:
                    return a + work
                work -= closes - a
        cur = int((midnight + datetime.timedelta(days=1, hours=2)).replace(hour=0).timestamp() * 1000)


def main():
    data, dump = sys.argv[1], sys.argv[2]
    sims = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    zone = {r["site"]: r["timezone"] for r in csv.DictReader(open(f"{data}/sites.csv"))}
    site = {r["device"]: r["site"] for r in csv.DictReader(open(f"{data}/devices.csv"))}
    rng = random.Random(1)
    n = oracle = model = 0.0
    # t, group, window_start, p_meet, met, failing_now, measured_so_far, budget_used, measured_total
    for r in csv.reader(open(dump)):
        t, p, met, failing = int(r[0]), float(r[3]), int(r[4]), r[5] == "1"
        if failing or not 0 < p < 1:
            continue
        so_far, used, total = int(r[6]), int(r[7]), int(r[8])
        window_end = t + (total - so_far)
        left = 0.1 * total - used  # the 90% SLA's budget left
        tz = zoneinfo.ZoneInfo(zone[site[r[1]]])
        ok = 0
        for _ in range(sims):
            at, bad = t, 0
            while True:
                at += -10 * 24 * HOUR * math.log(1 - rng.random())
                if at >= window_end:
                    break
                repaired = business_end(tz, at, int(-3 * HOUR * math.log(1 - rng.random())))
                bad += min(repaired, window_end) - at + 10 * 60_000
                at = repaired
            ok += bad <= left
        po = (ok + 0.5) / (sims + 1)
        oracle += (po - met) ** 2
        model += (p - met) ** 2
        n += 1
    print(f"{int(n)} samples not failing at T; Brier score: oracle {oracle / n:.4f}, p_meet {model / n:.4f}")


if __name__ == "__main__":
    main()

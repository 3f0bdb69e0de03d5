#!/usr/bin/env python3
"""How far is p_meet from the best any model could do? Backtest scenario 2.

An oracle that knows the laws slac-gen drew scenario 2 from (bench/backtest.sh:
after each repair the next failure comes after an exponential time of mean 10 days;
a repair takes an exponential amount of mean 3 hours of its site's business time,
Monday to Friday 08:00-18:00 local; a failure is seen about 10 minutes late) simulates
each sample's rest of the week and scores its own probability against what happened.
A failure in progress at T needs
an exponential amount of business time more (the law has no memory). Samples whose
p_meet is 0 or 1 (breached or secured: settled whatever comes) keep it; the oracle's
skill over the base rate is on all samples, as slac-backtest's.

Usage: SLAC_BACKTEST_DUMP=/tmp/bt2.csv build/slac-backtest bench/backtest-247.sla DIR
       bench/backtest-oracle.py DIR /tmp/bt2.csv [SIMULATIONS]
Prints the Brier scores of the oracle and of p_meet on the samples not failing at T,
on those failing, and on all with the oracle's skill over the base rate.
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
    score = {False: [0, 0.0, 0.0], True: [0, 0.0, 0.0]}  # failing: [samples, oracle, p_meet]
    base_total = 0.0
    rows = list(csv.reader(open(dump)))
    # t, group, window_start, p_meet, met, failing_now, measured_so_far, budget_used,
    # measured_total, base rate
    for r in rows:
        t, p, met, failing = int(r[0]), float(r[3]), int(r[4]), r[5] == "1"
        base_total += (float(r[9]) - met) ** 2
        po = p
        if 0 < p < 1:
            so_far, used, total = int(r[6]), int(r[7]), int(r[8])
            window_end = t + (total - so_far)
            left = 0.1 * total - used  # the 90% SLA's budget left
            tz = zoneinfo.ZoneInfo(zone[site[r[1]]])
            ok = 0
            for _ in range(sims):
                at, bad = t, 0
                if failing:
                    repaired = business_end(tz, at, int(-3 * HOUR * math.log(1 - rng.random())))
                    bad += min(repaired, window_end) - at
                    at = repaired
                while at < window_end:
                    at += -10 * 24 * HOUR * math.log(1 - rng.random())
                    if at >= window_end:
                        break
                    repaired = business_end(tz, at, int(-3 * HOUR * math.log(1 - rng.random())))
                    bad += min(repaired, window_end) - at + 10 * 60_000
                    at = repaired
                ok += bad <= left
            po = (ok + 0.5) / (sims + 1)
        s = score[failing]
        s[0] += 1
        s[1] += (po - met) ** 2
        s[2] += (p - met) ** 2
    for failing in (False, True):
        n, o, m = score[failing]
        print(f"{n} samples {'failing' if failing else 'not failing'} at T; Brier score: oracle {o / n:.4f}, p_meet {m / n:.4f}")
    n = len(rows)
    o = (score[False][1] + score[True][1]) / n
    m = (score[False][2] + score[True][2]) / n
    b = base_total / n
    print(f"all {n} samples: oracle {o:.4f} (skill {100 * (1 - o / b):.1f}%), p_meet {m:.4f} (skill {100 * (1 - m / b):.1f}%), base rate {b:.4f}")

if __name__ == "__main__":
    main()

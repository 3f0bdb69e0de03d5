#!/usr/bin/env python3
"""Every figure of `slac report` is eval's (SPEC 5.5), on every evaluation case.

For each case of tests/eval/ (and the bundled example), writes the report and eval's
JSON with the case's own options, reads the report's HTML, and checks that every
result row is exactly one heat-map cell of its SLA's section carrying the JSON's
figures, that every verdict is one row of its SLA's verdict table, that the breach
table lists exactly the breached, near-miss and charged rows, and that the totals and the data
counts agree. Usage: report_figures.py SLAC SOURCE_DIR WORK_DIR
"""
import json
import os
import subprocess
import sys
from html.parser import HTMLParser


class Report(HTMLParser):
    """The report's elements that carry figures, with their section and table."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.section = None
        self.table = None
        self.tr = None
        self.part = None  # thead, tbody, tfoot
        self.cells = []        # (sla, group, attrs)
        self.verdicts = []     # (sla, attrs)
        self.breaches = []     # (sla, attrs)
        self.totals = {}       # (sla, table class) -> attrs
        self.figures = []      # (sla, class, attrs)
        self.ids = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] = a
        if tag == "section" and "data-sla" in a:
            self.section = a["data-sla"]
        elif tag == "table":
            self.table = a.get("class", "").split()[0] if a.get("class") else None
        elif tag in ("thead", "tbody", "tfoot"):
            self.part = tag
        elif tag == "tr":
            self.tr = a
            if self.table == "verdicts" and self.part == "tbody":
                self.verdicts.append((self.section, a))
            elif self.table == "breaches" and self.part == "tbody":
                self.breaches.append((self.section, a))
            elif self.part == "tfoot":
                self.totals[(self.section, self.table)] = a
        elif tag == "td" and self.table == "heatmap" and "data-window-start" in a:
            self.cells.append((self.section, self.tr["data-group"], a))
        elif tag == "figure" and "class" in a:
            self.figures.append((self.section, a["class"], a))

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None
        elif tag == "table":
            self.table = None


def text(value):
    """A JSON value as the report writes it in a data- attribute (None: absent)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if not isinstance(value, str) else value


def same_number(attribute, value):
    if value is None:
        return attribute is None
    if attribute is None:
        return False
    if isinstance(value, bool):
        return attribute == text(value)
    return float(attribute) == float(value)


def check_case(slac, name, contract, data, args, work):
    out = os.path.join(work, name + ".html")
    run = subprocess.run([slac, "report", contract, "--data", data, "-o", out] + args, capture_output=True, text=True)
    if run.returncode != 0:
        return [f"{name}: report exited {run.returncode}: {run.stderr.strip()}"]
    ev = subprocess.run([slac, "eval", contract, "--data", data, "--format", "json"] + args, capture_output=True, text=True)
    j = json.loads(ev.stdout)
    report = Report()
    with open(out, encoding="utf-8") as f:
        report.feed(f.read())
    problems = []

    def expect(ok, what):
        if not ok:
            problems.append(f"{name}: {what}")

    cells = {}
    for sla, group, a in report.cells:
        key = (sla, group, a["data-window-start"])
        expect(key not in cells, f"two cells for {key}")
        cells[key] = a
    expect(len(cells) == len(j["results"]), f"{len(cells)} heat-map cells for {len(j['results'])} result rows")
    for row in j["results"]:
        key = (row["sla"], row["group"], row["window"]["start"])
        a = cells.get(key)
        if a is None:
            problems.append(f"{name}: no cell for {key}")
            continue
        fields = {"attainment": "data-attainment", "measured_s": "data-measured-s", "good_s": "data-good-s",
                  "outages": "data-outages", "longest_outage_s": "data-longest-outage-s", "penalty": "data-penalty",
                  "met": "data-met", "near_miss": "data-near-miss", "measured_events": "data-measured-events",
                  "good_events": "data-good-events", "rounded_attainment": "data-rounded-attainment"}
        for field, attribute in fields.items():
            if field not in row:
                continue
            expect(same_number(a.get(attribute), row[field]),
                   f"{key} {field}: report {a.get(attribute)!r}, eval {row[field]!r}")
    verdicts = [v for v in report.verdicts]
    expect(len(verdicts) == len(j["verdicts"]), f"{len(verdicts)} verdict rows for {len(j['verdicts'])} verdicts")
    for (sla, a), v in zip(verdicts, j["verdicts"]):
        expect(sla == v["sla"] and a.get("data-window-start") == v["window"]["start"]
               and a.get("data-met") == text(v["met"]) and same_number(a.get("data-penalty"), v["penalty"])
               and same_number(a.get("data-groups"), v["groups"])
               and same_number(a.get("data-groups-met"), v["groups_met"]),
               f"verdict {sla} {a} differs from {v}")
    notable = [(r["sla"], r["group"], r["window"]["start"]) for r in j["results"]
               if r["kind"] == "sla" and (r["met"] is False or r["near_miss"] is True or (r["penalty"] or 0) > 0)]
    listed = [(sla, a["data-group"], a["data-window-start"]) for sla, a in report.breaches]
    expect(sorted(listed) == sorted(notable),
           f"breach table {len(listed)} rows, eval {len(notable)} breaches, near misses and charged rows")
    by_sla = {}
    for v in j["verdicts"]:
        by_sla[v["sla"]] = by_sla.get(v["sla"], 0) + v["penalty"]
    for (sla, table), a in report.totals.items():
        expect(same_number(a.get("data-penalty"), by_sla.get(sla, 0)), f"{sla} {table} total {a.get('data-penalty')}")
    total = report.ids.get("total-penalty", {})
    expect(same_number(total.get("data-amount"), j["totals"]["penalty"]), f"total {total.get('data-amount')}")
    coverage = report.ids.get("coverage", {})
    for field in ("events", "skipped_rows", "unknown_entities", "undeclared_signals"):
        expect(same_number(coverage.get("data-" + field.replace("_", "-")), j["data"][field]), f"coverage {field}")
    period = report.ids.get("period", {})
    expect(period.get("data-from") == j["from"] and period.get("data-to") == j["to"], "period")
    return problems


def main():
    slac, source, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    cases = [("example", os.path.join(source, "examples/acme-retail.sla"), os.path.join(source, "examples/ev-estate"), [])]
    root = os.path.join(source, "tests/eval")
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        args_file = os.path.join(folder, "args")
        args = open(args_file).read().split() if os.path.exists(args_file) else []
        cases.append((name, os.path.join(folder, "contract.sla"), folder, args))
    problems = []
    for case in cases:
        problems += check_case(slac, *case, work)
    for p in problems:
        print(p)
    print(f"{len(cases)} cases, {len(problems)} problems")
    return 1 if problems or len(cases) < 10 else 0


if __name__ == "__main__":
    sys.exit(main())

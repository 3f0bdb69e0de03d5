#!/usr/bin/env python3
"""slac reads PostgreSQL as it reads files (docs/data.md, issue 17), on a real server.

Starts its own PostgreSQL (scripts/pg-server.sh: Debian's package, initdb and pg_ctl in
a temporary folder, Unix socket only) and stops it at the end, also when a check
fails. Loads every evaluation case of tests/eval/, the bundled example and estates made
by slac-gen into schemas of their own with COPY, and checks that `eval` (every case),
`status` and `whatif` (the example and the estates) print byte for byte what they print
for the CSV files, except the `data` block, whose `undeclared_signals` is 0 for a
database (undeclared signals are not read). Then the forms a database holds (bigint
epoch ms, timestamp without time zone, jsonb values, integer ids, renamed relations
and columns through --data-map, an order column), the rule for rows at one instant,
and the bad inputs: each a clear error naming the relation, the column and the row,
never the password.

Without the server binaries it fails under CI and skips loudly (exit 77) elsewhere.
Usage: postgres_test.py SLAC SLAC_GEN SOURCE_DIR WORK_DIR
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SLAC, GEN, SOURCE, WORK = sys.argv[1:5]
PG_SERVER = os.path.join(SOURCE, "scripts", "pg-server.sh")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def slac(*args):
    return run([SLAC, *args])


class Server:
    def __init__(self):
        # A short path (the socket's must fit in 107 bytes), traversable by the
        # `postgres` user when the tests run as root.
        self.top = tempfile.mkdtemp(prefix="slac-pg-")
        os.chmod(self.top, 0o755)
        self.dir = os.path.join(self.top, "s")
        started = run([PG_SERVER, "start", self.dir])
        if started.returncode != 0:
            raise RuntimeError("could not start PostgreSQL: " + started.stderr)
        self.uri = started.stdout.strip()

    def stop(self):
        run([PG_SERVER, "stop", self.dir])
        shutil.rmtree(self.top, ignore_errors=True)

    def psql(self, sql):
        r = run(["psql", self.uri, "-v", "ON_ERROR_STOP=1", "-q", "-X", "-A", "-t"], input=sql)
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr + "\n" + sql[:2000])
        return r.stdout


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def header(path):
    with open(path, newline="") as f:
        return next(csv.reader(f))


def load_folder(server, schema, folder, events_sql=None):
    """A dataset folder into `schema`: sites and devices with text columns, events with
    a timestamptz time and a `seq` column in file order."""
    sql = [f"DROP SCHEMA IF EXISTS {ident(schema)} CASCADE; CREATE SCHEMA {ident(schema)};"]
    for table in ("sites", "devices"):
        path = os.path.join(folder, table + ".csv")
        cols = ", ".join(f"{ident(c)} text" for c in header(path))
        sql.append(f"CREATE TABLE {ident(schema)}.{table} ({cols});")
        sql.append(f"\\copy {ident(schema)}.{table} FROM '{path}' WITH (FORMAT csv, HEADER)")
    sql.append(
        f"CREATE TABLE {ident(schema)}.events (seq bigserial, time timestamptz, entity text, signal text, value text);")
    sql.append(f"\\copy {ident(schema)}.events (time, entity, signal, value) FROM '{os.path.join(folder, 'events.csv')}' "
               "WITH (FORMAT csv, HEADER)")
    # The index that lets slac leave out the history a span does not need.
    sql.append(f"CREATE INDEX ON {ident(schema)}.events (entity, signal, time);")
    if events_sql:
        sql.append(events_sql.replace("SCHEMA", ident(schema)))
    server.psql("\n".join(sql))


def without_data(out):
    """The output with its `data` block taken out, and that block."""
    lines = out.splitlines(keepends=True)
    kept, data = [], None
    for line in lines:
        if line.lstrip().startswith('"data": {'):
            data = json.loads("{" + line.strip().rstrip(",") + "}")["data"]
        else:
            kept.append(line)
    return "".join(kept), data


def same_as_files(what, files, db, history_left_out=False):
    check(files.returncode == db.returncode,
          f"{what}: exit {db.returncode} from the database, {files.returncode} from files\n{db.stderr}")
    a, da = without_data(files.stdout)
    b, db_data = without_data(db.stdout)
    check(a == b, f"{what}: the database's output differs from the files'\n--- files\n{a[:3000]}\n--- database\n{b[:3000]}")
    if da is not None or db_data is not None:
        expect = dict(da or {})
        if "undeclared_signals" in expect:
            expect["undeclared_signals"] = 0
        if history_left_out:
            # Fewer rows read, as many or fewer of them skipped or unknown.
            def read(counts):
                return counts["events"] + counts["skipped_rows"] + counts["unknown_entities"]
            check(read(db_data) < read(expect), f"{what}: the history was read whole: {db_data} against {expect}")
        else:
            check(expect == db_data, f"{what}: data block {db_data}, expected {expect}")


def case_args(folder):
    path = os.path.join(folder, "args")
    return open(path).read().split() if os.path.exists(path) else []


def write_map(name, body):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        json.dump(body, f)
    return path


def differential(server):
    ordered = write_map("ordered.json", {"events": {"order": "seq"}})
    cases = sorted(os.listdir(os.path.join(SOURCE, "tests", "eval")))
    for case in cases:
        folder = os.path.join(SOURCE, "tests", "eval", case)
        load_folder(server, "case_" + case, folder)
        contract = os.path.join(folder, "contract.sla")
        args = case_args(folder) + ["--format", "json"]
        files = slac("eval", contract, "--data", folder, *args)
        check(files.returncode == 0, f"{case}: eval on files failed: {files.stderr}")
        with_order = slac("eval", contract, "--data", server.uri, "--data-schema", "case_" + case, "--data-map", ordered, *args)
        same_as_files(f"{case} (order column)", files, with_order)
        plain = slac("eval", contract, "--data", server.uri, "--data-schema", "case_" + case, *args)
        if "where one entity's signal has rows with different values" in plain.stderr:
            # Rows at one instant with different values: without an order column the
            # greatest wins, which the file's order need not agree with.
            print(f"{case}: ties at one instant, resolved by value:", plain.stderr.strip().splitlines()[-1])
        else:
            same_as_files(case, files, plain)
    print(f"eval on {len(cases)} cases: database = files")

    # The example and generated estates: eval, status, whatif.
    estates = [("example", os.path.join(SOURCE, "examples", "ev-estate"))]
    for name, extra in [("gen_a", ["--seed", "5"]), ("gen_b", ["--seed", "9", "--whole-seconds", "--sessions", "0.7"])]:
        out = os.path.join(WORK, name)
        if not os.path.exists(os.path.join(out, "events.csv")):
            r = run([GEN, "--sites", "6", "--devices-per-site", "3", "--days", "70", "--start", "2026-01-01",
                     "--heartbeat-minutes", "30", "--fault-days", "5", *extra, "--out", out])
            check(r.returncode == 0, f"slac-gen {name}: {r.stderr}")
        estates.append((name, out))
    contract = os.path.join(SOURCE, "examples", "acme-retail.sla")
    for name, folder in estates:
        load_folder(server, name, folder)
        db = ["--data", server.uri, "--data-schema", name, "--data-map", ordered]
        for command in (["eval", "--format", "json"], ["eval", "--format", "csv"],
                        ["status", "--as-of", "2026-02-17T11:00:00Z", "--format", "json"],
                        ["whatif", "--sla", "availability", "--sweep", "target=85%..99%/2%", "--format", "json"]):
            files = slac(command[0], contract, "--data", folder, *command[1:])
            check(files.returncode in (0,), f"{name} {command[0]} on files: {files.stderr}")
            same_as_files(f"{name} {' '.join(command)}", files, slac(command[0], contract, *db, *command[1:]))
        # A span after the data begins: the history before it (beyond what the plan
        # looks back) is left out of the read, and every judged figure is the same.
        span = ["--from", "2026-02-01", "--to", "2026-03-01"]
        for command in (["eval", "--format", "json"], ["eval", "--format", "csv"]):
            files = slac(command[0], contract, "--data", folder, *span, *command[1:])
            db_run = slac(command[0], contract, *db, *span, *command[1:])
            # The example's data begins on 1 February: nothing to leave out there.
            same_as_files(f"{name} {' '.join(command)} from February", files, db_run, history_left_out=name != "example")
        report_files = os.path.join(WORK, name + "-files.html")
        report_db = os.path.join(WORK, name + "-db.html")
        slac("report", contract, "--data", folder, "-o", report_files, "--as-of", "2026-02-17T11:00:00Z")
        r = slac("report", contract, *db, "-o", report_db, "--as-of", "2026-02-17T11:00:00Z")
        check(r.returncode == 0 and open(report_files).read() == open(report_db).read(), f"{name}: report differs\n{r.stderr}")
    print(f"eval, status, whatif, report on {len(estates)} estates: database = files")


def forms(server):
    """The column types and names a database holds, read as the text forms are."""
    folder = os.path.join(SOURCE, "examples", "ev-estate")
    contract = os.path.join(SOURCE, "examples", "acme-retail.sla")
    args = ["--from", "2026-02-01", "--to", "2026-03-01", "--format", "json"]
    files = slac("eval", contract, "--data", folder, *args)
    load_folder(server, "forms", folder)
    # bigint epoch milliseconds, jsonb values (numbers and booleans as JSON's own).
    server.psql("""
      CREATE TABLE forms.events_ms AS SELECT seq, (extract(epoch FROM time) * 1000)::bigint AS time, entity, signal,
        CASE WHEN value ~ '^-?[0-9.]+$' THEN to_jsonb(value::numeric)
             WHEN value IN ('true', 'false') THEN to_jsonb(value::boolean)
             ELSE to_jsonb(value) END AS value FROM forms.events;
      CREATE TABLE forms.events_local AS SELECT seq, time AT TIME ZONE 'Asia/Tokyo' AS time, entity, signal, value FROM forms.events;
      CREATE SCHEMA telemetry;
      CREATE TABLE telemetry.site_list AS SELECT * FROM forms.sites;
      ALTER TABLE telemetry.site_list RENAME COLUMN site TO "SiteCode";
      CREATE TABLE telemetry.chargers AS SELECT * FROM forms.devices;
      ALTER TABLE telemetry.chargers RENAME COLUMN device TO charger_id;
      ALTER TABLE telemetry.chargers RENAME COLUMN site TO site_code;
      CREATE VIEW telemetry.charger_events AS SELECT seq AS id, time AS ts, entity AS device_id, signal AS kind,
        value::text AS payload FROM forms.events;
    """)
    ms = write_map("ms.json", {"events": {"relation": "events_ms", "order": "seq"}})
    same_as_files("bigint epoch ms, jsonb values", files,
                  slac("eval", contract, "--data", server.uri, "--data-schema", "forms", "--data-map", ms, *args))
    local = write_map("local.json", {"events": {"relation": "events_local", "order": "seq"}})
    same_as_files("timestamp without time zone, --data-timezone", files,
                  slac("eval", contract, "--data", server.uri, "--data-schema", "forms", "--data-map", local,
                       "--data-timezone", "Asia/Tokyo", *args))
    r = slac("eval", contract, "--data", server.uri, "--data-schema", "forms", "--data-map", local, *args)
    check(r.returncode == 3 and "forms.events_local.time` is a timestamp without time zone" in r.stderr
          and "--data-timezone" in r.stderr, f"timestamp without --data-timezone: {r.returncode} {r.stderr}")
    renamed = write_map("renamed.json", {
        "schema": "telemetry",
        "sites": {"relation": "site_list", "columns": {"site": "SiteCode"}},
        "devices": {"relation": "chargers", "columns": {"device": "charger_id", "site": "site_code"}},
        "events": {"relation": "charger_events", "order": "id",
                   "columns": {"time": "ts", "entity": "device_id", "signal": "kind", "value": "payload"}},
    })
    same_as_files("renamed relations and columns (a view)", files,
                  slac("eval", contract, "--data", server.uri, "--data-map", renamed, *args))
    print("bigint, jsonb, timestamp, renamed relations: database = files")


def ties(server):
    """Rows of one entity and signal at one instant: the order column decides; without
    one, the greatest value, with a warning that counts the instants."""
    d = os.path.join(WORK, "ties")
    os.makedirs(d, exist_ok=True)
    contract = os.path.join(d, "ties.sla")
    with open(contract, "w") as f:
        f.write('contract "ties"\n  timezone "UTC"\n\nsignal up : bool\n\n'
                'kpi uptime {\n  in any calendar day, on any device,\n  up\n}\n')
    with open(os.path.join(d, "sites.csv"), "w") as f:
        f.write("site\ns1\n")
    with open(os.path.join(d, "devices.csv"), "w") as f:
        f.write("device,site\nd1,s1\nd2,s1\n")
    # d1: down then up at 00:00 (file order: up last). d2: up then down at 00:00 (down last).
    with open(os.path.join(d, "events.csv"), "w") as f:
        f.write("time,entity,signal,value\n"
                "2026-03-01T00:00:00Z,d1,up,false\n2026-03-01T00:00:00Z,d1,up,true\n"
                "2026-03-01T00:00:00Z,d2,up,true\n2026-03-01T00:00:00Z,d2,up,false\n"
                "2026-03-01T12:00:00Z,d2,up,false\n2026-03-01T12:00:00Z,d2,up,false\n"
                "2026-03-02T00:00:00Z,d1,up,true\n")
    load_folder(server, "ties", d)
    args = ["--from", "2026-03-01", "--to", "2026-03-02", "--format", "json"]
    files = slac("eval", contract, "--data", d, *args)
    ordered = write_map("ordered.json", {"events": {"order": "seq"}})
    same_as_files("ties with an order column", files,
                  slac("eval", contract, "--data", server.uri, "--data-schema", "ties", "--data-map", ordered, *args))
    plain = slac("eval", contract, "--data", server.uri, "--data-schema", "ties", *args)
    check(plain.returncode == 0, f"ties: {plain.stderr}")
    check("2 instants where one entity's signal has rows with different values" in plain.stderr,
          f"ties: the warning counts the two instants with different values, not the equal pair: {plain.stderr}")
    rows = {r["group"]: r for r in json.loads(plain.stdout)["results"]}
    # Greatest value: true wins for both at 00:00, so d2 is up until 12:00 (50%).
    check(rows["d1"]["attainment"] == 1 and rows["d2"]["attainment"] == 0.5,
          f"ties: greatest value wins: {json.dumps(rows)}")
    print("ties at one instant: order column, then greatest value with a warning")


def files_lines(folder):
    with open(os.path.join(folder, "events.csv")) as f:
        return f.readlines()


def values(server):
    """Numbers stored as double precision (whose text may have an exponent) read as
    exactly as the same numbers in a file; JSON arrays and objects refused; equal order
    values ordered by value whatever their place on disk."""
    d = os.path.join(WORK, "values")
    os.makedirs(d, exist_ok=True)
    contract = os.path.join(d, "values.sla")
    with open(contract, "w") as f:
        f.write('contract "values"\n  timezone "UTC"\n\nsignal temp : number\nsignal mode : enum { fault, ok }\n\n'
                'state tiny = temp < 0.00005\n'
                'state exact = temp == 123456.79 or temp == 1234567.891234567\n\n'
                'kpi exact {\n  in any calendar day, on any device,\n  exact\n}\n'
                'kpi tiny {\n  in any calendar day, on any device,\n  tiny\n}\n'
                'kpi running {\n  in any calendar day, on any device,\n  mode == ok\n}\n')
    with open(os.path.join(d, "sites.csv"), "w") as f:
        f.write("site\ns1\n")
    with open(os.path.join(d, "devices.csv"), "w") as f:
        f.write("device,site\nd1,s1\n")
    with open(os.path.join(d, "events.csv"), "w") as f:
        f.write("time,entity,signal,value\n2026-03-01T00:00:00Z,d1,temp,0.00001\n2026-03-01T06:00:00Z,d1,temp,0.0000001\n"
                "2026-03-01T12:00:00Z,d1,temp,120000000000000000\n2026-03-01T18:00:00Z,d1,temp,0.000049999\n"
                "2026-03-01T19:00:00Z,d1,temp,0.0000500001234567\n2026-03-01T00:00:00Z,d1,mode,ok\n")
    args = ["--from", "2026-03-01", "--to", "2026-03-02", "--format", "json"]
    files = slac("eval", contract, "--data", d, *args)
    server.psql("""
      DROP SCHEMA IF EXISTS vals CASCADE; CREATE SCHEMA vals;
      CREATE TABLE vals.sites (site text); INSERT INTO vals.sites VALUES ('s1');
      CREATE TABLE vals.devices (device text, site text); INSERT INTO vals.devices VALUES ('d1', 's1');
      CREATE TABLE vals.events (grp integer, time timestamptz, entity text, signal text, value double precision, mode text);
      INSERT INTO vals.events VALUES (1, '2026-03-01T00:00:00Z', 'd1', 'temp', 0.00001, NULL),
        (2, '2026-03-01T06:00:00Z', 'd1', 'temp', 1e-7, NULL), (3, '2026-03-01T12:00:00Z', 'd1', 'temp', 1.2e17, NULL),
        (4, '2026-03-01T18:00:00Z', 'd1', 'temp', 0.000049999, NULL),
        (5, '2026-03-01T19:00:00Z', 'd1', 'temp', 0.0000500001234567, NULL);
      CREATE VIEW vals.floats AS SELECT grp, time, entity, signal, value FROM vals.events;
      CREATE TABLE vals.modes (grp integer, time timestamptz, entity text, signal text, value text);
      INSERT INTO vals.modes VALUES (NULL, '2026-03-01T00:00:00Z', 'd1', 'mode', 'ok'), (1, '2026-03-01T00:00:00Z', 'd1', 'mode', 'fault'),
        (1, '2026-03-01T00:00:00Z', 'd1', 'mode', 'ok'), (1, '2026-03-01T00:00:00Z', 'd1', 'mode', 'fault');
      CREATE TABLE vals.json (time timestamptz, entity text, signal text, value jsonb);
      INSERT INTO vals.json VALUES ('2026-03-01T00:00:00Z', 'd1', 'temp', '[1, 2]');
      CREATE VIEW vals.failing AS SELECT time, entity, signal, (1 / (grp - 2))::text AS value FROM vals.events;
    """)
    floats = write_map("floats.json", {"events": {"relation": "floats"}})
    r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", floats, "--sla", "tiny", *args)
    only_temp = os.path.join(WORK, "values-temp")
    shutil.rmtree(only_temp, ignore_errors=True)
    shutil.copytree(d, only_temp)
    with open(os.path.join(only_temp, "events.csv"), "w") as out:
        out.writelines(line for line in files_lines(d) if ",mode," not in line)
    f = slac("eval", contract, "--data", only_temp, "--sla", "tiny", *args)
    same_as_files("double precision values (1e-05, 1e-07, 1.2e+17)", f, r)
    # Every digit of the shortest text: a real 123456.79, a double 1234567.891234567.
    server.psql("""CREATE TABLE vals.reals (time timestamptz, entity text, signal text, value real);
      INSERT INTO vals.reals VALUES ('2026-03-01T00:00:00Z', 'd1', 'temp', 123456.79), ('2026-03-01T12:00:00Z', 'd1', 'temp', 1);
      CREATE TABLE vals.doubles (time timestamptz, entity text, signal text, value double precision);
      INSERT INTO vals.doubles VALUES ('2026-03-01T00:00:00Z', 'd1', 'temp', 1234567.891234567), ('2026-03-01T12:00:00Z', 'd1', 'temp', 1);""")
    for relation in ("reals", "doubles"):
        m = write_map(relation + ".json", {"events": {"relation": relation}})
        r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", m, "--sla", "exact", *args)
        check(r.returncode == 0 and json.loads(r.stdout)["results"][0]["attainment"] == 0.5,
              f"every digit of a {relation[:-1]}: {r.returncode} {r.stdout[:600]} {r.stderr}")
    # Equal order values: by the value's text (`ok` after `fault`), NULL first; the same
    # after an update that moves the rows on disk.
    modes = write_map("modes.json", {"events": {"relation": "modes", "order": "grp"}})
    def running():
        r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", modes, "--sla", "running", *args)
        check(r.returncode == 0, f"order ties: {r.stderr}")
        return json.loads(r.stdout)["results"][0]["attainment"] if r.returncode == 0 else None
    first = running()
    server.psql("UPDATE vals.modes SET grp = grp WHERE value = 'ok'")
    check(first == 1 and running() == 1, f"equal order values: `ok` wins, wherever it is on disk: {first}")
    jsonmap = write_map("json.json", {"events": {"relation": "json"}})
    r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", jsonmap, *args)
    check(r.returncode == 3 and "`value` is a JSON array; values are strings, numbers, booleans or null" in r.stderr,
          f"a JSON array: {r.returncode} {r.stderr}")
    # A `json` (not jsonb) string holding \u0000: a bad row, not a failed query.
    server.psql("""CREATE TABLE vals.nul (time timestamptz, entity text, signal text, value json);
      INSERT INTO vals.nul VALUES ('2026-03-01T00:00:00Z', 'd1', 'mode', '"ok"'), ('2026-03-01T01:00:00Z', 'd1', 'mode', '"o\\u0000k"'),
        ('2026-03-01T02:00:00Z', 'd1', 'mode', '"a\\\\u0000"');""")
    nul = write_map("nul.json", {"events": {"relation": "nul"}})
    r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", nul, "--sla", "running", *args)
    check(r.returncode == 3 and "time=2026-03-01T01:00:00Z" in r.stderr and "holds \\u0000, a NUL" in r.stderr,
          f"a json string holding \\u0000: {r.returncode} {r.stderr}")
    r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", nul, "--sla", "running",
             "--skip-bad-rows", *args)
    # The escaped backslash before `u0000` is text, and not `ok`: a bad value, skipped too.
    check(r.returncode == 0 and json.loads(r.stdout)["data"]["skipped_rows"] == 2, f"--skip-bad-rows: {r.stderr}")
    failing = write_map("failing.json", {"events": {"relation": "failing"}})
    r = slac("eval", contract, "--data", server.uri, "--data-schema", "vals", "--data-map", failing, *args)
    check(r.returncode == 3 and "cannot read `vals.failing`" in r.stderr and "division by zero" in r.stderr,
          f"a server error midway is the server's own words: {r.returncode} {r.stderr}")
    print("double precision, equal order values, JSON arrays, server errors midway")


def history_edges(server):
    """The history a span needs, at its edges: a pair's last rows before the cut in one
    millisecond but different microseconds, a bad row there with --skip-bad-rows, and
    ids under a collation that takes `a` for `A`."""
    d = os.path.join(WORK, "edges")
    os.makedirs(d, exist_ok=True)
    contract = os.path.join(d, "edges.sla")
    with open(contract, "w") as f:
        f.write('contract "edges"\n  timezone "UTC"\n\nsignal status : enum { ok, fault }\n\n'
                'sla up {\n  in any calendar day, on any device,\n  status == ok for at least 90%\n}\n')
    with open(os.path.join(d, "sites.csv"), "w") as f:
        f.write("site\nS1\n")
    with open(os.path.join(d, "devices.csv"), "w") as f:
        f.write("device,site\nA,S1\nB,S1\n")
    with open(os.path.join(d, "events.csv"), "w") as f:
        f.write("time,entity,signal,value\n"
                "2026-01-01T00:00:00Z,A,status,fault\n2026-01-10T00:00:00Z,A,status,ok\n"
                "2026-01-20T00:00:00Z,A,status,sideways\n2026-03-02T12:00:00Z,A,status,ok\n"
                "2026-01-01T00:00:00Z,B,status,fault\n2026-01-20T00:00:00.0009Z,B,status,fault\n"
                "2026-01-20T00:00:00.0001Z,B,status,ok\n2026-01-25T00:00:00Z,a,status,fault\n")
    load_folder(server, "edges", d)
    server.psql("CREATE COLLATION IF NOT EXISTS edges.loose (provider = icu, locale = 'und-u-ks-level2', deterministic = false);")
    ordered = write_map("ordered.json", {"events": {"order": "seq"}})
    args = ["--from", "2026-03-01", "--to", "2026-03-03", "--format", "json", "--skip-bad-rows"]
    db = ["--data", server.uri, "--data-schema", "edges", "--data-map", ordered]
    same_as_files("a bad row at a pair's last instant, --skip-bad-rows", slac("eval", contract, "--data", d, *args),
                  slac("eval", contract, *db, *args))
    server.psql("DELETE FROM edges.events WHERE value = 'sideways'")
    with open(os.path.join(d, "events.csv")) as f:
        kept = [line for line in f if "sideways" not in line]
    with open(os.path.join(d, "events.csv"), "w") as f:
        f.writelines(kept)
    args = args[:-1]
    same_as_files("rows of one millisecond in different microseconds", slac("eval", contract, "--data", d, *args),
                  slac("eval", contract, *db, *args), history_left_out=True)
    server.psql("DROP INDEX edges.events_entity_signal_time_idx; "
                "ALTER TABLE edges.events ALTER COLUMN entity TYPE text COLLATE edges.loose; "
                "CREATE INDEX ON edges.events (entity, signal, time);")
    same_as_files("ids under a nondeterministic collation", slac("eval", contract, "--data", d, *args),
                  slac("eval", contract, *db, *args))
    print("the history a span needs: milliseconds, skipped rows, collations")


def bad_input(server):
    folder = os.path.join(SOURCE, "examples", "ev-estate")
    contract = os.path.join(SOURCE, "examples", "acme-retail.sla")
    load_folder(server, "bad", folder)
    args = ["--from", "2026-02-01", "--to", "2026-03-01", "--format", "json"]

    def expect(what, result, code, *texts, absent=()):
        ok = result.returncode == code and all(t in result.stderr for t in texts) and not any(a in result.stderr for a in absent)
        check(ok, f"{what}: exit {result.returncode}, expected {code} with {texts}:\n{result.stderr}")

    secret = "s3cr3t-pw"
    host = server.dir
    expect("connection refused, password in the URI",
           slac("eval", contract, "--data", f"postgresql://slac:{secret}@/slac?host={host}-nowhere&port=5432", *args),
           3, "cannot connect", "postgresql://slac:***@/slac", absent=(secret,))
    expect("password as a parameter",
           slac("eval", contract, "--data", f"postgresql:///nosuchdb?host={host}&password={secret}&user=slac", *args),
           3, "cannot connect", "slac:***@", "nosuchdb", absent=(secret,))
    db = ["--data", server.uri, "--data-schema", "bad"]
    expect("missing relation", slac("eval", contract, "--data", server.uri, "--data-schema", "nosuch", *args), 3,
           "no relation `nosuch.sites`")
    missing = write_map("missing.json", {"events": {"columns": {"value": "payload"}}})
    expect("missing column", slac("eval", contract, *db, "--data-map", missing, *args), 3,
           "`bad.events` has no column `payload`")
    typo = write_map("typo.json", {"events": {"colums": {}}})
    expect("a key the map does not take", slac("eval", contract, *db, "--data-map", typo, *args), 3,
           "typo.json: `events` has no key `colums`")
    typo_attribute = write_map("typo_attribute.json", {"sites": {"columns": {"timezon": "tz"}}})
    expect("a map column that is no attribute", slac("eval", contract, *db, "--data-map", typo_attribute, *args), 3,
           "typo_attribute.json: `sites.columns` names `timezon`, which is not `site` nor a site attribute of the contract")
    missing_attribute = write_map("missing_attribute.json", {"sites": {"columns": {"timezone": "tz"}}})
    expect("a mapped attribute column that is not there", slac("eval", contract, *db, "--data-map", missing_attribute, *args), 3,
           "`bad.sites` has no column `tz`")
    typo_column = write_map("typo_column.json", {"events": {"columns": {"tiem": "ts"}}})
    expect("a map key for events that is no column", slac("eval", contract, *db, "--data-map", typo_column, *args), 3,
           "`events.columns` has no key `tiem` (it takes time, entity, signal, value)")
    expect("an unencoded @ in a password",
           slac("eval", contract, "--data", f"postgresql://slac:pa@{secret}@/slac?host={host}", *args), 3,
           "percent-encode an `@`", absent=(secret,))
    expect("a connection string that is not a URI",
           slac("eval", contract, "--data", f"host={host} password={secret}", *args), 2,
           "not a PostgreSQL URI", absent=(secret,))
    expect("a map for a folder", slac("eval", contract, "--data", folder, "--data-map", typo, *args), 2,
           "--data-map names a database's relations")

    def mutate(sql):
        server.psql(f"BEGIN; {sql}; COMMIT;")

    # A NULL where a value is required, a value of the wrong type, an infinite time.
    mutate("UPDATE bad.events SET time = NULL WHERE seq = 10")
    row10 = server.psql("SELECT entity || ' ' || signal FROM bad.events WHERE seq = 10").split()
    expect("NULL time", slac("eval", contract, *db, *args), 3, "bad.events row (time=NULL", f"entity=`{row10[0]}`",
           "`time` is NULL")
    skipped = slac("eval", contract, *db, "--skip-bad-rows", *args)
    check(skipped.returncode == 0 and json.loads(skipped.stdout)["data"]["skipped_rows"] == 1
          and "skipped 1 bad row; the first: bad.events row (time=NULL" in skipped.stderr,
          f"--skip-bad-rows: {skipped.returncode} {skipped.stderr}")
    mutate("UPDATE bad.events SET time = 'infinity' WHERE seq = 10")
    expect("infinite time", slac("eval", contract, *db, *args), 3, "`time` is infinity")
    mutate("UPDATE bad.events SET time = '2026-02-03T04:05:06.789Z' WHERE seq = 10")
    status_row = server.psql("SELECT seq FROM bad.events WHERE signal = 'status' ORDER BY seq LIMIT 1").strip()
    mutate(f"UPDATE bad.events SET value = 'sideways' WHERE seq = {status_row}")
    expect("a value outside its enum", slac("eval", contract, *db, *args), 3, "bad.events row (time=", "signal=`status`",
           "`sideways` is not a value of `status`")
    mutate(f"UPDATE bad.events SET value = NULL WHERE seq = {status_row}")
    expect("a NULL value", slac("eval", contract, *db, *args), 3, "signal=`status`, value=NULL): `status` needs a value")
    # Inventory rows: a NULL id, a device at a site that is not listed.
    mutate("UPDATE bad.devices SET site = 'S999' WHERE device = (SELECT min(device) FROM bad.devices)")
    expect("a device at an unknown site", slac("eval", contract, *db, *args), 3, "bad.devices row (device=`",
           "site=`S999`", "which is not in bad.sites")
    mutate("ALTER TABLE bad.sites ALTER COLUMN site TYPE integer USING NULL")
    expect("NULL site id (an integer column)", slac("eval", contract, *db, *args), 3, "bad.sites row (site=``): the site id is NULL or empty")
    # No row of a declared signal: the signals the relation holds are named.
    mutate("CREATE TABLE forms.upper AS SELECT time, entity, upper(signal) AS signal, value FROM forms.events")
    upper = write_map("upper.json", {"events": {"relation": "upper"}})
    expect("signals of another spelling", slac("eval", contract, "--data", server.uri, "--data-schema", "forms", "--data-map", upper,
                                               "--format", "json"), 3,
           "warning: forms.upper: no events: none of its rows is of a signal the contract declares; its signals include `HEARTBEAT`",
           "forms.upper: no events (no rows of the signals the contract declares)")
    # A type slac does not read as a time (the inventory of `forms` is sound).
    mutate("CREATE TABLE forms.ev_date AS SELECT time::date AS time, entity, signal, value FROM forms.events")
    dates = write_map("dates.json", {"events": {"relation": "ev_date"}})
    expect("a date column as time", slac("eval", contract, "--data", server.uri, "--data-schema", "forms", "--data-map", dates, *args),
           3, "`forms.ev_date.time` is of type date")
    print("bad input: clear errors naming relation, column and row; no password")


def matches(expected, actual):
    """Whether `actual` is `expected`, where a line `...` stands for any lines (as in
    tests/docs_test.cpp)."""
    pattern = ""
    for line in expected.splitlines():
        pattern += r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n"
    if actual and not actual.endswith("\n"):
        actual += "\n"
    return re.fullmatch(pattern, actual) is not None


def docs(server):
    """docs/data.md: its ```sql blocks run in psql from the repository's root, then its
    ```console-postgresql commands print what the page shows."""
    text = open(os.path.join(SOURCE, "docs", "data.md")).read().splitlines()
    blocks, kind, body = [], None, []
    for line in text:
        if kind is None and line in ("```sql", "```console-postgresql"):
            kind, body = line[3:], []
        elif kind is not None and line == "```":
            blocks.append((kind, body))
            kind = None
        elif kind is not None:
            body.append(line)
    env = dict(os.environ, PGHOST=server.dir, PGPORT="5432", PGUSER="slac")
    commands = 0
    for kind, body in blocks:
        if kind == "sql":
            if any("timescaledb" in line for line in body):
                continue  # the TimescaleDB example: no extension in Debian's server
            r = run(["psql", server.uri, "-v", "ON_ERROR_STOP=1", "-q", "-X"], input="\n".join(body) + "\n", cwd=SOURCE)
            check(r.returncode == 0, f"docs/data.md sql: {r.stderr}")
            continue
        command, expected = None, []
        for line in body + ["$ "]:
            if line.startswith("$ "):
                if command:
                    r = run([SLAC, *command.split()[1:]], cwd=SOURCE, env=env)
                    printed = r.stderr + r.stdout
                    check(matches("\n".join(expected), printed), f"docs/data.md: {command}\n--- shown\n" +
                          "\n".join(expected) + f"\n--- printed\n{printed}")
                    # The same data from the folder prints the same.
                    if "--data-schema acme" in command:
                        folder = command.replace("--data postgresql:///slac --data-schema acme", "--data examples/ev-estate")
                        f = run([SLAC, *folder.split()[1:]], cwd=SOURCE)
                        check(f.stderr + f.stdout == printed, f"docs/data.md: {folder} prints otherwise")
                    commands += 1
                command, expected = line[2:], []
            else:
                expected.append(line)
    check(commands >= 1, "docs/data.md has console-postgresql examples")
    print(f"docs/data.md: {commands} commands as shown")


def main():
    try:
        run([PG_SERVER, "bindir"]).check_returncode()
    except (subprocess.CalledProcessError, FileNotFoundError):
        message = "PostgreSQL server binaries are missing (install Debian's postgresql package)"
        if os.environ.get("CI"):
            print("FAIL:", message, file=sys.stderr)
            return 1
        print("SKIPPED:", message, "- the PostgreSQL tests did not run", file=sys.stderr)
        return 77
    os.makedirs(WORK, exist_ok=True)
    server = Server()
    try:
        differential(server)
        forms(server)
        ties(server)
        values(server)
        history_edges(server)
        bad_input(server)
        docs(server)
    finally:
        server.stop()
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

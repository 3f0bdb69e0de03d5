#!/usr/bin/env python3
"""`slac lsp` at the protocol level, with a scripted client over a real pipe (issue 18).

Each LSP method the server offers is asked about contracts written here (with an
import of a file beside them and of a standard contract), and its answer checked:
diagnostics (codes, lines, severities, related locations, debounce), hover, definition
across imports (the standard contract opened from its read-only copy), references,
completion, formatting (and its refusal), the outline. Then malformed input: bad JSON,
broken framing, unknown methods, wrong params; each gets its JSON-RPC error and the
server goes on answering. Exit codes of `exit` with and without `shutdown`.

Usage: lsp_test.py SLAC SOURCE_DIR WORK_DIR
"""
import json
import os
import queue
import shutil
import stat
import subprocess
import sys
import threading
import time

SLAC, SOURCE, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


class Client:
    """A minimal LSP client: frames messages, reads the server's on a thread."""

    def __init__(self, stdlib_dir):
        self.proc = subprocess.Popen([SLAC, "lsp", "--stdlib-dir", stdlib_dir], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox = queue.Queue()
        self.next_id = 0
        self.notifications = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.raw(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def receive(self, timeout=10):
        message = self.inbox.get(timeout=timeout)
        if message is not None and "id" not in message:
            self.notifications.append(message)
        return message

    def response(self, want_id, timeout=10):
        deadline = time.time() + timeout
        while True:
            message = self.receive(max(0.01, deadline - time.time()))
            if message is None:
                raise RuntimeError("the server ended")
            if message.get("id") == want_id and "method" not in message:
                return message

    def request(self, method, params, timeout=10):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.response(self.next_id, timeout)

    def diagnostics(self, uri, timeout=10, version=None):
        """The next publishDiagnostics for uri (already received ones first)."""
        deadline = time.time() + timeout
        while True:
            for i, n in enumerate(self.notifications):
                p = n.get("params", {})
                if n.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri and \
                        (version is None or p.get("version") == version):
                    del self.notifications[i]
                    return p["diagnostics"]
            try:
                self.receive(max(0.01, deadline - time.time()))
            except queue.Empty:
                return None

    def initialize(self):
        r = self.request("initialize", {"processId": os.getpid(), "rootUri": uri(WORK), "capabilities": {}})
        self.notify("initialized", {})
        return r

    def open(self, path, text, version=1):
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri(path), "languageId": "sla", "version": version, "text": text}})

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def uri(path):
    return "file://" + os.path.abspath(path)


def at(line, character):
    return {"line": line, "character": character}


def doc(path, line, character):
    return {"textDocument": {"uri": uri(path)}, "position": at(line, character)}


def line_of(text, needle, nth=0):
    """0-based line and character of the nth occurrence of needle."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos), pos - (text.rfind("\n", 0, pos) + 1)


LIB = """contract "Vocabulary"
  timezone "Europe/Berlin"

signal beat : event
signal health : enum { ok, degraded, fault }
state alive = seen beat within 10m
"""

MAIN = """contract "Main"
  timezone "Europe/Berlin"

import "lib.sla"
import "std/ev-charging"

param goal = 95%
holidays feiertage = 2026-12-25, 2026-12-26
calendar office = mon-fri 08:00-18:00, sat 09:00-12:00 except feiertage
state healthy = alive and health == ok

sla uptime {
  in any calendar month, on any device,
  healthy for at least goal of office
}
"""


def main():
    os.makedirs(WORK, exist_ok=True)
    folder = os.path.join(WORK, "contracts")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    stdlib_dir = os.path.join(WORK, "stdlib")
    shutil.rmtree(stdlib_dir, ignore_errors=True)
    lib = os.path.join(folder, "lib.sla")
    main_path = os.path.join(folder, "main.sla")
    with open(lib, "w") as f:
        f.write(LIB)
    with open(main_path, "w") as f:
        f.write(MAIN)

    ok_check = subprocess.run([SLAC, "check", main_path], capture_output=True, text=True)
    check(ok_check.returncode == 0, f"the test contract is valid: {ok_check.stderr}")

    c = Client(stdlib_dir)
    # Before initialize, requests are refused.
    r = c.request("textDocument/hover", doc(main_path, 0, 0))
    check(r.get("error", {}).get("code") == -32002, f"a request before initialize: -32002, got {r}")
    r = c.initialize()
    caps = r.get("result", {}).get("capabilities", {})
    for cap in ["hoverProvider", "definitionProvider", "referencesProvider", "completionProvider",
                "documentFormattingProvider", "documentSymbolProvider"]:
        check(cap in caps, f"initialize offers {cap}")
    check(caps.get("textDocumentSync", {}).get("change") == 1, "full document sync")
    check(c.request("initialize", {"capabilities": {}}).get("error", {}).get("code") == -32600,
          "a second initialize is refused")

    # ------------------------------------------------------------ diagnostics
    c.open(main_path, MAIN)
    d = c.diagnostics(uri(main_path))
    check(d == [], f"a valid contract has no diagnostics: {d}")

    typo = MAIN.replace("state healthy = alive and", "state healthy = alvie and")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 2},
                                        "contentChanges": [{"text": typo}]})
    d = c.diagnostics(uri(main_path), version=2)
    codes = sorted((x["code"], x["range"]["start"]["line"], x["severity"]) for x in d or [])
    want_line = line_of(typo, "alvie")
    check(("E101", want_line[0], 1) in codes, f"E101 at line {want_line[0]} as an error: {codes}")
    e101 = next((x for x in d or [] if x["code"] == "E101"), {})
    check(e101.get("range", {}).get("start") == at(*want_line), f"E101's column: {e101.get('range')}")
    check("did you mean `alive`" in e101.get("message", ""), f"E101 suggests: {e101.get('message')}")

    # Same diagnostics as `slac check` (codes and lines).
    checked = subprocess.run([SLAC, "check", "--format", "json", "-"], input=typo, capture_output=True, text=True,
                             cwd=folder)
    want = sorted((x["code"], x["line"] - 1) for x in json.loads(checked.stdout)["files"][0]["diagnostics"])
    check(sorted((x[0], x[1]) for x in codes) == want, f"the diagnostics of slac check: {want} vs {codes}")

    # A warning: its severity.
    spare = MAIN.replace("param goal = 95%", "param goal = 95%\nsignal spare : bool")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 4},
                                        "contentChanges": [{"text": spare}]})
    d = c.diagnostics(uri(main_path), version=4) or []
    got = [(x["code"], x["range"]["start"]["line"], x["severity"]) for x in d]
    check(got == [("W002", line_of(spare, "spare")[0], 2)], f"W002 is a warning on its line: {got}")

    # A repeated name: its note is a related location at the first declaration.
    dup = MAIN.replace("param goal = 95%", "param goal = 95%\nparam goal = 90%")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 3},
                                        "contentChanges": [{"text": dup}]})
    d = c.diagnostics(uri(main_path), version=3) or []
    e102 = next((x for x in d if x["code"] == "E102"), {})
    rel = e102.get("relatedInformation", [])
    check(len(rel) == 1 and rel[0]["location"]["uri"] == uri(main_path) and
          rel[0]["location"]["range"]["start"]["line"] == line_of(dup, "param goal")[0],
          f"E102 with a related location at the first declaration: {e102}")

    # Debounce: 25 quick changes give at most two diagnostics, the last for the last text.
    for v in range(10, 35):
        text = MAIN.replace("95%", f"{v + 60}%") if v < 34 else typo
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": v},
                                            "contentChanges": [{"text": text}]})
    time.sleep(1.0)
    published = []
    while True:
        p = c.diagnostics(uri(main_path), timeout=0.3)
        if p is None:
            break
        published.append(p)
    check(1 <= len(published) <= 2, f"debounced: {len(published)} publications for 25 changes")
    check(published and any(x["code"] == "E101" for x in published[-1]), "the last publication is of the last text")

    # Back to the valid contract for the requests.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 40},
                                        "contentChanges": [{"text": MAIN}]})
    check(c.diagnostics(uri(main_path), version=40) == [], "valid again")

    # ------------------------------------------------------------ hover
    def hover(needle, nth=0, offset=1):
        line, ch = line_of(MAIN, needle, nth)
        r = c.request("textDocument/hover", doc(main_path, line, ch + offset))
        res = r.get("result") or {}
        return res.get("contents", {}).get("value", "")

    h = hover("goal", 1)
    check("value **95%** (a percentage)" in h and "used 1 time: line 14" in h, f"hover on a param's use: {h!r}")
    h = hover("health ")
    check("device signal of type `enum`" in h and "`degraded`" in h and "declared in" in h,
          f"hover on an imported enum signal: {h!r}")
    h = hover("healthy", 1)
    check("state healthy = alive and health == ok" in h, f"hover on a state: {h!r}")
    h = hover("office", 1)
    check("Monday to Friday, 08:00 to 18:00" in h and "Saturday, 09:00 to 12:00" in h and
          "except the 2 dates of `feiertage`" in h and "Europe/Berlin" in h, f"hover on a calendar: {h!r}")
    h = hover("uptime")
    check("windows:" in h and "calendar months in Europe/Berlin" in h and "groups:" in h,
          f"hover on an SLA gives explain's words: {h!r}")
    h = hover("ok")
    check("a member of the enum signal `health` (`ok`, `degraded`, `fault`)" in h, f"hover on an enum member: {h!r}")
    check(hover("contract", 0) == "", "no hover on a keyword")

    # ------------------------------------------------------------ definition
    line, ch = line_of(MAIN, "alive")
    r = c.request("textDocument/definition", doc(main_path, line, ch + 2))
    loc = r.get("result") or {}
    check(loc.get("uri") == uri(lib) and loc.get("range", {}).get("start") == at(*line_of(LIB, "alive")),
          f"definition across an import: {loc}")
    # A name of the standard library: its read-only copy.
    ev = MAIN.replace("state healthy = alive and health == ok", "state healthy = alive and heartbeat_ok\n"
                      "state beat_ok = seen heartbeat within 1h and not maintenance")
    other = os.path.join(folder, "ev.sla")
    with open(other, "w") as f:
        f.write(ev)
    c.open(other, ev)
    c.diagnostics(uri(other))
    line, ch = line_of(ev, "maintenance")
    r = c.request("textDocument/definition", doc(other, line, ch))
    loc = r.get("result") or {}
    std_file = os.path.join(stdlib_dir, "ev-charging.sla")
    check(loc.get("uri") == uri(std_file), f"a stdlib name opens its copy: {loc}")
    if os.path.exists(std_file):
        with open(std_file) as f, open(os.path.join(SOURCE, "stdlib-contracts", "ev-charging.sla")) as g:
            text = f.read()
            check(text == g.read(), "the copy is the embedded text")
        check(not os.stat(std_file).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), "the copy is read-only")
        want = line_of(text, "site signal maintenance")
        check(loc.get("range", {}).get("start", {}).get("line") == want[0], f"at its declaration: {loc}")
    else:
        check(False, f"{std_file} was written")
    # On an import's file name: the file.
    line, ch = line_of(MAIN, '"lib.sla"')
    r = c.request("textDocument/definition", doc(main_path, line, ch + 3))
    check((r.get("result") or {}).get("uri") == uri(lib) and r["result"]["range"]["start"] == at(0, 0),
          f"definition on an import opens the file: {r}")
    line, ch = line_of(MAIN, '"std/ev-charging"')
    r = c.request("textDocument/definition", doc(main_path, line, ch + 3))
    check((r.get("result") or {}).get("uri") == uri(os.path.join(stdlib_dir, "ev-charging.sla")),
          f"definition on a standard import opens its copy: {r}")
    r = c.request("textDocument/definition", doc(main_path, 0, 2))
    check(r.get("result") is None and "error" not in r, "no definition on a keyword: null")

    # ------------------------------------------------------------ references
    line, ch = line_of(MAIN, "office")
    r = c.request("textDocument/references", {**doc(main_path, line, ch), "context": {"includeDeclaration": True}})
    lines = sorted(x["range"]["start"]["line"] for x in r.get("result") or [])
    check(lines == [line_of(MAIN, "office")[0], line_of(MAIN, "office", 1)[0]], f"references of a calendar: {lines}")
    line, ch = line_of(MAIN, "health ")
    r = c.request("textDocument/references", {**doc(main_path, line, ch), "context": {"includeDeclaration": True}})
    uris = sorted(x["uri"] for x in r.get("result") or [])
    check(uris == sorted([uri(lib), uri(main_path)]), f"references across the import: {uris}")

    # ------------------------------------------------------------ completion
    def complete(text, needle, where="end"):
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 50},
                                            "contentChanges": [{"text": text}]})
        pos = text.index(needle) + (len(needle) if where == "end" else 0)
        line, ch = text.count("\n", 0, pos), pos - (text.rfind("\n", 0, pos) + 1)
        r = c.request("textDocument/completion", doc(main_path, line, ch))
        return [x["label"] for x in r.get("result") or []]

    labels = complete(MAIN + "state bad = health == ", "health == ")
    check(sorted(labels) == ["degraded", "fault", "ok"], f"enum members after ==: {labels}")
    labels = complete(MAIN + "state bad = health ==", "health ==")
    check(sorted(labels) == ["degraded", "fault", "ok"], f"enum members just after == (its trigger): {labels}")
    labels = complete(MAIN + "state bad = health in { ok, ", "in { ok, ")
    check("fault" in labels and "healthy" not in labels, f"enum members in a set: {labels}")
    labels = complete(MAIN.replace('timezone "Europe/Berlin"', "timezone "), "timezone ")
    check("Europe/Berlin" in labels and "America/New_York" in labels, f"zones after timezone: {len(labels)} labels")
    labels = complete(MAIN.replace('timezone "Europe/Berlin"', 'timezone "Euro'), 'timezone "Euro')
    check("Europe/Berlin" in labels, f"zones inside the string after timezone: {len(labels)} labels")
    labels = complete(MAIN, 'timezone "Europe/Berlin"')
    check("Europe/Berlin" not in labels, f"no zones after the closed string: {len(labels)} labels")
    labels = complete(MAIN.replace("of office", "during "), "during ")
    check("office" in labels and "business_hours" in labels and "healthy" not in labels,
          f"calendars (the imported standard contract's too) after during: {labels}")
    labels = complete(MAIN + "\nsta", "\nsta")
    check("sla" in labels and "state" in labels and "param" in labels, f"top-level keywords: {labels}")
    labels = complete(MAIN.replace("  healthy for", "  only \n  healthy for"), "only ")
    check("healthy" in labels and "alive" in labels and "seen" in labels and "office" not in labels and
          "uptime" not in labels, f"a condition after only: states, signals, not calendars nor SLAs: {labels}")
    labels = complete(MAIN.replace("  healthy for", "  at least 1 \n  healthy for"), "at least 1 ")
    check("healthy" in labels and "alive" in labels and "health" not in labels and "goal" not in labels,
          f"a requirement's state: only states: {labels}")
    labels = complete(MAIN.replace("  healthy for", "  pe\n  healthy for"), "  pe")
    check("penalty" in labels and "during" in labels and "healthy" in labels, f"clauses in an SLA: {labels}")
    labels = complete(MAIN.replace("goal of office", "goal of "), "goal of ")
    check("office" in labels and "devices" in labels and "healthy" not in labels, f"after of: {labels}")
    labels = complete(MAIN + "state x = seen ", "seen ")
    check("beat" in labels and "healthy" not in labels, f"signals after seen: {labels}")

    # ------------------------------------------------------------ formatting
    messy = MAIN.replace("param goal = 95%", "param    goal=95%").replace("  in any", "      in any")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 60},
                                        "contentChanges": [{"text": messy}]})
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri(main_path)},
                                              "options": {"tabSize": 2, "insertSpaces": True}})
    edits = r.get("result") or []
    fmt = subprocess.run([SLAC, "fmt", "-"], input=messy, capture_output=True, text=True, cwd=folder)
    check(len(edits) == 1 and edits[0]["newText"] == fmt.stdout and edits[0]["range"]["start"] == at(0, 0),
          f"formatting is slac fmt's text: {edits}")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 61},
                                        "contentChanges": [{"text": fmt.stdout}]})
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri(main_path)}, "options": {}})
    check(r.get("result") == [], f"a formatted contract: no edits: {r}")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 62},
                                        "contentChanges": [{"text": typo}]})
    r = c.request("textDocument/formatting", {"textDocument": {"uri": uri(main_path)}, "options": {}})
    check(r.get("error", {}).get("code") == -32803 and "1 error" in r["error"]["message"],
          f"formatting refuses a contract with errors: {r}")

    # ------------------------------------------------------------ outline
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path), "version": 70},
                                        "contentChanges": [{"text": MAIN}]})
    r = c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(main_path)}})
    names = [(s["name"], s.get("detail")) for s in r.get("result") or []]
    check(names == [("Main", "contract"), ("lib.sla", "import"), ("std/ev-charging", "import"), ("goal", "param"),
                    ("feiertage", "holidays list"), ("office", "calendar"), ("healthy", "state"), ("uptime", "SLA")],
          f"the outline: {names}")

    # ------------------------------------------------------------ malformed messages
    def last_error():
        m = c.receive()
        return (m or {}).get("error", {}).get("code"), (m or {}).get("id")

    # After a framing error the server skips to the next `Content-Length:`.
    c.raw(b"this is not a header\r\n\r\n")
    check(last_error() == (-32700, None), "a line that is no header: a framing error")
    c.raw(b"Content-Length: 9\r\n\r\n{not json")
    check(last_error() == (-32700, None), "bad JSON: a parse error with a null id")
    c.raw(b'Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","id":99,"method":"shutdown"}')
    check(last_error() == (-32700, None), "no Content-Length: a framing error")
    c.raw(b'Content-Length: many\r\n\r\n{"jsonrpc":"2.0","id":98,"method":"shutdown"}')
    check(last_error() == (-32700, None), "a Content-Length that is no number: a framing error")
    c.send({"jsonrpc": "2.0", "id": 100, "method": "textDocument/rename", "params": {}})
    check(last_error() == (-32601, 100), "an unknown method: method not found")
    c.send([1, 2])
    check(last_error() == (-32600, None), "a batch (not an object): invalid request")
    c.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"})
    check(last_error() == (-32600, None), "an id that is an object: invalid request")
    c.send({"jsonrpc": "2.0", "id": 101, "method": "textDocument/hover", "params": {"textDocument": {}}})
    check(last_error() == (-32602, 101), "params without a uri: invalid params")
    c.send({"jsonrpc": "2.0", "id": 102, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": "file:///nowhere.sla"}, "position": at(0, 0)}})
    check(last_error() == (-32602, 102), "a document that is not open: invalid params")
    c.send({"jsonrpc": "2.0", "id": 103, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri(main_path)}, "position": {"line": -1, "character": "x"}}})
    check(last_error() == (-32602, 103), "a bad position: invalid params")
    c.notify("workspace/somethingNew", {"x": 1})
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri(main_path)}, "contentChanges": "no"})
    r = c.request("textDocument/hover", doc(main_path, *line_of(MAIN, "goal", 1)))
    check("value **95%**" in ((r.get("result") or {}).get("contents") or {}).get("value", ""),
          f"after malformed messages the server still answers, the document unchanged: {r}")
    # Positions past the end of a line or of the text are clamped.
    r = c.request("textDocument/hover", doc(main_path, 4000, 4000))
    check("result" in r, f"a position past the end: an answer: {r}")

    # ------------------------------------------------------------ large documents
    # Long lists (comma-separated words, an `in { }` of many members, an enum of many
    # members compared many times) are answered in linear time: seconds, not hours.
    n = 60000
    big = (LIB.replace("enum { ok, degraded, fault }", "enum { " + ", ".join(f"m{i}" for i in range(n)) + " }") +
           "state many = health in { " + ", ".join(f"m{i}" for i in range(n)) + " }\n" +
           "state compared = " + " or ".join(f"health == m{i}" for i in range(0, n, 3)) + "\n" +
           "holidays long = " + ", ".join(f"x{i}" for i in range(n)) + "\n")
    big_path = os.path.join(folder, "big.sla")
    started = time.time()
    c.open(big_path, big)
    d = c.diagnostics(uri(big_path), timeout=60)
    check(d is not None, "a large document gets its diagnostics")
    pos = big.index("m59997,")
    r = c.request("textDocument/references",
                  {**doc(big_path, big.count("\n", 0, pos), pos - big.rfind("\n", 0, pos) - 1),
                   "context": {"includeDeclaration": True}}, timeout=60)
    check(len(r.get("result") or []) == 3, f"a member's references in a large document: {len(r.get('result') or [])}")
    pos = big.index("health in {")
    r = c.request("textDocument/hover", doc(big_path, big.count("\n", 0, pos), pos - big.rfind("\n", 0, pos)))
    h = ((r.get("result") or {}).get("contents") or {}).get("value", "")
    check(len(h) < 3000 and "`m19` and 59980 more" in h and "bytes in all" in h,
          f"the hover of a signal of 60,000 members is short: {len(h)} characters")
    elapsed = time.time() - started
    check(elapsed < 30, f"a large document is answered in seconds ({elapsed:.1f} s)")
    c.notify("textDocument/didClose", {"textDocument": {"uri": uri(big_path)}})

    # ------------------------------------------------------------ shutdown and exit
    r = c.request("shutdown", None)
    check("result" in r and r["result"] is None, f"shutdown: null: {r}")
    r = c.request("textDocument/hover", doc(main_path, 0, 0))
    check(r.get("error", {}).get("code") == -32600, f"requests after shutdown are refused: {r}")
    c.notify("exit", None)
    code = c.proc.wait(timeout=10)
    check(code == 0, f"exit after shutdown: 0, got {code}")
    c.close()

    c = Client(stdlib_dir)
    c.initialize()
    c.notify("exit", None)
    check(c.proc.wait(timeout=10) == 1, "exit without shutdown: 1")
    c.close()
    c = Client(stdlib_dir)
    c.initialize()
    check(c.close() == 1, "the end of input without shutdown: 1")

    if failures:
        print(f"lsp_test: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("lsp_test: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

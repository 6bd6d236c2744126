#!/usr/bin/env python3
"""Runs the commands of README.md and docs/running.md as they are written.

Every command line of their ```sh blocks must appear in PLAN below, either
run (in the documents' order, against `ananas broker` on localhost:9092 and a
worker on localhost:8083, as the documents say) or skipped with the reason. A
command that is in the documents but not in PLAN, or in PLAN but no longer in
the documents, fails the test: the documents cannot drift from what works.

Usage: docs_commands_test.py ANANAS_BINARY   (run from the source tree by ctest)
Only loopback addresses are used; every process started is stopped by its PID.
Exit 77 when a tool is missing or the documented ports are taken (skipped).
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = ["README.md", "docs/running.md"]
DEADLINE = time.monotonic() + 420  # the whole test


def documented_commands():
    """(file, line, command) for every command line of the documents' sh blocks."""
    out = []
    for doc in DOCS:
        lines = open(os.path.join(ROOT, doc), encoding="utf-8").read().split("\n")
        in_block = False
        pending, start = "", 0
        for number, line in enumerate(lines, 1):
            if line.startswith("```"):
                in_block = line.strip() in ("```sh", "```bash") and not in_block
                continue
            if not in_block:
                continue
            text = re.split(r"\s{2,}#", line)[0].rstrip()  # an aligned trailing comment
            if not pending:
                start = number
                if not text.strip() or text.strip().startswith("#"):
                    continue
            if text.endswith("\\"):
                pending += text[:-1].strip() + " "
                continue
            out.append((doc, start, (pending + text.strip()).strip()))
            pending = ""
    return out


# Actions: ("bg", ready) starts the command in the background and waits until
# ready(); ("run", checks) runs it (through bash, as a reader's shell would)
# and applies each check to (exit code, stdout + stderr); ("skip", reason).
# ("setup", command) steps are the test's own, between documented commands.
def exit_ok(code, out):
    return code == 0 or f"exit code {code}"


def contains(*texts):
    def check(code, out):
        missing = [t for t in texts if t not in out]
        return not missing or f"output lacks {missing}"
    return check


def json_has(*path_and_value):
    """The output is JSON and the member at path (keys, then the value) equals the value."""
    *path, expected = path_and_value

    def check(code, out):
        try:
            node = json.loads(out)
            for key in path:
                node = node[key]
        except (ValueError, KeyError, TypeError, IndexError):
            return f"no JSON member {'/'.join(map(str, path))}"
        return node == expected or f"{'/'.join(map(str, path))} is {node!r}, not {expected!r}"
    return check


def no_error_answer(code, out):
    return '"error_code"' not in out or "the worker answered with an error"


def http_ready(url):
    def ready():
        return subprocess.run(["curl", "-sf", "-o", "/dev/null", url]).returncode == 0
    return ready


def broker_ready():
    return subprocess.run(["kcat", "-b", "localhost:9092", "-L", "-m", "2"], capture_output=True).returncode == 0


def always():
    return True


KCAT_ONE = [exit_ok, lambda code, out: out.strip().startswith("{") or "no record"]
NOT_HERE = "needs a host named kafka (the reader's cluster), not available in a test"

PLAN = [
    # README.md: set-up
    ("scripts/demo.sh", "skip", "builds the project and runs `ananas demo` (tested by e2e.ananas demo ...)"),
    ("scripts/test.sh", "skip", "runs the test suite this test is part of"),
    # README.md: the tutorial against a development broker
    ("ananas broker --port 9092 --partitions 3 --topics pizzas", "bg", broker_ready),
    ("ananas generate --bootstrap-servers localhost:9092 --topic pizzas --rate 200", "bg", always),
    ("ananas run --config config/worker.yaml pipelines/examples/*.yaml", "bg", http_ready("http://localhost:8083/readyz")),
    # "Within a minute every app has written anomalies"
    ("kcat -b localhost:9092 -C -t pizza_stream_out_filter -c 1", "run", KCAT_ONE),
    ("kcat -b localhost:9092 -C -t pizza_stream_out_agg -c 1", "run", KCAT_ONE),
    ("kcat -b localhost:9092 -C -t pizza_stream_out_agg_windows -c 1", "run", KCAT_ONE),
    ("kcat -b localhost:9092 -C -t pizza_stream_out_trends -c 1", "run", KCAT_ONE),
    ("ananas pipelines list", "run", [exit_ok, contains("01-basic-filtering  RUNNING", "03-windowing        RUNNING")]),
    ("ananas pipelines status 03-windowing", "run", [exit_ok, contains("state       RUNNING")]),
    ("ananas top", "skip", "redraws until q (tested in a terminal by e2e.ananas top ...; `ananas top --once` runs below)"),
    # README.md: writing and checking pipelines, offline
    ("ananas translate pipelines/examples/03-windowing.json -o windowing.yaml", "run", [exit_ok]),
    ("ananas validate windowing.yaml pipelines/examples/01-basic-filtering.json", "run", [exit_ok]),
    ("ananas explain windowing.yaml", "run", [exit_ok, contains("03-windowing")]),
    ("kcat -b localhost:9092 -C -J -e -t pizzas > orders.jsonl", "run", [exit_ok]),
    ("ananas replay windowing.yaml --input orders.jsonl > expected.jsonl", "run", [exit_ok]),
    ("ananas test windowing.yaml --input orders.jsonl --expect expected.jsonl", "run", [exit_ok]),
    # docs/running.md: REST, with the worker started above still running
    ("curl -s localhost:8083/metrics | grep -E '^ananas_(records_in|anomalies_emitted|bad_records)_total'", "run",
     [exit_ok, contains("ananas_anomalies_emitted_total{")]),
    ("curl -s localhost:8083/pipelines", "run", [exit_ok, contains('"03-windowing"')]),
    ("curl -s localhost:8083/pipelines/03-windowing", "run", [exit_ok, json_has("name", "03-windowing")]),
    ("curl -s localhost:8083/pipelines/03-windowing/status", "run", [exit_ok, json_has("pipeline", "state", "RUNNING")]),
    # the POSTs add pipelines: make room for the one windowing.yaml defines
    ("setup", "curl -sf -X DELETE localhost:8083/pipelines/03-windowing"),
    ("curl -s -X POST -H 'Content-Type: application/yaml' --data-binary @windowing.yaml localhost:8083/pipelines", "run",
     [exit_ok, no_error_answer, json_has("name", "03-windowing")]),
    ("curl -s -X POST -H 'Content-Type: application/sql; name=my-rules' --data-binary @my-rules.sql localhost:8083/pipelines",
     "skip", "my-rules.sql is the reader's own SQL file"),
    ("curl -s -X POST -H 'Content-Type: application/json; name=windowing' "
     "--data-binary @pipelines/examples/03-windowing.json localhost:8083/pipelines", "run",
     [exit_ok, no_error_answer, json_has("name", "windowing")]),
    ("curl -s -X PUT  localhost:8083/pipelines/03-windowing/pause", "run", [exit_ok, no_error_answer]),
    ("curl -s -X PUT  localhost:8083/pipelines/03-windowing/resume", "run", [exit_ok, no_error_answer]),
    ("curl -s -X POST localhost:8083/pipelines/03-windowing/restart", "run", [exit_ok, no_error_answer]),
    ("curl -s -X DELETE localhost:8083/pipelines/03-windowing", "run", [exit_ok, no_error_answer]),
    # Hot reload: 03-windowing.yaml is still among the worker's files, so a reload starts it again.
    ("curl -s -X POST   localhost:8083/reload", "run", [exit_ok, json_has("started", ["03-windowing"])]),
    ("curl -s -X POST localhost:8083/reload", "run", [exit_ok, json_has("started", []), json_has("errors", [])]),
    ("curl -s localhost:8083/reload", "run", [exit_ok, contains('"unchanged"', '"03-windowing"')]),
    ("curl -s localhost:8083/healthz", "run", [exit_ok, json_has("status", "UP")]),
    ("curl -s localhost:8083/readyz", "run", [exit_ok, contains('"status"')]),
    # docs/running.md: `ananas pipelines`
    ("ananas pipelines list", "run", [exit_ok]),
    ("ananas pipelines create pipelines/examples/02-aggregating.json", "skip",
     "02-aggregating already runs here (the README's worker); `create` is tested by e2e.ananas pipelines ..."),
    ("ananas pipelines status 03-windowing", "skip", "03-windowing was deleted through REST just above"),
    ("ananas pipelines show 03-windowing", "skip", "03-windowing was deleted through REST just above"),
    ("ananas pipelines pause 03-windowing", "skip", "03-windowing was deleted through REST just above"),
    ("ananas pipelines resume 03-windowing", "skip", "03-windowing was deleted through REST just above"),
    ("ananas pipelines restart 03-windowing", "skip", "03-windowing was deleted through REST just above"),
    ("ananas pipelines delete 02-aggregating", "run", [exit_ok]),
    ("ananas pipelines reload", "run", [exit_ok, contains("PIPELINE", "unchanged")]),
    ("ananas pipelines list --output json", "run", [exit_ok, contains('"01-basic-filtering"')]),
    # docs/running.md: `ananas top`
    ("ananas top --once", "run", [exit_ok, contains("01-basic-filtering  RUNNING")]),
    ("ananas top --url http://10.0.0.7:8083 -n 5", "skip", "another machine's address; tests use loopback only"),
    # docs/running.md: starting workers
    ("ananas demo", "skip", "runs until Ctrl-C; `ananas demo --duration` is tested by e2e.ananas demo ..."),
    ("ananas demo --duration 30s --rate 200 --http-port 0", "skip", "tested by e2e.ananas demo ... (20 s)"),
    ("ananas run --config config/worker.yaml pipelines/examples/*.yaml", "skip", "the same command as the README's, run above"),
    ("ananas run --bootstrap-servers kafka:9092 --http-port 8083 pipelines/examples/03-windowing.json my-rules.sql",
     "skip", NOT_HERE + " (and the reader's my-rules.sql)"),
    ("ananas reset --bootstrap-servers kafka:9092 02-aggregating", "skip", NOT_HERE),
    ("export TOKEN=$(openssl rand -hex 32)", "skip", "the token is tested by e2e.ananas pipelines sends ANANAS_HTTP_AUTH_TOKEN ..."),
    ('ANANAS_HTTP_AUTH_TOKEN=$TOKEN ananas run --http-host 0.0.0.0 pipelines/examples/*.yaml &', "skip",
     "binds every interface; tests use loopback only"),
    ('curl -s -H "Authorization: Bearer $TOKEN" localhost:8083/pipelines', "skip", "belongs to the token example above"),
    # Several workers, one group: the README's worker stops first (ports 8083, and the group's pipelines).
    ("setup", "stop-workers"),
    ("ANANAS_GROUP_ID=ananas-workers ananas run -b localhost:9092 --http-port 8083 pipelines/examples/*.yaml", "bg",
     http_ready("http://localhost:8083/healthz")),
    ("ANANAS_GROUP_ID=ananas-workers ananas run -b localhost:9092 --http-port 8084 pipelines/examples/*.yaml", "bg",
     http_ready("http://localhost:8084/healthz")),
    ("curl -s localhost:8084/pipelines/02-aggregating/status", "run", [exit_ok, json_has("pipeline", "placement", "group", "ananas-workers")]),
    ("curl -s localhost:8084/pipelines/01-basic-filtering/status", "run", [exit_ok, contains('"state"')]),
    ("setup", "stop-workers"),
    # The README's reset, after its worker stopped (docs/running.md: stop the pipeline first).
    ("ananas reset --config config/worker.yaml 02-aggregating", "run", [exit_ok, contains("Discard it? [y/N]")]),
    ("ananas reset --config config/worker.yaml --yes pipelines/examples/02-aggregating.json", "run", [exit_ok]),
]


class Runner:
    def __init__(self, binary, work):
        self.work = work
        self.env = dict(os.environ)
        self.env["PATH"] = os.path.dirname(os.path.abspath(binary)) + os.pathsep + self.env["PATH"]
        self.env.pop("ANANAS_URL", None)
        self.background = []  # (command, Popen)
        self.failures = []

    def start(self, command, ready):
        log = open(os.path.join(self.work, f"bg-{len(self.background)}.log"), "w")
        p = subprocess.Popen(["bash", "-c", command], cwd=self.work, env=self.env, stdout=log,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.background.append((command, p))
        while time.monotonic() < DEADLINE:
            if p.poll() is not None:
                self.failures.append(f"{command}: exited with {p.returncode} before it was ready")
                return
            if ready():
                return
            time.sleep(0.2)
        self.failures.append(f"{command}: not ready before the test's deadline")

    def run(self, command, checks, stdin=""):
        timeout = max(1.0, min(120.0, DEADLINE - time.monotonic()))
        try:
            r = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=self.work, env=self.env, input=stdin,
                               capture_output=True, text=True, timeout=timeout)
            code, out = r.returncode, r.stdout + r.stderr
        except subprocess.TimeoutExpired:
            code, out = "timeout", f"(still running after {timeout:.0f} s)"
        for check in checks:
            verdict = check(code, out)
            if verdict is not True:
                self.failures.append(f"{command}: {verdict}\n    output: {out.strip()[:400]}")
                return

    def stop(self, only_workers=False):
        keep = []
        for command, p in reversed(self.background):
            if only_workers and " run " not in f" {command} ":
                keep.append((command, p))
                continue
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
        self.background = list(reversed(keep))


def port_taken(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    for tool in ("kcat", "curl"):
        if not shutil.which(tool):
            print(f"docs test: {tool} is not installed (scripts/install-deps.sh): skipped")
            return 77
    taken = [p for p in (9092, 8083, 8084) if port_taken(p)]
    if taken:
        print(f"docs test: the documented ports {taken} are in use on this machine: skipped")
        return 77

    documented = documented_commands()
    planned = [step[0] for step in PLAN if step[0] != "setup"]
    problems = [f"{doc}:{line}: `{cmd}` is not in tests/docs/docs_commands_test.py's PLAN (run it there, or skip it "
                f"with the reason)" for doc, line, cmd in documented if cmd not in planned]
    problems += [f"PLAN has `{cmd}`, which the documents no longer show" for cmd in planned
                 if cmd not in {c for _, _, c in documented}]
    if problems:
        print("\n".join(problems))
        return 1

    work = tempfile.mkdtemp(prefix="ananas-docs-")
    os.symlink(os.path.join(ROOT, "config"), os.path.join(work, "config"))
    os.makedirs(os.path.join(work, "pipelines"))
    os.symlink(os.path.join(ROOT, "pipelines", "examples"), os.path.join(work, "pipelines", "examples"))
    runner = Runner(binary, work)
    ran = skipped = 0
    try:
        for command, action, arg in [(s[0], s[1], s[2]) if len(s) == 3 else (s[0], "setup", s[1]) for s in PLAN]:
            if runner.failures and action != "skip":
                break  # later commands depend on earlier ones
            if command == "setup":
                if arg == "stop-workers":
                    runner.stop(only_workers=True)
                else:
                    runner.run(arg, [exit_ok])
            elif action == "skip":
                skipped += 1
            elif action == "bg":
                runner.start(command, arg)
                ran += 1
            else:
                runner.run(command, arg, stdin="y\n" if command.startswith("ananas reset") else "")
                ran += 1
    finally:
        runner.stop()
        if not os.environ.get("ANANAS_E2E_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    print(f"docs test: {ran} documented commands run, {skipped} skipped with their reason, "
          f"{len(documented)} in the documents")
    if runner.failures:
        print("\n".join("FAILED " + f for f in runner.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

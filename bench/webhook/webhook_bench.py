#!/usr/bin/python3
"""Webhook burst: N webhook reminders due at one second, from `kutsu serve`
(a Release build) to Debian's nginx answering 204, against wrk POSTing a
body of the same size to the same nginx over the same number of
connections. Prints a Markdown table and a row for `bench/run all`.

Kutsu's figure: from the due second S to the last request nginx logged
($msec in its access log), N / that time. wrk's: its Requests/sec over a
run of a few seconds. The burst fails (exit 1) unless nginx logged exactly N
requests, each with the path of its endpoint.

Usage: webhook_bench.py --kutsu BIN [--webhooks N] [--connections C] [--rounds R]
"""

import argparse
import math
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "daemon"))
sys.path.insert(0, str(pathlib.Path(__file__).parent.parent))

from bench_env import BenchError, Children, ServeProcess, free_port, machine_load, median  # noqa: E402
from rows import bench_row  # noqa: E402
from series_files import utc_text  # noqa: E402

BODY_SIZE = 620  # a reminder's JSON body with one speaker, as interfaces.md shows it
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the Standard Webhooks test vector's


class Nginx:
    """nginx on 127.0.0.1:PORT answering every request with 204, logging the
    time of each ($msec) to FOLDER/access.log."""

    def __init__(self, children, folder):
        self.folder = folder
        self.port = free_port()
        self.log = folder / "access.log"
        config = folder / "nginx.conf"
        config.write_text(f"""
daemon off;
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  log_format times '$msec $request_method $uri';
  access_log {self.log} times;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{self.port};
    location / {{ return 204; }}
  }}
}}
""")
        self.process = children.start(["nginx", "-c", str(config), "-p", str(folder)],
                                      stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise BenchError("nginx did not start")

    def lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def reset(self):
        self.log.write_text("")
        subprocess.run(["nginx", "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder),
                        "-s", "reopen"], check=False, stderr=subprocess.DEVNULL)


ENDPOINTS = ["tiimi", "viestinta", "kalenteri", "arkisto"]  # one URL: one host's 8 connections


def write_series(folder, due, webhooks):
    """WEBHOOKS / 4 sessions starting an hour after DUE, each with a PT1H
    reminder by webhook only to 4 endpoints (a series file holds at most
    2 MiB): WEBHOOKS webhook calls due at DUE."""
    folder.mkdir(parents=True, exist_ok=True)
    names = ", ".join(f'"{name}"' for name in ENDPOINTS)
    lines = ['id = "koukut"', 'title = "Webhook-kuormitus"', 'timezone = "Europe/Helsinki"',
             'organiser = { name = "Järjestäjä", email = "webinaarit@example.org" }',
             'join_url = "https://example.org/liity"', f"webhooks = [{names}]", "",
             "[[reminder]]", 'before = "PT1H"', 'channels = ["webhook"]']
    for number in range(webhooks // len(ENDPOINTS)):
        lines += ["", "[[session]]", f'id = "s{number:05d}"',
                  f'title = "Istunto {number + 1}: alueellinen yhteistyö"',
                  f"start = {utc_text(due + 3600)}", 'duration = "PT1H"',
                  'speakers = ["Anne Huotari"]']
    (folder / "koukut.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_config(folder, nginx_port):
    (folder / "hook.secret").write_text(SECRET + "\n")
    config = folder / "kutsu.toml"
    hooks = "".join(
        f'\n[[webhook]]\nname = "{name}"\nurl = "http://127.0.0.1:{nginx_port}/koukku"\n'
        f'secret_file = "{folder / "hook.secret"}"\n' for name in ENDPOINTS)
    config.write_text(
        "[daemon]\n"
        f'series_dir = "{folder / "series.d"}"\nstate_dir = "{folder / "state"}"\n\n'
        f'[http]\nlisten = "127.0.0.1:{free_port()}"\n\n'
        '[email]\ntransport = "maildir"\n'
        f'maildir = "{folder / "mail"}"\n' + hooks)
    return config


def kutsu_burst(children, kutsu, nginx, folder, webhooks, lead):
    folder.mkdir(parents=True)
    nginx.reset()
    due = math.ceil(time.time()) + lead
    write_series(folder / "series.d", due, webhooks)
    serve = ServeProcess(children, kutsu, write_config(folder, nginx.port), folder / "serve.log")
    serve.wait_ready_before(due, lead, "the due second (the start plans the burst)")
    if any("not loaded" in line for line in serve.log_lines()):
        serve.terminate()
        raise BenchError(f"the series did not load:\n{serve.log_tail()}")
    deadline = due + 300
    while len(nginx.lines()) < webhooks and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # anything more than planned would come now
    serve.terminate()
    lines = nginx.lines()
    if len(lines) != webhooks or any(not line.endswith(" POST /koukku") for line in lines):
        raise BenchError(f"nginx logged {len(lines)} requests, expected {webhooks} POSTs:\n"
                         f"{serve.log_tail()}")
    last = max(float(line.split()[0]) for line in lines)
    return last - due




def wrk_rate(children, nginx, folder, connections, seconds):
    script = folder / "post.lua"
    script.write_text('wrk.method = "POST"\n'
                      'wrk.headers["Content-Type"] = "application/json"\n'
                      f'wrk.body = string.rep("x", {BODY_SIZE})\n')
    threads = min(2, connections)
    report = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                             "-s", str(script), f"http://127.0.0.1:{nginx.port}/koukku"],
                            capture_output=True, text=True, check=False).stdout
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE)
    if not rate or "Non-2xx" in report or "Socket errors" in report:
        raise BenchError(f"wrk: unexpected report:\n{report}")
    return float(rate.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kutsu", required=True)
    parser.add_argument("--webhooks", type=int, default=20000, help="a multiple of 4")
    parser.add_argument("--connections", type=int, default=8,
                        help="wrk's connections: kutsu's webhook transport keeps 8 per endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lead", type=int, default=8)
    parser.add_argument("--wrk-seconds", type=int, default=5)
    args = parser.parse_args()
    children = Children()
    load = machine_load()
    with tempfile.TemporaryDirectory(prefix="kutsu-bench-webhook-") as work:
        work = pathlib.Path(work)
        try:
            nginx = Nginx(children, work)
            kutsu_rates, wrk_rates = [], []
            for number in range(args.rounds):  # interleaved, so other load falls on both
                print(f"  webhook round {number + 1}/{args.rounds}: kutsu serve ...",
                      file=sys.stderr)
                seconds = kutsu_burst(children, args.kutsu, nginx, work / f"round-{number}",
                                      args.webhooks, args.lead)
                kutsu_rates.append(args.webhooks / seconds)
                print(f"  webhook round {number + 1}/{args.rounds}: wrk ...", file=sys.stderr)
                nginx.reset()
                wrk_rates.append(wrk_rate(children, nginx, work, args.connections,
                                          args.wrk_seconds))
        except BenchError as error:
            print(f"webhook_bench: {error}", file=sys.stderr)
            return 1
        finally:
            children.stop_all()
    kutsu, peer = median(kutsu_rates), median(wrk_rates)
    ratio = kutsu / peer
    met = "ok" if ratio >= 0.5 else "MISSED"
    print(f"\n### Webhook burst: {args.webhooks:,} webhooks due at one second to nginx "
          f"(return 204) over {args.connections} connections\n")
    print(f"Median of {args.rounds} runs. Machine: {load} before.\n")
    print("| sender | requests/s | runs |")
    print("|---|---:|---|")
    print(f"| kutsu serve, due at S → last request logged | {kutsu:,.0f} | "
          + ", ".join(f"{rate:,.0f}" for rate in kutsu_rates) + " |")
    print(f"| wrk -c {args.connections} POST {BODY_SIZE} B | {peer:,.0f} | "
          + ", ".join(f"{rate:,.0f}" for rate in wrk_rates) + " |")
    print(f"| **ratio kutsu / wrk** (target ≥ 0.5) | **{ratio:.2f}** {met} | |")
    bench_row(f"webhook: {args.webhooks:,} due at one second to nginx (204)",
              f"{kutsu:,.0f} req/s", f"wrk {peer:,.0f} req/s", f"{ratio:.2f}", ">= 0.5", met)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The run-peers table: per scenario, req/s and server CPU µs per request of every server (medians
over repeats), and each Brigade build's ratios to the best peer's req/s and the cheapest peer's CPU.

Also the whole machine's CPU per request (server + wrk + the kernel's work in anyone's context):
on loopback the receiving side's TCP work runs in the sender's context, so a server that sends a
response in one burst (a head held for its file, say) is charged work that another server leaves
to wrk. The machine column shows what a request costs in all."""
import json
import statistics
import sys
from collections import defaultdict

rows = defaultdict(lambda: defaultdict(list))  # scenario -> server -> [(rps, cpu_us)]
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r.get("scenario") in (None, "check") or not r.get("rps"):
                continue
            cpu_us = r.get("server_cpu_us_per_req") or float("nan")
            machine_us = r["machine_cpu_cores"] * 1e6 / r["rps"] if r.get("machine_cpu_cores") is not None else float("nan")
            errors = (r.get("non_2xx_3xx") or 0) + (r.get("socket_errors") or 0)
            rows[r["scenario"]][r["name"]].append((r["rps"], cpu_us, errors, machine_us))

order = ["plaintext", "pipeline", "json", "static-1k", "static-1m"]
print("| scenario | server | req/s | CPU µs/req | errors | vs best peer req/s | vs cheapest peer CPU "
      "| machine CPU µs/req | vs cheapest peer machine CPU |")
print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
for scenario in sorted(rows, key=lambda s: order.index(s) if s in order else 99):
    servers = rows[scenario]
    med = {s: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), sum(x[2] for x in v),
               statistics.median(x[3] for x in v))
           for s, v in servers.items()}
    peers = {s: m for s, m in med.items() if not s.startswith("brigade")}
    best = max(peers.values(), key=lambda m: m[0])[0] if peers else float("nan")
    cheapest = min(peers.values(), key=lambda m: m[1])[1] if peers else float("nan")
    cheapest_machine = min(peers.values(), key=lambda m: m[3])[3] if peers else float("nan")
    for s, (rps, cpu, errs, machine) in sorted(med.items(), key=lambda kv: -kv[1][0]):
        ours = s.startswith("brigade")
        ratio = f"{rps / best:.2f}×" if ours else ""
        cpu_ratio = f"{cpu / cheapest:.2f}×" if ours else ""
        machine_ratio = f"{machine / cheapest_machine:.2f}×" if ours else ""
        print(f"| {scenario} | {s} | {rps:,.0f} | {cpu:.1f} | {errs} | {ratio} | {cpu_ratio} "
              f"| {machine:.1f} | {machine_ratio} |")

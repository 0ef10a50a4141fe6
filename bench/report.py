#!/usr/bin/env python3
"""Turn the raw measurements of bench/run.sh into the markdown tables of
BENCHMARKS.md: the runs, the targets of issue 8 with whether each is met, and the
profile. Reads only the files run.sh wrote into its raw/ folder."""
import argparse
import glob
import json
import os
import re
import statistics


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def env(raw):
    out = {}
    for line in (read(os.path.join(raw, "machine.env"), "") or "").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
    return out


def timev(raw, name):
    """Peak RSS (MB), CPU %, wall (s) of the GNU time run."""
    t = read(os.path.join(raw, f"{name}.timev"))
    if t is None:
        return None
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", t)
    user = re.search(r"User time \(seconds\): ([\d.]+)", t)
    system = re.search(r"System time \(seconds\): ([\d.]+)", t)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t)
    secs = None
    if wall:
        parts = [float(p) for p in wall.group(1).split(":")]
        secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {
        "rss_mb": int(rss.group(1)) / 1024 if rss else None,
        "cpu": int(cpu.group(1)) if cpu else None,
        "cpu_s": float(user.group(1)) + float(system.group(1)) if user and system else None,
        "wall": secs,
    }


def times(raw, name):
    """(mean, stddev, n, CPU seconds per run or None) of the timed runs."""
    h = read(os.path.join(raw, f"{name}.hyperfine.json"))
    if h:
        r = json.loads(h)["results"][0]
        cpu_s = r["user"] + r["system"] if r.get("user") is not None and r.get("system") is not None else None
        return r["mean"], r.get("stddev") or 0.0, len(r["times"]), cpu_s
    runs = []
    for p in sorted(glob.glob(os.path.join(raw, f"{name}.run*"))):
        try:
            runs.append(float(read(p).strip().splitlines()[-1]))
        except (ValueError, IndexError, AttributeError):
            pass
    if not runs:
        return None
    return statistics.mean(runs), statistics.stdev(runs) if len(runs) > 1 else 0.0, len(runs), None


def load(raw, name):
    lines = (read(os.path.join(raw, f"{name}.load"), "") or "").split("\n")
    firsts = [l.split()[0] for l in lines if l.strip()]
    return " → ".join(firsts)


def manifest(raw, name):
    m = read(os.path.join(raw, f"{name}.manifest.json"))
    return json.loads(m) if m else None


def fmt(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--corpora", nargs="+", required=True, help="SIZE=DIR, smallest first")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", default="")
    ap.add_argument("--jionlp-mb", default="1")
    a = ap.parse_args()
    raw = a.raw
    e = env(raw)
    corpora = [c.split("=", 1) for c in a.corpora]
    rows = []
    res = {}  # (tool, tag, jobs) -> dict
    sizes = {}
    for size, _dir in corpora:
        tag = size.lower()
        m1 = manifest(raw, f"baogao-{tag}-j1") or manifest(raw, f"baogao-{tag}-j2")
        if not m1:
            continue
        nbytes = m1["summary"]["bytes"]
        ndocs = m1["summary"]["documents"]
        sizes[tag] = (nbytes, ndocs)
        for tool, jobs in [("baogao", 1), ("baogao", 2), ("rg", 1), ("rg", 2)]:
            name = f"{tool}-{tag}-j{jobs}"
            t = times(raw, name)
            if t is None:
                continue
            tv = timev(raw, name) or {}
            mean, sd, n, timed_cpu_s = t
            # CPU of the timed runs themselves when hyperfine gives it (the machine's
            # speed drifts, so the untimed run's CPU seconds may not match their wall
            # time); else the untimed run's.
            cpu_s = timed_cpu_s if timed_cpu_s else tv.get("cpu_s")
            r = {
                "mean": mean,
                "sd": sd,
                "n": n,
                "mbps": nbytes / 1e6 / mean,
                "docs": ndocs / mean,
                "rss": tv.get("rss_mb"),
                "cpu": round(100 * timed_cpu_s / mean) if timed_cpu_s else tv.get("cpu"),
                "cpu_s": cpu_s,
                "load": load(raw, name),
            }
            r["mb_cpu_s"] = nbytes / 1e6 / r["cpu_s"] if r["cpu_s"] else None
            mf = manifest(raw, name)
            if mf and mf.get("timings"):
                r["patterns_ms"] = mf["timings"]["patterns_ms"]
            res[(tool, tag, jobs)] = r
            label = "baogao extract" if tool == "baogao" else "rg, one money regex"
            rows.append(
                f"| {label} | {size} ({ndocs:,} files) | {jobs} | {fmt(mean, 2)} ± {fmt(sd, 2)} ({n}) "
                f"| {fmt(r['mbps'])} | {fmt(r['docs'], 0)} | {fmt(r['rss'])} | {r['cpu'] or '–'} "
                f"| {fmt(r['cpu_s'], 2)} | {fmt(r['mb_cpu_s'])} | {r['load']} |"
            )
    jio = {}
    for p in (1, 2):
        j = read(os.path.join(raw, f"jionlp-p{p}.json"))
        if j:
            try:
                jio[p] = json.loads(j.strip().splitlines()[-1])
            except (ValueError, IndexError):
                pass
    last_tag = corpora[-1][0].lower()
    last_size = corpora[-1][0]
    for p, j in sorted(jio.items()):
        rows.append(
            f"| jionlp `ner.extract_money` | {j['bytes'] / 1e6:.2f} MB sample of {last_size} ({j['files']} files) "
            f"| {p} proc | {fmt(j['seconds'], 2)} (1) | {fmt(j['mb_per_s'], 3)} | {fmt(j['files'] / j['seconds'], 1)} | – | – | – | – | |"
        )
    sample = times(raw, "baogao-sample-j1")
    if sample and jio.get(1):
        tv = timev(raw, "baogao-sample-j1") or {}
        rows.append(
            f"| baogao extract, same sample | {jio[1]['bytes'] / 1e6:.2f} MB sample | 1 | {fmt(sample[0], 3)} ± {fmt(sample[1], 3)} ({sample[2]}) "
            f"| {fmt(jio[1]['bytes'] / 1e6 / sample[0])} | {fmt(jio[1]['files'] / sample[0], 0)} | {fmt(tv.get('rss_mb'))} "
            f"| {tv.get('cpu') or '–'} | {fmt(tv.get('cpu_s'), 2)} | – | |"
        )

    out = []
    out.append(f"Measured {e.get('date', '?')} on commit `{e.get('commit', '?')}`.\n")
    out.append(
        f"Machine: {e.get('nproc', '?')} cores ({e.get('cpu', '?')}), {e.get('mem', '?')} RAM, "
        f"Linux {e.get('kernel', '?')}; {e.get('rustc', '?')}; {e.get('hyperfine', 'no hyperfine')}; "
        f"{e.get('rg', 'no rg')}; jionlp {e.get('jionlp', '–')}. "
        f"Load average (1 min) at start {e.get('load_start', '?').split()[0] if e.get('load_start') else '?'}, "
        f"at end {e.get('load_end', '?').split()[0] if e.get('load_end') else '?'}.\n"
    )
    desc = ", ".join(
        f"{s}: {sizes[s.lower()][1]:,} files, {sizes[s.lower()][0] / 1e6:,.1f} MB"
        for s, _ in corpora
        if s.lower() in sizes
    )
    out.append(
        f"Corpora from `cargo run --release --example synth -- --from corpus --bytes SIZE --seed {a.seed}` "
        f"({desc}); the smaller is the first files of the larger. Page cache warm (one untimed run "
        f"first, which also gives the peak RSS). jionlp reads an evenly spread {a.jionlp_mb} MB "
        f"sample of the {last_size} corpus (it runs at well under 1 MB/s).\n"
    )
    out.append(
        "| what | input | jobs | wall s (mean ± sd, runs) | MB/s | docs/s | peak RSS MB | CPU % | CPU s | MB per CPU s | load 1 min |"
    )
    out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    out.extend(rows)
    out.append("")

    # Targets.
    t = []
    b2 = res.get(("baogao", last_tag, 2))
    b1 = res.get(("baogao", last_tag, 1))
    first_tag = corpora[0][0].lower()

    def verdict(ok):
        return "–" if ok is None else ("**yes**" if ok else "**no**")

    if b2:
        cpu_view = (
            f"; {fmt(b2['mb_cpu_s'])} MB per CPU second, so at most {fmt(2 * b2['mb_cpu_s'])} MB/s on two free cores"
            if b2.get("mb_cpu_s")
            else ""
        )
        t.append(
            f"| whole pipeline ≥ 80 MB/s, `--jobs 2` ({last_size}) | {fmt(b2['mbps'])} MB/s wall{cpu_view} "
            f"| {verdict(b2['mbps'] >= 80)} |"
        )
    if b1 and b2:
        sp = b1["mean"] / b2["mean"]
        busy = f"; `--jobs 2` kept {b2['cpu_s'] / b2['mean']:.2f} cores busy" if b2.get("cpu_s") else ""
        t.append(f"| `--jobs 2` ≥ 1.7 × `--jobs 1` ({last_size}) | {sp:.2f} × wall{busy} | {verdict(sp >= 1.7)} |")
    peak = max((r["rss"] or 0) for (tool, tag, _), r in res.items() if tool == "baogao" and tag == last_tag) if b2 else None
    if peak:
        t.append(f"| peak RSS ≤ 200 MB ({last_size}) | {peak:.1f} MB | {verdict(peak <= 200)} |")
    if len(corpora) > 1:
        for j in (1, 2):
            small = res.get(("baogao", first_tag, j))
            big = res.get(("baogao", last_tag, j))
            if small and big and small["rss"] and big["rss"]:
                g = (big["rss"] - small["rss"]) / small["rss"] * 100
                t.append(
                    f"| RSS grows ≤ 10% from {corpora[0][0]} to {last_size}, `--jobs {j}` | "
                    f"{small['rss']:.1f} → {big['rss']:.1f} MB ({g:+.1f}%) | {verdict(g <= 10)} |"
                )
    pms = [r.get("patterns_ms") for (tool, _, _), r in res.items() if tool == "baogao" and r.get("patterns_ms") is not None]
    if pms:
        t.append(f"| pattern set load + compile ≤ 50 ms (`patterns_ms` in manifest.json) | max {max(pms)} ms | {verdict(max(pms) <= 50)} |")
    for p, bj in ((1, b1), (2, b2)):
        if p in jio and bj:
            ratio = bj["mbps"] / jio[p]["mb_per_s"]
            t.append(
                f"| ≥ 30 × jionlp `extract_money` throughput (`--jobs {p}` vs {p} process{'es' if p > 1 else ''}) | "
                f"{ratio:,.0f} × | {verdict(ratio >= 30)} |"
            )
    r2 = res.get(("rg", last_tag, 2))
    if b2 and r2:
        ratio = b2["mean"] / r2["mean"]
        cpu_ratio = (
            f"; {b2['cpu_s'] / r2['cpu_s']:.1f} × its CPU time" if b2.get("cpu_s") and r2.get("cpu_s") else ""
        )
        t.append(
            f"| within 10 × the time of one ripgrep scan (both 2 threads, {last_size}) | {ratio:.1f} × wall{cpu_ratio} "
            f"| {verdict(ratio <= 10)} |"
        )
    if t:
        out.append("| target (issue 8) | measured | met |")
        out.append("| --- | --- | --- |")
        out.extend(t)
        out.append("")

    prof = read(os.path.join(raw, "profile.txt"))
    if prof and prof.strip():
        out.append(f"Profile (`perf record`, `--jobs 1`, {corpora[0][0]} corpus; self time, symbols over 1%):\n")
        out.append("```")
        # perf pads its columns (and, with call graphs, adds empty ones: `-  -`).
        out.extend(re.sub(r"(\s+-)+$", "", l.strip()) for l in prof.strip().splitlines())
        out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""jionlp's ner.extract_money over a list of synth files, timed in-process.

Each file is read and decoded (its encoding is in the corpus's synth.tsv, as a
user's script would know or detect it) and passed whole to
jio.ner.extract_money, with its default parsing of each amount to yuan, the
closest peer of baogao's money facts. Import and a warm-up call are outside the
timing. Prints one JSON object: files, bytes (as stored), seconds, mb_per_s,
amounts found, processes."""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time

CODECS = {
    "UTF-8": "utf-8",
    "UTF-8+BOM": "utf-8-sig",
    "GB18030": "gb18030",
    "UTF-16LE+BOM": "utf-16",
    "UTF-16BE+BOM": "utf-16",
    "UTF-16LE": "utf-16-le",
    "UTF-16BE": "utf-16-be",
}

_jio = None


def _init() -> None:
    global _jio
    # jionlp prints a banner on import; keep stdout for the result.
    saved = sys.stdout
    sys.stdout = sys.stderr
    try:
        import jionlp

        _jio = jionlp
        _jio.ner.extract_money("2023年度收、支总计74万元,较上年增加34万元。")
    finally:
        sys.stdout = saved


def work(job):
    path, codec = job
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode(codec, errors="replace")
    return len(raw), len(_jio.ner.extract_money(text))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--files", required=True, help="paths relative to --root, one a line")
    ap.add_argument("--recipe", required=True)
    ap.add_argument("--procs", type=int, default=1)
    a = ap.parse_args()
    enc = {}
    header = None
    with open(a.recipe, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            r = dict(zip(header, cols))
            enc[r["path"]] = CODECS[r["encoding"]]
    with open(a.files, encoding="utf-8") as f:
        rels = [l.strip() for l in f if l.strip()]
    jobs = [(os.path.join(a.root, r), enc[r]) for r in rels]
    if a.procs <= 1:
        _init()
        t = time.perf_counter()
        results = [work(j) for j in jobs]
        secs = time.perf_counter() - t
    else:
        with mp.Pool(a.procs, initializer=_init) as pool:
            pool.map(abs, range(a.procs))  # workers up and warm
            t = time.perf_counter()
            results = pool.map(work, jobs, chunksize=1)
            secs = time.perf_counter() - t
    nbytes = sum(r[0] for r in results)
    print(
        json.dumps(
            {
                "files": len(jobs),
                "bytes": nbytes,
                "seconds": round(secs, 3),
                "mb_per_s": round(nbytes / 1e6 / secs, 4),
                "amounts": sum(r[1] for r in results),
                "procs": a.procs,
            }
        )
    )


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Pick an evenly spread sample of a synth corpus (files listed in synth.tsv order),
at least --mb megabytes of files as stored, for tools too slow to read all of it.
Prints paths relative to the corpus folder, one a line."""
import argparse


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipe", required=True, help="the corpus's synth.tsv")
    ap.add_argument("--mb", type=float, default=1.0)
    a = ap.parse_args()
    rows = []
    with open(a.recipe, encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            r = dict(zip(header, cols))
            rows.append((r["path"], int(r["bytes"])))
    if not rows:
        raise SystemExit("empty recipe")
    target = a.mb * 1e6
    avg = sum(b for _, b in rows) / len(rows)
    step = max(1, int(len(rows) / max(1.0, target / avg)))
    total = 0
    i = 0
    picked = set()
    while total < target and len(picked) < len(rows):
        k = (i * step) % len(rows) + (i * step) // len(rows)
        i += 1
        if k >= len(rows) or k in picked:
            continue
        picked.add(k)
        total += rows[k][1]
    for k in sorted(picked):
        print(rows[k][0])


if __name__ == "__main__":
    main()

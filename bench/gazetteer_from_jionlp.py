#!/usr/bin/env python3
"""Rebuild examples/synth/counties.tsv from jionlp's location dictionary.

The synthetic-corpus generator (examples/synth.rs) needs real county-level
division names. Until baogao ships its own gazetteer, they come from the
Apache-2.0 dictionary inside the PyPI package jionlp (dictionary/china_location.txt:
province / prefecture / county with 6-digit codes, one level of tab per depth).

    python3 -m venv /tmp/jio && /tmp/jio/bin/pip install jionlp==1.5.31
    /tmp/jio/bin/python bench/gazetteer_from_jionlp.py > examples/synth/counties.tsv
"""
import importlib.util
import os
import sys


def main() -> None:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or spec.origin is None:
        sys.exit("jionlp is not installed in this interpreter")
    import importlib.metadata as md

    version = md.version("jionlp")
    path = os.path.join(os.path.dirname(spec.origin), "dictionary", "china_location.txt")
    rows = []
    province = prefecture = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            depth = len(line) - len(line.lstrip("\t"))
            cols = line.strip("\t").split("\t")
            if depth == 0:
                province, prefecture = cols[0], None
            elif depth == 1:
                prefecture = cols[0]
            elif depth == 2 and len(cols) >= 3 and province and prefecture:
                name, code, short = cols[0], cols[1], cols[2]
                if len(code) == 6 and code.isdigit():
                    rows.append((code, province, prefecture, name, short))
    rows.sort()
    print(f"# County-level divisions from jionlp {version} dictionary/china_location.txt (Apache-2.0).")
    print("# Regenerate with bench/gazetteer_from_jionlp.py. Columns:")
    print("adcode\tprovince\tprefecture\tcounty\tcounty_short")
    for r in rows:
        print("\t".join(r))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Whole-run benchmark of baogao, with ripgrep (the I/O-and-scan floor) and jionlp's
# ner.extract_money (the peer most users would otherwise script) on the same
# generated corpus. One command, reproducible: it builds, generates (or reuses) the
# corpora, installs what it needs, measures, and writes a markdown table to paste
# into BENCHMARKS.md (target/bench/results.md) plus the raw numbers beside it.
#
#   bench/run.sh                      # 100 MB and 1 GB corpora, 3 timed runs each
#   bench/run.sh --sizes 100MB --runs 1 --no-jionlp   # a quick look
#
# See docs/bench.md for what each figure means.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZES="100MB 1GB"
RUNS=3
SEED=20240601
JIONLP=1
JIONLP_MB=1
PROFILE=1
INSTALL=1
WORK=${BENCH_DIR:-$ROOT/target/bench}
usage() {
  sed -n '2,12p' "$0"
  cat <<'EOF'
Options:
  --sizes "S1 S2"   corpus sizes, smallest first (default "100MB 1GB"); RSS growth
                    is reported between the first and the last
  --runs N          timed runs per configuration (default 3; one more, untimed,
                    measures peak RSS and warms the page cache)
  --seed N          generator seed (default 20240601)
  --jionlp-mb MB    size of the evenly spread sample jionlp reads (default 1; it
                    runs at well under 1 MB/s)
  --no-jionlp       skip jionlp        --no-profile   skip the perf profile
  --no-install      use only what is already installed
  --dir DIR         work folder (default target/bench; $BENCH_DIR)
EOF
}
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --jionlp-mb) JIONLP_MB=$2; shift 2 ;;
    --no-jionlp) JIONLP=0; shift ;;
    --no-profile) PROFILE=0; shift ;;
    --no-install) INSTALL=0; shift ;;
    --dir) WORK=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

RAW=$WORK/raw
mkdir -p "$RAW"
rm -f "$RAW"/*
log() { echo "bench: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------- tools
have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  [ "$INSTALL" = 1 ] || return 1
  if [ "$(id -u)" = 0 ] && have apt-get; then
    log "installing $* with apt-get"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$RAW/apt.log" 2>&1
  else
    return 1
  fi
}
have hyperfine || apt_install hyperfine || { [ "$INSTALL" = 1 ] && have cargo && cargo install --locked hyperfine; } || true
have rg || apt_install ripgrep || { [ "$INSTALL" = 1 ] && have cargo && cargo install --locked ripgrep; } || true
if [ ! -x /usr/bin/time ]; then apt_install time || true; fi
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time (GNU time) is needed for peak RSS" >&2; exit 2; }
have hyperfine || log "hyperfine not available: timing with /usr/bin/time alone"
have rg || log "ripgrep not available: no I/O-and-scan floor"

# ---------------------------------------------------------------- build, corpora
log "building (release)"
cargo build --release --locked --bin baogao --example synth 2>"$RAW/build.log" || { cat "$RAW/build.log" >&2; exit 2; }
BAOGAO=$ROOT/target/release/baogao
SYNTH=$ROOT/target/release/examples/synth

CORPORA=()
for s in $SIZES; do
  dir=$WORK/synth-$(echo "$s" | tr 'A-Z' 'a-z')
  log "corpus $s -> $dir (reused when up to date)"
  "$SYNTH" --from corpus --bytes "$s" --seed "$SEED" --out "$dir" -q
  CORPORA+=("$s=$dir")
done

# ---------------------------------------------------------------- machine
{
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "mem=$(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "kernel=$(uname -r)"
  echo "rustc=$(rustc --version)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo +dirty)"
  echo "hyperfine=$(hyperfine --version 2>/dev/null || echo none)"
  echo "rg=$(rg --version 2>/dev/null | head -1 || echo none)"
  echo "load_start=$(load)"
} >"$RAW/machine.env"

# ---------------------------------------------------------------- measurements
# time_cmd NAME CMD...: one untimed run under GNU time (peak RSS, warm cache),
# then RUNS timed runs (hyperfine when present). Every run starts after `sync`: a
# 1 GB run writes about 6 GB of JSON, and the kernel flushing the previous run's
# output would otherwise share the two cores with the next one.
time_cmd() {
  local name=$1; shift
  log "$name: $* (load $(load))"
  echo "$(load)" >"$RAW/$name.load"
  sync
  /usr/bin/time -v "$@" >/dev/null 2>"$RAW/$name.timev" || true
  if have hyperfine; then
    hyperfine --runs "$RUNS" --prepare sync --style none --export-json "$RAW/$name.hyperfine.json" \
      --command-name "$name" -- "$(printf '%q ' "$@")" >/dev/null 2>"$RAW/$name.hyperfine.log" || {
      cat "$RAW/$name.hyperfine.log" >&2; exit 2; }
  else
    for i in $(seq "$RUNS"); do
      sync
      /usr/bin/time -f '%e' -o "$RAW/$name.run$i" "$@" >/dev/null 2>&1 || true
    done
  fi
  echo "$(load)" >>"$RAW/$name.load"
}

MONEY='[0-9][0-9,]*(\.[0-9]+)?[ ]?(万元|亿元|千元|元)'
for c in "${CORPORA[@]}"; do
  size=${c%%=*}; dir=${c#*=}
  tag=$(echo "$size" | tr 'A-Z' 'a-z')
  for j in 1 2; do
    time_cmd "baogao-$tag-j$j" "$BAOGAO" extract "$dir/docs" --out "$WORK/out-$tag" --jobs "$j" -q
    cp "$WORK/out-$tag/manifest.json" "$RAW/baogao-$tag-j$j.manifest.json"
  done
  if have rg; then
    time_cmd "rg-$tag-j2" rg -c --no-ignore --no-messages -j 2 "$MONEY" "$dir/docs"
    time_cmd "rg-$tag-j1" rg -c --no-ignore --no-messages -j 1 "$MONEY" "$dir/docs"
  fi
done

LAST=${CORPORA[${#CORPORA[@]}-1]}
LAST_DIR=${LAST#*=}
LAST_TAG=$(echo "${LAST%%=*}" | tr 'A-Z' 'a-z')
if [ "$JIONLP" = 1 ]; then
  VENV=$WORK/venv-jionlp
  if ! "$VENV/bin/python" -c 'import jionlp' >/dev/null 2>&1; then
    log "installing jionlp into a throwaway venv ($VENV)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q jionlp >"$RAW/pip.log" 2>&1 || { cat "$RAW/pip.log" >&2; exit 2; }
  fi
  "$VENV/bin/pip" show jionlp 2>/dev/null | awk '/^Version/ {print "jionlp=" $2}' >>"$RAW/machine.env"
  # The sample, and baogao on exactly the same files.
  python3 bench/sample.py --recipe "$LAST_DIR/synth.tsv" --mb "$JIONLP_MB" >"$RAW/sample.txt"
  for p in 1 2; do
    log "jionlp extract_money, $p process(es), ${JIONLP_MB} MB sample (load $(load))"
    "$VENV/bin/python" bench/jionlp_money.py --root "$LAST_DIR" --files "$RAW/sample.txt" \
      --recipe "$LAST_DIR/synth.tsv" --procs "$p" >"$RAW/jionlp-p$p.json" 2>"$RAW/jionlp-p$p.log"
  done
  mapfile -t SAMPLE_FILES < <(sed "s|^|$LAST_DIR/|" "$RAW/sample.txt")
  time_cmd "baogao-sample-j1" "$BAOGAO" extract "${SAMPLE_FILES[@]}" --out "$WORK/out-sample" --jobs 1 -q
fi

if [ "$PROFILE" = 1 ] && have perf; then
  FIRST=${CORPORA[0]}
  log "profile: perf record, --jobs 1, ${FIRST%%=*} corpus"
  if perf record -F 499 -g -o "$RAW/perf.data" "$BAOGAO" extract "${FIRST#*=}/docs" \
      --out "$WORK/out-profile" --jobs 1 -q >/dev/null 2>"$RAW/perf.log"; then
    perf report -i "$RAW/perf.data" --no-children --sort symbol --percent-limit 1 --stdio 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | head -25 >"$RAW/profile.txt" || true
  fi
fi
echo "load_end=$(load)" >>"$RAW/machine.env"

python3 bench/report.py --raw "$RAW" --corpora "${CORPORA[@]}" --runs "$RUNS" --seed "$SEED" \
  --jionlp-mb "$JIONLP_MB" >"$WORK/results.md"
cat "$WORK/results.md"
log "results: $WORK/results.md (raw numbers in $RAW)"

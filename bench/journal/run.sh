#!/usr/bin/env bash
# Journal benchmark of jHAM: what the state journal costs per mutation (appends/s and us per
# append of ~200-byte records, fsync off and on), compaction of 1,000 and 10,000 records, and the
# open (replay) at takeover. See README.md next to this file.
#
# usage: bench/journal/run.sh [--dir DIR] [--size BYTES] [--rounds R] [--nosync-n N] [--sync-n N]
#                             [--seconds S]
#   --dir       a directory on the file system to measure (default: a new one under $TMPDIR or
#               /tmp); the benchmark works in a fresh subdirectory of it and deletes that
#   --size      record size in bytes (default 200)
#   --rounds    rounds of each measurement (default 3; compaction and open take at least 5)
#   --nosync-n  appends per round with fsync off (default 500000)
#   --sync-n    appends per round with fsync on (default 20000)
#   --seconds   stop a round of appends after S seconds whatever its count (default 20)
# environment:
#   JHAM_ROOT     the checkout to benchmark (default: the one holding this script)
#   OUT           where journal.csv goes (default: <this dir>/out)
#   JAVA          java launcher of a JDK (default: java on PATH)
#   BENCH_JAVA_OPTS JVM options of the harness (default "-Xmx1g")
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${JHAM_ROOT:-$HERE/../..}" && pwd)
OUT=${OUT:-$HERE/out}
JAVA=${JAVA:-java}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}

BASE=${TMPDIR:-/tmp}
HARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; BASE=$2; shift 2 ;;
        --size|--rounds|--nosync-n|--sync-n|--seconds)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            HARGS+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || die "java is required"
mkdir -p "$BASE" "$OUT"
WORK=$(mktemp -d "$BASE/jham-journal-bench.XXXXXX")
HARNESS_PID=
cleanup() {
    local rc=$?
    set +e
    if [ -n "$HARNESS_PID" ] && kill -0 "$HARNESS_PID" 2>/dev/null; then
        kill -9 "$HARNESS_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- build: the harness needs org.jham.agent.state.Journal in the jar --------------------------
JAR=$ROOT/ham-agent/target/ham-agent.jar
has_journal() {
    local listing
    listing=$(unzip -l "$JAR" 2>/dev/null || jar tf "$JAR" 2>/dev/null) || return 1
    grep -q 'org/jham/agent/state/Journal.class' <<<"$listing"
}
if [ ! -f "$JAR" ] || ! has_journal; then
    log "building $ROOT (mvn -q -B -o -DskipTests package)"
    (cd "$ROOT" && mvn -q -B -o -DskipTests package) || die "the build failed"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
fi

log "machine: $(uname -srm), $(nproc) CPUs; launcher: $("$JAVA" -version 2>&1 | sed -n 2p)"
fs=$(df -PT "$WORK" | awk 'NR == 2 { print $2 }')
dev=$(df -P "$WORK" | awk 'NR == 2 { print $1 " mounted on " $6 }')
log "journal directory: $WORK, file system $fs ($dev)"
[ "$fs" = tmpfs ] && log "WARNING: tmpfs: fsync costs nothing there; pass --dir on a disk to measure one"

# How busy the machine is (1 s of /proc/stat): other load skews every figure on 2 CPUs.
busy_pct() {
    local a b
    a=($(head -n 1 /proc/stat)); sleep 1; b=($(head -n 1 /proc/stat))
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
pct=$(busy_pct)
if [ "$pct" -ge 10 ]; then
    log "WARNING: the machine is busy: ${pct}% of all CPUs over 1 s; load $(cut -d' ' -f1-3 /proc/loadavg)"
else
    log "machine idle check: ${pct}% of all CPUs busy over 1 s (load $(cut -d' ' -f1-3 /proc/loadavg))"
fi

# in the background + wait, so that a signal to run.sh runs the clean-up at once
# shellcheck disable=SC2086
"$JAVA" $BENCH_JAVA_OPTS -cp "$JAR" "$HERE/JournalBench.java" --dir "$WORK" --csv "$OUT/journal.csv" \
    ${HARGS[@]+"${HARGS[@]}"} </dev/null &
HARNESS_PID=$!
wait "$HARNESS_PID" && RC=0 || RC=$?
HARNESS_PID=
exit "$RC"

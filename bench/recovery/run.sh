#!/usr/bin/env bash
# Recovery benchmark of recovery-lib: the cost of an HA-aware connection on the no-failure path
# (ns per read/write, small and large buffers, plain channel against HaFileChannel / HaSocket), and
# the time to recover once the server is back after a kill -9. See README.md next to this file.
#
# usage: bench/recovery/run.sh [--rounds R] [--round-ms MS] [--kills N] [--warmup-kills W]
#   --rounds       alternating rounds per case in part 1 (default 30)
#   --round-ms     about how long one round takes (default 20)
#   --kills        measured kills of the echo server in part 2 (default 40)
#   --warmup-kills unmeasured kills first (default 3)
#   --only REGEX   only the part-1 cases whose name matches; part 2 if "recovery" matches
# environment:
#   JHAM_ROOT  the checkout to benchmark (default: the one holding this script)
#   OUT        where the CSVs go (default: <this dir>/out)
#   JAVA       java launcher (default: java on PATH)
#   BENCH_JAVA_OPTS extra JVM options for the harness (default none)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${JHAM_ROOT:-$HERE/../..}" && pwd)
OUT=${OUT:-$HERE/out}
JAVA=${JAVA:-java}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}

HARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds|--round-ms|--kills|--warmup-kills|--only)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            HARGS+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || die "java is required"

TMP=$(mktemp -d /tmp/jham-recovery.XXXXXX)
PIDS=$TMP/pids
mkdir -p "$PIDS" "$OUT"
HARNESS_PID=

# True if pid $1 is still the process started at $2 (field 22 of /proc/<pid>/stat) and not a zombie.
alive_same() {
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    set -- "$2" $s
    [ "$2" != Z ] && [ "${21}" = "$1" ]
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$HARNESS_PID" ] && kill -0 "$HARNESS_PID" 2>/dev/null; then
        kill -9 "$HARNESS_PID" 2>/dev/null
    fi
    # every echo server the harness started (it kills them itself, unless it was killed first)
    local f left=0
    for f in "$PIDS"/*; do
        [ -e "$f" ] || continue
        if alive_same "${f##*/}" "$(cat "$f")"; then
            left=$((left + 1))
            kill -9 "${f##*/}" 2>/dev/null
        fi
    done
    [ "$left" = 0 ] || echo "[run.sh] killed $left echo server(s) still running at the end" >&2
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- build -----------------------------------------------------------------------------------
JAR=$(ls "$ROOT"/recovery-lib/target/recovery-lib-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$JAR" ]; then
    log "building $ROOT/recovery-lib (mvn -q -B -DskipTests -pl recovery-lib package)"
    (cd "$ROOT" && mvn -q -B -DskipTests -pl recovery-lib package) || die "the build failed"
    JAR=$(ls "$ROOT"/recovery-lib/target/recovery-lib-*.jar 2>/dev/null | head -n 1 || true)
    [ -n "$JAR" ] || die "the build did not produce recovery-lib/target/recovery-lib-*.jar"
fi

log "machine: $(uname -srm), $(nproc) CPUs; launcher: $("$JAVA" -version 2>&1 | sed -n 2p)"
log "recovery-lib: $JAR"

# How busy the machine is (1 s of /proc/stat): other load skews every figure on 2 CPUs.
busy_check() {
    local a b
    a=($(head -n 1 /proc/stat)); sleep 1; b=($(head -n 1 /proc/stat))
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    local pct=$(( total > 0 ? 100 * (total - idle) / total : 0 ))
    if [ "$pct" -ge 10 ]; then
        log "WARNING: the machine is busy: ${pct}% of all CPUs over 1 s; load $(cut -d' ' -f1-3 /proc/loadavg)." \
            "Figures will not compare with the README's. Busiest now:"
        top -b -n 1 -o %CPU 2>/dev/null | sed -n '8,11p' | sed 's/^/    /' || true
    else
        log "machine idle check: ${pct}% of all CPUs busy over 1 s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    fi
}
busy_check

# The files of part 1 on tmpfs when there is one: the figures are the library's, not the disk's.
DATA=$TMP
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    DATA=$(mktemp -d /dev/shm/jham-recovery.XXXXXX)
    trap 'rm -rf "$DATA"; cleanup' EXIT
fi
log "data files in $DATA"

# in the background + wait, so that a signal to run.sh runs the clean-up at once
# shellcheck disable=SC2086
"$JAVA" $BENCH_JAVA_OPTS -cp "$JAR" "$HERE/RecoveryBench.java" --self "$HERE/RecoveryBench.java" \
    --dir "$DATA" --csv-dir "$OUT" --pid-dir "$PIDS" ${HARGS[@]+"${HARGS[@]}"} </dev/null &
HARNESS_PID=$!
wait "$HARNESS_PID" && RC=0 || RC=$?
HARNESS_PID=
[ "$RC" = 0 ] || log "the harness ended with status $RC"
exit "$RC"

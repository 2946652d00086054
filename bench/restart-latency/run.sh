#!/usr/bin/env bash
# Restart-latency benchmark of jHAM: kill -9 -> the restarted child's first instruction.
# See README.md next to this file.
#
# usage: bench/restart-latency/run.sh [N] [--warmup W] [--floor-n M] [--no-floor] [--floor-only]
#   N          measured kills of the jHAM-supervised child (default 100)
#   --warmup   unmeasured kills first (default 5)
#   --floor-n  restarts measured by the C reference floor, run after jHAM (default 20)
#   --no-floor skip the floor; --floor-only run only the floor (no build, no HAM)
# environment:
#   JHAM_ROOT     the checkout to benchmark (default: the one holding this script)
#   OUT           where child, floor and the CSVs go (default: <this dir>/out)
#   HAM_JAVA_OPTS extra JVM options for the HAM (default none)
#   JAVA          java launcher (default: java on PATH)
#   KEEP_TMP=1    keep the temporary state/stamp directory (HAM output, child logs)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${JHAM_ROOT:-$HERE/../..}" && pwd)
OUT=${OUT:-$HERE/out}
JAVA=${JAVA:-java}
HAM_JAVA_OPTS=${HAM_JAVA_OPTS:-}

N=100
WARMUP=5
FLOOR_N=20
RUN_FLOOR=1
RUN_HAM=1
while [ $# -gt 0 ]; do
    case "$1" in
        --warmup) WARMUP=$2; shift 2 ;;
        --floor-n) FLOOR_N=$2; shift 2 ;;
        --no-floor) RUN_FLOOR=0; shift ;;
        --floor-only) RUN_HAM=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        [0-9]*) N=$1; shift ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

command -v gcc >/dev/null || die "gcc is required"
[ "$RUN_HAM" = 0 ] || command -v "$JAVA" >/dev/null || die "java is required"

TMP=$(mktemp -d /tmp/jham-bench.XXXXXX)
STAMPS=$TMP/stamps
FLOOR_STAMPS=$TMP/floor-stamps
mkdir -p "$STAMPS" "$FLOOR_STAMPS" "$OUT"
HAM_PID=
FLOOR_PID=
HARNESS_PID=
CHILD=$OUT/child

# Kills one pid only if it still runs our child executable (no pid-reuse accidents).
kill_child_pid() {
    local pid=$1 exe
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 0
    [ "$exe" = "$CHILD" ] && kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$HARNESS_PID" ] && kill -0 "$HARNESS_PID" 2>/dev/null; then
        kill -9 "$HARNESS_PID" 2>/dev/null
    fi
    if [ -n "$FLOOR_PID" ] && kill -0 "$FLOOR_PID" 2>/dev/null; then
        kill -TERM "$FLOOR_PID" 2>/dev/null   # floor kills its own child on TERM
        sleep 0.2
        kill -9 "$FLOOR_PID" 2>/dev/null
    fi
    if [ -n "$HAM_PID" ] && kill -0 "$HAM_PID" 2>/dev/null; then
        kill -9 "$HAM_PID" 2>/dev/null
    fi
    # every child ever started leaves a stamp named by its pid (the harness deletes the stamps
    # of children it killed, so these are the ones that may still run)
    for f in "$STAMPS"/* "$STAMPS"-clockcheck/* "$FLOOR_STAMPS"/*; do
        [ -e "$f" ] || continue
        case "${f##*/}" in *[!0-9]*) continue ;; esac
        kill_child_pid "${f##*/}"
    done
    if [ "$rc" != 0 ] && [ -s "$TMP/ham.out" -o -s "$TMP/ham.err" ]; then
        echo "[run.sh] HAM stdout/stderr (last lines):" >&2
        tail -n 20 "$TMP/ham.out" "$TMP/ham.err" >&2 2>/dev/null
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        echo "[run.sh] kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- build ---------------------------------------------------------------------------------
JAR=$ROOT/ham-agent/target/ham-agent.jar
if [ "$RUN_HAM" = 1 ] && [ ! -f "$JAR" ]; then
    log "building $ROOT (mvn -q -B -DskipTests package)"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
fi
gcc -O2 -static -Wall -o "$OUT/child" "$HERE/child.c" || die "cannot build child.c statically (need libc6-dev static libc)"
gcc -O2 -Wall -o "$OUT/floor" "$HERE/floor.c" -lm || die "cannot build floor.c"
CLK_TCK=$(getconf CLK_TCK)

log "machine: $(uname -srm), $(nproc) CPUs; child: $OUT/child (gcc -O2 -static)"

# How busy the machine is (1 s of /proc/stat): other load skews every figure on 2 CPUs.
busy_check() {
    local a b
    a=($(head -n 1 /proc/stat)); sleep 1; b=($(head -n 1 /proc/stat))
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    local pct=$(( total > 0 ? 100 * (total - idle) / total : 0 ))
    if [ "$pct" -ge 10 ]; then
        log "WARNING: the machine is busy before the $1 run: ${pct}% of all CPUs over 1 s; load $(cut -d' ' -f1-3 /proc/loadavg)." \
            "Figures will not compare with the reference. Busiest now:"
        top -b -n 1 -o %CPU 2>/dev/null | sed -n '8,11p' | sed 's/^/    /' || true
    else
        log "machine idle check before the $1 run: ${pct}% of all CPUs busy over 1 s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    fi
}

# --- jHAM ------------------------------------------------------------------------------------
RC=0
if [ "$RUN_HAM" = 1 ]; then
    LIB=$ROOT/ham-agent/target/lib
    OPENDMK=$LIB/opendmk_jmxremote_optional_jar-1.0-b01-ea.jar
    MBEANS=$(ls "$LIB"/ham-mbeans-*.jar 2>/dev/null | head -n 1 || true)
    [ -n "$MBEANS" ] || MBEANS=$(ls "$ROOT"/ham-mbeans/target/ham-mbeans-*.jar 2>/dev/null | head -n 1 || true)
    [ -f "$OPENDMK" ] || die "missing $OPENDMK (build ham-agent)"
    [ -n "$MBEANS" ] || die "no ham-mbeans jar in $LIB"
    log "launcher: $("$JAVA" -version 2>&1 | sed -n 2p)"
    busy_check jHAM

    # shellcheck disable=SC2086
    "$JAVA" $HAM_JAVA_OPTS -cp "$JAR" org.jham.agent.launch.HamMain --foreground --no-guardian --port 0 --bind 127.0.0.1 \
        --state-dir "$TMP/state" --fresh -V0 >"$TMP/ham.out" 2>"$TMP/ham.err" </dev/null &
    HAM_PID=$!
    log "started the HAM: pid $HAM_PID: $JAVA $HAM_JAVA_OPTS -cp $JAR org.jham.agent.launch.HamMain --foreground --no-guardian --port 0 --bind 127.0.0.1 --state-dir $TMP/state --fresh -V0"

    URL=
    deadline=$((SECONDS + 60))
    while [ -z "$URL" ]; do
        line=$(grep -m 1 '^jHAM listening on ' "$TMP/ham.out" 2>/dev/null || true)
        if [ -n "$line" ]; then
            URL=$(printf '%s\n' "$line" | sed -n 's/^jHAM listening on \(service:jmx:jmxmp:[^ ]*\) pid=[0-9][0-9]*.*$/\1/p')
            PRINTED_PID=$(printf '%s\n' "$line" | sed -n 's/.* pid=\([0-9][0-9]*\).*$/\1/p')
            [ -n "$URL" ] || die "cannot parse the HAM's ready line: $line"
            break
        fi
        kill -0 "$HAM_PID" 2>/dev/null || die "the HAM exited before it was ready"
        [ "$SECONDS" -lt "$deadline" ] || die "the HAM printed no 'jHAM listening on' line within 60 s"
        sleep 0.05
    done
    if [ "$PRINTED_PID" != "$HAM_PID" ]; then
        log "WARNING: the HAM says pid=$PRINTED_PID, the shell started $HAM_PID; measuring $PRINTED_PID"
    fi
    log "HAM ready at $URL (pid $PRINTED_PID)"

    # in the background + wait, so that a signal to run.sh runs the clean-up at once
    "$JAVA" -XX:+UseSerialGC -cp "$MBEANS:$OPENDMK" "$HERE/RestartLatency.java" \
        --url "$URL" --ham-pid "$PRINTED_PID" --child "$OUT/child" --stamp-dir "$STAMPS" \
        --n "$N" --warmup "$WARMUP" --clk-tck "$CLK_TCK" --csv "$OUT/latencies-jham.csv" --stop-ham </dev/null &
    HARNESS_PID=$!
    wait "$HARNESS_PID" && RC=0 || RC=$?
    HARNESS_PID=

    # stop("abrupt") was sent by the harness; make sure the HAM is gone
    for _ in $(seq 1 100); do
        kill -0 "$HAM_PID" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$HAM_PID" 2>/dev/null; then
        log "NOTE: the HAM was still alive 5 s after stop(\"abrupt\"): killing pid $HAM_PID"
        kill -9 "$HAM_PID" 2>/dev/null || true
        [ "$RC" != 0 ] || RC=4
    else
        wait "$HAM_PID" 2>/dev/null && HAM_RC=0 || HAM_RC=$?
        log "the HAM exited (status $HAM_RC)"
    fi
    HAM_PID=
    if [ -s "$TMP/ham.err" ]; then
        log "HAM stderr:"
        sed 's/^/    /' "$TMP/ham.err" | tail -n 40
    fi
    [ "$RC" = 0 ] || log "the jHAM harness ended with status $RC"
fi

# --- floor -----------------------------------------------------------------------------------
if [ "$RUN_FLOOR" = 1 ]; then
    echo
    log "reference floor: $OUT/floor (N=$FLOOR_N)"
    busy_check floor
    "$OUT/floor" "$OUT/child" "$FLOOR_STAMPS" "$FLOOR_N" &
    FLOOR_PID=$!
    wait "$FLOOR_PID" || { FRC=$?; FLOOR_PID=; die "the floor failed (status $FRC)"; }
    FLOOR_PID=
fi
exit "$RC"

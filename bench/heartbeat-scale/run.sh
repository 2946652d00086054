#!/usr/bin/env bash
# Heartbeat-scale benchmark of jHAM: N self-attached entities in K client JVMs beat at R Hz for
# T seconds against one HAM; counts false misses, HAM CPU per million heartbeats, HAM heap, client
# CPU; then stops a few entities' beats and checks exactly those miss. See README.md next to this file.
#
# usage: bench/heartbeat-scale/run.sh [N] [--clients K] [--rate HZ] [--seconds T] [--warmup W]
#                                     [--fail F] [--fail-ms MS] [--phases spread|together]
#                                     [--label TEXT] [--wait-idle S]
#   N           self-attached entities (default 1000)
#   --clients   client JVMs they are spread over (default 4)
#   --rate      beats per second per entity (default 10); each entity's hp is 2/R
#   --seconds   measured window (default 60), after --warmup seconds (default 10)
#   --fail      entities whose beats stop for --fail-ms (default 5 for 3000 ms) at the end
#   --phases    spread: the N entities' beats spread evenly over the beat period (default);
#               together: every entity of a client beats at the same instant
#   --label     a word for the CSV line
#   --wait-idle wait up to S seconds for the machine to be idle (< 10% busy) before starting
#               (default 0: only warn)
# environment:
#   JHAM_ROOT         the checkout to benchmark (default: the one holding this script)
#   OUT               where runs.csv goes (default: <this dir>/out)
#   HAM_JAVA_OPTS     extra JVM options for the HAM (default none)
#   CLIENT_JAVA_OPTS  JVM options of the client JVMs (default "-XX:+UseSerialGC -Xmx256m")
#   JAVA              java launcher (default: java on PATH; javac next to it compiles the harness)
#   KEEP_TMP=1        keep the temporary directory (HAM output, state)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${JHAM_ROOT:-$HERE/../..}" && pwd)
OUT=${OUT:-$HERE/out}
JAVA=${JAVA:-java}
HAM_JAVA_OPTS=${HAM_JAVA_OPTS:-}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}

N=1000
WAIT_IDLE=0
HARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --clients|--rate|--seconds|--warmup|--fail|--fail-ms|--phases|--label)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            HARGS+=("$1" "$2"); shift 2 ;;
        --wait-idle)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            WAIT_IDLE=$2; shift 2 ;;
        -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
        [0-9]*) N=$1; shift ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || die "java is required"
JAVAC=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac
[ -x "$JAVAC" ] || JAVAC=javac
command -v "$JAVAC" >/dev/null || die "javac is required (a JDK)"

TMP=$(mktemp -d /tmp/jham-heartbeat.XXXXXX)
PIDS=$TMP/pids
mkdir -p "$PIDS" "$OUT"
HAM_PID=
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
    # the client JVMs the harness started (it names each in $PIDS with its start time)
    local f left=0
    for f in "$PIDS"/*; do
        [ -e "$f" ] || continue
        if alive_same "${f##*/}" "$(cat "$f")"; then
            left=$((left + 1))
            kill -9 "${f##*/}" 2>/dev/null
        fi
    done
    [ "$left" = 0 ] || echo "[run.sh] killed $left client JVM(s) still running at the end" >&2
    # The HAM starts no entity processes here; its ham-spawner helper exits when the HAM's end of
    # its pipe closes.
    if [ -n "$HAM_PID" ] && kill -0 "$HAM_PID" 2>/dev/null; then
        kill -9 "$HAM_PID" 2>/dev/null
    fi
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

# --- build -----------------------------------------------------------------------------------
JAR=$ROOT/ham-agent/target/ham-agent.jar
if [ ! -f "$JAR" ]; then
    log "building $ROOT (mvn -q -B -o -DskipTests package)"
    (cd "$ROOT" && mvn -q -B -o -DskipTests package) || die "the build failed"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
fi
LIB=$ROOT/ham-agent/target/lib
OPENDMK=$LIB/opendmk_jmxremote_optional_jar-1.0-b01-ea.jar
MBEANS=$(ls "$LIB"/ham-mbeans-*.jar 2>/dev/null | head -n 1 || true)
[ -n "$MBEANS" ] || MBEANS=$(ls "$ROOT"/ham-mbeans/target/ham-mbeans-*.jar 2>/dev/null | head -n 1 || true)
[ -f "$OPENDMK" ] || die "missing $OPENDMK (build ham-agent)"
[ -n "$MBEANS" ] || die "no ham-mbeans jar in $LIB"
CP="$MBEANS:$OPENDMK"
# compiled once: the coordinator and the K client JVMs run the same classes
"$JAVAC" -nowarn -d "$TMP/classes" -cp "$CP" "$HERE/HeartbeatScale.java" || die "cannot compile HeartbeatScale.java"

log "machine: $(uname -srm), $(nproc) CPUs; launcher: $("$JAVA" -version 2>&1 | sed -n 2p)"

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
waited=0
while [ "$pct" -ge 10 ] && [ "$waited" -lt "$WAIT_IDLE" ]; do
    [ "$waited" = 0 ] && log "the machine is busy (${pct}% of all CPUs); waiting up to ${WAIT_IDLE} s for it to be idle"
    sleep 4; waited=$((waited + 5))
    pct=$(busy_pct)
done
if [ "$pct" -ge 10 ]; then
    log "WARNING: the machine is busy: ${pct}% of all CPUs over 1 s; load $(cut -d' ' -f1-3 /proc/loadavg)." \
        "Figures will not compare with the README's. Busiest now:"
    top -b -n 1 -o %CPU 2>/dev/null | sed -n '8,11p' | sed 's/^/    /' || true
else
    log "machine idle check: ${pct}% of all CPUs busy over 1 s (load $(cut -d' ' -f1-3 /proc/loadavg))"
fi

# --- the HAM ---------------------------------------------------------------------------------
# shellcheck disable=SC2086
# its GC pauses go to a log the harness reads (a HAM that stops longer than hp - 1/R judges beats late)
GC_LOG_OPT="-Xlog:gc:file=$TMP/ham-gc.log:uptimemillis"
"$JAVA" $GC_LOG_OPT $HAM_JAVA_OPTS -cp "$JAR" org.jham.agent.launch.HamMain --foreground --no-guardian --port 0 --bind 127.0.0.1 \
    --state-dir "$TMP/state" --fresh -V0 >"$TMP/ham.out" 2>"$TMP/ham.err" </dev/null &
HAM_PID=$!
log "started the HAM: pid $HAM_PID: $JAVA $GC_LOG_OPT $HAM_JAVA_OPTS -cp $JAR org.jham.agent.launch.HamMain --foreground --no-guardian --port 0 --bind 127.0.0.1 --state-dir $TMP/state --fresh -V0"

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
[ "$PRINTED_PID" = "$HAM_PID" ] || log "WARNING: the HAM says pid=$PRINTED_PID, the shell started $HAM_PID; measuring $PRINTED_PID"
log "HAM ready at $URL (pid $PRINTED_PID)"

# in the background + wait, so that a signal to run.sh runs the clean-up at once
"$JAVA" -XX:+UseSerialGC -cp "$TMP/classes:$CP" HeartbeatScale \
    --url "$URL" --ham-pid "$PRINTED_PID" --n "$N" ${HARGS[@]+"${HARGS[@]}"} --client-opts "$CLIENT_JAVA_OPTS" \
    --clk-tck "$(getconf CLK_TCK)" --csv "$OUT/runs.csv" --pid-dir "$PIDS" --ham-gc-log "$TMP/ham-gc.log" \
    --stop-ham </dev/null &
HARNESS_PID=$!
wait "$HARNESS_PID" && RC=0 || RC=$?
HARNESS_PID=

# stop("abrupt") was sent by the harness; make sure the HAM is gone
for _ in $(seq 1 100); do
    kill -0 "$HAM_PID" 2>/dev/null || break
    sleep 0.05
done
if kill -0 "$HAM_PID" 2>/dev/null; then
    if [ "$RC" = 0 ]; then
        log "NOTE: the HAM was still alive 5 s after stop(\"abrupt\"): the clean-up kills pid $HAM_PID"
        RC=4
    else
        log "the harness failed before stopping the HAM: the clean-up kills pid $HAM_PID"
    fi
else
    wait "$HAM_PID" 2>/dev/null && HAM_RC=0 || HAM_RC=$?
    log "the HAM exited (status $HAM_RC)"
    HAM_PID=
fi
if [ -s "$TMP/ham.err" ]; then
    log "HAM stderr:"
    sed 's/^/    /' "$TMP/ham.err" | tail -n 40
fi
[ "$RC" = 0 ] || log "the harness ended with status $RC"
exit "$RC"

#!/usr/bin/env bash
# Notify-latency benchmark of jHAM: kill -9 -> the death pulse (NOWAIT lane) and the restart pulse
# (INDEPENDENT lane) in the harness's channel, with the OTHER lane idle and then held in a waitfor.
# See README.md next to this file.
#
# usage: bench/notify-latency/run.sh [N] [--warmup W] [--gap-ms MS] [--stuck-ms MS] [--per-slow K]
#   N           measured kills of "svc" in each phase (default 100)
#   --warmup    unmeasured kills first (default 5)
#   --gap-ms    least time between two kills of svc (default 600; >= 550, the HAM's default
#               restart intensity being 20 restarts within 10 s)
#   --stuck-ms  the waitfor of the OTHER lane in phase 2 (default 5000)
#   --per-slow  kills of svc measured in each phase per cycle, i.e. per kill of "slow" (default 4)
# environment:
#   JHAM_ROOT     the checkout to benchmark (default: the one holding this script)
#   OUT           where the CSVs go (default: <this dir>/out)
#   HAM_JAVA_OPTS extra JVM options for the HAM (default none)
#   JAVA          java launcher (default: java on PATH)
#   KEEP_TMP=1    keep the temporary state directory (HAM output, children's logs)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${JHAM_ROOT:-$HERE/../..}" && pwd)
OUT=${OUT:-$HERE/out}
JAVA=${JAVA:-java}
HAM_JAVA_OPTS=${HAM_JAVA_OPTS:-}

N=100
HARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --warmup|--gap-ms|--stuck-ms|--per-slow)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            HARGS+=("$1" "$2"); shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        [0-9]*) N=$1; shift ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || die "java is required"

TMP=$(mktemp -d /tmp/jham-notify.XXXXXX)
PIDS=$TMP/pids
mkdir -p "$PIDS" "$OUT"
HAM_PID=
HARNESS_PID=

# Field 22 of /proc/<pid>/stat: the start time, which tells a process from a later one with its pid.
start_time() {
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    set -- $s
    printf '%s\n' "${20}"
}

# Every descendant of a pid, parents before children ("pid starttime" per line).
descendants() {
    local p
    for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '
        { kids[$2] = kids[$2] " " $1 }
        END { n = split(kids[root], q, " "); i = 1
              while (i <= n) { p = q[i++]; print p; m = split(kids[p], c, " "); for (j = 1; j <= m; j++) q[++n] = c[j] } }'); do
        printf '%s %s\n' "$p" "$(start_time "$p" || echo gone)"
    done
}

# True if pid $1 is still the process started at $2 and not a zombie (init reaps slowly here).
alive_same() {
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*) }
    set -- "$2" $s
    [ "$2" != Z ] && [ "${21}" = "$1" ]
}

# Kills a pid only if it is still the process that was seen (same start time).
kill_same() {
    alive_same "$1" "$2" && kill -9 "$1" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$HARNESS_PID" ] && kill -0 "$HARNESS_PID" 2>/dev/null; then
        kill -9 "$HARNESS_PID" 2>/dev/null
    fi
    if [ -n "$HAM_PID" ] && kill -0 "$HAM_PID" 2>/dev/null; then
        # The HAM's descendants (its ham-spawner, the entities' processes) are ours: note them while
        # the tree still holds them, kill the HAM and the spawner first so nothing restarts, then the rest.
        local tree
        tree=$(descendants "$HAM_PID")
        kill -9 "$HAM_PID" 2>/dev/null
        while read -r p st; do
            [ -n "$p" ] && kill_same "$p" "$st"
        done <<<"$tree"
    fi
    # every entity process the harness saw (the HAM leaves its children running when it stops)
    local f left=0
    for f in "$PIDS"/*; do
        [ -e "$f" ] || continue
        if alive_same "${f##*/}" "$(cat "$f")"; then
            left=$((left + 1))
            kill -9 "${f##*/}" 2>/dev/null
        fi
    done
    [ "$left" = 0 ] || echo "[run.sh] killed $left entity process(es) still running at the end" >&2
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
    log "building $ROOT (mvn -q -B -DskipTests package)"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
fi
LIB=$ROOT/ham-agent/target/lib
OPENDMK=$LIB/opendmk_jmxremote_optional_jar-1.0-b01-ea.jar
MBEANS=$(ls "$LIB"/ham-mbeans-*.jar 2>/dev/null | head -n 1 || true)
[ -n "$MBEANS" ] || MBEANS=$(ls "$ROOT"/ham-mbeans/target/ham-mbeans-*.jar 2>/dev/null | head -n 1 || true)
[ -f "$OPENDMK" ] || die "missing $OPENDMK (build ham-agent)"
[ -n "$MBEANS" ] || die "no ham-mbeans jar in $LIB"
[ -x /bin/sleep ] || die "/bin/sleep is required (the supervised processes)"

log "machine: $(uname -srm), $(nproc) CPUs; launcher: $("$JAVA" -version 2>&1 | sed -n 2p)"

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

# --- the HAM ---------------------------------------------------------------------------------
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
[ "$PRINTED_PID" = "$HAM_PID" ] || log "WARNING: the HAM says pid=$PRINTED_PID, the shell started $HAM_PID; measuring $PRINTED_PID"
log "HAM ready at $URL (pid $PRINTED_PID)"

# in the background + wait, so that a signal to run.sh runs the clean-up at once
"$JAVA" -XX:+UseSerialGC -cp "$MBEANS:$OPENDMK" "$HERE/NotifyLatency.java" \
    --url "$URL" --ham-pid "$PRINTED_PID" --n "$N" ${HARGS[@]+"${HARGS[@]}"} --clk-tck "$(getconf CLK_TCK)" \
    --csv-dir "$OUT" --pid-dir "$PIDS" --stop-ham </dev/null &
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
        log "the harness failed before stopping the HAM: the clean-up kills pid $HAM_PID and its children"
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

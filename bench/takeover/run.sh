#!/usr/bin/env bash
# Takeover benchmark of jHAM: kill -9 of the HAM -> its Guardian serving the full state on the
# same address (p50/p99 over many kills), and the state journal's cost per mutation (over JMX with
# and without --fsync, and in-process with the journal off / on / fsync); optionally the large-N
# chaos run. See README.md next to this file.
#
# usage: bench/takeover/run.sh [--entities E] [--conditions C] [--actions A] [--kills K] [--warmup W]
#                              [--pairs N] [--inproc-pairs M] [--ballast B]
#                              [--chaos N] [--no-takeover] [--no-journal]
#   --entities    entities in the tree, each a /bin/sleep the HAM started (default 200)
#   --conditions  conditions per entity (default 2: death with a restart, a raise condition)
#   --actions     actions per condition (default 2)
#   --kills       measured kills of the HAM (default 30), after --warmup unmeasured ones (default 1)
#   --pairs       condition add + remove pairs timed over JMX, per fsync setting (default 5000)
#   --inproc-pairs pairs timed in-process per variant (default 20000; a tenth with fsync)
#   --ballast     conditions (of 2 actions each) already on the entity the pairs change (default 0):
#                 each change writes the entity's whole image
#   --chaos N     also run the chaos test with N kills of the HAM (4 services, 2 client threads)
#   --no-takeover, --no-journal  skip that part
# environment:
#   JHAM_ROOT  the checkout to benchmark (default: the one holding this script)
#   OUT        where takeover.csv goes (default: <this dir>/out)
#   JAVA       java launcher (default: java on PATH)
#   KEEP_TMP=1 keep the temporary directory (state directories, HAM and Guardian output)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "${JHAM_ROOT:-$HERE/../..}" && pwd)
OUT=${OUT:-$HERE/out}
JAVA=${JAVA:-java}

TARGS=()
JARGS=()
IARGS=()
CHAOS=0
RUN_TAKEOVER=1
RUN_JOURNAL=1
while [ $# -gt 0 ]; do
    case "$1" in
        --entities|--conditions|--actions|--kills|--warmup)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            TARGS+=("$1" "$2"); shift 2 ;;
        --pairs)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            JARGS+=("$1" "$2"); shift 2 ;;
        --inproc-pairs)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            IARGS+=(--pairs "$2"); shift 2 ;;
        --ballast)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            JARGS+=("$1" "$2"); IARGS+=("$1" "$2"); shift 2 ;;
        --chaos)
            [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
            CHAOS=$2; shift 2 ;;
        --no-takeover) RUN_TAKEOVER=0; shift ;;
        --no-journal) RUN_JOURNAL=0; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

log() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || die "java is required"
[ -x /bin/sleep ] || die "/bin/sleep is required (the supervised processes)"

TMP=$(mktemp -d /tmp/jham-takeover.XXXXXX)
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

# The HAM and Guardian of a state directory, if they still run (their command line names it).
ham_pids() {
    local f p
    for f in "$1"/ham.pid "$1"/guardian.pid; do
        [ -f "$f" ] || continue
        p=$(cat "$f")
        tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF -- "$1" && echo "$p"
    done
    return 0
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$HARNESS_PID" ] && kill -0 "$HARNESS_PID" 2>/dev/null; then
        kill -9 "$HARNESS_PID" 2>/dev/null
    fi
    # Freeze every HAM and Guardian before killing any: a Guardian whose HAM dies takes over.
    local d p round live
    for round in 1 2 3; do
        live=
        for d in "$TMP"/state*; do
            [ -d "$d" ] && live="$live $(ham_pids "$d")"
        done
        [ -n "${live// /}" ] || break
        for p in $live; do kill -STOP "$p" 2>/dev/null; done
        for p in $live; do kill -9 "$p" 2>/dev/null; done
        sleep 0.5
    done
    # Every entity process the harness started (the HAM leaves them running when it goes).
    local f left=0
    for f in "$PIDS"/*; do
        [ -e "$f" ] || continue
        if alive_same "${f##*/}" "$(cat "$f")"; then
            left=$((left + 1))
            kill -9 "${f##*/}" 2>/dev/null
        fi
    done
    [ "$left" = 0 ] || echo "[run.sh] killed $left entity process(es) still running at the end" >&2
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
TESTCLASSES=$ROOT/ham-agent/target/test-classes
if [ ! -f "$JAR" ] || { [ "$CHAOS" -gt 0 ] && [ ! -f "$TESTCLASSES/org/jham/agent/testing/Chaos.class" ]; }; then
    log "building $ROOT (mvn -q -B -DskipTests package)"
    (cd "$ROOT" && mvn -q -B -DskipTests package) || die "the build failed"
    [ -f "$JAR" ] || die "the build did not produce $JAR"
fi

log "machine: $(uname -srm), $(nproc) CPUs; launcher: $("$JAVA" -version 2>&1 | sed -n 2p)"
log "state directories on: $(df -T "$TMP" | awk 'NR==2 {print $1 " (" $2 ")"}')"

# How busy the machine is (1 s of /proc/stat): other load skews every figure on 2 CPUs.
busy_check() {
    local a b
    a=($(head -n 1 /proc/stat)); sleep 1; b=($(head -n 1 /proc/stat))
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$((b[4] - a[4] + b[5] - a[5]))
    local pct=$(( total > 0 ? 100 * (total - idle) / total : 0 ))
    if [ "$pct" -ge 10 ]; then
        log "WARNING: the machine is busy before the $1: ${pct}% of all CPUs over 1 s; load $(cut -d' ' -f1-3 /proc/loadavg)." \
            "Figures will not compare with the README's. Busiest now:"
        top -b -n 1 -o %CPU 2>/dev/null | sed -n '8,11p' | sed 's/^/    /' || true
    else
        log "machine idle check before the $1: ${pct}% of all CPUs busy over 1 s (load $(cut -d' ' -f1-3 /proc/loadavg))"
    fi
}

# in the background + wait, so that a signal to run.sh runs the clean-up at once
harness() {
    "$JAVA" -XX:+UseSerialGC -cp "$JAR" "$HERE/Takeover.java" "$@" </dev/null &
    HARNESS_PID=$!
    wait "$HARNESS_PID" || { local rc=$?; HARNESS_PID=; die "the harness failed (status $rc): $*"; }
    HARNESS_PID=
}

if [ "$RUN_TAKEOVER" = 1 ]; then
    echo
    busy_check "takeover run"
    harness takeover --root "$ROOT" --tmp "$TMP" --csv "$OUT/takeover.csv" ${TARGS[@]+"${TARGS[@]}"}
fi

if [ "$RUN_JOURNAL" = 1 ]; then
    echo
    busy_check "journal runs"
    harness journal-jmx --root "$ROOT" --tmp "$TMP" ${JARGS[@]+"${JARGS[@]}"}
    harness journal-jmx --root "$ROOT" --tmp "$TMP" --fsync ${JARGS[@]+"${JARGS[@]}"}
    harness journal-inproc --tmp "$TMP" ${IARGS[@]+"${IARGS[@]}"}
fi

if [ "$CHAOS" -gt 0 ]; then
    echo
    busy_check "chaos run"
    # Chaos (ham-agent test sources) runs bin/ham on a state directory of its own and cleans up
    # after itself: the HAMs and Guardians first, then every instance of its services.
    (cd "$ROOT/ham-agent" && exec "$JAVA" -cp "$TESTCLASSES:$JAR" org.jham.agent.testing.Chaos "$CHAOS" 4 2) </dev/null &
    HARNESS_PID=$!
    wait "$HARNESS_PID" || { rc=$?; HARNESS_PID=; die "the chaos run found problems or failed (status $rc)"; }
    HARNESS_PID=
fi

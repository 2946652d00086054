#!/usr/bin/env bash
# Runs a jmxterm script against a HAM over JMXMP: jmxterm's uber jar with the JMXMP jar on its
# class path (both fetched from Maven Central by the build into ham-agent/target/).
# usage: run.sh SCRIPT [HOST:PORT]   (default address: the script's own `open` line)
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jmxterm="$top/ham-agent/target/tools/jmxterm-uber.jar"
jmxmp="$(ls "$top"/ham-agent/target/lib/opendmk_jmxremote_optional_jar-*.jar)"
[ -f "$jmxterm" ] || (cd "$top" && mvn -q -B -DskipTests package)
script="$1"
if [ $# -ge 2 ]; then
  tmp="$(mktemp)"
  trap 'rm -f "$tmp"' EXIT
  sed "s#^open service:jmx:jmxmp://[^ ]*#open service:jmx:jmxmp://$2#" "$script" > "$tmp"
  script="$tmp"
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java" -cp "$jmxterm:$jmxmp" org.cyclopsgroup.jmxterm.boot.CliMain -n -v brief -e -i "$script"

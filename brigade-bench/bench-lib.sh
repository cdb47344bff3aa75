# brigade-bench/bench-lib.sh: helpers shared by run-static-sizes, run-files and run-bridges. Source it.
# Servers run on 127.0.0.1 only, in the foreground of a background job, and are stopped by their PID.
#
# Environment:
#   BRIGADE_CMD  command that runs the bench app (default: brigade-bench/run-server); it must exec the
#                JVM so that its PID is the server's (run-server does)
#   HARNESS      the bench harness (default /tmp/bench if it has peers.jar, else /work/shared/bench):
#                conf/nginx.conf.tmpl, conf/httpd.conf.tmpl and peers/target/peers.jar come from it
#   PEER_JAVA    java for the Netty/Undertow peers (default: the JDK 25 that find-jdk.sh finds)
#   JAVA_OPTS    JVM flags for the peers (default -XX:+UseCompactObjectHeaders, as run-server's)
BL_ROOT=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BRIGADE_CMD=${BRIGADE_CMD:-$BL_ROOT/brigade-bench/run-server}
if [ -z "${HARNESS:-}" ]; then
  if [ -f /tmp/bench/peers/target/peers.jar ]; then HARNESS=/tmp/bench; else HARNESS=/work/shared/bench; fi
fi
JAVA_OPTS=${JAVA_OPTS:--XX:+UseCompactObjectHeaders}
BL_THREADS=${BL_THREADS:-2}
BL_SPID=""
BL_RUNDIR=$(mktemp -d "${TMPDIR:-/tmp}/brigade-bench-XXXXXX")
chmod 755 "$BL_RUNDIR"

bl_log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

bl_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bl_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

bl_peer_java() {
  if [ -n "${PEER_JAVA:-}" ]; then echo "$PEER_JAVA"; return; fi
  . "$BL_ROOT/scripts/find-jdk.sh"
  echo "$(find_jdk)/bin/java"
}

# bl_start NAME PORT STATIC [EXTRA BRIGADE ARGS...]: NAME is brigade, netty, undertow, nginx or httpd.
bl_start() {
  local name=$1 port=$2 static=$3 cmd i moddir user group rd
  shift 3
  rd="$BL_RUNDIR/$name-$port"
  mkdir -p "$rd/tmp" "$rd/docroot"; chmod -R a+rX "$BL_RUNDIR"
  printf 'Hello, World!' > "$rd/docroot/plaintext.txt"
  printf '{"message":"Hello, World!"}' > "$rd/docroot/message.json"
  case "$name" in
    brigade) read -r -a cmd <<<"$BRIGADE_CMD"; cmd+=(--port "$port" --static "$static" "$@") ;;
    netty|undertow) read -r -a cmd <<<"$(bl_peer_java) $JAVA_OPTS"
                    cmd+=(-jar "$HARNESS/peers/target/peers.jar" "$name" --port "$port" --static "$static") ;;
    nginx)
      sed -e "s#@RUNDIR@#$rd#g" -e "s#@PORT@#$port#g" -e "s#@STATIC@#$static#g" \
          "$HARNESS/conf/nginx.conf.tmpl" > "$rd/nginx.conf"
      cmd=("$(command -v nginx || echo /usr/sbin/nginx)" -p "$rd/" -e "$rd/nginx-error.log" -c "$rd/nginx.conf" -g "daemon off;") ;;
    httpd)
      for moddir in /usr/lib/apache2/modules /usr/lib64/httpd/modules /usr/lib/httpd/modules; do
        [ -f "$moddir/mod_mpm_event.so" ] && break
      done
      if [ "$(id -u)" = 0 ]; then user=www-data; group=www-data; else user=$(id -un); group=$(id -gn); fi
      sed -e "s#@RUNDIR@#$rd#g" -e "s#@PORT@#$port#g" -e "s#@STATIC@#$static#g" \
          -e "s#@MODDIR@#$moddir#g" -e "s#@USER@#$user#g" -e "s#@GROUP@#$group#g" \
          "$HARNESS/conf/httpd.conf.tmpl" > "$rd/httpd.conf"
      cmd=("$(command -v apache2 || command -v httpd || echo /usr/sbin/apache2)" -f "$rd/httpd.conf" -D FOREGROUND) ;;
    *) echo "unknown server $name" >&2; return 1 ;;
  esac
  bl_port_busy "$port" && { bl_log "port $port is taken"; return 1; }
  "${cmd[@]}" > "$rd/server.log" 2>&1 &
  BL_SPID=$!
  for i in $(seq 1 300); do
    kill -0 "$BL_SPID" 2>/dev/null || break
    bl_port_busy "$port" && { bl_log "$name pid $BL_SPID on 127.0.0.1:$port: ${cmd[*]}"; return 0; }
    sleep 0.1
  done
  bl_log "$name did not start"; tail -20 "$rd/server.log" >&2; bl_stop; return 1
}

# Stops the server we started, by PID (TERM, then KILL after 15 s), and any child it left behind.
bl_stop() {
  [ -n "$BL_SPID" ] || return 0
  local pid=$BL_SPID kids i
  BL_SPID=""
  kids=$(bl_tree "$pid")
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for k in $kids; do [ "$k" != "$pid" ] && kill -0 "$k" 2>/dev/null && kill -KILL "$k" 2>/dev/null; done
  return 0
}

# PIDs of a process and all its descendants.
bl_tree() {
  python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1]); kids = {}
for p in os.listdir("/proc"):
    if p.isdigit():
        try: ppid = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1])
        except Exception: continue
        kids.setdefault(ppid, []).append(int(p))
out, todo = [], [root]
while todo:
    p = todo.pop(); out.append(p); todo += kids.get(p, [])
print(" ".join(map(str, out)))
PY
}

# CPU seconds (user + system) used so far by a process tree.
bl_cpu() {
  local t=0 p
  for p in $(bl_tree "$1"); do
    t=$(awk -v t="$t" '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); printf "%d", t + f[12] + f[13] }' "/proc/$p/stat" 2>/dev/null || echo "$t")
  done
  awk -v t="$t" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }'
}

# bl_wrk SECONDS CONNS URL OUTFILE [SCRIPT [-- ARGS...]]: wrk with the JSON report; prints
# "reqs/s MB/s p50_ms p99_ms errors server_µs_CPU/req server_cores" (server = $BL_SPID and its children).
bl_wrk() {
  local secs=$1 conns=$2 url=$3 of=$4 script=${5:-} c0 c1 t0 t1 s="$BL_RUNDIR/wrk-$$.lua"
  shift 5 2>/dev/null || shift $#
  { [ -n "$script" ] && cat "$script"; cat "$BL_ROOT/brigade-bench/lua/json-report.lua"; } > "$s"
  c0=$(bl_cpu "$BL_SPID"); t0=$(date +%s.%N)
  wrk -t "$BL_THREADS" -c "$conns" -d "${secs}s" --timeout 2s -H "Host: localhost" -s "$s" "$url" "$@" > "$of" 2>&1
  t1=$(date +%s.%N); c1=$(bl_cpu "$BL_SPID")
  python3 - "$of" "$c0" "$c1" "$t0" "$t1" <<'PY'
import json, sys
of, c0, c1, t0, t1 = sys.argv[1], *map(float, sys.argv[2:6])
line = next((l for l in open(of) if l.startswith("WRK_JSON ")), None)
if line is None:
    print("- - - - - -"); sys.exit()
d = json.loads(line[9:]); secs = d["duration_us"] / 1e6; n = d["requests"]
err = sum(d["errors"].values())
print(f'{n / secs:.0f} {d["bytes"] / secs / 1e6:.1f} {d["latency_us"]["p50"] / 1000:.2f} '
      f'{d["latency_us"]["p99"] / 1000:.2f} {err} {(c1 - c0) / n * 1e6 if n else 0:.1f} {(c1 - c0) / (t1 - t0):.2f}')
PY
}

bl_cleanup() { bl_stop; rm -rf "$BL_RUNDIR"; }
trap bl_cleanup EXIT
trap 'exit 130' INT TERM

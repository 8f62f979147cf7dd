#!/usr/bin/env bash
# What stormwatch costs the machine it runs on, against btop, measured side
# by side in one run: CPU seconds per minute of each whole process (utime +
# stime from /proc) and bytes written to the terminal per second (tmux
# pipe-pane), in tmux panes of the same size, all at 1 Hz. Then how fast a
# key press is answered (bench/keylat), with the same programs still running.
# Needs tmux and btop (apt-get install -y tmux btop).
#
#   bash bench/terminal.sh [STORMWATCH_BINARY] [SECONDS]
#
# Panes (MODES, default "prod replay"):
#   prod    the production path: the real MongoDB source against FerretDB
#           (tools/ferretdb; STORMWATCH_FERRETDB or .cache/ferretdb, else
#           built) and the real CloudWatch source against bench/cwserve (the
#           in-repo cwserver protocol server as a separate process; no
#           CloudWatch emulator of useful fidelity runs here), both polled
#           every second. The servers' CPU is reported, not counted.
#   replay  stormwatch replay --demo: engine and dashboard, no network.
#   demo    stormwatch demo: the demo's scripted servers run in-process.
# The binary defaults to a fresh build of this checkout; SECONDS to 60.
# WIDTH and HEIGHT (default 120x40) set the pane size; WARMUP (default 5 s)
# is skipped before measuring. PROFILE=DIR writes a CPU profile of each
# stormwatch pane to DIR (STORMWATCH_CPUPROFILE); TRACE=DIR an execution
# trace (STORMWATCH_TRACE, for `go tool trace`: which goroutine woke the
# process, and when; tracing adds wake-ups of its own, so take no figures
# from such a run). PRESSES (default 30) key presses per stormwatch pane; 0
# skips the key test. SWENV adds environment
# variables to the stormwatch panes (SWENV="GOMAXPROCS=1 GOGC=200"); a mode
# written MODE:VAR=VALUE[,VAR=VALUE] is that mode with those variables, so two
# settings are compared in one run: MODES="prod prod:GOMAXPROCS=1".
# "wakes/s" is each process's context switches a second (voluntary and
# involuntary, summed over its threads): how often it woke up.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WIDTH:-120} H=${HEIGHT:-40} SECS=${2:-60} WARMUP=${WARMUP:-5} PRESSES=${PRESSES:-30}
read -r -a modes <<<"${MODES:-prod replay}"
work=$(mktemp -d)
sock="swbench-$$"
pids=()
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bin=${1:-}
if [ -z "$bin" ]; then
  bin="$work/stormwatch"
  go build -o "$bin" .
fi
bin=$(realpath "$bin")
go build -o "$work/keylat" ./bench/keylat

mkdir -p "$work/config/btop"
# btop redraws every update_ms; 1000 ms matches stormwatch's 1 s polling.
printf 'update_ms = 1000\nshown_boxes = "cpu mem net proc"\n' >"$work/config/btop/btop.conf"
env="env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$work/config"

declare -A cmd ready
for m in "${modes[@]}"; do
  case ${m%%:*} in
  prod)
    # The servers start once; every prod mode polls them.
    if [ -z "${cwpid:-}" ]; then
      ferret=${STORMWATCH_FERRETDB:-}
      if [ -z "$ferret" ] && [ -x .cache/ferretdb ]; then ferret=$PWD/.cache/ferretdb; fi
      if [ -z "$ferret" ]; then
        ferret="$work/ferretdb"
        (cd tools/ferretdb && go build -o "$ferret" .)
      fi
      go build -o "$work/cwserve" ./bench/cwserve
      port=$((20000 + RANDOM % 20000))
      mkdir -p "$work/ferret"
      "$ferret" -listen "127.0.0.1:$port" -dir "$work/ferret" >"$work/ferret.log" 2>&1 &
      pids+=($!) ferretpid=$!
      "$work/cwserve" >"$work/cw.url" 2>"$work/cw.log" &
      pids+=($!) cwpid=$!
      for _ in $(seq 100); do
        [ -s "$work/cw.url" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
      done
      cat >"$work/prod.yaml" <<YAML
version: 1
sources:
  mongo:
    - name: db
      uri_env: SW_BENCH_MONGODB_URI
      interval: 1s
  cloudwatch:
    - region: us-east-1
      endpoint: $(cat "$work/cw.url")
      interval: 1s
      alarms: [api-cpu-high]
      metrics:
        - series: main.cpu
          namespace: AWS/EC2
          metric: CPUUtilization
          dimensions: {InstanceId: i-0bench0000000001}
          stat: Average
          period: 1s
YAML
      cmd[prod_base]="SW_BENCH_MONGODB_URI=mongodb://127.0.0.1:$port/ AWS_ACCESS_KEY_ID=AKIABENCHBENCHBENCH0 AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true $bin --config $work/prod.yaml"
      ready[prod_base]="API server CPU"
    fi
    cmd[$m]=${cmd[prod_base]} ready[$m]=${ready[prod_base]}
    ;;
  replay) cmd[$m]="$bin replay --demo" ready[$m]=DEMO ;;
  demo) cmd[$m]="$bin demo" ready[$m]=DEMO ;;
  *) echo "unknown mode $m (prod, replay, demo)" >&2; exit 2 ;;
  esac
  [[ $m == *:* ]] && cmd[$m]="${m#*:} ${cmd[$m]}" && cmd[$m]=${cmd[$m]//,/ }
done

panes=(btop "${modes[@]}")
tmux -L "$sock" new-session -d -x "$W" -y "$H" -s btop "exec $env btop --utf-force"
# tmux session and file names: a mode with its variables, without : = ,
sess() { echo "$1" | tr ':=,./' '_____'; }
for m in "${modes[@]}"; do
  prof=""
  [ -n "${PROFILE:-}" ] && mkdir -p "$PROFILE" && prof="STORMWATCH_CPUPROFILE=$(realpath "$PROFILE")/$(sess "$m").pprof"
  [ -n "${TRACE:-}" ] && mkdir -p "$TRACE" && prof="$prof STORMWATCH_TRACE=$(realpath "$TRACE")/$(sess "$m").trace"
  tmux -L "$sock" new-session -d -x "$W" -y "$H" -s "$(sess "$m")" "exec $env XDG_STATE_HOME=$work/state-$(sess "$m") $prof ${SWENV:-} ${cmd[$m]}"
done
sleep "$WARMUP"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
wakes() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n}'; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
declare -A pid t0 t1 w0 w1 r
for s in "${panes[@]}"; do
  pid[$s]=$(tmux -L "$sock" display-message -p -t "$(sess "$s")" '#{pane_pid}')
  tmux -L "$sock" pipe-pane -t "$(sess "$s")" -o "cat > $work/$(sess "$s").bytes"
done
servers=()
[ -n "${ferretpid:-}" ] && pid[ferretdb]=$ferretpid pid[cwserve]=$cwpid servers=(ferretdb cwserve)
for s in "${panes[@]}" "${servers[@]}"; do t0[$s]=$(ticks "${pid[$s]}") w0[$s]=$(wakes "${pid[$s]}"); done
start=$(date +%s.%N)
sleep "$SECS"
for s in "${panes[@]}" "${servers[@]}"; do t1[$s]=$(ticks "${pid[$s]}") w1[$s]=$(wakes "${pid[$s]}") r[$s]=$(rss "${pid[$s]}"); done
end=$(date +%s.%N)
for s in "${panes[@]}"; do tmux -L "$sock" pipe-pane -t "$(sess "$s")"; done
sleep 0.5
for m in "${modes[@]}"; do
  tmux -L "$sock" capture-pane -p -t "$(sess "$m")" >"$work/$(sess "$m").screen"
  if ! grep -q "${ready[$m]}" "$work/$(sess "$m").screen" || { [ "${m%%:*}" = prod ] && ! grep -q '● db ok' "$work/$(sess "$m").screen"; }; then
    echo "stormwatch ($m) is not showing the dashboard with its sources ok:"; cat "$work/$(sess "$m").screen"; exit 1
  fi
done

elapsed=$(echo "$end - $start" | bc -l)
printf 'pane %dx%d, %.1f s measured after %d s warm-up, %s cores, load %s, %s\n' "$W" "$H" "$elapsed" "$WARMUP" "$(nproc)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-30s %10s %14s %14s %8s %8s %10s\n' program bytes/s "CPU s/minute" "CPU % of core" "RSS MB" wakes/s "vs btop"
declare -A cpm
for s in "${panes[@]}" "${servers[@]}"; do
  cpm[$s]=$(echo "(${t1[$s]} - ${t0[$s]}) / $hz * 60 / $elapsed" | bc -l)
done
for s in "${panes[@]}" "${servers[@]}"; do
  bps="-"
  [ -f "$work/$(sess "$s").bytes" ] && bps=$(printf '%.0f' "$(echo "$(wc -c <"$work/$(sess "$s").bytes") / $elapsed" | bc -l)")
  name=$s
  case ${s%%:*} in prod) name="stormwatch prod" ;; replay) name="sw replay --demo" ;; demo) name="stormwatch demo" ;; ferretdb | cwserve) name="($s)" ;; esac
  [[ $s == *:* ]] && name="$name ${s#*:}"
  ratio=$(printf '%.2fx' "$(echo "${cpm[$s]} / ${cpm[btop]}" | bc -l)")
  [ "$s" = btop ] && ratio=""
  printf '%-30s %10s %14.3f %14.2f %8.1f %8.0f %10s\n' "$name" "$bps" "${cpm[$s]}" \
    "$(echo "${cpm[$s]} / 60 * 100" | bc -l)" "$(echo "${r[$s]} / 1024" | bc -l)" \
    "$(echo "(${w1[$s]} - ${w0[$s]}) / $elapsed" | bc -l)" "$ratio"
done

# Quit each dashboard with q, so that a profile (PROFILE=DIR) is written.
for m in "${modes[@]}"; do tmux -L "$sock" send-keys -t "$(sess "$m")" q; done
sleep 1

if [ "$PRESSES" -gt 0 ]; then
  echo "key presses (bench/keylat, its own pane-sized pty, the panes above still running):"
  for m in "${modes[@]}"; do
    echo "$m:"
    (cd "$work" && eval "env XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/keylat-$(sess "$m") $work/keylat -n $PRESSES -cols $W -rows $H -ready '${ready[$m]}' -- env ${cmd[$m]}") | sed 's/^/  /'
  done
fi

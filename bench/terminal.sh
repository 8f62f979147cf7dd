#!/usr/bin/env bash
# Terminal cost of stormwatch against btop, measured side by side in one run:
# bytes written to the terminal per second (both redraw at 1 Hz) and CPU
# seconds per minute of the whole process, in two tmux panes of the same
# size. Needs tmux and btop (apt-get install -y tmux btop).
#
#   bash bench/terminal.sh [STORMWATCH_BINARY] [SECONDS]
#
# The binary defaults to a fresh build of this checkout; SECONDS to 60.
# WIDTH and HEIGHT (default 120x40) set the pane size; WARMUP (default 5 s)
# is skipped before measuring, so start-up drawing is not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${WIDTH:-120} H=${HEIGHT:-40} SECS=${2:-60} WARMUP=${WARMUP:-5}
work=$(mktemp -d)
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
sock="swbench-$$"

bin=${1:-}
if [ -z "$bin" ]; then
  bin="$work/stormwatch"
  go build -o "$bin" .
fi

# btop redraws every update_ms; 1000 ms matches stormwatch's 1 s polling.
mkdir -p "$work/config/btop"
printf 'update_ms = 1000\nshown_boxes = "cpu mem net proc"\n' >"$work/config/btop/btop.conf"

env="env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state"
tmux -L "$sock" new-session -d -x "$W" -y "$H" -s sw "exec $env $bin demo"
tmux -L "$sock" new-session -d -x "$W" -y "$H" -s btop "exec $env btop --utf-force"
sleep "$WARMUP"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
declare -A pid t0
for s in sw btop; do
  pid[$s]=$(tmux -L "$sock" display-message -p -t "$s" '#{pane_pid}')
  tmux -L "$sock" pipe-pane -t "$s" -o "cat > $work/$s.bytes"
done
for s in sw btop; do t0[$s]=$(ticks "${pid[$s]}"); done
start=$(date +%s.%N)
sleep "$SECS"
declare -A t1 r
for s in sw btop; do t1[$s]=$(ticks "${pid[$s]}"); r[$s]=$(rss "${pid[$s]}"); done
end=$(date +%s.%N)
for s in sw btop; do tmux -L "$sock" pipe-pane -t "$s"; done
sleep 0.5
tmux -L "$sock" capture-pane -p -t sw >"$work/sw.screen"
grep -q DEMO "$work/sw.screen" || { echo "stormwatch is not showing the demo:"; cat "$work/sw.screen"; exit 1; }

elapsed=$(echo "$end - $start" | bc -l)
printf 'pane %dx%d, %.1f s measured after %d s warm-up, %s cores, %s\n' "$W" "$H" "$elapsed" "$WARMUP" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-12s %14s %16s %14s %10s\n' program bytes/update "CPU s/minute" "CPU % of core" "RSS MB"
declare -A bps cpm
for s in sw btop; do
  bytes=$(wc -c <"$work/$s.bytes")
  bps[$s]=$(echo "$bytes / $elapsed" | bc -l)
  cpm[$s]=$(echo "(${t1[$s]} - ${t0[$s]}) / $hz * 60 / $elapsed" | bc -l)
  name=$s; [ "$s" = sw ] && name=stormwatch
  printf '%-12s %14.0f %16.3f %14.2f %10.1f\n' "$name" "${bps[$s]}" "${cpm[$s]}" \
    "$(echo "${cpm[$s]} / 60 * 100" | bc -l)" "$(echo "${r[$s]} / 1024" | bc -l)"
done
printf 'stormwatch/btop: bytes %.2fx, CPU %.2fx\n' "$(echo "${bps[sw]} / ${bps[btop]}" | bc -l)" \
  "$(echo "${cpm[sw]} / ${cpm[btop]}" | bc -l)"

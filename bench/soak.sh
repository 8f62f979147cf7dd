#!/usr/bin/env bash
# Resident memory of the real binary over a simulated day: runs
# `stormwatch demo --speed 1000` (the demo's loopback MongoDB and CloudWatch
# servers, the real sources, engine and dashboard) in a tmux pane and reads
# VmRSS from /proc at 1, 6, 12, 18 and 24 scenario hours (3.6 s to 86.4 s of
# wall time). At that speed the sources cannot poll every simulated second,
# so this is fewer polls than a real day; bench/soak_test.go covers 86,400.
#
#   bash bench/soak.sh [STORMWATCH_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
sock="swsoak-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${1:-}
if [ -z "$bin" ]; then
  bin="$work/stormwatch"
  go build -o "$bin" .
fi
tmux -L "$sock" new-session -d -x 120 -y 40 -s soak \
  "exec env TERM=xterm-256color XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config $bin demo --speed 1000"
pid=$(tmux -L "$sock" display-message -p -t soak '#{pane_pid}')
start=$(date +%s.%N)
printf '%-10s %10s %10s %12s\n' scenario wall_s RSS_MB CPU_s
for h in 1 6 12 18 24; do
  target=$(echo "$h * 3.6" | bc -l)
  while [ "$(echo "$(date +%s.%N) - $start < $target" | bc -l)" = 1 ]; do sleep 0.1; done
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$pid/stat")
  printf '%-10s %10.1f %10.1f %12.1f\n' "${h} h" "$(echo "$(date +%s.%N) - $start" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$cpu"
done
tmux -L "$sock" capture-pane -p -t soak | head -3

# experiments/bench/peaks.sh: sourced, not run, by the bench scripts that watch a worker process:
# its peak heap in use, from the worker's own /metrics, and its peak RSS (VmHWM, /proc/PID/status).
#
#   source "$here/peaks.sh"
#   peaks_reset
#   while ...; do sleep 1; peaks_sample "$pid" "$log"; ...; done   # one scrape a second at most:
#                                              # rendering /metrics costs the worker CPU
#   echo "heap $peak_heap_mib MiB, RSS $peak_rss_mib MiB"   # as of the last sample: take one just
#                                              # before stopping the worker (VmHWM dies with it)
# The worker's metrics port is read from the line it logs ("metrics and health on
# http://HOST:PORT/metrics"), so start it with --metrics-port 0. After each sample $scraped holds
# that /metrics text (empty until the port is logged): read other meters from the same scrape with
# `metric NAME [FILTER] <<<"$scraped"`.

# The sum over the series of one metric in a /metrics text on stdin (0 when absent).
metric() { # name [label filter]
  awk -v m="$1" -v f="${2:-}" 'index($0, m) == 1 && index($0, f) { s += $NF } END { printf "%.0f\n", s }'
}

peaks_reset() {
  peak_port=""
  peak_heap_mib=0
  peak_rss_mib=0
  scraped=""
}

# One look at the worker: its VmHWM, then (once its port is logged) one /metrics scrape.
peaks_sample() { # pid log
  local rss heap
  rss=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || true)
  [[ -n "$rss" ]] && peak_rss_mib=$rss
  [[ -z "$peak_port" ]] &&
    peak_port=$(sed -nE 's/.* metrics and health on http:\/\/[^:]+:([0-9]+)\/metrics.*/\1/p' "$2" 2>/dev/null | head -1)
  scraped=""
  [[ -z "$peak_port" ]] && return 0
  scraped=$(curl -s --max-time 2 "http://127.0.0.1:$peak_port/metrics" || true)
  heap=$(metric jvm_memory_used_bytes 'area="heap"' <<<"$scraped" | awk '{ printf "%.0f", $1 / 1048576 }')
  [[ "$heap" -gt "$peak_heap_mib" ]] && peak_heap_mib=$heap
  return 0
}

#!/usr/bin/env bash
# Where the platform's allocations go while it sets up calls (issue 11): the platform (Release) on loopback, a
# warm-up, then sipp's built-in uac at RATE calls/s (CALL_MS long, the IVR answering); once the calls are steady,
# `dotnet-trace --profile gc-verbose` records TRACE_SECONDS of the runtime's allocation samples, and
# bench/AllocTrace sums them: bytes per call, by type and by stack. The calls per second are counted from /health's
# SIP messages received while the trace ran, three a call (sipp's INVITE, ACK and BYE), not taken from the rate asked
# for, and multiplied by the trace's own length.
# Usage: RATE=1000 CALL_MS=200 TRACE_SECONDS=8 bench/alloc-setup.sh
# Needs dotnet-trace: dotnet tool install -g dotnet-trace
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-1000}
call_ms=${CALL_MS:-200}
seconds=${TRACE_SECONDS:-8}
trace_tool=$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")
[ -x "$trace_tool" ] || { echo "dotnet-trace missing: dotnet tool install -g dotnet-trace" >&2; exit 1; }
dotnet build bench/AllocTrace -c Release -nologo -v quiet >/dev/null
RTP_MIN=${RTP_MIN:-30000} RTP_MAX=${RTP_MAX:-49999}
. bench/platform.sh
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m 3000 -r 300 -nostdin >/dev/null 2>&1) || true
calls=$((rate * (seconds + 10)))
(cd "$work" && sipp -sn uac "127.0.0.1:$port" -s 95500 -i 127.0.0.1 -m "$calls" -r "$rate" -d "$call_ms" -l $((rate * 4 + 100)) \
   -nostdin -max_socket 65000 -timeout $((seconds * 3 + 60))s >sipp.log 2>&1) &
sipp_pid=$!
sleep 5
received() { health | python3 -c 'import json, sys; print(json.load(sys.stdin)["sip"]["received"])'; }
before=$(received); t0=$(date +%s.%N)
timeout $((seconds + 30)) "$trace_tool" collect -p "$platform" --profile gc-verbose --duration "00:00:00:$(printf %02d "$seconds")" \
  -o "$work/alloc.nettrace" >/dev/null 2>&1 || true
after=$(received); t1=$(date +%s.%N)
wait "$sipp_pid" || true
[ -s "$work/alloc.nettrace" ] || { echo "no trace was written" >&2; exit 1; }
dotnet bench/AllocTrace/bin/Release/net10.0/CallCenter.Bench.AllocTrace.dll "$work/alloc.nettrace" \
  "$(python3 -c "print(($after - $before) / 3 / ($t1 - $t0))")" "${FRAMES:-4}"

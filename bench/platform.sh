# Sourced by the benchmark scripts: builds the platform (Release) and starts it on loopback with its
# own SQLite file in a temporary folder, waits for /health, and stops it on exit.
# Sets: work (the folder), port (SIP, UDP and TCP), http (the REST API's port), platform (the pid).
# Takes: RTP_MIN / RTP_MAX (the RTP port range, default 20000-29999); PLATFORM_ARGS (more
# --Key=value options, split on blanks); and an optional shell function prepare_db: when the
# sourcing script defines it, the platform starts once to create (migrate and seed) its database,
# stops, prepare_db runs with the database file as $1, and the platform starts again on it (the
# platform reads agents and other directories at start).
# OPEN_VIP_LINE=1 copies config/ into the work folder (the platform reads the working directory's
# config/ first) with the VIP line 95501 opened to every caller: since issue 18 its flow turns away
# callers below Gold, and the bench callers are unknown numbers.
# Defines: health (prints /health), platform_start, platform_stop.
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 1; }
dotnet build src/ResourceControl -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/callcenter-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http=$((port + 1))
if [ "${OPEN_VIP_LINE:-0}" = 1 ]; then
  cp -r config "$work/config"
  # A tree from before issue 18 has no gate (the line was open): nothing to change there.
  grep -q '"gate"' "$work/config/flows/95501.json" && sed -i 's/"start": "gate"/"start": "welcome"/' "$work/config/flows/95501.json"
  if grep -q '"start": "gate"' "$work/config/flows/95501.json"; then echo "could not open 95501.json: update OPEN_VIP_LINE in bench/platform.sh" >&2; exit 1; fi
fi
platform=
platform_start() {
  # shellcheck disable=SC2086 # PLATFORM_ARGS is a list of options
  (cd "$work" && exec dotnet "$OLDPWD/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll" \
    --Sip:Address=127.0.0.1 --Sip:Port="$port" --Urls="http://127.0.0.1:$http" \
    --Database:ConnectionString="Data Source=$work/cc.db" --Rtp:PortMin="${RTP_MIN:-20000}" --Rtp:PortMax="${RTP_MAX:-29999}" \
    --Logging:LogLevel:Default=Warning ${PLATFORM_ARGS:-} >>"$work/platform.log" 2>&1) &
  platform=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && return 0; sleep 0.3; done
  echo "the platform did not answer /health; its log:" >&2; tail -20 "$work/platform.log" >&2; return 1
}
platform_stop() {
  [ -z "$platform" ] && return 0
  kill "$platform" 2>/dev/null; wait "$platform" 2>/dev/null || true; platform=
}
trap 'platform_stop; rm -rf "$work"' EXIT
health() { curl -sf "http://127.0.0.1:$http/health"; }
if declare -F prepare_db >/dev/null; then
  platform_start; platform_stop
  prepare_db "$work/cc.db"
fi
platform_start

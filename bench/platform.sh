# Sourced by the benchmark scripts: builds the platform (Release) and starts it on loopback with its
# own SQLite file in a temporary folder, waits for /health, and stops it on exit.
# Sets: work (the folder), port (SIP, UDP and TCP), http (the REST API's port), platform (the pid).
# Takes: RTP_MIN / RTP_MAX (the RTP port range, default 20000-29999).
command -v sipp >/dev/null || { echo "sipp missing: apt-get install sip-tester" >&2; exit 1; }
dotnet build src/ResourceControl -c Release -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/callcenter-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http=$((port + 1))
(cd "$work" && exec dotnet "$OLDPWD/src/ResourceControl/bin/Release/net10.0/CallCenter.ResourceControl.dll" \
  --Sip:Address=127.0.0.1 --Sip:Port="$port" --Urls="http://127.0.0.1:$http" \
  --Database:ConnectionString="Data Source=$work/cc.db" --Rtp:PortMin="${RTP_MIN:-20000}" --Rtp:PortMax="${RTP_MAX:-29999}" \
  --Logging:LogLevel:Default=Warning >"$work/platform.log" 2>&1) &
platform=$!
trap 'kill $platform 2>/dev/null; wait $platform 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.3; done
health() { curl -sf "http://127.0.0.1:$http/health"; }

#!/usr/bin/env bash
# Runs every test of CallCenter on a fresh machine: installs the Debian peers the tests talk to
# when they are missing (sipp, baresip, linphone, socat, PostgreSQL, Kannel, an SMTP server, Chromium and a CJK font for its screenshots, spandsp, ghostscript and libtiff-tools for fax, Kamailio and Redis for the cluster), starts a
# throw-away PostgreSQL on loopback, builds, runs `dotnet test` for the whole solution and ends
# with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v sipp >/dev/null 2>&1 || need_apt+=(sip-tester)
command -v baresip >/dev/null 2>&1 || need_apt+=(baresip)   # a real softphone registering as an agent
command -v socat >/dev/null 2>&1 || need_apt+=(socat)       # carries Debian's sipp (built without OpenSSL) into TLS
command -v linphone-daemon >/dev/null 2>&1 || need_apt+=(linphone-cli)   # the other one (linphone-daemon, liblinphone)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# SMS tests: bearerbox and smsbox (kannel), and fakesmsc as the SMSC (kannel-extras).
[ -x /usr/sbin/bearerbox ] && [ -x /usr/sbin/smsbox ] || need_apt+=(kannel)
[ -x /usr/lib/kannel/test/fakesmsc ] || need_apt+=(kannel-extras)
# E-mail tests: a real SMTP server on loopback (Debian's python3 with aiosmtpd, tests/fixtures/smtp).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)
# Inbound e-mail tests: a private Dovecot IMAP server on loopback (tests/Integration.Tests/Dovecot.cs).
[ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-imapd)
# Cluster tests: Kamailio's dispatcher in front of two nodes (config/kamailio), and a private redis-server.
[ -x /usr/sbin/kamailio ] || need_apt+=(kamailio)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# Announcements typed as text are spoken by espeak-ng when saved (tests/Notices.Tests).
command -v espeak-ng >/dev/null 2>&1 || need_apt+=(espeak-ng)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)   # dotnet build runs npm for the desk's front-end
# The end-to-end tests drive Debian's Chromium (never a browser Playwright would download); without a
# CJK font the desk's Mandarin text would show as boxes in the screenshots.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-wqy-microhei)
# Fax: spandsp's T.30 engine (loaded by P/Invoke), ghostscript (PDF to TIFF-F) and tiff2pdf (received pages to PDF).
[ -e /usr/lib/x86_64-linux-gnu/libspandsp.so.2 ] || ldconfig -p | grep -q 'libspandsp.so.2 ' || need_apt+=(libspandsp2)
command -v gs >/dev/null 2>&1 || need_apt+=(ghostscript)
command -v tiff2pdf >/dev/null 2>&1 || need_apt+=(libtiff-tools)
# Documents in Chinese: the TrueType font the PDFs embed as a subset (Documents:Font's default).
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)   # a font without Chinese, refused in a test
if ((${#need_apt[@]})); then
  echo "test.sh: installing ${need_apt[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# A private PostgreSQL cluster for the repository tests, on a free loopback port, removed on exit.
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg_dir=$(mktemp -d /tmp/callcenter-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
as_pg "'$pg_bin/initdb' -D '$pg_dir/data' -U postgres --auth=trust -E UTF8 >'$pg_dir/initdb.log' 2>&1"
as_pg "'$pg_bin/pg_ctl' -D '$pg_dir/data' -l '$pg_dir/server.log' -w -o \"-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null"
cleanup() { as_pg "'$pg_bin/pg_ctl' -D '$pg_dir/data' -m immediate stop >/dev/null 2>&1" || true; rm -rf "$pg_dir"; }
trap cleanup EXIT
export CALLCENTER_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build CallCenter.sln -c Release -nologo -v quiet
results=$(mktemp -d /tmp/callcenter-results.XXXXXX)
set +e
dotnet test CallCenter.sln -c Release --no-build --logger "trx" --results-directory "$results" 2>&1 | tee "$results/console.txt"
status=${PIPESTATUS[0]}
set -e

# Sum the per-assembly summaries ("Failed:     0, Passed:    12, Skipped: ...").
read -r passed failed skipped < <(grep -aoE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/console.txt" |
  awk -F'[:,]' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "test.sh: dotnet test exited $status"; fi
# Where the time went, so the next person knows which fixtures to make faster or run side by side.
python3 scripts/slowest-fixtures.py --top 30 "$results"/*.trx || true
rm -rf "$results"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Fax calls through the running platform (issue 16, item 7): the platform (Release) on loopback faxes
# FAXES documents of PAGES pages to its own fax number 95580 through its outbox (POST /api/faxes, as a
# client would), so each fax is two SIP calls over loopback UDP (the outbox's sending call and the fax
# number's receiving call), RTP both ways, and two spandsp T.30 sessions on the media clock: FAXES faxes
# are 2 x FAXES calls and sessions. Fax:Concurrency is set to FAXES, so the worker dials each fax as
# soon as it is queued (the posts render each PDF with ghostscript, one after the other, so the starts
# spread over the posting). Reports: the faxes sent / partial / failed (outbound rows) and their pages,
# the faxes received (inbound rows) and their pages, the most fax calls up at once (sampled), how long,
# the platform's CPU, and the media clock's lateness from /health (p50 / p99 / max and skipped ticks:
# counted since the platform started, a few idle seconds before the run included).
# Usage: bench/fax-calls.sh [FAXES]   Env: PAGES (2), TIMEOUT_S (600)
set -euo pipefail
cd "$(dirname "$0")/.."
faxes=${1:-${FAXES:-10}}
pages=${PAGES:-2}
timeout_s=${TIMEOUT_S:-600}
command -v gs >/dev/null || { echo "ghostscript missing: apt-get install ghostscript" >&2; exit 1; }
PLATFORM_ARGS="--Fax:Concurrency=$faxes --Fax:MaxAttempts=1 ${PLATFORM_ARGS:-}"
. bench/platform.sh

# The document: PAGES light pages (a title and a line each), as the fax tests draw them.
{
  echo '%!PS'
  echo '<< /PageSize [595 842] >> setpagedevice'
  for p in $(seq 1 "$pages"); do
    echo "/Helvetica findfont 28 scalefont setfont 72 700 moveto (Fax bench, page $p of $pages) show"
    echo "72 650 moveto (Statement of account 880000000001) show showpage"
  done
} >"$work/doc.ps"
gs -q -dBATCH -dNOPAUSE -dSAFER -sDEVICE=pdfwrite -sOutputFile="$work/doc.pdf" "$work/doc.ps"

health >"$work/before.json"
cpu_before=$(awk '{print $14+$15}' "/proc/$platform/stat")
t0=$(date +%s.%N)
for _ in $(seq 1 "$faxes"); do
  curl -sf -H 'X-Api-Key: demo-api-key' -F to=95580 -F "document=@$work/doc.pdf" "http://127.0.0.1:$http/api/faxes" >>"$work/posted.jsonl"
  echo >>"$work/posted.jsonl"
done
t_posted=$(date +%s.%N)

# Until every outbound row has ended (sent, partial or failed), sampling the calls up at once.
peak=0
deadline=$(( $(date +%s) + timeout_s ))
while :; do
  active=$(health | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"]["active"])')
  [ "$active" -gt "$peak" ] && peak=$active
  open=$(curl -sf -H 'X-Api-Key: demo-api-key' "http://127.0.0.1:$http/api/faxes?direction=outbound&limit=500" |
    python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin) if f["status"] in ("queued","sending")))')
  [ "$open" -eq 0 ] && break
  [ "$(date +%s)" -gt "$deadline" ] && { echo "still $open faxes under way after ${timeout_s} s" >&2; break; }
  sleep 0.5
done
t1=$(date +%s.%N)
cpu_after=$(awk '{print $14+$15}' "/proc/$platform/stat")
sleep 2 # the receiving calls store their pages after the sender's BYE
health >"$work/after.json"
curl -sf -H 'X-Api-Key: demo-api-key' "http://127.0.0.1:$http/api/faxes?direction=outbound&limit=500" >"$work/outbound.json"
curl -sf -H 'X-Api-Key: demo-api-key' "http://127.0.0.1:$http/api/faxes?direction=inbound&limit=500" >"$work/inbound.json"

python3 - "$work" "$faxes" "$pages" "$t0" "$t_posted" "$t1" "$cpu_before" "$cpu_after" "$peak" <<'PY'
import collections, json, os, sys
work, faxes, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0, tp, t1 = (float(x) for x in sys.argv[4:7])
cb, ca, peak = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
out = json.load(open(f"{work}/outbound.json")); inn = json.load(open(f"{work}/inbound.json"))
b, a = json.load(open(f"{work}/before.json")), json.load(open(f"{work}/after.json"))
status = collections.Counter(f["status"] for f in out)
rates = collections.Counter(f["bitRate"] for f in out)
sent_pages = sum(f["pages"] for f in out)
got = collections.Counter(f["status"] for f in inn)
got_pages = sum(f["pages"] for f in inn)
reasons = collections.Counter(f["result"] for f in out if f["status"] != "sent")
cpu = (ca - cb) / os.sysconf("SC_CLK_TCK")
m = a["media"]
print(f"faxes posted          {len(out)} of {faxes} ({pages} pages each), posting took {tp - t0:.1f} s")
print(f"outbound              {dict(status)}; pages confirmed {sent_pages} of {faxes * pages}; bit rates {dict(rates)}")
print(f"inbound               {dict(got)}; pages stored {got_pages}")
for reason, n in reasons.most_common():
    print(f"  not sent: {n} x {reason}")
print(f"fax calls at once     {peak} (most sampled; each fax is 2 calls)")
print(f"run                   {t1 - t0:.1f} s from the first post to the last fax's end")
print(f"platform CPU          {cpu:.1f} s ({cpu / (t1 - t0) * 100:.0f} % of one core over the run)")
print(f"clock lateness        p50 {m['clockLatenessP50Ms']} ms, p99 {m['clockLatenessP99Ms']} ms, max {m['clockLatenessMaxMs']:.1f} ms; "
      f"ticks skipped {m['clockTicksSkipped'] - b['media']['clockTicksSkipped']} (of {m['clockTicks'] - b['media']['clockTicks']}); nice {m['clockThreadNice']}")
print(f"RTP                   {m['rtpPacketsSent'] - b['media']['rtpPacketsSent']} sent, {m['rtpPacketsReceived'] - b['media']['rtpPacketsReceived']} received, "
      f"{m['rtpPacketsDropped'] - b['media']['rtpPacketsDropped']} dropped")
PY

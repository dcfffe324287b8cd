#!/usr/bin/env bash
# The demo, as a newsroom CMS would drive the service: load a small library, post an article,
# wait for the job, download the MP4. Needs a running API ($VIDPRESS_API), an API key ($VIDPRESS_API_KEY:
# `./vidpress demo` makes one; by hand: ./vidpress key create --tenant demo) and curl, jq, ffmpeg.
set -euo pipefail
API="${VIDPRESS_API:-http://127.0.0.1:5080}"
OUT="${VIDPRESS_OUT:-$PWD/out}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PICTURES="$ROOT/models/tiny-clip"
[ -n "${VIDPRESS_API_KEY:-}" ] || { echo "set VIDPRESS_API_KEY (./vidpress key create --tenant demo prints one)" >&2; exit 2; }
AUTH=(-H "X-Api-Key: $VIDPRESS_API_KEY")
mkdir -p "$OUT/library"
say() { printf '\033[1;32m-->\033[0m %s\n' "$*" >&2; }

# The demo's own webhook receiver on 127.0.0.1 (python3's standard library): it writes each POST's headers and
# body to $OUT/webhooks/ and answers 204. A service only calls it when it may reach this machine, which
# `./vidpress demo` allows for the demo alone (VIDPRESS_DEMO_WEBHOOK=true; a plain `./vidpress up` refuses loopback).
callback=()
receiver_pid=""
if [ "${VIDPRESS_DEMO_WEBHOOK:-false}" = true ] && command -v python3 >/dev/null; then
  rm -rf "$OUT/webhooks"; mkdir -p "$OUT/webhooks"
  python3 - "$OUT/webhooks" <<'PY' &
import http.server, json, os, sys
folder = sys.argv[1]
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")
        record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        name = os.path.join(folder, "%03d.json" % len([f for f in os.listdir(folder) if f.endswith(".json")]))
        with open(name + ".tmp", "w") as f: json.dump(record, f)
        os.rename(name + ".tmp", name)
        self.send_response(204); self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
with open(os.path.join(folder, "port"), "w") as f: f.write(str(server.server_port))
server.serve_forever()
PY
  receiver_pid=$!
  trap 'kill "$receiver_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 200); do [ -s "$OUT/webhooks/port" ] && break; sleep 0.1; done
  if [ -s "$OUT/webhooks/port" ]; then
    callback=(--arg callback "http://127.0.0.1:$(cat "$OUT/webhooks/port")/hooks/demo")
    say "webhook receiver on 127.0.0.1:$(cat "$OUT/webhooks/port") (the demo's API allows loopback for it; ./vidpress up alone refuses it)"
  fi
elif [ "${VIDPRESS_DEMO_WEBHOOK:-false}" = true ]; then
  say "no python3: the demo runs without its webhook receiver"
else
  say "the API refuses loopback, so the demo runs without its webhook receiver on 127.0.0.1"
fi

say "making demo library clips from $PICTURES"
for p in red-circle blue-square green-triangle; do
  # Moving footage: the picture drifts slowly, so the clips are real video, not frozen frames.
  [ -f "$OUT/library/$p.mp4" ] || ffmpeg -hide_banner -nostdin -loglevel error -y -loop 1 -i "$PICTURES/$p.png" -t 6 -r 25 \
    -vf "scale=960:540:force_original_aspect_ratio=increase,crop=900:506:x='(iw-ow)/2+20*sin(t)':y='(ih-oh)/2',scale=960:540,format=yuv420p" \
    -c:v libx264 -preset veryfast "$OUT/library/$p.mp4"
done

upload() { # file title tags
  curl -fsS "${AUTH[@]}" -F "file=@$1" -F "title=$2" -F "tags=$3" "$API/library/assets" | jq -r .id
}
ids=()
ids+=("$(upload "$OUT/library/red-circle.mp4" "red circle over the skyline" "red,circle")")
ids+=("$(upload "$OUT/library/blue-square.mp4" "blue square at the harbour" "blue,square")")
ids+=("$(upload "$OUT/library/green-triangle.mp4" "green triangle in the park" "green,triangle")")
ids+=("$(upload "$PICTURES/purple-circle.png" "purple circle" "purple,circle")")
ids+=("$(upload "$PICTURES/yellow-square.png" "yellow square" "yellow,square")")
ids+=("$(upload "$PICTURES/white-triangle.png" "white triangle" "white,triangle")")
say "uploaded ${#ids[@]} library assets; waiting for ingest"
for id in "${ids[@]}"; do
  for _ in $(seq 1 120); do
    status="$(curl -fsS "${AUTH[@]}" "$API/library/assets/$id" | jq -r .status)"
    [ "$status" = ingesting ] || break
    sleep 0.5
  done
  [ "$status" = ready ] || { echo "asset $id: $status" >&2; exit 1; }
done

article='A red circle rose over the city skyline on Tuesday morning, and residents stopped to look.
Hours later a blue square appeared above the harbour. City officials said a yellow square had been reported too.
In the afternoon a green triangle was seen in the park. By evening, a purple circle and a white triangle had joined them.'
say "posting the article"
video="$(jq -n --arg text "$article" "${callback[@]}" \
  '{text: $text, title: "Shapes over the city", aspectRatio: "16:9", resolution: "720p", targetDurationSeconds: 60} + (if $ARGS.named.callback then {callbackUrl: $ARGS.named.callback} else {} end)' \
  | curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary @- "$API/videos")"
id="$(jq -r .id <<<"$video")"
say "video $id queued; following its progress"
while :; do
  state="$(curl -fsS "${AUTH[@]}" "$API/videos/$id")"
  status="$(jq -r .status <<<"$state")"
  line="$(printf '    %-9s %-10s %5.1f%%' "$status" "$(jq -r .stage <<<"$state")" "$(jq -r .progress <<<"$state")")"
  if [ -t 2 ]; then printf '\r%s' "$line" >&2; elif [ "$line" != "${last:-}" ]; then echo "$line" >&2; fi
  last="$line"
  case "$status" in succeeded|failed) [ -t 2 ] && echo >&2; break ;; esac
  sleep 1
done
[ "$status" = succeeded ] || { jq . <<<"$state" >&2; exit 1; }
# The signed link needs no key: this is how a CMS hands the file on.
download="$(jq -r .links.download <<<"$state")"
curl -fsS -o "$OUT/$id.mp4" "$API$download"
curl -fsS "${AUTH[@]}" "$API/videos/$id/timeline" >"$OUT/$id.timeline.json"
say "timeline: $(jq -r '[.clips[] | "\(.kind):\(.assetTitle // .cardText | tostring | .[0:24])"] | join(" | ")' "$OUT/$id.timeline.json")"
say "rendered $(jq -r .durationSeconds <<<"$state") s in $(jq -r .renderSeconds <<<"$state") s"
if [ ${#callback[@]} -gt 0 ]; then
  for _ in $(seq 1 100); do [ -s "$OUT/webhooks/000.json" ] && break; sleep 0.1; done
  if [ -s "$OUT/webhooks/000.json" ]; then
    say "webhook $(jq -r '.body | fromjson | .type' "$OUT/webhooks/000.json") received, webhook-id $(jq -r '.headers["webhook-id"]' "$OUT/webhooks/000.json") ($OUT/webhooks/000.json)"
  else
    say "no webhook arrived yet; see GET /videos/$id/deliveries"
  fi
fi
echo "$OUT/$id.mp4"

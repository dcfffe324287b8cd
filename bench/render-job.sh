#!/usr/bin/env bash
# Whole-job render benchmark (issue 6): a 60+ s narrated video with 15+ shots, stills with Ken Burns,
# subtitles and a ducked music bed, through the real service, against the encoder floor
#   ffmpeg -f lavfi -i testsrc2=size=WxH:rate=30 -t 60 -c:v libx264 -preset veryfast -pix_fmt yuv420p
# measured on the same machine in the same run. Prints one line per resolution with the ratio.
# Usage: ./vidpress up && VIDPRESS_API_KEY=$(./vidpress key create --tenant bench) bench/render-job.sh
set -euo pipefail
API="${VIDPRESS_API:-http://127.0.0.1:5080}"
KEY="${VIDPRESS_API_KEY:?create a key: ./vidpress key create --tenant bench}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
H=(-H "X-Api-Key: $KEY")

# Library: 8 moving clips and 8 stills of tiny-clip's shape pictures, and a 120 BPM bed.
i=0
for p in red-circle blue-square green-triangle purple-circle white-triangle yellow-square; do
  for variant in 0 1; do
    i=$((i+1))
    ffmpeg -hide_banner -loglevel error -nostdin -y -loop 1 -i "$ROOT/models/tiny-clip/$p.png" -t 8 -r 25 \
      -vf "scale=1280:720:force_original_aspect_ratio=increase,crop=1200:675:x='(iw-ow)/2+$((variant*30))*sin(t)':y='(ih-oh)/2',scale=1280:720,hue=h=$((variant*8)),format=yuv420p" \
      -c:v libx264 -preset veryfast "$WORK/clip$i.mp4"
    curl -fsS "${H[@]}" -F "file=@$WORK/clip$i.mp4" -F "title=${p/-/ } clip $variant" "$API/library/assets" >/dev/null
    ffmpeg -hide_banner -loglevel error -nostdin -y -i "$ROOT/models/tiny-clip/$p.png" -vf "hue=h=$((variant*8 + 1))" "$WORK/still$i.png"
    curl -fsS "${H[@]}" -F "file=@$WORK/still$i.png" -F "title=${p/-/ } still $variant" "$API/library/assets" >/dev/null
  done
done
ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "aevalsrc=0.8*sin(2*PI*60*t)*exp(-25*mod(t\,0.5))+0.1*sin(2*PI*220*t):s=44100:d=40" "$WORK/bed.wav"
curl -fsS "${H[@]}" -F "file=@$WORK/bed.wav" -F "title=bench bed" -F "moods=bench" "$API/library/music" >/dev/null
sleep 20  # let ingest finish

article="A red circle rose over the city on Tuesday morning. Residents gathered on rooftops to watch it climb. \
Soon afterwards a blue square appeared above the harbour. Fishermen said they had never seen anything like it. \
By noon a green triangle hovered over the central park. Children ran across the lawns to point at the shape. \
City officials said a purple circle was drifting over the river. The mayor asked people to stay calm and keep to the footpaths. \
A white triangle was reported near the railway station in the afternoon. Trains kept running on time, the operator said. \
In the evening a yellow square glowed above the old town. Shop owners kept their doors open late for the visitors. \
Scientists from the university said they would study the shapes overnight. The council will meet again on Wednesday to decide what to do next. \
Pilots flying into the airport said the shapes were easy to see from above the clouds. Local radio stations took calls from listeners until long after midnight. \
Weather forecasters expect clear skies for the rest of the week."

floor() { # width height seconds → wall seconds of the plain encode
  local s; s=$(date +%s.%N)
  ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=$1x$2:rate=30" -t "$3" -c:v libx264 -preset veryfast -pix_fmt yuv420p "$WORK/floor.mp4"
  awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN { print a - b }' 
}

for resolution in 720p 1080p; do
  body=$(jq -n --arg text "$article" --arg r "$resolution" '{text: $text, resolution: $r, aspectRatio: "16:9", targetDurationSeconds: 600, music: "bench"}')
  start=$(date +%s.%N)
  id=$(curl -fsS "${H[@]}" -H 'Content-Type: application/json' --data-binary "$body" "$API/videos" | jq -r .id)
  while :; do
    state=$(curl -fsS "${H[@]}" "$API/videos/$id"); status=$(jq -r .status <<<"$state")
    [ "$status" = succeeded ] || [ "$status" = failed ] && break
    sleep 0.2
  done
  job=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')
  [ "$status" = succeeded ] || { jq . <<<"$state"; exit 1; }
  duration=$(jq -r .durationSeconds <<<"$state"); render=$(jq -r .renderSeconds <<<"$state")
  clips=$(curl -fsS "${H[@]}" "$API/videos/$id/timeline" | jq '.clips | length')
  stills=$(curl -fsS "${H[@]}" "$API/videos/$id/timeline" | jq '[.clips[] | select(.kind=="still")] | length')
  if [ "$resolution" = 720p ]; then w=1280; h=720; else w=1920; h=1080; fi
  f=$(floor $w $h "$duration")
  printf '%s: %.1f s video, %s clips (%s stills), job %.1f s (render stage %.1f s), floor %.1f s, job/floor %.2f, render/floor %.2f\n' \
    "$resolution" "$duration" "$clips" "$stills" "$job" "$render" "$f" "$(awk -v a="$job" -v b="$f" 'BEGIN { print a / b }')" "$(awk -v a="$render" -v b="$f" 'BEGIN { print a / b }')"
done

#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Cost of a two-way 640x480@30 VP8 + Opus call on loopback, per peer:
# CPU (% of one core) and peak RSS, for two mtavip-cli phones and, as the
# yardstick, two bare gst-launch-1.0 pipelines doing the same media work.
#
#   bench/call-cost.sh [BUILD_DIR] [SECONDS]
#
# Prints one line per peer and a summary. Numbers depend on the machine;
# compare the two rows of one run, not runs on different machines.
set -euo pipefail

BUILD=${1:-_build}
SECS=${2:-20}
CLI=$BUILD/src/cli/mtavip-cli
[ -x "$CLI" ] || { echo "build first: $CLI missing" >&2; exit 2; }

ticks=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# measure PID over the middle of the call: skip setup, sample for SECS-6 s
measure() {
	local pid=$1 label=$2 t0 t1 c0 c1 span
	sleep 4
	c0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
	sleep $((SECS - 6))
	c1=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
	span=$(echo "$t1 - $t0" | bc -l)
	printf '%-28s cpu %5.1f %%   peak rss %6.1f MB\n' "$label" \
		"$(echo "100 * ($c1 - $c0) / $ticks / $span" | bc -l)" \
		"$(echo "$(peak_rss_kb "$pid") / 1024" | bc -l)"
}

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== mtavip-cli <-> mtavip-cli, ${SECS}s call, 640x480@30 VP8 + Opus"
PB=$(port)
"$CLI" --listen 127.0.0.1:$PB --auto-answer --exit-after-call \
	--audio-source test --video-source test --audio-sink fake --video-sink fake >/dev/null 2>&1 &
B=$!
sleep 1
"$CLI" --listen 127.0.0.1:$(port) --call sip:b@127.0.0.1:$PB --hangup-after "$SECS" --exit-after-call \
	--audio-source test --video-source test --audio-sink fake --video-sink fake >/dev/null 2>&1 &
A=$!
measure $A "mtavip-cli caller" &
measure $B "mtavip-cli callee" &
wait $A $B 2>/dev/null || true
wait

echo "== gst-launch-1.0 <-> gst-launch-1.0 (same media work, no SIP)"
P1=$(( (RANDOM % 10000) * 2 + 30000 )); P2=$((P1 + 10))
peer() { # $1 local base port, $2 remote base port
	exec gst-launch-1.0 -q rtpbin name=r latency=40 \
		audiotestsrc is-live=true ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay pt=111 ! r.send_rtp_sink_0 \
		r.send_rtp_src_0 ! udpsink host=127.0.0.1 port=$2 sync=false async=false \
		videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1 ! videoconvert ! vp8enc deadline=1 cpu-used=16 threads=1 end-usage=cbr target-bitrate=800000 lag-in-frames=0 ! rtpvp8pay pt=96 ! r.send_rtp_sink_1 \
		r.send_rtp_src_1 ! udpsink host=127.0.0.1 port=$(($2 + 2)) sync=false async=false \
		udpsrc port=$1 caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,payload=111" ! r.recv_rtp_sink_0 \
		r. ! rtpopusdepay ! opusdec ! fakesink sync=false \
		udpsrc port=$(($1 + 2)) caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96" ! r.recv_rtp_sink_1 \
		r. ! rtpvp8depay ! vp8dec ! videoconvert ! fakesink sync=false >/dev/null 2>&1
}
peer $P1 $P2 & G1=$!
peer $P2 $P1 & G2=$!
measure $G1 "gst-launch peer 1" & M1=$!
measure $G2 "gst-launch peer 2" & M2=$!
wait $M1 $M2
kill $G1 $G2 2>/dev/null || true
wait 2>/dev/null || true

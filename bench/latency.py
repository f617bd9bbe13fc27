#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mouth-to-ear audio latency and call setup time, mtavip-cli next to baresip.

    python3 bench/latency.py [--build _build] [--seconds 12] [--calls 5] [--only us|baresip]

Mouth-to-ear: a private PulseAudio daemon with four null sinks: a_mic, a_spk,
b_mic, b_spk. Phone A captures from a_mic.monitor and plays into a_spk; phone
B the same with b_*. Both phones use their default ("auto") audio path with
default settings, audio only, Opus. A click track (10 ms 1 kHz bursts every
0.7 s) is played into a_mic; one gst-launch pipeline records a_mic.monitor
(what A's microphone hears) and b_spk.monitor (what B's speaker plays) into
the two channels of one WAV file, aligned by GStreamer timestamps of one clock
(audiointerleave). For each burst the delay between its onset in the two
channels is mouth-to-ear; the median is printed. The same measured with the
click played straight into b_spk (no phones) is the floor of the method.

Call setup: tshark on loopback, time from the INVITE to the callee's 200 OK,
callee auto-answering, audio only and audio + video (test sources), the
median of --calls calls.

baresip (1.0, Debian baresip-core) plays and captures through ALSA's pulse
plugin, pointed at the same null sinks. Figures, not pass/fail.
"""

import argparse
import array
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from fixtures import ports  # noqa: E402
from fixtures.baresip import Baresip  # noqa: E402
from fixtures.capture import SipCapture  # noqa: E402
from fixtures.process import Managed, make_tempdir  # noqa: E402
from fixtures.pulse import PulseAudio  # noqa: E402

RATE = 48000
CLICK_PERIOD = 0.7037   # not a multiple of a 10 or 20 ms frame: onsets fall at every phase
CLICK_LEN = 0.010


# ---- the click track and its onsets -----------------------------------------

def click_track(path, seconds):
    n = int(seconds * RATE)
    a = array.array("h", bytes(2 * n))
    import math
    period = int(CLICK_PERIOD * RATE)
    burst = int(CLICK_LEN * RATE)
    for start in range(RATE // 2, n - burst, period):
        for i in range(burst):
            a[start + i] = int(16000 * math.sin(2 * math.pi * 1000 * i / RATE))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(a.tobytes())


def onsets(samples, threshold):
    """Sample indexes where |x| first exceeds threshold after >= 0.3 s below."""
    out = []
    quiet = int(0.3 * RATE)
    last = -quiet
    for i, x in enumerate(samples):
        if abs(x) > threshold:
            if i - last >= quiet:
                out.append(i)
            last = i
    return out


def delays_ms(raw_path):
    ch = 2
    with open(raw_path, "rb") as f:
        raw = f.read()
    a = array.array("h")
    a.frombytes(raw[:len(raw) - len(raw) % 2])
    mouth = a[0::ch]
    ear = a[1::ch]
    peak = max((abs(x) for x in ear), default=0)
    m_on = onsets(mouth, 4000)
    e_on = onsets(ear, max(peak * 0.25, 300))
    out = []
    for m in m_on:
        later = [e for e in e_on if m <= e < m + int(0.5 * RATE)]
        if later:
            out.append(1000.0 * (later[0] - m) / RATE)
    return out, len(m_on)


# ---- PulseAudio ------------------------------------------------------------

class Pulse4(PulseAudio):
    """The fixture's daemon plus: a stereo null sink "x" whose left channel is
    the remap sink a_mic (A's microphone: A captures a_mic.monitor) and whose
    right channel is the remap sink b_spk (B's speaker); null sinks a_spk and
    b_mic for the other direction. Recording x.monitor gives mouth and ear in
    one stream, sample-aligned."""

    def start(self):
        super().start()
        self.pactl_run("load-module", "module-null-sink", "sink_name=x", "rate=%d" % RATE,
                       "channels=2", "channel_map=front-left,front-right")
        for name, pos in (("a_mic", "front-left"), ("b_spk", "front-right")):
            self.pactl_run("load-module", "module-remap-sink", "sink_name=%s" % name,
                           "master=x", "channels=1", "channel_map=mono",
                           "master_channel_map=%s" % pos, "remix=no")
        for s in ("a_spk", "b_mic"):
            self.pactl_run("load-module", "module-null-sink", "sink_name=%s" % s,
                           "rate=%d" % RATE, "channels=1")
        # a remap sink renders only while something plays into it: without
        # this silence A's microphone would deliver nothing between clicks
        self.silence = Managed(["pacat", "--device=a_mic", "--raw", "--format=s16le",
                                "--rate=%d" % RATE, "--channels=1", "--latency-msec=10",
                                "/dev/zero"], os.path.join(self.dir, "silence.log"),
                               env=self.env())
        return self

    def stop(self):
        if getattr(self, "silence", None) is not None:
            self.silence.stop()
        super().stop()

    def phone_env(self, side):
        e = self.env()
        e["PULSE_SOURCE"] = "%s_mic.monitor" % side
        e["PULSE_SINK"] = "%s_spk" % side
        return e


def record(pa, path):
    """parec of x.monitor (left: mouth, right: ear) as raw s16le stereo."""
    return Managed(["parec", "-d", "x.monitor", "--raw", "--format=s16le", "--rate=%d" % RATE,
                    "--channels=2", "--latency-msec=20", path], path + ".log", env=pa.env())


def play(pa, sink, wav_path):
    return Managed(["pacat", "--device=" + sink, "--latency-msec=10", "--file-format=wav",
                    wav_path], wav_path + "." + sink + ".log", env=pa.env())


def measure_loop(pa, tmp, seconds, name):
    wav = os.path.join(tmp, "clicks.wav")
    click_track(wav, seconds)
    out = os.path.join(tmp, "rec-%s.raw" % name)
    rec = record(pa, out)
    time.sleep(1.0)
    player = play(pa, "a_mic", wav)
    player.proc.wait(seconds + 20)
    time.sleep(0.5)
    with open(out + ".pactl", "w") as f:
        f.write(pa.pactl_run("list", "sink-inputs") + pa.pactl_run("list", "source-outputs"))
    rec.stop()
    return delays_ms(out)


# ---- phones ----------------------------------------------------------------

def cli_path(build):
    return os.path.join(build, "src", "cli", "mtavip-cli")


class Cli:
    def __init__(self, build, name, env, args):
        self.dir = make_tempdir("bench-" + name)
        self.port = ports.free_port()
        env = dict(env)
        env.update({"HOME": self.dir, "XDG_CONFIG_HOME": os.path.join(self.dir, "c"),
                    "XDG_DATA_HOME": os.path.join(self.dir, "d")})
        argv = [cli_path(build), "--json", "--listen", "127.0.0.1:%d" % self.port] + args
        self.proc = Managed(argv, os.path.join(self.dir, "stderr.log"), env=env,
                            capture_stdout=True)
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        copy = open(os.path.join(self.dir, "events.jsonl"), "wb")
        for raw in self.proc.proc.stdout:
            copy.write(raw)
            copy.flush()
            try:
                ev = json.loads(raw)
            except ValueError:
                continue
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()

    def wait_state(self, state, timeout=20):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not any(e.get("event") == "call" and e.get("state") == state
                          for e in self.events):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError("no %s call state; log %s" % (state, self.dir))
                self.cond.wait(left)

    def stop(self):
        self.proc.stop()


def wait_listening(port, timeout=20):
    """Until something has bound UDP 127.0.0.1:port (the callee listens)."""
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return
        finally:
            s.close()
        time.sleep(0.02)
    raise RuntimeError("nothing listens on %d" % port)


def us_pair(build, pa, seconds, video=False, extra=()):
    media = ["--no-video"] if not video else ["--video-source", "test", "--video-sink", "fake",
                                              "--video-size", "320x240"]
    if pa is None:
        media += ["--audio-source", "test", "--audio-sink", "fake"]
    b = Cli(build, "b", pa.phone_env("b") if pa else os.environ,
            ["--auto-answer", "--exit-after-call"] + media + list(extra))
    wait_listening(b.port)
    a = Cli(build, "a", pa.phone_env("a") if pa else os.environ,
            ["--call", "sip:b@127.0.0.1:%d" % b.port, "--hangup-after", str(seconds),
             "--exit-after-call"] + media + list(extra))
    return a, b


class PulseBaresip(Baresip):
    """The fixture's baresip, with sound through ALSA's pulse plugin."""

    PULSE = {"audio_source": "alsa,pulse", "audio_player": "alsa,pulse",
             "ausrc_channels": "1", "auplay_channels": "1"}

    def _config(self):
        out = []
        for line in super()._config().splitlines(True):
            key = line.split("\t", 1)[0]
            if key in self.PULSE:
                line = "%s\t\t%s\n" % (key, self.PULSE[key])
            out.append(line)
            if key == "module" and "g711" in line:
                out.append("module\t\talsa.so\n")
        return "".join(out)


def baresip_pair(pa, video=False):
    kind = Baresip if pa is None else PulseBaresip
    saved = dict(os.environ)
    try:
        if pa is not None:
            os.environ.update(pa.phone_env("b"))
        b = kind("b", video_codecs=None if video else []).start()
        if pa is not None:
            os.environ.update(pa.phone_env("a"))
        a = kind("a", video_codecs=None if video else []).start()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return a, b


# ---- figures ---------------------------------------------------------------

def mouth_to_ear(who, build, pa, tmp, seconds, extra=()):
    if who == "us":
        a, b = us_pair(build, pa, seconds + 8, extra=extra)
        try:
            a.wait_state("active")
            time.sleep(2)
            return measure_loop(pa, tmp, seconds, who)
        finally:
            a.stop()
            b.stop()
    a, b = baresip_pair(pa)
    try:
        a.dial(b.contact_uri)
        a.wait_for("CALL_ESTABLISHED", timeout=15)
        time.sleep(2)
        return measure_loop(pa, tmp, seconds, who)
    finally:
        a.stop()
        b.stop()


def setup_times(who, build, calls, video):
    out = []
    for _ in range(calls):
        if who == "us":
            a, b = us_pair(build, None, 1, video=video)
            cap = SipCapture([b.port]).start()
            try:
                a.wait_state("active")
            finally:
                time.sleep(0.3)
                cap.stop()
                a.stop()
                b.stop()
            port = b.port
        else:
            a, b = baresip_pair(None, video=video)
            cap = SipCapture([b.sip_port]).start()
            try:
                a.dial(b.contact_uri)
                a.wait_for("CALL_ESTABLISHED", timeout=15)
            finally:
                time.sleep(0.3)
                cap.stop()
                a.stop()
                b.stop()
            port = b.sip_port
        msgs = cap.messages(port=port)
        inv = [m for m in msgs if m.label == "INVITE" and m.dst_port == port]
        ok = [m for m in msgs if m.label == "200" and m.method == "INVITE" and m.src_port == port]
        if inv and ok:
            out.append(1000.0 * (ok[0].time - inv[0].time))
    return out


def fmt(values):
    if not values:
        return "n/a"
    return "%.1f ms (n=%d, min %.1f, max %.1f)" % (statistics.median(values), len(values),
                                                  min(values), max(values))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default=os.path.join(HERE, "..", "_build"))
    p.add_argument("--seconds", type=int, default=12)
    p.add_argument("--calls", type=int, default=5)
    p.add_argument("--only", choices=("us", "baresip"))
    p.add_argument("--skip-setup", action="store_true")
    p.add_argument("--cli-args", default="", help="extra mtavip-cli options for both phones")
    args = p.parse_args()
    if not os.access(cli_path(args.build), os.X_OK):
        sys.exit("build first: %s missing" % cli_path(args.build))
    who_all = [args.only] if args.only else ["us", "baresip"]
    tmp = make_tempdir("bench-latency")
    results = {}
    with Pulse4() as pa:
        # the floor: PulseAudio alone looping A's microphone into B's speaker
        loop = pa.pactl_run("load-module", "module-loopback", "source=a_mic.monitor",
                            "sink=b_spk", "latency_msec=20").strip()
        time.sleep(1)
        floor, _ = measure_loop(pa, tmp, 6, "pa-loopback")
        pa.pactl_run("unload-module", loop)
        print("PulseAudio module-loopback (20 ms) alone: %s" % fmt(floor))
        for who in who_all:
            d, n = mouth_to_ear(who, args.build, pa, tmp, args.seconds, args.cli_args.split())
            results[who] = d
            print("%-8s mouth-to-ear: %s, %d of %d clicks heard" % (who, fmt(d), len(d), n),
                  flush=True)
    if not args.skip_setup:
        for who in who_all:
            for video in (False, True):
                print("%-8s call setup (INVITE -> 200 OK), %s: %s"
                      % (who, "audio+video" if video else "audio", fmt(setup_times(
                          who, args.build, args.calls, video))), flush=True)
    if "us" in results and "baresip" in results and results["us"] and results["baresip"]:
        print("mouth-to-ear ratio us/baresip: %.2f"
              % (statistics.median(results["us"]) / statistics.median(results["baresip"])))


if __name__ == "__main__":
    main()

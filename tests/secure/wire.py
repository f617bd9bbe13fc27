# SPDX-License-Identifier: GPL-3.0-or-later
"""What the secure suite looks for on the wire (a dumpcap capture read back
with tshark): the RTP payloads our phones send, and whether any of them is
our known test payload in clear.

Our phones send a known, periodic PCMU payload: silence (every byte 0xFF,
period 1) or TONE, a square wave of 320 Hz at 8 kHz whose 25-sample period
repeats through each 160-byte packet. SRTP payloads are random bytes: no
period survives encryption.
"""

import subprocess

# the tone: PCMU at 8 kHz (caps fixed, no resampler), edges never on a sample
TONE_PERIOD = 25
TONE = ["--audio-codecs", "PCMU", "--audio-source",
        "audiotestsrc wave=square freq=320 volume=0.3 is-live=true "
        "! capsfilter caps=audio/x-raw,rate=8000,channels=1"]


def media_ports(cap, sip_ports):
    """RTP ports from the m= lines of the SDP bodies our phones sent (in clear)"""
    found = set()
    for m in cap.messages():
        if m.src_port not in sip_ports:
            continue
        for line in m.sdp_media:
            parts = line.split()
            if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) != 0:
                found.add(int(parts[1]))
    return sorted(found)


def payloads(cap, ports, field="udp.srcport"):
    """{port: [UDP payload (hex) of each packet sent from it]}, one tshark
    pass; field="udp.dstport": of each packet sent to it"""
    flt = " || ".join("%s==%d" % (field, p) for p in ports)
    r = subprocess.run([cap.tshark, "-r", cap.pcap, "-Y", flt,
                        "-T", "fields", "-e", field, "-e", "udp.payload"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError("tshark failed: %s" % r.stderr)
    out = {p: [] for p in ports}
    for line in r.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) == 2 and fields[0].isdigit() and int(fields[0]) in out:
            out[int(fields[0])].append(fields[1].strip().replace(":", ""))
    return out


def _periodic(payload, period, tail=160):
    """the last `tail` bytes repeat with `period` (a flipped byte or two allowed)"""
    data = payload[-tail:]
    if len(data) < tail:
        return False
    same = sum(1 for i in range(tail - period) if data[i] == data[i + period])
    return same >= 0.95 * (tail - period)


def clear_pattern(hexes, period=1):
    """packets whose payload ends in 160 bytes repeating with `period`:
    our PCMU in clear (period 1: silence; TONE_PERIOD: the tone)"""
    return [h for h in hexes if _periodic(bytes.fromhex(h), period)]

# SPDX-License-Identifier: GPL-3.0-or-later
"""A lossy, slow link between two interfaces: every Ethernet frame that
arrives on one is sent out of the other after a delay of DELAY +- JITTER ms
(uniform, order kept, as on one radio link), unless it is lost (LOSS, a
fraction, independently per frame). ARP passes like everything else, so the
two hosts see one Ethernet segment.

The kernel here has no netem qdisc (`tc qdisc ... netem` reports an unknown
kind), so the quality suite runs this inside a middle namespace instead.

    python3 linkdelay.py IF1 IF2 --loss 0.03 --delay 30 --jitter 10
"""

import argparse
import heapq
import random
import select
import socket
import struct
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def _sum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def fix_checksum(frame):
    """veth hands over IPv4 UDP/TCP with the checksum left to an offload
    that never happens on this path: UDP gets none (0 is allowed over
    IPv4), TCP gets its real one."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return frame
    if struct.unpack("!H", frame[20:22])[0] & 0x1FFF:
        return frame     # a later fragment: no L4 header in it
    ihl = (frame[14] & 0x0F) * 4
    proto = frame[23]
    total_len = struct.unpack("!H", frame[16:18])[0]
    l4 = 14 + ihl
    end = 14 + total_len
    if proto == 17 and len(frame) >= l4 + 8:
        return frame[:l4 + 6] + b"\0\0" + frame[l4 + 8:]
    more_fragments = frame[20] & 0x20
    if proto == 6 and not more_fragments and len(frame) >= l4 + 20 and end <= len(frame):
        seg = bytearray(frame[l4:end])
        seg[16:18] = b"\0\0"
        pseudo = frame[26:34] + struct.pack("!BBH", 0, 6, len(seg))
        csum = (~_sum16(pseudo + bytes(seg))) & 0xFFFF
        return frame[:l4 + 16] + struct.pack("!H", csum) + frame[l4 + 18:]
    return frame


def open_if(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((name, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setblocking(False)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("if1")
    ap.add_argument("if2")
    ap.add_argument("--loss", type=float, default=0.0)
    ap.add_argument("--delay", type=float, default=0.0, help="ms")
    ap.add_argument("--jitter", type=float, default=0.0, help="ms")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    socks = [open_if(args.if1), open_if(args.if2)]
    queue = []          # (due, serial, out index, frame)
    last_due = [0.0, 0.0]
    serial = 0
    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                socks[out].send(frame)
            except OSError:
                pass
        timeout = max(0.0, queue[0][0] - now) if queue else 1.0
        readable, _, _ = select.select(socks, [], [], timeout)
        for s in readable:
            i = socks.index(s)
            while True:
                try:
                    frame, addr = s.recvfrom(65536)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                if args.loss and rnd.random() < args.loss:
                    continue
                delay = (args.delay + rnd.uniform(-args.jitter, args.jitter)) / 1000.0
                due = max(time.monotonic() + max(delay, 0.0), last_due[1 - i])
                last_due[1 - i] = due
                serial += 1
                heapq.heappush(queue, (due, serial, 1 - i, fix_checksum(frame)))


if __name__ == "__main__":
    main()

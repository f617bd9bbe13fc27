# SPDX-License-Identifier: GPL-3.0-or-later
"""What a long-running process holds, read from /proc, and the GStreamer
objects it keeps alive, read through GStreamer's `leaks` tracer.

    stat = ProcStat(pid)
    stat.sample()        # {'rss_kib':..., 'fds':..., 'threads':..., 'cpu_s':...}
    stat.wait_idle(fds=9, threads=3, timeout=10)

    leaks = GstLeaks(dir)       # put leaks.env() into the process's environment
    leaks.alive(pid)            # Counter of live objects by type name

The leaks tracer (GStreamer 1.22): GST_TRACERS=leaks with
GST_LEAKS_TRACER_SIG set makes SIGUSR1 log every object still alive as an
`object-alive` record on the GST_TRACER debug category at level 7 (TRACE),
written to GST_DEBUG_FILE.  No record at all means no object alive, so a
caller first proves the tracer works by seeing objects during a call.
Send SIGUSR1 only while the process is idle: the tracer logs from inside the
signal handler.
"""

import collections
import os
import re
import signal
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
CLK_TCK = os.sysconf("SC_CLK_TCK")


class ProcStat:
    def __init__(self, pid):
        self.pid = pid

    def rss_kib(self):
        with open("/proc/%d/statm" % self.pid) as f:
            return int(f.read().split()[1]) * PAGE_KIB

    def _count(self, what):
        return len(os.listdir("/proc/%d/%s" % (self.pid, what)))

    def fds(self):
        return self._count("fd")

    def threads(self):
        return self._count("task")

    def cpu_s(self):
        with open("/proc/%d/stat" % self.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK   # utime + stime

    def fd_targets(self):
        out = []
        base = "/proc/%d/fd" % self.pid
        for name in os.listdir(base):
            try:
                out.append(os.readlink(os.path.join(base, name)))
            except OSError:
                pass
        return sorted(out)

    def sample(self):
        return {"rss_kib": self.rss_kib(), "fds": self.fds(), "threads": self.threads(),
                "cpu_s": round(self.cpu_s(), 2)}

    def wait_idle(self, fds, threads, timeout):
        """Poll until no more than `fds` descriptors and `threads` threads are
        open; return (sample, seconds waited).  On timeout return the last
        sample and None."""
        start = time.monotonic()
        while True:
            s = self.sample()
            if s["fds"] <= fds and s["threads"] <= threads:
                return s, time.monotonic() - start
            if time.monotonic() - start > timeout:
                return s, None
            time.sleep(0.05)

    def wait_stable(self, settle=2.0, timeout=20.0):
        """Wait until fds and threads have not changed for `settle` seconds
        (thread pools let their idle threads go); return the sample."""
        deadline = time.monotonic() + timeout
        last = self.sample()
        since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            s = self.sample()
            if (s["fds"], s["threads"]) != (last["fds"], last["threads"]):
                last, since = s, time.monotonic()
            elif time.monotonic() - since >= settle:
                return s
        return self.sample()


class GstLeaks:
    """The `leaks` tracer in a process started with env()."""

    RECORD = re.compile(r"object-alive, type-name=\(string\)([A-Za-z0-9_]+)")

    def __init__(self, directory):
        self.log_path = os.path.join(directory, "gst-leaks.log")

    def env(self):
        return {"GST_TRACERS": "leaks", "GST_LEAKS_TRACER_SIG": "1",
                "GST_DEBUG": "GST_TRACER:7", "GST_DEBUG_FILE": self.log_path,
                "GST_DEBUG_NO_COLOR": "1"}

    def _size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def alive(self, pid, settle=0.4, timeout=10.0):
        """SIGUSR1, then the objects the tracer listed (a Counter by type)."""
        start = self._size()
        os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        size, since = start, time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self._size()
            if now != size:
                size, since = now, time.monotonic()
            elif time.monotonic() - since >= settle:
                break
        with open(self.log_path, "rb") as f:
            f.seek(start)
            text = f.read().decode("utf-8", "replace")
        return collections.Counter(self.RECORD.findall(text))

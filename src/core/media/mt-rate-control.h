/* mt-rate-control.h: the video sender's target rate from receiver reports
 *
 * A small loss- and delay-based controller in the spirit of RFC 8698 and
 * the loss part of Google Congestion Control
 * (draft-ietf-rmcat-gcc-02, section 6), run once per RTCP receiver report
 * about our video:
 *
 *   loss > 10 %                  cut: min (rate * (1 - loss / 2), 0.9 * what arrived)
 *   loss 2-10 % with queuing     down to 0.9 * what arrived
 *   loss 2-10 % without queuing  hold (random loss on a radio link is no
 *                                reason to send less)
 *   loss < 2 %, no queuing       grow 8 % per second, but not above 95 % of
 *                                what arrived when loss last appeared (that
 *                                ceiling is forgotten after 5 clean reports,
 *                                about 5 s: then it probes again)
 *   queuing without loss         hold; down to 0.95 * what arrived when the
 *                                queue exceeds twice the threshold
 *
 * "Queuing" is the round-trip time (from the report's LSR/DLSR) more than
 * MT_RATE_QUEUING_MS above the smallest seen in the call: a bottleneck's
 * queue filling. The result stays between the floor (150 kbit/s) and the
 * cap: the configured maximum, the peer's b=TIAS/b=AS, and its REMB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MT_RATE_MIN_KBPS 150
#define MT_RATE_QUEUING_MS 60

typedef struct {
  guint  min_kbps;
  guint  max_kbps;      /* the cap now */
  double target_kbps;
  double ceiling_kbps;  /* what arrived when loss last appeared; 0: none */
  guint  clean_reports;
  double min_rtt_ms;    /* 0: no RTT yet */
} MtRateControl;

/* Starts at the cap */
void  mt_rate_control_init    (MtRateControl *rc,
                               guint          max_kbps);
/* A new cap (b=AS, REMB); the target never exceeds it */
void  mt_rate_control_set_max (MtRateControl *rc,
                               guint          max_kbps);
/* One receiver report: `loss` the fraction lost since the previous one
 * (0..1), `sent_kbps` what we sent meanwhile, `rtt_ms` the round trip (0:
 * unknown), `seconds` since the previous report. Returns the new target. */
guint mt_rate_control_update  (MtRateControl *rc,
                               double         loss,
                               double         sent_kbps,
                               double         rtt_ms,
                               double         seconds);

G_END_DECLS

/* mt-call-quality.h: rates, loss and a good / fair / poor verdict from a
 * call's media statistics, sampled once a second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mt-media-session.h"

G_BEGIN_DECLS

typedef enum {
  MT_QUALITY_UNKNOWN,   /* not enough samples yet */
  MT_QUALITY_GOOD,
  MT_QUALITY_FAIR,
  MT_QUALITY_POOR,
} MtQualityLevel;

/* One stream as a person reads it; all "now": rates over the last sample
 * interval, loss over the last MT_QUALITY_WINDOW samples */
typedef struct {
  gboolean enabled;
  char     codec[32];
  double   send_kbps;
  double   recv_kbps;
  double   loss_percent;   /* < 0: too few packets to tell */
  double   jitter_ms;
  double   rtt_ms;         /* 0: no RTCP report yet */
  double   fps;            /* video: frames decoded per second */
} MtStreamQuality;

#define MT_QUALITY_WINDOW 5

#define MT_TYPE_CALL_QUALITY (mt_call_quality_get_type ())
G_DECLARE_FINAL_TYPE (MtCallQuality, mt_call_quality, MT, CALL_QUALITY, GObject)

MtCallQuality         *mt_call_quality_new        (void);
/* `now_us`: g_get_monotonic_time() when the statistics were read */
void                   mt_call_quality_add_sample (MtCallQuality       *self,
                                                   const MtStreamStats *audio,
                                                   const MtStreamStats *video,
                                                   gint64               now_us);
const MtStreamQuality *mt_call_quality_get_audio  (MtCallQuality *self);
const MtStreamQuality *mt_call_quality_get_video  (MtCallQuality *self);
MtQualityLevel         mt_call_quality_get_level  (MtCallQuality *self);
/* What made it fair or poor, for a person: "Packet loss 6 %"; NULL when good */
char                  *mt_call_quality_dup_reason (MtCallQuality *self);

const char            *mt_quality_level_to_sentence (MtQualityLevel level);

G_END_DECLS

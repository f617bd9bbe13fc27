/* mt-call-quality.c: what the call-details pane shows
 *
 * Each stream's bitrates (sent and received, over the last second), packet
 * loss (lost / expected over the last MT_QUALITY_WINDOW seconds, only once
 * 20 packets were expected), jitter and round-trip time (RTCP) and the video
 * frame rate (frames decoded per second). The verdict is the worst of all
 * streams and measures; thresholds (fair at, poor at):
 *
 *   packet loss   2 %      5 %     (speech codecs conceal ~1-2 % well)
 *   jitter        30 ms    60 ms   (beyond what our jitter buffer absorbs
 *                                   without audible delay)
 *   round trip    300 ms   600 ms  (ITU-T G.114: 150 ms one way is fine,
 *                                   300 ms one way hampers a conversation)
 *
 * Equal levels: loss before jitter before round trip, audio before video.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-call-quality"

#include "config.h"

#include "mt-call-quality.h"

#include <glib/gi18n.h>

#define LOSS_FAIR_PERCENT 2.0
#define LOSS_POOR_PERCENT 5.0
#define JITTER_FAIR_MS 30.0
#define JITTER_POOR_MS 60.0
#define RTT_FAIR_MS 300.0
#define RTT_POOR_MS 600.0
#define LOSS_MIN_EXPECTED 20

typedef struct {
  MtStreamStats audio;
  MtStreamStats video;
  gint64        time_us;
} Sample;

typedef enum {
  MEASURE_NONE,
  MEASURE_LOSS,
  MEASURE_JITTER,
  MEASURE_RTT,
} Measure;

struct _MtCallQuality
{
  GObject         parent_instance;

  Sample          samples[MT_QUALITY_WINDOW + 1];   /* a ring, newest at `next - 1` */
  guint           n_samples;
  guint           next;
  MtStreamQuality audio;
  MtStreamQuality video;
  MtQualityLevel  level;
  Measure         measure;
  double          value;      /* of `measure` */
};

G_DEFINE_FINAL_TYPE (MtCallQuality, mt_call_quality, G_TYPE_OBJECT)

static const Sample *
sample_back (MtCallQuality *self, guint back)
{
  guint size = G_N_ELEMENTS (self->samples);

  return &self->samples[(self->next + size - 1 - back) % size];
}

static double
per_second (guint64 now, guint64 before, double seconds)
{
  return now > before && seconds > 0 ? (now - before) / seconds : 0;
}

static void
fill_stream (MtStreamQuality     *out,
             const MtStreamStats *now,
             const MtStreamStats *last,
             double               last_s,
             const MtStreamStats *oldest)
{
  gint64 lost, expected;

  *out = (MtStreamQuality) { 0 };
  out->enabled = now->enabled;
  if (!now->enabled)
    return;
  g_strlcpy (out->codec, now->codec, sizeof out->codec);
  out->send_kbps = per_second (now->tx_bytes, last->tx_bytes, last_s) * 8 / 1000;
  out->recv_kbps = per_second (now->rx_bytes, last->rx_bytes, last_s) * 8 / 1000;
  out->fps = per_second (now->decoded, last->decoded, last_s);
  out->jitter_ms = now->jitter_ms;
  out->rtt_ms = now->rtt_ms;
  lost = MAX (now->rx_lost - oldest->rx_lost, 0);
  expected = lost + (gint64) (now->rx_packets - MIN (oldest->rx_packets, now->rx_packets));
  out->loss_percent = expected >= LOSS_MIN_EXPECTED ? 100.0 * lost / expected : -1;
}

static MtQualityLevel
level_of (double value, double fair, double poor)
{
  if (value >= poor)
    return MT_QUALITY_POOR;
  if (value >= fair)
    return MT_QUALITY_FAIR;
  return MT_QUALITY_GOOD;
}

/* the worse one wins; on a tie the earlier measure stays */
static void
consider (MtCallQuality *self, Measure measure, double value, double fair, double poor)
{
  MtQualityLevel level = level_of (value, fair, poor);

  if (level <= self->level)
    return;
  self->level = level;
  self->measure = measure;
  self->value = value;
}

static void
rate_stream (MtCallQuality *self, const MtStreamQuality *stream)
{
  if (!stream->enabled)
    return;
  if (stream->loss_percent >= 0)
    consider (self, MEASURE_LOSS, stream->loss_percent, LOSS_FAIR_PERCENT, LOSS_POOR_PERCENT);
  consider (self, MEASURE_JITTER, stream->jitter_ms, JITTER_FAIR_MS, JITTER_POOR_MS);
  consider (self, MEASURE_RTT, stream->rtt_ms, RTT_FAIR_MS, RTT_POOR_MS);
}

void
mt_call_quality_add_sample (MtCallQuality       *self,
                            const MtStreamStats *audio,
                            const MtStreamStats *video,
                            gint64               now_us)
{
  const Sample *now, *last, *oldest;
  double last_s;

  g_return_if_fail (MT_IS_CALL_QUALITY (self));
  g_return_if_fail (audio != NULL && video != NULL);

  self->samples[self->next] = (Sample) { *audio, *video, now_us };
  self->next = (self->next + 1) % G_N_ELEMENTS (self->samples);
  self->n_samples = MIN (self->n_samples + 1, G_N_ELEMENTS (self->samples));
  self->level = MT_QUALITY_UNKNOWN;
  self->measure = MEASURE_NONE;
  if (self->n_samples < 2)
    return;
  now = sample_back (self, 0);
  last = sample_back (self, 1);
  oldest = sample_back (self, self->n_samples - 1);
  last_s = (now->time_us - last->time_us) / (double) G_USEC_PER_SEC;
  fill_stream (&self->audio, &now->audio, &last->audio, last_s, &oldest->audio);
  fill_stream (&self->video, &now->video, &last->video, last_s, &oldest->video);
  if (!self->audio.enabled && !self->video.enabled)
    return;
  self->level = MT_QUALITY_GOOD;
  rate_stream (self, &self->audio);
  rate_stream (self, &self->video);
}

const MtStreamQuality *
mt_call_quality_get_audio (MtCallQuality *self)
{
  g_return_val_if_fail (MT_IS_CALL_QUALITY (self), NULL);
  return &self->audio;
}

const MtStreamQuality *
mt_call_quality_get_video (MtCallQuality *self)
{
  g_return_val_if_fail (MT_IS_CALL_QUALITY (self), NULL);
  return &self->video;
}

MtQualityLevel
mt_call_quality_get_level (MtCallQuality *self)
{
  g_return_val_if_fail (MT_IS_CALL_QUALITY (self), MT_QUALITY_UNKNOWN);
  return self->level;
}

char *
mt_call_quality_dup_reason (MtCallQuality *self)
{
  g_return_val_if_fail (MT_IS_CALL_QUALITY (self), NULL);

  switch (self->measure)
    {
    case MEASURE_LOSS:
      /* Translators: why the call quality is fair or poor; %.0f is a percentage */
      return g_strdup_printf (_("Packet loss %.0f %%"), self->value);
    case MEASURE_JITTER:
      /* Translators: why the call quality is fair or poor; ms: milliseconds */
      return g_strdup_printf (_("Jitter %.0f ms"), self->value);
    case MEASURE_RTT:
      /* Translators: why the call quality is fair or poor; ms: milliseconds */
      return g_strdup_printf (_("Round trip %.0f ms"), self->value);
    case MEASURE_NONE:
    default:
      return NULL;
    }
}

const char *
mt_quality_level_to_sentence (MtQualityLevel level)
{
  switch (level)
    {
    case MT_QUALITY_GOOD:
      /* Translators: call quality */
      return _("Good");
    case MT_QUALITY_FAIR:
      /* Translators: call quality */
      return _("Fair");
    case MT_QUALITY_POOR:
      /* Translators: call quality */
      return _("Poor");
    case MT_QUALITY_UNKNOWN:
    default:
      return _("Measuring…");
    }
}

static void
mt_call_quality_class_init (MtCallQualityClass *klass)
{
}

static void
mt_call_quality_init (MtCallQuality *self)
{
}

MtCallQuality *
mt_call_quality_new (void)
{
  return g_object_new (MT_TYPE_CALL_QUALITY, NULL);
}

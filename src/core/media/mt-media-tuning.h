/* mt-media-tuning.h: call-sized settings for the elements of a call
 *
 * Small pure helpers that MtMediaSession applies to its pipeline: sound
 * device buffers sized for conversation, the adaptive jitter buffer's next
 * latency from measured jitter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Sound device buffers for calls, in microseconds: PulseAudio and ALSA
 * elements default to 200 ms, a fifth of a second of delay per direction. */
#define MT_AUDIO_LATENCY_TIME_US 10000
#define MT_AUDIO_SINK_BUFFER_TIME_US 30000
#define MT_AUDIO_SRC_BUFFER_TIME_US 20000

/* When `element` is a sound device source or sink (it has "buffer-time" and
 * "latency-time"), give the properties still at their defaults call-sized
 * values; a value the user wrote in a bin description is kept. Returns TRUE
 * when it changed something. */
gboolean mt_media_tune_audio_device (GstElement *element);

/* The adaptive jitter buffer starts at the configured latency and may grow
 * to this */
#define MT_JITTER_MAX_MS 200

/* Adaptive jitter buffer: the latency (ms) to use next, from the current one
 * and the measured interarrival jitter (ms, RFC 3550). Grows at once to
 * cover three times the jitter plus `margin_ms`; never below `min_ms` nor
 * above `max_ms`; never shrinks (a shrinking buffer is a gap in the sound). */
guint    mt_media_next_jitter_latency (guint  current_ms,
                                       double jitter_ms,
                                       guint  margin_ms,
                                       guint  min_ms,
                                       guint  max_ms);

G_END_DECLS

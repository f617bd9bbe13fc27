/* mt-dtmf.c: RFC 4733 telephone events on the audio RTP stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media"

#include <string.h>
#include <gst/rtp/rtp.h>

#include "mt-dtmf.h"
#include "mt-sdp.h"

#define MESSAGE_NAME "mt-dtmf"
#define DIGITS       "0123456789*#ABCD"

/* RFC 4733 section 2.5.1.4: the end of an event is sent three times */
#define END_PACKETS  3

gboolean
mt_dtmf_digit_to_event (char digit, guint *event)
{
  const char *p;

  if (digit == '\0' || (p = strchr (DIGITS, g_ascii_toupper (digit))) == NULL)
    return FALSE;
  if (event)
    *event = (guint) (p - DIGITS);
  return TRUE;
}

char
mt_dtmf_event_to_digit (guint event)
{
  return event < strlen (DIGITS) ? DIGITS[event] : '\0';
}

gboolean
mt_dtmf_digits_valid (const char *digits)
{
  if (digits == NULL || *digits == '\0')
    return FALSE;
  for (const char *p = digits; *p; p++)
    if (!mt_dtmf_digit_to_event (*p, NULL))
      return FALSE;
  return TRUE;
}

void
mt_dtmf_remove_telephone_event (GPtrArray *codecs)
{
  g_return_if_fail (codecs != NULL);

  for (guint i = codecs->len; i > 0; i--)
    {
      const MtSdpCodec *codec = g_ptr_array_index (codecs, i - 1);

      if (g_ascii_strcasecmp (codec->name, "telephone-event") == 0)
        g_ptr_array_remove_index (codecs, i - 1);
    }
}

/* ---- send (the probe runs on the audio streaming thread) -------------------- */

/* Events ride in the audio packets' place: while an event is on, each audio
 * packet out of the payloader is replaced by an event packet with the same
 * SSRC, sequence number and (for the whole event) the timestamp of the
 * first replaced packet. rtpdtmfmux cannot do this when the agreed
 * telephone-event rate differs from the audio codec's (8000 with Opus):
 * rtpmux wants one clock rate on all its inputs. */

typedef enum {
  SENDER_IDLE,
  SENDER_ON,
  SENDER_ENDING,
} SenderState;

struct _MtDtmfSender
{
  gint         ref_count;     /* atomic */
  guint        pt;
  guint        clock_rate;
  guint        audio_clock_rate;
  GMutex       lock;
  GQueue       pending;       /* of GUINT_TO_POINTER (event << 16 | duration_ms) */
  /* the event going out: streaming thread, under lock */
  SenderState  state;
  guint        event;
  guint        duration_ms;
  guint32      start_ts;      /* audio RTP timestamp of its first packet */
  guint        duration;      /* in telephone-event clock units */
  guint        ends_left;
};

MtDtmfSender *
mt_dtmf_sender_new (guint pt, guint clock_rate, guint audio_clock_rate)
{
  MtDtmfSender *self = g_new0 (MtDtmfSender, 1);

  g_return_val_if_fail (pt < 128 && clock_rate > 0 && audio_clock_rate > 0, NULL);

  self->ref_count = 1;
  self->pt = pt;
  self->clock_rate = clock_rate;
  self->audio_clock_rate = audio_clock_rate;
  g_mutex_init (&self->lock);
  g_queue_init (&self->pending);
  return self;
}

MtDtmfSender *
mt_dtmf_sender_ref (MtDtmfSender *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
mt_dtmf_sender_unref (MtDtmfSender *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_queue_clear (&self->pending);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
mt_dtmf_sender_send (MtDtmfSender *self, guint event, guint duration_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (event < 256 && duration_ms > 0 && duration_ms < 8000);

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->pending, GUINT_TO_POINTER (event << 16 | duration_ms));
  g_mutex_unlock (&self->lock);
}

static GstBuffer *
event_packet (MtDtmfSender *self, GstRTPBuffer *audio, gboolean marker, gboolean end)
{
  GstBuffer *buffer = gst_rtp_buffer_new_allocate (4, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint8 *payload;
  guint duration = MIN (self->duration, 0xffff);

  GST_BUFFER_PTS (buffer) = GST_BUFFER_PTS (audio->buffer);
  GST_BUFFER_DTS (buffer) = GST_BUFFER_DTS (audio->buffer);
  gst_rtp_buffer_map (buffer, GST_MAP_WRITE, &rtp);
  gst_rtp_buffer_set_ssrc (&rtp, gst_rtp_buffer_get_ssrc (audio));
  gst_rtp_buffer_set_seq (&rtp, gst_rtp_buffer_get_seq (audio));
  gst_rtp_buffer_set_timestamp (&rtp, self->start_ts);
  gst_rtp_buffer_set_payload_type (&rtp, self->pt);
  gst_rtp_buffer_set_marker (&rtp, marker);
  payload = gst_rtp_buffer_get_payload (&rtp);
  payload[0] = self->event;
  payload[1] = (end ? 0x80 : 0) | 10;   /* E, volume -10 dBm0 */
  payload[2] = duration >> 8;
  payload[3] = duration & 0xff;
  gst_rtp_buffer_unmap (&rtp);
  return buffer;
}

/* The next packet in place of this audio packet, or NULL: audio goes out */
static GstBuffer *
next_packet (MtDtmfSender *self, GstRTPBuffer *audio)
{
  guint32 ts = gst_rtp_buffer_get_timestamp (audio);
  gboolean first = FALSE;

  if (self->state == SENDER_IDLE)
    {
      guint pending;

      if (g_queue_is_empty (&self->pending))
        return NULL;
      pending = GPOINTER_TO_UINT (g_queue_pop_head (&self->pending));
      self->event = pending >> 16;
      self->duration_ms = pending & 0xffff;
      self->start_ts = ts;
      self->state = SENDER_ON;
      first = TRUE;
    }
  if (self->state == SENDER_ON)
    {
      /* this packet covers 20 ms more (our audio packets are 20 ms) */
      guint elapsed = (guint) ((guint64) (guint32) (ts - self->start_ts) * self->clock_rate /
                               self->audio_clock_rate) + self->clock_rate / 50;
      guint wanted = (guint) ((guint64) self->duration_ms * self->clock_rate / 1000);

      self->duration = MIN (elapsed, wanted);
      if (self->duration < wanted)
        return event_packet (self, audio, first, FALSE);
      self->state = SENDER_ENDING;
      self->ends_left = END_PACKETS;
    }
  /* SENDER_ENDING: the end, three times */
  if (--self->ends_left == 0)
    self->state = SENDER_IDLE;
  return event_packet (self, audio, first, TRUE);
}

static GstPadProbeReturn
audio_packet_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  MtDtmfSender *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstRTPBuffer audio = GST_RTP_BUFFER_INIT;
  GstBuffer *replacement;

  if (buffer == NULL || !gst_rtp_buffer_map (buffer, GST_MAP_READ, &audio))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&self->lock);
  replacement = next_packet (self, &audio);
  g_mutex_unlock (&self->lock);
  gst_rtp_buffer_unmap (&audio);
  if (replacement != NULL)
    {
      gst_buffer_unref (buffer);
      GST_PAD_PROBE_INFO_DATA (info) = replacement;
    }
  return GST_PAD_PROBE_OK;
}

void
mt_dtmf_sender_attach (MtDtmfSender *self, GstPad *pad)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (GST_IS_PAD (pad));

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, audio_packet_cb,
                     mt_dtmf_sender_ref (self), (GDestroyNotify) mt_dtmf_sender_unref);
}

/* ---- receive (the probe runs on a streaming thread) ------------------------ */

typedef struct {
  GstElement *poster;     /* weak: the probe goes with the pipeline */
  gboolean    have_last;
  guint32     last_timestamp;
} Receiver;

static GstPadProbeReturn
event_packet_cb (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Receiver *receiver = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  const guint8 *payload;
  guint32 timestamp;
  guint event, duration;
  gboolean end;

  if (buffer == NULL || !gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return GST_PAD_PROBE_OK;
  timestamp = gst_rtp_buffer_get_timestamp (&rtp);
  payload = gst_rtp_buffer_get_payload (&rtp);
  if (gst_rtp_buffer_get_payload_len (&rtp) < 4)
    {
      gst_rtp_buffer_unmap (&rtp);
      return GST_PAD_PROBE_OK;
    }
  event = payload[0];
  end = (payload[1] & 0x80) != 0;
  duration = ((guint) payload[2] << 8) | payload[3];
  gst_rtp_buffer_unmap (&rtp);

  /* one report per event: its end (the duration is known then), or its
   * start when the end packets are lost is not worth a second report */
  if (!end || (receiver->have_last && receiver->last_timestamp == timestamp))
    return GST_PAD_PROBE_OK;
  receiver->have_last = TRUE;
  receiver->last_timestamp = timestamp;
  gst_element_post_message (receiver->poster,
                            gst_message_new_element (GST_OBJECT (receiver->poster),
                                                     gst_structure_new (MESSAGE_NAME,
                                                                        "event", G_TYPE_UINT, event,
                                                                        "duration", G_TYPE_UINT, duration,
                                                                        NULL)));
  return GST_PAD_PROBE_OK;
}

void
mt_dtmf_receiver_watch (GstPad *pad, GstElement *poster)
{
  Receiver *receiver = g_new0 (Receiver, 1);

  g_return_if_fail (GST_IS_PAD (pad));
  g_return_if_fail (GST_IS_ELEMENT (poster));

  receiver->poster = poster;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, event_packet_cb, receiver, g_free);
}

gboolean
mt_dtmf_parse_message (GstMessage *message, guint *event, guint *duration)
{
  const GstStructure *s;

  g_return_val_if_fail (GST_IS_MESSAGE (message), FALSE);

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT ||
      (s = gst_message_get_structure (message)) == NULL ||
      !gst_structure_has_name (s, MESSAGE_NAME))
    return FALSE;
  if (event)
    gst_structure_get_uint (s, "event", event);
  if (duration)
    gst_structure_get_uint (s, "duration", duration);
  return TRUE;
}

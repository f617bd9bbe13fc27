/* mt-dtmf.h: RFC 4733 telephone events on the audio RTP stream
 *
 * Send: event packets take the place of audio packets out of the payloader
 * (same SSRC, sequence numbers and timestamp base as the audio). Receive: the telephone-event
 * payload type out of rtpbin is read by a pad probe, which posts one
 * "mt-dtmf" element message per event on the pipeline's bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* 0-9 * # A-D (a-d too) <-> RFC 4733 events 0-15; FALSE / '\0' otherwise */
gboolean    mt_dtmf_digit_to_event (char digit, guint *event);
char        mt_dtmf_event_to_digit (guint event);
/* TRUE when `digits` is non-empty and every character is a DTMF digit */
gboolean    mt_dtmf_digits_valid   (const char *digits);

/* Drop telephone-event from a list of MtSdpCodec* (our SDP capabilities) */
void        mt_dtmf_remove_telephone_event (GPtrArray *codecs);

/* Sends events in place of the audio packets out of a payloader (same
 * SSRC and sequence numbers) as payload `pt` at `clock_rate`; the audio
 * codec's RTP clock is `audio_clock_rate`. Thread-safe. */
typedef struct _MtDtmfSender MtDtmfSender;

MtDtmfSender *mt_dtmf_sender_new    (guint         pt,
                                     guint         clock_rate,
                                     guint         audio_clock_rate);
MtDtmfSender *mt_dtmf_sender_ref    (MtDtmfSender *self);
void          mt_dtmf_sender_unref  (MtDtmfSender *self);
/* replace audio packets on `pad` (the payloader's src) while events go out */
void          mt_dtmf_sender_attach (MtDtmfSender *self,
                                     GstPad       *pad);
/* queue event `event` (0-15) lasting `duration_ms`; its end goes out three
 * times (RFC 4733 section 2.5.1.4) */
void          mt_dtmf_sender_send   (MtDtmfSender *self,
                                     guint         event,
                                     guint         duration_ms);

/* Read telephone-event RTP on `pad` (a streaming thread); post messages
 * from `poster` for each new event */
void        mt_dtmf_receiver_watch (GstPad *pad, GstElement *poster);
/* TRUE (with the event number) for a message the receiver posted */
gboolean    mt_dtmf_parse_message  (GstMessage *message, guint *event, guint *duration);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtDtmfSender, mt_dtmf_sender_unref)

G_END_DECLS

/* test-sdp.c: unit tests for the SDP offer/answer module
 *
 * Offer/answer examples are adapted from RFC 3264 section 10 and RFC 4317
 * to the codecs this phone supports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-codecs.h"
#include "mt-sdp.h"

#include <string.h>

/* ------------------------------------------------------------------------
 * Helpers
 */

/* Test SDP is written with "\n"; real peers send "\r\n". */
static char *
crlf (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

static MtSdpSession *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wire = crlf (text);
  MtSdpSession *session = mt_sdp_parse (wire, strlen (wire), &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static void
assert_parse_fails (const char *text,
                    gsize       len,
                    int         code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpSession) session = mt_sdp_parse (text, len, &error);

  g_assert_null (session);
  g_assert_error (error, MT_SDP_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static MtSdpStream *
stream_at (const MtSdpSession *session,
           guint               i)
{
  g_assert_cmpuint (i, <, session->streams->len);
  return g_ptr_array_index (session->streams, i);
}

static MtSdpCodec *
codec_at (const MtSdpStream *stream,
          guint              i)
{
  g_assert_cmpuint (i, <, stream->codecs->len);
  return g_ptr_array_index (stream->codecs, i);
}

static MtSdpNegotiated *
negotiated_at (GPtrArray *result,
               guint      i)
{
  g_assert_cmpuint (i, <, result->len);
  return g_ptr_array_index (result, i);
}

static void
assert_codec (const MtSdpCodec *codec,
              const char       *name,
              guint             pt,
              guint             clock_rate,
              guint             channels)
{
  g_assert_nonnull (codec);
  g_assert_cmpstr (codec->name, ==, name);
  g_assert_cmpuint (codec->pt, ==, pt);
  g_assert_cmpuint (codec->clock_rate, ==, clock_rate);
  g_assert_cmpuint (codec->channels, ==, channels);
}

/* Bob's phone: everything, on 192.0.2.20 */
static MtSdpLocal *
make_local (const char *address,
            guint       audio_port,
            guint       video_port)
{
  MtSdpLocal *local = mt_sdp_local_new ();

  local->address = g_strdup (address);
  local->audio_port = audio_port;
  local->audio_rtcp_port = audio_port + 1;
  local->video_port = video_port;
  local->video_rtcp_port = video_port != 0 ? video_port + 1 : 0;
  mt_codecs_fill_local (local, NULL, NULL, NULL);
  return local;
}

static MtSdpSession *
answer_ok (const MtSdpSession *offer,
           const MtSdpLocal   *local)
{
  g_autoptr (GError) error = NULL;
  MtSdpSession *answer = mt_sdp_build_answer (offer, local, 1234, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static GPtrArray *
negotiate_ok (const MtSdpSession *local_sdp,
              const MtSdpSession *remote_sdp,
              gboolean            is_offerer)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *result = mt_sdp_negotiate (local_sdp, remote_sdp, is_offerer, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* Serialise and parse back: what goes on the wire must read back the same. */
static MtSdpSession *
wire_roundtrip (const MtSdpSession *session)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = mt_sdp_session_to_string (session);
  MtSdpSession *parsed = mt_sdp_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  return parsed;
}

/* ------------------------------------------------------------------------
 * Codecs, directions, local capabilities
 */

static void
test_codec_basics (void)
{
  g_autoptr (MtSdpCodec) a = mt_sdp_codec_new ("H264", 97, 90000, 1, "profile-level-id=42e01f; packetization-mode=1");
  g_autoptr (MtSdpCodec) b = mt_sdp_codec_new ("h264", 120, 90000, 1, "packetization-mode=1");
  g_autoptr (MtSdpCodec) c = mt_sdp_codec_new ("H264", 98, 90000, 1, NULL);
  g_autoptr (MtSdpCodec) d = mt_sdp_codec_new ("H264", 99, 90000, 1, "packetization-mode=0");
  g_autoptr (MtSdpCodec) copy = mt_sdp_codec_copy (a);
  g_autoptr (MtSdpCodec) opus = mt_sdp_codec_new ("opus", 111, 48000, 2, "");
  g_autoptr (MtSdpCodec) opus_mono = mt_sdp_codec_new ("opus", 111, 48000, 1, NULL);
  g_autoptr (MtSdpCodec) pcmu = mt_sdp_codec_new ("PCMU", 0, 8000, 0, NULL);

  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (a), ==, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (b), ==, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (c), ==, 0);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (d), ==, 0);

  /* payload numbers and name case do not matter; packetization-mode does */
  g_assert_true (mt_sdp_codec_matches (a, b));
  g_assert_true (mt_sdp_codec_matches (c, d));
  g_assert_false (mt_sdp_codec_matches (a, c));
  g_assert_false (mt_sdp_codec_matches (opus, opus_mono));
  g_assert_false (mt_sdp_codec_matches (opus, pcmu));

  g_assert_cmpstr (copy->name, ==, "H264");
  g_assert_cmpstr (copy->fmtp, ==, a->fmtp);
  g_assert_true (copy->fmtp != a->fmtp);
  g_assert_null (opus->fmtp);          /* empty fmtp is no fmtp */
  g_assert_cmpuint (pcmu->channels, ==, 1);
}

static void
test_direction (void)
{
  g_assert_cmpstr (mt_sdp_direction_to_string (MT_SDP_SENDRECV), ==, "sendrecv");
  g_assert_cmpstr (mt_sdp_direction_to_string (MT_SDP_SENDONLY), ==, "sendonly");
  g_assert_cmpstr (mt_sdp_direction_to_string (MT_SDP_RECVONLY), ==, "recvonly");
  g_assert_cmpstr (mt_sdp_direction_to_string (MT_SDP_INACTIVE), ==, "inactive");
  g_assert_cmpint (mt_sdp_direction_reverse (MT_SDP_SENDONLY), ==, MT_SDP_RECVONLY);
  g_assert_cmpint (mt_sdp_direction_reverse (MT_SDP_RECVONLY), ==, MT_SDP_SENDONLY);
  g_assert_cmpint (mt_sdp_direction_reverse (MT_SDP_SENDRECV), ==, MT_SDP_SENDRECV);
  g_assert_cmpint (mt_sdp_direction_reverse (MT_SDP_INACTIVE), ==, MT_SDP_INACTIVE);
}

static void
test_local_defaults (void)
{
  g_autoptr (MtSdpLocal) local = mt_sdp_local_new ();
  MtSdpStream view = { 0 };

  mt_codecs_fill_local (local, NULL, NULL, NULL);
  g_assert_cmpuint (local->audio_codecs->len, ==, 6);
  assert_codec (g_ptr_array_index (local->audio_codecs, 0), "opus", 111, 48000, 2);
  g_assert_cmpstr (((MtSdpCodec *) g_ptr_array_index (local->audio_codecs, 0))->fmtp, ==, "useinbandfec=1;usedtx=1");
  assert_codec (g_ptr_array_index (local->audio_codecs, 1), "G722", 9, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 2), "PCMU", 0, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 3), "PCMA", 8, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 4), "telephone-event", 101, 8000, 1);
  g_assert_cmpstr (((MtSdpCodec *) g_ptr_array_index (local->audio_codecs, 4))->fmtp, ==, "0-16");
  /* and at Opus's rate (RFC 4733 7.1.1) */
  assert_codec (g_ptr_array_index (local->audio_codecs, 5), "telephone-event", 100, 48000, 1);
  g_assert_cmpstr (((MtSdpCodec *) g_ptr_array_index (local->audio_codecs, 5))->fmtp, ==, "0-16");

  g_assert_cmpuint (local->video_codecs->len, ==, 3);
  assert_codec (g_ptr_array_index (local->video_codecs, 0), "VP8", 96, 90000, 1);
  assert_codec (g_ptr_array_index (local->video_codecs, 1), "H264", 97, 90000, 1);
  assert_codec (g_ptr_array_index (local->video_codecs, 2), "H264", 98, 90000, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (g_ptr_array_index (local->video_codecs, 1)), ==, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (g_ptr_array_index (local->video_codecs, 2)), ==, 0);
  for (guint i = 0; i < local->video_codecs->len; i++) {
    MtSdpCodec *codec = g_ptr_array_index (local->video_codecs, i);

    g_assert_true (codec->fb_nack && codec->fb_nack_pli && codec->fb_ccm_fir);
  }

  view.codecs = local->audio_codecs;
  g_assert_cmpstr (mt_sdp_stream_get_primary_codec (&view)->name, ==, "opus");
  g_assert_cmpstr (mt_sdp_stream_get_dtmf_codec (&view)->name, ==, "telephone-event");

  /* Filling again replaces, it does not append */
  mt_codecs_fill_local (local, NULL, NULL, NULL);
  g_assert_cmpuint (local->audio_codecs->len, ==, 6);
}

/* The offer built from the codec registry, byte for byte what the phone
 * offered before the registry existed (the old defaults in mt-sdp.c) */
static const char old_default_offer[] =
  "v=0\r\n"
  "o=- 42 42 IN IP4 192.0.2.20\r\n"
  "s=-\r\n"
  "c=IN IP4 192.0.2.20\r\n"
  "t=0 0\r\n"
  "m=audio 50000 RTP/AVP 111 9 0 8 101 100\r\n"
  "a=rtpmap:111 opus/48000/2\r\n"
  "a=fmtp:111 useinbandfec=1;usedtx=1\r\n"
  "a=rtpmap:9 G722/8000\r\n"
  "a=rtpmap:0 PCMU/8000\r\n"
  "a=rtpmap:8 PCMA/8000\r\n"
  "a=rtpmap:101 telephone-event/8000\r\n"
  "a=fmtp:101 0-16\r\n"
  "a=rtpmap:100 telephone-event/48000\r\n"
  "a=fmtp:100 0-16\r\n"
  "a=rtcp:50001\r\n"
  "a=sendrecv\r\n"
  "m=video 50002 RTP/AVP 96 97 98\r\n"
  "a=rtpmap:96 VP8/90000\r\n"
  "a=rtcp-fb:96 nack\r\n"
  "a=rtcp-fb:96 nack pli\r\n"
  "a=rtcp-fb:96 ccm fir\r\n"
  "a=rtpmap:97 H264/90000\r\n"
  "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1\r\n"
  "a=rtcp-fb:97 nack\r\n"
  "a=rtcp-fb:97 nack pli\r\n"
  "a=rtcp-fb:97 ccm fir\r\n"
  "a=rtpmap:98 H264/90000\r\n"
  "a=fmtp:98 profile-level-id=42e01f;packetization-mode=0\r\n"
  "a=rtcp-fb:98 nack\r\n"
  "a=rtcp-fb:98 nack pli\r\n"
  "a=rtcp-fb:98 ccm fir\r\n"
  "a=rtcp:50003\r\n"
  "a=sendrecv\r\n";

static const char old_filtered_offer[] =
  "v=0\r\n"
  "o=- 42 42 IN IP4 192.0.2.20\r\n"
  "s=-\r\n"
  "c=IN IP4 192.0.2.20\r\n"
  "t=0 0\r\n"
  "m=audio 50000 RTP/AVP 111 8 101 100\r\n"
  "a=rtpmap:111 opus/48000/2\r\n"
  "a=fmtp:111 useinbandfec=1;usedtx=1\r\n"
  "a=rtpmap:8 PCMA/8000\r\n"
  "a=rtpmap:101 telephone-event/8000\r\n"
  "a=fmtp:101 0-16\r\n"
  "a=rtpmap:100 telephone-event/48000\r\n"
  "a=fmtp:100 0-16\r\n"
  "a=rtcp:50001\r\n"
  "a=sendrecv\r\n"
  "m=video 50002 RTP/AVP 97 98 96\r\n"
  "a=rtpmap:97 H264/90000\r\n"
  "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1\r\n"
  "a=rtcp-fb:97 nack\r\n"
  "a=rtcp-fb:97 nack pli\r\n"
  "a=rtcp-fb:97 ccm fir\r\n"
  "a=rtpmap:98 H264/90000\r\n"
  "a=fmtp:98 profile-level-id=42e01f;packetization-mode=0\r\n"
  "a=rtcp-fb:98 nack\r\n"
  "a=rtcp-fb:98 nack pli\r\n"
  "a=rtcp-fb:98 ccm fir\r\n"
  "a=rtpmap:96 VP8/90000\r\n"
  "a=rtcp-fb:96 nack\r\n"
  "a=rtcp-fb:96 nack pli\r\n"
  "a=rtcp-fb:96 ccm fir\r\n"
  "a=rtcp:50003\r\n"
  "a=sendrecv\r\n";

static char *
registry_offer (const char *audio_filter,
                const char *video_filter)
{
  g_autoptr (MtSdpLocal) local = mt_sdp_local_new ();
  g_autoptr (MtSdpSession) offer = NULL;

  local->address = g_strdup ("192.0.2.20");
  local->audio_port = 50000;
  local->audio_rtcp_port = 50001;
  local->video_port = 50002;
  local->video_rtcp_port = 50003;
  mt_codecs_fill_local (local, audio_filter, video_filter, NULL);
  offer = mt_sdp_build_offer (local, 42);
  return mt_sdp_session_to_string (offer);
}

static void
test_local_registry_offer (void)
{
  g_autofree char *all = registry_offer (NULL, NULL);
  g_autofree char *filtered = registry_offer (" opus , PCMA,G729,opus", "H264,VP8");

  g_assert_cmpstr (all, ==, old_default_offer);
  g_assert_cmpstr (filtered, ==, old_filtered_offer);
}

static void
test_local_filter_single (void)
{
  g_autoptr (MtSdpLocal) local = mt_sdp_local_new ();

  mt_codecs_fill_local (local, "PCMU", "vp8", NULL);
  g_assert_cmpuint (local->audio_codecs->len, ==, 2);
  assert_codec (g_ptr_array_index (local->audio_codecs, 0), "PCMU", 0, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 1), "telephone-event", 101, 8000, 1);
  g_assert_cmpuint (local->video_codecs->len, ==, 1);
  assert_codec (g_ptr_array_index (local->video_codecs, 0), "VP8", 96, 90000, 1);
}

static void
test_local_filter_order (void)
{
  g_autoptr (MtSdpLocal) local = mt_sdp_local_new ();

  mt_codecs_fill_local (local, " opus , PCMA,G729,opus", "H264,VP8", NULL);
  g_assert_cmpuint (local->audio_codecs->len, ==, 4);
  assert_codec (g_ptr_array_index (local->audio_codecs, 0), "opus", 111, 48000, 2);
  assert_codec (g_ptr_array_index (local->audio_codecs, 1), "PCMA", 8, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 2), "telephone-event", 101, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 3), "telephone-event", 100, 48000, 1);
  g_assert_cmpuint (local->video_codecs->len, ==, 3);
  assert_codec (g_ptr_array_index (local->video_codecs, 0), "H264", 97, 90000, 1);
  assert_codec (g_ptr_array_index (local->video_codecs, 1), "H264", 98, 90000, 1);
  assert_codec (g_ptr_array_index (local->video_codecs, 2), "VP8", 96, 90000, 1);

  /* telephone-event first in the filter still goes after the codecs */
  mt_codecs_fill_local (local, "telephone-event,G722", "none", NULL);
  g_assert_cmpuint (local->audio_codecs->len, ==, 2);
  assert_codec (g_ptr_array_index (local->audio_codecs, 0), "G722", 9, 8000, 1);
  assert_codec (g_ptr_array_index (local->audio_codecs, 1), "telephone-event", 101, 8000, 1);
  g_assert_cmpuint (local->video_codecs->len, ==, 0);

  /* only unknown audio names: no audio, and no lone telephone-event */
  mt_codecs_fill_local (local, "G729", "", NULL);
  g_assert_cmpuint (local->audio_codecs->len, ==, 0);
  g_assert_cmpuint (local->video_codecs->len, ==, 3);
}

/* ------------------------------------------------------------------------
 * Parsing
 */

static const char rfc3264_alice_offer[] =
  "v=0\n"
  "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
  "s=\n"
  "c=IN IP4 host.atlanta.example.com\n"
  "t=0 0\n"
  "m=audio 49170 RTP/AVP 0 8 97\n"
  "a=rtpmap:0 PCMU/8000\n"
  "a=rtpmap:8 PCMA/8000\n"
  "a=rtpmap:97 iLBC/8000\n"
  "m=video 51372 RTP/AVP 31 32\n"
  "a=rtpmap:31 H261/90000\n"
  "a=rtpmap:32 MPV/90000\n";

static const char rfc3264_bob_answer[] =
  "v=0\n"
  "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\n"
  "s=\n"
  "c=IN IP4 host.biloxi.example.com\n"
  "t=0 0\n"
  "m=audio 49174 RTP/AVP 0\n"
  "a=rtpmap:0 PCMU/8000\n"
  "m=video 49170 RTP/AVP 32\n"
  "a=rtpmap:32 MPV/90000\n";

static void
test_parse_rfc3264_offer (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (rfc3264_alice_offer);
  MtSdpStream *audio, *video;

  g_assert_cmpstr (offer->origin_user, ==, "alice");
  g_assert_cmpuint (offer->session_id, ==, 2890844526u);
  g_assert_cmpuint (offer->session_version, ==, 2890844526u);
  g_assert_cmpstr (offer->address, ==, "host.atlanta.example.com");
  g_assert_cmpuint (offer->streams->len, ==, 2);

  audio = stream_at (offer, 0);
  g_assert_cmpint (audio->kind, ==, MT_SDP_MEDIA_AUDIO);
  g_assert_cmpstr (audio->media, ==, "audio");
  g_assert_cmpstr (audio->proto, ==, "RTP/AVP");
  g_assert_cmpuint (audio->port, ==, 49170);
  g_assert_cmpuint (audio->rtcp_port, ==, 49171);
  g_assert_cmpstr (audio->address, ==, "host.atlanta.example.com");
  g_assert_false (audio->rtcp_mux);
  g_assert_cmpint (audio->direction, ==, MT_SDP_SENDRECV);
  g_assert_cmpuint (audio->codecs->len, ==, 3);
  assert_codec (codec_at (audio, 0), "PCMU", 0, 8000, 1);
  assert_codec (codec_at (audio, 1), "PCMA", 8, 8000, 1);
  assert_codec (codec_at (audio, 2), "iLBC", 97, 8000, 1);
  g_assert_null (mt_sdp_stream_get_dtmf_codec (audio));

  video = stream_at (offer, 1);
  g_assert_cmpint (video->kind, ==, MT_SDP_MEDIA_VIDEO);
  g_assert_cmpuint (video->port, ==, 51372);
  assert_codec (codec_at (video, 0), "H261", 31, 90000, 1);
  assert_codec (codec_at (video, 1), "MPV", 32, 90000, 1);
}

static void
test_parse_static_payloads (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 4000 RTP/AVP 9 0 8 18 101\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n");
  MtSdpStream *audio = stream_at (s, 0);

  g_assert_cmpuint (audio->codecs->len, ==, 5);
  assert_codec (codec_at (audio, 0), "G722", 9, 8000, 1);
  assert_codec (codec_at (audio, 1), "PCMU", 0, 8000, 1);
  assert_codec (codec_at (audio, 2), "PCMA", 8, 8000, 1);
  assert_codec (codec_at (audio, 3), "G729", 18, 8000, 1);
  assert_codec (codec_at (audio, 4), "telephone-event", 101, 8000, 1);
  g_assert_cmpstr (codec_at (audio, 4)->fmtp, ==, "0-15");
  g_assert_cmpstr (mt_sdp_stream_get_primary_codec (audio)->name, ==, "G722");
  g_assert_cmpuint (mt_sdp_stream_get_dtmf_codec (audio)->pt, ==, 101);
}

static void
test_parse_names_canonical (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 4000 RTP/AVP 107 9 100 102\n"
    "a=rtpmap:107 OPUS/48000/2\n"
    "a=rtpmap:9 g722/16000\n"
    "a=rtpmap:100 Telephone-Event/8000\n"
    "m=video 4002 RTP/AVP 120 121\n"
    "a=rtpmap:120 h264/90000\n"
    "a=fmtp:120 profile-level-id=42e01f\n"
    "a=rtpmap:121 vp8/90000\n");
  MtSdpStream *audio = stream_at (s, 0), *video = stream_at (s, 1);
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 49174);
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (GPtrArray) result = NULL;

  /* names as the peer wrote them; opus is always /2 (RFC 7587) */
  assert_codec (codec_at (audio, 0), "OPUS", 107, 48000, 2);
  /* the common G722/16000 mistake reads as the RFC 3551 8000 */
  assert_codec (codec_at (audio, 1), "g722", 9, 8000, 1);
  assert_codec (codec_at (audio, 2), "Telephone-Event", 100, 8000, 1);
  g_assert_cmpuint (mt_sdp_stream_get_dtmf_codec (audio)->pt, ==, 100);
  /* dynamic payload without rtpmap: kept, unnamed */
  g_assert_cmpuint (codec_at (audio, 3)->pt, ==, 102);
  g_assert_cmpstr (codec_at (audio, 3)->name, ==, "");
  assert_codec (codec_at (video, 0), "h264", 120, 90000, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (codec_at (video, 0)), ==, 0);
  assert_codec (codec_at (video, 1), "vp8", 121, 90000, 1);

  /* they match ours case-insensitively; our answer and what we negotiate
   * use our spelling, with the offerer's numbers */
  answer = answer_ok (s, bob);
  assert_codec (codec_at (stream_at (answer, 0), 0), "opus", 107, 48000, 2);
  assert_codec (codec_at (stream_at (answer, 0), 1), "telephone-event", 100, 8000, 1);
  assert_codec (codec_at (stream_at (answer, 1), 0), "H264", 120, 90000, 1);
  result = negotiate_ok (answer, s, FALSE);
  assert_codec (negotiated_at (result, 0)->send_codec, "opus", 107, 48000, 2);
  assert_codec (negotiated_at (result, 0)->recv_codec, "opus", 107, 48000, 2);
  assert_codec (negotiated_at (result, 1)->send_codec, "H264", 120, 90000, 1);
}

/* Our offer when we are the offerer and the peer answers in capitals */
static void
test_negotiate_peer_spelling (void)
{
  g_autoptr (MtSdpLocal) alice = make_local ("192.0.2.10", 49170, 0);
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (alice, 1);
  g_autoptr (MtSdpSession) answer = parse_ok (
    "v=0\n"
    "o=- 2 2 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 30000 RTP/AVP 0 101\n"
    "a=rtpmap:0 pcmu/8000\n"
    "a=rtpmap:101 TELEPHONE-EVENT/8000\n");
  g_autoptr (GPtrArray) result = negotiate_ok (offer, answer, TRUE);
  MtSdpNegotiated *n = negotiated_at (result, 0);

  g_assert_true (n->enabled);
  assert_codec (n->send_codec, "PCMU", 0, 8000, 1);
  assert_codec (n->recv_codec, "PCMU", 0, 8000, 1);
  g_assert_cmpuint (n->send_dtmf_pt, ==, 101);
}

/* Sofia 1.12 does not know RTP/AVPF: formats and rtpmaps reach us raw */
static void
test_parse_avpf (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP6 2001:db8::1\n"
    "s=-\n"
    "c=IN IP6 2001:db8::1\n"
    "t=0 0\n"
    "m=video 5000 RTP/AVPF 96 97\n"
    "c=IN IP6 2001:db8::2\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=rtcp-fb:96 nack\n"
    "a=rtcp-fb:96 nack pli\n"
    "a=rtpmap:97 H264/90000\n"
    "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1\n"
    "a=rtcp-fb:* ccm fir\n"
    "a=rtcp-fb:97 goog-remb\n"
    "a=rtcp-mux\n"
    "a=recvonly\n"
    "m=video 5002 RTP/AVPF 98 99 100\n"
    "a=rtpmap:98 VP8\n"
    "a=rtpmap:99 VP8/\n"
    "a=rtpmap:100\n"
    "a=fmtp:100\n"
    "a=rtcp-fb:100\n");
  MtSdpStream *video = stream_at (s, 0), *broken = stream_at (s, 1);
  MtSdpCodec *vp8 = codec_at (video, 0), *h264 = codec_at (video, 1);

  g_assert_cmpstr (s->address, ==, "2001:db8::1");
  g_assert_cmpstr (video->address, ==, "2001:db8::2");
  g_assert_cmpstr (video->proto, ==, "RTP/AVPF");
  g_assert_true (video->rtcp_mux);
  g_assert_cmpint (video->direction, ==, MT_SDP_RECVONLY);
  assert_codec (vp8, "VP8", 96, 90000, 1);
  g_assert_true (vp8->fb_nack && vp8->fb_nack_pli && vp8->fb_ccm_fir);
  assert_codec (h264, "H264", 97, 90000, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (h264), ==, 1);
  g_assert_false (h264->fb_nack);
  g_assert_false (h264->fb_nack_pli);
  g_assert_true (h264->fb_ccm_fir);

  /* unreadable rtpmaps are ignored, leaving the formats unnamed */
  g_assert_cmpuint (broken->codecs->len, ==, 3);
  for (guint i = 0; i < 3; i++) {
    g_assert_cmpstr (codec_at (broken, i)->name, ==, "");
    g_assert_null (codec_at (broken, i)->fmtp);
  }
}

static void
test_parse_rtcp_attribute (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0\n"
    "a=rtcp:53020 IN IP4 126.16.64.4\n"
    "m=video 49180 RTP/AVP 96\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=rtcp:49999\n"
    "m=video 0 RTP/AVP 96\n");
  MtSdpStream *audio = stream_at (s, 0), *video = stream_at (s, 1), *off = stream_at (s, 2);

  g_assert_cmpuint (audio->rtcp_port, ==, 53020);
  g_assert_cmpstr (audio->rtcp_address, ==, "126.16.64.4");
  g_assert_cmpuint (video->rtcp_port, ==, 49999);
  g_assert_null (video->rtcp_address);
  g_assert_cmpuint (off->port, ==, 0);
  g_assert_cmpuint (off->rtcp_port, ==, 0);
  g_assert_cmpint (off->direction, ==, MT_SDP_INACTIVE);
}

static void
test_parse_directions (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "a=sendonly\n"
    "m=audio 4000 RTP/AVP 0\n"
    "m=audio 4002 RTP/AVP 0\n"
    "a=recvonly\n"
    "m=audio 4004 RTP/AVP 0\n"
    "a=inactive\n"
    "m=audio 4006 RTP/AVP 0\n"
    "a=sendrecv\n");

  g_assert_cmpint (stream_at (s, 0)->direction, ==, MT_SDP_SENDONLY);
  g_assert_cmpint (stream_at (s, 1)->direction, ==, MT_SDP_RECVONLY);
  g_assert_cmpint (stream_at (s, 2)->direction, ==, MT_SDP_INACTIVE);
  g_assert_cmpint (stream_at (s, 3)->direction, ==, MT_SDP_SENDRECV);
}

static void
test_parse_other_media (void)
{
  g_autoptr (MtSdpSession) s = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=image 6000 udptl t38\n"
    "m=text 6002 RTP/AVP 98\n"
    "a=rtpmap:98 t140/1000\n");
  MtSdpStream *image = stream_at (s, 0), *text = stream_at (s, 1);

  g_assert_cmpint (image->kind, ==, MT_SDP_MEDIA_OTHER);
  g_assert_cmpstr (image->media, ==, "image");
  g_assert_cmpstr (image->proto, ==, "udptl");
  g_assert_cmpstr (codec_at (image, 0)->name, ==, "t38");
  g_assert_cmpint (text->kind, ==, MT_SDP_MEDIA_OTHER);
  assert_codec (codec_at (text, 0), "t140", 98, 1000, 1);
}

static void
test_parse_lf_and_len (void)
{
  const char *text =
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 4000 RTP/AVP 0\n"
    "m=video 4002 RTP/AVP 96\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpSession) whole = mt_sdp_parse (text, (gsize) -1, &error);
  g_autoptr (MtSdpSession) part = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (whole->streams->len, ==, 2);

  /* `len` is honoured: the video line is cut off */
  part = mt_sdp_parse (text, strstr (text, "m=video") - text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (part->streams->len, ==, 1);
}

typedef struct {
  const char *name;
  const char *text;
  int         code;
} BadSdp;

static const BadSdp bad_sdps[] = {
  { "empty", "", MT_SDP_ERROR_PARSE },
  { "garbage", "Hello, this is not SDP at all", MT_SDP_ERROR_PARSE },
  { "http", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", MT_SDP_ERROR_PARSE },
  { "version 1",
    "v=1\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 0\n",
    MT_SDP_ERROR_PARSE },
  { "no o=", "v=0\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 0\n", MT_SDP_ERROR_PARSE },
  { "no s=", "v=0\no=- 1 1 IN IP4 1.2.3.4\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 0\n",
    MT_SDP_ERROR_PARSE },
  { "missing c=",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\n",
    MT_SDP_ERROR_INVALID },
  { "missing c= on second stream",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 1.2.3.4\n"
    "m=video 4002 RTP/AVP 96\n",
    MT_SDP_ERROR_INVALID },
  { "port 70000",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 70000 RTP/AVP 0\n",
    MT_SDP_ERROR_INVALID },
  { "port huge",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 99999999999999999999 RTP/AVP 0\n",
    MT_SDP_ERROR_INVALID },
  { "rtcp port 70000",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 0\na=rtcp:70000\n",
    MT_SDP_ERROR_INVALID },
  { "no formats",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP\n",
    MT_SDP_ERROR_INVALID },
  { "no formats avpf",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=video 4000 RTP/AVPF\n",
    MT_SDP_ERROR_INVALID },
  { "payload type 200",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 200\n",
    MT_SDP_ERROR_PARSE },
  { "payload type 200 avpf",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=video 4000 RTP/AVPF 96 200\n",
    MT_SDP_ERROR_INVALID },
  { "payload type word avpf",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=video 4000 RTP/AVPF vp8\n",
    MT_SDP_ERROR_INVALID },
  { "truncated m=",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio\n",
    MT_SDP_ERROR_PARSE },
  { "truncated o=", "v=0\no=- 1\n", MT_SDP_ERROR_PARSE },
  { "truncated c=",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4\nt=0 0\nm=audio 4000 RTP/AVP 0\n",
    MT_SDP_ERROR_PARSE },
  { "truncated after v", "v=0\no", MT_SDP_ERROR_PARSE },
  { "truncated rtpmap",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 96\na=rtpmap:96 opus\n",
    MT_SDP_ERROR_PARSE },
  { "bad line", "v=0\no=- 1 1 IN IP4 1.2.3.4\nxyz\n", MT_SDP_ERROR_PARSE },
  { "unknown nettype",
    "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=XX IP4 1.2.3.4\nt=0 0\nm=audio 4000 RTP/AVP 0\n",
    MT_SDP_ERROR_PARSE },
};

static void
test_parse_malformed (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_sdps); i++) {
    g_autofree char *wire = crlf (bad_sdps[i].text);

    g_test_message ("malformed case: %s", bad_sdps[i].name);
    assert_parse_fails (wire, strlen (wire), bad_sdps[i].code);
    /* same with LF-only line endings */
    assert_parse_fails (bad_sdps[i].text, strlen (bad_sdps[i].text), bad_sdps[i].code);
  }

  assert_parse_fails (NULL, 0, MT_SDP_ERROR_PARSE);
}

/* RFC 4566 6: a=rtpmap:<payload type> <encoding name>/<clock rate>. An
 * rtpmap without a clock rate (RFC 4475 3.1.1.13's "a=rtpmap:31 LPC") or with
 * 0: for RTP/AVP and RTP/SAVP the description is refused (Sofia refuses a
 * missing rate, we a rate of 0); for the profiles we parse ourselves the
 * rtpmap is ignored, as test_parse_avpf has it. Either way no named codec
 * with clock rate 0 comes out, and an answer uses none of them; the same
 * lines with a rate parse. */
static void
test_parse_rtpmap_without_clock_rate (void)
{
  static const struct {
    const char *proto;
    gboolean    refused;
  } protos[] = { { "RTP/AVP", TRUE }, { "RTP/SAVP", TRUE }, { "RTP/AVPF", FALSE } };
  static const struct {
    const char *pts;
    const char *bad;
    const char *good;
  } cases[] = {
    { "31", "a=rtpmap:31 LPC", "a=rtpmap:31 LPC/8000" },
    { "0 31", "a=rtpmap:31 LPC", "a=rtpmap:31 LPC/8000" },
    { "96", "a=rtpmap:96 PCMU", "a=rtpmap:96 PCMU/8000" },
    { "96", "a=rtpmap:96 PCMU/", "a=rtpmap:96 PCMU/8000" },
    { "96", "a=rtpmap:96 PCMU/0", "a=rtpmap:96 PCMU/8000" },
    { "0", "a=rtpmap:0 PCMU/0", "a=rtpmap:0 PCMU/8000" },
    { "0 101", "a=rtpmap:101 telephone-event/0", "a=rtpmap:101 telephone-event/8000" },
    { "0 101", "a=rtpmap:101 telephone-event", "a=rtpmap:101 telephone-event/8000" },
  };
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 0);

  for (gsize p = 0; p < G_N_ELEMENTS (protos); p++) {
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
      g_autofree char *bad = g_strdup_printf (
        "v=0\no=- 1 1 IN IP4 198.51.100.1\ns=-\nc=IN IP4 198.51.100.1\nt=0 0\n"
        "m=audio 4000 %s %s\n%s\n", protos[p].proto, cases[i].pts, cases[i].bad);
      g_autofree char *good = g_strdup_printf (
        "v=0\no=- 1 1 IN IP4 198.51.100.1\ns=-\nc=IN IP4 198.51.100.1\nt=0 0\n"
        "m=audio 4000 %s %s\n%s\n", protos[p].proto, cases[i].pts, cases[i].good);
      g_autoptr (MtSdpSession) s = NULL;
      g_autoptr (MtSdpSession) g = NULL;
      g_autoptr (GError) error = NULL;
      MtSdpStream *audio;

      g_test_message ("%s: %s", protos[p].proto, cases[i].bad);
      s = mt_sdp_parse (bad, strlen (bad), &error);
      if (protos[p].refused) {
        g_assert_null (s);
        g_assert_true (g_error_matches (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE) ||
                       g_error_matches (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID));
        g_assert_nonnull (strstr (error->message, "rate"));
      } else {
        g_autoptr (MtSdpSession) answer = NULL;

        g_assert_no_error (error);
        audio = stream_at (s, 0);
        for (guint c = 0; c < audio->codecs->len; c++)
          g_assert_true (*codec_at (audio, c)->name == '\0' ||
                         codec_at (audio, c)->clock_rate > 0);
        answer = mt_sdp_build_answer (s, bob, 1, NULL);
        for (guint c = 0; answer != NULL && c < stream_at (answer, 0)->codecs->len; c++)
          g_assert_cmpuint (codec_at (stream_at (answer, 0), c)->clock_rate, >, 0);
      }
      g = parse_ok (good);
      audio = stream_at (g, 0);
      for (guint c = 0; c < audio->codecs->len; c++)
        g_assert_cmpuint (codec_at (audio, c)->clock_rate, >, 0);
    }
  }
}

/* ... and a codec with clock rate 0 matches nothing, itself included */
static void
test_codec_zero_clock_rate (void)
{
  g_autoptr (MtSdpCodec) zero = mt_sdp_codec_new ("PCMU", 0, 0, 1, NULL);
  g_autoptr (MtSdpCodec) zero2 = mt_sdp_codec_new ("PCMU", 96, 0, 1, NULL);
  g_autoptr (MtSdpCodec) pcmu = mt_sdp_codec_new ("PCMU", 0, 8000, 1, NULL);

  g_assert_false (mt_sdp_codec_matches (zero, pcmu));
  g_assert_false (mt_sdp_codec_matches (pcmu, zero));
  g_assert_false (mt_sdp_codec_matches (zero, zero2));
}

/* Sofia 1.12.11 spins forever on these m= lines; we must return an error
 * (or a result) instead. If this test hangs, the guard is broken. */
static void
test_parse_sofia_loop_guard (void)
{
  static const char *const media_lines[] = {
    "m=image 0 udptl /x",
    "m=image 6000 udptl t38 /",
    "m=image 6000 udptl \t",
    "m=image 6000 udptl  \t ",
    "m=application 9 foo:bar /AVPF 96",
    "m=application 9 TCP/BFCP (",
    "m=text 9 x \"quoted\"",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (media_lines); i++) {
    g_autofree char *text = g_strdup_printf (
      "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n%s\r\n",
      media_lines[i]);
    g_autoptr (GError) error = NULL;
    g_autoptr (MtSdpSession) s = mt_sdp_parse (text, strlen (text), &error);

    g_assert_null (s);
    g_assert_nonnull (error);
  }

  /* blanks are not a problem in themselves */
  {
    g_autoptr (MtSdpSession) s = parse_ok (
      "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nc=IN IP4 1.2.3.4\nt=0 0\n"
      "  m=image\t6000   udptl\tt38  \t\n"
      "m=audio  4000\tRTP/AVP 0\t8 \n");

    g_assert_cmpuint (s->streams->len, ==, 2);
    g_assert_cmpstr (codec_at (stream_at (s, 0), 0)->name, ==, "t38");
    g_assert_cmpuint (stream_at (s, 1)->codecs->len, ==, 2);
  }
}

static void
test_parse_binary_and_huge (void)
{
  static const char with_nul[] = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=\0-\r\n";
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autofree char *junk = g_malloc (4096);
  g_autoptr (GString) huge = g_string_new ("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n");
  g_autoptr (GString) many = g_string_new (huge->str);

  assert_parse_fails (with_nul, sizeof with_nul - 1, MT_SDP_ERROR_PARSE);

  for (guint round = 0; round < 50; round++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (MtSdpSession) s = NULL;

    for (gsize i = 0; i < 4096; i++)
      junk[i] = (char) (g_rand_int_range (rand, 1, 256));
    s = mt_sdp_parse (junk, 4096, &error);
    g_assert_null (s);
    g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_PARSE);
  }

  /* 1 MiB of attributes is refused before it reaches the parser */
  while (huge->len < 1024 * 1024)
    g_string_append (huge, "a=x-padding:0123456789012345678901234567890123456789\r\n");
  assert_parse_fails (huge->str, huge->len, MT_SDP_ERROR_PARSE);

  /* so are hundreds of m= lines */
  for (guint i = 0; i < 500; i++)
    g_string_append_printf (many, "m=audio %u RTP/AVP 0\r\n", 2000 + 2 * i);
  assert_parse_fails (many->str, many->len, MT_SDP_ERROR_INVALID);
}

/* ------------------------------------------------------------------------
 * Serialisation and offers
 */

static void
test_to_string_exact (void)
{
  g_autoptr (MtSdpSession) s = mt_sdp_session_new ();
  g_autoptr (MtSdpStream) audio = mt_sdp_stream_new (MT_SDP_MEDIA_AUDIO);
  g_autoptr (MtSdpStream) video = mt_sdp_stream_new (MT_SDP_MEDIA_VIDEO);
  g_autofree char *text = NULL;
  MtSdpCodec *vp8;

  s->session_id = 7;
  s->session_version = 8;
  s->address = g_strdup ("192.0.2.1");
  audio->port = 5000;
  audio->rtcp_port = 5001;
  audio->address = g_strdup ("192.0.2.1");
  audio->direction = MT_SDP_SENDONLY;
  g_ptr_array_add (audio->codecs, mt_sdp_codec_new ("opus", 111, 48000, 2, "useinbandfec=1"));
  g_ptr_array_add (audio->codecs, mt_sdp_codec_new ("PCMU", 0, 8000, 1, NULL));
  video->port = 5002;
  video->rtcp_port = 5003;
  video->rtcp_mux = TRUE;
  video->address = g_strdup ("192.0.2.99");
  vp8 = mt_sdp_codec_new ("VP8", 96, 90000, 1, NULL);
  vp8->fb_nack = vp8->fb_nack_pli = vp8->fb_ccm_fir = TRUE;
  g_ptr_array_add (video->codecs, vp8);
  g_ptr_array_add (s->streams, g_steal_pointer (&audio));
  g_ptr_array_add (s->streams, g_steal_pointer (&video));

  text = mt_sdp_session_to_string (s);
  g_assert_cmpstr (text, ==,
                   "v=0\r\n"
                   "o=- 7 8 IN IP4 192.0.2.1\r\n"
                   "s=-\r\n"
                   "c=IN IP4 192.0.2.1\r\n"
                   "t=0 0\r\n"
                   "m=audio 5000 RTP/AVP 111 0\r\n"
                   "a=rtpmap:111 opus/48000/2\r\n"
                   "a=fmtp:111 useinbandfec=1\r\n"
                   "a=rtpmap:0 PCMU/8000\r\n"
                   "a=rtcp:5001\r\n"
                   "a=sendonly\r\n"
                   "m=video 5002 RTP/AVP 96\r\n"
                   "c=IN IP4 192.0.2.99\r\n"
                   "a=rtpmap:96 VP8/90000\r\n"
                   "a=rtcp-fb:96 nack\r\n"
                   "a=rtcp-fb:96 nack pli\r\n"
                   "a=rtcp-fb:96 ccm fir\r\n"
                   "a=rtcp:5003\r\n"
                   "a=rtcp-mux\r\n"
                   "a=sendrecv\r\n");
}

static void
assert_streams_equal (const MtSdpStream *a,
                      const MtSdpStream *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->media, ==, b->media);
  g_assert_cmpstr (a->proto, ==, b->proto);
  g_assert_cmpuint (a->port, ==, b->port);
  g_assert_cmpuint (a->rtcp_port, ==, b->rtcp_port);
  g_assert_cmpstr (a->address, ==, b->address);
  g_assert_cmpint (a->direction, ==, b->direction);
  g_assert_cmpint (a->rtcp_mux, ==, b->rtcp_mux);
  g_assert_cmpuint (a->codecs->len, ==, b->codecs->len);
  for (guint i = 0; i < a->codecs->len; i++) {
    const MtSdpCodec *ca = codec_at (a, i), *cb = codec_at (b, i);

    assert_codec (cb, ca->name, ca->pt, ca->clock_rate, ca->channels);
    g_assert_cmpstr (ca->fmtp, ==, cb->fmtp);
    g_assert_cmpint (ca->fb_nack, ==, cb->fb_nack);
    g_assert_cmpint (ca->fb_nack_pli, ==, cb->fb_nack_pli);
    g_assert_cmpint (ca->fb_ccm_fir, ==, cb->fb_ccm_fir);
  }
}

static void
test_offer_roundtrip (void)
{
  g_autoptr (MtSdpLocal) local = make_local ("192.0.2.10", 40000, 40010);
  g_autoptr (MtSdpSession) offer = NULL;
  g_autoptr (MtSdpSession) parsed = NULL;
  g_autoptr (MtSdpSession) copy = NULL;
  g_autoptr (MtSdpSession) again = NULL;

  local->video_rtcp_port = 40020;
  offer = mt_sdp_build_offer (local, 987654321);
  g_assert_cmpuint (offer->session_id, ==, 987654321);
  g_assert_cmpuint (offer->session_version, ==, 987654321);
  g_assert_cmpuint (offer->streams->len, ==, 2);
  g_assert_cmpuint (stream_at (offer, 0)->codecs->len, ==, 6);
  g_assert_cmpuint (stream_at (offer, 1)->codecs->len, ==, 3);
  g_assert_cmpuint (stream_at (offer, 1)->rtcp_port, ==, 40020);

  parsed = wire_roundtrip (offer);
  g_assert_cmpstr (parsed->address, ==, "192.0.2.10");
  g_assert_cmpuint (parsed->session_id, ==, 987654321);
  g_assert_cmpuint (parsed->streams->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    assert_streams_equal (stream_at (offer, i), stream_at (parsed, i));

  /* a deep copy serialises to the same text */
  copy = mt_sdp_session_copy (parsed);
  again = wire_roundtrip (copy);
  for (guint i = 0; i < 2; i++)
    assert_streams_equal (stream_at (parsed, i), stream_at (again, i));
}

static void
test_offer_audio_only_and_hold (void)
{
  g_autoptr (MtSdpLocal) local = make_local ("2001:db8::10", 40000, 0);
  g_autoptr (MtSdpSession) offer = NULL;
  g_autofree char *text = NULL;

  local->audio_direction = MT_SDP_SENDONLY;
  offer = mt_sdp_build_offer (local, 1);
  g_assert_cmpuint (offer->streams->len, ==, 1);
  g_assert_cmpint (stream_at (offer, 0)->kind, ==, MT_SDP_MEDIA_AUDIO);

  text = mt_sdp_session_to_string (offer);
  g_assert_nonnull (strstr (text, "c=IN IP6 2001:db8::10\r\n"));
  g_assert_nonnull (strstr (text, "a=sendonly\r\n"));
  g_assert_null (strstr (text, "m=video"));

  /* video codecs but no port, or a port but no codecs: no video either */
  g_ptr_array_set_size (local->video_codecs, 0);
  local->video_port = 40010;
  g_clear_pointer (&offer, mt_sdp_session_free);
  offer = mt_sdp_build_offer (local, 2);
  g_assert_cmpuint (offer->streams->len, ==, 1);
}

/* ------------------------------------------------------------------------
 * Answers
 */

/* RFC 3264 10.1: Bob answers Alice's audio+video offer. We speak PCMU but
 * neither H261 nor MPV, so video is declined with the first offered format. */
static void
test_answer_rfc3264_10_1 (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (rfc3264_alice_offer);
  g_autoptr (MtSdpLocal) bob = make_local ("host.biloxi.example.com", 49174, 49170);
  g_autoptr (MtSdpSession) answer = answer_ok (offer, bob);
  g_autoptr (MtSdpSession) wire = wire_roundtrip (answer);
  g_autoptr (GPtrArray) bob_view = NULL;
  MtSdpStream *audio, *video;
  MtSdpNegotiated *n;

  g_assert_cmpuint (answer->streams->len, ==, 2);
  audio = stream_at (wire, 0);
  g_assert_cmpuint (audio->port, ==, 49174);
  g_assert_cmpuint (audio->codecs->len, ==, 1);
  assert_codec (codec_at (audio, 0), "PCMU", 0, 8000, 1);
  g_assert_cmpint (audio->direction, ==, MT_SDP_SENDRECV);
  video = stream_at (wire, 1);
  g_assert_cmpstr (video->media, ==, "video");
  g_assert_cmpuint (video->port, ==, 0);
  g_assert_cmpuint (video->codecs->len, ==, 1);
  g_assert_cmpuint (codec_at (video, 0)->pt, ==, 31);

  bob_view = negotiate_ok (wire, offer, FALSE);
  g_assert_cmpuint (bob_view->len, ==, 2);
  n = negotiated_at (bob_view, 0);
  g_assert_true (n->enabled);
  g_assert_cmpstr (n->remote_address, ==, "host.atlanta.example.com");
  g_assert_cmpuint (n->remote_rtp_port, ==, 49170);
  g_assert_cmpuint (n->remote_rtcp_port, ==, 49171);
  g_assert_cmpstr (n->send_codec->name, ==, "PCMU");
  g_assert_cmpuint (n->send_codec->pt, ==, 0);
  g_assert_cmpuint (n->recv_codec->pt, ==, 0);
  g_assert_cmpuint (n->send_dtmf_pt, ==, 0);
  g_assert_false (negotiated_at (bob_view, 1)->enabled);
}

/* RFC 3264 10.1 from Alice's side: Bob's own answer, MPV video accepted */
static void
test_negotiate_rfc3264_10_1_offerer (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (rfc3264_alice_offer);
  g_autoptr (MtSdpSession) answer = parse_ok (rfc3264_bob_answer);
  g_autoptr (GPtrArray) alice = negotiate_ok (offer, answer, TRUE);
  MtSdpNegotiated *audio = negotiated_at (alice, 0), *video = negotiated_at (alice, 1);

  g_assert_true (audio->enabled);
  g_assert_cmpint (audio->kind, ==, MT_SDP_MEDIA_AUDIO);
  g_assert_cmpstr (audio->remote_address, ==, "host.biloxi.example.com");
  g_assert_cmpuint (audio->remote_rtp_port, ==, 49174);
  g_assert_cmpstr (audio->send_codec->name, ==, "PCMU");
  g_assert_cmpint (audio->direction, ==, MT_SDP_SENDRECV);
  g_assert_true (video->enabled);
  g_assert_cmpint (video->kind, ==, MT_SDP_MEDIA_VIDEO);
  g_assert_cmpstr (video->send_codec->name, ==, "MPV");
  g_assert_cmpuint (video->send_codec->pt, ==, 32);
  g_assert_cmpuint (video->remote_rtp_port, ==, 49170);
  g_assert_cmpuint (video->remote_rtcp_port, ==, 49171);
}

/* RFC 3264 10.2 adapted: Alice offers several codecs with a=inactive, then
 * re-offers the chosen one sendrecv. */
static void
test_answer_rfc3264_10_2 (void)
{
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49174, 0);
  g_autoptr (MtSdpSession) offer1 = parse_ok (
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s=\n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 62986 RTP/AVP 4 0 18\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:4 G723/8000\n"
    "a=rtpmap:18 G729/8000\n"
    "a=inactive\n");
  g_autoptr (MtSdpSession) offer2 = parse_ok (
    "v=0\n"
    "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com\n"
    "s=\n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 62986 RTP/AVP 0\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=sendrecv\n");
  g_autoptr (MtSdpSession) answer1 = answer_ok (offer1, bob);
  g_autoptr (MtSdpSession) answer2 = answer_ok (offer2, bob);
  g_autoptr (GPtrArray) n1 = negotiate_ok (answer1, offer1, FALSE);
  g_autoptr (GPtrArray) n2 = negotiate_ok (answer2, offer2, FALSE);

  assert_codec (codec_at (stream_at (answer1, 0), 0), "PCMU", 0, 8000, 1);
  g_assert_cmpint (stream_at (answer1, 0)->direction, ==, MT_SDP_INACTIVE);
  g_assert_cmpint (negotiated_at (n1, 0)->direction, ==, MT_SDP_INACTIVE);
  g_assert_true (negotiated_at (n1, 0)->enabled);
  g_assert_cmpint (stream_at (answer2, 0)->direction, ==, MT_SDP_SENDRECV);
  g_assert_cmpint (negotiated_at (n2, 0)->direction, ==, MT_SDP_SENDRECV);
  g_assert_cmpuint (negotiated_at (n2, 0)->remote_rtp_port, ==, 62986);
}

/* RFC 4317 2.1 adapted: audio and video, dynamic payload numbers kept */
static void
test_answer_rfc4317_audio_video (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s=\n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 8 97 98\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:97 opus/48000/2\n"
    "a=rtpmap:98 telephone-event/8000\n"
    "a=fmtp:98 0-15\n"
    "m=video 51372 RTP/AVP 100 99\n"
    "a=rtpmap:100 H264/90000\n"
    "a=fmtp:100 profile-level-id=42e01f;packetization-mode=1\n"
    "a=rtcp-fb:100 nack pli\n"
    "a=rtpmap:99 VP8/90000\n");
  g_autoptr (MtSdpLocal) bob = make_local ("host.biloxi.example.com", 49172, 49168);
  g_autoptr (MtSdpSession) answer = answer_ok (offer, bob);
  MtSdpStream *audio = stream_at (answer, 0), *video = stream_at (answer, 1);
  MtSdpCodec *h264;

  /* offerer's preference (PCMU first), offerer's numbers, plus DTMF */
  g_assert_cmpuint (audio->port, ==, 49172);
  g_assert_cmpuint (audio->rtcp_port, ==, 49173);
  g_assert_cmpuint (audio->codecs->len, ==, 2);
  assert_codec (codec_at (audio, 0), "PCMU", 0, 8000, 1);
  assert_codec (codec_at (audio, 1), "telephone-event", 98, 8000, 1);
  g_assert_cmpstr (audio->address, ==, "host.biloxi.example.com");

  g_assert_cmpuint (video->port, ==, 49168);
  g_assert_cmpuint (video->codecs->len, ==, 1);
  h264 = codec_at (video, 0);
  assert_codec (h264, "H264", 100, 90000, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (h264), ==, 1);
  /* feedback narrowed to what both do */
  g_assert_false (h264->fb_nack);
  g_assert_true (h264->fb_nack_pli);
  g_assert_false (h264->fb_ccm_fir);
}

/* RFC 4317 2.2: Bob has no camera; the video stream gets port 0 */
static void
test_answer_rfc4317_audio_only (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s=\n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0 97\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:97 opus/48000/2\n"
    "m=video 51372 RTP/AVP 96\n"
    "a=rtpmap:96 VP8/90000\n");
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 0);
  g_autoptr (MtSdpSession) answer = answer_ok (offer, bob);
  g_autoptr (MtSdpSession) wire = wire_roundtrip (answer);
  g_autoptr (GPtrArray) n = negotiate_ok (wire, offer, FALSE);
  g_autofree char *text = mt_sdp_session_to_string (answer);

  g_assert_cmpuint (wire->streams->len, ==, 2);
  g_assert_cmpuint (stream_at (wire, 0)->port, ==, 49172);
  assert_codec (codec_at (stream_at (wire, 0), 0), "PCMU", 0, 8000, 1);
  g_assert_cmpuint (stream_at (wire, 1)->port, ==, 0);
  g_assert_nonnull (strstr (text, "m=video 0 RTP/AVP 96\r\n"));
  g_assert_true (negotiated_at (n, 0)->enabled);
  g_assert_false (negotiated_at (n, 1)->enabled);
  g_assert_cmpint (negotiated_at (n, 1)->kind, ==, MT_SDP_MEDIA_VIDEO);
}

/* RFC 4317 2.4-style: streams we cannot take are declined, the rest kept */
static void
test_answer_rfc4317_reject_stream (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\n"
    "s=\n"
    "c=IN IP4 host.atlanta.example.com\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 0\n"
    "m=audio 49180 RTP/AVP 8\n"
    "m=application 49190 udp wb\n"
    "m=video 0 RTP/AVP 96\n"
    "m=video 49200 RTP/SAVP 96\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\n");
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 49174);
  g_autoptr (MtSdpSession) answer = answer_ok (offer, bob);
  g_autoptr (MtSdpSession) wire = wire_roundtrip (answer);
  g_autoptr (GPtrArray) n = negotiate_ok (wire, offer, FALSE);

  g_assert_cmpuint (wire->streams->len, ==, 5);
  g_assert_cmpuint (stream_at (wire, 0)->port, ==, 49172);
  g_assert_cmpuint (stream_at (wire, 1)->port, ==, 0);        /* second audio */
  g_assert_cmpuint (codec_at (stream_at (wire, 1), 0)->pt, ==, 8);
  g_assert_cmpuint (stream_at (wire, 2)->port, ==, 0);        /* application */
  g_assert_cmpstr (stream_at (wire, 2)->media, ==, "application");
  g_assert_cmpstr (stream_at (wire, 2)->proto, ==, "UDP");   /* Sofia canonicalises */
  g_assert_cmpstr (codec_at (stream_at (wire, 2), 0)->name, ==, "wb");
  g_assert_cmpuint (stream_at (wire, 3)->port, ==, 0);        /* port 0 in offer */
  g_assert_cmpuint (stream_at (wire, 4)->port, ==, 0);        /* SRTP */
  g_assert_cmpstr (stream_at (wire, 4)->proto, ==, "RTP/SAVP");

  g_assert_true (negotiated_at (n, 0)->enabled);
  for (guint i = 1; i < 5; i++)
    g_assert_false (negotiated_at (n, i)->enabled);
}

/* Hold (RFC 4317 3.1/3.2, RFC 3264 8.4): the answer complements the offer */
static void
test_answer_directions (void)
{
  static const struct {
    const char     *offered;
    MtSdpDirection  local;
    MtSdpDirection  expected;
  } cases[] = {
    { "sendonly", MT_SDP_SENDRECV, MT_SDP_RECVONLY },
    { "recvonly", MT_SDP_SENDRECV, MT_SDP_SENDONLY },
    { "inactive", MT_SDP_SENDRECV, MT_SDP_INACTIVE },
    { "sendrecv", MT_SDP_SENDRECV, MT_SDP_SENDRECV },
    { "sendrecv", MT_SDP_SENDONLY, MT_SDP_SENDONLY },
    { "sendrecv", MT_SDP_RECVONLY, MT_SDP_RECVONLY },
    { "sendrecv", MT_SDP_INACTIVE, MT_SDP_INACTIVE },
    { "sendonly", MT_SDP_SENDONLY, MT_SDP_INACTIVE },  /* both on hold */
    { "recvonly", MT_SDP_RECVONLY, MT_SDP_INACTIVE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = g_strdup_printf (
      "v=0\n"
      "o=alice 1 1 IN IP4 198.51.100.1\n"
      "s=-\n"
      "c=IN IP4 198.51.100.1\n"
      "t=0 0\n"
      "m=audio 49170 RTP/AVP 0\n"
      "a=%s\n", cases[i].offered);
    g_autoptr (MtSdpSession) offer = parse_ok (text);
    g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 0);
    g_autoptr (MtSdpSession) answer = NULL;
    g_autoptr (MtSdpSession) wire = NULL;
    g_autoptr (GPtrArray) n = NULL;

    bob->audio_direction = cases[i].local;
    answer = answer_ok (offer, bob);
    wire = wire_roundtrip (answer);
    g_assert_cmpint (stream_at (wire, 0)->direction, ==, cases[i].expected);

    /* seen from Bob, the direction is what his answer says */
    n = negotiate_ok (wire, offer, FALSE);
    g_assert_cmpint (negotiated_at (n, 0)->direction, ==, cases[i].expected);
  }
}

/* Hold from our side: we offer sendonly, the peer answers recvonly */
static void
test_negotiate_hold_offerer (void)
{
  g_autoptr (MtSdpLocal) alice = make_local ("192.0.2.10", 40000, 0);
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 50000, 0);
  g_autoptr (MtSdpSession) offer = NULL;
  g_autoptr (MtSdpSession) offer_wire = NULL;
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (MtSdpSession) answer_wire = NULL;
  g_autoptr (GPtrArray) n = NULL;

  alice->audio_direction = MT_SDP_SENDONLY;
  offer = mt_sdp_build_offer (alice, 1);
  offer_wire = wire_roundtrip (offer);
  answer = answer_ok (offer_wire, bob);
  answer_wire = wire_roundtrip (answer);
  g_assert_cmpint (stream_at (answer_wire, 0)->direction, ==, MT_SDP_RECVONLY);

  n = negotiate_ok (offer, answer_wire, TRUE);
  g_assert_cmpint (negotiated_at (n, 0)->direction, ==, MT_SDP_SENDONLY);
}

/* A peer offering opus as 107 and telephone-event as 100 gets them back */
static void
test_answer_dynamic_pt (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 30000 RTP/AVP 107 0 100\n"
    "a=rtpmap:107 opus/48000/2\n"
    "a=fmtp:107 minptime=10;useinbandfec=1\n"
    "a=rtpmap:100 telephone-event/8000\n");
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 0);
  g_autoptr (MtSdpSession) answer = answer_ok (offer, bob);
  g_autoptr (MtSdpSession) wire = wire_roundtrip (answer);
  g_autoptr (GPtrArray) n = negotiate_ok (wire, offer, FALSE);
  g_autofree char *text = mt_sdp_session_to_string (answer);
  MtSdpNegotiated *audio = negotiated_at (n, 0);

  g_assert_nonnull (strstr (text, "m=audio 49172 RTP/AVP 107 100\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:107 opus/48000/2\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:100 telephone-event/8000\r\n"));
  assert_codec (codec_at (stream_at (wire, 0), 0), "opus", 107, 48000, 2);
  assert_codec (audio->send_codec, "opus", 107, 48000, 2);
  assert_codec (audio->recv_codec, "opus", 107, 48000, 2);
  g_assert_cmpuint (audio->send_dtmf_pt, ==, 100);
  g_assert_cmpuint (audio->recv_dtmf_pt, ==, 100);
}

/* H264 without packetization-mode is mode 0; the answer keeps the peer's PT */
static void
test_answer_h264_modes (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 30000 RTP/AVP 8\n"
    "m=video 30002 RTP/AVP 126 97\n"
    "a=rtpmap:126 H264/90000\n"
    "a=fmtp:126 profile-level-id=42e01f;packetization-mode=2\n"
    "a=rtpmap:97 H264/90000\n"
    "a=fmtp:97 profile-level-id=42e01f\n");
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 49174);
  g_autoptr (MtSdpSession) answer = NULL;
  MtSdpCodec *h264;

  answer = answer_ok (offer, bob);
  h264 = codec_at (stream_at (answer, 1), 0);
  assert_codec (h264, "H264", 97, 90000, 1);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (h264), ==, 0);
  assert_codec (codec_at (stream_at (answer, 0), 0), "PCMA", 8, 8000, 1);
  /* no telephone-event offered, none answered */
  g_assert_cmpuint (stream_at (answer, 0)->codecs->len, ==, 1);

  /* Only mode 1 locally: mode 0 offer means no video */
  mt_codecs_fill_local (bob, NULL, "H264", NULL);
  g_ptr_array_remove_index (bob->video_codecs, 1);
  g_clear_pointer (&answer, mt_sdp_session_free);
  answer = answer_ok (offer, bob);
  g_assert_cmpuint (stream_at (answer, 1)->port, ==, 0);
}

static void
test_answer_no_common_codec (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 30000 RTP/AVP 18 101\n"
    "a=rtpmap:18 G729/8000\n"
    "a=rtpmap:101 telephone-event/8000\n");
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 49174);
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpSession) answer = mt_sdp_build_answer (offer, bob, 1, &error);

  g_assert_null (answer);
  g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC);
  g_assert_nonnull (strstr (error->message, "G729"));
  g_assert_nonnull (strstr (error->message, "audio"));
  g_assert_null (strstr (error->message, "telephone-event"));
}

static void
test_answer_no_common_codec_variants (void)
{
  static const struct {
    const char *media;
    const char *needle;
  } cases[] = {
    /* video-only offer to a phone without video */
    { "m=video 30000 RTP/AVP 96\na=rtpmap:96 VP8/90000\n", "VP8 video" },
    /* SRTP only */
    { "m=audio 30000 RTP/SAVP 0\n", "RTP/SAVP" },
    /* nothing but an application stream */
    { "m=application 30000 TCP/BFCP *\n", "no audio or video" },
    /* unnamed dynamic payload */
    { "m=audio 30000 RTP/AVP 96\n", "payload type 96" },
    /* two unsupported codecs and video: all named */
    { "m=audio 30000 RTP/AVP 3 18\nm=video 30002 RTP/AVP 34\n", "GSM, G729 audio and H263 video" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = g_strdup_printf (
      "v=0\no=- 1 1 IN IP4 198.51.100.1\ns=-\nc=IN IP4 198.51.100.1\nt=0 0\n%s",
      cases[i].media);
    g_autoptr (MtSdpSession) offer = parse_ok (text);
    g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 0);
    g_autoptr (GError) error = NULL;
    g_autoptr (MtSdpSession) answer = mt_sdp_build_answer (offer, bob, 1, &error);

    g_assert_null (answer);
    g_assert_error (error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, cases[i].needle));
  }
}

static void
test_answer_rtcp_and_mux (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 30000 RTP/AVP 0\n"
    "a=rtcp:30011 IN IP4 198.51.100.7\n"
    "a=rtcp-mux\n");
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 49172, 0);
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (GPtrArray) n = NULL;
  g_autofree char *text = NULL;
  MtSdpNegotiated *audio;

  bob->audio_rtcp_port = 49999;
  answer = answer_ok (offer, bob);
  text = mt_sdp_session_to_string (answer);
  g_assert_null (strstr (text, "rtcp-mux"));
  g_assert_nonnull (strstr (text, "a=rtcp:49999\r\n"));
  g_assert_false (stream_at (answer, 0)->rtcp_mux);

  n = negotiate_ok (answer, offer, FALSE);
  audio = negotiated_at (n, 0);
  g_assert_cmpuint (audio->remote_rtp_port, ==, 30000);
  /* mux was offered but not accepted: the peer's a=rtcp stands */
  g_assert_cmpuint (audio->remote_rtcp_port, ==, 30011);
  g_assert_cmpstr (audio->remote_rtcp_address, ==, "198.51.100.7");
}

/* ------------------------------------------------------------------------
 * Negotiation
 */

/* Full loop between two phones: each side's send PT is the other's recv PT */
static void
test_negotiate_both_sides (void)
{
  g_autoptr (MtSdpLocal) alice = make_local ("192.0.2.10", 40000, 40002);
  g_autoptr (MtSdpLocal) bob = make_local ("192.0.2.20", 50000, 50002);
  g_autoptr (MtSdpSession) offer = NULL;
  g_autoptr (MtSdpSession) offer_wire = NULL;
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (MtSdpSession) answer_wire = NULL;
  g_autoptr (GPtrArray) a = NULL;
  g_autoptr (GPtrArray) b = NULL;

  mt_codecs_fill_local (bob, "PCMA,opus", "H264", NULL);
  offer = mt_sdp_build_offer (alice, 100);
  offer_wire = wire_roundtrip (offer);
  answer = answer_ok (offer_wire, bob);
  answer_wire = wire_roundtrip (answer);

  a = negotiate_ok (offer, answer_wire, TRUE);
  b = negotiate_ok (answer, offer_wire, FALSE);
  g_assert_cmpuint (a->len, ==, 2);
  g_assert_cmpuint (b->len, ==, 2);

  for (guint i = 0; i < 2; i++) {
    MtSdpNegotiated *na = negotiated_at (a, i), *nb = negotiated_at (b, i);

    g_assert_true (na->enabled && nb->enabled);
    g_assert_true (mt_sdp_codec_matches (na->send_codec, nb->recv_codec));
    g_assert_cmpuint (na->send_codec->pt, ==, nb->recv_codec->pt);
    g_assert_cmpuint (nb->send_codec->pt, ==, na->recv_codec->pt);
    g_assert_cmpuint (na->send_dtmf_pt, ==, nb->recv_dtmf_pt);
    g_assert_cmpint (na->direction, ==, MT_SDP_SENDRECV);
  }
  /* Alice prefers opus, Bob's filter order does not matter to his answer */
  g_assert_cmpstr (negotiated_at (a, 0)->send_codec->name, ==, "opus");
  /* telephone-event at Opus's rate: both offered it (RFC 4733 7.1.1) */
  g_assert_cmpuint (negotiated_at (a, 0)->send_dtmf_pt, ==, 100);
  g_assert_cmpuint (negotiated_at (a, 0)->dtmf_clock_rate, ==, 48000);
  g_assert_cmpstr (negotiated_at (a, 0)->remote_address, ==, "192.0.2.20");
  g_assert_cmpuint (negotiated_at (a, 0)->remote_rtp_port, ==, 50000);
  g_assert_cmpuint (negotiated_at (a, 0)->remote_rtcp_port, ==, 50001);
  g_assert_cmpstr (negotiated_at (a, 1)->send_codec->name, ==, "H264");
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (negotiated_at (a, 1)->send_codec), ==, 1);
  g_assert_cmpstr (negotiated_at (b, 1)->remote_address, ==, "192.0.2.10");
  g_assert_cmpuint (negotiated_at (b, 1)->remote_rtp_port, ==, 40002);
}

/* We offered opus as 111; a peer renumbering to 107 in its answer means we
 * send 107 and receive 111. */
static void
test_negotiate_offerer_renumbered (void)
{
  g_autoptr (MtSdpLocal) alice = make_local ("192.0.2.10", 40000, 40002);
  g_autoptr (MtSdpSession) offer = mt_sdp_build_offer (alice, 1);
  g_autoptr (MtSdpSession) answer = parse_ok (
    "v=0\n"
    "o=bob 5 5 IN IP4 192.0.2.20\n"
    "s=-\n"
    "c=IN IP4 192.0.2.20\n"
    "t=0 0\n"
    "m=audio 50000 RTP/AVP 107 100\n"
    "a=rtpmap:107 opus/48000/2\n"
    "a=rtpmap:100 telephone-event/8000\n"
    "a=rtcp:50005\n"
    "m=video 50002 RTP/AVP 120\n"
    "a=rtpmap:120 VP8/90000\n"
    "a=recvonly\n");
  g_autoptr (GPtrArray) n = negotiate_ok (offer, answer, TRUE);
  MtSdpNegotiated *audio = negotiated_at (n, 0), *video = negotiated_at (n, 1);

  assert_codec (audio->send_codec, "opus", 107, 48000, 2);
  assert_codec (audio->recv_codec, "opus", 111, 48000, 2);
  g_assert_cmpstr (audio->recv_codec->fmtp, ==, "useinbandfec=1;usedtx=1");
  g_assert_cmpuint (audio->send_dtmf_pt, ==, 100);
  g_assert_cmpuint (audio->recv_dtmf_pt, ==, 101);
  g_assert_cmpuint (audio->remote_rtcp_port, ==, 50005);
  g_assert_cmpstr (audio->remote_rtcp_address, ==, "192.0.2.20");
  assert_codec (video->send_codec, "VP8", 120, 90000, 1);
  assert_codec (video->recv_codec, "VP8", 96, 90000, 1);
  /* the peer only receives video: we only send */
  g_assert_cmpint (video->direction, ==, MT_SDP_SENDONLY);
}

/* Peer offers opus as 107; our answer echoes 107, so both ways use it,
 * while a renumbered answer from us would split them. */
static void
test_negotiate_answerer_renumbered (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 30000 RTP/AVP 107\n"
    "a=rtpmap:107 opus/48000/2\n");
  g_autoptr (MtSdpSession) answer = parse_ok (
    "v=0\n"
    "o=- 2 2 IN IP4 192.0.2.20\n"
    "s=-\n"
    "c=IN IP4 192.0.2.20\n"
    "t=0 0\n"
    "m=audio 50000 RTP/AVP 111\n"
    "a=rtpmap:111 opus/48000/2\n");
  g_autoptr (GPtrArray) n = negotiate_ok (answer, offer, FALSE);
  MtSdpNegotiated *audio = negotiated_at (n, 0);

  g_assert_cmpuint (audio->send_codec->pt, ==, 107);
  g_assert_cmpuint (audio->recv_codec->pt, ==, 111);
  g_assert_cmpstr (audio->remote_address, ==, "198.51.100.1");
}

static void
assert_negotiate_fails (const char *offer_text,
                        const char *answer_text,
                        int         code,
                        const char *needle)
{
  g_autoptr (MtSdpSession) offer = parse_ok (offer_text);
  g_autoptr (MtSdpSession) answer = parse_ok (answer_text);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (GPtrArray) n = mt_sdp_negotiate (offer, answer, TRUE, &error);
  g_autoptr (GPtrArray) n2 = mt_sdp_negotiate (answer, offer, FALSE, &error2);

  g_assert_null (n);
  g_assert_error (error, MT_SDP_ERROR, code);
  g_assert_nonnull (strstr (error->message, needle));
  /* the same pair read from the answerer's side fails the same way */
  g_assert_null (n2);
  g_assert_error (error2, MT_SDP_ERROR, code);
}

#define OFFER_AV \
  "v=0\no=- 1 1 IN IP4 192.0.2.10\ns=-\nc=IN IP4 192.0.2.10\nt=0 0\n" \
  "m=audio 40000 RTP/AVP 111 0 101\na=rtpmap:111 opus/48000/2\na=rtpmap:101 telephone-event/8000\n" \
  "m=video 40002 RTP/AVP 96\na=rtpmap:96 VP8/90000\n"
#define ANSWER_HEAD "v=0\no=- 2 2 IN IP4 192.0.2.20\ns=-\nc=IN IP4 192.0.2.20\nt=0 0\n"

static void
test_negotiate_mismatch (void)
{
  /* extra m= line */
  assert_negotiate_fails (OFFER_AV,
                          ANSWER_HEAD
                          "m=audio 50000 RTP/AVP 0\n"
                          "m=video 50002 RTP/AVP 96\na=rtpmap:96 VP8/90000\n"
                          "m=audio 50004 RTP/AVP 0\n",
                          MT_SDP_ERROR_MISMATCH, "3 media streams");
  /* missing m= line */
  assert_negotiate_fails (OFFER_AV,
                          ANSWER_HEAD "m=audio 50000 RTP/AVP 0\n",
                          MT_SDP_ERROR_MISMATCH, "offer had 2");
  /* codec that was not offered */
  assert_negotiate_fails (OFFER_AV,
                          ANSWER_HEAD
                          "m=audio 50000 RTP/AVP 8\n"
                          "m=video 50002 RTP/AVP 96\na=rtpmap:96 VP8/90000\n",
                          MT_SDP_ERROR_MISMATCH, "PCMA");
  /* same payload number, different codec */
  assert_negotiate_fails (OFFER_AV,
                          ANSWER_HEAD
                          "m=audio 50000 RTP/AVP 0\n"
                          "m=video 50002 RTP/AVP 96\na=rtpmap:96 H264/90000\n",
                          MT_SDP_ERROR_MISMATCH, "H264");
  /* streams swapped */
  assert_negotiate_fails (OFFER_AV,
                          ANSWER_HEAD
                          "m=video 50002 RTP/AVP 96\na=rtpmap:96 VP8/90000\n"
                          "m=audio 50000 RTP/AVP 0\n",
                          MT_SDP_ERROR_MISMATCH, "in the answer");
  /* everything declined */
  assert_negotiate_fails (OFFER_AV,
                          ANSWER_HEAD "m=audio 0 RTP/AVP 111\nm=video 0 RTP/AVP 96\n",
                          MT_SDP_ERROR_NO_COMMON_CODEC, "No audio or video");
}

/* ------------------------------------------------------------------------
 * Robustness: deterministic random mutations of valid SDP
 */

static const char *const fuzz_seeds[] = {
  rfc3264_alice_offer,
  rfc3264_bob_answer,
  OFFER_AV,
  "v=0\no=- 1 1 IN IP6 2001:db8::1\ns=-\nc=IN IP6 2001:db8::1\nt=0 0\na=sendonly\n"
  "m=video 5000 RTP/AVPF 96 97\na=rtpmap:96 VP8/90000\na=rtcp-fb:96 nack pli\n"
  "a=rtpmap:97 H264/90000\na=fmtp:97 packetization-mode=1\na=rtcp-fb:* ccm fir\n"
  "a=rtcp:5001 IN IP6 2001:db8::2\na=rtcp-mux\nm=image 0 udptl t38\n",
};

static const char *const fuzz_tokens[] = {
  "\r\n", "\n", " ", "=", ":", "/", "m=", "a=", "c=IN IP4 ", "rtpmap:", "fmtp:", "rtcp:",
  "rtcp-fb:", "*", "0", "127", "128", "65535", "65536", "4294967296", "-1",
  "99999999999999999999999", "RTP/AVP", "RTP/AVPF", "opus/48000/2", "H264/90000",
  "packetization-mode=", "telephone-event", "sendonly", "inactive", "\t", "\xff", "%s%n",
};

static char *
mutate (GRand      *rand,
        const char *seed)
{
  GString *s = g_string_new (seed);
  guint n = (guint) g_rand_int_range (rand, 1, 8);

  for (guint k = 0; k < n && s->len > 0; k++) {
    gsize pos = (gsize) g_rand_int_range (rand, 0, (gint32) s->len);
    gsize span = (gsize) g_rand_int_range (rand, 1, 64);   /* MIN() evaluates twice */

    switch (g_rand_int_range (rand, 0, 6)) {
    case 0:   /* flip a byte (never to NUL: that is tested elsewhere) */
      s->str[pos] = (char) g_rand_int_range (rand, 1, 256);
      break;
    case 1:   /* delete a range */
      g_string_erase (s, (gssize) pos, (gssize) MIN (s->len - pos, span));
      break;
    case 2:   /* insert a token */
      g_string_insert (s, (gssize) pos,
                       fuzz_tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_tokens))]);
      break;
    case 3:   /* truncate */
      g_string_truncate (s, pos);
      break;
    case 4: { /* duplicate a chunk */
      gsize len = MIN (s->len - pos, span);
      g_autofree char *chunk = g_strndup (s->str + pos, len);

      g_string_insert (s, (gssize) g_rand_int_range (rand, 0, (gint32) s->len), chunk);
      break;
    }
    default:  /* replace a digit run with a big number */
      if (g_ascii_isdigit (s->str[pos]))
        g_string_insert (s, (gssize) pos, "9999999");
      break;
    }
  }

  return g_string_free (s, FALSE);
}

static void
exercise (const char *text,
          gsize       len,
          const MtSdpLocal *local,
          const MtSdpSession *our_offer,
          guint      *n_ok)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpSession) s = mt_sdp_parse (text, len, &error);
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (MtSdpSession) again = NULL;
  g_autoptr (GPtrArray) n = NULL;
  g_autofree char *wire = NULL;

  if (s == NULL) {
    g_assert_nonnull (error);
    g_assert_true (error->domain == MT_SDP_ERROR);
    return;
  }
  (*n_ok)++;

  /* whatever we accept, we can write and read back */
  wire = mt_sdp_session_to_string (s);
  again = mt_sdp_parse (wire, strlen (wire), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->streams->len, ==, s->streams->len);

  /* as an offer */
  answer = mt_sdp_build_answer (s, local, 1, &error);
  if (answer != NULL) {
    n = mt_sdp_negotiate (answer, s, FALSE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (n);
    g_clear_pointer (&n, g_ptr_array_unref);
  }
  g_clear_error (&error);

  /* as an answer to our offer */
  n = mt_sdp_negotiate (our_offer, s, TRUE, &error);
  g_assert_true ((n != NULL) == (error == NULL));
}

static void
test_fuzz_mutations (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  g_autoptr (MtSdpLocal) local = make_local ("192.0.2.20", 50000, 50002);
  g_autoptr (MtSdpSession) our_offer = mt_sdp_build_offer (local, 1);
  guint n_ok = 0;
  guint rounds = g_test_slow () ? 20000 : 800;

  for (guint i = 0; i < rounds; i++) {
    const char *seed = fuzz_seeds[i % G_N_ELEMENTS (fuzz_seeds)];
    g_autofree char *text = mutate (rand, seed);
    g_autofree char *wire = crlf (text);

    exercise (text, strlen (text), local, our_offer, &n_ok);
    exercise (wire, strlen (wire), local, our_offer, &n_ok);
  }

  /* mutations should not all be fatal: some must still parse */
  g_test_message ("%u of %u mutated SDPs parsed", n_ok, 2 * rounds);
  g_assert_cmpuint (n_ok, >, rounds / 10);
}

/* RFC 4733 7.1.1: an offer with telephone-event at several rates (Linphone:
 * 48000, 16000, 8000) is answered at the rate of the audio codec we pick;
 * 8000 when the codec's rate is not offered. */
static const char *linphone_offer =
  "v=0\n"
  "o=- 1 1 IN IP4 198.51.100.1\n"
  "s=-\n"
  "c=IN IP4 198.51.100.1\n"
  "t=0 0\n"
  "m=audio 4000 RTP/AVP 96 0 101 102 103\n"
  "a=rtpmap:96 opus/48000/2\n"
  "a=rtpmap:101 telephone-event/48000\n"
  "a=rtpmap:102 telephone-event/16000\n"
  "a=rtpmap:103 telephone-event/8000\n";

static void
assert_dtmf_answer (const char *audio_filter, const char *codec, guint pt, guint rate,
                    guint dtmf_pt, guint dtmf_rate)
{
  g_autoptr (MtSdpSession) offer = parse_ok (linphone_offer);
  g_autoptr (MtSdpLocal) local = make_local ("192.0.2.20", 49172, 0);
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (GPtrArray) result = NULL;
  MtSdpStream *audio;

  mt_codecs_fill_local (local, audio_filter, "none", NULL);
  answer = answer_ok (offer, local);
  audio = stream_at (answer, 0);
  assert_codec (codec_at (audio, 0), codec, pt, rate, codec[0] == 'o' ? 2 : 1);
  g_assert_cmpuint (audio->codecs->len, ==, 2);
  assert_codec (codec_at (audio, 1), "telephone-event", dtmf_pt, dtmf_rate, 1);
  /* both roles agree on the payload number and the rate */
  result = negotiate_ok (answer, offer, FALSE);
  g_assert_cmpuint (negotiated_at (result, 0)->send_dtmf_pt, ==, dtmf_pt);
  g_assert_cmpuint (negotiated_at (result, 0)->recv_dtmf_pt, ==, dtmf_pt);
  g_assert_cmpuint (negotiated_at (result, 0)->dtmf_clock_rate, ==, dtmf_rate);
  g_clear_pointer (&result, g_ptr_array_unref);
  result = negotiate_ok (offer, answer, TRUE);
  g_assert_cmpuint (negotiated_at (result, 0)->send_dtmf_pt, ==, dtmf_pt);
  g_assert_cmpuint (negotiated_at (result, 0)->dtmf_clock_rate, ==, dtmf_rate);
}

static void
test_answer_dtmf_rate (void)
{
  assert_dtmf_answer (NULL, "opus", 96, 48000, 101, 48000);
  assert_dtmf_answer ("PCMU", "PCMU", 0, 8000, 103, 8000);
}

static void
test_answer_dtmf_rate_fallback (void)
{
  g_autoptr (MtSdpSession) offer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 4000 RTP/AVP 96 101\n"
    "a=rtpmap:96 opus/48000/2\n"
    "a=rtpmap:101 telephone-event/8000\n");
  g_autoptr (MtSdpLocal) local = make_local ("192.0.2.20", 49172, 0);
  g_autoptr (MtSdpSession) answer = answer_ok (offer, local);

  /* baresip and most phones: 8000 with any codec; we take it */
  assert_codec (codec_at (stream_at (answer, 0), 1), "telephone-event", 101, 8000, 1);
}

/* Our offer has telephone-event at 8000 and 48000 along with Opus; an
 * answer that keeps both: we send and receive events at Opus's rate */
static void
test_offer_dtmf_rate (void)
{
  g_autoptr (MtSdpLocal) local = mt_sdp_local_new ();
  g_autoptr (MtSdpSession) offer = NULL;
  g_autoptr (MtSdpSession) answer = parse_ok (
    "v=0\n"
    "o=- 1 1 IN IP4 198.51.100.1\n"
    "s=-\n"
    "c=IN IP4 198.51.100.1\n"
    "t=0 0\n"
    "m=audio 4000 RTP/AVP 111 101 100\n"
    "a=rtpmap:111 opus/48000/2\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=rtpmap:100 telephone-event/48000\n");
  g_autoptr (GPtrArray) negotiated = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  MtSdpNegotiated *n;

  mt_codecs_fill_local (local, "opus,PCMU", "none", NULL);
  local->address = g_strdup ("192.0.2.20");
  local->audio_port = 50000;
  offer = mt_sdp_build_offer (local, 42);
  text = mt_sdp_session_to_string (offer);
  g_assert_nonnull (strstr (text, "m=audio 50000 RTP/AVP 111 0 101 100\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:100 telephone-event/48000\r\n"));

  negotiated = mt_sdp_negotiate (offer, answer, TRUE, &error);
  g_assert_no_error (error);
  n = g_ptr_array_index (negotiated, 0);
  g_assert_cmpstr (n->send_codec->name, ==, "opus");
  g_assert_cmpuint (n->send_dtmf_pt, ==, 100);
  g_assert_cmpuint (n->recv_dtmf_pt, ==, 100);
  g_assert_cmpuint (n->dtmf_clock_rate, ==, 48000);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdp/codec/basics", test_codec_basics);
  g_test_add_func ("/sdp/direction", test_direction);
  g_test_add_func ("/sdp/local/defaults", test_local_defaults);
  g_test_add_func ("/sdp/local/registry-offer", test_local_registry_offer);
  g_test_add_func ("/sdp/local/filter-single", test_local_filter_single);
  g_test_add_func ("/sdp/local/filter-order", test_local_filter_order);

  g_test_add_func ("/sdp/parse/rfc3264-offer", test_parse_rfc3264_offer);
  g_test_add_func ("/sdp/parse/static-payloads", test_parse_static_payloads);
  g_test_add_func ("/sdp/parse/canonical-names", test_parse_names_canonical);
  g_test_add_func ("/sdp/parse/avpf", test_parse_avpf);
  g_test_add_func ("/sdp/parse/rtcp", test_parse_rtcp_attribute);
  g_test_add_func ("/sdp/parse/directions", test_parse_directions);
  g_test_add_func ("/sdp/parse/other-media", test_parse_other_media);
  g_test_add_func ("/sdp/parse/lf-and-len", test_parse_lf_and_len);
  g_test_add_func ("/sdp/parse/malformed", test_parse_malformed);
  g_test_add_func ("/sdp/parse/rtpmap-without-clock-rate", test_parse_rtpmap_without_clock_rate);
  g_test_add_func ("/sdp/codec/zero-clock-rate", test_codec_zero_clock_rate);
  g_test_add_func ("/sdp/parse/sofia-loop-guard", test_parse_sofia_loop_guard);
  g_test_add_func ("/sdp/parse/binary-and-huge", test_parse_binary_and_huge);

  g_test_add_func ("/sdp/to-string/exact", test_to_string_exact);
  g_test_add_func ("/sdp/offer/roundtrip", test_offer_roundtrip);
  g_test_add_func ("/sdp/offer/audio-only-and-hold", test_offer_audio_only_and_hold);

  g_test_add_func ("/sdp/answer/rfc3264-10.1", test_answer_rfc3264_10_1);
  g_test_add_func ("/sdp/answer/rfc3264-10.2", test_answer_rfc3264_10_2);
  g_test_add_func ("/sdp/answer/rfc4317-audio-video", test_answer_rfc4317_audio_video);
  g_test_add_func ("/sdp/answer/rfc4317-audio-only", test_answer_rfc4317_audio_only);
  g_test_add_func ("/sdp/answer/rfc4317-reject-stream", test_answer_rfc4317_reject_stream);
  g_test_add_func ("/sdp/answer/directions", test_answer_directions);
  g_test_add_func ("/sdp/answer/dynamic-pt", test_answer_dynamic_pt);
  g_test_add_func ("/sdp/answer/h264-modes", test_answer_h264_modes);
  g_test_add_func ("/sdp/answer/no-common-codec", test_answer_no_common_codec);
  g_test_add_func ("/sdp/answer/no-common-codec-variants", test_answer_no_common_codec_variants);
  g_test_add_func ("/sdp/answer/rtcp-and-mux", test_answer_rtcp_and_mux);
  g_test_add_func ("/sdp/answer/dtmf-rate", test_answer_dtmf_rate);
  g_test_add_func ("/sdp/answer/dtmf-rate-fallback", test_answer_dtmf_rate_fallback);
  g_test_add_func ("/sdp/offer/dtmf-rate", test_offer_dtmf_rate);

  g_test_add_func ("/sdp/negotiate/rfc3264-10.1-offerer", test_negotiate_rfc3264_10_1_offerer);
  g_test_add_func ("/sdp/negotiate/both-sides", test_negotiate_both_sides);
  g_test_add_func ("/sdp/negotiate/offerer-renumbered", test_negotiate_offerer_renumbered);
  g_test_add_func ("/sdp/negotiate/answerer-renumbered", test_negotiate_answerer_renumbered);
  g_test_add_func ("/sdp/negotiate/hold-offerer", test_negotiate_hold_offerer);
  g_test_add_func ("/sdp/negotiate/mismatch", test_negotiate_mismatch);
  g_test_add_func ("/sdp/negotiate/peer-spelling", test_negotiate_peer_spelling);

  g_test_add_func ("/sdp/fuzz/mutations", test_fuzz_mutations);

  return g_test_run ();
}

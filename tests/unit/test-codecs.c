/* test-codecs.c: the codec registry (mt-codecs.c) and what the media session
 * builds from it on this machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "mt-codecs.h"
#include "mt-media-session.h"

static gboolean
really_exists (const char *factory_name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (factory_name);

  return factory != NULL;
}

/* A machine with neither x264/libav nor OpenH264 */
static gboolean
exists_without_h264 (const char *factory_name)
{
  return !g_str_has_prefix (factory_name, "x264") && !g_str_has_prefix (factory_name, "openh264") &&
         !g_str_equal (factory_name, "avdec_h264");
}

/* The GNOME Flatpak runtime: OpenH264, no x264/libav */
static gboolean
exists_flatpak (const char *factory_name)
{
  return !g_str_has_prefix (factory_name, "x264") && !g_str_has_prefix (factory_name, "av");
}

/* Only G.711 mu-law */
static gboolean
exists_pcmu_only (const char *factory_name)
{
  return strstr (factory_name, "mulaw") != NULL || strstr (factory_name, "pcmu") != NULL;
}

static gboolean
is_dtmf (const MtCodec *codec)
{
  return g_str_equal (codec->name, "telephone-event");
}

static char *
pt_list (GPtrArray *codecs)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < codecs->len; i++)
    g_string_append_printf (out, "%s%u", i ? " " : "",
                            ((MtSdpCodec *) g_ptr_array_index (codecs, i))->pt);
  return g_string_free (out, FALSE);
}

/* ---- the table ---------------------------------------------------------- */

static void
check_chain (const MtCodec *codec, const MtCodecChain *chain)
{
  g_assert_nonnull (chain->encoder);
  g_assert_nonnull (chain->payloader);
  g_assert_nonnull (chain->depayloader);
  g_assert_nonnull (chain->decoder);
  /* the media session finds them by these names */
  g_assert_nonnull (strstr (chain->encoder, "name=enc"));
  g_assert_nonnull (strstr (chain->decoder, "name=dec"));
  g_assert_nonnull (chain->need[0]);
  /* a property and its value, or neither */
  g_assert_true ((chain->single_nal_property == NULL) == (chain->single_nal_value == NULL));
  if (chain->single_nal_property)
    g_assert_cmpstr (codec->name, ==, "H264");
}

static void
test_table_consistency (void)
{
  gsize n = 0;
  const MtCodec *table = mt_codecs_get_table (&n);
  guint n_dtmf = 0;

  g_assert_cmpuint (n, >=, 8);
  for (gsize i = 0; i < n; i++)
    {
      const MtCodec *row = &table[i];
      guint n_chains = mt_codec_get_n_chains (row);

      g_test_message ("row %s/%u pt %u", row->name, row->clock_rate, row->pt);
      g_assert_true (row->name && *row->name);
      g_assert_true (row->encoding_name && *row->encoding_name);
      g_assert_cmpuint (row->pt, <=, 127);
      g_assert_cmpuint (row->channels, >=, 1);
      g_assert_true (row->kind == MT_SDP_MEDIA_AUDIO || row->kind == MT_SDP_MEDIA_VIDEO);
      /* RFC 3551 static numbers below 96, dynamic ones above */
      g_assert_true (row->pt < 35 || row->pt >= 96);

      if (row->kind == MT_SDP_MEDIA_VIDEO)
        {
          g_assert_cmpuint (row->clock_rate, ==, 90000);
          g_assert_cmpuint (row->channels, ==, 1);
          g_assert_true (row->rtcp_fb);          /* nack, pli, fir: keyframes on demand */
          g_assert_cmpuint (n_chains, >=, 1);
        }
      else
        {
          g_assert_true (row->clock_rate == 8000 || row->clock_rate == 16000 ||
                         row->clock_rate == 48000);
          g_assert_false (row->rtcp_fb);
          if (is_dtmf (row))
            {
              n_dtmf++;
              g_assert_cmpuint (n_chains, ==, 0);
            }
          else
            {
              g_assert_cmpuint (n_chains, >=, 1);
              g_assert_nonnull (row->raw_caps);
            }
        }
      for (guint c = 0; c < n_chains; c++)
        check_chain (row, &row->chains[c]);

      /* no payload number twice within a kind, no format twice */
      for (gsize j = i + 1; j < n; j++)
        {
          if (table[j].kind != row->kind)
            continue;
          g_assert_cmpuint (table[j].pt, !=, row->pt);
          g_assert_false (g_ascii_strcasecmp (table[j].name, row->name) == 0 &&
                          table[j].clock_rate == row->clock_rate &&
                          g_strcmp0 (table[j].fmtp, row->fmtp) == 0);
        }
    }
  /* telephone-event at 8000 and at Opus's 48000 */
  g_assert_cmpuint (n_dtmf, ==, 2);

  /* opus's channels decide the RTP caps' encoding-params */
  g_assert_cmpuint (mt_codecs_lookup ("opus")->channels, ==, 2);
  g_assert_cmpuint (mt_codecs_lookup ("opus")->clock_rate, ==, 48000);
  /* RFC 3551: G722 says 8000 in SDP, samples at 16000 */
  g_assert_cmpuint (mt_codecs_lookup ("G722")->clock_rate, ==, 8000);
  g_assert_nonnull (strstr (mt_codecs_lookup ("G722")->raw_caps, "rate=16000"));
}

static void
test_lookup_and_chains (void)
{
  const MtCodec *h264 = mt_codecs_lookup ("h264");
  const MtCodec *dtmf = mt_codecs_lookup ("Telephone-Event");
  const MtCodecChain *chain;

  g_assert_nonnull (h264);
  g_assert_cmpstr (h264->name, ==, "H264");
  g_assert_null (mt_codecs_lookup ("G729"));
  g_assert_null (mt_codecs_lookup (""));

  /* preferred chain first, OpenH264 where x264/libav are missing */
  g_assert_cmpuint (mt_codec_get_n_chains (h264), ==, 2);
  chain = mt_codec_pick_chain (h264, exists_flatpak);
  g_assert_true (chain == &h264->chains[1]);
  g_assert_nonnull (strstr (chain->encoder, "openh264enc"));
  g_assert_true (mt_codec_is_usable (h264, exists_flatpak));
  /* none installed: the first chain, so that building it names what is missing */
  chain = mt_codec_pick_chain (h264, exists_without_h264);
  g_assert_true (chain == &h264->chains[0]);
  g_assert_false (mt_codec_chain_is_installed (chain, exists_without_h264));
  g_assert_false (mt_codec_is_usable (h264, exists_without_h264));

  /* telephone-event needs no elements of its own */
  g_assert_nonnull (dtmf);
  g_assert_null (mt_codec_pick_chain (dtmf, exists_without_h264));
  g_assert_true (mt_codec_is_usable (dtmf, exists_pcmu_only));
}

static void
test_to_sdp (void)
{
  g_autoptr(MtSdpCodec) h264 = mt_codec_to_sdp (mt_codecs_lookup ("H264"));
  g_autoptr(MtSdpCodec) opus = mt_codec_to_sdp (mt_codecs_lookup ("opus"));

  g_assert_cmpstr (h264->name, ==, "H264");
  g_assert_cmpuint (h264->pt, ==, 97);
  g_assert_cmpuint (mt_sdp_codec_get_h264_packetization_mode (h264), ==, 1);
  g_assert_true (h264->fb_nack && h264->fb_nack_pli && h264->fb_ccm_fir);
  g_assert_cmpuint (opus->channels, ==, 2);
  g_assert_cmpstr (opus->fmtp, ==, "useinbandfec=1;usedtx=1");
  g_assert_false (opus->fb_nack || opus->fb_nack_pli || opus->fb_ccm_fir);
}

/* ---- filters ------------------------------------------------------------ */

static void
assert_fill (const char *audio_filter, const char *video_filter, MtElementExistsFunc exists,
             const char *audio_pts, const char *video_pts)
{
  g_autoptr(MtSdpLocal) local = mt_sdp_local_new ();
  g_autofree char *audio = NULL;
  g_autofree char *video = NULL;

  mt_codecs_fill_local (local, audio_filter, video_filter, exists);
  audio = pt_list (local->audio_codecs);
  video = pt_list (local->video_codecs);
  g_assert_cmpstr (audio, ==, audio_pts);
  g_assert_cmpstr (video, ==, video_pts);
}

static void
test_filters (void)
{
  assert_fill (NULL, NULL, NULL, "111 9 0 8 101 100", "96 97 98");
  assert_fill ("", "", NULL, "111 9 0 8 101 100", "96 97 98");
  /* restrict and reorder, case-insensitive, spaces and repeats ignored */
  assert_fill ("pcma, OPUS ,pcma", "h264", NULL, "8 111 101 100", "97 98");
  /* telephone-event only with a codec, and always after the codecs */
  assert_fill ("telephone-event", "VP8", NULL, "", "96");
  assert_fill ("telephone-event,G722", "none", NULL, "9 101", "");
  /* and at 48000 only along with a codec at that rate (Opus): RFC 4733 7.1.1 */
  assert_fill ("opus", "none", NULL, "111 101 100", "");
  assert_fill ("PCMU,G722", "none", NULL, "0 9 101", "");
  assert_fill ("G729", "VP9", NULL, "", "");
  /* only what is installed, in the same order */
  assert_fill (NULL, NULL, exists_pcmu_only, "0 101", "");
  assert_fill ("opus", NULL, exists_pcmu_only, "", "");
  assert_fill (NULL, "H264,VP8", exists_without_h264, "111 9 0 8 101 100", "96");
  assert_fill (NULL, "H264,VP8", exists_flatpak, "111 0 8 101 100", "97 98 96");
}

/* ---- this machine's GStreamer ---------------------------------------------- */

static void
assert_builds (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) bin = NULL;

  g_test_message ("building: %s", description);
  bin = gst_parse_bin_from_description (description, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bin);
  gst_object_ref_sink (bin);
}

static void
assert_chain_builds (const MtCodec *codec, const MtCodecChain *chain)
{
  /* as the media session puts them together */
  g_autofree char *send = codec->kind == MT_SDP_MEDIA_AUDIO
    ? g_strdup_printf ("audioconvert ! audioresample ! %s ! %s ! %s pt=%u", codec->raw_caps,
                       chain->encoder, chain->payloader, codec->pt)
    : g_strdup_printf ("videoconvert ! %s ! %s pt=%u", chain->encoder, chain->payloader, codec->pt);
  g_autofree char *recv = g_strdup_printf ("%s ! %s", chain->depayloader, chain->decoder);

  assert_builds (send);
  assert_builds (recv);
  if (chain->single_nal_property)
    {
      g_autoptr(GstElement) enc = NULL;
      g_autoptr(GstElement) bin = gst_parse_bin_from_description (chain->encoder, FALSE, NULL);

      g_assert_nonnull (bin);
      gst_object_ref_sink (bin);
      enc = gst_bin_get_by_name (GST_BIN (bin), "enc");
      g_assert_nonnull (enc);
      g_assert_nonnull (g_object_class_find_property (G_OBJECT_GET_CLASS (enc),
                                                      chain->single_nal_property));
    }
}

/* Every row with elements has an installed chain here (the preferred one or
 * its fallback), and every installed chain builds with its settings. */
static void
test_element_chains_build (void)
{
  gsize n = 0;
  const MtCodec *table = mt_codecs_get_table (&n);

  for (gsize i = 0; i < n; i++)
    {
      guint n_chains = mt_codec_get_n_chains (&table[i]);
      const MtCodecChain *picked = mt_codec_pick_chain (&table[i], really_exists);

      if (n_chains == 0)
        continue;
      g_assert_true (mt_codec_chain_is_installed (picked, really_exists));
      for (guint c = 0; c < n_chains; c++)
        {
          if (mt_codec_chain_is_installed (&table[i].chains[c], really_exists))
            assert_chain_builds (&table[i], &table[i].chains[c]);
          else
            g_test_message ("%s chain %u not installed here", table[i].name, c);
        }
    }
}

/* ---- the media session's offer ----------------------------------------------- */

static MtMediaSession *
session_new (const char *audio_filter, const char *video_filter)
{
  g_autoptr(MtMediaConfig) config = mt_media_config_new ();
  g_autoptr(GError) error = NULL;
  MtMediaSession *session;

  g_free (config->video_source);
  config->video_source = g_strdup ("test");
  config->audio_codecs = g_strdup (audio_filter);
  config->video_codecs = g_strdup (video_filter);
  session = mt_media_session_new (config, "127.0.0.1", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static void
test_session_offer (void)
{
  g_autoptr(MtMediaSession) session = session_new (NULL, NULL);
  g_autoptr(MtMediaSession) filtered = session_new ("PCMA,opus", "H264");
  g_autoptr(MtSdpLocal) local = mt_media_session_dup_local (session);
  g_autoptr(MtSdpLocal) expected = mt_sdp_local_new ();
  g_autoptr(MtSdpLocal) narrow = mt_media_session_dup_local (filtered);
  g_autoptr(MtSdpSession) offer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *video = NULL;
  g_autofree char *audio_line = NULL;

  /* every codec installed here (checked above), in table order */
  mt_codecs_fill_local (expected, NULL, NULL, really_exists);
  g_assert_cmpuint (expected->audio_codecs->len, ==, 6);
  g_assert_cmpuint (expected->video_codecs->len, ==, 3);
  audio = pt_list (local->audio_codecs);
  video = pt_list (local->video_codecs);
  g_assert_cmpstr (audio, ==, "111 9 0 8 101 100");
  /* with an rtx format (RFC 4588) for each video codec */
  g_assert_cmpstr (video, ==, "96 97 98 100 102 103");

  g_assert_cmpstr (local->address, ==, "127.0.0.1");
  g_assert_cmpuint (local->audio_port % 2, ==, 0);
  g_assert_cmpuint (local->audio_rtcp_port, ==, local->audio_port + 1);
  g_assert_cmpuint (local->video_port, !=, 0);
  g_assert_cmpuint (local->video_rtcp_port, ==, local->video_port + 1);

  offer = mt_sdp_build_offer (local, 7);
  text = mt_sdp_session_to_string (offer);
  audio_line = g_strdup_printf ("m=audio %u RTP/AVP 111 9 0 8 101 100\r\n", local->audio_port);
  g_assert_nonnull (strstr (text, audio_line));
  g_assert_nonnull (strstr (text, "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1\r\n"));
  g_assert_nonnull (strstr (text, "a=rtcp-fb:98 ccm fir\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:100 rtx/90000\r\na=fmtp:100 apt=96\r\n"));
  g_assert_nonnull (strstr (text, "b=AS:841\r\nb=TIAS:800000\r\n"));

  g_clear_pointer (&audio, g_free);
  g_clear_pointer (&video, g_free);
  audio = pt_list (narrow->audio_codecs);
  video = pt_list (narrow->video_codecs);
  g_assert_cmpstr (audio, ==, "8 111 101 100");
  g_assert_cmpstr (video, ==, "97 98 102 103");
}

/* ---- properties and errors ----------------------------------------------- */

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_session_properties (void)
{
  g_autoptr(MtMediaSession) session = session_new (NULL, NULL);
  guint muted_notes = 0, camera_notes = 0;
  gboolean muted = FALSE, off = FALSE;
  g_autofree char *warning = NULL;

  g_signal_connect (session, "notify::mic-muted", G_CALLBACK (count_notify), &muted_notes);
  g_signal_connect (session, "notify::camera-off", G_CALLBACK (count_notify), &camera_notes);

  mt_media_session_set_mic_muted (session, TRUE);
  mt_media_session_set_mic_muted (session, 7);          /* still TRUE: no second notify */
  g_assert_cmpuint (muted_notes, ==, 1);
  g_object_get (session, "mic-muted", &muted, "warning", &warning, NULL);
  g_assert_true (muted);
  g_assert_null (warning);   /* the test source: no camera needed */

  g_object_set (session, "camera-off", TRUE, NULL);
  g_object_set (session, "camera-off", TRUE, NULL);
  g_assert_cmpuint (camera_notes, ==, 1);
  g_assert_true (mt_media_session_get_camera_off (session));
  g_object_set (session, "camera-off", FALSE, "mic-muted", FALSE, NULL);
  g_object_get (session, "camera-off", &off, NULL);
  g_assert_false (off);
  g_assert_false (mt_media_session_get_mic_muted (session));
  g_assert_cmpuint (camera_notes, ==, 2);
  g_assert_cmpuint (muted_notes, ==, 2);

  g_assert_true (g_object_class_find_property (G_OBJECT_GET_CLASS (session), "warning")->flags &
                 G_PARAM_READABLE);
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (session), "warning")->flags &
                  G_PARAM_WRITABLE);
}

/* A machine without a camera: audio only, and the warning says so */
static void
test_session_no_camera (void)
{
  g_autofree char *empty = g_dir_make_tmp ("mt-no-camera-XXXXXX", NULL);
  g_autoptr(MtMediaConfig) config = mt_media_config_new ();
  g_autoptr(MtMediaSession) session = NULL;
  g_autoptr(MtSdpLocal) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  g_assert_nonnull (empty);
  g_setenv ("MTAVIP_DEVICE_DIR", empty, TRUE);
  session = mt_media_session_new (config, "127.0.0.1", NULL, &error);
  g_unsetenv ("MTAVIP_DEVICE_DIR");
  g_rmdir (empty);
  g_assert_no_error (error);

  g_object_get (session, "warning", &warning, NULL);
  g_assert_nonnull (warning);
  g_assert_cmpstr (warning, ==, mt_media_session_get_warning (session));
  local = mt_media_session_dup_local (session);
  g_assert_cmpuint (local->video_port, ==, 0);
  g_assert_cmpuint (local->audio_port, !=, 0);
}

static void
test_errors (void)
{
  g_autoptr(MtMediaConfig) config = mt_media_config_new ();
  g_autoptr(MtMediaSession) session = NULL;
  g_autoptr(GPtrArray) negotiated = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_sdp_negotiated_free);
  g_autoptr(MtSdpNegotiated) copy = NULL;
  MtSdpNegotiated *n = g_new0 (MtSdpNegotiated, 1);
  g_autoptr(GError) error = NULL;

  session = mt_media_session_new (config, "not an address", NULL, &error);
  g_assert_null (session);
  g_assert_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_SOCKET);
  g_clear_error (&error);

  /* something we have no elements for: refused before anything is built */
  config->video = FALSE;
  session = mt_media_session_new (config, "127.0.0.1", NULL, &error);
  g_assert_no_error (error);
  n->kind = MT_SDP_MEDIA_AUDIO;
  n->enabled = TRUE;
  n->remote_address = g_strdup ("127.0.0.1");
  n->remote_rtp_port = 9;
  n->remote_rtcp_port = 9;
  n->direction = MT_SDP_SENDRECV;
  n->send_codec = mt_sdp_codec_new ("G729", 18, 8000, 1, NULL);
  n->recv_codec = mt_sdp_codec_new ("G729", 18, 8000, 1, NULL);
  g_ptr_array_add (negotiated, n);
  g_assert_false (mt_media_session_start (session, negotiated, &error));
  g_assert_error (error, MT_MEDIA_ERROR, MT_MEDIA_ERROR_NEGOTIATION);
  g_assert_false (mt_media_session_is_running (session));

  /* negotiated copies are deep */
  copy = mt_sdp_negotiated_copy (n);
  g_assert_true (copy->send_codec != n->send_codec);
  g_assert_cmpstr (copy->recv_codec->name, ==, "G729");
  g_assert_true (copy->remote_address != n->remote_address);
  g_assert_cmpstr (copy->remote_address, ==, "127.0.0.1");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/codecs/table", test_table_consistency);
  g_test_add_func ("/codecs/lookup-and-chains", test_lookup_and_chains);
  g_test_add_func ("/codecs/to-sdp", test_to_sdp);
  g_test_add_func ("/codecs/filters", test_filters);
  g_test_add_func ("/codecs/elements-build", test_element_chains_build);
  g_test_add_func ("/codecs/session-offer", test_session_offer);
  g_test_add_func ("/codecs/session-properties", test_session_properties);
  g_test_add_func ("/codecs/session-no-camera", test_session_no_camera);
  g_test_add_func ("/codecs/errors", test_errors);

  return g_test_run ();
}

/* test-media-tuning.c: call-sized sound device buffers, the adaptive jitter
 * buffer's growth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>

#include "mt-media-tuning.h"

static void
test_jitter_starts_low_and_grows (void)
{
  /* a quiet LAN: stays at the start */
  g_assert_cmpuint (mt_media_next_jitter_latency (20, 0.5, 5, 20, 200), ==, 20);
  g_assert_cmpuint (mt_media_next_jitter_latency (20, 5.0, 5, 20, 200), ==, 20);
  /* 10 ms of jitter: three times that plus the margin */
  g_assert_cmpuint (mt_media_next_jitter_latency (20, 10.0, 5, 20, 200), ==, 35);
  /* never shrinks once grown */
  g_assert_cmpuint (mt_media_next_jitter_latency (35, 1.0, 5, 20, 200), ==, 35);
  /* capped */
  g_assert_cmpuint (mt_media_next_jitter_latency (20, 500.0, 5, 20, 200), ==, 200);
  /* a configured start above the cap wins */
  g_assert_cmpuint (mt_media_next_jitter_latency (300, 1.0, 5, 300, 200), ==, 300);
}

static gint64
get_int64 (GstElement *element, const char *name)
{
  gint64 value = 0;

  g_object_get (element, name, &value, NULL);
  return value;
}

static void
check_device (const char *factory, gint64 buffer_time)
{
  g_autoptr(GstElement) element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_test_skip ("element not installed");
      return;
    }
  gst_object_ref_sink (element);
  g_assert_true (mt_media_tune_audio_device (element));
  g_assert_cmpint (get_int64 (element, "buffer-time"), ==, buffer_time);
  g_assert_cmpint (get_int64 (element, "latency-time"), ==, MT_AUDIO_LATENCY_TIME_US);
  /* once is enough: nothing is at its default any more */
  g_assert_false (mt_media_tune_audio_device (element));
}

static void
test_pulse_devices_sized_for_calls (void)
{
  check_device ("pulsesink", MT_AUDIO_SINK_BUFFER_TIME_US);
  check_device ("pulsesrc", MT_AUDIO_SRC_BUFFER_TIME_US);
}

static void
test_alsa_devices_sized_for_calls (void)
{
  check_device ("alsasink", MT_AUDIO_SINK_BUFFER_TIME_US);
  check_device ("alsasrc", MT_AUDIO_SRC_BUFFER_TIME_US);
}

/* what a person wrote in a bin description stays */
static void
test_user_values_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) sink = gst_parse_launch ("pulsesink buffer-time=100000", &error);

  if (sink == NULL)
    {
      g_test_skip ("pulsesink not installed");
      return;
    }
  mt_media_tune_audio_device (sink);
  g_assert_cmpint (get_int64 (sink, "buffer-time"), ==, 100000);
  g_assert_cmpint (get_int64 (sink, "latency-time"), ==, MT_AUDIO_LATENCY_TIME_US);
}

static void
test_not_a_device (void)
{
  g_autoptr(GstElement) src = gst_element_factory_make ("audiotestsrc", NULL);
  g_autoptr(GstElement) queue = gst_element_factory_make ("queue", NULL);

  gst_object_ref_sink (src);
  gst_object_ref_sink (queue);
  g_assert_false (mt_media_tune_audio_device (src));
  g_assert_false (mt_media_tune_audio_device (queue));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tuning/jitter-starts-low-and-grows", test_jitter_starts_low_and_grows);
  g_test_add_func ("/tuning/pulse-devices-sized-for-calls", test_pulse_devices_sized_for_calls);
  g_test_add_func ("/tuning/alsa-devices-sized-for-calls", test_alsa_devices_sized_for_calls);
  g_test_add_func ("/tuning/user-values-kept", test_user_values_kept);
  g_test_add_func ("/tuning/not-a-device", test_not_a_device);
  return g_test_run ();
}

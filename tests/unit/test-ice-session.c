/* test-ice-session.c: two MtIceSessions on loopback find each other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-ice-session.h"
#include "mt-media-session.h"

#include <string.h>

typedef struct {
  MtIceSession *a;
  MtIceSession *b;
  GMainLoop    *loop;
} Pair;

static gboolean
both (Pair *pair, const char *state)
{
  return g_strcmp0 (mt_ice_session_get_state (pair->a, 0), state) == 0 &&
         g_strcmp0 (mt_ice_session_get_state (pair->b, 0), state) == 0;
}

static void
changed_cb (MtIceSession *ice, guint index, gpointer user_data)
{
  Pair *pair = user_data;

  if ((both (pair, "connected") && mt_ice_session_get_local_type (pair->a, 0) &&
       mt_ice_session_get_local_type (pair->b, 0)) ||
      g_strcmp0 (mt_ice_session_get_state (ice, index), "failed") == 0)
    g_main_loop_quit (pair->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static MtIceSession *
new_session (gboolean controlling)
{
  g_autoptr(MtMediaConfig) config = mt_media_config_new ();
  g_autoptr(GError) error = NULL;
  MtIceSession *ice;

  config->ice = TRUE;
  config->ice_controlling = controlling;
  ice = mt_ice_session_new (config, "127.0.0.1", 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ice);
  return ice;
}

static void
connect_sessions (Pair *pair, gboolean mux)
{
  g_autoptr(MtSdpIce) ia = NULL;
  g_autoptr(MtSdpIce) ib = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  guint rtp = 0, rtcp = 0;

  ia = mt_ice_session_dup_local (pair->a, 0, &address, &rtp, &rtcp);
  g_assert_cmpstr (address, ==, "127.0.0.1");
  g_assert_cmpuint (rtp, >, 0);
  g_assert_cmpuint (rtcp, >, 0);
  g_assert_cmpuint (rtp, !=, rtcp);
  g_assert_true (mt_sdp_ice_is_valid (ia));
  g_assert_cmpuint (ia->candidates->len, >=, 2);
  g_assert_true (mt_sdp_ice_has_default (ia, address, rtp));
  ib = mt_ice_session_dup_local (pair->b, 0, NULL, NULL, NULL);

  g_assert_true (mt_ice_session_set_remote (pair->a, 0, ib, TRUE, mux, &error));
  g_assert_no_error (error);
  g_assert_true (mt_ice_session_set_remote (pair->b, 0, ia, FALSE, mux, &error));
  g_assert_no_error (error);
  g_assert_true (mt_ice_session_uses_ice (pair->a, 0));
}

static void
test_loopback_connects (void)
{
  Pair pair = { new_session (TRUE), new_session (FALSE), g_main_loop_new (NULL, FALSE) };
  guint timeout = g_timeout_add_seconds (10, timeout_cb, pair.loop);

  g_signal_connect (pair.a, "changed", G_CALLBACK (changed_cb), &pair);
  g_signal_connect (pair.b, "changed", G_CALLBACK (changed_cb), &pair);
  connect_sessions (&pair, TRUE);
  g_main_loop_run (pair.loop);

  g_assert_cmpstr (mt_ice_session_get_state (pair.a, 0), ==, "connected");
  g_assert_cmpstr (mt_ice_session_get_state (pair.b, 0), ==, "connected");
  g_assert_cmpstr (mt_ice_session_get_local_type (pair.a, 0), ==, "host");
  g_assert_cmpstr (mt_ice_session_get_remote_type (pair.b, 0), ==, "host");

  g_source_remove (timeout);
  g_object_unref (pair.a);
  g_object_unref (pair.b);
  g_main_loop_unref (pair.loop);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ice-session/loopback-connects", test_loopback_connects);

  return g_test_run ();
}

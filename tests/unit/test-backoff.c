/* test-backoff.c: the registration retry delays (issue 14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "mt-backoff.h"

/* 2 s doubling to 5 min, without jitter: 2, 4, 8, ..., 256, 300, 300 */
static void
test_doubling_capped (void)
{
  const guint expected[] = { 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000,
                             300000, 300000, 300000 };
  MtBackoff b;

  mt_backoff_init (&b, 2000, 300000, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (mt_backoff_next (&b, 0.5), ==, expected[i]);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (mt_backoff_next (&b, 0.5), ==, 300000);
}

/* jitter spreads each delay by at most +-20 %, never past the cap, and two
 * phones that failed together do not retry in lock-step */
static void
test_jitter (void)
{
  MtBackoff b;
  guint low, high;

  mt_backoff_init (&b, 2000, 300000, 20);
  low = mt_backoff_next (&b, 0.0);
  mt_backoff_reset (&b);
  high = mt_backoff_next (&b, 0.999);
  g_assert_cmpuint (low, ==, 1600);
  g_assert_cmpuint (high, >=, 2390);
  g_assert_cmpuint (high, <=, 2400);

  for (guint i = 0; i < 40; i++)
    {
      guint d = mt_backoff_next (&b, g_random_double ());

      g_assert_cmpuint (d, >=, 1000);
      g_assert_cmpuint (d, <=, 300000);
    }
}

static void
test_reset (void)
{
  MtBackoff b;

  mt_backoff_init (&b, 2000, 300000, 0);
  mt_backoff_next (&b, 0.5);
  mt_backoff_next (&b, 0.5);
  g_assert_cmpuint (mt_backoff_next (&b, 0.5), ==, 8000);
  mt_backoff_reset (&b);
  g_assert_cmpuint (mt_backoff_next (&b, 0.5), ==, 2000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backoff/doubling-capped", test_doubling_capped);
  g_test_add_func ("/backoff/jitter", test_jitter);
  g_test_add_func ("/backoff/reset", test_reset);
  return g_test_run ();
}

/* mt-backoff.c: capped exponential back-off with jitter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "mt-backoff.h"

void
mt_backoff_init (MtBackoff *backoff, guint initial_ms, guint max_ms, guint jitter_pct)
{
  g_return_if_fail (backoff != NULL);
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  backoff->initial_ms = initial_ms;
  backoff->max_ms = max_ms;
  backoff->jitter_pct = MIN (jitter_pct, 50);
  backoff->attempt = 0;
}

void
mt_backoff_reset (MtBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);
  backoff->attempt = 0;
}

guint
mt_backoff_next (MtBackoff *backoff, double random01)
{
  guint64 delay;
  double spread;

  g_return_val_if_fail (backoff != NULL, 0);

  delay = backoff->initial_ms;
  for (guint i = 0; i < backoff->attempt && delay < backoff->max_ms; i++)
    delay *= 2;
  delay = MIN (delay, backoff->max_ms);
  if (backoff->attempt < G_MAXUINT)
    backoff->attempt++;

  spread = (CLAMP (random01, 0.0, 1.0) * 2.0 - 1.0) * backoff->jitter_pct / 100.0;
  delay = (guint64) (delay * (1.0 + spread));
  return (guint) CLAMP (delay, backoff->initial_ms / 2, backoff->max_ms);
}

/* mt-rate-control.c: the video sender's target rate from receiver reports
 * (see mt-rate-control.h for the rules)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media"

#include <math.h>

#include "mt-rate-control.h"

#define HIGH_LOSS 0.10
#define LOW_LOSS 0.02
#define GROWTH_PER_S 1.08
#define CLEAN_REPORTS_TO_FORGET 5

void
mt_rate_control_init (MtRateControl *rc,
                      guint          max_kbps)
{
  g_return_if_fail (rc != NULL);

  *rc = (MtRateControl) { 0 };
  rc->min_kbps = MT_RATE_MIN_KBPS;
  mt_rate_control_set_max (rc, max_kbps);
  rc->target_kbps = rc->max_kbps;
}

void
mt_rate_control_set_max (MtRateControl *rc,
                         guint          max_kbps)
{
  g_return_if_fail (rc != NULL);

  rc->max_kbps = MAX (max_kbps, rc->min_kbps);
  rc->target_kbps = MIN (rc->target_kbps, rc->max_kbps);
}

static void
grow (MtRateControl *rc, double seconds)
{
  /* below a recent ceiling: stay under it until it is forgotten */
  if (++rc->clean_reports >= CLEAN_REPORTS_TO_FORGET)
    rc->ceiling_kbps = 0;
  rc->target_kbps *= pow (GROWTH_PER_S, CLAMP (seconds, 0.1, 5.0));
  if (rc->ceiling_kbps > 0)
    rc->target_kbps = MIN (rc->target_kbps, 0.95 * rc->ceiling_kbps);
}

guint
mt_rate_control_update (MtRateControl *rc,
                        double         loss,
                        double         sent_kbps,
                        double         rtt_ms,
                        double         seconds)
{
  double arrived;
  gboolean queuing = FALSE;

  g_return_val_if_fail (rc != NULL, 0);

  loss = CLAMP (loss, 0.0, 1.0);
  arrived = (sent_kbps > 0 ? sent_kbps : rc->target_kbps) * (1.0 - loss);
  if (rtt_ms > 0)
    {
      if (rc->min_rtt_ms == 0 || rtt_ms < rc->min_rtt_ms)
        rc->min_rtt_ms = rtt_ms;
      queuing = rtt_ms > rc->min_rtt_ms + MT_RATE_QUEUING_MS;
    }

  if (loss > HIGH_LOSS || (loss >= LOW_LOSS && queuing))
    {
      if (loss > HIGH_LOSS)
        rc->target_kbps = MIN (rc->target_kbps * (1.0 - loss / 2), 0.9 * arrived);
      else
        rc->target_kbps = MIN (rc->target_kbps, 0.9 * arrived);
      rc->ceiling_kbps = arrived;
      rc->clean_reports = 0;
    }
  else if (loss < LOW_LOSS && !queuing)
    grow (rc, seconds);
  else if (queuing && rtt_ms > rc->min_rtt_ms + 2 * MT_RATE_QUEUING_MS)
    rc->target_kbps = MIN (rc->target_kbps, 0.95 * arrived);   /* a standing queue */

  rc->target_kbps = CLAMP (rc->target_kbps, rc->min_kbps, rc->max_kbps);
  return (guint) rc->target_kbps;
}

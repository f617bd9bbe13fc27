/* mt-backoff.h: capped exponential back-off with jitter, for retries
 *
 * A plain struct: the registration retry in MtAccount uses it, and the unit
 * tests check its delays without a network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint initial_ms;   /* first delay */
  guint max_ms;       /* the cap */
  guint jitter_pct;   /* each delay is spread by up to +- this percentage */
  guint attempt;      /* failures since the last reset */
} MtBackoff;

void  mt_backoff_init  (MtBackoff *backoff, guint initial_ms, guint max_ms, guint jitter_pct);
void  mt_backoff_reset (MtBackoff *backoff);
/* The delay before the next try, and count one more failure: initial_ms
 * doubled for each earlier failure, capped at max_ms, then moved by
 * (random01 * 2 - 1) * jitter_pct percent (random01 in [0, 1)), never above
 * max_ms and never below initial_ms / 2. */
guint mt_backoff_next  (MtBackoff *backoff, double random01);

G_END_DECLS

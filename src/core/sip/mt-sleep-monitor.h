/* mt-sleep-monitor.h: the machine suspending and resuming (logind)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MT_TYPE_SLEEP_MONITOR (mt_sleep_monitor_get_type ())
G_DECLARE_FINAL_TYPE (MtSleepMonitor, mt_sleep_monitor, MT, SLEEP_MONITOR, GObject)

/* Listens to org.freedesktop.login1.Manager's PrepareForSleep on the system
 * bus; emits "resumed" when the machine wakes up.  Without a system bus (or
 * logind) it logs that once and never emits anything. */
MtSleepMonitor *mt_sleep_monitor_new (void);

G_END_DECLS

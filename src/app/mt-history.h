/* mt-history.h: the call history, newest first, stored on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-history-entry.h"

G_BEGIN_DECLS

#define MT_TYPE_HISTORY (mt_history_get_type ())
G_DECLARE_FINAL_TYPE (MtHistory, mt_history, MT, HISTORY, GObject)

MtHistory  *mt_history_new       (void);
/* a GListModel of MtHistoryEntry, newest first */
GListModel *mt_history_get_model (MtHistory *self);
void        mt_history_add       (MtHistory *self, MtHistoryEntry *entry);

G_END_DECLS

/* mt-history-row.h: one call in the history list, with a call-back button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mt-application.h"
#include "mt-history-entry.h"

G_BEGIN_DECLS

#define MT_TYPE_HISTORY_ROW (mt_history_row_get_type ())
G_DECLARE_FINAL_TYPE (MtHistoryRow, mt_history_row, MT, HISTORY_ROW, GtkWidget)

MtHistoryRow *mt_history_row_new       (MtApplication *app);
void          mt_history_row_set_entry (MtHistoryRow *self, MtHistoryEntry *entry);
/* "0:42", "1:02:03" */
char         *mt_format_duration       (guint seconds);

G_END_DECLS

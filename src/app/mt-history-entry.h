/* mt-history-entry.h: one call in the call history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MT_HISTORY_KIND_OUTGOING,
  MT_HISTORY_KIND_INCOMING,
  MT_HISTORY_KIND_MISSED,
} MtHistoryKind;

#define MT_TYPE_HISTORY_ENTRY (mt_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (MtHistoryEntry, mt_history_entry, MT, HISTORY_ENTRY, GObject)

MtHistoryEntry *mt_history_entry_new (const char    *id,
                                      MtHistoryKind  kind,
                                      const char    *remote_uri,
                                      const char    *remote_name,
                                      gint64         start_time,
                                      guint          duration,
                                      gboolean       video);
const char     *mt_history_entry_get_id          (MtHistoryEntry *self);
MtHistoryKind   mt_history_entry_get_kind        (MtHistoryEntry *self);
const char     *mt_history_entry_get_remote_uri  (MtHistoryEntry *self);
const char     *mt_history_entry_get_remote_name (MtHistoryEntry *self);
/* unix time, seconds */
gint64          mt_history_entry_get_start_time  (MtHistoryEntry *self);
guint           mt_history_entry_get_duration    (MtHistoryEntry *self);
gboolean        mt_history_entry_get_video       (MtHistoryEntry *self);
/* "sip" (the default) or "h323": set once, right after _new () */
const char     *mt_history_entry_get_protocol    (MtHistoryEntry *self);
void            mt_history_entry_set_protocol    (MtHistoryEntry *self,
                                                  const char     *protocol);

/* a missed call refused because "Do not disturb" was on */
gboolean        mt_history_entry_get_do_not_disturb (MtHistoryEntry *self);
void            mt_history_entry_set_do_not_disturb (MtHistoryEntry *self,
                                                     gboolean        dnd);

/* the address of the account the call was on, or NULL */
const char     *mt_history_entry_get_account (MtHistoryEntry *self);
void            mt_history_entry_set_account (MtHistoryEntry *self,
                                              const char     *account);

const char     *mt_history_kind_to_string   (MtHistoryKind kind);
MtHistoryKind   mt_history_kind_from_string (const char *string);

G_END_DECLS

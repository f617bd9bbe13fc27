/* mt-history-entry.c: one call in the call history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-history-entry"

#include "mt-history-entry.h"

struct _MtHistoryEntry
{
  GObject        parent_instance;
  char          *id;
  MtHistoryKind  kind;
  char          *remote_uri;
  char          *remote_name;
  gint64         start_time;
  guint          duration;
  gboolean       video;
  char          *protocol;
  gboolean       do_not_disturb;
  char          *account;
};

G_DEFINE_FINAL_TYPE (MtHistoryEntry, mt_history_entry, G_TYPE_OBJECT)

static void
mt_history_entry_finalize (GObject *object)
{
  MtHistoryEntry *self = MT_HISTORY_ENTRY (object);

  g_free (self->id);
  g_free (self->remote_uri);
  g_free (self->remote_name);
  g_free (self->protocol);
  g_free (self->account);
  G_OBJECT_CLASS (mt_history_entry_parent_class)->finalize (object);
}

static void
mt_history_entry_class_init (MtHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mt_history_entry_finalize;
}

static void
mt_history_entry_init (MtHistoryEntry *self)
{
}

MtHistoryEntry *
mt_history_entry_new (const char    *id,
                      MtHistoryKind  kind,
                      const char    *remote_uri,
                      const char    *remote_name,
                      gint64         start_time,
                      guint          duration,
                      gboolean       video)
{
  MtHistoryEntry *self = g_object_new (MT_TYPE_HISTORY_ENTRY, NULL);

  self->id = id ? g_strdup (id) : g_uuid_string_random ();
  self->kind = kind;
  self->remote_uri = g_strdup (remote_uri ? remote_uri : "");
  self->remote_name = g_strdup (remote_name && *remote_name ? remote_name : NULL);
  self->start_time = start_time;
  self->duration = duration;
  self->video = video;
  self->protocol = g_strdup ("sip");
  return self;
}

#define GETTER(type, name, field) \
  type mt_history_entry_get_##name (MtHistoryEntry *self) \
  { \
    g_return_val_if_fail (MT_IS_HISTORY_ENTRY (self), 0); \
    return self->field; \
  }

GETTER (const char *, id, id)
GETTER (MtHistoryKind, kind, kind)
GETTER (const char *, remote_uri, remote_uri)
GETTER (const char *, remote_name, remote_name)
GETTER (gint64, start_time, start_time)
GETTER (guint, duration, duration)
GETTER (gboolean, video, video)
GETTER (const char *, protocol, protocol)

void
mt_history_entry_set_protocol (MtHistoryEntry *self, const char *protocol)
{
  g_return_if_fail (MT_IS_HISTORY_ENTRY (self));
  g_free (self->protocol);
  self->protocol = g_strdup (protocol && *protocol ? protocol : "sip");
}

gboolean
mt_history_entry_get_do_not_disturb (MtHistoryEntry *self)
{
  g_return_val_if_fail (MT_IS_HISTORY_ENTRY (self), FALSE);
  return self->do_not_disturb;
}

void
mt_history_entry_set_do_not_disturb (MtHistoryEntry *self, gboolean dnd)
{
  g_return_if_fail (MT_IS_HISTORY_ENTRY (self));
  self->do_not_disturb = !!dnd;
}

const char *
mt_history_entry_get_account (MtHistoryEntry *self)
{
  g_return_val_if_fail (MT_IS_HISTORY_ENTRY (self), NULL);
  return self->account;
}

void
mt_history_entry_set_account (MtHistoryEntry *self, const char *account)
{
  g_return_if_fail (MT_IS_HISTORY_ENTRY (self));
  g_free (self->account);
  self->account = account && *account ? g_strdup (account) : NULL;
}

const char *
mt_history_kind_to_string (MtHistoryKind kind)
{
  switch (kind)
    {
    case MT_HISTORY_KIND_INCOMING: return "incoming";
    case MT_HISTORY_KIND_MISSED: return "missed";
    case MT_HISTORY_KIND_OUTGOING:
    default: return "outgoing";
    }
}

MtHistoryKind
mt_history_kind_from_string (const char *string)
{
  if (g_strcmp0 (string, "incoming") == 0)
    return MT_HISTORY_KIND_INCOMING;
  if (g_strcmp0 (string, "missed") == 0)
    return MT_HISTORY_KIND_MISSED;
  return MT_HISTORY_KIND_OUTGOING;
}

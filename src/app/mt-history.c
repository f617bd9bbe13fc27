/* mt-history.c: the call history
 *
 * $XDG_DATA_HOME/mtavipclient/history.ini, replaced atomically on each call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-history"

#include "mt-history.h"

#include "mt-store.h"

#define HISTORY_FILE "history.ini"
#define HISTORY_MAX 500

struct _MtHistory
{
  GObject     parent_instance;
  GListStore *store;
};

G_DEFINE_FINAL_TYPE (MtHistory, mt_history, G_TYPE_OBJECT)

enum {
  SIGNAL_SAVE_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
mt_history_save (MtHistory *self)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MtHistoryEntry) e = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const char *group = mt_history_entry_get_id (e);

      g_key_file_set_string (keyfile, group, "kind",
                             mt_history_kind_to_string (mt_history_entry_get_kind (e)));
      g_key_file_set_string (keyfile, group, "remote-uri", mt_history_entry_get_remote_uri (e));
      if (mt_history_entry_get_remote_name (e))
        g_key_file_set_string (keyfile, group, "remote-name", mt_history_entry_get_remote_name (e));
      g_key_file_set_int64 (keyfile, group, "start", mt_history_entry_get_start_time (e));
      g_key_file_set_uint64 (keyfile, group, "duration", mt_history_entry_get_duration (e));
      g_key_file_set_boolean (keyfile, group, "video", mt_history_entry_get_video (e));
      g_key_file_set_string (keyfile, group, "protocol", mt_history_entry_get_protocol (e));
      if (mt_history_entry_get_account (e))
        g_key_file_set_string (keyfile, group, "account", mt_history_entry_get_account (e));
      if (mt_history_entry_get_do_not_disturb (e))
        g_key_file_set_boolean (keyfile, group, "do-not-disturb", TRUE);
    }
  if (!mt_store_save (HISTORY_FILE, keyfile, &error))
    {
      g_warning ("Could not save the call history: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, error->message);
    }
}

static void
mt_history_load (MtHistory *self)
{
  g_autoptr(GKeyFile) keyfile = mt_store_load (HISTORY_FILE);
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  /* saved newest first */
  for (guint i = 0; groups[i]; i++)
    {
      g_autofree char *kind = g_key_file_get_string (keyfile, groups[i], "kind", NULL);
      g_autofree char *uri = g_key_file_get_string (keyfile, groups[i], "remote-uri", NULL);
      g_autofree char *name = g_key_file_get_string (keyfile, groups[i], "remote-name", NULL);
      g_autofree char *protocol = g_key_file_get_string (keyfile, groups[i], "protocol", NULL);
      g_autoptr(MtHistoryEntry) entry = NULL;

      if (uri == NULL)
        continue;
      entry = mt_history_entry_new (groups[i], mt_history_kind_from_string (kind), uri, name,
                                    g_key_file_get_int64 (keyfile, groups[i], "start", NULL),
                                    g_key_file_get_uint64 (keyfile, groups[i], "duration", NULL),
                                    g_key_file_get_boolean (keyfile, groups[i], "video", NULL));
      mt_history_entry_set_protocol (entry, protocol);
      {
        g_autofree char *account = g_key_file_get_string (keyfile, groups[i], "account", NULL);

        mt_history_entry_set_account (entry, account);
      }
      mt_history_entry_set_do_not_disturb (entry, g_key_file_get_boolean (keyfile, groups[i],
                                                                          "do-not-disturb", NULL));
      g_list_store_append (self->store, entry);
    }
}

static void
mt_history_dispose (GObject *object)
{
  MtHistory *self = MT_HISTORY (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (mt_history_parent_class)->dispose (object);
}

static void
mt_history_class_init (MtHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mt_history_dispose;

  /* Saving failed (a full disk, say): what is in memory stays and goes with the
   * next save, the file keeps what was saved before. The argument: why. */
  signals[SIGNAL_SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
mt_history_init (MtHistory *self)
{
  self->store = g_list_store_new (MT_TYPE_HISTORY_ENTRY);
}

MtHistory *
mt_history_new (void)
{
  MtHistory *self = g_object_new (MT_TYPE_HISTORY, NULL);

  mt_history_load (self);
  return self;
}

GListModel *
mt_history_get_model (MtHistory *self)
{
  g_return_val_if_fail (MT_IS_HISTORY (self), NULL);
  return G_LIST_MODEL (self->store);
}

void
mt_history_add (MtHistory *self, MtHistoryEntry *entry)
{
  guint n;

  g_return_if_fail (MT_IS_HISTORY (self));
  g_return_if_fail (MT_IS_HISTORY_ENTRY (entry));

  g_list_store_insert (self->store, 0, entry);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  if (n > HISTORY_MAX)
    g_list_store_splice (self->store, HISTORY_MAX, n - HISTORY_MAX, NULL, 0);
  mt_history_save (self);
}


/* mt-store.c: crash-safe storage helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-store"

#include "mt-store.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

char *
mt_store_path (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  return g_build_filename (g_get_user_data_dir (), "mtavipclient", name, NULL);
}

GKeyFile *
mt_store_load (const char *name)
{
  g_autofree char *path = mt_store_path (name);
  g_autoptr(GError) error = NULL;
  GKeyFile *keyfile = g_key_file_new ();

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Could not read %s: %s", path, error->message);
  return keyfile;
}

gboolean
mt_store_save (const char *name, GKeyFile *keyfile, GError **error)
{
  g_autofree char *path = mt_store_path (name);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (keyfile != NULL, FALSE);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Could not create %s", dir);
      return FALSE;
    }
  data = g_key_file_to_data (keyfile, &length, NULL);
  /* g_file_set_contents: temp file + fsync + rename; on a failure the temp
   * file is removed and the old file stays as it was */
  if (!g_file_set_contents_full (path, data, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_warning ("Could not write %s: %s", path, local_error->message);
      /* the one a person can act on: a sentence, not write()'s words */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC))
        g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, _("the disk is full."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

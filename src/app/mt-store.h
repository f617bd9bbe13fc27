/* mt-store.h: crash-safe storage helpers (atomic keyfile replacement)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $XDG_DATA_HOME/mtavipclient/NAME */
char     *mt_store_path       (const char *name);
GKeyFile *mt_store_load       (const char *name);
/* write to a temporary file, fsync, rename over: a crash leaves old or new */
gboolean  mt_store_save       (const char *name, GKeyFile *keyfile, GError **error);

G_END_DECLS

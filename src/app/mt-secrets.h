/* mt-secrets.h: the SIP password in the Secret Service (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      mt_secrets_store_password_async  (const char          *account_uri,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  mt_secrets_store_password_finish (GAsyncResult  *result,
                                            GError       **error);
void      mt_secrets_lookup_password_async  (const char          *account_uri,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* NULL with no error when none is stored */
char     *mt_secrets_lookup_password_finish (GAsyncResult  *result,
                                             GError       **error);

/* The TURN password: its own item, keyed by the attribute "turn" =
 * "USER@SERVER" (mt_settings_dup_turn_key()); an empty password clears it. */
void      mt_secrets_store_turn_password_async   (const char          *turn_key,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean  mt_secrets_store_turn_password_finish  (GAsyncResult  *result,
                                                  GError       **error);
void      mt_secrets_lookup_turn_password_async  (const char          *turn_key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* NULL with no error when none is stored */
char     *mt_secrets_lookup_turn_password_finish (GAsyncResult  *result,
                                                  GError       **error);

G_END_DECLS

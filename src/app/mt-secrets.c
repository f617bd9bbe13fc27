/* mt-secrets.c: the SIP password in the Secret Service (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-secrets"

#include "config.h"

#include "mt-secrets.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

static const SecretSchema *
mt_secrets_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Account", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* A password stored under `attribute` = `key` in `schema`, or removed
 * when it is empty */
static void
store_or_clear (const SecretSchema  *schema,
                const char          *attribute,
                const char          *key,
                const char          *label,
                const char          *password,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  if (password == NULL || *password == '\0')
    secret_password_clear (schema, cancellable, callback, user_data, attribute, key, NULL);
  else
    secret_password_store (schema, SECRET_COLLECTION_DEFAULT, label, password,
                           cancellable, callback, user_data, attribute, key, NULL);
}

void
mt_secrets_store_password_async (const char          *account_uri,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (account_uri != NULL);
  /* Translators: the label of the password in the keyring; %s is a SIP address */
  label = g_strdup_printf (_("SIP password for %s"), account_uri);
  store_or_clear (mt_secrets_schema (), "account", account_uri, label, password,
                  cancellable, callback, user_data);
}

gboolean
mt_secrets_store_password_finish (GAsyncResult *result, GError **error)
{
  g_autoptr(GError) local = NULL;
  gboolean ok;

  /* both store and clear finish the same way for our purposes */
  ok = secret_password_store_finish (result, &local);
  if (!ok && local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

void
mt_secrets_lookup_password_async (const char          *account_uri,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (account_uri != NULL);
  secret_password_lookup (mt_secrets_schema (), cancellable, callback, user_data,
                          "account", account_uri, NULL);
}

char *
mt_secrets_lookup_password_finish (GAsyncResult *result, GError **error)
{
  return secret_password_lookup_finish (result, error);
}

/* ---- the TURN password ---------------------------------------------------------- */

static const SecretSchema *
mt_secrets_turn_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Turn", SECRET_SCHEMA_NONE,
    {
      { "turn", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

void
mt_secrets_store_turn_password_async (const char          *turn_key,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (turn_key != NULL);
  /* Translators: the label of the password in the keyring; %s is USER@SERVER */
  label = g_strdup_printf (_("TURN password for %s"), turn_key);
  store_or_clear (mt_secrets_turn_schema (), "turn", turn_key, label, password,
                  cancellable, callback, user_data);
}

gboolean
mt_secrets_store_turn_password_finish (GAsyncResult *result, GError **error)
{
  return mt_secrets_store_password_finish (result, error);
}

void
mt_secrets_lookup_turn_password_async (const char          *turn_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (turn_key != NULL);
  secret_password_lookup (mt_secrets_turn_schema (), cancellable, callback, user_data,
                          "turn", turn_key, NULL);
}

char *
mt_secrets_lookup_turn_password_finish (GAsyncResult *result, GError **error)
{
  return secret_password_lookup_finish (result, error);
}

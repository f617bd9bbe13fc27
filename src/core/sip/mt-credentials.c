/* mt-credentials.c: answers to digest challenges, in one place
 *
 * The account owns one MtCredentials and hands a reference to each of its
 * calls, so a call can authenticate without knowing the account. Whatever
 * decides whether a challenge deserves our password (realm, next hop) goes
 * here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-credentials"

#include <sofia-sip/msg_header.h>

#include "mt-credentials.h"

struct _MtCredentials
{
  GObject  parent_instance;

  char    *user;
  char    *password;
};

G_DEFINE_FINAL_TYPE (MtCredentials, mt_credentials, G_TYPE_OBJECT)

MtCredentials *
mt_credentials_new (const char *user)
{
  MtCredentials *self;

  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (MT_TYPE_CREDENTIALS, NULL);
  self->user = g_strdup (user);
  return self;
}


void
mt_credentials_set_password (MtCredentials *self, const char *password)
{
  g_return_if_fail (MT_IS_CREDENTIALS (self));

  g_free (self->password);
  self->password = g_strdup (password);
}

/* The realm of the first challenge, quoted as nua_authenticate() wants it */
static char *
challenge_realm (const sip_t *sip)
{
  const msg_auth_t *au = NULL;
  const char *realm;

  if (sip && sip->sip_www_authenticate)
    au = sip->sip_www_authenticate;
  else if (sip && sip->sip_proxy_authenticate)
    au = sip->sip_proxy_authenticate;
  if (au == NULL || au->au_params == NULL)
    return NULL;
  realm = msg_params_find (au->au_params, "realm=");
  if (realm == NULL)
    return NULL;
  return realm[0] == '"' ? g_strdup (realm) : g_strdup_printf ("\"%s\"", realm);
}

char *
mt_credentials_dup_for_challenge (MtCredentials *self, const sip_t *challenge)
{
  g_autofree char *realm = NULL;

  g_return_val_if_fail (MT_IS_CREDENTIALS (self), NULL);

  if (self->password == NULL)
    return NULL;
  if ((realm = challenge_realm (challenge)) == NULL)
    return NULL;
  return g_strdup_printf ("Digest:%s:%s:%s", realm, self->user, self->password);
}

static void
mt_credentials_finalize (GObject *object)
{
  MtCredentials *self = MT_CREDENTIALS (object);

  g_free (self->user);
  g_free (self->password);
  G_OBJECT_CLASS (mt_credentials_parent_class)->finalize (object);
}

static void
mt_credentials_class_init (MtCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mt_credentials_finalize;
}

static void
mt_credentials_init (MtCredentials *self)
{
}

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

#include <string.h>
#include <gio/gio.h>
#include <sofia-sip/msg_header.h>

#include "mt-credentials.h"
#include "mt-digest.h"
#include "mt-sip-uri.h"

struct _MtCredentials
{
  GObject       parent_instance;

  char         *user;
  char         *password;
  GStrv         realms;       /* the realms we answer for */
  char         *next_hop;     /* the URI every request of ours goes to */
  GPtrArray    *hop_addrs;    /* GInetAddress of next_hop, resolved on use */
  GInetAddress *source;       /* where the response being handled came from */
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

void
mt_credentials_set_server (MtCredentials *self, const char *aor, const char *next_hop)
{
  g_autoptr(GStrvBuilder) realms = g_strv_builder_new ();
  g_autofree char *aor_host = NULL;
  g_autofree char *hop_host = NULL;

  g_return_if_fail (MT_IS_CREDENTIALS (self));

  if (aor && (aor_host = mt_sip_uri_get_host (aor)))
    g_strv_builder_add (realms, aor_host);
  if (next_hop && (hop_host = mt_sip_uri_get_host (next_hop)) && g_strcmp0 (hop_host, aor_host) != 0)
    g_strv_builder_add (realms, hop_host);
  g_clear_pointer (&self->realms, g_strfreev);
  self->realms = g_strv_builder_end (realms);
  g_free (self->next_hop);
  self->next_hop = g_strdup (next_hop);
  g_clear_pointer (&self->hop_addrs, g_ptr_array_unref);
}

void
mt_credentials_set_source (MtCredentials *self, GInetAddress *source)
{
  g_return_if_fail (MT_IS_CREDENTIALS (self));
  g_set_object (&self->source, source);
}

static void
add_addresses (GPtrArray *addrs, const char *host)
{
  g_autoptr(GInetAddress) numeric = g_inet_address_new_from_string (host);
  GList *found;

  if (numeric)
    {
      g_ptr_array_add (addrs, g_steal_pointer (&numeric));
      return;
    }
  found = g_resolver_lookup_by_name (g_resolver_get_default (), host, NULL, NULL);
  for (GList *l = found; l; l = l->next)
    g_ptr_array_add (addrs, g_object_ref (l->data));
  g_resolver_free_addresses (found);
}

/* The next hop's addresses: its A/AAAA records, and with no port in the URI
 * also the targets of its SIP SRV records (RFC 3263). */
static GPtrArray *
hop_addresses (MtCredentials *self)
{
  static const char *const services[][2] = { { "sip", "udp" }, { "sip", "tcp" }, { "sips", "tcp" } };
  g_autofree char *host = NULL;

  if (self->hop_addrs)
    return self->hop_addrs;
  self->hop_addrs = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->next_hop == NULL || (host = mt_sip_uri_get_host (self->next_hop)) == NULL)
    return self->hop_addrs;
  add_addresses (self->hop_addrs, host);
  if (mt_sip_uri_get_port (self->next_hop) != 0 || g_hostname_is_ip_address (host))
    return self->hop_addrs;
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      GList *targets = g_resolver_lookup_service (g_resolver_get_default (), services[i][0],
                                                  services[i][1], host, NULL, NULL);

      for (GList *l = targets; l; l = l->next)
        add_addresses (self->hop_addrs, g_srv_target_get_hostname (l->data));
      g_resolver_free_targets (targets);
    }
  return self->hop_addrs;
}

gboolean
mt_credentials_is_next_hop (MtCredentials *self, GInetAddress *address)
{
  GPtrArray *addrs;

  g_return_val_if_fail (MT_IS_CREDENTIALS (self), FALSE);

  if (address == NULL)
    return FALSE;
  addrs = hop_addresses (self);
  for (guint i = 0; i < addrs->len; i++)
    if (g_inet_address_equal (addrs->pdata[i], address))
      return TRUE;
  return FALSE;
}

/* Did the response being handled come from our next hop? */
static gboolean
from_next_hop (MtCredentials *self)
{
  return mt_credentials_is_next_hop (self, self->source);
}

static gboolean
realm_is_ours (MtCredentials *self, const char *quoted)
{
  g_autofree char *realm = NULL;
  gsize len = strlen (quoted);

  if (len < 2 || quoted[0] != '"' || quoted[len - 1] != '"')
    return FALSE;
  realm = g_strndup (quoted + 1, len - 2);
  return self->realms && g_strv_contains ((const char *const *) self->realms, realm);
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
    {
      g_debug ("no password to answer a challenge with");
      return NULL;
    }
  if ((realm = challenge_realm (challenge)) == NULL)
    {
      g_debug ("a challenge without a realm");
      return NULL;
    }
  if (!realm_is_ours (self, realm))
    {
      g_message ("not answering a challenge for the realm %s: not our server's", realm);
      return NULL;
    }
  if (!from_next_hop (self))
    {
      g_autofree char *from = self->source ? g_inet_address_to_string (self->source) : NULL;

      g_message ("not answering a challenge from %s: not our server", from ? from : "nowhere");
      return NULL;
    }
  return mt_digest_credentials (realm, self->user, self->password);
}

static void
mt_credentials_finalize (GObject *object)
{
  MtCredentials *self = MT_CREDENTIALS (object);

  g_free (self->user);
  g_free (self->password);
  g_strfreev (self->realms);
  g_free (self->next_hop);
  g_clear_pointer (&self->hop_addrs, g_ptr_array_unref);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (mt_credentials_parent_class)->finalize (object);
}

static void
mt_credentials_class_init (MtCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mt_credentials_finalize;
  mt_digest_install ();
}

static void
mt_credentials_init (MtCredentials *self)
{
}

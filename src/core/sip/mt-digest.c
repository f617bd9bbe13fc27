/* mt-digest.c: our Digest authenticator for Sofia's auth client
 *
 * The same computation as Sofia's own plugin (RFC 2617 MD5 and MD5-sess,
 * qop auth and auth-int, through Sofia's public auth_digest functions), with
 * two differences: user and password arrive percent-escaped, and a new
 * challenge drops the stored user and password, so that only an explicit
 * nua_authenticate() (after MtCredentials looked at the challenge) answers it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-digest"

/* the layout Sofia itself is built with (it has ca_clear) */
#define SOFIA_EXTEND_AUTH_CLIENT 1

#include <stdio.h>
#include <sofia-sip/auth_client_plugin.h>
#include <sofia-sip/auth_common.h>
#include <sofia-sip/auth_digest.h>
#include <sofia-sip/base64.h>
#include <sofia-sip/su_uniqueid.h>
#include <sofia-sip/url.h>

#include "mt-digest.h"

typedef struct
{
  auth_client_t     client;
  int               ncount;
  char const       *cnonce;
  auth_challenge_t  ac[1];
} MtDigestClient;

static void
forget_credentials (auth_client_t *ca)
{
  su_free (ca->ca_home, ca->ca_user);
  su_free (ca->ca_home, ca->ca_pass);
  ca->ca_user = NULL;
  ca->ca_pass = NULL;
}

static void
new_cnonce (MtDigestClient *cda, su_home_t *home)
{
  su_guid_t guid[1];
  size_t len = BASE64_MINSIZE (sizeof guid) + 1;
  char *cnonce;

  if (cda->cnonce != NULL)
    su_free (home, (void *) cda->cnonce);
  su_guid_generate (guid);
  cda->cnonce = cnonce = su_alloc (home, len);
  base64_e (cnonce, len, guid, sizeof guid);
  cda->ncount = 0;
}

/* 2: credentials must be (re)sent, 1: updated, -1: unusable */
static int
digest_challenge (auth_client_t *ca, msg_auth_t const *ch)
{
  MtDigestClient *cda = (MtDigestClient *) ca;
  su_home_t *home = ca->ca_home;
  auth_challenge_t ac[1] = { { sizeof ac } };
  int stale;

  if (auth_digest_challenge_get (home, ac, ch->au_params) < 0)
    goto error;
  if (!ac->ac_md5 && !ac->ac_md5sess)
    goto error;
  if (ac->ac_qop && !ac->ac_auth && !ac->ac_auth_int)
    goto error;

  stale = ac->ac_stale || cda->ac->ac_nonce == NULL;
  if (ac->ac_qop && (cda->cnonce == NULL || ac->ac_stale))
    new_cnonce (cda, home);
  auth_digest_challenge_free_params (home, cda->ac);
  *cda->ac = *ac;
  /* every challenge is the application's to answer */
  forget_credentials (ca);
  return stale ? 2 : 1;

error:
  auth_digest_challenge_free_params (home, ac);
  return -1;
}

static int
digest_info (auth_client_t *ca, msg_auth_info_t const *info)
{
  MtDigestClient *cda = (MtDigestClient *) ca;
  char const *nextnonce = NULL;
  issize_t n;

  n = auth_get_params (ca->ca_home, info->ai_params, "nextnonce=", &nextnonce, NULL);
  if (n <= 0)
    return (int) n;
  cda->ac->ac_nonce = nextnonce;
  return 1;
}

static msg_header_t *
format_authorization (auth_client_t *ca, su_home_t *home, auth_response_t *ar,
                      const char *response)
{
  g_autoptr(GString) s = g_string_new ("Digest username=\"");
  const char *qop = ar->ar_auth_int ? "auth-int" : ar->ar_auth ? "auth" : NULL;
  g_autofree char *user = g_strescape (ar->ar_username, NULL);

  g_string_append_printf (s, "%s\", realm=\"%s\", nonce=\"%s\"", user, ar->ar_realm, ar->ar_nonce);
  if (ar->ar_cnonce)
    g_string_append_printf (s, ", cnonce=\"%s\"", ar->ar_cnonce);
  if (ar->ar_opaque)
    g_string_append_printf (s, ", opaque=\"%s\"", ar->ar_opaque);
  if (ar->ar_md5sess)
    g_string_append (s, ", algorithm=MD5-sess");
  g_string_append_printf (s, ", uri=\"%s\", response=\"%s\"", ar->ar_uri, response);
  if (qop)
    g_string_append_printf (s, ", qop=%s", qop);
  if (ar->ar_cnonce)
    g_string_append_printf (s, ", nc=%s", ar->ar_nc);
  return msg_header_make (home, ca->ca_credential_class, s->str);
}

static int
digest_authorize (auth_client_t     *ca,
                  su_home_t         *home,
                  char const        *method,
                  url_t const       *url,
                  msg_payload_t const *body,
                  msg_header_t     **return_headers)
{
  MtDigestClient *cda = (MtDigestClient *) ca;
  auth_challenge_t const *ac = cda->ac;
  auth_response_t ar[1] = { { 0 } };
  auth_hexmd5_t sessionkey, response;
  g_autofree char *user = NULL;
  g_autofree char *pass = NULL;
  char ncount[17];
  char *uri;

  if (ca->ca_user == NULL || ca->ca_pass == NULL || ca->ca_clear)
    return 0;
  user = g_uri_unescape_string (ca->ca_user, NULL);
  pass = g_uri_unescape_string (ca->ca_pass, NULL);
  if (user == NULL || pass == NULL || (uri = url_as_string (home, url)) == NULL)
    return -1;

  ar->ar_size = sizeof ar;
  ar->ar_username = user;
  ar->ar_realm = ac->ac_realm;
  ar->ar_nonce = ac->ac_nonce;
  ar->ar_md5 = ac->ac_md5;
  ar->ar_md5sess = ac->ac_md5sess;
  ar->ar_opaque = ac->ac_opaque;
  ar->ar_auth = ac->ac_auth;
  ar->ar_auth_int = ac->ac_auth_int;
  ar->ar_uri = uri;
  /* without qop there is neither cnonce nor nc (RFC 2617 3.2.2) */
  if ((ar->ar_auth || ar->ar_auth_int) && cda->cnonce)
    {
      g_snprintf (ncount, sizeof ncount, "%08x", (unsigned) ++cda->ncount);
      ar->ar_cnonce = cda->cnonce;
      ar->ar_nc = ncount;
    }

  auth_digest_sessionkey (ar, sessionkey, pass);
  auth_digest_response (ar, response, sessionkey, method,
                        body ? body->pl_data : "", body ? body->pl_len : 0);
  *return_headers = format_authorization (ca, home, ar, response);
  su_free (home, uri);
  return *return_headers ? 0 : -1;
}

static int
digest_clear (auth_client_t *ca)
{
  ca->ca_clear = 1;
  return 1;
}

static const auth_client_plugin_t digest_plugin = {
  .auc_plugin_size = sizeof digest_plugin,
  .auc_size = sizeof (MtDigestClient),
  .auc_name = "Digest",
  .auc_challenge = digest_challenge,
  .auc_authorize = digest_authorize,
  .auc_info = digest_info,
  .auc_clear = digest_clear,
};

/* SIP forbids Basic (RFC 3261 22.4): a password is never sent in clear */
static int
basic_authorize (auth_client_t *ca, su_home_t *home, char const *method, url_t const *url,
                 msg_payload_t const *body, msg_header_t **return_headers)
{
  return 0;
}

static const auth_client_plugin_t basic_plugin = {
  .auc_plugin_size = sizeof basic_plugin,
  .auc_size = sizeof (auth_client_t),
  .auc_name = "Basic",
  .auc_authorize = basic_authorize,
  .auc_clear = digest_clear,
};

void
mt_digest_install (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      /* Sofia 1.12.11's auc_register_plugin() takes the first slot whose
       * name does NOT match: registering "Basic" first takes Sofia's
       * Digest slot (the first), our Digest then takes that slot again.
       * With a registrar that replaces by name the result is the same. */
      if (auc_register_plugin (&basic_plugin) < 0 || auc_register_plugin (&digest_plugin) < 0)
        g_critical ("Cannot install the Digest authenticator");
      g_once_init_leave (&installed, 1);
    }
}

char *
mt_digest_credentials (const char *quoted_realm, const char *user, const char *password)
{
  g_autofree char *u = NULL;
  g_autofree char *p = NULL;

  g_return_val_if_fail (quoted_realm != NULL && user != NULL && password != NULL, NULL);

  u = g_uri_escape_string (user, NULL, FALSE);
  p = g_uri_escape_string (password, NULL, FALSE);
  return g_strdup_printf ("Digest:%s:%s:%s", quoted_realm, u, p);
}

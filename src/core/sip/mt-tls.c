/* mt-tls.c: what SIP over TLS needs beside Sofia's TLS transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-tls"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sofia-sip/tport_tag.h>

#include "mt-tls.h"

#define CHECK_TIMEOUT_S 5
#define FALLBACK_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

const char *
mt_tls_problem_to_string (MtTlsProblem problem)
{
  switch (problem)
    {
    case MT_TLS_PROBLEM_NONE: return "none";
    case MT_TLS_PROBLEM_EXPIRED: return "expired";
    case MT_TLS_PROBLEM_NOT_YET_VALID: return "not-yet-valid";
    case MT_TLS_PROBLEM_UNKNOWN_ISSUER: return "unknown-issuer";
    case MT_TLS_PROBLEM_WRONG_NAME: return "wrong-name";
    case MT_TLS_PROBLEM_REVOKED: return "revoked";
    case MT_TLS_PROBLEM_INSECURE: return "insecure";
    case MT_TLS_PROBLEM_NOT_PINNED: return "not-pinned";
    case MT_TLS_PROBLEM_HANDSHAKE: return "handshake";
    default: return "unknown";
    }
}

const char *
mt_tls_problem_to_sentence (MtTlsProblem problem)
{
  switch (problem)
    {
    case MT_TLS_PROBLEM_NONE: return _("The server’s certificate is trusted.");
    case MT_TLS_PROBLEM_EXPIRED: return _("The server’s certificate has expired.");
    case MT_TLS_PROBLEM_NOT_YET_VALID: return _("The server’s certificate is not valid yet.");
    case MT_TLS_PROBLEM_UNKNOWN_ISSUER:
      return _("The server’s certificate was not issued by an authority this computer trusts.");
    case MT_TLS_PROBLEM_WRONG_NAME: return _("The server’s certificate is for a different server name.");
    case MT_TLS_PROBLEM_REVOKED: return _("The server’s certificate has been revoked.");
    case MT_TLS_PROBLEM_INSECURE: return _("The server’s certificate uses an insecure algorithm.");
    case MT_TLS_PROBLEM_NOT_PINNED:
      return _("The server’s certificate is not the one trusted for this account.");
    case MT_TLS_PROBLEM_HANDSHAKE:
    default:
      return _("No secure connection to the server could be made.");
    }
}

/* ---- fingerprints ---------------------------------------------------------- */

char *
mt_tls_normalize_fingerprint (const char *text, GError **error)
{
  g_autoptr(GString) hex = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p))
        break;
      g_string_append_c (hex, g_ascii_tolower (*p));
    }
  if (hex->len != 64 || strspn (text, "0123456789abcdefABCDEF: ") != strlen (text))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SHA-256 fingerprint (64 hexadecimal digits)"), text);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&hex), FALSE);
}

char *
mt_tls_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

/* ---- Sofia's certificate directory ----------------------------------------------- */

static const char *
system_ca_bundle (void)
{
  const char *env = g_getenv (X509_get_default_cert_file_env ());

  if (env && g_file_test (env, G_FILE_TEST_IS_REGULAR))
    return env;
  if (g_file_test (X509_get_default_cert_file (), G_FILE_TEST_IS_REGULAR))
    return X509_get_default_cert_file ();
  return FALLBACK_CA_BUNDLE;
}

static gboolean
append_file (GString *out, const char *path, gboolean required, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      if (!required)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_string_append (out, contents);
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  return TRUE;
}

static gboolean
check_ca_file (const char *path, GError **error)
{
  g_autoptr(GError) local = NULL;
  GList *list = g_tls_certificate_list_new_from_file (path, &local);

  if (list == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s holds no PEM certificate: %s"), path,
                   local ? local->message : "");
      return FALSE;
    }
  g_list_free_full (list, g_object_unref);
  return TRUE;
}

/* a self-signed certificate and key of our own, PEM, for incoming TLS */
static char *
make_own_certificate (void)
{
  EVP_PKEY *key = EVP_EC_gen ("P-256");
  X509 *cert = X509_new ();
  BIO *bio = BIO_new (BIO_s_mem ());
  X509_NAME *name;
  char *pem = NULL;
  char *data;
  long len;

  if (key == NULL || cert == NULL || bio == NULL)
    goto out;
  X509_set_version (cert, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (cert), (long) g_random_int_range (1, G_MAXINT32));
  X509_gmtime_adj (X509_getm_notBefore (cert), -3600);
  X509_gmtime_adj (X509_getm_notAfter (cert), 365L * 24 * 3600);
  X509_set_pubkey (cert, key);
  name = X509_get_subject_name (cert);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC, (const unsigned char *) "MTAVIPClient",
                              -1, -1, 0);
  X509_set_issuer_name (cert, name);
  if (X509_sign (cert, key, EVP_sha256 ()) == 0 ||
      !PEM_write_bio_X509 (bio, cert) ||
      !PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    goto out;
  len = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, len);

out:
  BIO_free (bio);
  X509_free (cert);
  EVP_PKEY_free (key);
  return pem;
}

/* OpenSSL takes a trusted certificate as the end of a chain only when it
 * is self-signed, unless X509_V_FLAG_PARTIAL_CHAIN is set. A pinned server
 * certificate is usually issued by a CA the account does not trust (or one
 * whose certificate the server does not send), so the pinned certificate
 * itself must be able to end the chain. Sofia gives no access to its
 * OpenSSL context: the flag goes into OpenSSL's defaults for a TLS client
 * verifying a server ("ssl_server", which every such verification in this
 * process inherits). For the other accounts it changes nothing that
 * matters: their trusted certificates are CAs, and a trusted intermediate
 * was trusted anyway. */
static void
allow_pinned_leaf (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      X509_VERIFY_PARAM *param = X509_VERIFY_PARAM_new ();

      if (param == NULL ||
          !X509_VERIFY_PARAM_set1_name (param, "ssl_server") ||
          !X509_VERIFY_PARAM_set_purpose (param, X509_PURPOSE_SSL_SERVER) ||
          !X509_VERIFY_PARAM_set_trust (param, X509_TRUST_SSL_SERVER) ||
          !X509_VERIFY_PARAM_set_flags (param, X509_V_FLAG_PARTIAL_CHAIN) ||
          !X509_VERIFY_PARAM_add0_table (param))
        {
          g_warning ("Cannot let a pinned certificate end a chain: a pinned certificate "
                     "from a CA will be refused");
          X509_VERIFY_PARAM_free (param);
        }
      g_once_init_leave (&done, 1);
    }
}

guint
mt_tls_verify_policy (gboolean pinned)
{
  /* pinned: the chain must end at the pinned certificate (the only one
   * trusted), names are not checked */
  return pinned ? TPTLS_VERIFY_OUT : TPTLS_VERIFY_SUBJECTS_OUT;
}

gboolean
mt_tls_verify_date (gboolean pinned)
{
  return !pinned;
}

char *
mt_tls_make_directory (const char *extra_ca_file, gboolean pinned, GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *cafile = NULL;
  g_autofree char *agent = NULL;
  g_autofree char *own = NULL;
  g_autoptr(GString) cas = g_string_new (NULL);

  if (extra_ca_file && !check_ca_file (extra_ca_file, error))
    return NULL;
  /* pinned: no CA at all, the pin is the only trust */
  if (!pinned &&
      (!append_file (cas, system_ca_bundle (), FALSE, error) ||
       (extra_ca_file && !append_file (cas, extra_ca_file, TRUE, error))))
    return NULL;
  if (pinned)
    allow_pinned_leaf ();
  if (!(dir = g_dir_make_tmp ("mtavip-tls-XXXXXX", error)))
    return NULL;
  cafile = g_build_filename (dir, "cafile.pem", NULL);
  agent = g_build_filename (dir, "agent.pem", NULL);
  own = make_own_certificate ();
  if ((cas->len && !g_file_set_contents_full (cafile, cas->str, cas->len,
                                              G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)) ||
      (own && !g_file_set_contents_full (agent, own, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                         0600, error)))
    {
      mt_tls_remove_directory (dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

void
mt_tls_remove_directory (const char *directory)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (directory == NULL || !(dir = g_dir_open (directory, 0, NULL)))
    return;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      g_unlink (path);
    }
  g_rmdir (directory);
}

gboolean
mt_tls_add_trusted (const char *directory, GTlsCertificate *certificate, GError **error)
{
  g_autofree char *pem = NULL;
  BIO *bio;
  X509 *cert;
  unsigned long hash;

  g_return_val_if_fail (directory != NULL, FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  g_object_get (certificate, "certificate-pem", &pem, NULL);
  bio = BIO_new_mem_buf (pem, -1);
  cert = bio ? PEM_read_bio_X509 (bio, NULL, NULL, NULL) : NULL;
  BIO_free (bio);
  if (cert == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the server's certificate cannot be read");
      return FALSE;
    }
  /* OpenSSL's CA path: files named by the subject's hash, looked up when a
   * certificate is verified (so after Sofia made its TLS context) */
  hash = X509_subject_name_hash (cert);
  X509_free (cert);
  for (guint n = 0; n < 10; n++)
    {
      g_autofree char *name = g_strdup_printf ("%08lx.%u", hash, n);
      g_autofree char *path = g_build_filename (directory, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      return g_file_set_contents_full (path, pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "too many trusted certificates");
  return FALSE;
}

/* ---- what is wrong with a server's certificate ------------------------------ */

typedef struct {
  char                 *pin;
  GTlsCertificate      *peer;
  GTlsCertificateFlags  errors;
  gboolean              pinned;
  GTlsDatabase         *database;
  GSocketConnectable   *identity;
} Check;

static void
check_free (Check *check)
{
  g_free (check->pin);
  g_clear_object (&check->peer);
  g_clear_object (&check->database);
  g_clear_object (&check->identity);
  g_free (check);
}

/* the first problem a person should hear of */
static MtTlsProblem
problem_from_flags (GTlsCertificateFlags errors)
{
  static const struct { GTlsCertificateFlags flag; MtTlsProblem problem; } order[] = {
    { G_TLS_CERTIFICATE_REVOKED, MT_TLS_PROBLEM_REVOKED },
    { G_TLS_CERTIFICATE_EXPIRED, MT_TLS_PROBLEM_EXPIRED },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, MT_TLS_PROBLEM_NOT_YET_VALID },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, MT_TLS_PROBLEM_WRONG_NAME },
    { G_TLS_CERTIFICATE_UNKNOWN_CA, MT_TLS_PROBLEM_UNKNOWN_ISSUER },
    { G_TLS_CERTIFICATE_INSECURE, MT_TLS_PROBLEM_INSECURE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (errors & order[i].flag)
      return order[i].problem;
  return errors ? MT_TLS_PROBLEM_HANDSHAKE : MT_TLS_PROBLEM_NONE;
}

/* Every certificate is refused here: this connection only looks */
static gboolean
accept_certificate_cb (GTlsConnection       *conn,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       Check                *check)
{
  g_set_object (&check->peer, peer);
  check->errors = errors;
  return FALSE;
}

static MtTlsProblem
check_result (Check *check)
{
  GTlsCertificateFlags errors = check->errors;
  g_autofree char *fingerprint = check->peer ? mt_tls_certificate_fingerprint (check->peer) : NULL;

  if (check->pin)
    {
      /* the user decided to trust exactly this certificate, as it is
       * (issuer, dates, names), and no other */
      check->pinned = fingerprint && g_str_equal (fingerprint, check->pin);
      return check->pinned ? MT_TLS_PROBLEM_NONE : MT_TLS_PROBLEM_NOT_PINNED;
    }
  return problem_from_flags (errors);
}

static void
handshake_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GTlsConnection *tls = G_TLS_CONNECTION (source);

  if (g_tls_connection_handshake_finish (tls, result, &error))
    {
      /* trusted as it is: accept-certificate was not asked */
      if (check->peer == NULL && g_tls_connection_get_peer_certificate (tls))
        check->peer = g_object_ref (g_tls_connection_get_peer_certificate (tls));
      check->errors = 0;
    }
  else if (check->peer == NULL)
    {
      /* no certificate came at all: no TLS there, or it broke off */
      g_debug ("TLS check: %s", error->message);
      g_task_return_int (task, MT_TLS_PROBLEM_HANDSHAKE);
      return;
    }
  g_task_return_int (task, check_result (check));
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection)
    tls = g_tls_client_connection_new (G_IO_STREAM (connection), check->identity, &error);
  if (tls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), check->database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), check);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    (GAsyncReadyCallback) handshake_cb, g_object_ref (task));
  /* the connection stays alive in the handshake until handshake_cb */
  g_object_set_data_full (G_OBJECT (task), "tls", g_steal_pointer (&tls), g_object_unref);
}

void
mt_tls_check_async (const char          *host,
                    guint                port,
                    const char          *directory,
                    const char          *pin,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autofree char *cafile = directory ? g_build_filename (directory, "cafile.pem", NULL) : NULL;
  g_autoptr(GError) error = NULL;
  Check *check = g_new0 (Check, 1);

  g_return_if_fail (host != NULL);

  g_task_set_source_tag (task, mt_tls_check_async);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  check->pin = g_strdup (pin);
  check->identity = g_network_address_new (host, port);
  if (cafile && g_file_test (cafile, G_FILE_TEST_IS_REGULAR))
    check->database = g_tls_file_database_new (cafile, &error);
  else
    check->database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (check->database == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_socket_client_set_timeout (client, CHECK_TIMEOUT_S);
  g_socket_client_connect_async (client, check->identity, cancellable, connected_cb,
                                 g_steal_pointer (&task));
}

MtTlsProblem
mt_tls_check_finish (GAsyncResult     *result,
                     GTlsCertificate **peer,
                     gboolean         *pinned,
                     GError          **error)
{
  Check *check;
  gssize problem;

  g_return_val_if_fail (g_task_is_valid (result, NULL), MT_TLS_PROBLEM_HANDSHAKE);

  check = g_task_get_task_data (G_TASK (result));
  problem = g_task_propagate_int (G_TASK (result), error);
  if (peer)
    *peer = check->peer ? g_object_ref (check->peer) : NULL;
  if (pinned)
    *pinned = check->pinned;
  return problem < 0 ? MT_TLS_PROBLEM_HANDSHAKE : (MtTlsProblem) problem;
}

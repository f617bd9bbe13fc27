/* mt-tls.h: what SIP over TLS needs beside Sofia's TLS transport
 *
 * Sofia verifies the server's certificate itself (the real connection), but
 * only says that the connection failed. This module makes the files Sofia
 * reads (the trusted CAs, our own certificate for incoming connections),
 * tells why a server's certificate is not trusted (a second connection of
 * our own to the same server, through GIO, with the same trusted CAs), and
 * adds a certificate the user pinned by its SHA-256 fingerprint to one
 * account's trusted certificates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  MT_TLS_PROBLEM_NONE,
  MT_TLS_PROBLEM_EXPIRED,
  MT_TLS_PROBLEM_NOT_YET_VALID,
  MT_TLS_PROBLEM_UNKNOWN_ISSUER,
  MT_TLS_PROBLEM_WRONG_NAME,
  MT_TLS_PROBLEM_REVOKED,
  MT_TLS_PROBLEM_INSECURE,
  MT_TLS_PROBLEM_NOT_PINNED,    /* a pin is set and the certificate is another one */
  MT_TLS_PROBLEM_HANDSHAKE,     /* no TLS, or a handshake that failed otherwise */
} MtTlsProblem;

/* stable names, as in the CLI's JSON: "expired", "wrong-name", ... */
const char *mt_tls_problem_to_string   (MtTlsProblem problem);
/* a translated sentence for a person */
const char *mt_tls_problem_to_sentence (MtTlsProblem problem);

/* "AB:CD:..." or "abcd..." (64 hex digits, any case, ':' or spaces between)
 * as 64 lower-case hex digits; NULL with an error otherwise */
char       *mt_tls_normalize_fingerprint (const char *text, GError **error);
/* the SHA-256 fingerprint of `certificate` (64 lower-case hex digits) */
char       *mt_tls_certificate_fingerprint (GTlsCertificate *certificate);

/* A new private directory for one account's TLS transport (Sofia's
 * certificate directory): cafile.pem holds the system's trusted CAs and
 * those of `extra_ca_file` (may be NULL), agent.pem a certificate and key of
 * our own made now (for incoming TLS connections).
 *
 * `pinned`: the account trusts one certificate the user pinned and nothing
 * else: no cafile.pem (no CA vouches for anything); the pinned certificate
 * joins the directory by mt_tls_add_trusted() once our own check saw the
 * server present it. Such a transport must not check dates or names (see
 * mt_tls_pinned_verify_policy()): the user's pin decided those. */
char       *mt_tls_make_directory (const char *extra_ca_file, gboolean pinned, GError **error);
/* Sofia's TPTAG_TLS_VERIFY_POLICY and TPTAG_TLS_VERIFY_DATE for an account
 * with or without a pinned certificate (see mt_tls_make_directory()) */
guint       mt_tls_verify_policy   (gboolean pinned);
gboolean    mt_tls_verify_date     (gboolean pinned);
/* remove what mt_tls_make_directory() made */
void        mt_tls_remove_directory (const char *directory);
/* Trust `certificate` for the account whose directory this is (added to its
 * CA path: later connections find it) */
gboolean    mt_tls_add_trusted (const char *directory, GTlsCertificate *certificate,
                                GError **error);

/* Connect to host:port, do a TLS handshake with the CAs of `directory`
 * (its cafile.pem) and say what is wrong with the server's certificate.
 * `pin` (normalized, or NULL): the certificate with this fingerprint is
 * trusted whatever its issuer, dates and names (the user decided), and no
 * other one is (MT_TLS_PROBLEM_NOT_PINNED). An error only when no
 * TLS handshake could start (nothing listens, no route). */
void         mt_tls_check_async  (const char          *host,
                                  guint                port,
                                  const char          *directory,
                                  const char          *pin,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
/* `peer`: the server's certificate when one came (for mt_tls_add_trusted()) */
MtTlsProblem mt_tls_check_finish (GAsyncResult     *result,
                                  GTlsCertificate **peer,
                                  gboolean         *pinned,
                                  GError          **error);

G_END_DECLS

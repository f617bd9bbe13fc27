/* mt-digest.h: our Digest authenticator for Sofia's auth client
 *
 * Sofia hands credentials to its authenticators as one string,
 * "Digest:\"realm\":user:password", cut at each colon: a password with a
 * colon in it was cut short. mt_digest_install() replaces Sofia's "Digest"
 * plugin with one that reads user and password percent-escaped
 * (mt_digest_credentials() builds the string), and that forgets them again
 * at every new challenge so nua never answers a challenge on its own: each
 * one comes to MtCredentials, which decides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  mt_digest_install     (void);

/* NUTAG_AUTH() for @quoted_realm (with its quotes), @user and @password;
 * any byte may appear in @user and @password. */
char *mt_digest_credentials (const char *quoted_realm,
                             const char *user,
                             const char *password);

G_END_DECLS

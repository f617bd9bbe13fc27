/* mt-credentials.h: the user name and password an account answers digest
 * challenges with, shared by the account (REGISTER) and its calls (INVITE)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sofia-sip/sip.h>

G_BEGIN_DECLS

#define MT_TYPE_CREDENTIALS (mt_credentials_get_type ())
G_DECLARE_FINAL_TYPE (MtCredentials, mt_credentials, MT, CREDENTIALS, GObject)

MtCredentials *mt_credentials_new          (const char    *user);
void           mt_credentials_set_password (MtCredentials *self,
                                            const char    *password);

/* The account's address (its domain is a realm we answer for) and the URI
 * every request goes to first (its host: the other realm; its addresses:
 * the only senders whose challenges we answer). */
void           mt_credentials_set_server   (MtCredentials *self,
                                            const char    *aor,
                                            const char    *next_hop);
/* Where the response now being handled came from (NULL: unknown) */
void           mt_credentials_set_source   (MtCredentials *self,
                                            GInetAddress  *source);

/* Is @address (NULL: unknown) one of the next hop's? */
gboolean       mt_credentials_is_next_hop  (MtCredentials *self,
                                            GInetAddress  *address);

/* What nua_authenticate() takes for the challenge in a 401/407 response
 * (mt_digest_credentials()), or NULL when there is no password, the
 * response carries no challenge with a realm, the realm is not our server's
 * or the response did not come from our next hop. */
char          *mt_credentials_dup_for_challenge (MtCredentials *self,
                                                 const sip_t   *challenge);

G_END_DECLS

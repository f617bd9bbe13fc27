/* mt-credentials.h: the user name and password an account answers digest
 * challenges with, shared by the account (REGISTER) and its calls (INVITE)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <sofia-sip/sip.h>

G_BEGIN_DECLS

#define MT_TYPE_CREDENTIALS (mt_credentials_get_type ())
G_DECLARE_FINAL_TYPE (MtCredentials, mt_credentials, MT, CREDENTIALS, GObject)

MtCredentials *mt_credentials_new          (const char    *user);
void           mt_credentials_set_password (MtCredentials *self,
                                            const char    *password);

/* What nua_authenticate() takes for the challenge in a 401/407 response
 * ("Digest:\"realm\":user:password"), or NULL when there is no password or
 * the response carries no challenge with a realm. */
char          *mt_credentials_dup_for_challenge (MtCredentials *self,
                                                 const sip_t   *challenge);

G_END_DECLS

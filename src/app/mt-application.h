/* mt-application.h: the MTAVIPClient application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-account.h"
#include "mt-contacts.h"
#include "mt-history.h"
#include "mt-settings.h"

G_BEGIN_DECLS

#define MT_TYPE_APPLICATION (mt_application_get_type ())
G_DECLARE_FINAL_TYPE (MtApplication, mt_application, MT, APPLICATION, AdwApplication)

MtApplication *mt_application_new          (void);
MtContacts    *mt_application_get_contacts (MtApplication *self);
MtHistory     *mt_application_get_history  (MtApplication *self);
MtSettings    *mt_application_get_settings (MtApplication *self);
/* NULL while (re)starting; see the "account" property */
MtAccount     *mt_application_get_account  (MtApplication *self);
/* why there is no account (e.g. no free port), or NULL */
const char    *mt_application_get_account_error (MtApplication *self);
/* What a person typed as a SIP URI: the account's mt_account_dup_target_uri()
 * ("bob" and numbers take its domain); before there is an account, only
 * whole addresses. NULL with an error saying what to fix. */
char          *mt_application_dup_target_uri (MtApplication  *self,
                                              const char     *typed,
                                              GError        **error);
/* Place a call to what a person typed; the error says what to fix */
MtCall        *mt_application_place_call   (MtApplication  *self,
                                            const char     *target,
                                            gboolean        video,
                                            GError        **error);
/* The same on the account whose address is `account_uri` (any account
 * when NULL, empty or unknown) */
MtCall        *mt_application_place_call_on (MtApplication *self,
                                             const char    *account_uri,
                                             const char    *target,
                                             gboolean       video,
                                             GError       **error);
/* the addresses of every SIP account, the first one first */
GStrv          mt_application_dup_account_uris (MtApplication *self);
/* the address of the account @call came in on or went out on; NULL for a
 * direct (no account) or H.323 call */
const char    *mt_application_get_call_account (MtApplication *self,
                                                MtCall        *call);
/* the same, only when there is more than one account (so worth saying) */
const char    *mt_application_get_said_account (MtApplication *self,
                                                MtCall        *call);
/* the name to show for a SIP address: the contact's, the given one, or the address */
/* how to name the other side of @call: a contact's name only when the
 * caller is verified (mt_call_get_caller_verified()), else the raw address */
char          *mt_application_dup_caller_name (MtApplication *self,
                                               MtCall        *call);
char          *mt_application_dup_display_name (MtApplication *self,
                                                const char    *uri,
                                                const char    *fallback_name);
/* Recreate the account from the settings (after the preferences changed) */
void           mt_application_restart_account (MtApplication *self);
void           mt_application_reload_account  (MtApplication *self,
                                               const char    *id);
/* answer or resume @call, every other SIP call (any account) on hold */
void           mt_application_switch_to       (MtApplication *self,
                                               MtCall        *call);
/* The other SIP calls that are up (active or held), which `call` can be
 * transferred to (attended transfer): a new array of MtCall. The actions
 * app.transfer (call id, address as typed) and app.transfer-attended (call
 * id, other call id) transfer; a failure shows in the call's window. */
GPtrArray     *mt_application_dup_transfer_targets (MtApplication *self,
                                                    MtCall        *call);

G_END_DECLS

/* mt-call-private.h: what MtAccount needs from MtCall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define NUA_HMAGIC_T struct _MtCall
#define NUA_MAGIC_T  struct _MtAccount
#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

#include "mt-account.h"
#include "mt-call.h"

G_BEGIN_DECLS

MtCall *mt_call_new_outgoing (MtAccount      *account,
                              const char     *id,
                              const char     *uri,
                              MtMediaSession *media,
                              GError        **error);
MtCall *mt_call_new_incoming (MtAccount      *account,
                              const char     *id,
                              nua_handle_t   *nh,
                              const sip_t    *sip,
                              MtMediaSession *media);
void    mt_call_handle_event (MtCall         *self,
                              nua_event_t     event,
                              int             status,
                              const char     *phrase,
                              const sip_t    *sip,
                              tagi_t          tags[]);
/* drop the nua handle (account shutdown) */
void    mt_call_release_handle (MtCall *self);
gboolean mt_call_is_released (MtCall *self);

/* FALSE for a response nta made up (transport error, timeout) */
gboolean mt_sip_response_from_peer (const sip_t *sip);

/* from MtAccount */
nua_t  *mt_account_get_nua (MtAccount *self);
/* "Digest:\"realm\":user:password" for a challenge, or NULL without a password */
char   *mt_account_dup_credentials (MtAccount *self, const sip_t *challenge);

G_END_DECLS

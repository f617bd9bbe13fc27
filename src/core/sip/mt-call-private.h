/* mt-call-private.h: what MtAccount needs from MtCall
 *
 * A call knows nothing of its account: it gets the nua stack (or the handle
 * of an incoming INVITE) and the credentials to answer challenges with when
 * it is made, and the account feeds it the events of its handle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mt-nua.h"
#include "mt-call.h"
#include "mt-credentials.h"

G_BEGIN_DECLS

/* NULL when nua cannot make a handle for `uri`. over_tls: the account
 * sends every request over TLS (its transport is TLS), so the signalling
 * is secure whatever `uri` says */
MtCall *mt_call_new_outgoing (nua_t          *nua,
                              MtCredentials  *credentials,
                              const char     *id,
                              const char     *uri,
                              gboolean        over_tls,
                              MtMediaSession *media);
/* The INVITE goes without SDP (RFC 3261 13.2.1, "delayed offer"): the 2xx
 * carries the peer's offer, our answer goes in the ACK */
MtCall *mt_call_new_outgoing_delayed_offer (nua_t          *nua,
                                            MtCredentials  *credentials,
                                            const char     *id,
                                            const char     *uri,
                                            gboolean        over_tls,
                                            MtMediaSession *media);
/* verified: the INVITE came from our server, which vouches for the From;
 * over_tls: the account's transport is TLS (it listens on TLS only) */
MtCall *mt_call_new_incoming (MtCredentials  *credentials,
                              const char     *id,
                              nua_handle_t   *nh,
                              const sip_t    *sip,
                              gboolean        verified,
                              gboolean        over_tls,
                              MtMediaSession *media);
/* 180 Ringing, unless the call was answered or refused meanwhile */
void    mt_call_ring (MtCall *self);
void    mt_call_handle_event (MtCall         *self,
                              nua_event_t     event,
                              int             status,
                              const char     *phrase,
                              const sip_t    *sip,
                              tagi_t          tags[]);
/* the nua of an incoming call's handle, to answer requests inside its
 * dialog (UPDATE) by what nua is delivering now */
void    mt_call_set_nua (MtCall *self, nua_t *nua);
/* The call that follows the peer's REFER of `referrer` (inside a handler
 * of its "transfer" signal): nua NOTIFYs the referrer of its progress;
 * `referrer` ends "transferred" once it is answered */
MtCall *mt_call_new_transfer (nua_t          *nua,
                              MtCredentials  *credentials,
                              const char     *id,
                              const char     *uri,
                              gboolean        over_tls,
                              MtMediaSession *media,
                              MtCall         *referrer);
/* RFC 3891: the call that an incoming INVITE's Replaces names (a new
 * reference), or NULL; *confirmed when that call is up (it can be replaced) */
MtCall *mt_call_find_replaced (nua_t       *nua,
                               const sip_t *sip,
                               gboolean    *confirmed);
/* `self`, just made from that INVITE, takes the place of `replaced`:
 * answered without ringing, `replaced` ends with a BYE, reason "replaced" */
void    mt_call_replace (MtCall *self, MtCall *replaced);
/* drop the nua handle (account shutdown) */
void    mt_call_release_handle (MtCall *self);
gboolean mt_call_is_released (MtCall *self);

/* nua handles that calls hold now, all calls together (for tests) */
guint   mt_call_count_handles (void);

/* why the call's TLS connection failed (before it ends tls-failed) */
void    mt_call_set_tls_problem (MtCall *self, MtTlsProblem problem);

G_END_DECLS

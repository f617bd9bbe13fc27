/* mt-account.h: one SIP identity: a nua instance, its registration and calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-call.h"
#include "mt-enums.h"
#include "mt-media-config.h"
#include "mt-tls.h"

G_BEGIN_DECLS

#define MT_TYPE_ACCOUNT (mt_account_get_type ())
G_DECLARE_FINAL_TYPE (MtAccount, mt_account, MT, ACCOUNT, GObject)

#define MT_ACCOUNT_ERROR (mt_account_error_quark ())
GQuark mt_account_error_quark (void);

typedef enum {
  MT_ACCOUNT_ERROR_LISTEN,     /* the SIP address/port cannot be used */
  MT_ACCOUNT_ERROR_INVALID,    /* a setting is malformed */
  MT_ACCOUNT_ERROR_BUSY,       /* a call is already going on */
} MtAccountError;

/* listen: "127.0.0.1:5070", "0.0.0.0:5060", "[::1]:5070" (port 0: a free one).
 * aor: "sip:alice@example.org", or NULL for direct mode (no registrar).
 * registrar: "sip:example.org:5060", NULL: the aor's host. */
MtAccount *mt_account_new (const char  *listen,
                           const char  *aor,
                           const char  *registrar,
                           MtTransport  transport,
                           GError     **error);

const char          *mt_account_get_aor                 (MtAccount *self);
/* the SIP port we listen on (chosen by us when asked for port 0) */
guint                mt_account_get_port                (MtAccount *self);
/* the contact, with a wildcard listen address (0.0.0.0) replaced by the
 * address this machine sends from: what to tell people to call */
char                *mt_account_dup_reachable_uri       (MtAccount *self);
/* the address people can call us at, e.g. sip:alice@127.0.0.1:5070 */
const char          *mt_account_get_contact_uri         (MtAccount *self);
MtRegistrationState  mt_account_get_registration_state  (MtAccount *self);
/* why registration failed: auth-failed, unreachable, network-error, ... */
MtEndReason          mt_account_get_registration_reason (MtAccount *self);
/* after a failure that may go away by itself (server down, no network): the
 * seconds until the next REGISTER; 0 when no retry is waiting */
guint                mt_account_get_registration_retry  (MtAccount *self);

void                 mt_account_set_password     (MtAccount *self, const char *password);
void                 mt_account_set_media_config (MtAccount *self, const MtMediaConfig *config);
/* registration lifetime we ask for, seconds (default 3600) */
void                 mt_account_set_expires      (MtAccount *self, guint seconds);
/* Incoming calls while a call is going on get 486 Busy Here (default TRUE) */
void                 mt_account_set_single_call  (MtAccount *self, gboolean single);
/* Calls at once (ringing or up) before an incoming one gets 486 Busy Here
 * and mt_account_call() refuses; 0 leaves it to set_single_call(). A second
 * call rings during the first (call waiting) with 2. */
void                 mt_account_set_max_calls    (MtAccount *self, guint max_calls);
/* 0: no limit */
guint                mt_account_get_max_calls    (MtAccount *self);
/* Make `call` the one we talk on: every other call goes on hold, `call` is
 * answered (ringing) or taken off hold (a call still being placed stays
 * as it is) */
void                 mt_account_switch_to        (MtAccount *self, MtCall *call);
/* Our INVITEs carry no SDP ("delayed offer"): the answer goes in the ACK */
void                 mt_account_set_delayed_offer (MtAccount *self, gboolean delayed);
/* Whether an INVITE that does not come from the registrar/proxy rings: by
 * default not with an account (refused with 403), always without one. */
void                 mt_account_set_accept_direct_calls (MtAccount *self, gboolean accept);
gboolean             mt_account_get_accept_direct_calls (MtAccount *self);

void                 mt_account_register   (MtAccount *self);
void                 mt_account_unregister (MtAccount *self);

/* What a person typed ("bob", "bob@example.org", "tel:+4930123", a sip: URI)
 * as the SIP URI to call: "bob" and numbers take the account's domain (in
 * direct mode there is none, so they need one typed). NULL with an error
 * whose message says what to fix. The one place that does this. */
char                *mt_account_dup_target_uri (MtAccount   *self,
                                                const char  *typed,
                                                GError     **error);
/* Place a call. `target` is what a person typed (see mt_account_dup_target_uri());
 * `video` FALSE for an audio-only call. */
MtCall              *mt_account_call (MtAccount   *self,
                                      const char  *target,
                                      gboolean     video,
                                      GError     **error);
/* calls not yet ended */
GList               *mt_account_list_calls (MtAccount *self);

/* Hang up every call, un-REGISTER, stop the SIP stack. */
void                 mt_account_shutdown_async  (MtAccount           *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean             mt_account_shutdown_finish (MtAccount     *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

void                 mt_account_set_instance_id  (MtAccount *self, const char *instance_id);
char                *mt_account_dup_stable_instance_id (const char *application);
/* SIP over TLS (transport TLS, or a sips: / transport=tls registrar or
 * address of record): `ca_file` (may be NULL) adds trusted CAs to the
 * system's; `pin` (may be NULL) is the SHA-256 fingerprint of a server
 * certificate this account trusts without an authority vouching for it
 * (its dates and names are still checked). NULL with an error for a
 * malformed fingerprint or CA file. */
MtAccount           *mt_account_new_tls (const char  *listen,
                                         const char  *aor,
                                         const char  *registrar,
                                         MtTransport  transport,
                                         const char  *ca_file,
                                         const char  *pin,
                                         GError     **error);
void                 mt_account_set_tls_pin     (MtAccount *self, const char *fingerprint);
const char          *mt_account_get_tls_pin     (MtAccount *self);
MtTransport          mt_account_get_transport   (MtAccount *self);
/* with registration reason tls-failed: what was wrong with the server's
 * certificate (mt_tls_problem_to_sentence() says it to a person) */
MtTlsProblem         mt_account_get_tls_problem (MtAccount *self);

G_END_DECLS

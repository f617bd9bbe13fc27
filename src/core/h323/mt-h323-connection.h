/* mt-h323-connection.h: one H.323 call on one TCP connection
 *
 * The H.225.0 state machine of a call, both directions, driving its
 * MtCall through mt-call-backend.h: Setup, Call Proceeding, Alerting,
 * Connect, Release Complete; Fast Connect for media. Internal to the
 * endpoint, which owns it and hears from it through the hooks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-call.h"
#include "mt-media-config.h"

G_BEGIN_DECLS

typedef struct _MtH323Connection MtH323Connection;

typedef struct {
  /* a call now exists: emit it (incoming: it rings) */
  void            (*call_created) (MtH323Connection *conn, MtCall *call, gpointer user_data);
  /* the connection is finished: the owner drops it (never re-entrantly) */
  void            (*closed)       (MtH323Connection *conn, gpointer user_data);
  /* TRUE when another call is up: a new one gets "user busy" */
  gboolean        (*busy)         (MtH323Connection *conn, gpointer user_data);
} MtH323ConnectionHooks;

typedef struct {
  const MtH323ConnectionHooks *hooks;
  gpointer                     user_data;
  const MtMediaConfig         *media_config;
  const char                  *alias;
  guint                        ring_timeout_s;
  const char                  *call_id;      /* MtCall id */
  gboolean                     fast_start;   /* FALSE: H.245 procedures only */
} MtH323ConnectionSetup;

/* incoming: takes the accepted socket, waits for the Setup */
MtH323Connection *mt_h323_connection_new_incoming (const MtH323ConnectionSetup *setup,
                                                   GSocketConnection           *socket);
/* outgoing: connects and sends the Setup; NULL with an error when the
 * address or media cannot be used */
MtH323Connection *mt_h323_connection_new_outgoing (const MtH323ConnectionSetup *setup,
                                                   const char                  *uri,
                                                   gboolean                     video,
                                                   GError                     **error);
/* the call, or NULL before an incoming Setup */
MtCall           *mt_h323_connection_get_call     (MtH323Connection *conn);
void              mt_h323_connection_hangup       (MtH323Connection *conn);
/* cancels what is pending and drops the call's link to us */
void              mt_h323_connection_free         (MtH323Connection *conn);

G_END_DECLS

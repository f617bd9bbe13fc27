/* mt-h323-endpoint.h: an H.323 endpoint without a gatekeeper
 *
 * Listens for H.225.0 call signalling on TCP (1720 by default) and places
 * calls to h323:[user@]host[:port] (RFC 3508). Each call is an MtCall like a
 * SIP one: the endpoint emits "call-added" (MtCall*) for every call and
 * "incoming-call" (MtCall*) for the ones that ring here, as MtAccount does.
 * Media is negotiated with Fast Connect only (no separate H.245).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "mt-call.h"
#include "mt-media-config.h"

G_BEGIN_DECLS

#define MT_H323_DEFAULT_PORT 1720

#define MT_TYPE_H323_ENDPOINT (mt_h323_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (MtH323Endpoint, mt_h323_endpoint, MT, H323_ENDPOINT, GObject)

/* `listen`: "HOST:PORT", "PORT", "[V6]:PORT", or NULL for an endpoint that
 * only calls out. Port 0 picks a free one. */
MtH323Endpoint *mt_h323_endpoint_new (const char *listen, GError **error);
/* the TCP port calls come in on, 0 when not listening */
guint       mt_h323_endpoint_get_port        (MtH323Endpoint      *self);
void        mt_h323_endpoint_set_media_config (MtH323Endpoint     *self,
                                               const MtMediaConfig *config);
/* our alias (h323-ID or digits) in the Setup; the user name by default */
void        mt_h323_endpoint_set_alias       (MtH323Endpoint      *self,
                                              const char          *alias);
/* seconds an unanswered call rings (both ways), 60 by default */
void        mt_h323_endpoint_set_ring_timeout (MtH323Endpoint     *self,
                                               guint               seconds);
/* Fast Connect on (the default) or off: off, calls use the H.245
 * procedures tunnelled in H.225.0 only (for peers without Fast Connect,
 * and to test that path) */
void        mt_h323_endpoint_set_fast_start  (MtH323Endpoint      *self,
                                              gboolean             enabled);
/* Places a call; the MtCall belongs to the endpoint (ref it to keep it).
 * Fails on an address that is not h323: or when a call is already up. */
MtCall     *mt_h323_endpoint_call            (MtH323Endpoint      *self,
                                              const char          *uri,
                                              gboolean             video,
                                              GError             **error);
/* Release every call (Release Complete goes out as the main loop runs) */
void        mt_h323_endpoint_hangup_all      (MtH323Endpoint      *self);
/* calls not yet ended */
guint       mt_h323_endpoint_count_calls     (MtH323Endpoint      *self);

/* TRUE when `uri` starts with "h323:" (any case) */
gboolean    mt_h323_uri_is_h323 (const char *uri);
/* RFC 3508: h323:[user@]host[:port][;params]. `user` may be NULL in the
 * result; port is MT_H323_DEFAULT_PORT when absent. */
gboolean    mt_h323_uri_parse   (const char  *uri,
                                 char       **user,
                                 char       **host,
                                 guint       *port,
                                 GError     **error);

G_END_DECLS

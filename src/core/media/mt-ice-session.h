/* mt-ice-session.h: one libnice agent per call (RFC 8445 full ICE)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <nice/agent.h>

#include "mt-media-config.h"
#include "mt-sdp.h"

G_BEGIN_DECLS

/* Signals: "changed" (stream index) when a stream's state or selected pair
 * changes; emitted on the context that created the session. */
#define MT_TYPE_ICE_SESSION (mt_ice_session_get_type ())
G_DECLARE_FINAL_TYPE (MtIceSession, mt_ice_session, MT, ICE_SESSION, GObject)

/* Creates the agent with `n_streams` streams (0 audio, 1 video) of two
 * components (RTP, RTCP) each, bound to `bind_address` (any address: every
 * interface), with STUN/TURN from `config`, and gathers candidates. The
 * role (config->ice_controlling: we offer) must be known here: libnice
 * keeps the one it gathered with until a restart (a peer that disagrees,
 * e.g. an ICE-lite offerer, is settled by RFC 8445 role conflict). Waits
 * at most a few seconds for server-reflexive and relayed candidates, so
 * that the SDP we write is complete (no trickle). */
MtIceSession *mt_ice_session_new (const MtMediaConfig *config,
                                  const char          *bind_address,
                                  guint                n_streams,
                                  GError             **error);

/* Our credentials and candidates for stream `index`, and the default
 * candidate (for m= and c=; RTCP's for a=rtcp). */
MtSdpIce *mt_ice_session_dup_local (MtIceSession *self,
                                    guint         index,
                                    char        **default_address,
                                    guint        *rtp_port,
                                    guint        *rtcp_port);

/* The peer's ICE: credentials and candidates; starts the checks. Calling it
 * again with the same credentials does nothing; new ones are an ICE restart. */
gboolean  mt_ice_session_set_remote (MtIceSession   *self,
                                     guint           index,
                                     const MtSdpIce *remote,
                                     gboolean        controlling,
                                     gboolean        rtcp_mux,
                                     GError        **error);
/* A peer without ICE: plain RTP to what its SDP said, through the same
 * sockets (symmetric RTP from our default candidate). */
gboolean  mt_ice_session_set_plain_remote (MtIceSession *self,
                                           guint         index,
                                           const char   *rtp_address,
                                           guint         rtp_port,
                                           const char   *rtcp_address,
                                           guint         rtcp_port,
                                           GError      **error);

NiceAgent  *mt_ice_session_get_agent     (MtIceSession *self);
guint       mt_ice_session_get_stream_id (MtIceSession *self, guint index);
gboolean    mt_ice_session_uses_ice      (MtIceSession *self, guint index);
/* "new", "gathering", "checking", "connected", "ready", "failed" (ICE),
 * "plain" (no ICE with this peer) */
const char *mt_ice_session_get_state       (MtIceSession *self, guint index);
/* "host", "srflx", "prflx", "relay" of the selected pair, or NULL */
const char *mt_ice_session_get_local_type  (MtIceSession *self, guint index);
const char *mt_ice_session_get_remote_type (MtIceSession *self, guint index);

G_END_DECLS

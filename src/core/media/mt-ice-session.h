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

/* RFC 8839 section 4.4.1.1.2 (answering an ICE restart): `remote` carries
 * credentials other than the ones the peer used so far on stream `index`. */
gboolean  mt_ice_session_is_restart      (MtIceSession   *self,
                                          guint           index,
                                          const MtSdpIce *remote);
/* We restart stream `index` because the peer did: new local ufrag/pwd
 * (for our answer), the peer's old candidates and checks forgotten; our
 * candidates stay (our addresses did not change). Call before writing the
 * answer, then mt_ice_session_set_remote() with the new offer. */
gboolean  mt_ice_session_restart_stream  (MtIceSession   *self,
                                          guint           index);
/* FALSE when an address this session sends from is no longer on any
 * interface of this machine: the base of a selected pair's local candidate
 * (also of a relayed one: the allocation is reached through it), or, before
 * a pair is selected, every host candidate's address. */
gboolean  mt_ice_session_addresses_present (MtIceSession *self);
gboolean  mt_ice_session_get_controlling (MtIceSession   *self);
/* TRUE when `bind_address` (an address, or any: 0.0.0.0 / ::) names an
 * address this machine has now, loopback and IPv6 link-local left out */
gboolean  mt_ice_session_have_address    (const char     *bind_address);

/* RFC 8839 4.4.1.2.2 / 4.4.2.2 (ICE completed on stream `index`): `ice`
 * keeps only the local candidates of the selected pairs, and the default
 * destination becomes the selected RTP one; with `remote_candidates` (the
 * controlling agent's offer) a=remote-candidates lists the peer's side of
 * those pairs. FALSE (nothing changed) while ICE has not completed. */
gboolean  mt_ice_session_narrow_to_selected (MtIceSession *self,
                                             guint         index,
                                             MtSdpIce     *ice,
                                             gboolean      remote_candidates,
                                             char        **address,
                                             guint        *rtp_port,
                                             guint        *rtcp_port);

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

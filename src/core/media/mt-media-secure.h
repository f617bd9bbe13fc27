/* mt-media-secure.h: SRTP for a call's media (SDES keys, DTLS-SRTP)
 *
 * Keys come from GnuTLS's CSPRNG; one self-signed certificate per process
 * (made on first use) identifies us in DTLS handshakes; its SHA-256
 * fingerprint goes in our SDP. The element builders make, per transport
 * component, an encoder (sink pads "rtp_sink_0" and/or "rtcp_sink_0", src
 * pad "src") and a decoder (sink pad "sink", src pads "rtp_src" and
 * "rtcp_src") for what was negotiated: srtpenc/srtpdec with the SDES keys,
 * or dtlssrtpenc/dtlssrtpdec paired by a connection id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "mt-sdp.h"

G_BEGIN_DECLS

/* Fills `buffer` from a CSPRNG; FALSE (and a critical) if it failed */
gboolean     mt_secure_random (guint8 *buffer, gsize len);

/* Our certificate and key (PEM, both in one string), and its fingerprint
 * as SDP writes it ("sha-256 AB:CD:..."). NULL when none could be made. */
const char  *mt_secure_get_certificate_pem (void);
const char  *mt_secure_get_fingerprint (void);
/* The element message a DTLS decoder posts when the peer's certificate is
 * not the one its SDP named (its media is dropped from then on) */
gboolean     mt_secure_is_mismatch_message (GstMessage *message);
/* The fingerprint of a PEM certificate (the peer's), or NULL */
char        *mt_secure_fingerprint_of_pem (const char *pem);

/* Fresh SDES keys for an offer or answer: one a=crypto line per suite we
 * support (tags 1, 2, 3), in preference order */
GPtrArray   *mt_secure_new_sdes_keys (void);

/* `rtp`/`rtcp`: what this component carries (both with rtcp-mux) */
GstElement  *mt_secure_encoder_new (const MtSdpNegotiated *neg,
                                    const char            *connection_id,
                                    gboolean               rtp,
                                    gboolean               rtcp,
                                    GError               **error);
GstElement  *mt_secure_decoder_new (const MtSdpNegotiated *neg,
                                    const char            *connection_id,
                                    GError               **error);

G_END_DECLS

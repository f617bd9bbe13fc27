/* mt-sdp-ice.h: ICE in SDP (RFC 8839): candidates, credentials, options
 *
 * Pure code like the rest of src/core/sdp: parse the attribute values that
 * Sofia hands us as plain attributes, and write them back. The media layer
 * (MtIceSession) turns these into libnice candidates and back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MT_SDP_CANDIDATE_HOST,
  MT_SDP_CANDIDATE_SRFLX,
  MT_SDP_CANDIDATE_PRFLX,
  MT_SDP_CANDIDATE_RELAY,
} MtSdpCandidateType;

/* One a=candidate line (RFC 8839 section 5.1, RFC 6544 tcptype). */
typedef struct {
  char               *foundation;  /* 1*32 ice-char */
  guint               component;   /* 1..256: 1 RTP, 2 RTCP */
  char               *transport;   /* "UDP" or "TCP", upper case */
  guint32             priority;    /* 1..2^31-1 */
  char               *address;     /* an IPv4 or IPv6 literal */
  guint               port;        /* 0..65535 (0 only for TCP active) */
  MtSdpCandidateType  type;
  char               *rel_address; /* raddr, or NULL */
  guint               rel_port;    /* rport, 0 when absent */
  char               *tcp_type;    /* "active", "passive", "so" for TCP, else NULL */
} MtSdpCandidate;

MtSdpCandidate *mt_sdp_candidate_new   (void);
MtSdpCandidate *mt_sdp_candidate_copy  (const MtSdpCandidate *candidate);
void            mt_sdp_candidate_free  (MtSdpCandidate *candidate);
/* `value` is the attribute value after "a=candidate:" (a leading
 * "candidate:" is accepted too). Refuses (MT_SDP_ERROR_PARSE, with the
 * reason) anything off the RFC 8839 grammar, and FQDN or mDNS addresses,
 * which this phone does not resolve. Unknown extensions are ignored. */
MtSdpCandidate *mt_sdp_candidate_parse (const char *value, GError **error);
/* The attribute value without "candidate:", e.g.
 * "1 1 UDP 2130706431 192.0.2.1 5000 typ host" */
char           *mt_sdp_candidate_to_string (const MtSdpCandidate *candidate);

const char     *mt_sdp_candidate_type_to_string   (MtSdpCandidateType type);
gboolean        mt_sdp_candidate_type_from_string (const char         *text,
                                                   MtSdpCandidateType *type);

/* ICE for one m= line. ufrag/pwd/options/lite may come from the session
 * level in a parsed SDP; they are copied down to each stream. */
typedef struct {
  char      *ufrag;            /* 4..256 ice-char */
  char      *pwd;              /* 22..256 ice-char */
  char      *options;          /* a=ice-options tokens, space separated, or NULL */
  gboolean   lite;             /* a=ice-lite (session level) */
  gboolean   end_of_candidates;
  GPtrArray *candidates;       /* of MtSdpCandidate* */
  char      *remote_candidates; /* a=remote-candidates value (RFC 8839 5.2), or NULL */
} MtSdpIce;

MtSdpIce *mt_sdp_ice_new  (void);
MtSdpIce *mt_sdp_ice_copy (const MtSdpIce *ice);
void      mt_sdp_ice_free (MtSdpIce *ice);
/* TRUE when ufrag and pwd are there and well-formed (RFC 8839 5.4) */
gboolean  mt_sdp_ice_is_valid (const MtSdpIce *ice);
/* TRUE when a and b carry different credentials: an ICE restart (RFC 8839 4.4.1.1.1) */
gboolean  mt_sdp_ice_is_restart (const MtSdpIce *previous, const MtSdpIce *now);
/* TRUE when the m=/c= default destination is one of the candidates of
 * component 1 (else the peer's SDP went through something that rewrote
 * it: an "ice-mismatch", RFC 8839 4.2.4) */
gboolean  mt_sdp_ice_has_default (const MtSdpIce *ice, const char *address, guint port);

/* Appends a=ice-ufrag, a=ice-pwd, a=ice-options, a=candidate... (CRLF) */
void      mt_sdp_ice_append (const MtSdpIce *ice, GString *out);
/* Reads one attribute into `ice` (created when NULL and the attribute is an
 * ICE one). Returns TRUE when the attribute was an ICE attribute. Malformed
 * candidates are skipped with a debug message, as RFC 8839 asks. */
gboolean  mt_sdp_ice_apply_attribute (MtSdpIce  **ice,
                                      const char *name,
                                      const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpCandidate, mt_sdp_candidate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtSdpIce, mt_sdp_ice_free)

G_END_DECLS

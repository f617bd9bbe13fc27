/* mt-enums.h: enumerations shared by the core objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MT_CALL_STATE_NEW,
  MT_CALL_STATE_CALLING,
  MT_CALL_STATE_RINGING,
  MT_CALL_STATE_INCOMING,
  MT_CALL_STATE_ACTIVE,
  MT_CALL_STATE_HELD,
  MT_CALL_STATE_ENDED,
} MtCallState;

typedef enum {
  MT_CALL_DIRECTION_OUTGOING,
  MT_CALL_DIRECTION_INCOMING,
} MtCallDirection;

typedef enum {
  MT_END_REASON_NONE,
  MT_END_REASON_LOCAL_HANGUP,
  MT_END_REASON_REMOTE_HANGUP,
  MT_END_REASON_DECLINED,
  MT_END_REASON_BUSY,
  MT_END_REASON_CANCELLED,
  MT_END_REASON_NO_ANSWER,
  MT_END_REASON_NOT_FOUND,
  MT_END_REASON_UNREACHABLE,
  MT_END_REASON_NO_COMMON_CODEC,
  MT_END_REASON_AUTH_FAILED,
  MT_END_REASON_MEDIA_TIMEOUT,
  MT_END_REASON_NETWORK_ERROR,
  MT_END_REASON_TRANSFERRED,     /* handed on: blind or attended transfer */
  MT_END_REASON_TLS_FAILED,      /* the server's certificate is not trusted */
  MT_END_REASON_REPLACED,        /* another call took its place (RFC 3891 Replaces) */
  MT_END_REASON_NOT_ENCRYPTED,   /* encryption is mandatory and the peer offered or answered plain */
  MT_END_REASON_ENCRYPTION_FAILED, /* DTLS: the peer's certificate is not the one its SDP named */
} MtEndReason;

typedef enum {
  MT_REGISTRATION_NONE,
  MT_REGISTRATION_REGISTERING,
  MT_REGISTRATION_REGISTERED,
  MT_REGISTRATION_UNREGISTERED,
  MT_REGISTRATION_FAILED,
} MtRegistrationState;

typedef enum {
  MT_TRANSPORT_UDP,
  MT_TRANSPORT_TCP,
  MT_TRANSPORT_TLS,
} MtTransport;

#define MT_TYPE_CALL_STATE (mt_call_state_get_type ())
GType mt_call_state_get_type (void);
#define MT_TYPE_CALL_DIRECTION (mt_call_direction_get_type ())
GType mt_call_direction_get_type (void);
#define MT_TYPE_END_REASON (mt_end_reason_get_type ())
GType mt_end_reason_get_type (void);
#define MT_TYPE_REGISTRATION_STATE (mt_registration_state_get_type ())
GType mt_registration_state_get_type (void);
#define MT_TYPE_TRANSPORT (mt_transport_get_type ())
GType mt_transport_get_type (void);

/* Stable machine names, as in the CLI's JSON: "calling", "local-hangup", ... */
const char *mt_call_state_to_string (MtCallState state);
const char *mt_call_direction_to_string (MtCallDirection direction);
const char *mt_end_reason_to_string (MtEndReason reason);
const char *mt_registration_state_to_string (MtRegistrationState state);

/* A sentence for a person, already translated: mt-enums.c marks each one with _()
 * (gettext domain GETTEXT_PACKAGE, listed in po/POTFILES.in), so it comes back in the
 * language of the process's locale (the app and the CLI both bind the catalogue), and in
 * English when there is no catalogue for it. Not for machines: use _to_string(). */
const char *mt_end_reason_to_sentence (MtEndReason reason);

G_END_DECLS

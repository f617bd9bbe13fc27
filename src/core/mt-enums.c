/* mt-enums.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-enums"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "mt-enums.h"

G_DEFINE_ENUM_TYPE (MtCallState, mt_call_state,
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_CALLING, "calling"),
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_RINGING, "ringing"),
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_INCOMING, "incoming"),
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_HELD, "held"),
  G_DEFINE_ENUM_VALUE (MT_CALL_STATE_ENDED, "ended"))

G_DEFINE_ENUM_TYPE (MtCallDirection, mt_call_direction,
  G_DEFINE_ENUM_VALUE (MT_CALL_DIRECTION_OUTGOING, "outgoing"),
  G_DEFINE_ENUM_VALUE (MT_CALL_DIRECTION_INCOMING, "incoming"))

G_DEFINE_ENUM_TYPE (MtEndReason, mt_end_reason,
  G_DEFINE_ENUM_VALUE (MT_END_REASON_NONE, "none"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_LOCAL_HANGUP, "local-hangup"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_REMOTE_HANGUP, "remote-hangup"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_DECLINED, "declined"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_NO_ANSWER, "no-answer"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_NOT_FOUND, "not-found"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_UNREACHABLE, "unreachable"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_NO_COMMON_CODEC, "no-common-codec"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_AUTH_FAILED, "auth-failed"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_MEDIA_TIMEOUT, "media-timeout"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_NETWORK_ERROR, "network-error"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_TRANSFERRED, "transferred"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_TLS_FAILED, "tls-failed"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_REPLACED, "replaced"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_NOT_ENCRYPTED, "not-encrypted"),
  G_DEFINE_ENUM_VALUE (MT_END_REASON_ENCRYPTION_FAILED, "encryption-failed"))

G_DEFINE_ENUM_TYPE (MtRegistrationState, mt_registration_state,
  G_DEFINE_ENUM_VALUE (MT_REGISTRATION_NONE, "none"),
  G_DEFINE_ENUM_VALUE (MT_REGISTRATION_REGISTERING, "registering"),
  G_DEFINE_ENUM_VALUE (MT_REGISTRATION_REGISTERED, "registered"),
  G_DEFINE_ENUM_VALUE (MT_REGISTRATION_UNREGISTERED, "unregistered"),
  G_DEFINE_ENUM_VALUE (MT_REGISTRATION_FAILED, "failed"))

G_DEFINE_ENUM_TYPE (MtTransport, mt_transport,
  G_DEFINE_ENUM_VALUE (MT_TRANSPORT_UDP, "udp"),
  G_DEFINE_ENUM_VALUE (MT_TRANSPORT_TCP, "tcp"),
  G_DEFINE_ENUM_VALUE (MT_TRANSPORT_TLS, "tls"))

static const char *
enum_nick (GType type, int value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v ? v->value_nick : "unknown";

  g_type_class_unref (klass);   /* static types: the class stays alive */
  return nick;
}

const char *
mt_call_state_to_string (MtCallState state)
{
  return enum_nick (MT_TYPE_CALL_STATE, state);
}

const char *
mt_call_direction_to_string (MtCallDirection direction)
{
  return enum_nick (MT_TYPE_CALL_DIRECTION, direction);
}

const char *
mt_end_reason_to_string (MtEndReason reason)
{
  return enum_nick (MT_TYPE_END_REASON, reason);
}

const char *
mt_registration_state_to_string (MtRegistrationState state)
{
  return enum_nick (MT_TYPE_REGISTRATION_STATE, state);
}

const char *
mt_end_reason_to_sentence (MtEndReason reason)
{
  switch (reason)
    {
    case MT_END_REASON_NONE: return _("The call is still going.");
    case MT_END_REASON_LOCAL_HANGUP: return _("You hung up.");
    case MT_END_REASON_REMOTE_HANGUP: return _("The other person hung up.");
    case MT_END_REASON_DECLINED: return _("The call was declined.");
    case MT_END_REASON_BUSY: return _("The other person is busy.");
    case MT_END_REASON_CANCELLED: return _("The call was cancelled before it was answered.");
    case MT_END_REASON_NO_ANSWER: return _("Nobody answered.");
    case MT_END_REASON_NOT_FOUND: return _("That address does not exist.");
    case MT_END_REASON_UNREACHABLE: return _("The other phone or server could not be reached.");
    case MT_END_REASON_NO_COMMON_CODEC: return _("The two phones have no audio or video format in common.");
    case MT_END_REASON_AUTH_FAILED: return _("The server refused the user name or password.");
    case MT_END_REASON_MEDIA_TIMEOUT: return _("The call was lost: no sound or picture arrived for several seconds.");
    case MT_END_REASON_NETWORK_ERROR: return _("A network error ended the call.");
    case MT_END_REASON_TLS_FAILED: return _("No secure connection to the server could be made.");
    case MT_END_REASON_TRANSFERRED:
    case MT_END_REASON_REPLACED: return _("The call was transferred.");
    case MT_END_REASON_NOT_ENCRYPTED: return _("The other phone does not support encrypted calls");
    case MT_END_REASON_ENCRYPTION_FAILED:
      return _("The other phone’s encryption key did not match: the call was ended");
    default: return _("The call ended.");
    }
}

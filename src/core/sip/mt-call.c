/* mt-call.c: one SIP call over a nua handle
 *
 * The state and the end reason change in one place, set_state(), which
 * notifies once. SDP is ours (nua's soa is off): the offer goes out with the
 * INVITE or comes in with it; the answer in the 200.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-call"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>

#include "mt-call-private.h"
#include "mt-sdp.h"
#include "mt-sip-status.h"

#define RING_TIMEOUT_S 60

struct _MtCall
{
  GObject          parent_instance;

  MtCredentials   *credentials;  /* shared with the account */
  nua_handle_t    *nh;           /* owned: destroyed in release_handle() */
  char            *id;
  MtCallDirection  direction;
  MtCallState      state;
  MtEndReason      end_reason;
  char            *end_status;
  char            *remote_uri;
  char            *remote_name;
  MtMediaSession  *media;
  MtSdpSession    *local_sdp;
  MtSdpSession    *remote_sdp;
  gboolean         auth_tried;
  gboolean         has_video;
  gboolean         local_hold;     /* we asked for hold */
  gboolean         reinvite_out;   /* our re-INVITE awaits its answer */
  MtSdpSession    *previous_sdp;   /* our SDP before that re-INVITE */
  gint64           active_since; /* monotonic µs */
  guint            ring_timeout_id;
  gint64           created_at;   /* unix seconds */
  gint64           ended_at;     /* monotonic µs, 0 before */
  char            *warning;      /* the media layer's last sentence, or NULL */
};

G_DEFINE_FINAL_TYPE (MtCall, mt_call, G_TYPE_OBJECT)

static guint n_handles;   /* held by all calls: see mt_call_count_handles() */

enum {
  PROP_0,
  PROP_ID,
  PROP_DIRECTION,
  PROP_STATE,
  PROP_END_REASON,
  PROP_REMOTE_URI,
  PROP_REMOTE_NAME,
  PROP_HAS_VIDEO,
  PROP_HOLD,
  PROP_MEDIA_SESSION,
  PROP_MIC_MUTED,
  PROP_CAMERA_OFF,
  PROP_WARNING,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

/* the controls forwarded to the media session: at the end of the file */
static void mt_call_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec);
static void media_error_cb       (MtMediaSession *media,
                                  const char     *message,
                                  gpointer        user_data);

/* ---- state: the one place ------------------------------------------------ */

static void
set_state (MtCall *self, MtCallState state, MtEndReason reason)
{
  if (self->state == state || self->state == MT_CALL_STATE_ENDED)
    return;

  g_debug ("call %s: %s -> %s (%s)", self->id, mt_call_state_to_string (self->state),
           mt_call_state_to_string (state), mt_end_reason_to_string (reason));

  g_object_freeze_notify (G_OBJECT (self));
  self->state = state;
  if (state == MT_CALL_STATE_ACTIVE && self->active_since == 0)
    self->active_since = g_get_monotonic_time ();
  if (state != MT_CALL_STATE_CALLING && state != MT_CALL_STATE_RINGING &&
      state != MT_CALL_STATE_INCOMING)
    g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  if (state == MT_CALL_STATE_ENDED)
    {
      self->end_reason = reason;
      self->ended_at = g_get_monotonic_time ();
      if (self->media)
        mt_media_session_stop (self->media);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
end (MtCall *self, MtEndReason reason)
{
  set_state (self, MT_CALL_STATE_ENDED, reason);
}

static void
set_local_hold (MtCall *self, gboolean hold)
{
  if (self->local_hold == hold)
    return;
  self->local_hold = hold;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HOLD]);
}

static void
set_has_video (MtCall *self, gboolean has_video)
{
  if (self->has_video == has_video)
    return;
  self->has_video = has_video;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HAS_VIDEO]);
}

/* ---- SDP helpers ---------------------------------------------------------- */

static MtSdpSession *
remote_sdp_from (const sip_t *sip, GError **error)
{
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    {
      g_set_error_literal (error, MT_SDP_ERROR, MT_SDP_ERROR_INVALID,
                           "The message carries no session description");
      return NULL;
    }
  return mt_sdp_parse (sip->sip_payload->pl_data, sip->sip_payload->pl_len, error);
}

static gboolean
negotiated_has_video (GPtrArray *negotiated)
{
  for (guint i = 0; i < negotiated->len; i++)
    {
      MtSdpNegotiated *n = g_ptr_array_index (negotiated, i);

      if (n->kind == MT_SDP_MEDIA_VIDEO && n->enabled)
        return TRUE;
    }
  return FALSE;
}

/* Negotiate and (re)start media. FALSE: the call must end (reason set).
 * `we_offered`: local_sdp was the offer in this round. */
static gboolean
start_media (MtCall *self, gboolean we_offered, MtEndReason *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) negotiated = NULL;
  gboolean ok;

  negotiated = mt_sdp_negotiate (self->local_sdp, self->remote_sdp, we_offered, &error);
  if (negotiated == NULL)
    {
      g_message ("call %s: %s", self->id, error->message);
      *reason = g_error_matches (error, MT_SDP_ERROR, MT_SDP_ERROR_NO_COMMON_CODEC)
                ? MT_END_REASON_NO_COMMON_CODEC : MT_END_REASON_NETWORK_ERROR;
      return FALSE;
    }
  set_has_video (self, negotiated_has_video (negotiated));
  if (mt_media_session_is_running (self->media))
    ok = mt_media_session_restart (self->media, negotiated, &error);
  else
    ok = mt_media_session_start (self->media, negotiated, &error);
  if (!ok)
    {
      g_warning ("call %s: media did not start: %s", self->id, error->message);
      *reason = MT_END_REASON_NETWORK_ERROR;
      return FALSE;
    }
  return TRUE;
}

/* HELD when either side holds: we asked, or the peer only sends / sends nothing */
static gboolean
remote_holds (MtCall *self)
{
  for (guint i = 0; self->remote_sdp && i < self->remote_sdp->streams->len; i++)
    {
      MtSdpStream *stream = g_ptr_array_index (self->remote_sdp->streams, i);

      if (stream->kind == MT_SDP_MEDIA_AUDIO && stream->port != 0)
        return stream->direction == MT_SDP_SENDONLY || stream->direction == MT_SDP_INACTIVE;
    }
  return FALSE;
}

static void
update_hold_state (MtCall *self)
{
  set_state (self, (self->local_hold || remote_holds (self)) ? MT_CALL_STATE_HELD
                                                             : MT_CALL_STATE_ACTIVE,
             MT_END_REASON_NONE);
}

static char *
local_sdp_string (MtCall *self)
{
  return mt_sdp_session_to_string (self->local_sdp);
}

/* ---- status lines ------------------------------------------------------------ */

static void
remember_status (MtCall *self, int status, const char *phrase)
{
  g_free (self->end_status);
  self->end_status = g_strdup_printf ("%d %s", status, phrase ? phrase : "");
}

/* ---- outgoing --------------------------------------------------------------- */

static gboolean
ring_timeout_cb (gpointer user_data)
{
  MtCall *self = user_data;

  self->ring_timeout_id = 0;
  if (self->direction == MT_CALL_DIRECTION_OUTGOING)
    {
      if (self->nh)
        nua_cancel (self->nh, TAG_END ());
    }
  else if (self->nh)
    {
      nua_respond (self->nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END ());
    }
  end (self, MT_END_REASON_NO_ANSWER);
  return G_SOURCE_REMOVE;
}

static void
authenticate (MtCall *self, int status, const sip_t *sip)
{
  g_autofree char *credentials = NULL;

  if (!self->auth_tried && self->credentials)
    credentials = mt_credentials_dup_for_challenge (self->credentials, sip);
  if (credentials == NULL)
    {
      remember_status (self, status, sip && sip->sip_status ? sip->sip_status->st_phrase : NULL);
      if (self->nh)
        nua_cancel (self->nh, TAG_END ());
      end (self, MT_END_REASON_AUTH_FAILED);
      return;
    }
  self->auth_tried = TRUE;
  nua_authenticate (self->nh, NUTAG_AUTH (credentials), TAG_END ());
}

static void
answer_arrived (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  MtEndReason reason;

  if (self->state == MT_CALL_STATE_ENDED)
    {
      /* our CANCEL crossed the 200: nua has ACKed, now say goodbye */
      nua_bye (self->nh, TAG_END ());
      return;
    }
  if (self->remote_sdp == NULL || self->reinvite_out)
    {
      g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
      self->remote_sdp = remote_sdp_from (sip, &error);
    }
  if (self->remote_sdp == NULL)
    {
      g_message ("call %s: unusable answer: %s", self->id, error->message);
      nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=488;text=\"Bad SDP answer\""), TAG_END ());
      end (self, MT_END_REASON_NO_COMMON_CODEC);
      return;
    }
  if (!start_media (self, TRUE, &reason))
    {
      nua_bye (self->nh, TAG_END ());
      end (self, reason);
      return;
    }
  self->reinvite_out = FALSE;
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  update_hold_state (self);
}

static void
handle_invite_response (MtCall *self, int status, const char *phrase, const sip_t *sip)
{
  if (status < 180)
    return;
  if (status < 200)
    {
      if (self->state == MT_CALL_STATE_CALLING)
        set_state (self, MT_CALL_STATE_RINGING, MT_END_REASON_NONE);
      return;
    }
  if (status < 300)
    {
      answer_arrived (self, sip);
      return;
    }
  if ((status == 401 || status == 407) && self->state != MT_CALL_STATE_ENDED)
    {
      authenticate (self, status, sip);
      return;
    }
  if (self->reinvite_out && status != 481 && status != 408)
    {
      /* the peer kept the session as it was (491 glare, 488, ...): so do we */
      g_message ("call %s: re-INVITE refused: %d %s", self->id, status, phrase ? phrase : "");
      self->reinvite_out = FALSE;
      g_clear_pointer (&self->local_sdp, mt_sdp_session_free);
      self->local_sdp = g_steal_pointer (&self->previous_sdp);
      set_local_hold (self, !self->local_hold);
      return;
    }
  remember_status (self, status, phrase);
  end (self, mt_sip_status_to_reason (status, sip, sip_method_invite));
}

/* ---- incoming --------------------------------------------------------------- */

static void
respond_with_answer (MtCall *self)
{
  g_autofree char *sdp = local_sdp_string (self);

  nua_respond (self->nh, SIP_200_OK,
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (sdp),
               TAG_END ());
}

/* A re-INVITE inside the dialog: the peer holds, resumes or refreshes. We
 * answer its offer with our own hold state and restart media to match. */
static void
handle_reinvite (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtSdpSession) offer = NULL;
  g_autoptr(MtSdpLocal) local = NULL;
  MtSdpSession *answer;
  MtEndReason reason;

  if (sip == NULL || sip->sip_payload == NULL)
    {
      self->local_sdp->session_version++;
      respond_with_answer (self);   /* an offer of ours; its answer comes in the ACK */
      return;
    }
  if (!(offer = remote_sdp_from (sip, &error)))
    {
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
      return;
    }
  local = mt_media_session_dup_local (self->media);
  local->audio_direction = local->video_direction = self->local_hold ? MT_SDP_SENDONLY
                                                                     : MT_SDP_SENDRECV;
  answer = mt_sdp_build_answer (offer, local, self->local_sdp->session_id, &error);
  if (answer == NULL)
    {
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
      return;
    }
  answer->session_version = self->local_sdp->session_version + 1;
  g_clear_pointer (&self->local_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
  self->local_sdp = answer;
  self->remote_sdp = g_steal_pointer (&offer);
  respond_with_answer (self);
  if (!start_media (self, FALSE, &reason))
    {
      nua_bye (self->nh, TAG_END ());
      end (self, reason);
      return;
    }
  update_hold_state (self);
}

void
mt_call_handle_event (MtCall      *self,
                      nua_event_t  event,
                      int          status,
                      const char  *phrase,
                      const sip_t *sip,
                      tagi_t       tags[])
{
  g_return_if_fail (MT_IS_CALL (self));

  g_object_ref (self);
  switch (event)
    {
    case nua_r_invite:
      handle_invite_response (self, status, phrase, sip);
      break;

    case nua_i_invite:
      if (self->state == MT_CALL_STATE_ACTIVE || self->state == MT_CALL_STATE_HELD)
        handle_reinvite (self, sip);
      break;

    case nua_i_ack:
      if (self->state == MT_CALL_STATE_INCOMING || self->state == MT_CALL_STATE_NEW)
        set_state (self, MT_CALL_STATE_ACTIVE, MT_END_REASON_NONE);
      break;

    case nua_i_bye:
      end (self, MT_END_REASON_REMOTE_HANGUP);
      break;

    case nua_i_cancel:
      end (self, MT_END_REASON_CANCELLED);
      break;

    case nua_i_state:
      {
        int callstate = nua_callstate_init;

        tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
        if (callstate == nua_callstate_ready && self->state == MT_CALL_STATE_INCOMING)
          set_state (self, MT_CALL_STATE_ACTIVE, MT_END_REASON_NONE);
        if (callstate == nua_callstate_terminated)
          {
            end (self, status >= 300 ? mt_sip_status_to_reason (status, sip, sip_method_invite)
                                   : MT_END_REASON_REMOTE_HANGUP);
            mt_call_release_handle (self);
          }
      }
      break;

    case nua_i_terminated:
      end (self, MT_END_REASON_NETWORK_ERROR);
      mt_call_release_handle (self);
      break;

    default:
      break;
    }
  g_object_unref (self);
}

/* ---- construction ------------------------------------------------------------ */

static void
media_timeout_cb (MtMediaSession *media, gpointer user_data)
{
  MtCall *self = user_data;

  if (self->state != MT_CALL_STATE_ACTIVE)
    return;
  g_message ("call %s: no media for too long, hanging up", self->id);
  if (self->nh)
    nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=408;text=\"Media timeout\""), TAG_END ());
  end (self, MT_END_REASON_MEDIA_TIMEOUT);
}

static MtCall *
call_new (MtCredentials   *credentials,
          const char      *id,
          MtCallDirection  direction,
          MtMediaSession  *media)
{
  MtCall *self = g_object_new (MT_TYPE_CALL, NULL);

  self->credentials = credentials ? g_object_ref (credentials) : NULL;
  self->id = g_strdup (id);
  self->direction = direction;
  self->media = g_object_ref (media);
  g_signal_connect_object (media, "media-timeout", G_CALLBACK (media_timeout_cb), self, 0);
  g_signal_connect_object (media, "error", G_CALLBACK (media_error_cb), self, 0);
  self->ring_timeout_id = g_timeout_add_seconds (RING_TIMEOUT_S, ring_timeout_cb, self);
  return self;
}

MtCall *
mt_call_new_outgoing (nua_t          *nua,
                      MtCredentials  *credentials,
                      const char     *id,
                      const char     *uri,
                      MtMediaSession *media)
{
  g_autoptr(MtCall) self = call_new (credentials, id, MT_CALL_DIRECTION_OUTGOING, media);
  g_autoptr(MtSdpLocal) local = mt_media_session_dup_local (media);
  g_autofree char *sdp = NULL;
  g_autofree char *to = NULL;

  self->remote_uri = g_strdup (uri);
  self->local_sdp = mt_sdp_build_offer (local, (guint64) g_get_real_time ());
  self->has_video = local->video_port != 0;
  sdp = local_sdp_string (self);

  to = g_strdup_printf ("<%s>", uri);
  self->nh = nua_handle (nua, self, NUTAG_URL (uri), SIPTAG_TO_STR (to), TAG_END ());
  if (self->nh == NULL)
    return NULL;
  n_handles++;
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (sdp),
              TAG_END ());
  set_state (self, MT_CALL_STATE_CALLING, MT_END_REASON_NONE);
  return g_steal_pointer (&self);
}

static void
take_remote_identity (MtCall *self, const sip_t *sip)
{
  const sip_from_t *from = sip ? sip->sip_from : NULL;

  if (from == NULL)
    return;
  self->remote_uri = url_as_string (NULL, from->a_url);
  if (from->a_display && *from->a_display)
    {
      self->remote_name = g_strdup (from->a_display);
      if (self->remote_name[0] == '"')
        {
          g_autofree char *quoted = self->remote_name;

          self->remote_name = g_strndup (quoted + 1, MAX (strlen (quoted), 2) - 2);
        }
    }
}

/* Answer-or-refuse decisions that need no person: malformed or useless offers. */
static gboolean
prepare_answer (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtSdpLocal) local = mt_media_session_dup_local (self->media);
  g_autofree char *warning = NULL;

  self->remote_sdp = remote_sdp_from (sip, &error);
  if (self->remote_sdp)
    self->local_sdp = mt_sdp_build_answer (self->remote_sdp, local,
                                           (guint64) g_get_real_time (), &error);
  if (self->local_sdp)
    {
      g_autoptr(GPtrArray) negotiated =
        mt_sdp_negotiate (self->local_sdp, self->remote_sdp, FALSE, NULL);

      self->has_video = negotiated && negotiated_has_video (negotiated);
      return TRUE;
    }

  g_message ("call %s: refusing the offer: %s", self->id, error->message);
  g_strdelimit (error->message, "\"\\\r\n", '\'');
  warning = g_strdup_printf ("399 mtavipclient \"%s\"", error->message);
  nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, SIPTAG_WARNING_STR (warning), TAG_END ());
  remember_status (self, 488, "Not Acceptable Here");
  end (self, MT_END_REASON_NO_COMMON_CODEC);
  return FALSE;
}

MtCall *
mt_call_new_incoming (MtCredentials  *credentials,
                      const char     *id,
                      nua_handle_t   *nh,
                      const sip_t    *sip,
                      MtMediaSession *media)
{
  MtCall *self = call_new (credentials, id, MT_CALL_DIRECTION_INCOMING, media);

  self->nh = nua_handle_ref (nh);
  n_handles++;
  nua_handle_bind (nh, self);
  take_remote_identity (self, sip);
  if (prepare_answer (self, sip))
    {
      nua_respond (nh, SIP_180_RINGING, TAG_END ());
      set_state (self, MT_CALL_STATE_INCOMING, MT_END_REASON_NONE);
    }
  return self;
}

void
mt_call_release_handle (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (self->nh == NULL)
    return;
  nua_handle_bind (self->nh, NULL);
  nua_handle_destroy (self->nh);
  /* the reference we took on an incoming handle; nua_handle_destroy()
   * gives back the one that nua_handle() made for an outgoing call */
  if (self->direction == MT_CALL_DIRECTION_INCOMING)
    nua_handle_unref (self->nh);
  self->nh = NULL;
  n_handles--;
}

gboolean
mt_call_is_released (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), TRUE);
  return self->nh == NULL;
}

guint
mt_call_count_handles (void)
{
  return n_handles;
}

/* ---- public actions ---------------------------------------------------------- */

void
mt_call_answer (MtCall *self)
{
  MtEndReason reason = MT_END_REASON_NONE;

  g_return_if_fail (MT_IS_CALL (self));

  if (self->state != MT_CALL_STATE_INCOMING || self->nh == NULL)
    return;
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  /* The answer SDP was ready while ringing: send it first, so that call
   * setup does not wait for sound devices to open; media starts right after */
  respond_with_answer (self);
  if (!start_media (self, FALSE, &reason))
    {
      nua_bye (self->nh, TAG_END ());
      end (self, reason);
    }
}

/* Put the call on hold (we only send, so the peer hears hold silence or
 * music of ours; nothing of theirs plays here) or take it off hold. */
void
mt_call_set_hold (MtCall *self, gboolean hold)
{
  g_autoptr(MtSdpSession) offer = NULL;
  g_autofree char *sdp = NULL;

  g_return_if_fail (MT_IS_CALL (self));

  hold = !!hold;
  if ((self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
      self->nh == NULL || self->reinvite_out || self->local_hold == hold)
    return;

  offer = mt_sdp_session_copy (self->local_sdp);
  offer->session_version++;
  for (guint i = 0; i < offer->streams->len; i++)
    {
      MtSdpStream *stream = g_ptr_array_index (offer->streams, i);

      if (stream->port != 0)
        stream->direction = hold ? MT_SDP_SENDONLY : MT_SDP_SENDRECV;
    }
  set_local_hold (self, hold);
  self->reinvite_out = TRUE;
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  self->previous_sdp = g_steal_pointer (&self->local_sdp);
  self->local_sdp = g_steal_pointer (&offer);
  sdp = local_sdp_string (self);
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (sdp),
              TAG_END ());
}

gboolean
mt_call_get_hold (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->local_hold;
}

void
mt_call_decline (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (self->state != MT_CALL_STATE_INCOMING || self->nh == NULL)
    return;
  nua_respond (self->nh, SIP_603_DECLINE, TAG_END ());
  end (self, MT_END_REASON_DECLINED);
}

void
mt_call_hangup (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));

  switch (self->state)
    {
    case MT_CALL_STATE_NEW:
    case MT_CALL_STATE_CALLING:
    case MT_CALL_STATE_RINGING:
      if (self->nh)
        nua_cancel (self->nh, TAG_END ());
      end (self, MT_END_REASON_CANCELLED);
      break;
    case MT_CALL_STATE_INCOMING:
      mt_call_decline (self);
      break;
    case MT_CALL_STATE_ACTIVE:
    case MT_CALL_STATE_HELD:
      if (self->nh)
        nua_bye (self->nh, TAG_END ());
      end (self, MT_END_REASON_LOCAL_HANGUP);
      break;
    case MT_CALL_STATE_ENDED:
    default:
      break;
    }
}

/* ---- getters ---------------------------------------------------------------- */

const char *
mt_call_get_id (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->id;
}

MtCallDirection
mt_call_get_direction (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), MT_CALL_DIRECTION_OUTGOING);
  return self->direction;
}

MtCallState
mt_call_get_state (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), MT_CALL_STATE_ENDED);
  return self->state;
}

MtEndReason
mt_call_get_end_reason (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), MT_END_REASON_NONE);
  return self->end_reason;
}

const char *
mt_call_get_remote_uri (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->remote_uri;
}

const char *
mt_call_get_remote_name (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->remote_name;
}

gboolean
mt_call_get_has_video (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->has_video;
}

guint
mt_call_get_duration (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), 0);
  if (self->active_since == 0)
    return 0;
  /* after the end: how long it lasted */
  return (guint) (((self->ended_at ? self->ended_at : g_get_monotonic_time ()) - self->active_since)
                  / G_USEC_PER_SEC);
}

const char *
mt_call_get_end_status (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->end_status;
}

MtMediaSession *
mt_call_get_media_session (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->media;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
mt_call_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MtCall *self = MT_CALL (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_END_REASON: g_value_set_enum (value, self->end_reason); break;
    case PROP_REMOTE_URI: g_value_set_string (value, self->remote_uri); break;
    case PROP_REMOTE_NAME: g_value_set_string (value, self->remote_name); break;
    case PROP_HAS_VIDEO: g_value_set_boolean (value, self->has_video); break;
    case PROP_HOLD: g_value_set_boolean (value, self->local_hold); break;
    case PROP_MEDIA_SESSION: g_value_set_object (value, self->media); break;
    case PROP_MIC_MUTED: g_value_set_boolean (value, mt_call_get_mic_muted (self)); break;
    case PROP_CAMERA_OFF: g_value_set_boolean (value, mt_call_get_camera_off (self)); break;
    case PROP_WARNING: g_value_set_string (value, mt_call_get_warning (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_call_dispose (GObject *object)
{
  MtCall *self = MT_CALL (object);

  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  mt_call_release_handle (self);
  if (self->media)
    mt_media_session_stop (self->media);
  g_clear_object (&self->media);
  g_clear_object (&self->credentials);
  G_OBJECT_CLASS (mt_call_parent_class)->dispose (object);
}

static void
mt_call_finalize (GObject *object)
{
  MtCall *self = MT_CALL (object);

  g_free (self->id);
  g_free (self->end_status);
  g_free (self->remote_uri);
  g_free (self->remote_name);
  g_free (self->warning);
  g_clear_pointer (&self->local_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  G_OBJECT_CLASS (mt_call_parent_class)->finalize (object);
}

static void
mt_call_class_init (MtCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = mt_call_get_property;
  object_class->set_property = mt_call_set_property;
  object_class->dispose = mt_call_dispose;
  object_class->finalize = mt_call_finalize;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  props[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL, MT_TYPE_CALL_DIRECTION,
                                             MT_CALL_DIRECTION_OUTGOING, ro);
  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, MT_TYPE_CALL_STATE,
                                         MT_CALL_STATE_NEW, ro);
  props[PROP_END_REASON] = g_param_spec_enum ("end-reason", NULL, NULL, MT_TYPE_END_REASON,
                                              MT_END_REASON_NONE, ro);
  props[PROP_REMOTE_URI] = g_param_spec_string ("remote-uri", NULL, NULL, NULL, ro);
  props[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, NULL, ro);
  props[PROP_HAS_VIDEO] = g_param_spec_boolean ("has-video", NULL, NULL, FALSE, ro);
  /* we asked for hold (the peer may hold too: see the state) */
  props[PROP_HOLD] = g_param_spec_boolean ("hold", NULL, NULL, FALSE, ro);
  props[PROP_MEDIA_SESSION] = g_param_spec_object ("media-session", NULL, NULL,
                                                   MT_TYPE_MEDIA_SESSION, ro);
  /* what we send: the microphone muted, the camera off (black frames stop) */
  props[PROP_MIC_MUTED] = g_param_spec_boolean ("mic-muted", NULL, NULL, FALSE, rw);
  props[PROP_CAMERA_OFF] = g_param_spec_boolean ("camera-off", NULL, NULL, FALSE, rw);
  /* a sentence for a person: what the media layer left out (no camera) or
   * failed at (a device error), or NULL */
  props[PROP_WARNING] = g_param_spec_string ("warning", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
mt_call_init (MtCall *self)
{
  self->state = MT_CALL_STATE_NEW;
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;
}

/* ---- controls forwarded to the media session --------------------------------- */

static void
mt_call_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  MtCall *self = MT_CALL (object);

  switch (prop_id)
    {
    case PROP_MIC_MUTED: mt_call_set_mic_muted (self, g_value_get_boolean (value)); break;
    case PROP_CAMERA_OFF: mt_call_set_camera_off (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* the pipeline's errors (a device that failed) replace what was left out */
static void
media_error_cb (MtMediaSession *media, const char *message, gpointer user_data)
{
  MtCall *self = user_data;

  if (g_strcmp0 (self->warning, message) == 0)
    return;
  g_free (self->warning);
  self->warning = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WARNING]);
}

void
mt_call_set_mic_muted (MtCall *self, gboolean muted)
{
  g_return_if_fail (MT_IS_CALL (self));

  muted = !!muted;
  if (self->media == NULL || mt_media_session_get_mic_muted (self->media) == muted)
    return;
  mt_media_session_set_mic_muted (self->media, muted);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MIC_MUTED]);
}

gboolean
mt_call_get_mic_muted (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->media && mt_media_session_get_mic_muted (self->media);
}

void
mt_call_set_camera_off (MtCall *self, gboolean off)
{
  g_return_if_fail (MT_IS_CALL (self));

  off = !!off;
  if (self->media == NULL || mt_media_session_get_camera_off (self->media) == off)
    return;
  mt_media_session_set_camera_off (self->media, off);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAMERA_OFF]);
}

gboolean
mt_call_get_camera_off (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->media && mt_media_session_get_camera_off (self->media);
}

const char *
mt_call_get_warning (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  if (self->warning)
    return self->warning;
  return self->media ? mt_media_session_get_warning (self->media) : NULL;
}

void
mt_call_set_video_sinks (MtCall *self, GstElement *remote, GstElement *self_view)
{
  g_return_if_fail (MT_IS_CALL (self));
  g_return_if_fail (remote == NULL || GST_IS_ELEMENT (remote));
  g_return_if_fail (self_view == NULL || GST_IS_ELEMENT (self_view));

  if (self->media)
    mt_media_session_set_video_sinks (self->media, remote, self_view);
}

gint64
mt_call_get_start_time (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), 0);
  return self->created_at;
}

gboolean
mt_call_get_answered (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->active_since != 0;
}

/* mt-call.c: one SIP call over a nua handle
 *
 * The state and the end reason change in one place, set_state(), which
 * notifies once. SDP is ours (nua's soa is off): the offer goes out with the
 * INVITE or comes in with it; the answer in the 200.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-call"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_extra.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>

#include "mt-call-private.h"
#include "mt-call-backend.h"
#include "mt-dtmf.h"
#include "mt-sdp.h"
#include "mt-sip-status.h"
#include "mt-text.h"

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
  gboolean         caller_verified;
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
  const MtCallBackend *backend;  /* not SIP: see mt-call-backend.h */
  gpointer         backend_data;
  nua_t           *nua;            /* to answer the request at hand (UPDATE) */
  gboolean         in_update;      /* answering an UPDATE, not the INVITE */
  guint            refresh_id;     /* our session refresh (RFC 4028) is due */
  gboolean         refresh_out;    /* the re-INVITE out is that refresh */
  GPtrArray       *redirects;      /* targets a 3xx sent us to (and the first) */
  gboolean         transfer_out;   /* our REFER is out: its NOTIFYs say how it goes */
  gboolean         transferred;    /* we follow the peer's REFER: a new call replaces this */
  sip_event_t const *refer_event;  /* while the "transfer" signal runs */
  char            *refer_replaces; /* the Replaces (RFC 3891) that REFER asked for */
  gboolean         handed_on;      /* our consultation call in an attended transfer:
                                    * the peer's BYE is the transfer completing */
  gboolean         delayed_offer;  /* our INVITE went without SDP: the 2xx brings
                                    * the offer, our answer goes in the ACK */
  gboolean         early_media;    /* media runs on a 1xx's SDP (RFC 3960) */
  gboolean         answered;       /* our 200 to the INVITE is out */
  MtTlsProblem     tls_problem;    /* why a TLS call failed (mt_tls_check) */
  gboolean         offer_in_200;   /* the INVITE came without SDP: our 200 carries
                                    * the offer, the answer comes in the ACK */
  GString         *dtmf_queue;   /* digits still to send */
  guint            dtmf_timer;
  /* network changes (ICE restart): at the end of the file */
  GNetworkMonitor *monitor;        /* while an ICE call is up */
  gulong           network_id;
  gboolean         reconnecting;   /* our address went away: looking for a new path */
  gboolean         restart_out;    /* our re-INVITE restarting ICE awaits its answer */
  gboolean         restart_sent;   /* this reconnection has sent its restart */
  guint            give_up_id;     /* no network for too long: network-error */
  guint            reconnect_poll_id;
  guint            loss_poll_id;   /* addresses can go without a route change */
  gboolean         signalling_secure; /* the dialog runs over TLS: SDES keys may go in SDP */
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
  PROP_RECONNECTING,
  PROP_NETWORK_NOTICE,
  PROP_TRANSFERRING,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_DTMF,
  SIGNAL_TRANSFER,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* the controls forwarded to the media session: at the end of the file */
static void mt_call_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec);
static void media_error_cb       (MtMediaSession *media,
                                  const char     *message,
                                  gpointer        user_data);
/* DTMF: at the end of the file */
static void media_dtmf_cb        (MtMediaSession *media,
                                  guint           event,
                                  guint           duration,
                                  gpointer        user_data);
static void dtmf_info_received   (MtCall         *self,
                                  const sip_t    *sip);
static void dtmf_stop            (MtCall         *self);
/* transfer (RFC 3515): at the end of the file */
static void refer_received       (MtCall         *self,
                                  const sip_t    *sip,
                                  tagi_t          tags[]);
static void refer_progress       (MtCall         *self,
                                  nua_event_t     event,
                                  int             status,
                                  const sip_t    *sip);
/* offer/answer outside the INVITE: after the DTMF part */
static void handle_update        (MtCall         *self,
                                  const sip_t    *sip);
static void session_timer_follow (MtCall         *self,
                                  const sip_t    *sip,
                                  gboolean        we_are_uac);
/* network changes: at the end of the file */
static void network_watch        (MtCall         *self,
                                  gboolean        watch);
static void restart_answered     (MtCall         *self,
                                  gboolean        accepted);

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
  if (state == MT_CALL_STATE_ACTIVE)
    network_watch (self, TRUE);
  if (state == MT_CALL_STATE_ENDED)
    {
      network_watch (self, FALSE);
      dtmf_stop (self);
      g_clear_handle_id (&self->refresh_id, g_source_remove);
      self->end_reason = reason;
      self->ended_at = g_get_monotonic_time ();
      if (self->media)
        mt_media_session_release (self->media);
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
                ? MT_END_REASON_NO_COMMON_CODEC
                : g_error_matches (error, MT_SDP_ERROR, MT_SDP_ERROR_NOT_ENCRYPTED)
                ? MT_END_REASON_NOT_ENCRYPTED : MT_END_REASON_NETWORK_ERROR;
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
  g_autofree char *text = mt_text_from_network (phrase ? phrase : "", -1, FALSE);

  g_free (self->end_status);
  self->end_status = g_strdup_printf ("%d %s", status, text);
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

/* The answer has the origin (o= id and version) of the one we have */
static gboolean
answer_unchanged (MtCall *self, const sip_t *sip)
{
  g_autoptr(MtSdpSession) answer = remote_sdp_from (sip, NULL);

  return answer != NULL && answer->session_id == self->remote_sdp->session_id &&
         answer->session_version == self->remote_sdp->session_version;
}

/* RFC 3264 / RFC 3261 13.2.1: we sent the INVITE without SDP, the 2xx
 * carries the peer's offer: our answer goes in the ACK (nua's automatic ACK
 * is off on this handle until then) */
static void
answer_in_ack (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtSdpSession) offer = NULL;
  g_autoptr(MtSdpLocal) local = NULL;
  g_autofree char *sdp = NULL;
  MtSdpSession *answer = NULL;
  MtEndReason reason;

  self->delayed_offer = FALSE;
  if (self->state != MT_CALL_STATE_ENDED)
    {
      session_timer_follow (self, sip, TRUE);
      local = mt_media_session_dup_local (self->media);
      if ((offer = remote_sdp_from (sip, &error)) != NULL)
        answer = mt_sdp_build_answer (offer, local, self->local_sdp->session_id, &error);
    }
  if (answer == NULL)
    {
      /* our CANCEL crossed the 200, or an offer we cannot take: ACK, then BYE */
      nua_ack (self->nh, TAG_END ());
      nua_set_hparams (self->nh, NUTAG_AUTOACK (1), TAG_END ());
      if (error)
        g_message ("call %s: unusable offer in the 200: %s", self->id, error->message);
      nua_bye (self->nh, TAG_IF (error, SIPTAG_REASON_STR ("SIP;cause=488;text=\"Bad SDP offer\"")),
               TAG_END ());
      end (self, MT_END_REASON_NO_COMMON_CODEC);
      return;
    }
  g_clear_pointer (&self->local_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
  self->local_sdp = answer;
  self->remote_sdp = g_steal_pointer (&offer);
  sdp = local_sdp_string (self);
  nua_ack (self->nh,
           SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
           SIPTAG_PAYLOAD_STR (sdp),
           TAG_END ());
  nua_set_hparams (self->nh, NUTAG_AUTOACK (1), TAG_END ());
  if (!start_media (self, FALSE, &reason))
    {
      nua_bye (self->nh, TAG_END ());
      end (self, reason);
      return;
    }
  update_hold_state (self);
}

/* RFC 3960: a 183 (or 180) with SDP is the answer, early: the far end's
 * ringback or announcement plays while the call still rings. The 200 ends
 * the early phase (same SDP: media goes on as it is). */
static void
early_answer_arrived (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  MtEndReason reason;

  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0 ||
      self->delayed_offer || self->remote_sdp != NULL || self->reinvite_out ||
      self->state == MT_CALL_STATE_ENDED)
    return;
  self->remote_sdp = remote_sdp_from (sip, &error);
  if (self->remote_sdp == NULL)
    {
      g_message ("call %s: unusable early answer: %s", self->id, error->message);
      return;
    }
  if (!start_media (self, TRUE, &reason))
    {
      /* the 200 decides */
      g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
      return;
    }
  g_message ("call %s: early media", self->id);
  self->early_media = TRUE;
}

static void
answer_arrived (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  MtEndReason reason;

  if (self->delayed_offer)
    {
      answer_in_ack (self, sip);
      return;
    }
  if (self->state == MT_CALL_STATE_ENDED)
    {
      /* our CANCEL crossed the 200: nua has ACKed, now say goodbye */
      nua_bye (self->nh, TAG_END ());
      return;
    }
  session_timer_follow (self, sip, TRUE);
  if (self->refresh_out && self->remote_sdp && sip && sip->sip_payload &&
      answer_unchanged (self, sip))
    {
      /* a refresh the peer answered with the session it had: media goes on */
      self->reinvite_out = self->refresh_out = FALSE;
      g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
      return;
    }
  self->refresh_out = FALSE;
  if (self->early_media && !self->reinvite_out)
    {
      /* the answer came early: media runs; the 200 repeats it, or changes it */
      self->early_media = FALSE;
      if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0 ||
          answer_unchanged (self, sip))
        {
          update_hold_state (self);
          return;
        }
      g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
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
      nua_bye (self->nh,
               TAG_IF (reason == MT_END_REASON_NOT_ENCRYPTED,
                       SIPTAG_REASON_STR ("SIP;cause=488;text=\"The other phone does not support encrypted calls\"")),
               TAG_END ());
      end (self, reason);
      return;
    }
  self->reinvite_out = FALSE;
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  if (self->restart_out)
    restart_answered (self, TRUE);
  update_hold_state (self);
}

/* ---- redirects (3xx) ---------------------------------------------------------- */

#define MAX_REDIRECTS 5

static gboolean
already_tried (MtCall *self, const char *target)
{
  for (guint i = 0; i < self->redirects->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->redirects, i), target) == 0)
      return TRUE;
  return FALSE;
}

/* A 3xx names where the callee is now. nua itself retries the Contact of
 * a 3xx a few times (its retry count, which also drives digest
 * authentication, so it stays on); when it gives up the 3xx comes here:
 * call there on a new handle, once per target and at most MAX_REDIRECTS
 * times (loops end). FALSE: the 3xx ends the call. */
static gboolean
follow_redirect (MtCall *self, const sip_t *sip)
{
  g_autofree char *target = NULL;
  g_autofree char *to = NULL;
  g_autofree char *sdp = NULL;
  nua_handle_t *nh;

  if (sip == NULL || sip->sip_contact == NULL || self->nua == NULL ||
      self->direction != MT_CALL_DIRECTION_OUTGOING)
    return FALSE;
  if (self->redirects == NULL)
    {
      self->redirects = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->redirects, g_strdup (self->remote_uri));
    }
  target = url_as_string (NULL, sip->sip_contact->m_url);
  if (target == NULL || already_tried (self, target) || self->redirects->len > MAX_REDIRECTS)
    {
      g_message ("call %s: not following the redirect to %s", self->id, target ? target : "?");
      return FALSE;
    }
  g_message ("call %s: redirected to %s", self->id, target);
  g_ptr_array_add (self->redirects, g_strdup (target));
  to = g_strdup_printf ("<%s>", self->remote_uri);
  nh = nua_handle (self->nua, self, NUTAG_URL (target), SIPTAG_TO_STR (to), TAG_END ());
  if (nh == NULL)
    return FALSE;
  mt_call_release_handle (self);
  self->nh = nh;
  n_handles++;
  self->auth_tried = FALSE;
  sdp = local_sdp_string (self);
  if (self->delayed_offer)
    nua_set_hparams (self->nh, NUTAG_AUTOACK (0), TAG_END ());
  nua_invite (self->nh,
              TAG_IF (!self->delayed_offer, SIPTAG_CONTENT_TYPE_STR ("application/sdp")),
              TAG_IF (!self->delayed_offer, SIPTAG_PAYLOAD_STR (sdp)),
              TAG_END ());
  return TRUE;
}

/* 488/606 to an offer whose streams were all secure-only (our policy is
 * mandatory): the peer cannot do SRTP, which is what a person needs to know */
static gboolean
refused_for_encryption (MtCall *self, int status)
{
  if ((status != 488 && status != 606) || self->local_sdp == NULL)
    return FALSE;
  for (guint i = 0; i < self->local_sdp->streams->len; i++)
    {
      const MtSdpStream *stream = g_ptr_array_index (self->local_sdp->streams, i);

      if (stream->port != 0 && mt_sdp_proto_security (stream->proto) <= 0)
        return FALSE;
    }
  return self->local_sdp->streams->len > 0;
}

static void
handle_invite_response (MtCall *self, int status, const char *phrase, const sip_t *sip)
{
  if (status < 180)
    return;
  if (status < 200)
    {
      early_answer_arrived (self, sip);
      if (self->state == MT_CALL_STATE_CALLING)
        set_state (self, MT_CALL_STATE_RINGING, MT_END_REASON_NONE);
      return;
    }
  if (status < 300)
    {
      self->auth_tried = FALSE;  /* a later challenge in the call is a new one */
      answer_arrived (self, sip);
      return;
    }
  if ((status == 401 || status == 407) && self->state != MT_CALL_STATE_ENDED)
    {
      authenticate (self, status, sip);
      return;
    }
  if (status >= 300 && status < 400 && !self->reinvite_out &&
      self->state != MT_CALL_STATE_ENDED && follow_redirect (self, sip))
    return;
  if (self->reinvite_out && status != 481 && status != 408)
    {
      /* the peer kept the session as it was (491 glare, 488, ...): so do we */
      g_message ("call %s: re-INVITE refused: %d %s", self->id, status, phrase ? phrase : "");
      self->reinvite_out = FALSE;
      g_clear_pointer (&self->local_sdp, mt_sdp_session_free);
      self->local_sdp = g_steal_pointer (&self->previous_sdp);
      if (self->restart_out)
        restart_answered (self, FALSE);
      else if (!self->refresh_out)
        set_local_hold (self, !self->local_hold);
      self->refresh_out = FALSE;
      return;
    }
  remember_status (self, status, phrase);
  end (self, refused_for_encryption (self, status)
             ? MT_END_REASON_NOT_ENCRYPTED : mt_sip_status_to_reason (status, sip, sip_method_invite));
}

/* ---- incoming --------------------------------------------------------------- */

static void
respond_with_answer (MtCall *self)
{
  g_autofree char *sdp = local_sdp_string (self);

  /* a handle's pending INVITE is what nua_respond() answers by default */
  nua_respond (self->nh, SIP_200_OK,
               TAG_IF (self->in_update && self->nua, NUTAG_WITH_THIS (self->nua)),
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
  gboolean restarted;

  if (sip == NULL || sip->sip_payload == NULL)
    {
      self->local_sdp->session_version++;
      respond_with_answer (self);   /* an offer of ours; its answer comes in the ACK */
      return;
    }
  if (!(offer = remote_sdp_from (sip, &error)))
    {
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE,
                   TAG_IF (self->in_update && self->nua, NUTAG_WITH_THIS (self->nua)), TAG_END ());
      return;
    }
  /* the peer restarted ICE (its network changed): so do we, in this answer */
  restarted = mt_media_session_answer_ice_restart (self->media, offer);
  local = mt_media_session_dup_local (self->media);
  local->sdes = self->signalling_secure;
  local->audio_direction = local->video_direction = self->local_hold ? MT_SDP_SENDONLY
                                                                     : MT_SDP_SENDRECV;
  answer = mt_sdp_build_answer (offer, local, self->local_sdp->session_id, &error);
  if (answer == NULL)
    {
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE,
                   TAG_IF (self->in_update && self->nua, NUTAG_WITH_THIS (self->nua)), TAG_END ());
      return;
    }
  answer->session_version = self->local_sdp->session_version + 1;
  if (!restarted)
    mt_media_session_use_selected_pairs (self->media, answer, FALSE);
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

/* The INVITE had no offer and our 200 had one: the ACK carries the answer
 * (RFC 3264 / RFC 3261 13.3.1.4); an ACK without one ends the call */
static void
answer_from_ack (MtCall *self, const sip_t *sip)
{
  g_autoptr(GError) error = NULL;
  MtEndReason reason = MT_END_REASON_NO_COMMON_CODEC;

  self->offer_in_200 = FALSE;
  if (self->state == MT_CALL_STATE_ENDED)
    return;
  self->remote_sdp = remote_sdp_from (sip, &error);
  if (self->remote_sdp == NULL)
    g_message ("call %s: no usable answer in the ACK: %s", self->id, error->message);
  if (self->remote_sdp == NULL || !start_media (self, TRUE, &reason))
    {
      nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=488;text=\"Bad SDP answer\""),
               TAG_END ());
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
        {
          session_timer_follow (self, sip, FALSE);
          handle_reinvite (self, sip);
        }
      break;

    case nua_i_update:
      handle_update (self, sip);
      break;

    case nua_i_refer:
      refer_received (self, sip, tags);
      break;

    case nua_r_refer:
    case nua_i_notify:
      refer_progress (self, event, status, sip);
      break;

    case nua_i_ack:
      if (self->offer_in_200)
        answer_from_ack (self, sip);
      else if (self->state == MT_CALL_STATE_INCOMING || self->state == MT_CALL_STATE_NEW)
        set_state (self, MT_CALL_STATE_ACTIVE, MT_END_REASON_NONE);
      break;

    case nua_i_bye:
      end (self, (self->transferred || self->handed_on) ? MT_END_REASON_TRANSFERRED
                                                         : MT_END_REASON_REMOTE_HANGUP);
      break;

    case nua_i_info:
      dtmf_info_received (self, sip);
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
  if (self->reconnecting)
    return;   /* the network is gone: the reconnection's own limit applies */
  g_message ("call %s: no media for too long, hanging up", self->id);
  if (self->nh)
    nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=408;text=\"Media timeout\""), TAG_END ());
  end (self, MT_END_REASON_MEDIA_TIMEOUT);
}

/* DTLS-SRTP: the certificate that came is not the one the peer's SDP named
 * (a forged SDP, or someone between us): end the call, say why */
static void
encryption_failed_cb (MtMediaSession *media, gpointer user_data)
{
  MtCall *self = user_data;

  if (self->state == MT_CALL_STATE_ENDED)
    return;
  g_message ("call %s: the peer's DTLS certificate does not match its fingerprint, hanging up",
             self->id);
  if (self->nh && (self->state == MT_CALL_STATE_ACTIVE || self->state == MT_CALL_STATE_HELD))
    nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=488;text=\"DTLS fingerprint mismatch\""),
             TAG_END ());
  else if (self->nh && self->direction == MT_CALL_DIRECTION_OUTGOING)
    nua_cancel (self->nh, TAG_END ());
  else if (self->nh)
    nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
  end (self, MT_END_REASON_ENCRYPTION_FAILED);
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
  g_signal_connect_object (media, "dtmf", G_CALLBACK (media_dtmf_cb), self, 0);
  g_signal_connect_object (media, "encryption-failed", G_CALLBACK (encryption_failed_cb), self, 0);
  self->ring_timeout_id = g_timeout_add_seconds (RING_TIMEOUT_S, ring_timeout_cb, self);
  return self;
}

/* MTAVIP_TEST_SDES_OVER_PLAIN=1 (tests only, never for real calls): treat
 * plain signalling as secure, so that SDES can be tried between two phones
 * without TLS. SDES keys in clear SIP are readable by anyone on the path. */
static gboolean
test_sdes_over_plain (void)
{
  return g_strcmp0 (g_getenv ("MTAVIP_TEST_SDES_OVER_PLAIN"), "1") == 0;
}

/* sips: or ;transport=tls: the request goes out over TLS */
static gboolean
uri_is_secure (const char *uri)
{
  g_autofree char *lower = g_ascii_strdown (uri, -1);

  return test_sdes_over_plain () || g_str_has_prefix (lower, "sips:") ||
         strstr (lower, ";transport=tls") != NULL;
}

/* the INVITE's last hop: the transport of its topmost Via */
static gboolean
request_is_secure (const sip_t *sip)
{
  const char *protocol = sip && sip->sip_via ? sip->sip_via->v_protocol : NULL;

  return test_sdes_over_plain () ||
         (protocol != NULL && g_str_has_suffix (protocol, "/TLS"));
}

static MtCall *
call_new_outgoing (nua_t          *nua,
                   MtCredentials  *credentials,
                   const char     *id,
                   const char     *uri,
                   gboolean        over_tls,
                   MtMediaSession *media,
                   nua_handle_t      *notify_refer,
                   sip_event_t const *refer_event,
                   const char        *replaces,
                   gboolean           delayed_offer)
{
  g_autoptr(MtCall) self = call_new (credentials, id, MT_CALL_DIRECTION_OUTGOING, media);
  g_autoptr(MtSdpLocal) local = mt_media_session_dup_local (media);
  g_autofree char *sdp = NULL;
  g_autofree char *to = NULL;

  self->remote_uri = g_strdup (uri);
  self->signalling_secure = over_tls || uri_is_secure (uri);
  local->sdes = self->signalling_secure;
  self->local_sdp = mt_sdp_build_offer (local, (guint64) g_get_real_time ());
  self->has_video = local->video_port != 0;
  sdp = local_sdp_string (self);

  to = g_strdup_printf ("<%s>", uri);
  self->nua = nua;
  self->nh = nua_handle (nua, self, NUTAG_URL (uri), SIPTAG_TO_STR (to), TAG_END ());
  if (self->nh == NULL)
    return NULL;
  n_handles++;
  self->delayed_offer = delayed_offer;
  if (delayed_offer)
    nua_set_hparams (self->nh, NUTAG_AUTOACK (0), TAG_END ());
  nua_invite (self->nh,
              /* a transfer we follow: nua tells the referrer how it goes */
              TAG_IF (notify_refer, NUTAG_NOTIFY_REFER (notify_refer)),
              TAG_IF (notify_refer && refer_event, NUTAG_REFER_EVENT (refer_event)),
              /* an attended transfer: this call takes the place of one the
               * target has with the referrer (RFC 3891) */
              TAG_IF (replaces, SIPTAG_REPLACES_STR (replaces)),
              TAG_IF (!delayed_offer, SIPTAG_CONTENT_TYPE_STR ("application/sdp")),
              TAG_IF (!delayed_offer, SIPTAG_PAYLOAD_STR (sdp)),
              TAG_END ());
  set_state (self, MT_CALL_STATE_CALLING, MT_END_REASON_NONE);
  return g_steal_pointer (&self);
}

MtCall *
mt_call_new_outgoing (nua_t          *nua,
                      MtCredentials  *credentials,
                      const char     *id,
                      const char     *uri,
                      gboolean        over_tls,
                      MtMediaSession *media)
{
  return call_new_outgoing (nua, credentials, id, uri, over_tls, media, NULL, NULL, NULL, FALSE);
}

MtCall *
mt_call_new_outgoing_delayed_offer (nua_t          *nua,
                                    MtCredentials  *credentials,
                                    const char     *id,
                                    const char     *uri,
                                    gboolean        over_tls,
                                    MtMediaSession *media)
{
  return call_new_outgoing (nua, credentials, id, uri, over_tls, media, NULL, NULL, NULL, TRUE);
}

static void
set_remote_identity (MtCall *self, const url_t *url, const char *display)
{
  g_autofree char *uri = url_as_string (NULL, url);

  g_free (self->remote_uri);
  self->remote_uri = mt_text_from_network (uri, -1, FALSE);
  g_clear_pointer (&self->remote_name, g_free);
  if (display && *display)
    {
      self->remote_name = mt_text_from_network (display, -1, FALSE);
      if (self->remote_name[0] == '"')
        {
          g_autofree char *quoted = self->remote_name;

          self->remote_name = g_strndup (quoted + 1, MAX (strlen (quoted), 2) - 2);
        }
    }
}

static void
take_remote_identity (MtCall *self, const sip_t *sip)
{
  const sip_from_t *from = sip ? sip->sip_from : NULL;

  if (from != NULL)
    set_remote_identity (self, from->a_url, from->a_display);
}

/* the first sip: or sips: identity of a P-Asserted-Identity list, else its
 * first one (tel:) */
static const sip_p_asserted_identity_t *
pick_asserted (const sip_p_asserted_identity_t *list, const sip_p_asserted_identity_t *best)
{
  for (; list; list = list->paid_next)
    if (best == NULL ||
        (best->paid_url->url_type == url_tel && list->paid_url->url_type != url_tel))
      best = list;
  return best;
}

/* RFC 3325: the caller's identity as our proxy asserts it
 * (P-Asserted-Identity). Only for a request that came through our proxy
 * (the caller is `verified`): from anyone else the header means nothing
 * and is ignored. Sofia may know the header or leave it unparsed. */
static void
take_asserted_identity (MtCall *self, const sip_t *sip)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  const sip_p_asserted_identity_t *best = NULL;

  if (sip == NULL)
    return;
  best = pick_asserted (sip_p_asserted_identity (sip), NULL);
  for (const msg_unknown_t *u = sip->sip_unknown; u; u = u->un_next)
    if (u->un_name && u->un_value && g_ascii_strcasecmp (u->un_name, "P-Asserted-Identity") == 0)
      best = pick_asserted ((sip_p_asserted_identity_t *)
                            msg_header_make (home, sip_p_asserted_identity_class, u->un_value),
                            best);
  if (best && (best->paid_url->url_type == url_sip || best->paid_url->url_type == url_sips ||
               best->paid_url->url_type == url_tel))
    {
      set_remote_identity (self, best->paid_url, best->paid_display);
      g_debug ("call %s: the caller as our proxy asserts it: %s", self->id, self->remote_uri);
    }
  su_home_deinit (home);
}

/* Answer-or-refuse decisions that need no person: malformed or useless offers.
 * over_tls: the account takes requests over TLS only */
static gboolean
prepare_answer (MtCall *self, const sip_t *sip, gboolean over_tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MtSdpLocal) local = mt_media_session_dup_local (self->media);
  g_autofree char *warning = NULL;

  self->signalling_secure = over_tls || request_is_secure (sip);
  local->sdes = self->signalling_secure;
  if (sip != NULL && (sip->sip_payload == NULL || sip->sip_payload->pl_len == 0))
    {
      /* RFC 3261 13.2.1: no offer in the INVITE: ours goes in the 200 */
      self->offer_in_200 = TRUE;
      self->local_sdp = mt_sdp_build_offer (local, (guint64) g_get_real_time ());
      self->has_video = local->video_port != 0;
      return TRUE;
    }
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
  end (self, g_error_matches (error, MT_SDP_ERROR, MT_SDP_ERROR_NOT_ENCRYPTED)
             ? MT_END_REASON_NOT_ENCRYPTED : MT_END_REASON_NO_COMMON_CODEC);
  return FALSE;
}

MtCall *
mt_call_new_incoming (MtCredentials  *credentials,
                      const char     *id,
                      nua_handle_t   *nh,
                      const sip_t    *sip,
                      gboolean        verified,
                      gboolean        over_tls,
                      MtMediaSession *media)
{
  MtCall *self = call_new (credentials, id, MT_CALL_DIRECTION_INCOMING, media);

  self->caller_verified = verified;

  self->nh = nua_handle_ref (nh);
  n_handles++;
  nua_handle_bind (nh, self);
  take_remote_identity (self, sip);
  if (verified)
    take_asserted_identity (self, sip);
  if (prepare_answer (self, sip, over_tls))
    {
      session_timer_follow (self, sip, FALSE);
      /* the 180 waits for mt_call_ring(): a call refused at once (do not
       * disturb) or answered at once (RFC 3891 Replaces) never rings */
      set_state (self, MT_CALL_STATE_INCOMING, MT_END_REASON_NONE);
    }
  return self;
}

void
mt_call_ring (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (self->backend || self->nh == NULL || self->state != MT_CALL_STATE_INCOMING ||
      self->answered)
    return;
  nua_respond (self->nh, SIP_180_RINGING, TAG_END ());
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
mt_call_get_signalling_secure (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->signalling_secure;
}

gboolean
mt_call_get_caller_verified (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->direction == MT_CALL_DIRECTION_OUTGOING || self->caller_verified;
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

  if (self->backend)
    {
      if (self->state == MT_CALL_STATE_INCOMING && self->backend_data)
        self->backend->answer (self, self->backend_data);
      return;
    }
  if (self->state != MT_CALL_STATE_INCOMING || self->nh == NULL || self->answered)
    return;
  self->answered = TRUE;
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  /* The answer SDP was ready while ringing: send it first, so that call
   * setup does not wait for sound devices to open; media starts right after */
  respond_with_answer (self);
  if (self->offer_in_200)
    return;
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
  if (self->backend)
    {
      if ((self->state == MT_CALL_STATE_ACTIVE || self->state == MT_CALL_STATE_HELD) &&
          self->backend->set_hold && self->backend_data && self->local_hold != hold)
        self->backend->set_hold (self, hold, self->backend_data);
      return;
    }
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
  mt_media_session_use_selected_pairs (self->media, offer, TRUE);
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

  if (self->backend)
    {
      if (self->state == MT_CALL_STATE_INCOMING && self->backend_data)
        self->backend->decline (self, self->backend_data);
      return;
    }
  if (self->state != MT_CALL_STATE_INCOMING || self->nh == NULL)
    return;
  nua_respond (self->nh, SIP_603_DECLINE, TAG_END ());
  end (self, MT_END_REASON_DECLINED);
}

void
mt_call_hangup (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (self->backend)
    {
      if (self->state != MT_CALL_STATE_ENDED && self->backend_data)
        self->backend->hangup (self, self->backend_data);
      else if (self->state != MT_CALL_STATE_ENDED)
        end (self, MT_END_REASON_LOCAL_HANGUP);
      return;
    }
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
    case PROP_RECONNECTING: g_value_set_boolean (value, self->reconnecting); break;
    case PROP_NETWORK_NOTICE: g_value_set_string (value, mt_call_get_network_notice (self)); break;
    case PROP_TRANSFERRING: g_value_set_boolean (value, self->transfer_out); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_call_dispose (GObject *object)
{
  MtCall *self = MT_CALL (object);

  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  network_watch (self, FALSE);
  dtmf_stop (self);
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
  g_free (self->refer_replaces);
  if (self->dtmf_queue)
    g_string_free (self->dtmf_queue, TRUE);
  g_clear_pointer (&self->local_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->remote_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  g_clear_pointer (&self->redirects, g_ptr_array_unref);
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
  /* the address the call used went away: ICE looks for a new path (the call
   * ends, network-error, when no network comes back in time) */
  props[PROP_RECONNECTING] = g_param_spec_boolean ("reconnecting", NULL, NULL, FALSE, ro);
  /* "Reconnecting…" (translated) while reconnecting, else NULL */
  props[PROP_NETWORK_NOTICE] = g_param_spec_string ("network-notice", NULL, NULL, NULL, ro);
  /* our REFER is out and its outcome not known yet (mt_call_get_transferring) */
  props[PROP_TRANSFERRING] = g_param_spec_boolean ("transferring", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* A DTMF digit ("0"-"9", "*", "#", "A"-"D"): sent (incoming FALSE) as it
   * starts, or received (TRUE); method "rfc4733" (RTP telephone-event) or
   * "info" (SIP INFO, application/dtmf-relay) */
  /* The peer asks us (REFER) to call `target` instead: the handler places
   * that call with mt_call_new_transfer() while the signal runs */
  signals[SIGNAL_TRANSFER] =
    g_signal_new ("transfer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_DTMF] =
    g_signal_new ("dtmf", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING);
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

/* ---- other signalling protocols: mt-call-backend.h ---------------------------- */

const char *
mt_call_get_protocol (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->backend ? self->backend->protocol : "sip";
}

MtCall *
mt_call_new_for_backend (const MtCallBackend *backend,
                         gpointer             data,
                         const char          *id,
                         MtCallDirection      direction,
                         const char          *remote_uri,
                         const char          *remote_name,
                         MtMediaSession      *media)
{
  MtCall *self;

  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (MT_IS_MEDIA_SESSION (media), NULL);

  self = g_object_new (MT_TYPE_CALL, NULL);
  self->backend = backend;
  self->backend_data = data;
  self->id = g_strdup (id);
  self->direction = direction;
  self->remote_uri = g_strdup (remote_uri);
  self->remote_name = g_strdup (remote_name);
  self->media = g_object_ref (media);
  g_signal_connect_object (media, "media-timeout", G_CALLBACK (media_timeout_cb), self, 0);
  g_signal_connect_object (media, "error", G_CALLBACK (media_error_cb), self, 0);
  return self;
}

void
mt_call_backend_set_state (MtCall      *self,
                           MtCallState  state,
                           MtEndReason  reason,
                           const char  *end_status)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (state == MT_CALL_STATE_ENDED && end_status && self->state != MT_CALL_STATE_ENDED)
    {
      g_free (self->end_status);
      self->end_status = g_strdup (end_status);
    }
  set_state (self, state, reason);
}

void
mt_call_backend_set_has_video (MtCall *self, gboolean has_video)
{
  g_return_if_fail (MT_IS_CALL (self));
  set_has_video (self, !!has_video);
}

void
mt_call_backend_set_hold (MtCall *self, gboolean hold)
{
  g_return_if_fail (MT_IS_CALL (self));
  set_local_hold (self, !!hold);
}

void
mt_call_backend_detach (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));
  self->backend_data = NULL;
}

/* ---- DTMF ------------------------------------------------------------------- */

/* how long a digit sounds and the pause before the next, which covers its
 * three end packets, 20 ms apart (ITU-T Q.24 asks for at least 40 ms of
 * each; IVRs like more) */
#define DTMF_TONE_MS 160
#define DTMF_GAP_MS  120

#define DTMF_METHOD_RFC4733 "rfc4733"
#define DTMF_METHOD_INFO    "info"

static void
emit_dtmf (MtCall *self, char digit, gboolean incoming, const char *method)
{
  char text[2] = { digit, '\0' };

  g_signal_emit (self, signals[SIGNAL_DTMF], 0, text, incoming, method);
}

static void
dtmf_stop (MtCall *self)
{
  g_clear_handle_id (&self->dtmf_timer, g_source_remove);
  if (self->dtmf_queue)
    g_string_truncate (self->dtmf_queue, 0);
}

static void
send_info_digit (MtCall *self, char digit)
{
  g_autofree char *body = g_strdup_printf ("Signal=%c\r\nDuration=%d\r\n", digit, DTMF_TONE_MS);

  nua_info (self->nh,
            SIPTAG_CONTENT_TYPE_STR ("application/dtmf-relay"),
            SIPTAG_PAYLOAD_STR (body),
            TAG_END ());
}

/* one digit, then the next after the tone, its three end packets and a gap */
static gboolean
dtmf_next_cb (gpointer user_data)
{
  MtCall *self = user_data;
  guint event;
  char digit;

  self->dtmf_timer = 0;
  if (self->dtmf_queue->len == 0 || self->nh == NULL ||
      (self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD))
    {
      g_string_truncate (self->dtmf_queue, 0);
      return G_SOURCE_REMOVE;
    }
  digit = g_ascii_toupper (self->dtmf_queue->str[0]);
  g_string_erase (self->dtmf_queue, 0, 1);
  mt_dtmf_digit_to_event (digit, &event);

  if (mt_media_session_can_send_dtmf (self->media))
    {
      mt_media_session_send_dtmf (self->media, event, DTMF_TONE_MS);
      emit_dtmf (self, digit, FALSE, DTMF_METHOD_RFC4733);
    }
  else
    {
      send_info_digit (self, digit);
      emit_dtmf (self, digit, FALSE, DTMF_METHOD_INFO);
    }
  self->dtmf_timer = g_timeout_add (DTMF_TONE_MS + DTMF_GAP_MS, dtmf_next_cb, self);
  return G_SOURCE_REMOVE;
}

/* Send `digits` (0-9 * # A-D) one after the other: as RFC 4733 events when
 * the peer takes telephone-event, else as SIP INFO (application/dtmf-relay).
 * Digits sent while others are still going out queue behind them. FALSE
 * when the call is not up or a character is not a DTMF digit. */
gboolean
mt_call_send_dtmf (MtCall *self, const char *digits)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  if (self->backend)
    {
      if (self->backend->send_dtmf == NULL || self->backend_data == NULL ||
          !mt_dtmf_digits_valid (digits) ||
          (self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
          !self->backend->send_dtmf (self, digits, self->backend_data))
        return FALSE;
      for (const char *d = digits; *d; d++)
        emit_dtmf (self, g_ascii_toupper (*d), FALSE, self->backend->protocol);
      return TRUE;
    }
  if (!mt_dtmf_digits_valid (digits) || self->nh == NULL ||
      (self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD))
    return FALSE;
  if (self->dtmf_queue == NULL)
    self->dtmf_queue = g_string_new (NULL);
  g_string_append (self->dtmf_queue, digits);
  if (self->dtmf_timer == 0)
    dtmf_next_cb (self);
  return TRUE;
}

static void
media_dtmf_cb (MtMediaSession *media, guint event, guint duration, gpointer user_data)
{
  MtCall *self = user_data;
  char digit = mt_dtmf_event_to_digit (event);

  g_debug ("call %s: RFC 4733 event %u, duration %u", self->id, event, duration);
  if (digit != '\0')
    emit_dtmf (self, digit, TRUE, DTMF_METHOD_RFC4733);
}

/* "Signal=5\r\nDuration=160" (application/dtmf-relay) or "5"
 * (application/dtmf); nua has answered the INFO with 200 already */
static void
dtmf_info_received (MtCall *self, const sip_t *sip)
{
  g_autofree char *body = NULL;
  const char *type = sip && sip->sip_content_type ? sip->sip_content_type->c_type : NULL;
  const char *p;

  if (sip == NULL || sip->sip_payload == NULL || type == NULL)
    return;
  body = g_strndup (sip->sip_payload->pl_data, MIN (sip->sip_payload->pl_len, 1024));
  if (g_ascii_strcasecmp (type, "application/dtmf-relay") == 0)
    {
      p = strstr (body, "Signal");
      if (p == NULL)
        return;
      p += strlen ("Signal");
      while (*p == ' ' || *p == '\t' || *p == '=')
        p++;
    }
  else if (g_ascii_strcasecmp (type, "application/dtmf") == 0)
    {
      for (p = body; *p == ' ' || *p == '\t'; p++)
        ;
    }
  else
    return;
  if (mt_dtmf_digit_to_event (*p, NULL))
    emit_dtmf (self, g_ascii_toupper (*p), TRUE, DTMF_METHOD_INFO);
}

/* the peer pressed a key, said through another protocol (H.245 user input) */
void
mt_call_backend_dtmf_received (MtCall *self, char digit)
{
  g_return_if_fail (MT_IS_CALL (self));
  emit_dtmf (self, g_ascii_toupper (digit), TRUE, self->backend ? self->backend->protocol : "sip");
}

/* ---- offer/answer outside the INVITE ------------------------------------------- */

/* RFC 3311: an UPDATE with an offer gets our answer in its 200 (as a
 * re-INVITE does); without a body it only refreshes the session */
static void
handle_update (MtCall *self, const sip_t *sip)
{
  gboolean offer = sip && sip->sip_payload && sip->sip_payload->pl_len > 0;

  if (self->nh == NULL)
    return;
  if (!offer)
    {
      session_timer_follow (self, sip, FALSE);
      nua_respond (self->nh, SIP_200_OK,
                   TAG_IF (self->nua, NUTAG_WITH_THIS (self->nua)), TAG_END ());
      return;
    }
  if ((self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
      self->reinvite_out || self->nua == NULL)
    {
      /* an early offer, or ours is still out (RFC 3311 5.2) */
      nua_respond (self->nh, SIP_491_REQUEST_PENDING,
                   TAG_IF (self->nua, NUTAG_WITH_THIS (self->nua)), TAG_END ());
      return;
    }
  session_timer_follow (self, sip, FALSE);
  self->in_update = TRUE;
  handle_reinvite (self, sip);
  self->in_update = FALSE;
}

void
mt_call_set_nua (MtCall *self, nua_t *nua)
{
  g_return_if_fail (MT_IS_CALL (self));
  self->nua = nua;
}

/* RFC 4028: when the peer makes us the refresher, we refresh a little
 * before nua would (it sends a re-INVITE without SDP): a re-INVITE that
 * offers our current SDP, unchanged, so its answer needs nothing more. */
#define MIN_SESSION_INTERVAL_S 90

static gboolean
refresh_cb (gpointer user_data)
{
  MtCall *self = user_data;
  g_autofree char *sdp = NULL;

  self->refresh_id = 0;
  if ((self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
      self->nh == NULL || self->reinvite_out || self->local_sdp == NULL)
    return G_SOURCE_REMOVE;
  g_debug ("call %s: refreshing the session", self->id);
  self->reinvite_out = self->refresh_out = TRUE;
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  self->previous_sdp = mt_sdp_session_copy (self->local_sdp);
  sdp = local_sdp_string (self);
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (sdp),
              TAG_END ());
  return G_SOURCE_REMOVE;
}

/* `sip`: a request we answer (we_are_uac FALSE) or a 2xx to ours (TRUE) */
static void
session_timer_follow (MtCall *self, const sip_t *sip, gboolean we_are_uac)
{
  const sip_session_expires_t *x = sip ? sip->sip_session_expires : NULL;
  guint interval, delay;

  if (x == NULL || x->x_refresher == NULL)
    return;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (g_ascii_strcasecmp (x->x_refresher, we_are_uac ? "uac" : "uas") != 0)
    return;   /* the peer refreshes */
  interval = MAX ((guint) x->x_delta, MIN_SESSION_INTERVAL_S);
  /* nua refreshes between half the interval - 5 s and + 5 s */
  delay = interval / 2 - 10;
  self->refresh_id = g_timeout_add_seconds (delay, refresh_cb, self);
}

/* ---- transfer (RFC 3515) ---------------------------------------------------------- */

/* the "transferring" property: notified once per change */
static void
set_transfer_out (MtCall *self, gboolean out)
{
  if (self->transfer_out == out)
    return;
  self->transfer_out = out;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRANSFERRING]);
}

/* We transfer: REFER the peer to `target`; its NOTIFYs (message/sipfrag)
 * tell how the new call goes; when it is answered we hang up with reason
 * "transferred". FALSE when the call is not up or a transfer is out. */
gboolean
mt_call_transfer (MtCall *self, const char *target)
{
  g_autofree char *refer_to = NULL;

  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  if ((self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
      self->nh == NULL || self->transfer_out)
    return FALSE;
  set_transfer_out (self, TRUE);
  refer_to = g_strdup_printf ("<%s>", target);
  g_message ("call %s: transferring to %s", self->id, target);
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
  return TRUE;
}

/* "SIP/2.0 200 OK" -> 200; 0 when it is no status line */
static int
sipfrag_status (const sip_t *sip)
{
  int status = 0;

  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len < 12)
    return 0;
  if (sscanf (sip->sip_payload->pl_data, "SIP/2.0 %d", &status) != 1)
    return 0;
  return status;
}

static void
refer_progress (MtCall *self, nua_event_t event, int status, const sip_t *sip)
{
  int frag;

  if (!self->transfer_out)
    return;
  if (event == nua_r_refer)
    {
      if (status >= 300)
        {
          g_message ("call %s: the transfer was refused: %d", self->id, status);
          set_transfer_out (self, FALSE);
        }
      return;
    }
  frag = sipfrag_status (sip);
  g_debug ("call %s: transfer progress %d", self->id, frag);
  if (frag >= 200 && frag < 300)
    {
      g_autoptr(MtCall) keep = g_object_ref (self);

      if (self->nh)
        nua_bye (self->nh, TAG_END ());
      /* ended first: "transferring" going FALSE on a call still up means
       * the transfer failed */
      end (self, MT_END_REASON_TRANSFERRED);
      set_transfer_out (self, FALSE);
    }
  else if (frag >= 300)
    {
      g_message ("call %s: the transfer failed: %d", self->id, frag);
      set_transfer_out (self, FALSE);
    }
}

/* "Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2&..." -> "abc@h;to-tag=1;from-tag=2" */
static char *
replaces_from_headers (const char *headers)
{
  g_auto(GStrv) fields = NULL;

  if (headers == NULL)
    return NULL;
  fields = g_strsplit (headers, "&", -1);
  for (guint i = 0; fields[i]; i++)
    {
      const char *eq = strchr (fields[i], '=');

      if (eq && (gsize) (eq - fields[i]) == strlen ("Replaces") &&
          g_ascii_strncasecmp (fields[i], "Replaces", eq - fields[i]) == 0)
        return g_uri_unescape_string (eq + 1, NULL);
    }
  return NULL;
}

/* We are transferred: accept (202; nua sends the first NOTIFY) and let the
 * handler of "transfer" place the new call, which notifies the referrer
 * of its progress. This call ends "transferred" once the new one is up. */
static void
refer_received (MtCall *self, const sip_t *sip, tagi_t tags[])
{
  g_autofree char *target = NULL;
  const sip_refer_to_t *refer_to = sip ? sip->sip_refer_to : NULL;
  url_t bare;

  if (self->nh == NULL || self->nua == NULL)
    return;
  if (refer_to == NULL ||
      (self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
      self->transferred)
    {
      nua_respond (self->nh, refer_to ? 603 : 400, refer_to ? "Decline" : "Missing Refer-To",
                   NUTAG_WITH_THIS (self->nua), TAG_END ());
      return;
    }
  /* the target without its ?headers; of those we take Replaces only */
  bare = *refer_to->r_url;
  bare.url_headers = NULL;
  target = url_as_string (NULL, &bare);
  g_clear_pointer (&self->refer_replaces, g_free);
  self->refer_replaces = replaces_from_headers (refer_to->r_url->url_headers);
  nua_respond (self->nh, SIP_202_ACCEPTED, NUTAG_WITH_THIS (self->nua), TAG_END ());
  self->transferred = TRUE;
  self->refer_event = NULL;
  tl_gets (tags, NUTAG_REFER_EVENT_REF (self->refer_event), TAG_END ());
  g_message ("call %s: transferred to %s%s", self->id, target,
             self->refer_replaces ? " (attended, with Replaces)" : "");
  g_signal_emit (self, signals[SIGNAL_TRANSFER], 0, target);
  self->refer_event = NULL;
}

/* the new call is up: the one it replaces goes */
static void
transfer_target_state_cb (MtCall *call, GParamSpec *pspec, MtCall *old)
{
  MtCallState state = mt_call_get_state (call);

  if (state == MT_CALL_STATE_ACTIVE && old->state != MT_CALL_STATE_ENDED)
    {
      if (old->nh)
        nua_bye (old->nh, TAG_END ());
      end (old, MT_END_REASON_TRANSFERRED);
    }
  if (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_ENDED)
    {
      if (state == MT_CALL_STATE_ENDED && old->state != MT_CALL_STATE_ENDED)
        old->transferred = FALSE;   /* the target did not answer: we stay */
      g_signal_handlers_disconnect_by_data (call, old);
    }
}

MtCall *
mt_call_new_transfer (nua_t          *nua,
                      MtCredentials  *credentials,
                      const char     *id,
                      const char     *uri,
                      gboolean        over_tls,
                      MtMediaSession *media,
                      MtCall         *referrer)
{
  MtCall *self;

  g_return_val_if_fail (MT_IS_CALL (referrer), NULL);

  self = call_new_outgoing (nua, credentials, id, uri, over_tls, media,
                            referrer->nh, referrer->refer_event, referrer->refer_replaces,
                            FALSE);
  if (self)
    g_signal_connect_object (self, "notify::state", G_CALLBACK (transfer_target_state_cb),
                             referrer, 0);
  return self;
}

/* ---- TLS ------------------------------------------------------------------------- */

void
mt_call_set_tls_problem (MtCall *self, MtTlsProblem problem)
{
  g_return_if_fail (MT_IS_CALL (self));
  self->tls_problem = problem;
}

MtTlsProblem
mt_call_get_tls_problem (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), MT_TLS_PROBLEM_NONE);
  return self->tls_problem;
}

/* ---- network changes (ICE restart, RFC 8445 section 9) ----------------------------
 *
 * While an ICE call is up we watch GNetworkMonitor. When the address our
 * media leaves from is no longer on this machine (Wi-Fi to cable, a new
 * DHCP lease), the call is "reconnecting": as soon as a network is there
 * again, a new ICE agent gathers on today's addresses and a re-INVITE
 * offers it (new ufrag/pwd: an ICE restart); the peer restarts too, the
 * checks find a new path and media flows again on the same call. The
 * account re-REGISTERs on the same signal (mt-account.c). With no network
 * for RECONNECT_GIVE_UP_S the call ends with reason network-error. */

#define SWAP_SDP(a, b) G_STMT_START { MtSdpSession *tmp_ = (a); (a) = (b); (b) = tmp_; } G_STMT_END
#define RECONNECT_GIVE_UP_S 30
#define RECONNECT_POLL_MS   500
#define LOSS_POLL_MS        1000

static void
set_reconnecting (MtCall *self, gboolean reconnecting)
{
  if (self->reconnecting == reconnecting)
    return;
  self->reconnecting = reconnecting;
  g_message ("call %s: %s", self->id, reconnecting ? "the network changed, reconnecting"
                                                   : "reconnected");
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECONNECTING]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NETWORK_NOTICE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
stop_reconnecting (MtCall *self)
{
  g_clear_handle_id (&self->give_up_id, g_source_remove);
  g_clear_handle_id (&self->reconnect_poll_id, g_source_remove);
  self->restart_sent = FALSE;
  set_reconnecting (self, FALSE);
}

static gboolean
give_up_cb (gpointer user_data)
{
  MtCall *self = user_data;

  self->give_up_id = 0;
  g_message ("call %s: no network for %d s, hanging up", self->id, RECONNECT_GIVE_UP_S);
  if (self->nh)
    nua_bye (self->nh, SIPTAG_REASON_STR ("SIP;cause=408;text=\"Network lost\""), TAG_END ());
  end (self, MT_END_REASON_NETWORK_ERROR);
  return G_SOURCE_REMOVE;
}

/* Our offer for the restart: the session as it is (codecs, payload
 * numbers, directions), with the new agent's default candidates and ICE
 * attributes. */
static MtSdpSession *
restart_offer (MtCall *self)
{
  g_autoptr(MtSdpLocal) local = mt_media_session_dup_local (self->media);
  MtSdpSession *offer = mt_sdp_session_copy (self->local_sdp);

  offer->session_version++;
  g_free (offer->address);
  offer->address = g_strdup (local->address);
  for (guint i = 0; i < offer->streams->len; i++)
    {
      MtSdpStream *stream = g_ptr_array_index (offer->streams, i);
      gboolean audio = stream->kind == MT_SDP_MEDIA_AUDIO;
      MtSdpIce *ice = audio ? local->audio_ice : local->video_ice;

      if (stream->port == 0 || ice == NULL)
        continue;
      stream->port = audio ? local->audio_port : local->video_port;
      stream->rtcp_port = audio ? local->audio_rtcp_port : local->video_rtcp_port;
      g_free (stream->address);
      stream->address = g_strdup (local->address);
      g_clear_pointer (&stream->ice, mt_sdp_ice_free);
      stream->ice = mt_sdp_ice_copy (ice);
    }
  return offer;
}

static void
send_restart (MtCall *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sdp = NULL;

  if (!mt_media_session_renew_ice (self->media, &error))
    {
      g_message ("call %s: no new ICE agent yet: %s", self->id, error->message);
      return;
    }
  g_message ("call %s: restarting ICE from the new network", self->id);
  self->restart_sent = self->restart_out = self->reinvite_out = TRUE;
  g_clear_pointer (&self->previous_sdp, mt_sdp_session_free);
  self->previous_sdp = restart_offer (self);
  /* previous_sdp: what we had, should the peer refuse */
  SWAP_SDP (self->local_sdp, self->previous_sdp);
  sdp = local_sdp_string (self);
  nua_invite (self->nh,
              SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (sdp),
              TAG_END ());
}

static void
restart_answered (MtCall *self, gboolean accepted)
{
  self->restart_out = FALSE;
  if (accepted)
    return;   /* reconnect_poll_cb sees ICE connect */
  g_message ("call %s: the peer refused our ICE restart", self->id);
  mt_media_session_drop_renewed_ice (self->media);
  self->restart_sent = FALSE;   /* try again on the next poll */
}

static gboolean
reconnect_poll_cb (gpointer user_data)
{
  MtCall *self = user_data;

  if (self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD)
    return G_SOURCE_CONTINUE;
  if (!self->restart_sent)
    {
      if (g_network_monitor_get_network_available (self->monitor) && !self->reinvite_out &&
          self->nh != NULL && mt_media_session_network_ready (self->media))
        send_restart (self);
    }
  else if (!self->restart_out && mt_media_session_ice_connected (self->media))
    {
      self->reconnect_poll_id = 0;
      stop_reconnecting (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, MtCall *self)
{
  if (self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD)
    return;
  if (!self->reconnecting)
    {
      if (!mt_media_session_network_lost (self->media))
        return;
      set_reconnecting (self, TRUE);
      self->restart_sent = FALSE;
      self->give_up_id = g_timeout_add_seconds (RECONNECT_GIVE_UP_S, give_up_cb, self);
      self->reconnect_poll_id = g_timeout_add (RECONNECT_POLL_MS, reconnect_poll_cb, self);
    }
  else if (self->restart_sent && !self->restart_out && mt_media_session_network_lost (self->media))
    self->restart_sent = FALSE;   /* the network changed again under the new agent */
  if (available)
    reconnect_poll_cb (self);
}

static gboolean
loss_poll_cb (gpointer user_data)
{
  MtCall *self = user_data;

  if (!self->reconnecting)
    network_changed_cb (self->monitor, g_network_monitor_get_network_available (self->monitor),
                        self);
  return G_SOURCE_CONTINUE;
}

static void
network_watch (MtCall *self, gboolean watch)
{
  if (!watch)
    {
      g_clear_handle_id (&self->loss_poll_id, g_source_remove);
      g_clear_signal_handler (&self->network_id, self->monitor);
      g_clear_object (&self->monitor);
      g_clear_handle_id (&self->give_up_id, g_source_remove);
      g_clear_handle_id (&self->reconnect_poll_id, g_source_remove);
      return;
    }
  if (self->monitor != NULL || self->backend != NULL || self->media == NULL ||
      !mt_media_session_uses_ice (self->media))
    return;
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_id = g_signal_connect (self->monitor, "network-changed",
                                       G_CALLBACK (network_changed_cb), self);
  self->loss_poll_id = g_timeout_add (LOSS_POLL_MS, loss_poll_cb, self);
}

gboolean
mt_call_get_reconnecting (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->reconnecting;
}

const char *
mt_call_get_network_notice (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), NULL);
  return self->reconnecting ? _("Reconnecting…") : NULL;
}

/* ---- attended transfer (RFC 3891, RFC 5589) ----------------------------------------- */

/* We transfer after consulting: the peer of this call is to call the far end
 * of `consultation` in our place, its INVITE replacing our consultation
 * dialog: Refer-To: <target?Replaces=call-id;to-tag=...;from-tag=...>. The
 * target ends that dialog with a BYE (the consultation ends "transferred"),
 * the NOTIFY 200 ends this call "transferred". */
gboolean
mt_call_transfer_attended (MtCall *self, MtCall *consultation)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autofree char *refer_to = NULL;
  sip_replaces_t *replaces;
  char *query;

  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  g_return_val_if_fail (MT_IS_CALL (consultation), FALSE);

  if ((self->state != MT_CALL_STATE_ACTIVE && self->state != MT_CALL_STATE_HELD) ||
      (consultation->state != MT_CALL_STATE_ACTIVE && consultation->state != MT_CALL_STATE_HELD) ||
      self->nh == NULL || consultation->nh == NULL || self->transfer_out ||
      self->backend || consultation->backend || consultation == self)
    return FALSE;
  /* the dialog as the target sees it (its tag is the to-tag) */
  replaces = nua_handle_make_replaces (consultation->nh, home, 0);
  query = replaces ? sip_headers_as_url_query (home, SIPTAG_REPLACES (replaces), TAG_END ()) : NULL;
  if (query == NULL)
    {
      su_home_deinit (home);
      return FALSE;
    }
  refer_to = g_strdup_printf ("<%s?%s>", consultation->remote_uri, query);
  su_home_deinit (home);
  set_transfer_out (self, TRUE);
  consultation->handed_on = TRUE;
  g_message ("call %s: transferring to call %s (%s)", self->id, consultation->id, refer_to);
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
  return TRUE;
}

/* The call an INVITE with Replaces names (a new reference), NULL when it
 * names none. *confirmed: that dialog is up (RFC 3891 3: an early or ended
 * one is not replaced here) */
MtCall *
mt_call_find_replaced (nua_t *nua, const sip_t *sip, gboolean *confirmed)
{
  nua_handle_t *nh;
  MtCall *call = NULL;

  g_return_val_if_fail (confirmed != NULL, NULL);

  *confirmed = FALSE;
  if (nua == NULL || sip == NULL || sip->sip_replaces == NULL)
    return NULL;
  nh = nua_handle_by_replaces (nua, sip->sip_replaces);
  if (nh == NULL)
    return NULL;
  if (MT_IS_CALL (nua_handle_magic (nh)))
    call = g_object_ref (nua_handle_magic (nh));
  nua_handle_unref (nh);
  if (call)
    *confirmed = call->state == MT_CALL_STATE_ACTIVE || call->state == MT_CALL_STATE_HELD;
  return call;
}

/* `self` came in with Replaces naming `replaced`: it is answered at once,
 * without ringing (the person already talks to someone), and the old
 * dialog ends with a BYE (RFC 3891 3), reason "replaced" */
void
mt_call_replace (MtCall *self, MtCall *replaced)
{
  g_return_if_fail (MT_IS_CALL (self));
  g_return_if_fail (MT_IS_CALL (replaced));

  if (self->state != MT_CALL_STATE_INCOMING)
    return;
  g_message ("call %s replaces call %s", self->id, replaced->id);
  mt_call_answer (self);
  if (self->state == MT_CALL_STATE_ENDED)
    return;
  set_state (self, MT_CALL_STATE_ACTIVE, MT_END_REASON_NONE);
  if (replaced->state != MT_CALL_STATE_ENDED)
    {
      if (replaced->nh)
        nua_bye (replaced->nh, TAG_END ());
      end (replaced, MT_END_REASON_REPLACED);
    }
}

void
mt_call_get_stats (MtCall *self, MtStreamStats *audio, MtStreamStats *video)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (audio)
    *audio = (MtStreamStats) { 0 };
  if (video)
    *video = (MtStreamStats) { 0 };
  if (self->media)
    mt_media_session_get_stats (self->media, audio, video);
}

void
mt_call_reject_busy (MtCall *self)
{
  g_return_if_fail (MT_IS_CALL (self));

  if (self->backend)
    {
      mt_call_decline (self);
      return;
    }
  if (self->state != MT_CALL_STATE_INCOMING || self->nh == NULL)
    return;
  nua_respond (self->nh, SIP_486_BUSY_HERE, TAG_END ());
  end (self, MT_END_REASON_BUSY);
}

gboolean
mt_call_get_transferring (MtCall *self)
{
  g_return_val_if_fail (MT_IS_CALL (self), FALSE);
  return self->transfer_out;
}

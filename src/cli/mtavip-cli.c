/* mtavip-cli.c: the MTAVIPClient core without a window
 *
 * Registers, calls, answers, hangs up, and prints what happens, as text for
 * people or as one JSON object per line (--json) for scripts and tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mtavip-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <gst/gst.h>

#include "mt-account.h"
#include "mt-dtmf.h"
#include "mt-echo-service.h"
#include "mt-h323-endpoint.h"
#include "mt-memory.h"
#include "mt-sip-stack.h"
#include "mt-sip-uri.h"

#define EXIT_USAGE 2

typedef struct {
  /* options */
  char     *listen;
  char     *account;
  char     *password_file;
  char     *registrar;
  char     *transport;
  char     *tls_ca;
  char     *tls_trust;
  char     *call;
  gboolean  auto_answer;
  int       answer_after_ms;
  gboolean  accept_direct;
  gboolean  auto_decline;
  double    hangup_after;
  int       hold_after;
  int       resume_after;
  gboolean  exit_after_call;
  gboolean  no_video;
  char     *audio_source;
  char     *video_source;
  char     *audio_sink;
  char     *video_sink;
  char     *audio_codecs;
  char     *video_codecs;
  char     *video_size;
  int       jitter_ms;
  gboolean  no_echo_cancel;
  int       audio_bitrate;
  int       video_bitrate;
  int       expires;
  int       media_timeout;
  gboolean  sip_trace;
  gboolean  json;
  gboolean  echo_test;
  char     *h323_listen;
  char     *dtmf;
  int       dtmf_after;
  gboolean  no_telephone_event;
  int       max_calls;
  char     *transfer_to;
  int       transfer_after;
  gboolean  transfer_scheduled;
  char     *consult;
  gboolean  delayed_offer;
  int       consult_after;
  MtCall   *transferee;      /* --consult: the call we transfer ... */
  MtCall   *consultation;    /* ... to the far end of this one */
  char     *stun;
  char     *turn;
  char     *turn_transport;
  char     *turn_user;
  char     *turn_password_file;
  gboolean  no_ice;
  gboolean  ice;
  char     *encryption;
  gboolean  no_dtls;

  /* state */
  GMainLoop  *loop;
  MtAccount  *account_obj;
  MtEchoService *echo;
  MtH323Endpoint *h323;
  MtEndReason last_reason;
  gboolean    had_call;
  gboolean    call_placed;
  gboolean    quitting;
  int         exit_status;
} Cli;

typedef struct {
  Cli    *cli;
  MtCall *call;
  guint   stats_id;
  guint   hangup_id;
  guint   hold_id;
  guint   dtmf_id;
  guint   transfer_id;
  gboolean dtmf_scheduled;
} CallWatch;

/* ---- output ---------------------------------------------------------------- */

static void
json_string (GString *out, const char *value)
{
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
emit_line (GString *line)
{
  fputs (line->str, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
print_message (Cli *cli, const char *kind, const char *message)
{
  if (cli->json)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":");

      json_string (line, kind);
      g_string_append (line, ",\"message\":");
      json_string (line, message);
      g_string_append_c (line, '}');
      emit_line (line);
    }
  else
    {
      fprintf (stderr, "%s: %s\n", kind, message);
    }
}

/* tls-failed: what was wrong, as a name and as a sentence */
static void
append_tls_problem (GString *line, MtTlsProblem problem)
{
  g_string_append (line, ",\"tls\":");
  json_string (line, mt_tls_problem_to_string (problem));
  g_string_append (line, ",\"message\":");
  json_string (line, mt_tls_problem_to_sentence (problem));
}

static void
print_registration (Cli *cli)
{
  MtRegistrationState state = mt_account_get_registration_state (cli->account_obj);
  MtEndReason reason = mt_account_get_registration_reason (cli->account_obj);
  const char *name;

  if (state != MT_REGISTRATION_REGISTERED && state != MT_REGISTRATION_UNREGISTERED &&
      state != MT_REGISTRATION_FAILED)
    return;
  name = mt_registration_state_to_string (state);
  if (cli->json)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":\"registration\",\"state\":");

      json_string (line, name);
      g_string_append (line, ",\"reason\":");
      json_string (line, reason == MT_END_REASON_NONE ? NULL : mt_end_reason_to_string (reason));
      if (reason == MT_END_REASON_TLS_FAILED)
        append_tls_problem (line, mt_account_get_tls_problem (cli->account_obj));
      if (state == MT_REGISTRATION_FAILED && mt_account_get_registration_retry (cli->account_obj))
        g_string_append_printf (line, ",\"retry_in\":%u",
                                mt_account_get_registration_retry (cli->account_obj));
      g_string_append_c (line, '}');
      emit_line (line);
    }
  else
    {
      printf (_("Registration: %s%s%s\n"), name, reason ? ": " : "",
              reason == MT_END_REASON_TLS_FAILED
              ? mt_tls_problem_to_sentence (mt_account_get_tls_problem (cli->account_obj))
              : reason ? mt_end_reason_to_sentence (reason) : "");
      fflush (stdout);
    }
}

static void
print_call (Cli *cli, MtCall *call)
{
  MtCallState state = mt_call_get_state (call);
  MtEndReason reason = mt_call_get_end_reason (call);

  if (cli->json)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":\"call\",\"id\":");

      json_string (line, mt_call_get_id (call));
      g_string_append (line, ",\"direction\":");
      json_string (line, mt_call_direction_to_string (mt_call_get_direction (call)));
      g_string_append (line, ",\"protocol\":");
      json_string (line, mt_call_get_protocol (call));
      g_string_append (line, ",\"state\":");
      json_string (line, mt_call_state_to_string (state));
      g_string_append (line, ",\"remote\":");
      json_string (line, mt_call_get_remote_uri (call));
      g_string_append_printf (line, ",\"video\":%s", mt_call_get_has_video (call) ? "true" : "false");
      g_string_append_printf (line, ",\"verified\":%s", mt_call_get_caller_verified (call) ? "true" : "false");
      if (state == MT_CALL_STATE_ENDED)
        {
          g_string_append (line, ",\"reason\":");
          json_string (line, mt_end_reason_to_string (reason));
          if (reason == MT_END_REASON_TLS_FAILED)
            append_tls_problem (line, mt_call_get_tls_problem (call));
          if (reason == MT_END_REASON_ENCRYPTION_FAILED)
            {
              g_string_append (line, ",\"message\":");
              json_string (line, mt_end_reason_to_sentence (reason));
            }
          if (mt_call_get_end_status (call))
            {
              g_string_append (line, ",\"status\":");
              json_string (line, mt_call_get_end_status (call));
            }
        }
      g_string_append_c (line, '}');
      emit_line (line);
    }
  else
    {
      const char *what = state != MT_CALL_STATE_ENDED ? mt_call_state_to_string (state)
                         : reason == MT_END_REASON_TLS_FAILED
                         ? mt_tls_problem_to_sentence (mt_call_get_tls_problem (call))
                         : mt_end_reason_to_sentence (reason);

      if (mt_call_get_direction (call) == MT_CALL_DIRECTION_OUTGOING)
        printf (_("Call %s to %s: %s\n"), mt_call_get_id (call), mt_call_get_remote_uri (call), what);
      else
        printf (_("Call %s from %s: %s\n"), mt_call_get_id (call), mt_call_get_remote_uri (call), what);
      fflush (stdout);
    }
}

/* loss recovery and rate (issue 11) */
static void
append_video_quality (GString *line, const MtStreamStats *s)
{
  g_string_append_printf (line,
                          ",\"fps_sent\":%.1f,\"fps_decoded\":%.1f,\"nacks_sent\":%" G_GUINT64_FORMAT
                          ",\"retransmitted\":%" G_GUINT64_FORMAT ",\"rtx_sent\":%" G_GUINT64_FORMAT
                          ",\"keyframes_requested\":%" G_GUINT64_FORMAT
                          ",\"keyframe_requests_received\":%" G_GUINT64_FORMAT
                          ",\"keyframes_sent\":%" G_GUINT64_FORMAT ",\"keyframes_answered\":%" G_GUINT64_FORMAT
                          ",\"longest_freeze_ms\":%u"
                          ",\"rtx\":%s",
                          s->fps_sent, s->fps_decoded, s->nacks_sent, s->retransmitted, s->rtx_sent,
                          s->keyframes_requested, s->keyframe_requests_received, s->keyframes_sent,
                          s->keyframes_answered, s->longest_freeze_ms, s->rtx ? "true" : "false");
}

static void
append_stream_stats (GString *line, const char *name, const MtStreamStats *s, gboolean video)
{
  g_string_append_printf (line, ",\"%s\":{\"codec\":", name);
  json_string (line, s->codec);
  g_string_append_printf (line,
                          ",\"tx_packets\":%" G_GUINT64_FORMAT ",\"tx_bytes\":%" G_GUINT64_FORMAT
                          ",\"rx_packets\":%" G_GUINT64_FORMAT ",\"rx_bytes\":%" G_GUINT64_FORMAT
                          ",\"rx_lost\":%" G_GINT64_FORMAT ",\"jitter_ms\":%.2f",
                          s->tx_packets, s->tx_bytes, s->rx_packets, s->rx_bytes,
                          s->rx_lost, s->jitter_ms);
  g_string_append_printf (line, ",\"tx_kbps\":%.1f,\"rx_kbps\":%.1f,\"rtt_ms\":%.1f"
                          ",\"target_kbps\":%u,\"loss_reported\":%.3f",
                          s->tx_kbps, s->rx_kbps, s->rtt_ms, s->target_kbps, s->loss_reported);
  if (video)
    append_video_quality (line, s);
  if (video)
    g_string_append_printf (line, ",\"frames_decoded\":%" G_GUINT64_FORMAT ",\"width\":%u,\"height\":%u",
                            s->decoded, s->width, s->height);
  else
    g_string_append_printf (line, ",\"decoded\":%" G_GUINT64_FORMAT ",\"echo_cancel\":%s",
                            s->decoded, s->echo_cancel ? "true" : "false");
  if (s->ice_state[0] != '\0')
    {
      g_string_append (line, ",\"ice\":{\"state\":");
      json_string (line, s->ice_state);
      if (s->ice_local[0] != '\0')
        {
          g_string_append (line, ",\"local\":");
          json_string (line, s->ice_local);
          g_string_append (line, ",\"remote\":");
          json_string (line, s->ice_remote);
        }
      g_string_append_c (line, '}');
    }
  g_string_append (line, ",\"srtp\":");
  if (s->srtp[0] != '\0')
    json_string (line, s->srtp);
  else
    g_string_append (line, "null");
  if (s->srtp_suite[0] != '\0')
    {
      g_string_append (line, ",\"srtp_suite\":");
      json_string (line, s->srtp_suite);
    }
  g_string_append_c (line, '}');
}

static void
print_media (Cli *cli, MtCall *call)
{
  MtStreamStats audio, video;
  MtMediaSession *media = mt_call_get_media_session (call);

  if (media == NULL)
    return;
  mt_media_session_get_stats (media, &audio, &video);
  if (!audio.enabled && !video.enabled)
    return;
  if (cli->json)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":\"media\",\"id\":");

      json_string (line, mt_call_get_id (call));
      if (audio.enabled)
        append_stream_stats (line, "audio", &audio, FALSE);
      if (video.enabled)
        append_stream_stats (line, "video", &video, TRUE);
      g_string_append_c (line, '}');
      emit_line (line);
    }
  else
    {
      printf (_("Media: audio %s sent %llu received %llu decoded %llu"),
              audio.codec, (unsigned long long) audio.tx_packets,
              (unsigned long long) audio.rx_packets, (unsigned long long) audio.decoded);
      if (video.enabled)
        printf (_("; video %s sent %llu received %llu frames %llu (%ux%u)"),
                video.codec, (unsigned long long) video.tx_packets,
                (unsigned long long) video.rx_packets, (unsigned long long) video.decoded,
                video.width, video.height);
      printf ("\n");
      fflush (stdout);
    }
}

/* ---- lifecycle --------------------------------------------------------------- */

static void
shutdown_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;

  mt_account_shutdown_finish (MT_ACCOUNT (object), result, NULL);
  g_main_loop_quit (cli->loop);
}

static void
quit (Cli *cli)
{
  if (cli->quitting)
    return;
  cli->quitting = TRUE;
  if (cli->h323)
    mt_h323_endpoint_hangup_all (cli->h323);
  mt_account_shutdown_async (cli->account_obj, NULL, shutdown_done_cb, cli);
}

static gboolean
signal_cb (gpointer user_data)
{
  quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
call_watch_free (CallWatch *watch)
{
  g_clear_handle_id (&watch->stats_id, g_source_remove);
  g_clear_handle_id (&watch->hangup_id, g_source_remove);
  g_clear_handle_id (&watch->hold_id, g_source_remove);
  g_clear_handle_id (&watch->dtmf_id, g_source_remove);
  g_clear_handle_id (&watch->transfer_id, g_source_remove);
  g_clear_object (&watch->call);
  g_free (watch);
}

static gboolean
stats_cb (gpointer user_data)
{
  CallWatch *watch = user_data;
  MtMediaSession *media = mt_call_get_media_session (watch->call);

  /* while it rings: only early media (a 183 with SDP) has anything to say */
  if (mt_call_get_state (watch->call) == MT_CALL_STATE_RINGING &&
      (media == NULL || !mt_media_session_is_running (media)))
    return G_SOURCE_CONTINUE;
  print_media (watch->cli, watch->call);
  return G_SOURCE_CONTINUE;
}

static gboolean
hangup_cb (gpointer user_data)
{
  CallWatch *watch = user_data;

  watch->hangup_id = 0;
  mt_call_hangup (watch->call);
  return G_SOURCE_REMOVE;
}

static gboolean
hold_cb (gpointer user_data)
{
  CallWatch *watch = user_data;

  watch->hold_id = 0;
  mt_call_set_hold (watch->call, !mt_call_get_hold (watch->call));
  return G_SOURCE_REMOVE;
}

static void
call_dtmf_cb (MtCall *call, const char *digit, gboolean incoming, const char *method, Cli *cli)
{
  if (cli->json)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":\"dtmf\",\"id\":");

      json_string (line, mt_call_get_id (call));
      g_string_append (line, ",\"digit\":");
      json_string (line, digit);
      g_string_append (line, ",\"direction\":");
      json_string (line, incoming ? "in" : "out");
      g_string_append (line, ",\"method\":");
      json_string (line, method);
      g_string_append_c (line, '}');
      emit_line (line);
    }
  else
    {
      printf (incoming ? _("Call %s: received DTMF %s (%s)\n") : _("Call %s: sent DTMF %s (%s)\n"),
              mt_call_get_id (call), digit, method);
      fflush (stdout);
    }
}

static gboolean
dtmf_cb (gpointer user_data)
{
  CallWatch *watch = user_data;

  watch->dtmf_id = 0;
  if (!mt_call_send_dtmf (watch->call, watch->cli->dtmf))
    print_message (watch->cli, "error", _("The call is not up: no DTMF sent"));
  return G_SOURCE_REMOVE;
}

/* --dtmf goes once per call, --dtmf-after seconds after it became active */
static void
schedule_dtmf (CallWatch *watch)
{
  Cli *cli = watch->cli;

  if (cli->dtmf == NULL || watch->dtmf_id != 0)
    return;
  watch->dtmf_id = g_timeout_add_seconds (cli->dtmf_after, dtmf_cb, watch);
}

static gboolean
transfer_cb (gpointer user_data)
{
  CallWatch *watch = user_data;

  watch->transfer_id = 0;
  if (!mt_call_transfer (watch->call, watch->cli->transfer_to))
    print_message (watch->cli, "error", _("The call is not up: not transferred"));
  return G_SOURCE_REMOVE;
}

/* --consult: hold the first call, call the consultation target */
static gboolean
consult_cb (gpointer user_data)
{
  CallWatch *watch = user_data;
  Cli *cli = watch->cli;
  g_autoptr(GError) error = NULL;
  MtCall *call;

  watch->transfer_id = 0;
  mt_call_set_hold (watch->call, TRUE);
  call = mt_account_call (cli->account_obj, cli->consult, FALSE, &error);
  if (call == NULL)
    {
      print_message (cli, "error", error->message);
      return G_SOURCE_REMOVE;
    }
  g_set_object (&cli->transferee, watch->call);
  g_set_object (&cli->consultation, call);
  return G_SOURCE_REMOVE;
}

/* the consultation is answered: transfer the first call to it (attended) */
static gboolean
transfer_attended_cb (gpointer user_data)
{
  CallWatch *watch = user_data;
  Cli *cli = watch->cli;

  watch->transfer_id = 0;
  if (cli->transferee == NULL ||
      !mt_call_transfer_attended (cli->transferee, watch->call))
    print_message (cli, "error", _("The call is not up: not transferred"));
  return G_SOURCE_REMOVE;
}

/* --transfer-to: the first call that is up, --transfer-after seconds after */
static void
schedule_transfer (CallWatch *watch)
{
  Cli *cli = watch->cli;

  if (watch->transfer_id != 0)
    return;
  if (cli->consultation != NULL && watch->call == cli->consultation)
    watch->transfer_id = g_timeout_add_seconds (cli->transfer_after, transfer_attended_cb, watch);
  else if (cli->transfer_scheduled)
    return;
  else if (cli->consult != NULL)
    watch->transfer_id = g_timeout_add_seconds (cli->consult_after, consult_cb, watch);
  else if (cli->transfer_to != NULL)
    watch->transfer_id = g_timeout_add_seconds (cli->transfer_after, transfer_cb, watch);
  else
    return;
  cli->transfer_scheduled = TRUE;
}

/* --hold-after counts from the call becoming active, --resume-after from held */
static void
schedule_hold (CallWatch *watch)
{
  Cli *cli = watch->cli;
  MtCallState state = mt_call_get_state (watch->call);
  gboolean held = mt_call_get_hold (watch->call);

  if (watch->hold_id != 0)
    return;
  if (state == MT_CALL_STATE_ACTIVE && !held && cli->hold_after > 0)
    {
      watch->hold_id = g_timeout_add_seconds (cli->hold_after, hold_cb, watch);
      cli->hold_after = 0;   /* once */
    }
  else if (state == MT_CALL_STATE_HELD && held && cli->resume_after > 0)
    {
      watch->hold_id = g_timeout_add_seconds (cli->resume_after, hold_cb, watch);
      cli->resume_after = 0;
    }
}

static void resume_held_call (Cli *cli);

/* a call besides `call` is not over: a transfer's new call, the call that
 * replaced this one, a held call */
static gboolean
other_call_going (Cli *cli, MtCall *call)
{
  g_autoptr(GList) calls = NULL;

  if (cli->account_obj == NULL)
    return FALSE;
  calls = mt_account_list_calls (cli->account_obj);
  for (GList *l = calls; l; l = l->next)
    if (l->data != call)
      return TRUE;
  return FALSE;
}

static void
call_ended (CallWatch *watch)
{
  Cli *cli = watch->cli;

  g_clear_handle_id (&watch->stats_id, g_source_remove);
  g_clear_handle_id (&watch->hangup_id, g_source_remove);
  print_media (cli, watch->call);
  print_call (cli, watch->call);
  cli->had_call = TRUE;
  cli->last_reason = mt_call_get_end_reason (watch->call);
  if (watch->call == cli->transferee)
    g_clear_object (&cli->transferee);
  if (watch->call == cli->consultation)
    g_clear_object (&cli->consultation);
  if (cli->exit_after_call && !other_call_going (cli, watch->call))
    quit (cli);
  else
    resume_held_call (cli);
}

static void
call_state_cb (MtCall *call, GParamSpec *pspec, CallWatch *watch)
{
  switch (mt_call_get_state (call))
    {
    case MT_CALL_STATE_ENDED:
      call_ended (watch);
      g_signal_handlers_disconnect_by_data (call, watch);
      call_watch_free (watch);
      return;
    case MT_CALL_STATE_ACTIVE:
      print_call (watch->cli, call);
      if (watch->stats_id == 0)
        watch->stats_id = g_timeout_add_seconds (1, stats_cb, watch);
      if (watch->cli->hangup_after > 0 && watch->hangup_id == 0)
        watch->hangup_id = g_timeout_add ((guint) (watch->cli->hangup_after * 1000), hangup_cb, watch);
      schedule_hold (watch);
      if (!watch->dtmf_scheduled)
        {
          watch->dtmf_scheduled = TRUE;
          schedule_dtmf (watch);
          schedule_transfer (watch);
        }
      break;
    case MT_CALL_STATE_HELD:
      print_call (watch->cli, call);
      schedule_hold (watch);
      break;
    case MT_CALL_STATE_NEW:
      break;
    case MT_CALL_STATE_RINGING:
      print_call (watch->cli, call);
      if (watch->stats_id == 0)
        watch->stats_id = g_timeout_add_seconds (1, stats_cb, watch);
      break;
    default:
      print_call (watch->cli, call);
      break;
    }
}

/* {"event":"network","id":...,"reconnecting":true|false}: the call lost
 * the address it used and looks for a new path, or found one */
static void
call_reconnecting_cb (MtCall *call, GParamSpec *pspec, Cli *cli)
{
  if (cli->json)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":\"network\",\"id\":");

      json_string (line, mt_call_get_id (call));
      g_string_append_printf (line, ",\"reconnecting\":%s}",
                              mt_call_get_reconnecting (call) ? "true" : "false");
      emit_line (line);
    }
  else if (mt_call_get_reconnecting (call))
    {
      printf ("%s\n", mt_call_get_network_notice (call));
      fflush (stdout);
    }
}

static void
media_error_cb (MtMediaSession *media, const char *message, Cli *cli)
{
  print_message (cli, "error", message);
}

static void
call_added_cb (gpointer source, MtCall *call, Cli *cli)
{
  CallWatch *watch = g_new0 (CallWatch, 1);
  MtMediaSession *media = mt_call_get_media_session (call);

  watch->cli = cli;
  watch->call = g_object_ref (call);
  if (media && mt_media_session_get_warning (media))
    print_message (cli, "warning", mt_media_session_get_warning (media));
  if (media)
    g_signal_connect (media, "error", G_CALLBACK (media_error_cb), cli);
  g_signal_connect (call, "notify::state", G_CALLBACK (call_state_cb), watch);
  g_signal_connect (call, "dtmf", G_CALLBACK (call_dtmf_cb), cli);
  g_signal_connect (call, "notify::reconnecting", G_CALLBACK (call_reconnecting_cb), cli);
  call_state_cb (call, NULL, watch);
}

typedef struct {
  Cli    *cli;
  MtCall *call;
} AutoAnswer;

static void
auto_answer_free (gpointer data)
{
  AutoAnswer *answer = data;

  g_object_unref (answer->call);
  g_free (answer);
}

/* answering a second call (--max-calls) holds the first */
static gboolean
auto_answer_cb (gpointer user_data)
{
  AutoAnswer *answer = user_data;

  if (mt_call_get_state (answer->call) == MT_CALL_STATE_INCOMING)
    mt_account_switch_to (answer->cli->account_obj, answer->call);
  return G_SOURCE_REMOVE;
}

/* --max-calls: when the call we talked on ends, take the one we held back */
static void
resume_held_call (Cli *cli)
{
  g_autoptr(GList) calls = NULL;
  MtCall *held = NULL;

  if (cli->max_calls < 2 || cli->quitting)
    return;
  calls = mt_account_list_calls (cli->account_obj);
  for (GList *l = calls; l; l = l->next)
    {
      MtCallState state = mt_call_get_state (l->data);

      if (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_INCOMING)
        return;
      if (state == MT_CALL_STATE_HELD && mt_call_get_hold (l->data) && held == NULL)
        held = l->data;
    }
  if (held)
    mt_account_switch_to (cli->account_obj, held);
}

static gboolean
auto_decline_cb (gpointer user_data)
{
  g_autoptr(MtCall) call = user_data;

  mt_call_decline (call);
  return G_SOURCE_REMOVE;
}

/* The call has sent 180 Ringing already: answer or decline as soon as the
 * main loop is free, with no wait on the call path */
static void
incoming_call_cb (gpointer source, MtCall *call, Cli *cli)
{
  if (cli->auto_answer)
    {
      AutoAnswer *answer = g_new0 (AutoAnswer, 1);

      answer->cli = cli;
      answer->call = g_object_ref (call);
      /* at once unless asked to ring first: no made-up delay on the call path */
      if (cli->answer_after_ms > 0)
        g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) cli->answer_after_ms, auto_answer_cb,
                            answer, auto_answer_free);
      else
        g_idle_add_full (G_PRIORITY_HIGH_IDLE, auto_answer_cb, answer, auto_answer_free);
    }
  else if (cli->auto_decline)
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, auto_decline_cb, g_object_ref (call), NULL);
}

static void
place_call (Cli *cli)
{
  g_autoptr(GError) error = NULL;

  if (cli->call == NULL || cli->call_placed)
    return;
  cli->call_placed = TRUE;
  if (mt_h323_uri_is_h323 (cli->call) && cli->h323)
    {
      if (!mt_h323_endpoint_call (cli->h323, cli->call, !cli->no_video, &error))
        {
          print_message (cli, "error", error->message);
          cli->exit_status = 1;
          quit (cli);
        }
      return;
    }
  if (!mt_account_call (cli->account_obj, cli->call, !cli->no_video, &error))
    {
      print_message (cli, "error", error->message);
      cli->exit_status = 1;
      quit (cli);
    }
}

static void
registration_cb (MtAccount *account, GParamSpec *pspec, Cli *cli)
{
  MtRegistrationState state = mt_account_get_registration_state (account);

  print_registration (cli);
  if (state == MT_REGISTRATION_REGISTERED || state == MT_REGISTRATION_FAILED)
    place_call (cli);
}

/* ---- options ------------------------------------------------------------------- */

static gboolean
usage_error (const char *format, ...) G_GNUC_PRINTF (1, 2);

static gboolean
usage_error (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fputs ("mtavip-cli: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  return FALSE;
}

static char *
read_password (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  GStatBuf st;

  if (cli->password_file == NULL)
    return g_strdup (g_getenv ("MTAVIP_PASSWORD"));
  /* like ssh with a private key: a secret others can read is not used */
  if (g_stat (cli->password_file, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      usage_error (_("the password file %s can be read by other users: make it private with chmod 600"),
                   cli->password_file);
      return NULL;
    }
  if (!g_file_get_contents (cli->password_file, &contents, NULL, &error))
    {
      usage_error (_("cannot read the password file: %s"), error->message);
      return NULL;
    }
  g_strchomp (contents);
  return g_steal_pointer (&contents);
}

static gboolean
valid_media_setting (const char *name, const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) bin = NULL;

  if (value == NULL || g_str_equal (value, "auto") || g_str_equal (value, "test") ||
      g_str_equal (value, "fake"))
    return TRUE;
  bin = gst_parse_bin_from_description (value, TRUE, &error);
  if (bin == NULL)
    return usage_error (_("--%s: “%s” is not a usable GStreamer description: %s"),
                        name, value, error->message);
  return TRUE;
}

/* HOST[:PORT] into host and port (3478 when absent) */
static gboolean
parse_server (const char *text, char **host, guint *port, GError **error)
{
  g_autoptr(GSocketConnectable) address = g_network_address_parse (text, 3478, error);

  if (address == NULL)
    return FALSE;
  *host = g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (address)));
  *port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  return TRUE;
}

static gboolean
ice_config_from (Cli *cli, MtMediaConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  /* ICE when it can find a path plain RTP cannot (a STUN or TURN server
   * given), or when asked; host-only ICE towards a peer without ICE lost the
   * first H.264 packets (baresip's video never decoded) */
  config->ice = !cli->no_ice && (cli->ice || cli->stun != NULL || cli->turn != NULL);
  if (cli->stun)
    parse_server (cli->stun, &config->stun_server, &config->stun_port, NULL);
  if (cli->turn == NULL)
    return TRUE;
  parse_server (cli->turn, &config->turn_server, &config->turn_port, NULL);
  config->turn_tcp = g_strcmp0 (cli->turn_transport, "tcp") == 0;
  config->turn_user = g_strdup (cli->turn_user);
  if (cli->turn_password_file == NULL)
    {
      config->turn_password = g_strdup (g_getenv ("MTAVIP_TURN_PASSWORD"));
      return TRUE;
    }
  if (!g_file_get_contents (cli->turn_password_file, &contents, NULL, &error))
    return usage_error (_("cannot read the password file: %s"), error->message);
  config->turn_password = g_strdup (g_strchomp (contents));
  return TRUE;
}

static MtMediaConfig *
media_config_from (Cli *cli)
{
  MtMediaConfig *config = mt_media_config_new ();

#define TAKE(field) if (cli->field) { g_free (config->field); config->field = g_strdup (cli->field); }
  TAKE (audio_source);
  TAKE (video_source);
  TAKE (audio_sink);
  TAKE (video_sink);
  TAKE (audio_codecs);
  TAKE (video_codecs);
#undef TAKE
  config->video = !cli->no_video;
  config->echo_cancel = !cli->no_echo_cancel;
  if (cli->audio_bitrate > 0)
    config->audio_bitrate_kbps = (guint) cli->audio_bitrate;
  if (cli->video_bitrate > 0)
    config->video_bitrate_kbps = (guint) cli->video_bitrate;
  if (cli->jitter_ms >= 0)
    config->jitter_latency_ms = (guint) cli->jitter_ms;
  if (cli->media_timeout >= 0)
    config->media_timeout_s = (guint) cli->media_timeout;
  config->no_telephone_event = cli->no_telephone_event;
  config->no_dtls = cli->no_dtls;
  if (cli->video_size)
    sscanf (cli->video_size, "%ux%u", &config->width, &config->height);
  if (!ice_config_from (cli, config))
    g_clear_pointer (&config, mt_media_config_free);
  /* none by default here: scripts and tests that read RTP on the wire keep
   * working; the app's default is optional */
  else if (cli->encryption != NULL &&
           !mt_encryption_from_string (cli->encryption, &config->encryption))
    {
      usage_error (_("--encryption: “%s” is not none, optional or mandatory"), cli->encryption);
      g_clear_pointer (&config, mt_media_config_free);
    }
  return config;
}

static gboolean
check_options (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  guint w = 0, h = 0;

  if (cli->transport && !g_str_equal (cli->transport, "udp") && !g_str_equal (cli->transport, "tcp") &&
      !g_str_equal (cli->transport, "tls"))
    return usage_error (_("--transport must be udp, tcp or tls, not “%s”"), cli->transport);
  if (cli->tls_trust)
    {
      g_autofree char *fingerprint = mt_tls_normalize_fingerprint (cli->tls_trust, &error);

      if (fingerprint == NULL)
        return usage_error (_("--tls-trust: %s"), error->message);
    }
  if (cli->account)
    {
      g_autofree char *uri = mt_sip_uri_normalize (cli->account, NULL, &error);
      g_autofree char *user = uri ? mt_sip_uri_get_user (uri) : NULL;

      if (uri == NULL)
        return usage_error (_("--account: %s"), error->message);
      if (user == NULL)
        return usage_error (_("--account: “%s” needs a user name, like sip:alice@example.org"),
                            cli->account);
    }
  if (cli->registrar)
    {
      g_autofree char *uri = mt_sip_uri_normalize (cli->registrar, NULL, &error);

      if (uri == NULL)
        return usage_error (_("--registrar: %s"), error->message);
    }
  if (cli->turn_transport && !g_str_equal (cli->turn_transport, "udp") &&
      !g_str_equal (cli->turn_transport, "tcp"))
    return usage_error (_("--transport must be udp or tcp, not “%s”"), cli->turn_transport);
  {
    const char *servers[] = { cli->stun, cli->turn };

    for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
      {
        g_autofree char *host = NULL;
        guint port = 0;

        if (servers[i] && !parse_server (servers[i], &host, &port, &error))
          return usage_error ("%s: %s", servers[i], error->message);
      }
  }
  if (cli->echo_test && cli->call)
    return usage_error (_("--echo-test and --call exclude each other"));
  if (cli->auto_answer && cli->auto_decline)
    return usage_error (_("--auto-answer and --auto-decline exclude each other"));
  if (cli->audio_bitrate < 0 || (cli->audio_bitrate > 0 && cli->audio_bitrate < 6) ||
      cli->audio_bitrate > 510 || cli->video_bitrate < 0 ||
      cli->video_bitrate > 20000)
    return usage_error (_("--audio-bitrate takes 6 to 510 kbit/s, --video-bitrate up to 20000"));
  if (cli->hangup_after < 0 || cli->hold_after < 0 || cli->resume_after < 0)
    return usage_error (_("--hangup-after, --hold-after and --resume-after take a number of seconds"));
  if (cli->dtmf && !mt_dtmf_digits_valid (cli->dtmf))
    return usage_error (_("--dtmf takes digits 0-9, *, #, A-D, not “%s”"), cli->dtmf);
  if (cli->transfer_after < 0 || cli->consult_after < 0)
    return usage_error (_("--transfer-after takes a number of seconds"));
  if (cli->consult)
    {
      g_autofree char *uri = NULL;

      if (cli->transfer_to)
        return usage_error (_("--consult and --transfer-to exclude each other"));
      if (!(uri = mt_sip_uri_normalize (cli->consult, NULL, &error)))
        return usage_error (_("--consult: %s"), error->message);
      g_free (cli->consult);
      cli->consult = g_steal_pointer (&uri);
      /* the consultation is a second call */
      cli->max_calls = MAX (cli->max_calls, 2);
    }
  if (cli->transfer_to)
    {
      g_autofree char *uri = mt_sip_uri_normalize (cli->transfer_to, NULL, &error);

      if (uri == NULL)
        return usage_error (_("--transfer-to: %s"), error->message);
      g_free (cli->transfer_to);
      cli->transfer_to = g_steal_pointer (&uri);
    }
  if (cli->max_calls < 1 || cli->max_calls > 16)
    return usage_error (_("--max-calls takes a number from 1 to 16"));
  if (cli->dtmf_after < 0)
    return usage_error (_("--dtmf-after takes a number of seconds"));
  if (cli->video_size && (sscanf (cli->video_size, "%ux%u", &w, &h) != 2 || w < 16 || h < 16 ||
                          w > 4096 || h > 4096))
    return usage_error (_("--video-size must look like 640x480"));
  return valid_media_setting ("audio-source", cli->audio_source) &&
         valid_media_setting ("video-source", cli->video_source) &&
         valid_media_setting ("audio-sink", cli->audio_sink) &&
         valid_media_setting ("video-sink", cli->video_sink);
}

/* --call read as the account reads what a person typed (its domain for "bob") */
static gboolean
check_call_target (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  if (cli->call == NULL)
    return TRUE;
  if (mt_h323_uri_is_h323 (cli->call))
    {
      g_autofree char *user = NULL, *host = NULL;
      guint port;

      if (!mt_h323_uri_parse (cli->call, &user, &host, &port, &error))
        return usage_error (_("--call: %s"), error->message);
      return TRUE;
    }
  if (!(uri = mt_account_dup_target_uri (cli->account_obj, cli->call, &error)))
    return usage_error (_("--call: %s"), error->message);
  return TRUE;
}

static gboolean
parse_options (Cli *cli, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &cli->listen, N_("Local SIP address (UDP and TCP)"), N_("HOST:PORT") },
    { "account", 'a', 0, G_OPTION_ARG_STRING, &cli->account, N_("Address of record to register"), N_("SIP-URI") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &cli->password_file, N_("Read the password from FILE (or set MTAVIP_PASSWORD)"), N_("FILE") },
    { "registrar", 0, 0, G_OPTION_ARG_STRING, &cli->registrar, N_("Registrar and outbound proxy (default: the account's host)"), N_("SIP-URI") },
    { "transport", 't', 0, G_OPTION_ARG_STRING, &cli->transport, N_("udp, tcp or tls (default: tls for a sips: or transport=tls address, else udp)"), "udp|tcp|tls" },
    { "tls-ca", 0, 0, G_OPTION_ARG_FILENAME, &cli->tls_ca, N_("Also trust the CA certificates in FILE (PEM) for TLS"), N_("FILE") },
    { "tls-trust", 0, 0, G_OPTION_ARG_STRING, &cli->tls_trust, N_("Trust the server certificate with this SHA-256 fingerprint for this account"), N_("SHA256") },
    { "call", 'c', 0, G_OPTION_ARG_STRING, &cli->call, N_("Call this address"), N_("SIP-URI") },
    { "auto-answer", 0, 0, G_OPTION_ARG_NONE, &cli->auto_answer, N_("Answer incoming calls"), NULL },
    { "answer-after", 0, 0, G_OPTION_ARG_INT, &cli->answer_after_ms, N_("With --auto-answer, let a call ring this long first (default 0)"), N_("MILLISECONDS") },
    { "accept-direct-calls", 0, 0, G_OPTION_ARG_NONE, &cli->accept_direct, N_("With --account, also take calls that do not come through the registrar"), NULL },
    { "auto-decline", 0, 0, G_OPTION_ARG_NONE, &cli->auto_decline, N_("Decline incoming calls (603)"), NULL },
    { "hangup-after", 0, 0, G_OPTION_ARG_DOUBLE, &cli->hangup_after, N_("Hang up SECONDS after the call is answered"), N_("SECONDS") },
    { "hold-after", 0, 0, G_OPTION_ARG_INT, &cli->hold_after, N_("Put the call on hold SECONDS after it is answered"), N_("SECONDS") },
    { "resume-after", 0, 0, G_OPTION_ARG_INT, &cli->resume_after, N_("Take the call off hold SECONDS after it was put on hold"), N_("SECONDS") },
    { "exit-after-call", 0, 0, G_OPTION_ARG_NONE, &cli->exit_after_call, N_("Exit when the first call ends"), NULL },
    { "no-video", 0, 0, G_OPTION_ARG_NONE, &cli->no_video, N_("Audio only"), NULL },
    { "audio-source", 0, 0, G_OPTION_ARG_STRING, &cli->audio_source, N_("auto, test, fake or a GStreamer bin"), N_("SRC") },
    { "video-source", 0, 0, G_OPTION_ARG_STRING, &cli->video_source, N_("auto, test, fake or a GStreamer bin"), N_("SRC") },
    { "audio-sink", 0, 0, G_OPTION_ARG_STRING, &cli->audio_sink, N_("auto, test, fake or a GStreamer bin"), N_("SINK") },
    { "video-sink", 0, 0, G_OPTION_ARG_STRING, &cli->video_sink, N_("auto, test, fake or a GStreamer bin"), N_("SINK") },
    { "audio-codecs", 0, 0, G_OPTION_ARG_STRING, &cli->audio_codecs, N_("Audio codecs in order of preference"), "opus,G722,PCMU,PCMA" },
    { "video-codecs", 0, 0, G_OPTION_ARG_STRING, &cli->video_codecs, N_("Video codecs in order of preference"), N_("VP8,H264") },
    { "video-size", 0, 0, G_OPTION_ARG_STRING, &cli->video_size, N_("Size of the video we send"), "WxH" },
    { "jitter-ms", 0, 0, G_OPTION_ARG_INT, &cli->jitter_ms, N_("Jitter buffer latency at the start of a call; it grows with measured jitter (default 20)"), N_("MS") },
    { "audio-bitrate", 0, 0, G_OPTION_ARG_INT, &cli->audio_bitrate, N_("Audio encoder rate (Opus; default 32)"), N_("KBPS") },
    { "video-bitrate", 0, 0, G_OPTION_ARG_INT, &cli->video_bitrate, N_("Video encoder rate (default 800)"), N_("KBPS") },
    { "no-echo-cancel", 0, 0, G_OPTION_ARG_NONE, &cli->no_echo_cancel, N_("No echo cancellation, noise suppression or gain control on the microphone"), NULL },
    { "expires", 0, 0, G_OPTION_ARG_INT, &cli->expires, N_("Registration lifetime to ask for (default 3600)"), N_("SECONDS") },
    { "media-timeout", 0, 0, G_OPTION_ARG_INT, &cli->media_timeout, N_("End a call when no media arrives for SECONDS (default 8, 0: never)"), N_("SECONDS") },
    { "sip-trace", 0, 0, G_OPTION_ARG_NONE, &cli->sip_trace, N_("Print every SIP message on stderr"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print events as JSON lines"), NULL },
    { "h323-listen", 0, 0, G_OPTION_ARG_STRING, &cli->h323_listen, N_("Take H.323 calls on this TCP port"), N_("[HOST:]PORT") },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &cli->dtmf, N_("Send these DTMF digits (0-9 * # A-D) once the call is answered"), N_("DIGITS") },
    { "dtmf-after", 0, 0, G_OPTION_ARG_INT, &cli->dtmf_after, N_("Send the --dtmf digits SECONDS after the call is answered (default 1)"), N_("SECONDS") },
    { "transfer-to", 0, 0, G_OPTION_ARG_STRING, &cli->transfer_to, N_("Transfer the first call to this address (blind transfer, REFER)"), N_("SIP-URI") },
    { "transfer-after", 0, 0, G_OPTION_ARG_INT, &cli->transfer_after, N_("Transfer SECONDS after the call is answered (default 3)"), N_("SECONDS") },
    { "consult", 0, 0, G_OPTION_ARG_STRING, &cli->consult, N_("Attended transfer: hold the first call, call this address, and once it answers transfer the first call to it (REFER with Replaces)"), N_("SIP-URI") },
    { "consult-after", 0, 0, G_OPTION_ARG_INT, &cli->consult_after, N_("Place the --consult call SECONDS after the first call is answered (default 2); the transfer follows --transfer-after seconds after it is answered"), N_("SECONDS") },
    { "delayed-offer", 0, 0, G_OPTION_ARG_NONE, &cli->delayed_offer, N_("Send INVITEs without SDP: the answer to the offer in the 200 goes in the ACK"), NULL },
    { "max-calls", 0, 0, G_OPTION_ARG_INT, &cli->max_calls, N_("Calls at once: a call coming in while N are going on gets 486 Busy Here (default 1); answering a second holds the first"), "N" },
    { "no-telephone-event", 0, 0, G_OPTION_ARG_NONE, &cli->no_telephone_event, N_("Offer and accept no RFC 4733 telephone-event: DTMF goes as SIP INFO"), NULL },
    { "echo-test", 0, 0, G_OPTION_ARG_NONE, &cli->echo_test, N_("Call the built-in echo service: see and hear yourself through SIP and RTP"), NULL },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &cli->stun, N_("STUN server for ICE (default: none)"), N_("HOST[:PORT]") },
    { "turn", 0, 0, G_OPTION_ARG_STRING, &cli->turn, N_("TURN server for ICE (relays media)"), N_("HOST[:PORT]") },
    { "turn-transport", 0, 0, G_OPTION_ARG_STRING, &cli->turn_transport, N_("udp or tcp"), "udp|tcp" },
    { "turn-user", 0, 0, G_OPTION_ARG_STRING, &cli->turn_user, N_("TURN user name"), N_("USER") },
    { "turn-password-file", 0, 0, G_OPTION_ARG_FILENAME, &cli->turn_password_file, N_("Read the TURN password from FILE (or set MTAVIP_TURN_PASSWORD)"), N_("FILE") },
    { "no-ice", 0, 0, G_OPTION_ARG_NONE, &cli->no_ice, N_("Plain RTP without ICE"), NULL },
    { "ice", 0, 0, G_OPTION_ARG_NONE, &cli->ice, N_("Use ICE even without a STUN or TURN server (host candidates only)"), NULL },
    { "encryption", 0, 0, G_OPTION_ARG_STRING, &cli->encryption, N_("Media encryption (SRTP): none, optional (offer it, accept plain) or mandatory (default none)"), "none|optional|mandatory" },
    { "no-dtls", 0, 0, G_OPTION_ARG_NONE, &cli->no_dtls, N_("Encrypt only with keys in SDP (SDES, over TLS), not with DTLS-SRTP"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("- MTAVIPClient command-line phone"));
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, argc, argv, &error))
    return usage_error (_("%s (see --help)"), error->message);
  if (*argc > 1)
    return usage_error (_("unexpected argument “%s” (see --help)"), (*argv)[1]);
  return check_options (cli);
}

static gboolean
start_echo_service (Cli *cli)
{
  g_autoptr(GError) error = NULL;

  cli->echo = mt_echo_service_new (&error);
  if (cli->echo == NULL)
    return usage_error (_("cannot start the echo service: %s"), error->message);
  cli->call = g_strdup (mt_echo_service_get_uri (cli->echo));
  return TRUE;
}

/* H.323 beside SIP: listening with --h323-listen, or only to place an
 * h323: --call; its calls are watched like the account's */
static gboolean
start_h323 (Cli *cli, const MtMediaConfig *config)
{
  g_autoptr(GError) error = NULL;

  if (cli->h323_listen == NULL && !mt_h323_uri_is_h323 (cli->call))
    return TRUE;
  cli->h323 = mt_h323_endpoint_new (cli->h323_listen, &error);
  if (cli->h323 == NULL)
    return usage_error (_("--h323-listen: %s"), error->message);
  mt_h323_endpoint_set_media_config (cli->h323, config);
  /* for tests: a phone whose Fast Connect is off (H.245 procedures only) */
  if (g_strcmp0 (g_getenv ("MTAVIP_H323_FAST_START"), "0") == 0)
    mt_h323_endpoint_set_fast_start (cli->h323, FALSE);
  g_signal_connect (cli->h323, "call-added", G_CALLBACK (call_added_cb), cli);
  g_signal_connect (cli->h323, "incoming-call", G_CALLBACK (incoming_call_cb), cli);
  if (cli->json && cli->h323_listen)
    {
      g_autoptr(GString) line = g_string_new ("{\"event\":\"h323-listening\"");

      g_string_append_printf (line, ",\"port\":%u}", mt_h323_endpoint_get_port (cli->h323));
      emit_line (line);
    }
  return TRUE;
}

static void
cli_clear (Cli *cli)
{
  g_clear_object (&cli->account_obj);
  g_clear_object (&cli->echo);
  g_clear_object (&cli->h323);
  g_free (cli->h323_listen);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_free (cli->listen);
  g_free (cli->account);
  g_free (cli->password_file);
  g_free (cli->registrar);
  g_free (cli->transport);
  g_free (cli->tls_ca);
  g_free (cli->tls_trust);
  g_free (cli->call);
  g_free (cli->dtmf);
  g_free (cli->transfer_to);
  g_free (cli->consult);
  g_clear_object (&cli->transferee);
  g_clear_object (&cli->consultation);
  g_free (cli->audio_source);
  g_free (cli->video_source);
  g_free (cli->audio_sink);
  g_free (cli->video_sink);
  g_free (cli->audio_codecs);
  g_free (cli->video_codecs);
  g_free (cli->video_size);
  g_free (cli->stun);
  g_free (cli->turn);
  g_free (cli->turn_transport);
  g_free (cli->turn_user);
  g_free (cli->turn_password_file);
}

/* --transport, or TLS when an address asks for it (sips:, transport=tls) */
static MtTransport
cli_transport (Cli *cli)
{
  const char *addresses[] = { cli->registrar, cli->account, cli->call };

  if (cli->transport)
    return g_str_equal (cli->transport, "tls") ? MT_TRANSPORT_TLS
           : g_str_equal (cli->transport, "tcp") ? MT_TRANSPORT_TCP : MT_TRANSPORT_UDP;
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autofree char *param = addresses[i] ? mt_sip_uri_get_param (addresses[i], "transport") : NULL;

      if (addresses[i] && (g_str_has_prefix (addresses[i], "sips:") ||
                           g_ascii_strcasecmp (param ? param : "", "tls") == 0))
        return MT_TRANSPORT_TLS;
    }
  return MT_TRANSPORT_UDP;
}

static int
final_status (Cli *cli)
{
  if (cli->exit_status)
    return cli->exit_status;
  if (!cli->had_call)
    return cli->call ? 1 : 0;
  return (cli->last_reason == MT_END_REASON_LOCAL_HANGUP ||
          cli->last_reason == MT_END_REASON_REMOTE_HANGUP ||
          cli->last_reason == MT_END_REASON_TRANSFERRED ||
          cli->last_reason == MT_END_REASON_REPLACED) ? 0 : 1;
}

int
main (int argc, char **argv)
{
  Cli cli = { .hangup_after = 0, .dtmf_after = 1, .max_calls = 1, .transfer_after = 3, .consult_after = 2, .jitter_ms = -1, .expires = -1, .media_timeout = -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtMediaConfig) config = NULL;
  g_autoptr(MtSipStack) stack = NULL;
  g_autofree char *password = NULL;
  int status;

  mt_memory_init ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (!parse_options (&cli, &argc, &argv))
    {
      cli_clear (&cli);
      return EXIT_USAGE;
    }
  if (cli.account && !(password = read_password (&cli)) && cli.password_file)
    {
      cli_clear (&cli);
      return EXIT_USAGE;
    }

  cli.loop = g_main_loop_new (NULL, FALSE);
  stack = mt_sip_stack_dup_default ();
  mt_sip_stack_set_trace (stack, cli.sip_trace);
  if (cli.echo_test && !start_echo_service (&cli))
    {
      cli_clear (&cli);
      return EXIT_USAGE;
    }
  cli.account_obj = mt_account_new_tls (cli.listen ? cli.listen
                                                   : cli.echo_test ? "127.0.0.1:0"
                                                   /* with an account the registrar knows where we are */
                                                   : cli.account ? "0.0.0.0:0" : "0.0.0.0:5060",
                                        cli.account,
                                        cli.registrar,
                                        cli_transport (&cli),
                                        cli.tls_ca,
                                        cli.tls_trust,
                                        &error);
  if (cli.account_obj == NULL)
    {
      usage_error ("%s", error->message);
      cli_clear (&cli);
      return EXIT_USAGE;
    }
  if (!check_call_target (&cli))
    {
      cli_clear (&cli);
      return EXIT_USAGE;
    }
  config = media_config_from (&cli);
  if (config == NULL)
    {
      cli_clear (&cli);
      return EXIT_USAGE;
    }
  mt_account_set_media_config (cli.account_obj, config);
  mt_account_set_password (cli.account_obj, password);
  if (cli.accept_direct)
    mt_account_set_accept_direct_calls (cli.account_obj, TRUE);
  if (cli.expires > 0)
    mt_account_set_expires (cli.account_obj, (guint) cli.expires);
  mt_account_set_max_calls (cli.account_obj, (guint) cli.max_calls);
  mt_account_set_delayed_offer (cli.account_obj, cli.delayed_offer);

  if (!start_h323 (&cli, config))
    {
      cli_clear (&cli);
      return EXIT_USAGE;
    }
  g_signal_connect (cli.account_obj, "call-added", G_CALLBACK (call_added_cb), &cli);
  g_signal_connect (cli.account_obj, "incoming-call", G_CALLBACK (incoming_call_cb), &cli);
  g_signal_connect (cli.account_obj, "notify::registration-state", G_CALLBACK (registration_cb), &cli);
  g_unix_signal_add (SIGINT, signal_cb, &cli);
  g_unix_signal_add (SIGTERM, signal_cb, &cli);

  if (!cli.json)
    fprintf (stderr, _("Listening for calls at %s\n"), mt_account_get_contact_uri (cli.account_obj));
  if (cli.account)
    mt_account_register (cli.account_obj);
  else
    place_call (&cli);

  g_main_loop_run (cli.loop);
  status = final_status (&cli);
  cli_clear (&cli);
  return status;
}

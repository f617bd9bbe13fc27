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
#include <glib/gi18n.h>
#include <gst/gst.h>

#include "mt-account.h"
#include "mt-echo-service.h"
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
  char     *call;
  gboolean  auto_answer;
  gboolean  auto_decline;
  int       hangup_after;
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

  /* state */
  GMainLoop  *loop;
  MtAccount  *account_obj;
  MtEchoService *echo;
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
      if (state == MT_REGISTRATION_FAILED && mt_account_get_registration_retry (cli->account_obj))
        g_string_append_printf (line, ",\"retry_in\":%u",
                                mt_account_get_registration_retry (cli->account_obj));
      g_string_append_c (line, '}');
      emit_line (line);
    }
  else
    {
      printf (_("Registration: %s%s%s\n"), name, reason ? ": " : "",
              reason ? mt_end_reason_to_sentence (reason) : "");
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
      g_string_append (line, ",\"state\":");
      json_string (line, mt_call_state_to_string (state));
      g_string_append (line, ",\"remote\":");
      json_string (line, mt_call_get_remote_uri (call));
      g_string_append_printf (line, ",\"video\":%s", mt_call_get_has_video (call) ? "true" : "false");
      if (state == MT_CALL_STATE_ENDED)
        {
          g_string_append (line, ",\"reason\":");
          json_string (line, mt_end_reason_to_string (reason));
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
      const char *what = state == MT_CALL_STATE_ENDED ? mt_end_reason_to_sentence (reason)
                                                      : mt_call_state_to_string (state);

      if (mt_call_get_direction (call) == MT_CALL_DIRECTION_OUTGOING)
        printf (_("Call %s to %s: %s\n"), mt_call_get_id (call), mt_call_get_remote_uri (call), what);
      else
        printf (_("Call %s from %s: %s\n"), mt_call_get_id (call), mt_call_get_remote_uri (call), what);
      fflush (stdout);
    }
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
  if (video)
    g_string_append_printf (line, ",\"frames_decoded\":%" G_GUINT64_FORMAT ",\"width\":%u,\"height\":%u}",
                            s->decoded, s->width, s->height);
  else
    g_string_append_printf (line, ",\"decoded\":%" G_GUINT64_FORMAT ",\"echo_cancel\":%s}",
                            s->decoded, s->echo_cancel ? "true" : "false");
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
  g_clear_object (&watch->call);
  g_free (watch);
}

static gboolean
stats_cb (gpointer user_data)
{
  CallWatch *watch = user_data;

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
  if (cli->exit_after_call)
    quit (cli);
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
        watch->hangup_id = g_timeout_add_seconds (watch->cli->hangup_after, hangup_cb, watch);
      schedule_hold (watch);
      break;
    case MT_CALL_STATE_HELD:
      print_call (watch->cli, call);
      schedule_hold (watch);
      break;
    case MT_CALL_STATE_NEW:
      break;
    default:
      print_call (watch->cli, call);
      break;
    }
}

static void
media_error_cb (MtMediaSession *media, const char *message, Cli *cli)
{
  print_message (cli, "error", message);
}

static void
call_added_cb (MtAccount *account, MtCall *call, Cli *cli)
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
  call_state_cb (call, NULL, watch);
}

static gboolean
auto_answer_cb (gpointer user_data)
{
  g_autoptr(MtCall) call = user_data;

  mt_call_answer (call);
  return G_SOURCE_REMOVE;
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
incoming_call_cb (MtAccount *account, MtCall *call, Cli *cli)
{
  if (cli->auto_answer)
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, auto_answer_cb, g_object_ref (call), NULL);
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

  if (cli->password_file == NULL)
    return g_strdup (g_getenv ("MTAVIP_PASSWORD"));
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
  if (cli->video_size)
    sscanf (cli->video_size, "%ux%u", &config->width, &config->height);
  return config;
}

static gboolean
check_options (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  guint w = 0, h = 0;

  if (cli->transport && !g_str_equal (cli->transport, "udp") && !g_str_equal (cli->transport, "tcp"))
    return usage_error (_("--transport must be udp or tcp, not “%s”"), cli->transport);
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
    { "transport", 't', 0, G_OPTION_ARG_STRING, &cli->transport, N_("udp or tcp"), "udp|tcp" },
    { "call", 'c', 0, G_OPTION_ARG_STRING, &cli->call, N_("Call this address"), N_("SIP-URI") },
    { "auto-answer", 0, 0, G_OPTION_ARG_NONE, &cli->auto_answer, N_("Answer incoming calls"), NULL },
    { "auto-decline", 0, 0, G_OPTION_ARG_NONE, &cli->auto_decline, N_("Decline incoming calls (603)"), NULL },
    { "hangup-after", 0, 0, G_OPTION_ARG_INT, &cli->hangup_after, N_("Hang up SECONDS after the call is answered"), N_("SECONDS") },
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
    { "echo-test", 0, 0, G_OPTION_ARG_NONE, &cli->echo_test, N_("Call the built-in echo service: see and hear yourself through SIP and RTP"), NULL },
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

static void
cli_clear (Cli *cli)
{
  g_clear_object (&cli->account_obj);
  g_clear_object (&cli->echo);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_free (cli->listen);
  g_free (cli->account);
  g_free (cli->password_file);
  g_free (cli->registrar);
  g_free (cli->transport);
  g_free (cli->call);
  g_free (cli->audio_source);
  g_free (cli->video_source);
  g_free (cli->audio_sink);
  g_free (cli->video_sink);
  g_free (cli->audio_codecs);
  g_free (cli->video_codecs);
  g_free (cli->video_size);
}

static int
final_status (Cli *cli)
{
  if (cli->exit_status)
    return cli->exit_status;
  if (!cli->had_call)
    return cli->call ? 1 : 0;
  return (cli->last_reason == MT_END_REASON_LOCAL_HANGUP ||
          cli->last_reason == MT_END_REASON_REMOTE_HANGUP) ? 0 : 1;
}

int
main (int argc, char **argv)
{
  Cli cli = { .hangup_after = 0, .jitter_ms = -1, .expires = -1, .media_timeout = -1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MtMediaConfig) config = NULL;
  g_autoptr(MtSipStack) stack = NULL;
  g_autofree char *password = NULL;
  int status;

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
  cli.account_obj = mt_account_new (cli.listen ? cli.listen
                                               : cli.echo_test ? "127.0.0.1:0" : "0.0.0.0:5060",
                                    cli.account,
                                    cli.registrar,
                                    g_strcmp0 (cli.transport, "tcp") == 0 ? MT_TRANSPORT_TCP
                                                                         : MT_TRANSPORT_UDP,
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
  mt_account_set_media_config (cli.account_obj, config);
  mt_account_set_password (cli.account_obj, password);
  if (cli.expires > 0)
    mt_account_set_expires (cli.account_obj, (guint) cli.expires);

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

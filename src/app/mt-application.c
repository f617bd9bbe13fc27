/* mt-application.c: the MTAVIPClient application
 *
 * Owns the account (one MtAccount: a SIP account, or direct mode), the echo
 * service, the contacts and the history; turns core calls into windows,
 * notifications, a ringtone and history entries. Everything a person can do
 * is an application action, shared by the UI, notifications and scripts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-application"

#include "config.h"

#include "mt-application.h"

#include <glib/gi18n.h>

#include "mt-call-window.h"
#include "mt-echo-service.h"
#include "mt-notifier.h"
#include "mt-preferences-window.h"
#include "mt-ringtone.h"
#include "mt-secrets.h"
#include "mt-sip-uri.h"
#include "mt-video-paintable.h"
#include "mt-window.h"

#define LISTEN_TRIES 20
#define STATS_INTERVAL_MS 500

/* what we keep about a call, also after it ended (for the debug state) */
typedef struct {
  MtApplication    *app;
  MtCall           *call;
  MtVideoPaintable *remote;
  MtVideoPaintable *self_view;
  MtCallWindow     *window;     /* weak */
  gint64            start_time; /* unix seconds */
  gint64            active_since; /* monotonic usec, 0 before */
  guint             duration;
  gboolean          answered;
  gboolean          ringing;    /* incoming and not yet answered/declined */
} CallRecord;

struct _MtApplication
{
  AdwApplication  parent_instance;

  MtSettings     *settings;
  MtContacts     *contacts;
  MtHistory      *history;
  MtNotifier     *notifier;
  MtRingtone     *ringtone;
  MtAccount      *account;
  char           *account_error;
  MtEchoService  *echo;
  GHashTable     *calls;       /* id -> CallRecord */
  GCancellable   *cancellable;
  guint           stats_id;
};

G_DEFINE_FINAL_TYPE (MtApplication, mt_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
call_record_free (CallRecord *record)
{
  g_signal_handlers_disconnect_by_data (record->call, record);
  if (record->window)
    g_object_remove_weak_pointer (G_OBJECT (record->window), (gpointer *) &record->window);
  g_clear_object (&record->call);
  g_clear_object (&record->remote);
  g_clear_object (&record->self_view);
  g_free (record);
}

/* ---- windows ---------------------------------------------------------------- */

static MtWindow *
main_window (MtApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (MT_IS_WINDOW (l->data))
      return l->data;
  return mt_window_new (self);
}

static void
present_call_window (CallRecord *record)
{
  if (record->window == NULL)
    {
      record->window = mt_call_window_new (record->app, record->call, record->remote,
                                           record->self_view);
      g_object_add_weak_pointer (G_OBJECT (record->window), (gpointer *) &record->window);
    }
  gtk_window_present (GTK_WINDOW (record->window));
}

static CallRecord *
find_record (MtApplication *self, const char *id)
{
  return id ? g_hash_table_lookup (self->calls, id) : NULL;
}

/* ---- calls ---------------------------------------------------------------------- */

char *
mt_application_dup_display_name (MtApplication *self, const char *uri, const char *fallback_name)
{
  MtContact *contact;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  contact = mt_contacts_find_by_uri (self->contacts, uri);
  if (contact)
    return g_strdup (mt_contact_get_name (contact));
  if (fallback_name && *fallback_name)
    return g_strdup (fallback_name);
  if (uri && g_str_has_prefix (uri, "sip:"))
    return g_strdup (uri + 4);
  return g_strdup (uri ? uri : "");
}

static char *
caller_name (MtApplication *self, MtCall *call)
{
  return mt_application_dup_display_name (self, mt_call_get_remote_uri (call),
                                          mt_call_get_remote_name (call));
}

static void
stop_ringing (CallRecord *record)
{
  MtApplication *self = record->app;

  if (!record->ringing)
    return;
  record->ringing = FALSE;
  mt_notifier_withdraw_call (self->notifier, record->call);
  /* another call may still ring */
  {
    GHashTableIter iter;
    CallRecord *other;
    gboolean any = FALSE;

    g_hash_table_iter_init (&iter, self->calls);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
      any |= other->ringing;
    if (!any)
      mt_ringtone_stop (self->ringtone);
  }
}

static MtHistoryKind
history_kind (CallRecord *record)
{
  MtEndReason reason = mt_call_get_end_reason (record->call);

  if (mt_call_get_direction (record->call) == MT_CALL_DIRECTION_OUTGOING)
    return MT_HISTORY_KIND_OUTGOING;
  if (record->answered || reason == MT_END_REASON_DECLINED || reason == MT_END_REASON_LOCAL_HANGUP)
    return MT_HISTORY_KIND_INCOMING;
  return MT_HISTORY_KIND_MISSED;
}

static void
call_ended (CallRecord *record)
{
  MtApplication *self = record->app;
  g_autoptr(MtHistoryEntry) entry = NULL;
  g_autofree char *name = caller_name (self, record->call);
  MtHistoryKind kind = history_kind (record);

  stop_ringing (record);
  if (record->active_since)
    record->duration = (guint) ((g_get_monotonic_time () - record->active_since) / G_USEC_PER_SEC);
  entry = mt_history_entry_new (NULL, kind, mt_call_get_remote_uri (record->call),
                                mt_call_get_remote_name (record->call), record->start_time,
                                record->duration, mt_call_get_has_video (record->call));
  mt_history_add (self->history, entry);
  if (kind == MT_HISTORY_KIND_MISSED)
    mt_notifier_missed_call (self->notifier, record->call, name);
  g_message ("call %s ended: %s (%s, %u s)", mt_call_get_id (record->call),
             mt_end_reason_to_string (mt_call_get_end_reason (record->call)),
             mt_history_kind_to_string (kind), record->duration);
}

static void
call_state_cb (MtCall *call, GParamSpec *pspec, CallRecord *record)
{
  MtCallState state = mt_call_get_state (call);

  g_debug ("call %s: %s", mt_call_get_id (call), mt_call_state_to_string (state));
  if (state != MT_CALL_STATE_INCOMING && state != MT_CALL_STATE_NEW)
    stop_ringing (record);
  if (state == MT_CALL_STATE_ACTIVE && record->active_since == 0)
    {
      record->active_since = g_get_monotonic_time ();
      record->answered = TRUE;
    }
  if (state == MT_CALL_STATE_ENDED)
    {
      call_ended (record);
      g_signal_handlers_disconnect_by_data (call, record);
    }
}

static void
call_added_cb (MtAccount *account, MtCall *call, MtApplication *self)
{
  CallRecord *record = g_new0 (CallRecord, 1);
  MtMediaSession *media = mt_call_get_media_session (call);

  record->app = self;
  record->call = g_object_ref (call);
  record->remote = mt_video_paintable_new ();
  record->self_view = mt_video_paintable_new ();
  record->start_time = g_get_real_time () / G_USEC_PER_SEC;
  /* before the call connects: the pipeline is built when it does */
  if (media)
    mt_media_session_set_video_sinks (media,
                                      mt_settings_get_video_in_window (self->settings)
                                        ? mt_video_paintable_create_sink (record->remote) : NULL,
                                      mt_video_paintable_create_sink (record->self_view));
  g_hash_table_replace (self->calls, g_strdup (mt_call_get_id (call)), record);
  g_signal_connect (call, "notify::state", G_CALLBACK (call_state_cb), record);
  if (mt_call_get_direction (call) == MT_CALL_DIRECTION_OUTGOING)
    present_call_window (record);
}

static void
incoming_call_cb (MtAccount *account, MtCall *call, MtApplication *self)
{
  CallRecord *record = find_record (self, mt_call_get_id (call));
  g_autofree char *name = caller_name (self, call);

  if (record == NULL || mt_call_get_state (call) == MT_CALL_STATE_ENDED)
    return;
  record->ringing = TRUE;
  /* the incoming-call view exists already: the notification's default action shows it */
  record->window = mt_call_window_new (self, call, record->remote, record->self_view);
  g_object_add_weak_pointer (G_OBJECT (record->window), (gpointer *) &record->window);
  mt_notifier_incoming_call (self->notifier, call, name);
  mt_ringtone_start (self->ringtone);
}

MtCall *
mt_application_place_call (MtApplication *self, const char *target, gboolean video, GError **error)
{
  g_autofree char *domain = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  domain = mt_application_dup_default_domain (self);
  if (!(uri = mt_sip_uri_normalize (target, domain, error)))
    return NULL;
  if (self->account == NULL)
    {
      g_set_error_literal (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_LISTEN,
                           self->account_error ? self->account_error
                                               : _("The phone is not ready to make calls."));
      return NULL;
    }
  return mt_account_call (self->account, uri, video, error);
}

/* ---- account -------------------------------------------------------------------- */

static gboolean
split_listen (const char *listen, char **host, guint *port)
{
  const char *colon = strrchr (listen, ':');
  guint64 value;

  if (colon == NULL || strchr (colon, ']') ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  *host = g_strndup (listen, colon - listen);
  *port = (guint) value;
  return TRUE;
}

/* the configured port, or the next ones when it is taken */
static MtAccount *
open_account (MtApplication *self, const char *aor, GError **error)
{
  g_autofree char *listen = mt_settings_dup_listen_address (self->settings);
  g_autofree char *registrar = mt_settings_dup_registrar (self->settings);
  g_autofree char *host = NULL;
  MtTransport transport = mt_settings_get_transport (self->settings);
  guint port = 0;

  if (!split_listen (listen, &host, &port) || port == 0)
    return mt_account_new (listen, aor, registrar, transport, error);
  for (guint i = 0; i < LISTEN_TRIES; i++)
    {
      g_autofree char *address = g_strdup_printf ("%s:%u", host, port + i);
      g_autoptr(GError) local = NULL;
      MtAccount *account = mt_account_new (address, aor, registrar, transport, &local);

      if (account)
        return account;
      if (i + 1 == LISTEN_TRIES || !g_error_matches (local, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_LISTEN))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      g_debug ("%s is taken: %s", address, local->message);
    }
  return NULL;
}

static void
password_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MtApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = mt_secrets_lookup_password_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error)
    g_warning ("Could not read the password from the Secret Service: %s", error->message);
  if (self->account == NULL)
    return;
  mt_account_set_password (self->account, password);
  mt_account_register (self->account);
}

static void
start_account (MtApplication *self)
{
  g_autofree char *aor = mt_settings_dup_account_uri (self->settings);
  g_autoptr(MtMediaConfig) config = mt_settings_dup_media_config (self->settings);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->account_error, g_free);
  self->account = open_account (self, aor, &error);
  if (self->account == NULL)
    {
      self->account_error = g_strdup (error->message);
      g_warning ("No SIP account: %s", error->message);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);
      return;
    }
  mt_account_set_media_config (self->account, config);
  g_signal_connect (self->account, "call-added", G_CALLBACK (call_added_cb), self);
  g_signal_connect (self->account, "incoming-call", G_CALLBACK (incoming_call_cb), self);
  g_message ("listening for calls at %s", mt_account_get_contact_uri (self->account));
  if (aor)
    mt_secrets_lookup_password_async (aor, self->cancellable, password_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);
}

static void
old_account_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtApplication) self = user_data;

  mt_account_shutdown_finish (MT_ACCOUNT (source), result, NULL);
  g_object_unref (source);
  start_account (self);
}

void
mt_application_restart_account (MtApplication *self)
{
  MtAccount *old;

  g_return_if_fail (MT_IS_APPLICATION (self));
  old = g_steal_pointer (&self->account);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);
  if (old == NULL)
    {
      start_account (self);
      return;
    }
  g_signal_handlers_disconnect_by_data (old, self);
  mt_account_shutdown_async (old, NULL, old_account_done_cb, g_object_ref (self));
}

static void
start_echo_service (MtApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->echo = mt_echo_service_new (&error);
  if (self->echo == NULL)
    {
      g_warning ("No echo test: %s", error->message);
      return;
    }
  mt_contacts_set_echo_uri (self->contacts, mt_echo_service_get_uri (self->echo));
}

/* ---- debug state: what the UI tests read over D-Bus (org.gtk.Actions) ------ */

static GVariant *
call_debug_state (CallRecord *record)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "state", "s", mt_call_state_to_string (mt_call_get_state (record->call)));
  g_variant_dict_insert (&dict, "direction", "s",
                         mt_call_direction_to_string (mt_call_get_direction (record->call)));
  g_variant_dict_insert (&dict, "remote", "s", mt_call_get_remote_uri (record->call));
  g_variant_dict_insert (&dict, "reason", "s",
                         mt_end_reason_to_string (mt_call_get_end_reason (record->call)));
  g_variant_dict_insert (&dict, "remote-frames-shown", "t",
                         mt_video_paintable_get_frames_shown (record->remote));
  g_variant_dict_insert (&dict, "remote-frames-received", "t",
                         mt_video_paintable_get_frames_received (record->remote));
  g_variant_dict_insert (&dict, "self-frames-shown", "t",
                         mt_video_paintable_get_frames_shown (record->self_view));
  g_variant_dict_insert (&dict, "window-visible", "b",
                         record->window && gtk_widget_get_visible (GTK_WIDGET (record->window)));
  g_variant_dict_insert (&dict, "ringing", "b", record->ringing);
  return g_variant_dict_end (&dict);
}

static gboolean
update_debug_state_cb (gpointer user_data)
{
  MtApplication *self = user_data;
  GVariantDict dict;
  GHashTableIter iter;
  const char *id;
  CallRecord *record;

  g_variant_dict_init (&dict, NULL);
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &record))
    g_variant_dict_insert_value (&dict, id, call_debug_state (record));
  g_action_group_change_action_state (G_ACTION_GROUP (self), "debug-state",
                                      g_variant_new ("(sb@a{sv})",
                                                     self->account ? mt_account_get_contact_uri (self->account) : "",
                                                     mt_ringtone_is_playing (self->ringtone),
                                                     g_variant_dict_end (&dict)));
  return G_SOURCE_CONTINUE;
}

/* ---- actions ---------------------------------------------------------------- */

static void
call_activated (MtApplication *self, GVariant *parameter, gboolean video)
{
  g_autoptr(GError) error = NULL;

  if (!mt_application_place_call (self, g_variant_get_string (parameter, NULL), video, &error))
    {
      MtWindow *window = main_window (self);

      gtk_window_present (GTK_WINDOW (window));
      mt_window_show_message (window, error->message);
    }
}

static void
call_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  call_activated (user_data, parameter, TRUE);
}

static void
call_audio_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  call_activated (user_data, parameter, FALSE);
}

static void
answer_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CallRecord *record = find_record (user_data, g_variant_get_string (parameter, NULL));

  if (record == NULL || mt_call_get_state (record->call) != MT_CALL_STATE_INCOMING)
    return;
  stop_ringing (record);
  mt_call_answer (record->call);
  present_call_window (record);
}

static void
decline_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CallRecord *record = find_record (user_data, g_variant_get_string (parameter, NULL));

  if (record == NULL || mt_call_get_state (record->call) != MT_CALL_STATE_INCOMING)
    return;
  stop_ringing (record);
  mt_call_decline (record->call);
}

static void
hangup_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CallRecord *record = find_record (user_data, g_variant_get_string (parameter, NULL));

  if (record && mt_call_get_state (record->call) != MT_CALL_STATE_ENDED)
    mt_call_hangup (record->call);
}

static void
show_call_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CallRecord *record = find_record (user_data, g_variant_get_string (parameter, NULL));

  if (record && mt_call_get_state (record->call) != MT_CALL_STATE_ENDED)
    present_call_window (record);
  else
    gtk_window_present (GTK_WINDOW (main_window (user_data)));
}

static void
show_history_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtWindow *window = main_window (user_data);

  mt_window_show_history (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtApplication *self = user_data;
  GtkWidget *prefs = mt_preferences_window_new (self);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (main_window (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtApplication *self = user_data;
  const char *developers[] = { "MTMediaDev", NULL };

  adw_show_about_window (GTK_WINDOW (main_window (self)),
                         "application-name", _("MTAVIPClient"),
                         "application-icon", APP_ID,
                         "developer-name", "MTMediaDev",
                         "version", PACKAGE_VERSION,
                         "comments", _("Make audio and video calls over SIP"),
                         "website", "https://github.com/MTMediaDev/MTAVIPClient",
                         "issue-url", "https://github.com/MTMediaDev/MTAVIPClient/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: your name here */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
debug_state_action (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  g_simple_action_set_state (action, value);
}

static const GActionEntry app_actions[] = {
  { "call", call_action, "s" },
  { "call-audio", call_audio_action, "s" },
  { "answer", answer_action, "s" },
  { "decline", decline_action, "s" },
  { "hangup", hangup_action, "s" },
  { "show-call", show_call_action, "s" },
  { "show-history", show_history_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* only for the UI tests: MTAVIP_TEST_HOOKS=1 */
static const GActionEntry test_actions[] = {
  { "debug-state", NULL, NULL, "('',false,@a{sv} {})", debug_state_action },
};

static gboolean
test_hooks_enabled (void)
{
  return g_strcmp0 (g_getenv ("MTAVIP_TEST_HOOKS"), "1") == 0;
}

/* ---- GApplication ------------------------------------------------------------- */

static void
mt_application_startup (GApplication *application)
{
  MtApplication *self = MT_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  g_autofree char *sink = NULL;

  G_APPLICATION_CLASS (mt_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  if (test_hooks_enabled ())
    g_action_map_add_action_entries (G_ACTION_MAP (self), test_actions,
                                     G_N_ELEMENTS (test_actions), self);

  self->settings = mt_settings_new ();
  self->contacts = mt_contacts_new ();
  self->history = mt_history_new ();
  self->notifier = mt_notifier_new (application);
  sink = mt_settings_dup_audio_sink_description (self->settings);
  self->ringtone = mt_ringtone_new (sink);
  start_echo_service (self);
  start_account (self);
  if (test_hooks_enabled ())
    self->stats_id = g_timeout_add (STATS_INTERVAL_MS, update_debug_state_cb, self);
}

static void
mt_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (main_window (MT_APPLICATION (application))));
}

static void
mt_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  MtApplication *self = MT_APPLICATION (application);
  MtWindow *window = main_window (self);

  /* never a surprise call: the address is ready, the call one click away */
  if (n_files > 0)
    {
      g_autofree char *uri = g_file_get_uri (files[n_files - 1]);

      mt_window_open_address (window, uri);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
shutdown_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

static void
echo_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  mt_echo_service_shutdown_finish (MT_ECHO_SERVICE (source), result, NULL);
  *done = TRUE;
}

/* hang up and un-REGISTER before we go: bounded, so quitting never hangs */
static void
shutdown_core (MtApplication *self)
{
  gboolean account_done = self->account == NULL;
  gboolean echo_done = self->echo == NULL;
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  if (self->account)
    mt_account_shutdown_async (self->account, NULL, shutdown_done_cb, &account_done);
  if (self->echo)
    mt_echo_service_shutdown_async (self->echo, echo_done_cb, &echo_done);
  while (!(account_done && echo_done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
}

static void
mt_application_shutdown (GApplication *application)
{
  MtApplication *self = MT_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->stats_id, g_source_remove);
  if (self->ringtone)
    mt_ringtone_stop (self->ringtone);
  shutdown_core (self);
  G_APPLICATION_CLASS (mt_application_parent_class)->shutdown (application);
}

static void
mt_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MtApplication *self = MT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_application_dispose (GObject *object)
{
  MtApplication *self = MT_APPLICATION (object);

  g_clear_pointer (&self->calls, g_hash_table_unref);
  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_object (&self->echo);
  g_clear_object (&self->ringtone);
  g_clear_object (&self->notifier);
  g_clear_object (&self->history);
  g_clear_object (&self->contacts);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_error, g_free);
  G_OBJECT_CLASS (mt_application_parent_class)->dispose (object);
}

static void
mt_application_class_init (MtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = mt_application_get_property;
  object_class->dispose = mt_application_dispose;
  app_class->startup = mt_application_startup;
  app_class->activate = mt_application_activate;
  app_class->open = mt_application_open;
  app_class->shutdown = mt_application_shutdown;

  props[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, MT_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
mt_application_init (MtApplication *self)
{
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) call_record_free);
  self->cancellable = g_cancellable_new ();
}

MtApplication *
mt_application_new (void)
{
  return g_object_new (MT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/MTMediaDev/MTAVIPClient",
                       NULL);
}

MtContacts *
mt_application_get_contacts (MtApplication *self)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  return self->contacts;
}

MtHistory *
mt_application_get_history (MtApplication *self)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  return self->history;
}

MtSettings *
mt_application_get_settings (MtApplication *self)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  return self->settings;
}

MtAccount *
mt_application_get_account (MtApplication *self)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  return self->account;
}

const char *
mt_application_get_account_error (MtApplication *self)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  return self->account_error;
}

char *
mt_application_dup_default_domain (MtApplication *self)
{
  g_autofree char *aor = NULL;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  aor = mt_settings_dup_account_uri (self->settings);
  return aor ? mt_sip_uri_get_host (aor) : NULL;
}

/* mt-application.c: the MTAVIPClient application
 *
 * Owns the account (one MtAccount: a SIP account, or direct mode), any
 * further SIP accounts (settings "accounts": each its own registration,
 * transport and password; a call says on which one it came), the H.323
 * endpoint when H.323 is on, the echo service, the contacts and the history; turns core calls into windows,
 * notifications, a ringtone and history entries. Everything a person can do
 * is an application action, shared by the UI, notifications and scripts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-application"

#include "config.h"

#include "mt-application.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "mt-address-book.h"
#include "mt-call-view.h"
#include "mt-call-window.h"
#include "mt-echo-service.h"
#include "mt-h323-endpoint.h"
#include "mt-memory.h"
#include "mt-notifier.h"
#include "mt-preferences-window.h"
#include "mt-ringtone.h"
#include "mt-secrets.h"
#include "mt-sip-uri.h"
#include "mt-video-paintable.h"
#include "mt-window.h"

#define LISTEN_TRIES 20
#define STATS_INTERVAL_MS 500
/* an ended call's window shows the end for 3 s; its view goes a little later */
#define FORGET_AFTER_END_S 10

struct _MtApplication
{
  AdwApplication  parent_instance;

  MtSettings     *settings;
  MtContacts     *contacts;
  MtAddressBook  *address_book;  /* the desktop's contacts, fed into `contacts` */
  MtHistory      *history;
  MtNotifier     *notifier;
  MtRingtone     *ringtone;
  MtAccount      *account;
  char           *account_error;
  GPtrArray      *more_accounts;   /* MtAccount: the further accounts ("accounts") */
  MtEchoService  *echo;
  MtH323Endpoint *h323;        /* NULL when H.323 is off */
  GHashTable     *calls;       /* id -> MtCallView, until FORGET_AFTER_END_S after the end */
  GCancellable   *cancellable;
  guint           stats_id;
  guint           sigterm_id;
  guint           sigint_id;
};

G_DEFINE_FINAL_TYPE (MtApplication, mt_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- windows ---------------------------------------------------------------- */

static MtWindow *
main_window (MtApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (MT_IS_WINDOW (l->data))
      return l->data;
  return mt_window_new (self);
}

static MtCallView *
find_view (MtApplication *self, const char *id)
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

char *
mt_application_dup_caller_name (MtApplication *self, MtCall *call)
{
  const char *uri;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (MT_IS_CALL (call), NULL);

  uri = mt_call_get_remote_uri (call);
  if (mt_call_get_caller_verified (call))
    return mt_application_dup_display_name (self, uri, mt_call_get_remote_name (call));
  /* anyone can write any name and address in a From sent to us directly:
   * no contact's name for it, and not the name it claims */
  if (uri && g_str_has_prefix (uri, "sip:"))
    return g_strdup (uri + 4);
  return g_strdup (uri ? uri : "");
}

static char *
caller_name (MtApplication *self, MtCall *call)
{
  return mt_application_dup_caller_name (self, call);
}

/* a call stopped ringing: its notification goes; the ringtone once no other call rings */
static void
ringing_changed_cb (MtCallView *view, GParamSpec *pspec, MtApplication *self)
{
  GHashTableIter iter;
  MtCallView *other;

  if (mt_call_view_get_ringing (view))
    return;
  mt_notifier_withdraw_call (self->notifier, mt_call_view_get_call (view));
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    if (mt_call_view_get_ringing (other))
      return;
  mt_ringtone_stop (self->ringtone);
}

static MtHistoryKind
history_kind (MtCall *call)
{
  MtEndReason reason = mt_call_get_end_reason (call);

  if (mt_call_get_direction (call) == MT_CALL_DIRECTION_OUTGOING)
    return MT_HISTORY_KIND_OUTGOING;
  if (mt_call_get_answered (call) || reason == MT_END_REASON_DECLINED ||
      reason == MT_END_REASON_LOCAL_HANGUP)
    return MT_HISTORY_KIND_INCOMING;
  return MT_HISTORY_KIND_MISSED;
}

typedef struct {
  MtApplication *app;    /* weak */
  MtCallView    *view;
} ForgetView;

static void
forget_view_free (gpointer data)
{
  ForgetView *forget = data;

  g_clear_weak_pointer (&forget->app);
  g_clear_object (&forget->view);
  g_free (forget);
}

static gboolean
forget_view_cb (gpointer data)
{
  ForgetView *forget = data;
  MtApplication *self = forget->app;
  g_autoptr(MtCallView) view = g_steal_pointer (&forget->view);
  g_autofree char *id = g_strdup (mt_call_get_id (mt_call_view_get_call (view)));

  if (self == NULL || find_view (self, id) != view)
    return G_SOURCE_REMOVE;
  g_hash_table_remove (self->calls, id);
  g_clear_object (&view);
  if (g_hash_table_size (self->calls) == 0)
    mt_memory_trim ();
  return G_SOURCE_REMOVE;
}

/* A phone open for weeks must not keep every call it had: each view holds
 * the call, its video paintables and their last frames. */
static void
forget_view_later (MtApplication *self, MtCall *call)
{
  ForgetView *forget = g_new0 (ForgetView, 1);

  g_set_weak_pointer (&forget->app, self);
  forget->view = g_object_ref (find_view (self, mt_call_get_id (call)));
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, FORGET_AFTER_END_S, forget_view_cb,
                              forget, forget_view_free);
}

/* set on a call refused because "Do not disturb" was on */
#define REFUSED_DND "mt-refused-do-not-disturb"

/* the call's view stopped ringing already (it follows the call first) */
static void
call_ended (MtApplication *self, MtCall *call)
{
  g_autoptr(MtHistoryEntry) entry = NULL;
  g_autofree char *name = caller_name (self, call);
  MtHistoryKind kind = history_kind (call);
  guint duration = mt_call_get_duration (call);

  entry = mt_history_entry_new (NULL, kind, mt_call_get_remote_uri (call),
                                mt_call_get_remote_name (call), mt_call_get_start_time (call),
                                duration, mt_call_get_has_video (call));
  mt_history_entry_set_protocol (entry, mt_call_get_protocol (call));
  mt_history_entry_set_do_not_disturb (entry, g_object_get_data (G_OBJECT (call), REFUSED_DND) != NULL);
  mt_history_entry_set_account (entry, mt_application_get_call_account (self, call));
  mt_history_add (self->history, entry);
  /* "Do not disturb" means no notification either: the history has it */
  if (kind == MT_HISTORY_KIND_MISSED && !mt_history_entry_get_do_not_disturb (entry))
    mt_notifier_missed_call (self->notifier, call, name);
  if (find_view (self, mt_call_get_id (call)))
    forget_view_later (self, call);
  g_message ("call %s ended: %s (%s, %u s)", mt_call_get_id (call),
             mt_end_reason_to_string (mt_call_get_end_reason (call)),
             mt_history_kind_to_string (kind), duration);
}

static gboolean update_debug_state_cb (gpointer user_data);

static void
call_state_cb (MtCall *call, GParamSpec *pspec, MtApplication *self)
{
  MtCallState state = mt_call_get_state (call);

  g_debug ("call %s: %s", mt_call_get_id (call), mt_call_state_to_string (state));
  if (state == MT_CALL_STATE_ENDED)
    call_ended (self, call);   /* once: an ended call stays ended */
  /* the test hook's state follows at once, not up to 0.5 s later */
  if (self->stats_id)
    update_debug_state_cb (self);
}

/* the address of the account a SIP call came in on or went out on */
#define CALL_ACCOUNT "mt-call-account"

static void
call_added_cb (GObject *source, MtCall *call, MtApplication *self)
{
  MtCallView *view;

  if (MT_IS_ACCOUNT (source) && mt_account_get_aor (MT_ACCOUNT (source)))
    g_object_set_data_full (G_OBJECT (call), CALL_ACCOUNT,
                            g_strdup (mt_account_get_aor (MT_ACCOUNT (source))), g_free);
  view = mt_call_view_new (self, call, mt_settings_get_video_in_window (self->settings));

  g_hash_table_replace (self->calls, g_strdup (mt_call_get_id (call)), view);
  g_signal_connect_object (view, "notify::ringing", G_CALLBACK (ringing_changed_cb), self, 0);
  g_signal_connect_object (call, "notify::state", G_CALLBACK (call_state_cb), self, 0);
  if (mt_call_get_direction (call) == MT_CALL_DIRECTION_OUTGOING)
    mt_call_view_present (view);
}

/* another call is up (active or held): a new one gets the waiting tone */
static gboolean
in_a_call (MtApplication *self, MtCall *except)
{
  GHashTableIter iter;
  MtCallView *view;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &view))
    {
      MtCall *call = mt_call_view_get_call (view);
      MtCallState state = mt_call_get_state (call);

      if (call != except && (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD))
        return TRUE;
    }
  return FALSE;
}

static void
incoming_call_cb (GObject *source, MtCall *call, MtApplication *self)
{
  MtCallView *view = find_view (self, mt_call_get_id (call));
  g_autofree char *name = NULL;

  if (view == NULL || mt_call_get_state (call) == MT_CALL_STATE_ENDED)
    return;
  if (g_settings_get_boolean (mt_settings_get_gsettings (self->settings), "do-not-disturb"))
    {
      g_message ("call %s refused as busy: do not disturb", mt_call_get_id (call));
      g_object_set_data (G_OBJECT (call), REFUSED_DND, GINT_TO_POINTER (TRUE));
      mt_call_reject_busy (call);
      return;
    }
  name = caller_name (self, call);
  mt_call_view_set_ringing (view, TRUE);
  /* the incoming-call view exists already: the notification's default action shows it */
  mt_call_view_ensure_window (view);
  mt_notifier_incoming_call (self->notifier, call, name,
                             mt_application_get_said_account (self, call));
  /* a soft waiting tone during a call, not a ring over the conversation */
  mt_ringtone_start_kind (self->ringtone, in_a_call (self, call) ? MT_RINGTONE_WAITING
                                                                 : MT_RINGTONE_RING);
}

/* h323:[user@]host[:port]: checked by the endpoint's own parser */
static char *
dup_h323_uri (MtApplication *self, const char *typed, GError **error)
{
  g_autofree char *uri = g_strstrip (g_strdup (typed));
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  guint port;

  if (!mt_h323_uri_parse (uri, &user, &host, &port, error))
    return NULL;
  if (self->h323 == NULL)
    {
      g_set_error_literal (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_LISTEN,
                           _("H.323 calls are turned off in the settings."));
      return NULL;
    }
  return g_steal_pointer (&uri);
}

char *
mt_application_dup_target_uri (MtApplication *self, const char *typed, GError **error)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (typed != NULL, NULL);

  if (mt_h323_uri_is_h323 (typed))
    return dup_h323_uri (self, typed, error);
  if (self->account)
    return mt_account_dup_target_uri (self->account, typed, error);
  /* no account yet (or none could listen): no domain, whole addresses only */
  return mt_sip_uri_normalize (typed, NULL, error);
}

static MtCall *
place_h323_call (MtApplication *self, const char *uri, gboolean video, GError **error)
{
  MtCall *call = mt_h323_endpoint_call (self->h323, uri, video, error);

  /* a call made during a SIP call: that one waits on hold */
  if (call)
    mt_application_switch_to (self, call);
  return call;
}

static MtAccount *find_account (MtApplication *self, const char *aor);

MtCall *
mt_application_place_call (MtApplication *self, const char *target, gboolean video, GError **error)
{
  g_autofree char *uri = NULL;
  MtCall *call;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  if (!(uri = mt_application_dup_target_uri (self, target, error)))
    return NULL;
  if (mt_h323_uri_is_h323 (uri))
    return place_h323_call (self, uri, video, error);
  /* a contact's calls go out on the contact's account */
  {
    MtContact *contact = mt_contacts_find_by_uri (self->contacts, uri);
    const char *account = contact ? mt_contact_get_account (contact) : NULL;

    if (account && find_account (self, account))
      return mt_application_place_call_on (self, account, uri, video, error);
  }
  if (self->account == NULL)
    {
      g_set_error_literal (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_LISTEN,
                           self->account_error ? self->account_error
                                               : _("The phone is not ready to make calls."));
      return NULL;
    }
  call = mt_account_call (self->account, uri, video, error);
  /* a call made during another: that one waits on hold */
  if (call)
    mt_application_switch_to (self, call);
  return call;
}

static MtAccount *
find_account (MtApplication *self, const char *aor)
{
  if (self->account && g_strcmp0 (mt_account_get_aor (self->account), aor) == 0)
    return self->account;
  for (guint i = 0; i < self->more_accounts->len; i++)
    {
      MtAccount *account = g_ptr_array_index (self->more_accounts, i);

      if (g_strcmp0 (mt_account_get_aor (account), aor) == 0)
        return account;
    }
  return NULL;
}

MtCall *
mt_application_place_call_on (MtApplication *self,
                               const char    *account_uri,
                               const char    *target,
                               gboolean       video,
                               GError       **error)
{
  g_autofree char *uri = NULL;
  MtAccount *account;
  MtCall *call;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  account = account_uri && *account_uri ? find_account (self, account_uri) : NULL;
  if (account == NULL || mt_h323_uri_is_h323 (target))
    return mt_application_place_call (self, target, video, error);
  if (!(uri = mt_account_dup_target_uri (account, target, error)))
    return NULL;
  call = mt_account_call (account, uri, video, error);
  if (call)
    mt_application_switch_to (self, call);
  return call;
}

/**
 * mt_application_switch_to:
 * @call: a call of any account (or H.323)
 *
 * Answers or resumes @call; every other SIP call that is up goes on hold,
 * on whichever account it is (an account alone only knows its own calls).
 */
void
mt_application_switch_to (MtApplication *self, MtCall *call)
{
  g_autoptr(GPtrArray) others = NULL;

  g_return_if_fail (MT_IS_APPLICATION (self));
  g_return_if_fail (MT_IS_CALL (call));

  /* the same calls a transfer could go to: the other SIP calls that are up */
  others = mt_application_dup_transfer_targets (self, call);
  for (guint i = 0; i < others->len; i++)
    mt_call_set_hold (g_ptr_array_index (others, i), TRUE);
  if (mt_call_get_state (call) == MT_CALL_STATE_INCOMING)
    mt_call_answer (call);
  else
    mt_call_set_hold (call, FALSE);
}

GStrv
mt_application_dup_account_uris (MtApplication *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  if (self->account && mt_account_get_aor (self->account))
    g_strv_builder_add (builder, mt_account_get_aor (self->account));
  for (guint i = 0; i < self->more_accounts->len; i++)
    g_strv_builder_add (builder, mt_account_get_aor (g_ptr_array_index (self->more_accounts, i)));
  return g_strv_builder_end (builder);
}

/* the call's account when there is more than one to tell apart */
const char *
mt_application_get_said_account (MtApplication *self, MtCall *call)
{
  g_auto(GStrv) all = NULL;

  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  all = mt_application_dup_account_uris (self);
  return g_strv_length (all) > 1 ? mt_application_get_call_account (self, call) : NULL;
}

const char *
mt_application_get_call_account (MtApplication *self, MtCall *call)
{
  g_return_val_if_fail (MT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (MT_IS_CALL (call), NULL);
  return g_object_get_data (G_OBJECT (call), CALL_ACCOUNT);
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
  g_autofree char *pin = mt_settings_dup_tls_fingerprint (self->settings);
  guint port = 0;

  if (!split_listen (listen, &host, &port) || port == 0)
    return mt_account_new_tls (listen, aor, registrar, transport, NULL, pin, error);
  for (guint i = 0; i < LISTEN_TRIES; i++)
    {
      g_autofree char *address = g_strdup_printf ("%s:%u", host, port + i);
      g_autoptr(GError) local = NULL;
      MtAccount *account = mt_account_new_tls (address, aor, registrar, transport, NULL, pin,
                                               &local);

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
  /* call waiting: a second call rings during the first; a third is busy */
  mt_account_set_max_calls (self->account, 2);
  if (aor)
    {
      /* a restart after a crash replaces the binding the crashed run left */
      g_autofree char *instance = mt_account_dup_stable_instance_id (APP_ID);
      const char *expires = g_getenv ("MTAVIP_TEST_REGISTER_EXPIRES");

      mt_account_set_instance_id (self->account, instance);
      /* tests (tests/faults): a short lifetime, so a registrar that lost
       * its table is noticed in seconds rather than within the hour */
      if (expires && g_strcmp0 (g_getenv ("MTAVIP_TEST_HOOKS"), "1") == 0)
        mt_account_set_expires (self->account, (guint) g_ascii_strtoull (expires, NULL, 10));
    }
  if (aor)
    mt_account_set_accept_direct_calls (self->account,
                                        mt_settings_get_accept_direct_calls (self->settings));
  g_signal_connect (self->account, "call-added", G_CALLBACK (call_added_cb), self);
  g_signal_connect (self->account, "incoming-call", G_CALLBACK (incoming_call_cb), self);
  g_message ("listening for calls at %s", mt_account_get_contact_uri (self->account));
  if (aor)
    mt_secrets_lookup_password_async (aor, self->cancellable, password_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);
}

static void
more_password_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtAccount) account = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = mt_secrets_lookup_password_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error)
    g_warning ("Could not read the password of %s: %s", mt_account_get_aor (account),
               error->message);
  mt_account_set_password (account, password);
  mt_account_register (account);
}

/* an id is one path element: letters, digits, '-' */
static gboolean
account_id_valid (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* A further account: the same listening host as the first, any port */
static MtAccount *
open_more_account (MtApplication *self, GSettings *settings, GError **error)
{
  g_autofree char *aor = g_strstrip (g_settings_get_string (settings, "account-uri"));
  g_autofree char *registrar = g_strstrip (g_settings_get_string (settings, "registrar"));
  g_autofree char *transport = g_settings_get_string (settings, "transport");
  g_autofree char *listen = mt_settings_dup_listen_address (self->settings);
  g_autofree char *host = NULL;
  g_autofree char *address = NULL;
  guint port;

  if (*aor == '\0')
    return NULL;
  if (!split_listen (listen, &host, &port))
    host = g_strdup ("0.0.0.0");
  address = g_strdup_printf ("%s:0", host);
  return mt_account_new_tls (address, aor, *registrar ? registrar : NULL,
                             g_str_equal (transport, "tls") ? MT_TRANSPORT_TLS
                             : g_str_equal (transport, "tcp") ? MT_TRANSPORT_TCP : MT_TRANSPORT_UDP,
                             NULL, NULL, error);
}

/* the settings id ("accounts") a further account was started from */
#define ACCOUNT_ID "mt-account-id"

static void
start_more_account (MtApplication *self, const char *id, MtMediaConfig *config)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  MtAccount *account;

  if (!account_id_valid (id))
    {
      g_warning ("Account id “%s” is not valid: letters, digits and '-' only", id);
      return;
    }
  settings = mt_settings_dup_account_settings (self->settings, id);
  if (!(account = open_more_account (self, settings, &error)))
    {
      if (error)
        g_warning ("Account %s: %s", id, error->message);
      return;
    }
  g_object_set_data_full (G_OBJECT (account), ACCOUNT_ID, g_strdup (id), g_free);
  mt_account_set_media_config (account, config);
  mt_account_set_max_calls (account, 2);
  mt_account_set_accept_direct_calls (account,
                                      mt_settings_get_accept_direct_calls (self->settings));
  g_signal_connect (account, "call-added", G_CALLBACK (call_added_cb), self);
  g_signal_connect (account, "incoming-call", G_CALLBACK (incoming_call_cb), self);
  g_ptr_array_add (self->more_accounts, account);
  g_message ("account %s listening at %s", mt_account_get_aor (account),
             mt_account_get_contact_uri (account));
  mt_secrets_lookup_password_async (mt_account_get_aor (account), self->cancellable,
                                    more_password_cb, g_object_ref (account));
}

static void
start_more_accounts (MtApplication *self)
{
  g_auto(GStrv) ids = mt_settings_dup_account_ids (self->settings);
  g_autoptr(MtMediaConfig) config = mt_settings_dup_media_config (self->settings);

  for (guint i = 0; ids[i]; i++)
    start_more_account (self, ids[i], config);
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

typedef struct
{
  MtApplication *app;
  char          *id;
} Reload;

static void
reload_free (Reload *reload)
{
  g_clear_object (&reload->app);
  g_free (reload->id);
  g_free (reload);
}

/* start the account again if it is still in the settings (edited, not removed) */
static void
start_if_listed (MtApplication *self, const char *id)
{
  g_auto(GStrv) ids = mt_settings_dup_account_ids (self->settings);

  if (g_strv_contains ((const char * const *) ids, id))
    {
      g_autoptr(MtMediaConfig) config = mt_settings_dup_media_config (self->settings);

      start_more_account (self, id, config);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);
}

static void
stopped_more_account_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reload *reload = user_data;

  mt_account_shutdown_finish (MT_ACCOUNT (source), result, NULL);
  g_object_unref (source);
  start_if_listed (reload->app, reload->id);
  reload_free (reload);
}

/**
 * mt_application_reload_account:
 * @id: a further account's id (the "accounts" setting)
 *
 * After the Preferences added, changed or removed that account: a running
 * one hangs up its calls and un-registers; then, unless it was removed, it
 * starts again with its settings and password as they are now.
 */
void
mt_application_reload_account (MtApplication *self, const char *id)
{
  Reload *reload;

  g_return_if_fail (MT_IS_APPLICATION (self));
  g_return_if_fail (id != NULL);

  for (guint i = 0; i < self->more_accounts->len; i++)
    {
      MtAccount *account = g_ptr_array_index (self->more_accounts, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (account), ACCOUNT_ID), id) != 0)
        continue;
      account = g_ptr_array_steal_index (self->more_accounts, i);
      g_signal_handlers_disconnect_by_data (account, self);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACCOUNT]);
      reload = g_new0 (Reload, 1);
      reload->app = g_object_ref (self);
      reload->id = g_strdup (id);
      mt_account_shutdown_async (account, NULL, stopped_more_account_cb, reload);
      return;
    }
  start_if_listed (self, id);
}

static void
start_h323 (MtApplication *self)
{
  g_autofree char *listen = mt_settings_dup_h323_listen (self->settings);
  g_autoptr(MtMediaConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *user = NULL;

  if (listen == NULL)
    return;
  self->h323 = mt_h323_endpoint_new (listen, &error);
  if (self->h323 == NULL)
    {
      g_warning ("No H.323 calls: %s", error->message);
      return;
    }
  config = mt_settings_dup_media_config (self->settings);
  mt_h323_endpoint_set_media_config (self->h323, config);
  aor = mt_settings_dup_account_uri (self->settings);
  user = aor ? mt_sip_uri_get_user (aor) : NULL;
  if (user && *user)
    mt_h323_endpoint_set_alias (self->h323, user);
  g_signal_connect (self->h323, "call-added", G_CALLBACK (call_added_cb), self);
  g_signal_connect (self->h323, "incoming-call", G_CALLBACK (incoming_call_cb), self);
  g_message ("listening for H.323 calls on port %u", mt_h323_endpoint_get_port (self->h323));
}

/* Release Complete for the old endpoint's calls goes out as the main loop runs */
static gboolean
drop_h323_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static void
stop_h323 (MtApplication *self)
{
  if (self->h323 == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->h323, self);
  mt_h323_endpoint_hangup_all (self->h323);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 2, drop_h323_cb,
                              g_steal_pointer (&self->h323), g_object_unref);
}

/* h323-enabled or h323-port changed (the preferences): listen again */
static void
h323_settings_changed_cb (MtApplication *self)
{
  const char *env = g_getenv ("MTAVIP_H323_LISTEN");

  if (env && *env)
    return;
  stop_h323 (self);
  start_h323 (self);
}

/* STUN/TURN settings or the TURN password changed: the next call uses them */
static void
network_settings_changed_cb (MtApplication *self)
{
  g_autoptr(MtMediaConfig) config = mt_settings_dup_media_config (self->settings);

  if (self->account)
    mt_account_set_media_config (self->account, config);
  for (guint i = 0; self->more_accounts && i < self->more_accounts->len; i++)
    mt_account_set_media_config (g_ptr_array_index (self->more_accounts, i), config);
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
call_debug_state (MtCallView *view)
{
  MtCall *call = mt_call_view_get_call (view);
  GtkWindow *window = mt_call_view_get_window (view);
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "state", "s", mt_call_state_to_string (mt_call_get_state (call)));
  g_variant_dict_insert (&dict, "direction", "s",
                         mt_call_direction_to_string (mt_call_get_direction (call)));
  g_variant_dict_insert (&dict, "remote", "s", mt_call_get_remote_uri (call));
  g_variant_dict_insert (&dict, "protocol", "s", mt_call_get_protocol (call));
  g_variant_dict_insert (&dict, "reason", "s",
                         mt_end_reason_to_string (mt_call_get_end_reason (call)));
  g_variant_dict_insert (&dict, "remote-frames-shown", "t",
                         mt_video_paintable_get_frames_shown (mt_call_view_get_remote (view)));
  g_variant_dict_insert (&dict, "remote-frames-received", "t",
                         mt_video_paintable_get_frames_received (mt_call_view_get_remote (view)));
  g_variant_dict_insert (&dict, "self-frames-shown", "t",
                         mt_video_paintable_get_frames_shown (mt_call_view_get_self_view (view)));
  g_variant_dict_insert (&dict, "window-visible", "b",
                         window && gtk_widget_get_visible (GTK_WIDGET (window)));
  g_variant_dict_insert (&dict, "ringing", "b", mt_call_view_get_ringing (view));
  return g_variant_dict_end (&dict);
}

static gboolean
update_debug_state_cb (gpointer user_data)
{
  MtApplication *self = user_data;
  GVariantDict dict;
  GHashTableIter iter;
  const char *id;
  MtCallView *view;

  g_variant_dict_init (&dict, NULL);
  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &view))
    g_variant_dict_insert_value (&dict, id, call_debug_state (view));
  g_action_group_change_action_state (G_ACTION_GROUP (self), "debug-state",
                                      g_variant_new ("(sb@a{sv})",
                                                     self->account ? mt_account_get_contact_uri (self->account) : "",
                                                     mt_ringtone_is_playing (self->ringtone),
                                                     g_variant_dict_end (&dict)));
  return G_SOURCE_CONTINUE;
}

/* ---- actions ---------------------------------------------------------------- */

/* the dial entry, contact rows, history rows and notifications all call
 * through here: a bad address says so in one place, the main window */
static void
call_activated (MtApplication *self, GVariant *parameter, gboolean video)
{
  const char *target = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (!mt_application_place_call (self, target, video, &error))
    {
      MtWindow *window = main_window (self);

      gtk_window_present (GTK_WINDOW (window));
      mt_window_show_call_error (window, target, error->message);
    }
}

/* app.call-on (account address, target, video): the account chooser */
static void
call_on_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtApplication *self = user_data;
  const char *account, *target;
  gboolean video;
  g_autoptr(GError) error = NULL;

  g_variant_get (parameter, "(&s&sb)", &account, &target, &video);
  if (!mt_application_place_call_on (self, account, target, video, &error))
    {
      MtWindow *window = main_window (self);

      gtk_window_present (GTK_WINDOW (window));
      mt_window_show_call_error (window, target, error->message);
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

/* app.answer::ID etc. (notifications, scripts): the call view's own actions */
static void
activate_on_call (MtApplication *self, GVariant *parameter, const char *action)
{
  MtCallView *view = find_view (self, g_variant_get_string (parameter, NULL));

  if (view)
    g_action_group_activate_action (mt_call_view_get_actions (view), action, NULL);
}

static void
answer_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  activate_on_call (user_data, parameter, "answer");
}

static void
decline_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  activate_on_call (user_data, parameter, "decline");
}

static void
hangup_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  activate_on_call (user_data, parameter, "hangup");
}

/* ---- transfer ---------------------------------------------------------------- */

/* the call's own account normalizes what was typed ("bob" joins its domain) */
static char *
dup_transfer_uri (MtApplication *self, MtCall *call, const char *typed, GError **error)
{
  const char *aor = mt_application_get_call_account (self, call);
  MtAccount *account = aor ? find_account (self, aor) : NULL;

  if (mt_h323_uri_is_h323 (typed) || g_strcmp0 (mt_call_get_protocol (call), "sip") != 0)
    {
      g_set_error_literal (error, MT_ACCOUNT_ERROR, MT_ACCOUNT_ERROR_INVALID,
                           _("The transfer failed"));
      return NULL;
    }
  if (account)
    return mt_account_dup_target_uri (account, typed, error);
  return mt_application_dup_target_uri (self, typed, error);
}

/* what went wrong goes to the call's window, where the transfer was asked for */
static void
show_transfer_error (MtCallView *view, const char *message)
{
  GtkWindow *window = mt_call_view_ensure_window (view);

  mt_call_window_show_transfer_error (MT_CALL_WINDOW (window), message);
}

/* app.transfer (call id, address as typed): blind transfer (REFER) */
static void
transfer_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtApplication *self = user_data;
  const char *id, *typed;
  MtCallView *view;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  g_variant_get (parameter, "(&s&s)", &id, &typed);
  if (!(view = find_view (self, id)))
    return;
  uri = dup_transfer_uri (self, mt_call_view_get_call (view), typed, &error);
  if (uri == NULL)
    show_transfer_error (view, error->message);
  else if (!mt_call_transfer (mt_call_view_get_call (view), uri))
    show_transfer_error (view, _("The transfer failed"));
}

/* app.transfer-attended (call id, id of the other call): the peer of the
 * first calls the peer of the second in our place (REFER with Replaces) */
static void
transfer_attended_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtApplication *self = user_data;
  const char *id, *other_id;
  MtCallView *view, *other;

  g_variant_get (parameter, "(&s&s)", &id, &other_id);
  if (!(view = find_view (self, id)) || !(other = find_view (self, other_id)))
    return;
  if (!mt_call_transfer_attended (mt_call_view_get_call (view), mt_call_view_get_call (other)))
    show_transfer_error (view, _("The transfer failed"));
}

static void
show_call_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtCallView *view = find_view (user_data, g_variant_get_string (parameter, NULL));

  if (view && mt_call_get_state (mt_call_view_get_call (view)) != MT_CALL_STATE_ENDED)
    mt_call_view_present (view);
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
  { "call-on", call_on_action, "(ssb)" },
  { "answer", answer_action, "s" },
  { "decline", decline_action, "s" },
  { "hangup", hangup_action, "s" },
  { "show-call", show_call_action, "s" },
  { "transfer", transfer_action, "(ss)" },
  { "transfer-attended", transfer_attended_action, "(ss)" },
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

/* SIGTERM (logging out, systemd, kill) and SIGINT (Ctrl+C in a terminal):
 * quit the ordinary way, so calls are hung up or cancelled and the account
 * un-registered (shutdown_core) before the process goes. */
static gboolean
quit_on_signal (gpointer user_data)
{
  g_message ("signal received: hanging up and quitting");
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* ---- storage ------------------------------------------------------------------ */

/* nothing saved before is lost (the files are replaced atomically), but what
 * changed since is only in memory until a save works: say so, in the window */
static void
contacts_save_failed_cb (MtContacts *contacts, const char *why, MtApplication *self)
{
  g_autofree char *text = g_strdup_printf (_("The contacts could not be saved: %s"), why);

  mt_window_show_message (main_window (self), text);
}

static void
history_save_failed_cb (MtHistory *history, const char *why, MtApplication *self)
{
  g_autofree char *text = g_strdup_printf (_("The call history could not be saved: %s"), why);

  mt_window_show_message (main_window (self), text);
}

static void
mt_application_startup (GApplication *application)
{
  MtApplication *self = MT_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  g_autofree char *sink = NULL;

  G_APPLICATION_CLASS (mt_application_parent_class)->startup (application);

  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_on_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, quit_on_signal, self);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  if (test_hooks_enabled ())
    g_action_map_add_action_entries (G_ACTION_MAP (self), test_actions,
                                     G_N_ELEMENTS (test_actions), self);

  self->settings = mt_settings_new ();
  {
    g_autoptr(GAction) dnd = g_settings_create_action (mt_settings_get_gsettings (self->settings),
                                                       "do-not-disturb");

    g_action_map_add_action (G_ACTION_MAP (self), dnd);
  }
  self->contacts = mt_contacts_new ();
  self->history = mt_history_new ();
  g_signal_connect (self->contacts, "save-failed", G_CALLBACK (contacts_save_failed_cb), self);
  self->address_book = mt_address_book_new (self->contacts);
  g_signal_connect (self->history, "save-failed", G_CALLBACK (history_save_failed_cb), self);
  self->notifier = mt_notifier_new (application);
  sink = mt_settings_dup_audio_sink_description (self->settings);
  self->ringtone = mt_ringtone_new (sink);
  start_echo_service (self);
  start_account (self);
  start_more_accounts (self);
  start_h323 (self);
  g_signal_connect_object (mt_settings_get_gsettings (self->settings), "changed::h323-enabled",
                           G_CALLBACK (h323_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (mt_settings_get_gsettings (self->settings), "changed::h323-port",
                           G_CALLBACK (h323_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "network-changed",
                           G_CALLBACK (network_settings_changed_cb), self, G_CONNECT_SWAPPED);
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

/* What quitting waits for. On the heap, with a reference for each operation
 * under way: one that finishes after the deadline still finds it. */
typedef struct {
  guint pending;
} ShutdownWait;

static void
shutdown_wait_done (ShutdownWait *wait)
{
  wait->pending--;
  g_rc_box_release (wait);
}

static void
account_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  mt_account_shutdown_finish (MT_ACCOUNT (source), result, NULL);
  shutdown_wait_done (user_data);
}

static void
echo_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  mt_echo_service_shutdown_finish (MT_ECHO_SERVICE (source), result, NULL);
  shutdown_wait_done (user_data);
}

/* hang up and un-REGISTER before we go: bounded, so quitting never hangs */
static void
shutdown_core (MtApplication *self)
{
  ShutdownWait *wait = g_rc_box_new0 (ShutdownWait);
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  if (self->account)
    {
      wait->pending++;
      mt_account_shutdown_async (self->account, NULL, account_done_cb, g_rc_box_acquire (wait));
    }
  for (guint i = 0; i < self->more_accounts->len; i++)
    {
      wait->pending++;
      mt_account_shutdown_async (g_ptr_array_index (self->more_accounts, i), NULL,
                                 account_done_cb, g_rc_box_acquire (wait));
    }
  if (self->echo)
    {
      wait->pending++;
      mt_echo_service_shutdown_async (self->echo, echo_done_cb, g_rc_box_acquire (wait));
    }
  if (self->h323)
    mt_h323_endpoint_hangup_all (self->h323);
  while ((wait->pending > 0 || (self->h323 && mt_h323_endpoint_count_calls (self->h323) > 0)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  if (wait->pending > 0)
    g_message ("quitting before the SIP stack finished shutting down");
  g_rc_box_release (wait);
}

static void
mt_application_shutdown (GApplication *application)
{
  MtApplication *self = MT_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->stats_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
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
  for (guint i = 0; self->more_accounts && i < self->more_accounts->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->more_accounts, i), self);
  g_clear_pointer (&self->more_accounts, g_ptr_array_unref);
  if (self->h323)
    g_signal_handlers_disconnect_by_data (self->h323, self);
  g_clear_object (&self->h323);
  g_clear_object (&self->echo);
  g_clear_object (&self->ringtone);
  g_clear_object (&self->notifier);
  g_clear_object (&self->history);
  if (self->address_book)
    g_object_run_dispose (G_OBJECT (self->address_book));
  g_clear_object (&self->address_book);
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
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->more_accounts = g_ptr_array_new_with_free_func (g_object_unref);
}

MtApplication *
mt_application_new (void)
{
  return g_object_new (MT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/MTMediaDev/MTAVIPClient",
                       /* the session ending (log out, shut down) quits us the
                        * ordinary way: calls hung up, accounts un-registered */
                       "register-session", TRUE,
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

/* the other SIP calls that are up (active or held): what an attended
 * transfer of `call` can join it to */
GPtrArray *
mt_application_dup_transfer_targets (MtApplication *self, MtCall *call)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  MtCallView *view;

  g_return_val_if_fail (MT_IS_APPLICATION (self), calls);
  g_return_val_if_fail (MT_IS_CALL (call), calls);

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &view))
    {
      MtCall *other = mt_call_view_get_call (view);
      MtCallState state = mt_call_get_state (other);

      if (other != call && g_strcmp0 (mt_call_get_protocol (other), "sip") == 0 &&
          (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD))
        g_ptr_array_add (calls, g_object_ref (other));
    }
  return calls;
}

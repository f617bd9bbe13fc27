/* mt-preferences-window.c: accounts (the first one, and the others in a list), devices, video size
 *
 * Settings are applied when the window closes; the password goes to the
 * Secret Service, never to GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-preferences-window"

#include "config.h"

#include "mt-preferences-window.h"

#include <glib/gi18n.h>

#include "mt-account-editor.h"
#include "mt-devices.h"
#include "mt-network-page.h"
#include "mt-secrets.h"
#include "mt-settings.h"
#include "mt-sip-uri.h"

static const char * const video_sizes[] = { "320x240", "640x480", "1280x720", "1920x1080", NULL };

struct _MtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  MtApplication        *app;
  GSettings            *settings;
  GPtrArray            *camera_ids;
  GPtrArray            *microphone_ids;
  GPtrArray            *speaker_ids;

  AdwEntryRow          *account_row;
  AdwPasswordEntryRow  *password_row;
  AdwEntryRow          *registrar_row;
  GtkSwitch            *direct_calls_switch;
  AdwComboRow          *encryption_row;   /* none, optional, mandatory */
  GtkSwitch            *h323_switch;
  AdwComboRow          *transport_row;
  AdwActionRow         *tls_pin_row;
  GtkButton            *tls_pin_clear_button;
  GtkLabel             *account_error;
  AdwPreferencesGroup  *more_accounts_group;
  GtkButton            *add_account_button;
  GPtrArray            *account_rows;   /* in more_accounts_group */
  AdwComboRow          *camera_row;
  AdwComboRow          *microphone_row;
  AdwComboRow          *speaker_row;
  AdwComboRow          *video_size_row;
  GtkSwitch            *echo_cancel_switch;
};

G_DEFINE_FINAL_TYPE (MtPreferencesWindow, mt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ---- devices --------------------------------------------------------------------- */

/* "System default" first, then what the core lists of that kind */
static void
fill_devices (AdwComboRow *row, GPtrArray *ids, GPtrArray *devices, MtDeviceKind kind,
              const char *current)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (names, _("System default"));
  g_ptr_array_add (ids, g_strdup (""));
  for (guint i = 0; i < devices->len; i++)
    {
      MtDevice *device = g_ptr_array_index (devices, i);

      if (device->kind != kind)
        continue;
      if (g_strcmp0 (device->id, current) == 0)
        selected = ids->len;
      gtk_string_list_append (names, device->name);
      g_ptr_array_add (ids, g_strdup (device->id));
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, selected);
}

static void
load_devices (MtPreferencesWindow *self)
{
  g_autoptr(GPtrArray) devices = mt_devices_list ();
  g_autofree char *camera = g_settings_get_string (self->settings, "camera-device");
  g_autofree char *microphone = g_settings_get_string (self->settings, "microphone-device");
  g_autofree char *speaker = g_settings_get_string (self->settings, "speaker-device");

  fill_devices (self->camera_row, self->camera_ids, devices, MT_DEVICE_CAMERA, camera);
  fill_devices (self->microphone_row, self->microphone_ids, devices, MT_DEVICE_MICROPHONE, microphone);
  fill_devices (self->speaker_row, self->speaker_ids, devices, MT_DEVICE_SPEAKER, speaker);
}

static const char *
selected_id (AdwComboRow *row, GPtrArray *ids)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < ids->len ? g_ptr_array_index (ids, selected) : "";
}

/* ---- the pinned server certificate -------------------------------------------------- */

/* read-only: a certificate is pinned outside this window (mtavip-cli's
 * --tls-trust, the tls-fingerprint key); it can only be forgotten here */
static void
load_tls_pin (MtPreferencesWindow *self)
{
  g_autofree char *pin = g_settings_get_string (self->settings, "tls-fingerprint");
  g_autoptr(GString) shown = g_string_new (NULL);

  /* SHA-256 as people compare it: AB:CD:... */
  for (const char *p = pin; *p; p++)
    {
      if (shown->len && (p - pin) % 2 == 0)
        g_string_append_c (shown, ':');
      g_string_append_c (shown, g_ascii_toupper (*p));
    }
  adw_action_row_set_subtitle (self->tls_pin_row, shown->str);
  gtk_widget_set_visible (GTK_WIDGET (self->tls_pin_row), *pin != '\0');
}

static void
tls_pin_clear_cb (MtPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "tls-fingerprint", "");
  load_tls_pin (self);
  mt_application_restart_account (self->app);
}

/* ---- further accounts: a row each, an editor as a subpage ----------------------------- */

static void load_more_accounts (MtPreferencesWindow *self);

static void
editor_done_cb (MtPreferencesWindow *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  load_more_accounts (self);
}

static void
open_editor (MtPreferencesWindow *self, const char *id)
{
  GtkWidget *editor = mt_account_editor_new (self->app, id);

  g_signal_connect_object (editor, "done", G_CALLBACK (editor_done_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), editor);
}

static void
add_account_cb (MtPreferencesWindow *self)
{
  open_editor (self, NULL);
}

static void
account_row_activated_cb (AdwActionRow *row, MtPreferencesWindow *self)
{
  open_editor (self, g_object_get_data (G_OBJECT (row), "mt-account-id"));
}

static GtkWidget *
account_row_new (MtPreferencesWindow *self, const char *id)
{
  g_autoptr(GSettings) settings =
    mt_settings_dup_account_settings (mt_application_get_settings (self->app), id);
  g_autofree char *uri = g_settings_get_string (settings, "account-uri");
  g_autofree char *registrar = g_settings_get_string (settings, "registrar");
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 g_str_has_prefix (uri, "sip:") ? uri + 4 : uri);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), registrar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "mt-account-id", g_strdup (id), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (account_row_activated_cb), self);
  return row;
}

static void
load_more_accounts (MtPreferencesWindow *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "accounts");

  for (guint i = 0; i < self->account_rows->len; i++)
    adw_preferences_group_remove (self->more_accounts_group, g_ptr_array_index (self->account_rows, i));
  g_ptr_array_set_size (self->account_rows, 0);
  for (guint i = 0; ids[i]; i++)
    {
      GtkWidget *row = account_row_new (self, ids[i]);

      adw_preferences_group_add (self->more_accounts_group, row);
      g_ptr_array_add (self->account_rows, row);
    }
}

/* ---- load and save -------------------------------------------------------------- */

/* the rows of encryption_row, in order */
static const char *const encryption_ids[] = { "none", "optional", "mandatory" };

static void
load_encryption (MtPreferencesWindow *self)
{
  g_autofree char *policy = g_settings_get_string (self->settings, "encryption");

  for (guint i = 0; i < G_N_ELEMENTS (encryption_ids); i++)
    if (g_str_equal (policy, encryption_ids[i]))
      adw_combo_row_set_selected (self->encryption_row, i);
}

static gboolean set_string (GSettings *settings, const char *key, const char *value);

static gboolean
save_encryption (MtPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->encryption_row);

  if (selected >= G_N_ELEMENTS (encryption_ids))
    return FALSE;
  return set_string (self->settings, "encryption", encryption_ids[selected]);
}

static void
load (MtPreferencesWindow *self)
{
  g_autofree char *account = g_settings_get_string (self->settings, "account-uri");
  g_autofree char *registrar = g_settings_get_string (self->settings, "registrar");
  g_autofree char *transport = g_settings_get_string (self->settings, "transport");
  g_autofree char *size = g_settings_get_string (self->settings, "video-size");

  gtk_editable_set_text (GTK_EDITABLE (self->account_row), account);
  gtk_editable_set_text (GTK_EDITABLE (self->registrar_row), registrar);
  adw_combo_row_set_selected (self->transport_row, g_str_equal (transport, "tls") ? 2
                                                   : g_str_equal (transport, "tcp") ? 1 : 0);
  load_tls_pin (self);
  gtk_switch_set_active (self->direct_calls_switch,
                             g_settings_get_boolean (self->settings, "accept-direct-calls"));
  load_encryption (self);
  for (guint i = 0; video_sizes[i]; i++)
    if (g_str_equal (video_sizes[i], size))
      adw_combo_row_set_selected (self->video_size_row, i);
  load_devices (self);
  load_more_accounts (self);
}

static void
password_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtApplication) app = user_data;
  g_autoptr(GError) error = NULL;

  if (!mt_secrets_store_password_finish (result, &error))
    g_warning ("Could not store the password in the Secret Service: %s", error->message);
  mt_application_restart_account (app);
}

static gboolean
set_string (GSettings *settings, const char *key, const char *value)
{
  g_autofree char *old = g_settings_get_string (settings, key);

  if (g_strcmp0 (old, value) == 0)
    return FALSE;
  g_settings_set_string (settings, key, value);
  return TRUE;
}

/* FALSE with the sentence shown when the account address is not usable */
static gboolean
save_account (MtPreferencesWindow *self)
{
  g_autofree char *account = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->account_row))));
  g_autofree char *registrar = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->registrar_row))));
  g_autofree char *normal = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  if (*account && !(normal = mt_sip_uri_normalize (account, NULL, &error)))
    {
      gtk_label_set_label (self->account_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->account_error), TRUE);
      return FALSE;
    }
  changed |= set_string (self->settings, "account-uri", normal ? normal : "");
  changed |= set_string (self->settings, "registrar", registrar);
  changed |= set_string (self->settings, "transport",
                         (const char *[]) { "udp", "tcp", "tls" }[MIN (adw_combo_row_get_selected (self->transport_row), 2)]);
  if (g_settings_get_boolean (self->settings, "accept-direct-calls") !=
      gtk_switch_get_active (self->direct_calls_switch))
    {
      g_settings_set_boolean (self->settings, "accept-direct-calls",
                              gtk_switch_get_active (self->direct_calls_switch));
      changed = TRUE;
    }
  changed |= save_encryption (self);
  if (normal && *password)
    mt_secrets_store_password_async (normal, password, NULL, password_stored_cb,
                                     g_object_ref (self->app));
  else if (changed)
    mt_application_restart_account (self->app);
  return TRUE;
}

static void
save_media (MtPreferencesWindow *self)
{
  guint size = adw_combo_row_get_selected (self->video_size_row);

  set_string (self->settings, "camera-device", selected_id (self->camera_row, self->camera_ids));
  set_string (self->settings, "microphone-device",
              selected_id (self->microphone_row, self->microphone_ids));
  set_string (self->settings, "speaker-device", selected_id (self->speaker_row, self->speaker_ids));
  if (size < G_N_ELEMENTS (video_sizes) - 1)
    set_string (self->settings, "video-size", video_sizes[size]);
}

static gboolean
mt_preferences_window_close_request (GtkWindow *window)
{
  MtPreferencesWindow *self = MT_PREFERENCES_WINDOW (window);

  save_media (self);
  if (!save_account (self))
    return TRUE;   /* keep it open: the sentence says what to fix */
  return GTK_WINDOW_CLASS (mt_preferences_window_parent_class)->close_request (window);
}

static void
mt_preferences_window_dispose (GObject *object)
{
  MtPreferencesWindow *self = MT_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->camera_ids, g_ptr_array_unref);
  g_clear_pointer (&self->microphone_ids, g_ptr_array_unref);
  g_clear_pointer (&self->speaker_ids, g_ptr_array_unref);
  g_clear_pointer (&self->account_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MT_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (mt_preferences_window_parent_class)->dispose (object);
}

static void
mt_preferences_window_class_init (MtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mt_preferences_window_dispose;
  window_class->close_request = mt_preferences_window_close_request;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, registrar_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, direct_calls_switch);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, encryption_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, h323_switch);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, transport_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, tls_pin_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, tls_pin_clear_button);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, account_error);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, more_accounts_group);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, add_account_button);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, camera_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, speaker_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, video_size_row);
  gtk_widget_class_bind_template_child (widget_class, MtPreferencesWindow, echo_cancel_switch);
}

static void
mt_preferences_window_init (MtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->tls_pin_clear_button, "clicked", G_CALLBACK (tls_pin_clear_cb), self);
  self->camera_ids = g_ptr_array_new_with_free_func (g_free);
  self->microphone_ids = g_ptr_array_new_with_free_func (g_free);
  self->speaker_ids = g_ptr_array_new_with_free_func (g_free);
  self->account_rows = g_ptr_array_new ();
  g_signal_connect_swapped (self->add_account_button, "clicked", G_CALLBACK (add_account_cb), self);
}

GtkWidget *
mt_preferences_window_new (MtApplication *app)
{
  MtPreferencesWindow *self;

  g_return_val_if_fail (MT_IS_APPLICATION (app), NULL);
  self = g_object_new (MT_TYPE_PREFERENCES_WINDOW, NULL);
  self->app = app;
  self->settings = g_object_ref (mt_settings_get_gsettings (mt_application_get_settings (app)));
  load (self);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (mt_network_page_new ()));
  g_settings_bind (self->settings, "echo-cancel", self->echo_cancel_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* the app starts or stops its H.323 endpoint as the setting changes */
  g_settings_bind (self->settings, "h323-enabled", self->h323_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  return GTK_WIDGET (self);
}

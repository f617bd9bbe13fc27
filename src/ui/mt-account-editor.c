/* mt-account-editor.c: one further SIP account in the Preferences (a subpage)
 *
 * Adds an account to the "accounts" setting or edits one: address, password
 * (to the Secret Service, never to GSettings), registrar, transport; or
 * removes it. The app starts a saved account at once; a removed or changed
 * one hangs up its calls and un-registers first (mt_application_reload_account()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-account-editor"

#include "config.h"

#include "mt-account-editor.h"

#include <glib/gi18n.h>

#include "mt-secrets.h"
#include "mt-settings.h"
#include "mt-sip-uri.h"

static const char * const transports[] = { "udp", "tcp", "tls" };

struct _MtAccountEditor
{
  GtkBox               parent_instance;

  MtApplication       *app;
  char                *id;       /* the account's settings id */
  gboolean             is_new;   /* not in "accounts" yet */
  char                *uri;      /* its address when it was opened; NULL: new */

  AdwEntryRow         *address_row;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *registrar_row;
  AdwComboRow         *transport_row;
  GtkLabel            *error_label;
};

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MtAccountEditor, mt_account_editor, GTK_TYPE_BOX)

static GSettings *
dup_account_settings (MtAccountEditor *self)
{
  return mt_settings_dup_account_settings (mt_application_get_settings (self->app), self->id);
}

static GSettings *
app_settings (MtAccountEditor *self)
{
  return mt_settings_get_gsettings (mt_application_get_settings (self->app));
}

/* ---- save ------------------------------------------------------------------------ */

static void
show_error (MtAccountEditor *self, const char *text)
{
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

typedef struct
{
  MtApplication *app;
  char          *id;
} Stored;

static void
password_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Stored *stored = user_data;
  g_autoptr(GError) error = NULL;

  if (!mt_secrets_store_password_finish (result, &error))
    g_warning ("Could not store the password in the Secret Service: %s", error->message);
  mt_application_reload_account (stored->app, stored->id);
  g_object_unref (stored->app);
  g_free (stored->id);
  g_free (stored);
}

/* the address, normalized; NULL with the sentence shown when it is not usable */
static char *
dup_checked_address (MtAccountEditor *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  g_autofree char *normal = NULL;
  g_auto(GStrv) uris = NULL;
  g_autoptr(GError) error = NULL;

  if (!(normal = mt_sip_uri_normalize (typed, NULL, &error)))
    {
      show_error (self, error->message);
      return NULL;
    }
  uris = mt_application_dup_account_uris (self->app);
  if (g_strv_contains ((const char * const *) uris, normal) && g_strcmp0 (normal, self->uri) != 0)
    {
      show_error (self, _("This account is set up already."));
      return NULL;
    }
  return g_steal_pointer (&normal);
}

static void
save_clicked_cb (MtAccountEditor *self)
{
  g_autofree char *normal = dup_checked_address (self);
  g_autofree char *registrar = NULL;
  g_autoptr(GSettings) settings = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  guint transport = MIN (adw_combo_row_get_selected (self->transport_row), G_N_ELEMENTS (transports) - 1);

  if (normal == NULL)
    return;
  registrar = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->registrar_row))));
  settings = dup_account_settings (self);
  g_settings_set_string (settings, "account-uri", normal);
  g_settings_set_string (settings, "registrar", registrar);
  g_settings_set_string (settings, "transport", transports[transport]);
  if (self->is_new)
    {
      g_auto(GStrv) ids = g_settings_get_strv (app_settings (self), "accounts");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) more = NULL;

      g_strv_builder_addv (builder, (const char **) ids);
      g_strv_builder_add (builder, self->id);
      more = g_strv_builder_end (builder);
      g_settings_set_strv (app_settings (self), "accounts", (const char * const *) more);
    }
  if (*password)
    {
      Stored *stored = g_new0 (Stored, 1);

      stored->app = g_object_ref (self->app);
      stored->id = g_strdup (self->id);
      mt_secrets_store_password_async (normal, password, NULL, password_stored_cb, stored);
    }
  else
    mt_application_reload_account (self->app, self->id);
  g_signal_emit (self, signals[DONE], 0);
}

/* out of "accounts", its settings back to the defaults; it un-registers */
static void
remove_clicked_cb (MtAccountEditor *self)
{
  g_auto(GStrv) ids = g_settings_get_strv (app_settings (self), "accounts");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSettings) settings = dup_account_settings (self);
  g_auto(GStrv) left = NULL;

  for (guint i = 0; ids[i]; i++)
    if (!g_str_equal (ids[i], self->id))
      g_strv_builder_add (builder, ids[i]);
  left = g_strv_builder_end (builder);
  g_settings_set_strv (app_settings (self), "accounts", (const char * const *) left);
  g_settings_reset (settings, "account-uri");
  g_settings_reset (settings, "registrar");
  g_settings_reset (settings, "transport");
  mt_application_reload_account (self->app, self->id);
  g_signal_emit (self, signals[DONE], 0);
}

static void
cancel_clicked_cb (MtAccountEditor *self)
{
  g_signal_emit (self, signals[DONE], 0);
}

/* ---- the widgets ----------------------------------------------------------------- */

static GtkWidget *
header_bar (MtAccountEditor *self, const char *title)
{
  GtkWidget *bar = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (bar), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (bar), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (bar), adw_window_title_new (title, NULL));
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (bar), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (bar), save);
  return bar;
}

static GtkWidget *
account_group (MtAccountEditor *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new ((const char *[]) { "UDP", "TCP", "TLS", NULL });

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("SIP Account"));
  self->address_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->address_row),
                                 _("Address, such as alice@example.org"));
  self->password_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("Password"));
  self->registrar_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->registrar_row),
                                 _("Registrar or proxy (optional)"));
  self->transport_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->transport_row), _("Transport"));
  adw_combo_row_set_model (self->transport_row, G_LIST_MODEL (names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->address_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->password_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->registrar_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->transport_row));
  return group;
}

static GtkWidget *
remove_group (MtAccountEditor *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *remove = gtk_button_new_with_label (_("Remove Account"));

  gtk_widget_set_halign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "destructive-action");
  g_signal_connect_swapped (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), remove);
  return group;
}

static void
load (MtAccountEditor *self)
{
  g_autoptr(GSettings) settings = dup_account_settings (self);
  g_autofree char *uri = g_settings_get_string (settings, "account-uri");
  g_autofree char *registrar = g_settings_get_string (settings, "registrar");
  g_autofree char *transport = g_settings_get_string (settings, "transport");

  gtk_editable_set_text (GTK_EDITABLE (self->address_row),
                         g_str_has_prefix (uri, "sip:") ? uri + 4 : uri);
  gtk_editable_set_text (GTK_EDITABLE (self->registrar_row), registrar);
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    if (g_str_equal (transport, transports[i]))
      adw_combo_row_set_selected (self->transport_row, i);
  self->uri = g_steal_pointer (&uri);
}

static void
build (MtAccountEditor *self, const char *title)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *errors = adw_preferences_group_new ();

  gtk_box_append (GTK_BOX (self), header_bar (self, title));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (account_group (self)));
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (errors), GTK_WIDGET (self->error_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (errors));
  if (!self->is_new)
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (remove_group (self)));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (self), page);
}

static void
mt_account_editor_finalize (GObject *object)
{
  MtAccountEditor *self = MT_ACCOUNT_EDITOR (object);

  g_free (self->id);
  g_free (self->uri);
  G_OBJECT_CLASS (mt_account_editor_parent_class)->finalize (object);
}

static void
mt_account_editor_class_init (MtAccountEditorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mt_account_editor_finalize;
  /* saved, removed or cancelled: the editor can go */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mt_account_editor_init (MtAccountEditor *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
}

GtkWidget *
mt_account_editor_new (MtApplication *app, const char *id)
{
  MtAccountEditor *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (MT_IS_APPLICATION (app), NULL);
  self = g_object_new (MT_TYPE_ACCOUNT_EDITOR, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP, NULL);
  self->app = app;
  self->is_new = id == NULL;
  self->id = self->is_new ? g_uuid_string_random () : g_strdup (id);
  build (self, self->is_new ? _("Add Account") : _("Account"));
  if (!self->is_new)
    load (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->is_new ? _("Add Account") : self->uri, -1);
  return GTK_WIDGET (self);
}

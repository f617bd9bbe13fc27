/* mt-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-window"

#include "config.h"

#include "mt-window.h"

#include <string.h>
#include <glib/gi18n.h>

#include "mt-contact-dialog.h"
#include "mt-contact-row.h"
#include "mt-history-row.h"

struct _MtWindow
{
  AdwApplicationWindow  parent_instance;

  MtApplication        *app;
  MtAccount            *account;      /* watched for registration */

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkLabel             *account_label;
  GtkImage             *account_icon;
  GtkEntry             *dial_entry;
  GtkLabel             *dial_error;
  GtkDropDown          *account_chooser;   /* shown with more than one account */
  GStrv                 account_uris;      /* what it offers, in order */
  GtkSearchEntry       *search_entry;
  GtkStack             *contacts_stack;
  GtkListView          *contacts_view;
  GtkStack             *history_stack;
  GtkListView          *history_view;

  GtkFilterListModel   *contacts_filtered;
  GtkStringFilter      *contacts_filter;
};

G_DEFINE_FINAL_TYPE (MtWindow, mt_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- account status --------------------------------------------------------- */

static char *
account_status_text (MtWindow *self, const char **icon)
{
  MtAccount *account = self->account;
  const char *aor;

  *icon = "network-offline-symbolic";
  if (account == NULL)
    {
      const char *error = mt_application_get_account_error (self->app);

      return error ? g_strdup_printf (_("Offline: %s"), error) : g_strdup (_("Starting…"));
    }
  aor = mt_account_get_aor (account);
  if (aor == NULL)
    {
      g_autofree char *uri = mt_account_dup_reachable_uri (account);

      *icon = "network-wired-symbolic";
      return g_strdup_printf (_("No account: you can be called directly at %s"), uri);
    }
  switch (mt_account_get_registration_state (account))
    {
    case MT_REGISTRATION_REGISTERED:
      *icon = "emblem-ok-symbolic";
      return g_strdup_printf (_("Registered as %s"), aor);
    case MT_REGISTRATION_REGISTERING:
    case MT_REGISTRATION_NONE:
      return g_strdup_printf (_("Registering %s…"), aor);
    case MT_REGISTRATION_FAILED:
      *icon = "dialog-warning-symbolic";
      /* Translators: %s is a sentence saying why, e.g. the server refused the password */
      if (mt_account_get_registration_reason (account) == MT_END_REASON_TLS_FAILED)
        return g_strdup_printf (_("Registration failed: %s"),
                                mt_tls_problem_to_sentence (mt_account_get_tls_problem (account)));
      if (mt_account_get_registration_retry (account) > 0)
        /* Translators: %s is a sentence saying why (the server could not be reached),
         * %u the number of seconds until the phone tries again */
        return g_strdup_printf (_("Registration failed: %s Trying again in %u s."),
                                mt_end_reason_to_sentence (mt_account_get_registration_reason (account)),
                                mt_account_get_registration_retry (account));
      return g_strdup_printf (_("Registration failed: %s"),
                              mt_end_reason_to_sentence (mt_account_get_registration_reason (account)));
    case MT_REGISTRATION_UNREGISTERED:
    default:
      return g_strdup_printf (_("Offline: %s"),
                              mt_end_reason_to_sentence (mt_account_get_registration_reason (account)));
    }
}

static void
update_account_status (MtWindow *self)
{
  const char *icon = NULL;
  g_autofree char *text = account_status_text (self, &icon);

  gtk_label_set_label (self->account_label, text);
  gtk_image_set_from_icon_name (self->account_icon, icon);
}

static void
registration_changed_cb (MtWindow *self)
{
  update_account_status (self);
}

/* the accounts, the first one picked; without "sip:" as people write them */
static void
update_account_chooser (MtWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  g_clear_pointer (&self->account_uris, g_strfreev);
  self->account_uris = mt_application_dup_account_uris (self->app);
  for (guint i = 0; self->account_uris[i]; i++)
    {
      const char *uri = self->account_uris[i];

      gtk_string_list_append (list, g_str_has_prefix (uri, "sip:") ? uri + 4 : uri);
    }
  gtk_drop_down_set_model (self->account_chooser, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->account_chooser, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->account_chooser),
                          g_strv_length (self->account_uris) > 1);
}

static void
account_changed_cb (MtWindow *self)
{
  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, mt_application_get_account (self->app));
  if (self->account)
    g_signal_connect_swapped (self->account, "notify::registration-state",
                              G_CALLBACK (registration_changed_cb), self);
  update_account_status (self);
  update_account_chooser (self);
}

/* ---- call an address ------------------------------------------------------------ */

static void
show_dial_error (MtWindow *self, const char *message)
{
  gtk_label_set_label (self->dial_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->dial_error), message != NULL);
  if (message)
    gtk_widget_add_css_class (GTK_WIDGET (self->dial_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->dial_entry), "error");
}

/* through app.call like the contact rows: a bad address comes back through
 * mt_window_show_call_error() */
static void
dial (MtWindow *self, gboolean video)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->dial_entry));

  guint picked = gtk_drop_down_get_selected (self->account_chooser);

  show_dial_error (self, NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (self->account_chooser)) &&
      picked < g_strv_length (self->account_uris))
    gtk_widget_activate_action (GTK_WIDGET (self), "app.call-on", "(ssb)",
                                self->account_uris[picked], text, video);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), video ? "app.call" : "app.call-audio", "s", text);
}

static void
dial_video_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dial (MT_WINDOW (widget), TRUE);
}

static void
dial_audio_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dial (MT_WINDOW (widget), FALSE);
}

static void
dial_changed_cb (MtWindow *self)
{
  show_dial_error (self, NULL);
}

/* ---- contacts ------------------------------------------------------------------- */

static void
contacts_items_changed_cb (MtWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts_filtered));
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (n > 0)
    gtk_stack_set_visible_child_name (self->contacts_stack, "list");
  else
    gtk_stack_set_visible_child_name (self->contacts_stack, *search ? "no-results" : "empty");
}

static void
search_changed_cb (MtWindow *self)
{
  gtk_string_filter_set_search (self->contacts_filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
contact_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MtWindow *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (mt_contact_row_new ()));
  gtk_list_item_set_activatable (item, FALSE);
}

static void
contact_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MtWindow *self)
{
  mt_contact_row_set_contact (MT_CONTACT_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item));
}

static void
contact_unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MtWindow *self)
{
  mt_contact_row_set_contact (MT_CONTACT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
setup_contacts (MtWindow *self)
{
  GListModel *model = mt_contacts_get_model (mt_application_get_contacts (self->app));
  GtkExpression *name = gtk_property_expression_new (MT_TYPE_CONTACT, NULL, "name");
  GtkStringSorter *sorter = gtk_string_sorter_new (gtk_expression_ref (name));
  GtkSortListModel *sorted;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  sorted = gtk_sort_list_model_new (g_object_ref (model), GTK_SORTER (sorter));
  self->contacts_filter = gtk_string_filter_new (name);
  gtk_string_filter_set_match_mode (self->contacts_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->contacts_filter, TRUE);
  self->contacts_filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                                       GTK_FILTER (g_object_ref (self->contacts_filter)));
  g_signal_connect (factory, "setup", G_CALLBACK (contact_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (contact_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (contact_unbind_cb), self);
  gtk_list_view_set_model (self->contacts_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->contacts_filtered)))));
  gtk_list_view_set_factory (self->contacts_view, factory);
  g_object_unref (factory);
  g_signal_connect_swapped (self->contacts_filtered, "items-changed",
                            G_CALLBACK (contacts_items_changed_cb), self);
  contacts_items_changed_cb (self);
}

static void
add_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtWindow *self = MT_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (mt_contact_dialog_new (GTK_WINDOW (self), self->app, NULL)));
}

static void
edit_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtWindow *self = MT_WINDOW (widget);
  MtContacts *contacts = mt_application_get_contacts (self->app);
  MtContact *contact = mt_contacts_lookup (contacts, g_variant_get_string (parameter, NULL));

  if (contact == NULL || mt_contact_get_builtin (contact) || mt_contact_get_read_only (contact))
    return;
  gtk_window_present (GTK_WINDOW (mt_contact_dialog_new (GTK_WINDOW (self), self->app, contact)));
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, MtWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "contact-id");

  if (g_strcmp0 (response, "delete") == 0)
    mt_contacts_remove (mt_application_get_contacts (self->app), id);
}

static void
delete_contact_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtWindow *self = MT_WINDOW (widget);
  MtContact *contact = mt_contacts_lookup (mt_application_get_contacts (self->app),
                                           g_variant_get_string (parameter, NULL));
  AdwMessageDialog *dialog;

  if (contact == NULL || mt_contact_get_builtin (contact) || mt_contact_get_read_only (contact))
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Delete Contact?"), NULL));
  adw_message_dialog_format_body (dialog, _("“%s” will be removed from your contacts."),
                                  mt_contact_get_name (contact));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "contact-id",
                          g_strdup (mt_contact_get_id (contact)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- vCard import and export ------------------------------------------------------ */

static void
show_problem (MtWindow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_file (MtWindow *self, GFile *file)
{
  MtContacts *contacts = mt_application_get_contacts (self->app);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  g_auto(GStrv) refused = NULL;
  guint added;

  if (!g_file_load_contents (file, NULL, &text, NULL, NULL, &error) ||
      (!(added = mt_contacts_import (contacts, text, &refused, &error)) && error))
    {
      show_problem (self, _("Could Not Import Contacts"), error->message);
      return;
    }
  summary = g_strdup_printf (_("Contacts imported: %u"), added);
  if (refused && refused[0])
    {
      g_autofree char *why = g_strjoinv ("\n", refused);
      g_autofree char *body = g_strdup_printf ("%s\n%s", summary, why);

      show_problem (self, _("Some Contacts Were Not Imported"), body);
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (summary));
}

static void
export_file (MtWindow *self, GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  guint n = 0;

  text = mt_contacts_export (mt_application_get_contacts (self->app), &n);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &error))
    {
      show_problem (self, _("Could Not Export Contacts"), error->message);
      return;
    }
  summary = g_strdup_printf (_("Contacts exported: %u"), n);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (summary));
}

/* GTK 4.8 (Debian 12) has no GtkFileDialog yet; the native chooser is
 * deprecated only from 4.10 on */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, MtWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    {
      if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE)
        export_file (self, file);
      else
        import_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_file (MtWindow *self, GtkFileChooserAction action)
{
  gboolean save = action == GTK_FILE_CHOOSER_ACTION_SAVE;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (save ? _("Export Contacts") : _("Import Contacts"),
                                         GTK_WINDOW (self), action,
                                         save ? _("_Export") : _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("vCard files"));
  gtk_file_filter_add_mime_type (filter, "text/vcard");
  gtk_file_filter_add_mime_type (filter, "text/x-vcard");
  gtk_file_filter_add_pattern (filter, "*.vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "contacts.vcf");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

G_GNUC_END_IGNORE_DEPRECATIONS

static void
import_contacts_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose_file (MT_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
export_contacts_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  choose_file (MT_WINDOW (widget), GTK_FILE_CHOOSER_ACTION_SAVE);
}

/* ---- history -------------------------------------------------------------------- */

static void
history_items_changed_cb (MtWindow *self)
{
  GListModel *model = mt_history_get_model (mt_application_get_history (self->app));

  gtk_stack_set_visible_child_name (self->history_stack,
                                    g_list_model_get_n_items (model) ? "list" : "empty");
}

static void
history_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MtWindow *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (mt_history_row_new (self->app)));
  gtk_list_item_set_activatable (item, FALSE);
}

static void
history_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, MtWindow *self)
{
  mt_history_row_set_entry (MT_HISTORY_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

static void
setup_history (MtWindow *self)
{
  GListModel *model = mt_history_get_model (mt_application_get_history (self->app));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (history_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (history_bind_cb), self);
  gtk_list_view_set_model (self->history_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (model))));
  gtk_list_view_set_factory (self->history_view, factory);
  g_object_unref (factory);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (history_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  history_items_changed_cb (self);
}

/* ---- window state ---------------------------------------------------------------- */

static void
restore_size (MtWindow *self)
{
  GSettings *settings = mt_settings_get_gsettings (mt_application_get_settings (self->app));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
mt_window_close_request (GtkWindow *window)
{
  MtWindow *self = MT_WINDOW (window);
  GSettings *settings = mt_settings_get_gsettings (mt_application_get_settings (self->app));
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (mt_window_parent_class)->close_request (window);
}

static void
mt_window_dispose (GObject *object)
{
  MtWindow *self = MT_WINDOW (object);

  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  if (self->app)
    g_signal_handlers_disconnect_by_data (self->app, self);
  g_clear_object (&self->contacts_filtered);
  g_clear_object (&self->contacts_filter);
  g_clear_pointer (&self->account_uris, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (self), MT_TYPE_WINDOW);
  G_OBJECT_CLASS (mt_window_parent_class)->dispose (object);
}

static void
mt_window_class_init (MtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mt_window_dispose;
  window_class->close_request = mt_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, account_icon);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, dial_entry);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, account_chooser);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, dial_error);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, contacts_stack);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, contacts_view);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, history_stack);
  gtk_widget_class_bind_template_child (widget_class, MtWindow, history_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, dial_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.dial-video", NULL, dial_video_action);
  gtk_widget_class_install_action (widget_class, "win.dial-audio", NULL, dial_audio_action);
  gtk_widget_class_install_action (widget_class, "win.add-contact", NULL, add_contact_action);
  gtk_widget_class_install_action (widget_class, "win.edit-contact", "s", edit_contact_action);
  gtk_widget_class_install_action (widget_class, "win.delete-contact", "s", delete_contact_action);
  gtk_widget_class_install_action (widget_class, "win.import-contacts", NULL, import_contacts_action);
  gtk_widget_class_install_action (widget_class, "win.export-contacts", NULL, export_contacts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-contact", NULL);
}

static void
mt_window_init (MtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MtWindow *
mt_window_new (MtApplication *application)
{
  MtWindow *self;

  g_return_val_if_fail (MT_IS_APPLICATION (application), NULL);
  self = g_object_new (MT_TYPE_WINDOW, "application", application, NULL);
  self->app = application;
  restore_size (self);
  setup_contacts (self);
  setup_history (self);
  g_signal_connect_object (application, "notify::account", G_CALLBACK (account_changed_cb),
                           self, G_CONNECT_SWAPPED);
  account_changed_cb (self);
  return self;
}

void
mt_window_set_dial_text (MtWindow *self, const char *text)
{
  g_return_if_fail (MT_IS_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->dial_entry), text ? text : "");
  gtk_widget_grab_focus (GTK_WIDGET (self->dial_entry));
}

void
mt_window_open_address (MtWindow *self, const char *address)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MT_IS_WINDOW (self));
  g_return_if_fail (address != NULL);

  uri = mt_application_dup_target_uri (self->app, address, &error);
  mt_window_set_dial_text (self, uri ? uri : address);
  adw_view_stack_set_visible_child_name (self->view_stack, "contacts");
  if (error)
    show_dial_error (self, error->message);
}

void
mt_window_show_history (MtWindow *self)
{
  g_return_if_fail (MT_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->view_stack, "history");
}

void
mt_window_show_call_error (MtWindow *self, const char *target, const char *message)
{
  g_return_if_fail (MT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  show_dial_error (self, message);
  /* the entry is marked only when it holds what failed (not for a contact row) */
  if (g_strcmp0 (target, gtk_editable_get_text (GTK_EDITABLE (self->dial_entry))) != 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->dial_entry), "error");
}

/**
 * mt_window_show_message:
 * @message: a sentence (plain text)
 *
 * Something a person must know that is no dialog's business (history not
 * saved: the disk is full): a toast that stays until dismissed.
 */
void
mt_window_show_message (MtWindow *self, const char *message)
{
  g_autofree char *markup = NULL;
  AdwToast *toast;

  g_return_if_fail (MT_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  markup = g_markup_escape_text (message, -1);   /* libadwaita 1.2 reads the title as markup */
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

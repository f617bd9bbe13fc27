/* mt-network-page.c: the "Network" page of the preferences (STUN and TURN)
 *
 * A malformed server address gets its sentence under the row as it is
 * typed and is not saved. Valid settings are saved when the page goes away
 * (the preferences close, another page is shown); the TURN password goes to
 * the Secret Service, never to GSettings. The app uses them from the next call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-network-page"

#include "config.h"

#include "mt-network-page.h"

#include <glib/gi18n.h>

#include "mt-application.h"
#include "mt-secrets.h"
#include "mt-settings.h"

struct _MtNetworkPage
{
  AdwPreferencesPage   parent_instance;

  MtSettings          *settings;

  AdwEntryRow         *stun_row;
  GtkLabel            *stun_error;
  AdwEntryRow         *turn_row;
  GtkLabel            *turn_error;
  GtkSwitch           *turn_tcp_switch;
  AdwEntryRow         *turn_user_row;
  AdwPasswordEntryRow *turn_password_row;
};

G_DEFINE_FINAL_TYPE (MtNetworkPage, mt_network_page, ADW_TYPE_PREFERENCES_PAGE)

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* TRUE when the row holds a usable server (or nothing); the sentence otherwise */
static gboolean
check_server (AdwEntryRow *row, GtkLabel *error_label)
{
  g_autofree char *text = row_text (row);
  g_autofree char *host = NULL;
  g_autoptr(GError) error = NULL;
  guint port = 0;
  gboolean ok = mt_settings_parse_server (text, &host, &port, &error);

  gtk_label_set_label (error_label, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), !ok);
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  return ok;
}

static void
stun_changed_cb (MtNetworkPage *self)
{
  check_server (self->stun_row, self->stun_error);
}

static void
turn_changed_cb (MtNetworkPage *self)
{
  check_server (self->turn_row, self->turn_error);
}

static void
load (MtNetworkPage *self)
{
  GSettings *settings = mt_settings_get_gsettings (self->settings);
  g_autofree char *stun = g_settings_get_string (settings, "stun-server");
  g_autofree char *turn = g_settings_get_string (settings, "turn-server");
  g_autofree char *transport = g_settings_get_string (settings, "turn-transport");
  g_autofree char *user = g_settings_get_string (settings, "turn-user");

  gtk_editable_set_text (GTK_EDITABLE (self->stun_row), stun);
  gtk_editable_set_text (GTK_EDITABLE (self->turn_row), turn);
  gtk_editable_set_text (GTK_EDITABLE (self->turn_user_row), user);
  gtk_switch_set_active (self->turn_tcp_switch, g_str_equal (transport, "tcp"));
}

static void
set_string (GSettings *settings, const char *key, const char *value)
{
  g_autofree char *old = g_settings_get_string (settings, key);

  if (g_strcmp0 (old, value) != 0)
    g_settings_set_string (settings, key, value);
}

static void
turn_password_stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtSettings) settings = user_data;
  g_autoptr(GError) error = NULL;

  if (!mt_secrets_store_turn_password_finish (result, &error))
    g_warning ("Could not store the TURN password in the Secret Service: %s", error->message);
  mt_settings_reload_turn_password (settings);
}

/* what is valid goes to the settings; a malformed server keeps the old one */
static void
save (MtNetworkPage *self)
{
  GSettings *settings = mt_settings_get_gsettings (self->settings);
  g_autofree char *stun = row_text (self->stun_row);
  g_autofree char *turn = row_text (self->turn_row);
  g_autofree char *user = row_text (self->turn_user_row);
  g_autofree char *key = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->turn_password_row));

  if (check_server (self->stun_row, self->stun_error))
    set_string (settings, "stun-server", stun);
  if (check_server (self->turn_row, self->turn_error))
    set_string (settings, "turn-server", turn);
  set_string (settings, "turn-user", user);
  set_string (settings, "turn-transport",
              gtk_switch_get_active (self->turn_tcp_switch) ? "tcp" : "udp");
  key = mt_settings_dup_turn_key (self->settings);
  if (key == NULL || *password == '\0')
    return;
  mt_secrets_store_turn_password_async (key, password, NULL, turn_password_stored_cb,
                                        g_object_ref (self->settings));
  gtk_editable_set_text (GTK_EDITABLE (self->turn_password_row), "");
}

static void
mt_network_page_unmap (GtkWidget *widget)
{
  save (MT_NETWORK_PAGE (widget));
  GTK_WIDGET_CLASS (mt_network_page_parent_class)->unmap (widget);
}

static void
mt_network_page_dispose (GObject *object)
{
  MtNetworkPage *self = MT_NETWORK_PAGE (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), MT_TYPE_NETWORK_PAGE);
  G_OBJECT_CLASS (mt_network_page_parent_class)->dispose (object);
}

static void
mt_network_page_class_init (MtNetworkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mt_network_page_dispose;
  widget_class->unmap = mt_network_page_unmap;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-network-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, stun_row);
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, stun_error);
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, turn_row);
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, turn_error);
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, turn_tcp_switch);
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, turn_user_row);
  gtk_widget_class_bind_template_child (widget_class, MtNetworkPage, turn_password_row);
  gtk_widget_class_bind_template_callback (widget_class, stun_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, turn_changed_cb);
}

static void
mt_network_page_init (MtNetworkPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_object_ref (mt_application_get_settings (MT_APPLICATION (g_application_get_default ())));
  load (self);
}

GtkWidget *
mt_network_page_new (void)
{
  return g_object_new (MT_TYPE_NETWORK_PAGE, NULL);
}

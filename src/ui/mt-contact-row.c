/* mt-contact-row.c: a contact in the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-contact-row"

#include "config.h"

#include "mt-contact-row.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _MtContactRow
{
  GtkWidget   parent_instance;

  MtContact  *contact;

  AdwAvatar  *avatar;
  GtkLabel   *name_label;
  GtkLabel   *address_label;
  GtkButton  *audio_button;
  GtkButton  *video_button;
  GtkWidget  *menu_button;
};

G_DEFINE_FINAL_TYPE (MtContactRow, mt_contact_row, GTK_TYPE_WIDGET)

static void
label_button (GtkWidget *button, const char *format, const char *name)
{
  g_autofree char *label = g_strdup_printf (format, name);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update (MtContactRow *self)
{
  const char *name = self->contact ? mt_contact_get_name (self->contact) : "";
  const char *address = self->contact ? mt_contact_get_address (self->contact) : NULL;
  GVariant *target = g_variant_new_string (address ? address : "");

  gtk_label_set_label (self->name_label, name);
  if (self->contact && mt_contact_get_read_only (self->contact))
    {
      /* Translators: under a contact's name: %s is its SIP address; the
       * contact comes from GNOME Contacts (the desktop address book) */
      g_autofree char *from = g_strdup_printf (_("%s · from Contacts"), address ? address : "");

      gtk_label_set_label (self->address_label, from);
    }
  else
    gtk_label_set_label (self->address_label, address ? address : "");
  adw_avatar_set_text (self->avatar, name);
  /* Translators: accessible name and tooltip of a button; %s is a contact's name */
  label_button (GTK_WIDGET (self->audio_button), _("Audio call %s"), name);
  /* Translators: accessible name and tooltip of a button; %s is a contact's name */
  label_button (GTK_WIDGET (self->video_button), _("Video call %s"), name);
  /* Translators: accessible name and tooltip of the menu button with Edit and
   * Delete; %s is a contact's name */
  label_button (self->menu_button, _("More for %s"), name);
  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->audio_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->video_button), target);
  g_variant_unref (target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->audio_button), "app.call-audio");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->video_button), "app.call");
  gtk_widget_set_visible (self->menu_button,
                          self->contact && !mt_contact_get_builtin (self->contact) &&
                          !mt_contact_get_read_only (self->contact));
}

static void
contact_changed_cb (MtContactRow *self)
{
  update (self);
}

void
mt_contact_row_set_contact (MtContactRow *self, MtContact *contact)
{
  g_return_if_fail (MT_IS_CONTACT_ROW (self));
  g_return_if_fail (contact == NULL || MT_IS_CONTACT (contact));

  if (self->contact)
    g_signal_handlers_disconnect_by_data (self->contact, self);
  g_set_object (&self->contact, contact);
  if (contact)
    g_signal_connect_swapped (contact, "notify", G_CALLBACK (contact_changed_cb), self);
  update (self);
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtContactRow *self = MT_CONTACT_ROW (widget);

  if (self->contact)
    gtk_widget_activate_action (widget, "win.edit-contact", "s", mt_contact_get_id (self->contact));
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtContactRow *self = MT_CONTACT_ROW (widget);

  if (self->contact)
    gtk_widget_activate_action (widget, "win.delete-contact", "s", mt_contact_get_id (self->contact));
}

static void
mt_contact_row_dispose (GObject *object)
{
  GtkWidget *child;
  MtContactRow *self = MT_CONTACT_ROW (object);

  mt_contact_row_set_contact (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MT_TYPE_CONTACT_ROW);
  /* the template's root box has no id, so dispose_template() leaves it */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (mt_contact_row_parent_class)->dispose (object);
}

static void
mt_contact_row_class_init (MtContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mt_contact_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-contact-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, MtContactRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, MtContactRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MtContactRow, address_label);
  gtk_widget_class_bind_template_child (widget_class, MtContactRow, audio_button);
  gtk_widget_class_bind_template_child (widget_class, MtContactRow, video_button);
  gtk_widget_class_bind_template_child (widget_class, MtContactRow, menu_button);
  gtk_widget_class_install_action (widget_class, "contact.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "contact.delete", NULL, delete_action);
}

static void
mt_contact_row_init (MtContactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MtContactRow *
mt_contact_row_new (void)
{
  return g_object_new (MT_TYPE_CONTACT_ROW, NULL);
}

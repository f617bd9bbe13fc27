/* mt-contact-dialog.c: add or edit a contact
 *
 * Nothing typed is lost on bad input: the dialog stays open and says what to fix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-contact-dialog"

#include "config.h"

#include "mt-contact-dialog.h"

#include <glib/gi18n.h>


struct _MtContactDialog
{
  AdwWindow    parent_instance;

  MtApplication *app;
  MtContacts  *contacts;
  MtContact   *contact;

  AdwEntryRow *name_row;
  AdwEntryRow *addresses_row;
  GtkLabel    *error_label;
};

G_DEFINE_FINAL_TYPE (MtContactDialog, mt_contact_dialog, ADW_TYPE_WINDOW)

static void
show_error (MtContactDialog *self, const char *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* the addresses, normalized, or NULL with the sentence to show */
static GStrv
parse_addresses (MtContactDialog *self, const char *text, char **message)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_regex_split_simple ("[,;\\s]+", text, 0, 0);
  guint count = 0;

  for (guint i = 0; parts[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;

      if (*parts[i] == '\0')
        continue;
      if (!(uri = mt_application_dup_target_uri (self->app, parts[i], &error)))
        {
          /* Translators: %s is what was typed, then why it is not a SIP address */
          *message = g_strdup_printf (_("“%s”: %s"), parts[i], error->message);
          return NULL;
        }
      g_strv_builder_add (builder, uri);
      count++;
    }
  if (count == 0)
    {
      *message = g_strdup (_("Enter at least one SIP address, such as bob@example.org."));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static void
save (MtContactDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *message = NULL;
  g_auto(GStrv) addresses = NULL;

  if (*name == '\0')
    {
      show_error (self, _("Enter a name for the contact."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  addresses = parse_addresses (self, gtk_editable_get_text (GTK_EDITABLE (self->addresses_row)),
                               &message);
  if (addresses == NULL)
    {
      show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->addresses_row));
      return;
    }
  if (self->contact)
    mt_contacts_update (self->contacts, self->contact, name, (const char * const *) addresses);
  else
    mt_contacts_add (self->contacts, name, (const char * const *) addresses);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save (MT_CONTACT_DIALOG (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
changed_cb (MtContactDialog *self)
{
  show_error (self, NULL);
}

static void
name_activated_cb (MtContactDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->addresses_row));
}

static void
mt_contact_dialog_dispose (GObject *object)
{
  MtContactDialog *self = MT_CONTACT_DIALOG (object);

  g_clear_object (&self->contacts);
  g_clear_object (&self->contact);
  g_clear_object (&self->app);
  gtk_widget_dispose_template (GTK_WIDGET (self), MT_TYPE_CONTACT_DIALOG);
  G_OBJECT_CLASS (mt_contact_dialog_parent_class)->dispose (object);
}

static void
mt_contact_dialog_class_init (MtContactDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mt_contact_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-contact-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MtContactDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, MtContactDialog, addresses_row);
  gtk_widget_class_bind_template_child (widget_class, MtContactDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_activated_cb);
  gtk_widget_class_install_action (widget_class, "contact.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "contact.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "contact.cancel", NULL);
}

static void
mt_contact_dialog_init (MtContactDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MtContactDialog *
mt_contact_dialog_new (GtkWindow     *parent,
                       MtApplication *app,
                       MtContact     *contact)
{
  MtContactDialog *self;

  g_return_val_if_fail (MT_IS_APPLICATION (app), NULL);
  self = g_object_new (MT_TYPE_CONTACT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->app = g_object_ref (app);
  self->contacts = g_object_ref (mt_application_get_contacts (app));
  if (contact)
    {
      g_autofree char *addresses = g_strjoinv (", ", (GStrv) mt_contact_get_addresses (contact));

      self->contact = g_object_ref (contact);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Contact"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), mt_contact_get_name (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->addresses_row), addresses);
    }
  show_error (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return self;
}

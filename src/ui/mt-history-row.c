/* mt-history-row.c: one call in the history list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-history-row"

#include "config.h"

#include "mt-history-row.h"

#include <glib/gi18n.h>

struct _MtHistoryRow
{
  GtkWidget      parent_instance;

  MtApplication *app;

  GtkImage      *kind_icon;
  GtkLabel      *name_label;
  GtkLabel      *detail_label;
  GtkButton     *call_button;
};

G_DEFINE_FINAL_TYPE (MtHistoryRow, mt_history_row, GTK_TYPE_WIDGET)

char *
mt_format_duration (guint seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  return g_strdup_printf ("%u:%02u", seconds / 60, seconds % 60);
}

static const char *
kind_text (MtHistoryKind kind)
{
  switch (kind)
    {
    case MT_HISTORY_KIND_INCOMING: return _("Incoming");
    case MT_HISTORY_KIND_MISSED: return _("Missed");
    case MT_HISTORY_KIND_OUTGOING:
    default: return _("Outgoing");
    }
}

static const char *
kind_icon (MtHistoryKind kind)
{
  switch (kind)
    {
    case MT_HISTORY_KIND_INCOMING: return "call-incoming-symbolic";
    case MT_HISTORY_KIND_MISSED: return "call-missed-symbolic";
    case MT_HISTORY_KIND_OUTGOING:
    default: return "call-outgoing-symbolic";
    }
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("");
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* Translators: time of a call today, see g_date_time_format() */
    return g_date_time_format (time, _("Today %H:%M"));
  /* Translators: date and time of a call, see g_date_time_format() */
  return g_date_time_format (time, _("%Y-%m-%d %H:%M"));
}

void
mt_history_row_set_entry (MtHistoryRow *self, MtHistoryEntry *entry)
{
  MtHistoryKind kind;
  g_autofree char *name = NULL;
  g_autofree char *when = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (MT_IS_HISTORY_ROW (self));
  g_return_if_fail (MT_IS_HISTORY_ENTRY (entry));

  kind = mt_history_entry_get_kind (entry);
  name = mt_application_dup_display_name (self->app, mt_history_entry_get_remote_uri (entry),
                                          mt_history_entry_get_remote_name (entry));
  when = format_time (mt_history_entry_get_start_time (entry));
  duration = mt_format_duration (mt_history_entry_get_duration (entry));
  if (kind == MT_HISTORY_KIND_MISSED)
    detail = g_strdup_printf ("%s · %s", kind_text (kind), when);
  else
    detail = g_strdup_printf ("%s · %s · %s", kind_text (kind), when, duration);
  if (mt_history_entry_get_do_not_disturb (entry))
    {
      g_autofree char *plain = g_steal_pointer (&detail);

      /* Translators: a missed call refused while "Do not disturb" was on */
      detail = g_strdup_printf ("%s · %s", plain, _("Do not disturb"));
    }
  if (g_strcmp0 (mt_history_entry_get_protocol (entry), "h323") == 0)
    {
      g_autofree char *plain = g_steal_pointer (&detail);

      detail = g_strdup_printf ("%s · H.323", plain);
    }

  gtk_image_set_from_icon_name (self->kind_icon, kind_icon (kind));
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->detail_label, detail);
  if (kind == MT_HISTORY_KIND_MISSED)
    gtk_widget_add_css_class (GTK_WIDGET (self->kind_icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->kind_icon), "error");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->call_button), "s",
                                    mt_history_entry_get_remote_uri (entry));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->call_button), "app.call");
  /* Translators: accessible name of a button; %s is a name or address */
  label = g_strdup_printf (_("Call back %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->call_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->call_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
mt_history_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), MT_TYPE_HISTORY_ROW);
  /* the template's root box has no id, so dispose_template() leaves it */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (mt_history_row_parent_class)->dispose (object);
}

static void
mt_history_row_class_init (MtHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mt_history_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-history-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, MtHistoryRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, MtHistoryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MtHistoryRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, MtHistoryRow, call_button);
}

static void
mt_history_row_init (MtHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MtHistoryRow *
mt_history_row_new (MtApplication *app)
{
  MtHistoryRow *self = g_object_new (MT_TYPE_HISTORY_ROW, NULL);

  self->app = app;
  return self;
}

/* mt-call-window.c: one call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-call-window"

#include "config.h"

#include "mt-call-window.h"

#include <glib/gi18n.h>

#include "mt-history-row.h"

#define CLOSE_AFTER_END_S 3

struct _MtCallWindow
{
  AdwWindow         parent_instance;

  MtApplication    *app;
  MtCall           *call;
  MtVideoPaintable *remote;
  MtVideoPaintable *self_view;
  guint             tick_id;
  guint             close_id;

  GtkStack         *video_stack;
  GtkPicture       *remote_picture;
  GtkImage         *self_picture;
  AdwAvatar        *avatar;
  GtkLabel         *name_label;
  GtkLabel         *address_label;
  GtkLabel         *state_label;
  GtkLabel         *notice_label;   /* what the media layer left out or failed at */
  GtkWidget        *incoming_box;
  GtkWidget        *active_box;
  GtkToggleButton  *mute_button;
  GtkToggleButton  *camera_button;
  GtkToggleButton  *hold_button;

  gboolean          on_hold;    /* what "on-hold" last notified */
};

enum {
  PROP_0,
  PROP_ON_HOLD,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (MtCallWindow, mt_call_window, ADW_TYPE_WINDOW)

static char *
state_text (MtCallWindow *self)
{
  switch (mt_call_get_state (self->call))
    {
    case MT_CALL_STATE_NEW:
    case MT_CALL_STATE_CALLING:
      return g_strdup (_("Calling…"));
    case MT_CALL_STATE_RINGING:
      return g_strdup (_("Ringing…"));
    case MT_CALL_STATE_INCOMING:
      return g_strdup (mt_call_get_has_video (self->call) ? _("Incoming video call")
                                                          : _("Incoming call"));
    case MT_CALL_STATE_ACTIVE:
      return mt_format_duration (mt_call_get_duration (self->call));
    case MT_CALL_STATE_HELD:
      /* we asked for the hold, or only the other side did */
      return g_strdup (mt_call_get_hold (self->call) ? _("On hold")
                                                     : _("The other person put the call on hold"));
    case MT_CALL_STATE_ENDED:
    default:
      return g_strdup (mt_end_reason_to_sentence (mt_call_get_end_reason (self->call)));
    }
}

/* video once frames arrive; the initials otherwise (audio-only calls, on hold) */
static void
update_video (MtCallWindow *self)
{
  MtCallState state = mt_call_get_state (self->call);
  gboolean video = mt_call_get_has_video (self->call) &&
                   state != MT_CALL_STATE_ENDED && state != MT_CALL_STATE_HELD &&
                   mt_video_paintable_has_frame (self->remote);
  gboolean self_visible = mt_call_get_has_video (self->call) &&
                          mt_video_paintable_has_frame (self->self_view) &&
                          !gtk_toggle_button_get_active (self->camera_button);

  gtk_stack_set_visible_child_name (self->video_stack, video ? "video" : "avatar");
  gtk_widget_set_visible (GTK_WIDGET (self->self_picture), self_visible);
}

/* the hold button: enabled while connected; "Resume" once we asked for a
 * hold (the template starts as "Hold") */
static void
update_hold (MtCallWindow *self)
{
  MtCallState state = mt_call_get_state (self->call);
  gboolean on_hold = mt_call_get_hold (self->call);
  const char *label;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.hold",
                                 state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD);
  if (self->on_hold == on_hold)
    return;
  self->on_hold = on_hold;
  label = on_hold ? _("Resume") : _("Hold");
  gtk_button_set_icon_name (GTK_BUTTON (self->hold_button),
                            on_hold ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hold_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->hold_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ON_HOLD]);
}

/* "No camera was found, so this call is audio only.", a device that failed:
 * sentences from the core (translated there), shown above the call state */
static void
show_notice (MtCallWindow *self, const char *notice)
{
  gtk_label_set_label (self->notice_label, notice);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), notice != NULL && *notice != '\0');
}

static void
media_error_cb (MtCallWindow *self, const char *message)
{
  show_notice (self, message);
}

static void
update (MtCallWindow *self)
{
  g_autofree char *text = state_text (self);
  MtCallState state = mt_call_get_state (self->call);

  update_hold (self);
  gtk_label_set_label (self->state_label, text);
  gtk_widget_set_visible (self->incoming_box, state == MT_CALL_STATE_INCOMING);
  gtk_widget_set_visible (self->active_box, state != MT_CALL_STATE_INCOMING);
  gtk_widget_set_sensitive (self->active_box, state != MT_CALL_STATE_ENDED);
  update_video (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
close_cb (gpointer user_data)
{
  MtCallWindow *self = user_data;

  self->close_id = 0;
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
state_changed_cb (MtCallWindow *self)
{
  update (self);
  if (mt_call_get_state (self->call) != MT_CALL_STATE_ENDED)
    return;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    close_cb (self);
  else if (self->close_id == 0)
    self->close_id = g_timeout_add_seconds (CLOSE_AFTER_END_S, close_cb, self);
}

static void
frame_cb (MtCallWindow *self)
{
  update_video (self);
}

static void
activate_for_call (MtCallWindow *self, const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (self->app), action,
                                  g_variant_new_string (mt_call_get_id (self->call)));
}

static void
hangup_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  activate_for_call (MT_CALL_WINDOW (widget), "hangup");
}

static void
answer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  activate_for_call (MT_CALL_WINDOW (widget), "answer");
}

static void
decline_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  activate_for_call (MT_CALL_WINDOW (widget), "decline");
}

static void
mute_toggled_cb (MtCallWindow *self)
{
  MtMediaSession *media = mt_call_get_media_session (self->call);
  gboolean muted = gtk_toggle_button_get_active (self->mute_button);

  if (media)
    mt_media_session_set_mic_muted (media, muted);
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "microphone-disabled-symbolic" : "audio-input-microphone-symbolic");
}

static void
camera_toggled_cb (MtCallWindow *self)
{
  MtMediaSession *media = mt_call_get_media_session (self->call);
  gboolean off = gtk_toggle_button_get_active (self->camera_button);

  if (media)
    mt_media_session_set_camera_off (media, off);
  gtk_button_set_icon_name (GTK_BUTTON (self->camera_button),
                            off ? "camera-disabled-symbolic" : "camera-web-symbolic");
  update_video (self);
}

static void
mt_call_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MtCallWindow *self = MT_CALL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ON_HOLD:
      g_value_set_boolean (value, self->call && mt_call_get_hold (self->call));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_call_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MtCallWindow *self = MT_CALL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ON_HOLD:
      /* ignored while a re-INVITE is under way: the action's state then
       * stays what the call says */
      if (self->call)
        {
          mt_call_set_hold (self->call, g_value_get_boolean (value));
          update (self);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
mt_call_window_close_request (GtkWindow *window)
{
  MtCallWindow *self = MT_CALL_WINDOW (window);
  MtCallState state = mt_call_get_state (self->call);

  /* closing an incoming-call view only hides it: the notification still rings */
  if (state == MT_CALL_STATE_INCOMING)
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      return TRUE;
    }
  if (state != MT_CALL_STATE_ENDED)
    mt_call_hangup (self->call);
  return GTK_WINDOW_CLASS (mt_call_window_parent_class)->close_request (window);
}

static void
mt_call_window_dispose (GObject *object)
{
  MtCallWindow *self = MT_CALL_WINDOW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->close_id, g_source_remove);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  if (self->remote)
    g_signal_handlers_disconnect_by_data (self->remote, self);
  if (self->self_view)
    g_signal_handlers_disconnect_by_data (self->self_view, self);
  g_clear_object (&self->call);
  g_clear_object (&self->remote);
  g_clear_object (&self->self_view);
  gtk_widget_dispose_template (GTK_WIDGET (self), MT_TYPE_CALL_WINDOW);
  G_OBJECT_CLASS (mt_call_window_parent_class)->dispose (object);
}

static void
mt_call_window_class_init (MtCallWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = mt_call_window_dispose;
  object_class->get_property = mt_call_window_get_property;
  object_class->set_property = mt_call_window_set_property;
  window_class->close_request = mt_call_window_close_request;

  /* TRUE while we hold the call (the other side may hold it too): the
   * stateful "call.hold" action */
  props[PROP_ON_HOLD] =
    g_param_spec_boolean ("on-hold", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-call-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, video_stack);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, remote_picture);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, self_picture);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, address_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, incoming_box);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, active_box);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, camera_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, hold_button);
  gtk_widget_class_bind_template_callback (widget_class, mute_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, camera_toggled_cb);
  gtk_widget_class_install_action (widget_class, "call.hangup", NULL, hangup_action);
  gtk_widget_class_install_action (widget_class, "call.answer", NULL, answer_action);
  gtk_widget_class_install_action (widget_class, "call.decline", NULL, decline_action);
  gtk_widget_class_install_property_action (widget_class, "call.hold", "on-hold");
}

static void
mt_call_window_init (MtCallWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

MtCallWindow *
mt_call_window_new (MtApplication    *app,
                    MtCall           *call,
                    MtVideoPaintable *remote,
                    MtVideoPaintable *self_view)
{
  MtCallWindow *self;
  g_autofree char *name = NULL;
  const char *uri;

  g_return_val_if_fail (MT_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (MT_IS_CALL (call), NULL);

  self = g_object_new (MT_TYPE_CALL_WINDOW, "application", app, NULL);
  self->app = app;
  self->call = g_object_ref (call);
  self->remote = g_object_ref (remote);
  self->self_view = g_object_ref (self_view);

  uri = mt_call_get_remote_uri (call);
  name = mt_application_dup_display_name (app, uri, mt_call_get_remote_name (call));
  gtk_window_set_title (GTK_WINDOW (self), name);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->address_label, uri);
  adw_avatar_set_text (self->avatar, name);
  gtk_picture_set_paintable (self->remote_picture, GDK_PAINTABLE (remote));
  gtk_image_set_from_paintable (self->self_picture, GDK_PAINTABLE (self_view));

  g_signal_connect_swapped (call, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (call, "notify::has-video", G_CALLBACK (update), self);
  show_notice (self, mt_media_session_get_warning (mt_call_get_media_session (call)));
  g_signal_connect_object (mt_call_get_media_session (call), "error",
                           G_CALLBACK (media_error_cb), self, G_CONNECT_SWAPPED);
  /* a refused hold request flips it back without a state change */
  g_signal_connect_swapped (call, "notify::hold", G_CALLBACK (update), self);
  g_signal_connect_swapped (remote, "invalidate-size", G_CALLBACK (frame_cb), self);
  g_signal_connect_swapped (self_view, "invalidate-size", G_CALLBACK (frame_cb), self);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  update (self);
  return self;
}

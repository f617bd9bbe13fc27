/* mt-call-view.c: what the application keeps for one call
 *
 * Owns the call's video paintables (their sinks go to the call's pipeline
 * before it connects), its ringing state and, weakly, its window. Every
 * action on the call goes through the action group made here: the window's
 * buttons, the notifications (app.answer...), closing the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-call-view"

#include "config.h"

#include "mt-call-view.h"

#include "mt-application.h"
#include "mt-call-window.h"

struct _MtCallView
{
  GObject             parent_instance;

  MtApplication      *app;        /* not owned: the application owns its views */
  MtCall             *call;
  MtVideoPaintable   *remote;
  MtVideoPaintable   *self_view;
  GSimpleActionGroup *actions;
  GtkWindow          *window;     /* weak */
  gboolean            ringing;
};

G_DEFINE_FINAL_TYPE (MtCallView, mt_call_view, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RINGING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- actions ------------------------------------------------------------------ */

static MtCallState
call_state (MtCallView *self)
{
  return mt_call_get_state (self->call);
}

static void
hangup_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtCallView *self = user_data;

  if (call_state (self) != MT_CALL_STATE_ENDED)
    mt_call_hangup (self->call);
}

/* answer (or resume) this call; the other calls go on hold, on any account */
static void
switch_to_call (MtCallView *self)
{
  mt_application_switch_to (self->app, self->call);
}

static void
answer_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtCallView *self = user_data;

  if (call_state (self) != MT_CALL_STATE_INCOMING)
    return;
  mt_call_view_set_ringing (self, FALSE);
  switch_to_call (self);
  mt_call_view_present (self);
}

static void
decline_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtCallView *self = user_data;

  if (call_state (self) != MT_CALL_STATE_INCOMING)
    return;
  mt_call_view_set_ringing (self, FALSE);
  mt_call_decline (self->call);
}

/* the stateful ones ask the call; their state follows what the call says
 * (a hold the peer refuses flips back) */
static void
hold_change (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  MtCallView *self = user_data;

  /* resuming one call of two holds the other: switching between them */
  if (g_variant_get_boolean (value))
    mt_call_set_hold (self->call, TRUE);
  else
    switch_to_call (self);
}

static void
mute_change (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  MtCallView *self = user_data;

  mt_call_set_mic_muted (self->call, g_variant_get_boolean (value));
}

static void
camera_off_change (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  MtCallView *self = user_data;

  mt_call_set_camera_off (self->call, g_variant_get_boolean (value));
}

/* "call.dtmf" with the digits to send: the dial pad and the keyboard */
static void
dtmf_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MtCallView *self = user_data;

  mt_call_send_dtmf (self->call, g_variant_get_string (parameter, NULL));
}

static const GActionEntry call_actions[] = {
  { "hangup", hangup_action },
  { "answer", answer_action },
  { "decline", decline_action },
  { "hold", NULL, NULL, "false", hold_change },
  { "mute", NULL, NULL, "false", mute_change },
  { "camera-off", NULL, NULL, "false", camera_off_change },
  { "dtmf", dtmf_action, "s" },
};

static GSimpleAction *
lookup (MtCallView *self, const char *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name));
}

static void
follow_boolean (MtCallView *self, const char *action, gboolean value)
{
  g_simple_action_set_state (lookup (self, action), g_variant_new_boolean (value));
}

static void
update_actions (MtCallView *self)
{
  MtCallState state = call_state (self);
  gboolean connected = state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD;

  g_simple_action_set_enabled (lookup (self, "hangup"), state != MT_CALL_STATE_ENDED);
  g_simple_action_set_enabled (lookup (self, "answer"), state == MT_CALL_STATE_INCOMING);
  g_simple_action_set_enabled (lookup (self, "decline"), state == MT_CALL_STATE_INCOMING);
  g_simple_action_set_enabled (lookup (self, "hold"), connected);
  g_simple_action_set_enabled (lookup (self, "dtmf"), connected);
  follow_boolean (self, "hold", mt_call_get_hold (self->call));
  follow_boolean (self, "mute", mt_call_get_mic_muted (self->call));
  follow_boolean (self, "camera-off", mt_call_get_camera_off (self->call));
}

static void
state_changed_cb (MtCallView *self)
{
  MtCallState state = call_state (self);

  if (state != MT_CALL_STATE_INCOMING && state != MT_CALL_STATE_NEW)
    mt_call_view_set_ringing (self, FALSE);
  update_actions (self);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
mt_call_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MtCallView *self = MT_CALL_VIEW (object);

  switch (prop_id)
    {
    case PROP_RINGING:
      g_value_set_boolean (value, self->ringing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_call_view_dispose (GObject *object)
{
  MtCallView *self = MT_CALL_VIEW (object);

  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->actions);
  g_clear_object (&self->call);
  g_clear_object (&self->remote);
  g_clear_object (&self->self_view);
  G_OBJECT_CLASS (mt_call_view_parent_class)->dispose (object);
}

static void
mt_call_view_class_init (MtCallViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mt_call_view_get_property;
  object_class->dispose = mt_call_view_dispose;

  props[PROP_RINGING] =
    g_param_spec_boolean ("ringing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
mt_call_view_init (MtCallView *self)
{
  self->remote = mt_video_paintable_new ();
  self->self_view = mt_video_paintable_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), call_actions,
                                   G_N_ELEMENTS (call_actions), self);
}

MtCallView *
mt_call_view_new (MtApplication *app, MtCall *call, gboolean video_in_window)
{
  MtCallView *self;

  g_return_val_if_fail (MT_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (MT_IS_CALL (call), NULL);

  self = g_object_new (MT_TYPE_CALL_VIEW, NULL);
  self->app = app;
  self->call = g_object_ref (call);
  /* before the call connects: the pipeline is built when it does */
  mt_call_set_video_sinks (call,
                           video_in_window ? mt_video_paintable_create_sink (self->remote) : NULL,
                           mt_video_paintable_create_sink (self->self_view));
  g_signal_connect_swapped (call, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (call, "notify::hold", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (call, "notify::mic-muted", G_CALLBACK (update_actions), self);
  g_signal_connect_swapped (call, "notify::camera-off", G_CALLBACK (update_actions), self);
  update_actions (self);
  return self;
}

MtCall *
mt_call_view_get_call (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), NULL);
  return self->call;
}

MtVideoPaintable *
mt_call_view_get_remote (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), NULL);
  return self->remote;
}

MtVideoPaintable *
mt_call_view_get_self_view (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), NULL);
  return self->self_view;
}

GActionGroup *
mt_call_view_get_actions (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

gboolean
mt_call_view_get_ringing (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), FALSE);
  return self->ringing;
}

void
mt_call_view_set_ringing (MtCallView *self, gboolean ringing)
{
  g_return_if_fail (MT_IS_CALL_VIEW (self));

  ringing = !!ringing;
  if (self->ringing == ringing)
    return;
  self->ringing = ringing;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RINGING]);
}

GtkWindow *
mt_call_view_get_window (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), NULL);
  return self->window;
}

GtkWindow *
mt_call_view_ensure_window (MtCallView *self)
{
  g_return_val_if_fail (MT_IS_CALL_VIEW (self), NULL);

  if (self->window == NULL)
    g_set_weak_pointer (&self->window, GTK_WINDOW (mt_call_window_new (self->app, self)));
  return self->window;
}

void
mt_call_view_present (MtCallView *self)
{
  g_return_if_fail (MT_IS_CALL_VIEW (self));
  gtk_window_present (mt_call_view_ensure_window (self));
}

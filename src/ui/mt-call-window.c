/* mt-call-window.c: one call
 *
 * Follows the call's properties (state, hold, mic-muted, camera-off,
 * warning); every button is an action of the call's MtCallView ("call.*"),
 * the same actions the notifications and the application use. The dial pad
 * and digits typed while the window has the focus go out as "call.dtmf";
 * the digits the other person pressed are shown.
 * "Call details" shows each stream's codec, bitrate, loss, jitter, round
 * trip and frame rate, and a good / fair / poor verdict (mt-call-quality.c).
 * "Transfer the call" opens a panel: an address (app.transfer, blind) or
 * one of the other calls that are up (app.transfer-attended); the window
 * says "Transferring…", then the call ends transferred or "The transfer
 * failed" and the call goes on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-call-window"

#include "config.h"

#include "mt-call-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mt-call-quality.h"
#include "mt-contact.h"
#include "mt-contacts.h"
#include "mt-history-row.h"
#include "mt-notifier.h"

#define CLOSE_AFTER_END_S 3

/* the rows of the call-details pane */
enum {
  DETAIL_CODEC,
  DETAIL_BITRATE,
  DETAIL_LOSS,
  DETAIL_JITTER,
  DETAIL_RTT,
  DETAIL_FPS,
  N_DETAILS
};

struct _MtCallWindow
{
  AdwWindow         parent_instance;

  MtCallView       *view;
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
  GtkLabel         *path_label;     /* how the media goes: direct, via STUN, via relay */
  GtkImage         *security_icon;  /* the lock: encrypted or not, and how */
  GtkLabel         *state_label;
  GtkLabel         *notice_label;   /* what the media layer left out or failed at */
  GtkWidget        *incoming_box;
  GtkWidget        *active_box;
  GtkToggleButton  *mute_button;
  GtkToggleButton  *camera_button;
  GtkToggleButton  *hold_button;
  GtkWidget        *dial_pad;
  GtkLabel         *keys_label;     /* the digits we sent, as on a phone's display */
  GtkLabel         *dtmf_label;     /* the digits the other person pressed */
  GString          *keys_sent;
  GString          *keys_received;
  GtkToggleButton  *details_button;
  GtkLabel         *quality_label;  /* "Fair: Packet loss 3 %" */
  GtkGrid          *details_grid;
  GtkRevealer      *details_revealer;
  GtkLabel         *details[N_DETAILS][2];   /* audio, video */
  MtCallQuality    *quality;
  GtkToggleButton  *transfer_button;
  GtkWidget        *transfer_panel;
  GtkBox           *targets_box;    /* "Transfer to Carol": the other calls that are up */
  char             *targets_key;    /* their ids, to rebuild the buttons only when they change */
  GtkEntry         *transfer_entry;
  GtkBox           *suggestions_box; /* contacts whose name or address holds what was typed */
  GtkLabel         *transfer_error;
  GtkLabel         *transfer_label; /* "Transferring…", "The transfer failed" */
  char             *account;        /* the account it is on, when there are several */
};

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
      return mt_incoming_call_text (self->call, self->account);
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
                          !mt_call_get_camera_off (self->call);

  gtk_stack_set_visible_child_name (self->video_stack, video ? "video" : "avatar");
  gtk_widget_set_visible (GTK_WIDGET (self->self_picture), self_visible);
}

/* ---- the media path (ICE's selected pair) ------------------------------------ */

static const char *
path_text (const MtStreamStats *s)
{
  if (s->ice_state[0] == '\0' || g_str_equal (s->ice_state, "plain"))
    return _("no ICE");
  if (g_str_equal (s->ice_state, "failed"))
    return _("no path");
  if (s->ice_local[0] == '\0' || !g_str_equal (s->ice_state, "connected"))
    return _("finding a path…");
  if (g_str_equal (s->ice_local, "relay") || g_str_equal (s->ice_remote, "relay"))
    return _("via relay");
  if (g_str_equal (s->ice_local, "srflx") || g_str_equal (s->ice_remote, "srflx") ||
      g_str_equal (s->ice_remote, "prflx"))
    return _("via STUN");
  return _("direct");
}

/* "Audio: direct · Video: via relay", or the core's "Reconnecting…" while
 * ICE looks for a new path after a network change; hidden without media */
static void
update_path (MtCallWindow *self)
{
  MtMediaSession *media = mt_call_get_media_session (self->call);
  MtCallState state = mt_call_get_state (self->call);
  g_autoptr(GString) text = g_string_new (NULL);
  MtStreamStats audio, video;

  if (mt_call_get_reconnecting (self->call) && mt_call_get_network_notice (self->call))
    g_string_append (text, mt_call_get_network_notice (self->call));   /* "Reconnecting…" */
  else if (media != NULL && (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD))
    {
      mt_media_session_get_stats (media, &audio, &video);
      if (audio.enabled)
        /* Translators: %s is how the sound goes: "direct", "via STUN", "via relay", "no ICE" */
        g_string_append_printf (text, _("Audio: %s"), path_text (&audio));
      if (video.enabled)
        {
          if (text->len > 0)
            g_string_append (text, " · ");
          /* Translators: %s is how the picture goes: "direct", "via STUN", "via relay", "no ICE" */
          g_string_append_printf (text, _("Video: %s"), path_text (&video));
        }
    }
  if (g_strcmp0 (gtk_label_get_label (self->path_label), text->str) != 0)
    gtk_label_set_label (self->path_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->path_label), text->len > 0);
}

/* The way GNOME apps show a secure connection: a lock in the header whose
 * tooltip says how; an open lock for a call in clear */
static void
update_security (MtCallWindow *self)
{
  MtCallState state = mt_call_get_state (self->call);
  MtMediaSession *media = mt_call_get_media_session (self->call);
  MtSrtpMode mode;
  const char *how;

  if ((state != MT_CALL_STATE_ACTIVE && state != MT_CALL_STATE_HELD) || media == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->security_icon), FALSE);
      return;
    }
  mode = mt_media_session_get_srtp_mode (media);
  if (mode == MT_SRTP_DTLS)
    how = _("This call is encrypted (SRTP, keys agreed with DTLS)");
  else if (mode == MT_SRTP_SDES)
    how = _("This call is encrypted (SRTP, keys sent over TLS)");
  else
    how = _("This call is not encrypted");
  gtk_image_set_from_icon_name (self->security_icon, mode != MT_SRTP_NONE
                                ? "channel-secure-symbolic" : "channel-insecure-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->security_icon), how);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->security_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, how, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->security_icon), TRUE);
}

/* ---- transfer ------------------------------------------------------------------ */

static gboolean
call_is_up (MtCallWindow *self)
{
  MtCallState state = mt_call_get_state (self->call);

  return state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD;
}

/* "Transfer to Carol" for each other call that is up */
static void
update_transfer_targets (MtCallWindow *self)
{
  MtApplication *app = MT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  GtkWidget *child;

  if (app == NULL)
    return;
  others = call_is_up (self) ? mt_application_dup_transfer_targets (app, self->call)
                             : g_ptr_array_new ();
  for (guint i = 0; i < others->len; i++)
    g_string_append_printf (key, "%s,", mt_call_get_id (g_ptr_array_index (others, i)));
  if (g_strcmp0 (key->str, self->targets_key) == 0)
    return;
  g_free (self->targets_key);
  self->targets_key = g_strdup (key->str);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->targets_box))))
    gtk_box_remove (self->targets_box, child);
  for (guint i = 0; i < others->len; i++)
    {
      MtCall *other = g_ptr_array_index (others, i);
      g_autofree char *name = mt_application_dup_caller_name (app, other);
      /* Translators: attended transfer: join this call's party and %s, the
       * party of our other call */
      g_autofree char *label = g_strdup_printf (_("Transfer to %s"), name);
      GtkWidget *button = gtk_button_new_with_label (label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "transfer.call");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", mt_call_get_id (other));
      gtk_box_append (self->targets_box, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->targets_box), others->len > 0);
}

static void
update_transfer (MtCallWindow *self)
{
  gboolean can = call_is_up (self) && !mt_call_get_transferring (self->call) &&
                 g_strcmp0 (mt_call_get_protocol (self->call), "sip") == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->transfer_button), can);
  gtk_widget_set_sensitive (self->transfer_panel, can);
  if (!can)
    gtk_toggle_button_set_active (self->transfer_button, FALSE);
  update_transfer_targets (self);
}

static void
show_transfer_status (MtCallWindow *self, const char *text)
{
  gtk_label_set_label (self->transfer_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->transfer_label), text != NULL);
}

/* "Transferring…" while the REFER is out; when it is over the call ended
 * (the state says "transferred") or goes on: the transfer failed */
static void
transferring_cb (MtCallWindow *self)
{
  if (mt_call_get_transferring (self->call))
    show_transfer_status (self, _("Transferring…"));
  else if (mt_call_get_state (self->call) == MT_CALL_STATE_ENDED)
    show_transfer_status (self, NULL);
  else
    show_transfer_status (self, _("The transfer failed"));
  update_transfer (self);
}

static void
clear_transfer_error (MtCallWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->transfer_error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->transfer_entry), "error");
}

#define MAX_SUGGESTIONS 3

/* a contact's address matches when it or the contact's name holds `typed` */
static const char *
matching_address (MtContact *contact, const char *typed)
{
  g_autofree char *name = g_utf8_casefold (mt_contact_get_name (contact), -1);
  const char * const *addresses = mt_contact_get_addresses (contact);
  gboolean by_name = strstr (name, typed) != NULL;

  for (guint i = 0; addresses && addresses[i]; i++)
    {
      g_autofree char *address = g_utf8_casefold (addresses[i], -1);

      if (by_name || strstr (address, typed))
        return addresses[i];
    }
  return NULL;
}

/* up to three contacts as buttons under the entry: one click puts the address in */
static void
update_suggestions (MtCallWindow *self)
{
  MtApplication *app = MT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry));
  g_autofree char *typed = g_utf8_casefold (g_strstrip (g_strdup (text)), -1);
  GListModel *model;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions_box))))
    gtk_box_remove (self->suggestions_box, child);
  model = app && *typed ? mt_contacts_get_model (mt_application_get_contacts (app)) : NULL;
  for (guint i = 0; model && i < g_list_model_get_n_items (model) && shown < MAX_SUGGESTIONS; i++)
    {
      g_autoptr(MtContact) contact = g_list_model_get_item (model, i);
      const char *address = mt_contact_get_builtin (contact) ? NULL
                            : matching_address (contact, typed);
      g_autofree char *label = NULL;
      GtkWidget *button;

      if (address == NULL || g_strcmp0 (address, text) == 0)
        continue;
      label = g_strdup_printf ("%s · %s", mt_contact_get_name (contact), address);
      button = gtk_button_new_with_label (label);
      gtk_widget_add_css_class (button, "flat");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "transfer.suggestion");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", address);
      gtk_box_append (self->suggestions_box, button);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_box), shown > 0);
}

static void
transfer_entry_changed_cb (MtCallWindow *self)
{
  clear_transfer_error (self);
  update_suggestions (self);
}

static void
transfer_suggestion_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtCallWindow *self = MT_CALL_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), g_variant_get_string (parameter, NULL));
  gtk_editable_set_position (GTK_EDITABLE (self->transfer_entry), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->transfer_entry));
}

/* the application checked the address and sent the REFER: the panel goes */
static void
transfer_asked (MtCallWindow *self)
{
  if (!mt_call_get_transferring (self->call))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");
  gtk_toggle_button_set_active (self->transfer_button, FALSE);
}

static void
transfer_address_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtCallWindow *self = MT_CALL_WINDOW (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry));

  clear_transfer_error (self);
  show_transfer_status (self, NULL);
  gtk_widget_activate_action (widget, "app.transfer", "(ss)", mt_call_get_id (self->call), text);
  transfer_asked (self);
}

static void
transfer_call_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MtCallWindow *self = MT_CALL_WINDOW (widget);

  clear_transfer_error (self);
  show_transfer_status (self, NULL);
  gtk_widget_activate_action (widget, "app.transfer-attended", "(ss)", mt_call_get_id (self->call),
                              g_variant_get_string (parameter, NULL));
  transfer_asked (self);
}

static void
transfer_entry_activate_cb (MtCallWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "transfer.address", NULL);
}

/* ---- the call's state ------------------------------------------------------------ */

static void
update (MtCallWindow *self)
{
  g_autofree char *text = state_text (self);
  MtCallState state = mt_call_get_state (self->call);

  gtk_label_set_label (self->state_label, text);
  gtk_widget_set_visible (self->incoming_box, state == MT_CALL_STATE_INCOMING);
  gtk_widget_set_visible (self->active_box, state != MT_CALL_STATE_INCOMING);
  gtk_widget_set_sensitive (self->active_box, state != MT_CALL_STATE_ENDED);
  update_transfer (self);
  update_video (self);
  update_path (self);
  update_security (self);
}

/* ---- what the buttons show: bound to the call's properties ------------------ */

static gboolean
hold_icon (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? "media-playback-start-symbolic"
                                                     : "media-playback-pause-symbolic");
  return TRUE;
}

/* "Resume" once we asked for a hold */
static gboolean
hold_label (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? _("Resume") : _("Hold"));
  return TRUE;
}

static gboolean
mute_icon (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? "microphone-disabled-symbolic"
                                                     : "audio-input-microphone-symbolic");
  return TRUE;
}

static gboolean
camera_icon (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? "camera-disabled-symbolic"
                                                     : "camera-web-symbolic");
  return TRUE;
}

static gboolean
is_sentence (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_boolean (to, text != NULL && *text != '\0');
  return TRUE;
}

/* the accessible name follows the tooltip: "Hold" or "Resume" */
static void
hold_changed_cb (MtCallWindow *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->hold_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (GTK_WIDGET (self->hold_button)),
                                  -1);
  update (self);
}

static void
bind_call (MtCallWindow *self)
{
  GBindingFlags flags = G_BINDING_SYNC_CREATE;

  g_object_bind_property_full (self->call, "hold", self->hold_button, "icon-name", flags,
                               hold_icon, NULL, NULL, NULL);
  g_object_bind_property_full (self->call, "hold", self->hold_button, "tooltip-text", flags,
                               hold_label, NULL, NULL, NULL);
  g_object_bind_property_full (self->call, "mic-muted", self->mute_button, "icon-name", flags,
                               mute_icon, NULL, NULL, NULL);
  g_object_bind_property_full (self->call, "camera-off", self->camera_button, "icon-name", flags,
                               camera_icon, NULL, NULL, NULL);
  /* "No camera was found, so this call is audio only.", a device that failed:
   * sentences from the core (translated there), shown above the call state */
  g_object_bind_property (self->call, "warning", self->notice_label, "label", flags);
  g_object_bind_property_full (self->call, "warning", self->notice_label, "visible", flags,
                               is_sentence, NULL, NULL, NULL);

  g_signal_connect_swapped (self->call, "notify::state", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->call, "notify::has-video", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->call, "notify::reconnecting", G_CALLBACK (update), self);
  /* a refused hold request flips it back without a state change */
  g_signal_connect_swapped (self->call, "notify::hold", G_CALLBACK (hold_changed_cb), self);
  g_signal_connect_swapped (self->call, "notify::camera-off", G_CALLBACK (update_video), self);
  g_signal_connect_swapped (self->call, "notify::transferring", G_CALLBACK (transferring_cb), self);
  hold_changed_cb (self);
}

/* ---- dial pad ------------------------------------------------------------------ */

#define MAX_KEYS_SHOWN 24

static void
append_key (GString *keys, const char *digit)
{
  g_string_append (keys, digit);
  if (keys->len > MAX_KEYS_SHOWN)
    g_string_erase (keys, 0, keys->len - MAX_KEYS_SHOWN);
}

static void
dtmf_cb (MtCallWindow *self, const char *digit, gboolean incoming, const char *method)
{
  if (!incoming)
    {
      append_key (self->keys_sent, digit);
      gtk_label_set_label (self->keys_label, self->keys_sent->str);
      return;
    }
  append_key (self->keys_received, digit);
  {
    g_autofree char *text = g_strdup_printf (_("They pressed %s"), self->keys_received->str);

    gtk_label_set_label (self->dtmf_label, text);
    gtk_widget_set_visible (GTK_WIDGET (self->dtmf_label), TRUE);
  }
}

/* 0-9, * and # typed while the window has the focus go out as DTMF */
static gboolean
key_pressed_cb (MtCallWindow *self, guint keyval, guint keycode, GdkModifierType state)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char digit[2] = { (char) c, '\0' };

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      !(g_ascii_isdigit (c) || c == '*' || c == '#'))
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "call.dtmf", "s", digit);
}

/* ---- call details: codec, bitrate, loss, jitter, round trip, frame rate ----------- */

static void
build_details (MtCallWindow *self)
{
  const char *titles[N_DETAILS] = {
    /* Translators: the rows of the call-details pane */
    N_("Codec"), N_("Bitrate"), N_("Packet loss"), N_("Jitter"), N_("Round trip"),
    N_("Frame rate"),
  };
  const char *columns[2] = { N_("Audio"), N_("Video") };

  for (guint c = 0; c < 2; c++)
    {
      GtkWidget *head = gtk_label_new (_(columns[c]));

      gtk_widget_add_css_class (head, "heading");
      gtk_label_set_xalign (GTK_LABEL (head), 1);
      gtk_grid_attach (self->details_grid, head, c + 1, 0, 1, 1);
    }
  for (guint r = 0; r < N_DETAILS; r++)
    {
      GtkWidget *title = gtk_label_new (_(titles[r]));

      gtk_widget_add_css_class (title, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_grid_attach (self->details_grid, title, 0, r + 1, 1, 1);
      for (guint c = 0; c < 2; c++)
        {
          self->details[r][c] = GTK_LABEL (gtk_label_new ("—"));
          gtk_label_set_xalign (self->details[r][c], 1);
          gtk_grid_attach (self->details_grid, GTK_WIDGET (self->details[r][c]), c + 1, r + 1, 1, 1);
        }
    }
}

static char *
detail_text (const MtStreamQuality *q, guint row, gboolean video)
{
  if (!q->enabled)
    return g_strdup ("—");
  switch (row)
    {
    case DETAIL_CODEC:
      return g_strdup (q->codec);
    case DETAIL_BITRATE:
      /* Translators: sent and received, kilobits per second */
      return g_strdup_printf (_("↑ %.0f ↓ %.0f kbit/s"), q->send_kbps, q->recv_kbps);
    case DETAIL_LOSS:
      return q->loss_percent < 0 ? g_strdup ("—") : g_strdup_printf ("%.1f %%", q->loss_percent);
    case DETAIL_JITTER:
      return g_strdup_printf (_("%.0f ms"), q->jitter_ms);
    case DETAIL_RTT:
      return q->rtt_ms > 0 ? g_strdup_printf (_("%.0f ms"), q->rtt_ms) : g_strdup ("—");
    case DETAIL_FPS:
    default:
      /* Translators: frames per second */
      return video ? g_strdup_printf (_("%.0f fps"), q->fps) : g_strdup ("—");
    }
}

static const char *
quality_icon (MtQualityLevel level)
{
  switch (level)
    {
    case MT_QUALITY_FAIR:
      return "network-cellular-signal-ok-symbolic";
    case MT_QUALITY_POOR:
      return "network-cellular-signal-weak-symbolic";
    case MT_QUALITY_GOOD:
    case MT_QUALITY_UNKNOWN:
    default:
      return "network-cellular-signal-excellent-symbolic";
    }
}

/* the verdict on the header button; its accessible name stays "Call details" */
static void
set_details_icon (MtCallWindow *self, const char *icon)
{
  if (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (self->details_button)), icon) == 0)
    return;
  gtk_button_set_icon_name (GTK_BUTTON (self->details_button), icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->details_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Call details"), -1);
}

/* once a second while the call is up: the verdict on the header button,
 * the numbers in the pane */
static void
update_details (MtCallWindow *self)
{
  MtStreamStats audio, video;
  const MtStreamQuality *streams[2];
  MtQualityLevel level;
  g_autofree char *reason = NULL;
  g_autofree char *verdict = NULL;

  mt_call_get_stats (self->call, &audio, &video);
  mt_call_quality_add_sample (self->quality, &audio, &video, g_get_monotonic_time ());
  level = mt_call_quality_get_level (self->quality);
  reason = mt_call_quality_dup_reason (self->quality);
  if (reason)
    /* Translators: call quality and why, e.g. "Poor: Packet loss 6 %" */
    verdict = g_strdup_printf (_("%s: %s"), mt_quality_level_to_sentence (level), reason);
  else
    verdict = g_strdup (mt_quality_level_to_sentence (level));
  set_details_icon (self, quality_icon (level));
  /* the numbers only while they are shown: no accessibility events for
   * labels nobody can see */
  if (!gtk_revealer_get_reveal_child (self->details_revealer))
    return;
  gtk_label_set_label (self->quality_label, verdict);
  streams[0] = mt_call_quality_get_audio (self->quality);
  streams[1] = mt_call_quality_get_video (self->quality);
  for (guint r = 0; r < N_DETAILS; r++)
    for (guint c = 0; c < 2; c++)
      {
        g_autofree char *text = detail_text (streams[c], r, c == 1);

        gtk_label_set_label (self->details[r][c], text);
      }
}

/* ---- lifetime ------------------------------------------------------------------ */

static gboolean
tick_cb (gpointer user_data)
{
  MtCallWindow *self = user_data;
  MtCallState state = mt_call_get_state (self->call);

  update (self);
  if (state == MT_CALL_STATE_ACTIVE || state == MT_CALL_STATE_HELD)
    update_details (self);
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

static gboolean
mt_call_window_close_request (GtkWindow *window)
{
  MtCallWindow *self = MT_CALL_WINDOW (window);

  /* closing an incoming-call view only hides it: the notification still rings */
  if (mt_call_get_state (self->call) == MT_CALL_STATE_INCOMING)
    {
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      return TRUE;
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "call.hangup", NULL);
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
  g_clear_object (&self->view);
  g_clear_object (&self->quality);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->targets_key, g_free);
  if (self->keys_sent)
    g_string_free (g_steal_pointer (&self->keys_sent), TRUE);
  if (self->keys_received)
    g_string_free (g_steal_pointer (&self->keys_received), TRUE);
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
  window_class->close_request = mt_call_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/MTMediaDev/MTAVIPClient/mt-call-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, video_stack);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, remote_picture);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, self_picture);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, address_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, path_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, security_icon);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, incoming_box);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, active_box);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, camera_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, hold_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, dial_pad);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, keys_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, dtmf_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, quality_label);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, details_grid);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, transfer_panel);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, targets_box);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, transfer_error);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, suggestions_box);
  gtk_widget_class_bind_template_child (widget_class, MtCallWindow, transfer_label);
  gtk_widget_class_bind_template_callback (widget_class, transfer_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, transfer_entry_changed_cb);
  gtk_widget_class_install_action (widget_class, "transfer.address", NULL, transfer_address_action);
  gtk_widget_class_install_action (widget_class, "transfer.call", "s", transfer_call_action);
  gtk_widget_class_install_action (widget_class, "transfer.suggestion", "s",
                                   transfer_suggestion_action);
}

static void
mt_call_window_init (MtCallWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->keys_sent = g_string_new (NULL);
  self->keys_received = g_string_new (NULL);
  self->quality = mt_call_quality_new ();
  build_details (self);
  /* "details.show": a stateful action, so the toggle works from the
   * keyboard and accessibility tools alike */
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
    g_autoptr(GPropertyAction) show = g_property_action_new ("show", self->details_revealer,
                                                             "reveal-child");

    g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (show));
    gtk_widget_insert_action_group (GTK_WIDGET (self), "details", G_ACTION_GROUP (group));
  }
  gtk_label_set_label (self->quality_label, mt_quality_level_to_sentence (MT_QUALITY_UNKNOWN));
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* the address, whether anybody checked it, and the protocol unless SIP */
static void
set_address (MtCallWindow *self, const char *uri)
{
  g_autofree char *address = NULL;

  if (mt_call_get_caller_verified (self->call))
    address = g_strdup (uri);
  else
    /* Translators: %s is the SIP address a caller claims, which nobody checked */
    address = g_strdup_printf (_("%s (not verified)"), uri);
  if (g_strcmp0 (mt_call_get_protocol (self->call), "h323") == 0)
    {
      g_autofree char *plain = g_steal_pointer (&address);

      address = g_strdup_printf ("%s · H.323", plain);
    }
  if (self->account)
    {
      g_autofree char *plain = g_steal_pointer (&address);
      const char *account = self->account;

      if (g_str_has_prefix (account, "sip:"))
        account += 4;
      /* Translators: the address of the other person, then the SIP account
       * of ours the call is on ("on bob@example.org") */
      address = g_strdup_printf (_("%s · on %s"), plain, account);
    }
  gtk_label_set_label (self->address_label, address);
}

MtCallWindow *
mt_call_window_new (MtApplication *app, MtCallView *view)
{
  MtCallWindow *self;
  g_autofree char *name = NULL;
  const char *uri;

  g_return_val_if_fail (MT_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (MT_IS_CALL_VIEW (view), NULL);

  self = g_object_new (MT_TYPE_CALL_WINDOW, "application", app, NULL);
  self->view = g_object_ref (view);
  self->call = g_object_ref (mt_call_view_get_call (view));
  self->remote = g_object_ref (mt_call_view_get_remote (view));
  self->self_view = g_object_ref (mt_call_view_get_self_view (view));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "call", mt_call_view_get_actions (view));

  self->account = g_strdup (mt_application_get_said_account (app, self->call));
  uri = mt_call_get_remote_uri (self->call);
  name = mt_application_dup_caller_name (app, self->call);
  gtk_window_set_title (GTK_WINDOW (self), name);
  gtk_label_set_label (self->name_label, name);
  set_address (self, uri);
  adw_avatar_set_text (self->avatar, name);
  gtk_picture_set_paintable (self->remote_picture, GDK_PAINTABLE (self->remote));
  gtk_image_set_from_paintable (self->self_picture, GDK_PAINTABLE (self->self_view));

  bind_call (self);
  g_signal_connect_swapped (self->call, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (self->call, "dtmf", G_CALLBACK (dtmf_cb), self);
  g_signal_connect_swapped (self->remote, "invalidate-size", G_CALLBACK (frame_cb), self);
  g_signal_connect_swapped (self->self_view, "invalidate-size", G_CALLBACK (frame_cb), self);
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  update (self);
  return self;
}

/**
 * mt_call_window_show_transfer_error:
 * @message: a sentence: the address is malformed, the transfer failed
 *
 * A transfer asked for in this window could not start: the panel shows why.
 */
void
mt_call_window_show_transfer_error (MtCallWindow *self, const char *message)
{
  g_return_if_fail (MT_IS_CALL_WINDOW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_label (self->transfer_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->transfer_error), TRUE);
  if (gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry))[0] != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->transfer_entry), "error");
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->transfer_button)))
    gtk_toggle_button_set_active (self->transfer_button, TRUE);
}

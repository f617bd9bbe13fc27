/* mt-ringtone.c: a ringing tone while a call comes in
 *
 * A generated ring (440 Hz, one second on, two off) through the configured
 * audio output: audiotestsrc ! volume ! audioconvert ! audioresample ! SINK;
 * or, while a second call comes in during a call, a soft call-waiting tone
 * (425 Hz at a third of the volume, 300 ms every 3 s, like the ITU-T E.180
 * waiting tone) that does not drown the conversation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-ringtone"

#include "config.h"

#include "mt-ringtone.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

typedef struct {
  guint  freq;
  double volume;
  guint  on_ms;
  guint  off_ms;
} Tone;

static const Tone tones[] = {
  [MT_RINGTONE_RING]    = { 440, 0.3, 1000, 2000 },
  [MT_RINGTONE_WAITING] = { 425, 0.1, 300, 2700 },
};

struct _MtRingtone
{
  GObject     parent_instance;
  char       *sink;
  GstElement *pipeline;
  GstElement *volume;
  guint       cadence_id;
  gboolean    sounding;
  MtRingtoneKind kind;
};

G_DEFINE_FINAL_TYPE (MtRingtone, mt_ringtone, G_TYPE_OBJECT)

static gboolean
have_taginject (void)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find ("taginject");

  return factory != NULL;
}

/* the sound server shows the title as the stream's name (PulseAudio's
 * media.name): a person's sound settings say what is playing */
static void
set_title (GstElement *pipeline, const char *title)
{
  g_autoptr(GstElement) inject = gst_bin_get_by_name (GST_BIN (pipeline), "ringtitle");
  g_autofree char *escaped = g_strescape (title, NULL);
  g_autofree char *tags = g_strdup_printf ("title=\"%s\"", escaped);

  if (inject)
    g_object_set (inject, "tags", tags, NULL);
}

static gboolean
cadence_cb (gpointer user_data)
{
  MtRingtone *self = user_data;

  const Tone *tone = &tones[self->kind];

  self->sounding = !self->sounding;
  g_object_set (self->volume, "mute", !self->sounding, NULL);
  self->cadence_id = g_timeout_add (self->sounding ? tone->on_ms : tone->off_ms, cadence_cb, self);
  return G_SOURCE_REMOVE;
}

void
mt_ringtone_start (MtRingtone *self)
{
  mt_ringtone_start_kind (self, MT_RINGTONE_RING);
}

void
mt_ringtone_start_kind (MtRingtone *self, MtRingtoneKind kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *desc = NULL;
  char volume[G_ASCII_DTOSTR_BUF_SIZE];
  const Tone *tone;

  g_return_if_fail (MT_IS_RINGTONE (self));
  g_return_if_fail (kind == MT_RINGTONE_RING || kind == MT_RINGTONE_WAITING);
  if (self->pipeline && self->kind == kind)
    return;
  mt_ringtone_stop (self);
  self->kind = kind;
  tone = &tones[kind];
  desc = g_strdup_printf ("audiotestsrc wave=sine freq=%u volume=%s is-live=true ! %s"
                          "volume name=ringvolume ! audioconvert ! audioresample ! %s",
                          tone->freq, g_ascii_dtostr (volume, sizeof volume, tone->volume),
                          have_taginject () ? "taginject name=ringtitle ! " : "", self->sink);
  self->pipeline = gst_parse_launch (desc, &error);
  if (self->pipeline == NULL)
    {
      g_warning ("No ringtone: %s", error->message);
      return;
    }
  self->volume = gst_bin_get_by_name (GST_BIN (self->pipeline), "ringvolume");
  set_title (self->pipeline, kind == MT_RINGTONE_RING ? _("Incoming call") : _("Call waiting"));
  self->sounding = TRUE;
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  self->cadence_id = g_timeout_add (tone->on_ms, cadence_cb, self);
  g_debug (kind == MT_RINGTONE_RING ? "ringing" : "call-waiting tone");
}

void
mt_ringtone_stop (MtRingtone *self)
{
  g_return_if_fail (MT_IS_RINGTONE (self));
  g_clear_handle_id (&self->cadence_id, g_source_remove);
  if (self->pipeline)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_debug ("ringing stopped");
    }
  g_clear_object (&self->volume);
  g_clear_object (&self->pipeline);
}

MtRingtoneKind
mt_ringtone_get_kind (MtRingtone *self)
{
  g_return_val_if_fail (MT_IS_RINGTONE (self), MT_RINGTONE_NONE);
  return self->pipeline ? self->kind : MT_RINGTONE_NONE;
}

gboolean
mt_ringtone_is_playing (MtRingtone *self)
{
  g_return_val_if_fail (MT_IS_RINGTONE (self), FALSE);
  return self->pipeline != NULL;
}

void
mt_ringtone_set_sink (MtRingtone *self, const char *sink)
{
  g_return_if_fail (MT_IS_RINGTONE (self));
  g_free (self->sink);
  self->sink = g_strdup (sink ? sink : "autoaudiosink");
}

static void
mt_ringtone_dispose (GObject *object)
{
  mt_ringtone_stop (MT_RINGTONE (object));
  G_OBJECT_CLASS (mt_ringtone_parent_class)->dispose (object);
}

static void
mt_ringtone_finalize (GObject *object)
{
  g_free (MT_RINGTONE (object)->sink);
  G_OBJECT_CLASS (mt_ringtone_parent_class)->finalize (object);
}

static void
mt_ringtone_class_init (MtRingtoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mt_ringtone_dispose;
  object_class->finalize = mt_ringtone_finalize;
}

static void
mt_ringtone_init (MtRingtone *self)
{
}

MtRingtone *
mt_ringtone_new (const char *sink)
{
  MtRingtone *self = g_object_new (MT_TYPE_RINGTONE, NULL);

  mt_ringtone_set_sink (self, sink);
  return self;
}

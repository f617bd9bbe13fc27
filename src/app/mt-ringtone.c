/* mt-ringtone.c: a ringing tone while a call comes in
 *
 * A generated two-tone ring (one second on, two off) through the configured
 * audio output: audiotestsrc ! volume ! audioconvert ! audioresample ! SINK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-ringtone"

#include "mt-ringtone.h"

#include <gst/gst.h>

#define RING_ON_MS 1000
#define RING_OFF_MS 2000

struct _MtRingtone
{
  GObject     parent_instance;
  char       *sink;
  GstElement *pipeline;
  GstElement *volume;
  guint       cadence_id;
  gboolean    sounding;
};

G_DEFINE_FINAL_TYPE (MtRingtone, mt_ringtone, G_TYPE_OBJECT)

static gboolean
cadence_cb (gpointer user_data)
{
  MtRingtone *self = user_data;

  self->sounding = !self->sounding;
  g_object_set (self->volume, "mute", !self->sounding, NULL);
  self->cadence_id = g_timeout_add (self->sounding ? RING_ON_MS : RING_OFF_MS, cadence_cb, self);
  return G_SOURCE_REMOVE;
}

void
mt_ringtone_start (MtRingtone *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *desc = NULL;

  g_return_if_fail (MT_IS_RINGTONE (self));
  if (self->pipeline)
    return;
  desc = g_strdup_printf ("audiotestsrc wave=sine freq=440 volume=0.3 is-live=true ! "
                          "volume name=ringvolume ! audioconvert ! audioresample ! %s",
                          self->sink);
  self->pipeline = gst_parse_launch (desc, &error);
  if (self->pipeline == NULL)
    {
      g_warning ("No ringtone: %s", error->message);
      return;
    }
  self->volume = gst_bin_get_by_name (GST_BIN (self->pipeline), "ringvolume");
  self->sounding = TRUE;
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  self->cadence_id = g_timeout_add (RING_ON_MS, cadence_cb, self);
  g_debug ("ringing");
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

/* mt-media-tuning.c: call-sized settings for the elements of a call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media"

#include "mt-media-tuning.h"

#include <math.h>
#include <string.h>

/* Set an int64 property when it still has its default value */
static gboolean
set_if_default (GstElement *element, const char *name, gint64 value)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (element), name);
  gint64 now = 0;

  if (pspec == NULL || pspec->value_type != G_TYPE_INT64)
    return FALSE;
  g_object_get (element, name, &now, NULL);
  if (now == value || now != G_PARAM_SPEC_INT64 (pspec)->default_value)
    return FALSE;
  g_object_set (element, name, value, NULL);
  return TRUE;
}

gboolean
mt_media_tune_audio_device (GstElement *element)
{
  GstElementFactory *factory;
  const char *klass;
  gboolean sink, changed;

  g_return_val_if_fail (GST_IS_ELEMENT (element), FALSE);

  factory = gst_element_get_factory (element);
  klass = factory ? gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS) : NULL;
  if (klass == NULL || strstr (klass, "Audio") == NULL ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (element), "buffer-time") == NULL)
    return FALSE;
  sink = strstr (klass, "Sink") != NULL;
  changed = set_if_default (element, "latency-time", MT_AUDIO_LATENCY_TIME_US);
  changed |= set_if_default (element, "buffer-time",
                             sink ? MT_AUDIO_SINK_BUFFER_TIME_US : MT_AUDIO_SRC_BUFFER_TIME_US);
  if (changed)
    g_debug ("%s: sized for calls", GST_OBJECT_NAME (element));
  return changed;
}

guint
mt_media_next_jitter_latency (guint  current_ms,
                              double jitter_ms,
                              guint  margin_ms,
                              guint  min_ms,
                              guint  max_ms)
{
  double want = 3.0 * MAX (jitter_ms, 0.0) + margin_ms;
  guint next = MAX (current_ms, (guint) ceil (want));

  return CLAMP (next, min_ms, MAX (min_ms, max_ms));
}

/* mt-video-paintable.c: GStreamer appsink -> GdkPaintable
 *
 * The appsink's "new-sample" callback runs on a streaming thread. It only
 * stores the sample (the latest one wins; an older one not yet taken is
 * dropped) and schedules one idle on the main context. The idle wraps the
 * mapped buffer in a GdkMemoryTexture (GBytes over the GstBuffer's memory,
 * the buffer kept alive by the GBytes: no copy here) and invalidates the
 * paintable. GTK is only ever touched on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-video-paintable"

#include "mt-video-paintable.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

struct _MtVideoPaintable
{
  GObject     parent_instance;

  GMutex      lock;           /* protects pending, idle_pending, dropped */
  GstSample  *pending;
  gboolean    idle_pending;
  guint64     dropped;

  GdkTexture *texture;        /* main thread only from here on */
  GdkTexture *last_drawn;     /* not a ref: identity only */
  guint64     received;
  guint64     shown;
};

static void mt_video_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MtVideoPaintable, mt_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      mt_video_paintable_iface_init))

enum {
  PROP_0,
  PROP_FRAMES_RECEIVED,
  PROP_FRAMES_SHOWN,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

typedef struct {
  GstBuffer  *buffer;
  GstMapInfo  map;
} MappedBuffer;

static void
mapped_buffer_free (gpointer data)
{
  MappedBuffer *mapped = data;

  gst_buffer_unmap (mapped->buffer, &mapped->map);
  gst_buffer_unref (mapped->buffer);
  g_free (mapped);
}

static GdkTexture *
texture_from_sample (GstSample *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  GstVideoMeta *meta;
  MappedBuffer *mapped;
  g_autoptr(GBytes) bytes = NULL;
  gsize stride, offset = 0;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps))
    return NULL;
  stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  meta = gst_buffer_get_video_meta (buffer);
  if (meta)
    {
      stride = meta->stride[0];
      offset = meta->offset[0];
    }

  mapped = g_new0 (MappedBuffer, 1);
  mapped->buffer = gst_buffer_ref (buffer);
  if (!gst_buffer_map (buffer, &mapped->map, GST_MAP_READ))
    {
      gst_buffer_unref (mapped->buffer);
      g_free (mapped);
      return NULL;
    }
  if (mapped->map.size < offset + stride * GST_VIDEO_INFO_HEIGHT (&info))
    {
      mapped_buffer_free (mapped);
      return NULL;
    }
  bytes = g_bytes_new_with_free_func (mapped->map.data + offset,
                                      stride * GST_VIDEO_INFO_HEIGHT (&info),
                                      mapped_buffer_free, mapped);
  return gdk_memory_texture_new (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                                 GDK_MEMORY_R8G8B8A8, bytes, stride);
}

static gboolean
show_pending_cb (gpointer user_data)
{
  MtVideoPaintable *self = user_data;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gboolean resized;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->pending);
  self->idle_pending = FALSE;
  g_mutex_unlock (&self->lock);

  if (sample == NULL || !(texture = texture_from_sample (sample)))
    return G_SOURCE_REMOVE;

  resized = self->texture == NULL ||
            gdk_texture_get_width (self->texture) != gdk_texture_get_width (texture) ||
            gdk_texture_get_height (self->texture) != gdk_texture_get_height (texture);
  g_set_object (&self->texture, texture);
  self->received++;
  if (resized)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  return G_SOURCE_REMOVE;
}

/* streaming thread */
static GstFlowReturn
new_sample_cb (GstAppSink *sink, gpointer user_data)
{
  MtVideoPaintable *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean schedule;

  if (sample == NULL)
    return GST_FLOW_OK;
  g_mutex_lock (&self->lock);
  if (self->pending)
    {
      gst_sample_unref (self->pending);
      self->dropped++;
    }
  self->pending = sample;
  schedule = !self->idle_pending;
  self->idle_pending = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_pending_cb,
                                g_object_ref (self), g_object_unref);
  return GST_FLOW_OK;
}

GstElement *
mt_video_paintable_create_sink (MtVideoPaintable *self)
{
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };
  g_autoptr(GstCaps) caps = NULL;
  GstElement *bin, *convert, *sink;
  GstPad *pad;

  g_return_val_if_fail (MT_IS_VIDEO_PAINTABLE (self), NULL);

  bin = gst_bin_new (NULL);
  convert = gst_element_factory_make ("videoconvert", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGBA", NULL);
  g_object_set (sink, "caps", caps, "max-buffers", 1, "drop", TRUE, "sync", FALSE,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, g_object_ref (self),
                              g_object_unref);
  gst_bin_add_many (GST_BIN (bin), convert, sink, NULL);
  gst_element_link (convert, sink);
  pad = gst_element_get_static_pad (convert, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  return bin;
}

static void
mt_video_paintable_snapshot (GdkPaintable *paintable,
                             GdkSnapshot  *snapshot,
                             double        width,
                             double        height)
{
  MtVideoPaintable *self = MT_VIDEO_PAINTABLE (paintable);

  if (self->texture == NULL)
    return;
  if (self->texture != self->last_drawn)
    {
      self->last_drawn = self->texture;
      self->shown++;
    }
  gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static int
mt_video_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  MtVideoPaintable *self = MT_VIDEO_PAINTABLE (paintable);

  return self->texture ? gdk_texture_get_width (self->texture) : 0;
}

static int
mt_video_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  MtVideoPaintable *self = MT_VIDEO_PAINTABLE (paintable);

  return self->texture ? gdk_texture_get_height (self->texture) : 0;
}

static GdkPaintable *
mt_video_paintable_get_current_image (GdkPaintable *paintable)
{
  MtVideoPaintable *self = MT_VIDEO_PAINTABLE (paintable);

  if (self->texture)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (0, 0);
}

static void
mt_video_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = mt_video_paintable_snapshot;
  iface->get_intrinsic_width = mt_video_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = mt_video_paintable_get_intrinsic_height;
  iface->get_current_image = mt_video_paintable_get_current_image;
}

static void
mt_video_paintable_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  MtVideoPaintable *self = MT_VIDEO_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_FRAMES_RECEIVED:
      g_value_set_uint64 (value, self->received);
      break;
    case PROP_FRAMES_SHOWN:
      g_value_set_uint64 (value, self->shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mt_video_paintable_finalize (GObject *object)
{
  MtVideoPaintable *self = MT_VIDEO_PAINTABLE (object);

  g_clear_pointer (&self->pending, gst_sample_unref);
  g_clear_object (&self->texture);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (mt_video_paintable_parent_class)->finalize (object);
}

static void
mt_video_paintable_class_init (MtVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mt_video_paintable_get_property;
  object_class->finalize = mt_video_paintable_finalize;

  props[PROP_FRAMES_RECEIVED] =
    g_param_spec_uint64 ("frames-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  props[PROP_FRAMES_SHOWN] =
    g_param_spec_uint64 ("frames-shown", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
mt_video_paintable_init (MtVideoPaintable *self)
{
  g_mutex_init (&self->lock);
}

MtVideoPaintable *
mt_video_paintable_new (void)
{
  return g_object_new (MT_TYPE_VIDEO_PAINTABLE, NULL);
}

guint64
mt_video_paintable_get_frames_received (MtVideoPaintable *self)
{
  g_return_val_if_fail (MT_IS_VIDEO_PAINTABLE (self), 0);
  return self->received;
}

guint64
mt_video_paintable_get_frames_shown (MtVideoPaintable *self)
{
  g_return_val_if_fail (MT_IS_VIDEO_PAINTABLE (self), 0);
  return self->shown;
}


gboolean
mt_video_paintable_has_frame (MtVideoPaintable *self)
{
  g_return_val_if_fail (MT_IS_VIDEO_PAINTABLE (self), FALSE);
  return self->texture != NULL;
}

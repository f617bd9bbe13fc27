/* mt-video-paintable.h: GStreamer appsink -> GdkPaintable, without blocking the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define MT_TYPE_VIDEO_PAINTABLE (mt_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (MtVideoPaintable, mt_video_paintable, MT, VIDEO_PAINTABLE, GObject)

MtVideoPaintable *mt_video_paintable_new             (void);
/* A new sink element (floating) feeding this paintable: videoconvert ! appsink */
GstElement       *mt_video_paintable_create_sink     (MtVideoPaintable *self);
/* frames turned into textures on the main thread */
guint64           mt_video_paintable_get_frames_received (MtVideoPaintable *self);
/* distinct frames GTK actually drew (snapshotted) */
guint64           mt_video_paintable_get_frames_shown    (MtVideoPaintable *self);
gboolean          mt_video_paintable_has_frame           (MtVideoPaintable *self);

G_END_DECLS

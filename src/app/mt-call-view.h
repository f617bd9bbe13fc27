/* mt-call-view.h: what the application keeps for one call: its video
 * paintables, whether it rings, its window, and its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mt-application.h"
#include "mt-call.h"
#include "mt-video-paintable.h"

G_BEGIN_DECLS

#define MT_TYPE_CALL_VIEW (mt_call_view_get_type ())
G_DECLARE_FINAL_TYPE (MtCallView, mt_call_view, MT, CALL_VIEW, GObject)

/* `video_in_window` FALSE: the remote video goes to the configured sink */
MtCallView       *mt_call_view_new            (MtApplication *app,
                                               MtCall        *call,
                                               gboolean       video_in_window);
MtCall           *mt_call_view_get_call       (MtCallView *self);
MtVideoPaintable *mt_call_view_get_remote     (MtCallView *self);
MtVideoPaintable *mt_call_view_get_self_view  (MtCallView *self);
/* The one route for everything a person does to a call: "hangup", "answer",
 * "decline", and the stateful "hold", "mute", "camera-off" (their state
 * follows the call's "hold", "mic-muted" and "camera-off"). The call window
 * has them as "call.*"; the app.answer etc. actions activate them. */
GActionGroup     *mt_call_view_get_actions    (MtCallView *self);
/* incoming and not yet answered or declined: the "ringing" property */
gboolean          mt_call_view_get_ringing    (MtCallView *self);
void              mt_call_view_set_ringing    (MtCallView *self, gboolean ringing);
/* the call window, or NULL before it is made and once it is gone */
GtkWindow        *mt_call_view_get_window     (MtCallView *self);
/* make the window (hidden) if there is none */
GtkWindow        *mt_call_view_ensure_window  (MtCallView *self);
void              mt_call_view_present        (MtCallView *self);

G_END_DECLS

/* mt-call-window.h: one call: video, self view, state, mute / camera / hang up;
 * while a call comes in, the incoming-call view (Answer / Decline); the
 * dial pad and the transfer panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-application.h"
#include "mt-call-view.h"

G_BEGIN_DECLS

#define MT_TYPE_CALL_WINDOW (mt_call_window_get_type ())
G_DECLARE_FINAL_TYPE (MtCallWindow, mt_call_window, MT, CALL_WINDOW, AdwWindow)

/* the window of `view`'s call; its buttons are the view's actions */
MtCallWindow *mt_call_window_new (MtApplication *app,
                                  MtCallView    *view);
/* a transfer asked for in this window could not start: say why there */
void          mt_call_window_show_transfer_error (MtCallWindow *self,
                                                  const char   *message);

G_END_DECLS

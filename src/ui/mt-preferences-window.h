/* mt-preferences-window.h: account, devices, video size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-application.h"

G_BEGIN_DECLS

#define MT_TYPE_PREFERENCES_WINDOW (mt_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (MtPreferencesWindow, mt_preferences_window, MT, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *mt_preferences_window_new (MtApplication *app);

G_END_DECLS

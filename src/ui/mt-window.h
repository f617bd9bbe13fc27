/* mt-window.h: the main window: contacts, history, "call an address"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-application.h"

G_BEGIN_DECLS

#define MT_TYPE_WINDOW (mt_window_get_type ())
G_DECLARE_FINAL_TYPE (MtWindow, mt_window, MT, WINDOW, AdwApplicationWindow)

MtWindow *mt_window_new           (MtApplication *application);
/* put an address in the "call an address" entry (sip: links), never call */
void      mt_window_set_dial_text (MtWindow *self, const char *text);
/* a sip:/sips:/tel: link: the address normalized and ready to call (a tel:
 * number joins the account's domain), or the sentence saying what is missing */
void      mt_window_open_address  (MtWindow *self, const char *address);
void      mt_window_show_history  (MtWindow *self);
void      mt_window_show_message  (MtWindow *self, const char *message);
/* why a call to `target` (what was typed, or a contact's address) could not
 * be placed: under the call entry, for every way of calling */
void      mt_window_show_call_error (MtWindow   *self,
                                     const char *target,
                                     const char *message);

G_END_DECLS

/* mt-account-editor.h: one further SIP account in the Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-application.h"

G_BEGIN_DECLS

#define MT_TYPE_ACCOUNT_EDITOR (mt_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (MtAccountEditor, mt_account_editor, MT, ACCOUNT_EDITOR, GtkBox)

/* @id: a further account's id ("accounts"), or NULL for a new account */
GtkWidget *mt_account_editor_new (MtApplication *app,
                                  const char    *id);

G_END_DECLS

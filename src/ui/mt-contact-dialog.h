/* mt-contact-dialog.h: add or edit a contact (name, one or more SIP addresses)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-application.h"

G_BEGIN_DECLS

#define MT_TYPE_CONTACT_DIALOG (mt_contact_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MtContactDialog, mt_contact_dialog, MT, CONTACT_DIALOG, AdwWindow)

/* contact NULL: a new one. Addresses are read as calls read them
 * (mt_application_dup_target_uri(): "bob" and tel: numbers take the
 * account's domain) and saved as SIP URIs. */
MtContactDialog *mt_contact_dialog_new (GtkWindow     *parent,
                                        MtApplication *app,
                                        MtContact     *contact);

G_END_DECLS

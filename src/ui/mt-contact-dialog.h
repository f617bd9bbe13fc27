/* mt-contact-dialog.h: add or edit a contact (name, one or more SIP addresses)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "mt-contacts.h"

G_BEGIN_DECLS

#define MT_TYPE_CONTACT_DIALOG (mt_contact_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MtContactDialog, mt_contact_dialog, MT, CONTACT_DIALOG, AdwWindow)

/* contact NULL: a new one. default_domain: for "bob" and tel: numbers, may be NULL */
MtContactDialog *mt_contact_dialog_new (GtkWindow  *parent,
                                        MtContacts *contacts,
                                        MtContact  *contact,
                                        const char *default_domain);

G_END_DECLS

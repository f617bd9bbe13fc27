/* mt-contact-row.h: a contact in the list, with audio and video call buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "mt-contact.h"

G_BEGIN_DECLS

#define MT_TYPE_CONTACT_ROW (mt_contact_row_get_type ())
G_DECLARE_FINAL_TYPE (MtContactRow, mt_contact_row, MT, CONTACT_ROW, GtkWidget)

MtContactRow *mt_contact_row_new         (void);
void          mt_contact_row_set_contact (MtContactRow *self, MtContact *contact);

G_END_DECLS

/* mt-network-page.h: the "Network" page of the preferences (STUN and TURN)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MT_TYPE_NETWORK_PAGE (mt_network_page_get_type ())
G_DECLARE_FINAL_TYPE (MtNetworkPage, mt_network_page, MT, NETWORK_PAGE, AdwPreferencesPage)

/* the settings of the running MtApplication */
GtkWidget *mt_network_page_new (void);

G_END_DECLS

/* mt-sip-status.h: what a final SIP response means for a person
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sofia-sip/sip.h>

#include "mt-enums.h"

G_BEGIN_DECLS

/* FALSE for a response nta made up (transport error, timeout) */
gboolean    mt_sip_response_from_peer (const sip_t *sip);

/* Why a request failed, from its final status (>= 300): the one table for
 * calls (method sip_method_invite) and registration (sip_method_register).
 * `sip` is the response, NULL when there is none. */
MtEndReason mt_sip_status_to_reason (int           status,
                                     const sip_t  *sip,
                                     sip_method_t  method);

G_END_DECLS

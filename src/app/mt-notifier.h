/* mt-notifier.h: desktop notifications for incoming and missed calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-call.h"

G_BEGIN_DECLS

#define MT_TYPE_NOTIFIER (mt_notifier_get_type ())
G_DECLARE_FINAL_TYPE (MtNotifier, mt_notifier, MT, NOTIFIER, GObject)

MtNotifier *mt_notifier_new             (GApplication *application);
/* urgent, with Answer (app.answer::ID) and Decline (app.decline::ID) */
/* `account`: the account it came in on, said when not NULL */
void        mt_notifier_incoming_call   (MtNotifier *self, MtCall *call, const char *caller,
                                         const char *account);
void        mt_notifier_withdraw_call   (MtNotifier *self, MtCall *call);
/* "Missed call" with "Call back" (app.call::URI) */
void        mt_notifier_missed_call     (MtNotifier *self, MtCall *call, const char *caller);

/* "Incoming video call", or "Incoming call on bob@example.org" */
char       *mt_incoming_call_text       (MtCall *call, const char *account);

G_END_DECLS

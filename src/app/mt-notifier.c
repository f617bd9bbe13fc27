/* mt-notifier.c: desktop notifications for incoming and missed calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-notifier"

#include "config.h"

#include "mt-notifier.h"

#include <glib/gi18n.h>

struct _MtNotifier
{
  GObject       parent_instance;
  GApplication *application;  /* not a ref: the application owns us */
};

G_DEFINE_FINAL_TYPE (MtNotifier, mt_notifier, G_TYPE_OBJECT)

static void
mt_notifier_class_init (MtNotifierClass *klass)
{
}

static void
mt_notifier_init (MtNotifier *self)
{
}

MtNotifier *
mt_notifier_new (GApplication *application)
{
  MtNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  self = g_object_new (MT_TYPE_NOTIFIER, NULL);
  self->application = application;
  return self;
}

char *
mt_incoming_call_text (MtCall *call, const char *account)
{
  gboolean video;

  g_return_val_if_fail (MT_IS_CALL (call), NULL);
  video = mt_call_get_has_video (call);
  if (account == NULL)
    return g_strdup (video ? _("Incoming video call") : _("Incoming call"));
  if (g_str_has_prefix (account, "sip:"))
    account += 4;
  /* Translators: %s is the SIP account the call came in on, e.g. bob@example.org */
  return g_strdup_printf (video ? _("Incoming video call on %s") : _("Incoming call on %s"),
                          account);
}

static char *
incoming_id (MtCall *call)
{
  return g_strdup_printf ("incoming-%s", mt_call_get_id (call));
}

void
mt_notifier_incoming_call (MtNotifier *self, MtCall *call, const char *caller, const char *account)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  const char *call_id;

  g_return_if_fail (MT_IS_NOTIFIER (self));
  g_return_if_fail (MT_IS_CALL (call));

  call_id = mt_call_get_id (call);
  body = mt_incoming_call_text (call, account);
  notification = g_notification_new (caller);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_category (notification, "call.incoming");
  g_notification_set_default_action_and_target (notification, "app.show-call", "s", call_id);
  g_notification_add_button_with_target (notification, _("Answer"), "app.answer", "s", call_id);
  g_notification_add_button_with_target (notification, _("Decline"), "app.decline", "s", call_id);
  id = incoming_id (call);
  g_application_send_notification (self->application, id, notification);
  g_debug ("notified incoming call %s from %s", call_id, caller);
}

void
mt_notifier_withdraw_call (MtNotifier *self, MtCall *call)
{
  g_autofree char *id = NULL;

  g_return_if_fail (MT_IS_NOTIFIER (self));
  g_return_if_fail (MT_IS_CALL (call));
  id = incoming_id (call);
  g_application_withdraw_notification (self->application, id);
}

void
mt_notifier_missed_call (MtNotifier *self, MtCall *call, const char *caller)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (MT_IS_NOTIFIER (self));
  g_return_if_fail (MT_IS_CALL (call));

  notification = g_notification_new (_("Missed call"));
  g_notification_set_body (notification, caller);
  g_notification_set_category (notification, "call.unanswered");
  g_notification_set_default_action_and_target (notification, "app.show-history", NULL, NULL);
  g_notification_add_button_with_target (notification, _("Call back"), "app.call", "s",
                                         mt_call_get_remote_uri (call));
  id = g_strdup_printf ("missed-%s", mt_call_get_id (call));
  g_application_send_notification (self->application, id, notification);
}

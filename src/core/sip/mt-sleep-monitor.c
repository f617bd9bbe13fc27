/* mt-sleep-monitor.c: the machine suspending and resuming (logind)
 *
 * logind sends PrepareForSleep(true) before a suspend and PrepareForSleep(false)
 * after the resume.  A registration made before the suspend may have lapsed
 * (or the registrar forgotten us) while the machine slept, and its refresh
 * timer fired late or not at all: MtAccount registers again on "resumed".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-sleep-monitor"

#include "mt-sleep-monitor.h"

#define LOGIN1_NAME      "org.freedesktop.login1"
#define LOGIN1_PATH      "/org/freedesktop/login1"
#define LOGIN1_INTERFACE "org.freedesktop.login1.Manager"

struct _MtSleepMonitor
{
  GObject          parent_instance;

  GCancellable    *cancellable;
  GDBusConnection *bus;
  guint            subscription_id;
};

G_DEFINE_FINAL_TYPE (MtSleepMonitor, mt_sleep_monitor, G_TYPE_OBJECT)

enum {
  SIGNAL_SUSPENDING,
  SIGNAL_RESUMED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
prepare_for_sleep_cb (GDBusConnection *bus,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  MtSleepMonitor *self = user_data;
  gboolean going_to_sleep;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &going_to_sleep);
  g_message ("logind: %s", going_to_sleep ? "suspending" : "resumed");
  g_signal_emit (self, signals[going_to_sleep ? SIGNAL_SUSPENDING : SIGNAL_RESUMED], 0);
}

static void
bus_ready_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MtSleepMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      /* a container, a minimal session: no suspend/resume to follow */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("no system bus, not following suspend/resume: %s", error->message);
      return;
    }
  self->bus = bus;
  self->subscription_id =
    g_dbus_connection_signal_subscribe (bus, LOGIN1_NAME, LOGIN1_INTERFACE, "PrepareForSleep",
                                        LOGIN1_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prepare_for_sleep_cb, self, NULL);
  g_debug ("following logind's PrepareForSleep");
}

static void
mt_sleep_monitor_dispose (GObject *object)
{
  MtSleepMonitor *self = MT_SLEEP_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->subscription_id)
    g_dbus_connection_signal_unsubscribe (self->bus, self->subscription_id);
  self->subscription_id = 0;
  g_clear_object (&self->bus);
  G_OBJECT_CLASS (mt_sleep_monitor_parent_class)->dispose (object);
}

static void
mt_sleep_monitor_class_init (MtSleepMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mt_sleep_monitor_dispose;

  /* PrepareForSleep(true): the machine is about to suspend */
  signals[SIGNAL_SUSPENDING] =
    g_signal_new ("suspending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* PrepareForSleep(false): the machine woke up */
  signals[SIGNAL_RESUMED] =
    g_signal_new ("resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mt_sleep_monitor_init (MtSleepMonitor *self)
{
  self->cancellable = g_cancellable_new ();
}

MtSleepMonitor *
mt_sleep_monitor_new (void)
{
  MtSleepMonitor *self = g_object_new (MT_TYPE_SLEEP_MONITOR, NULL);

  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, bus_ready_cb, g_object_ref (self));
  return self;
}

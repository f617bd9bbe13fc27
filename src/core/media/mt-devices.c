/* mt-devices.c: the cameras, microphones and speakers this machine has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-devices"

#include "mt-devices.h"

#include <gst/gst.h>

static const struct {
  MtDeviceKind  kind;
  const char   *klass;
} kinds[] = {
  { MT_DEVICE_CAMERA, "Video/Source" },
  { MT_DEVICE_MICROPHONE, "Audio/Source" },
  { MT_DEVICE_SPEAKER, "Audio/Sink" },
};

void
mt_device_free (MtDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->name);
  g_free (device);
}

/* the element's own name for it (PipeWire, PulseAudio), or its device node */
static char *
device_id (GstDevice *device)
{
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  const char *path;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (device), "internal-name"))
    {
      char *name = NULL;

      g_object_get (device, "internal-name", &name, NULL);
      if (name)
        return name;
    }
  if (props && (path = gst_structure_get_string (props, "api.v4l2.path")))
    return g_strdup (path);
  if (props && (path = gst_structure_get_string (props, "device.path")))
    return g_strdup (path);
  return NULL;
}

static void
add_device (GPtrArray *list, GstDevice *device)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *id = NULL;
      MtDevice *entry;

      if (!gst_device_has_classes (device, kinds[i].klass) || !(id = device_id (device)))
        continue;
      entry = g_new0 (MtDevice, 1);
      entry->kind = kinds[i].kind;
      entry->id = g_steal_pointer (&id);
      entry->name = gst_device_get_display_name (device);
      g_ptr_array_add (list, entry);
    }
}

GPtrArray *
mt_devices_list (void)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) mt_device_free);
  GList *devices;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  monitor = gst_device_monitor_new ();
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    gst_device_monitor_add_filter (monitor, kinds[i].klass, NULL);
  gst_device_monitor_start (monitor);
  devices = gst_device_monitor_get_devices (monitor);
  for (GList *l = devices; l; l = l->next)
    add_device (list, l->data);
  gst_device_monitor_stop (monitor);
  g_list_free_full (devices, gst_object_unref);
  return list;
}

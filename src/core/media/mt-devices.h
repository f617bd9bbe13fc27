/* mt-devices.h: the cameras, microphones and speakers this machine has
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MT_DEVICE_CAMERA,
  MT_DEVICE_MICROPHONE,
  MT_DEVICE_SPEAKER,
} MtDeviceKind;

typedef struct {
  MtDeviceKind  kind;
  char         *id;     /* what the camera-device etc. settings hold */
  char         *name;   /* for a person */
} MtDevice;

void       mt_device_free  (MtDevice *device);
/* What GStreamer's device monitor sees now: an array of MtDevice*, in its
 * order; devices without a usable id are left out. Blocks briefly. */
GPtrArray *mt_devices_list (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MtDevice, mt_device_free)

G_END_DECLS

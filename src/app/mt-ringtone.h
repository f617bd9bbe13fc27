/* mt-ringtone.h: a ringing tone while a call comes in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  MT_RINGTONE_NONE,
  MT_RINGTONE_RING,      /* a call comes in */
  MT_RINGTONE_WAITING,   /* a second call comes in during a call: soft */
} MtRingtoneKind;

#define MT_TYPE_RINGTONE (mt_ringtone_get_type ())
G_DECLARE_FINAL_TYPE (MtRingtone, mt_ringtone, MT, RINGTONE, GObject)

/* sink: a GStreamer sink description, e.g. "autoaudiosink" */
MtRingtone *mt_ringtone_new        (const char *sink);
void        mt_ringtone_set_sink   (MtRingtone *self, const char *sink);
/* the ring; _start_kind() switches from one tone to the other */
void        mt_ringtone_start      (MtRingtone *self);
void        mt_ringtone_start_kind (MtRingtone *self, MtRingtoneKind kind);
/* what sounds now, MT_RINGTONE_NONE when silent */
MtRingtoneKind mt_ringtone_get_kind (MtRingtone *self);
void        mt_ringtone_stop       (MtRingtone *self);
gboolean    mt_ringtone_is_playing (MtRingtone *self);

G_END_DECLS

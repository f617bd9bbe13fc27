/* mt-settings.h: GSettings, with the MTAVIP_* environment overrides applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "mt-media-config.h"
#include "mt-enums.h"

G_BEGIN_DECLS

#define MT_TYPE_SETTINGS (mt_settings_get_type ())
G_DECLARE_FINAL_TYPE (MtSettings, mt_settings, MT, SETTINGS, GObject)

MtSettings    *mt_settings_new                (void);
GSettings     *mt_settings_get_gsettings      (MtSettings *self);
/* media sources/sinks: MTAVIP_AUDIO_SOURCE etc. beat the device settings */
MtMediaConfig *mt_settings_dup_media_config   (MtSettings *self);
/* TRUE when the far end's video goes to the call window (video sink "auto") */
gboolean       mt_settings_get_video_in_window (MtSettings *self);
/* a GStreamer sink description for the configured audio output (the ringtone) */
char          *mt_settings_dup_audio_sink_description (MtSettings *self);
/* NULL when no account is configured (direct mode) */
char          *mt_settings_dup_account_uri    (MtSettings *self);
char          *mt_settings_dup_registrar      (MtSettings *self);
/* the SHA-256 fingerprint of a server certificate pinned for the account
 * (key tls-fingerprint), or NULL */
char          *mt_settings_dup_tls_fingerprint (MtSettings *self);
MtTransport    mt_settings_get_transport      (MtSettings *self);
/* unless set: "0.0.0.0:5060" without an account, any free port with one
 * (the registrar tells callers where we are) */
char          *mt_settings_dup_listen_address (MtSettings *self);
gboolean       mt_settings_get_accept_direct_calls (MtSettings *self);
/* where H.323 calls come in ("0.0.0.0:1720" by default), NULL when H.323
 * is off; MTAVIP_H323_LISTEN=HOST:PORT turns it on at that address */
char          *mt_settings_dup_h323_listen    (MtSettings *self);

/* Accounts beyond the first (whose settings are the keys above): their
 * ids ("accounts"), and each one's settings (schema ...Account) */
GStrv          mt_settings_dup_account_ids    (MtSettings *self);
GSettings     *mt_settings_dup_account_settings (MtSettings *self,
                                                 const char *id);

/* ---- network: ICE with STUN and TURN ------------------------------------------
 * Signal "network-changed": a STUN/TURN setting or the TURN password (read
 * from the Secret Service) changed; mt_settings_dup_media_config() has it.
 * ICE is on when a STUN or TURN server is set (the CLI's rule), plain RTP
 * otherwise. */
/* "HOST" or "HOST:PORT" (3478 when absent); "" is no server (host NULL, TRUE) */
gboolean       mt_settings_parse_server       (const char  *text,
                                               char       **host,
                                               guint       *port,
                                               GError     **error);
/* the Secret Service key of the TURN password: "USER@SERVER", NULL without a TURN server */
char          *mt_settings_dup_turn_key       (MtSettings *self);
/* read the TURN password again (the preferences stored a new one) */
void           mt_settings_reload_turn_password (MtSettings *self);

G_END_DECLS

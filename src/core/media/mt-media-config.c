/* mt-media-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-media-config"

#include "mt-media-config.h"

MtMediaConfig *
mt_media_config_new (void)
{
  MtMediaConfig *config = g_new0 (MtMediaConfig, 1);

  config->audio_source = g_strdup ("auto");
  config->video_source = g_strdup ("auto");
  config->audio_sink = g_strdup ("auto");
  config->video_sink = g_strdup ("auto");
  config->video = TRUE;
  config->jitter_latency_ms = 20;   /* the start: it grows with measured jitter */
  config->width = 640;
  config->height = 480;
  config->framerate = 30;
  config->media_timeout_s = 8;
  config->echo_cancel = TRUE;
  return config;
}

MtMediaConfig *
mt_media_config_copy (const MtMediaConfig *config)
{
  MtMediaConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->audio_source = g_strdup (config->audio_source);
  copy->video_source = g_strdup (config->video_source);
  copy->audio_sink = g_strdup (config->audio_sink);
  copy->video_sink = g_strdup (config->video_sink);
  copy->audio_codecs = g_strdup (config->audio_codecs);
  copy->video_codecs = g_strdup (config->video_codecs);
  copy->stun_server = g_strdup (config->stun_server);
  copy->turn_server = g_strdup (config->turn_server);
  copy->turn_user = g_strdup (config->turn_user);
  copy->turn_password = g_strdup (config->turn_password);
  return copy;
}

void
mt_media_config_free (MtMediaConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->audio_source);
  g_free (config->video_source);
  g_free (config->audio_sink);
  g_free (config->video_sink);
  g_free (config->audio_codecs);
  g_free (config->video_codecs);
  g_free (config->stun_server);
  g_free (config->turn_server);
  g_free (config->turn_user);
  g_free (config->turn_password);
  g_free (config);
}

/* fuzz-sdp.c: libFuzzer target for the SDP parser and offer/answer code
 *
 * Built by meson (tests/fuzz/meson.build): always as fuzz-sdp-replay, which
 * replays corpus/ in the `unit` suite, and with clang and -Dfuzzing=true as
 * the libFuzzer binary fuzz-sdp (ASan + UBSan). From the source root:
 *
 *   CC=clang meson setup _fuzz -Dfuzzing=true && ninja -C _fuzz tests/fuzz/fuzz-sdp
 *   mkdir -p _fuzz/corpus
 *   _fuzz/tests/fuzz/fuzz-sdp -max_len=4096 -timeout=5 -max_total_time=60 \
 *     _fuzz/corpus tests/fuzz/corpus
 *
 * New inputs go to the first directory (_fuzz/corpus); copy one that finds a
 * bug into tests/fuzz/corpus once it is fixed.
 *
 * Sofia itself is not instrumented (system library); -timeout catches hangs
 * such as the Sofia 1.12.11 m= line loop that mt_sdp_parse() guards against.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "mt-codecs.h"
#include "mt-sdp.h"

#include <stdint.h>
#include <string.h>

static MtSdpLocal *
make_local (void)
{
  MtSdpLocal *local = mt_sdp_local_new ();

  local->address = g_strdup ("192.0.2.20");
  local->audio_port = 50000;
  local->video_port = 50002;
  mt_codecs_fill_local (local, NULL, NULL, NULL);
  /* with ICE, so that ICE offers get ICE answers */
  local->audio_ice = mt_sdp_ice_new ();
  local->audio_ice->ufrag = g_strdup ("fuzz");
  local->audio_ice->pwd = g_strdup ("fuzzfuzzfuzzfuzzfuzzfuzz");
  g_ptr_array_add (local->audio_ice->candidates,
                   mt_sdp_candidate_parse ("1 1 UDP 2130706431 192.0.2.20 50000 typ host", NULL));
  return local;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static MtSdpLocal *local;
  static MtSdpSession *our_offer;
  g_autoptr (GError) error = NULL;
  g_autoptr (MtSdpSession) session = NULL;
  g_autoptr (MtSdpSession) answer = NULL;
  g_autoptr (MtSdpSession) again = NULL;
  g_autoptr (GPtrArray) negotiated = NULL;
  g_autofree char *text = NULL;

  if (local == NULL) {
    local = make_local ();
    our_offer = mt_sdp_build_offer (local, 1);
  }

  session = mt_sdp_parse ((const char *) data, size, &error);
  if (session == NULL)
    return 0;

  /* what we accept we must be able to write and read back */
  text = mt_sdp_session_to_string (session);
  again = mt_sdp_parse (text, strlen (text), &error);
  if (again == NULL || again->streams->len != session->streams->len)
    __builtin_trap ();

  answer = mt_sdp_build_answer (session, local, 2, &error);
  g_clear_error (&error);
  if (answer != NULL) {
    negotiated = mt_sdp_negotiate (answer, session, FALSE, &error);
    if (negotiated == NULL)
      __builtin_trap ();   /* our own answer must fit the offer */
    g_clear_pointer (&negotiated, g_ptr_array_unref);
  }

  negotiated = mt_sdp_negotiate (our_offer, session, TRUE, NULL);
  return 0;
}

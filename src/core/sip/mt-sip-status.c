/* mt-sip-status.c: final SIP status codes -> MtEndReason, for calls and
 * registration alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-sip-status"

#include "mt-sip-status.h"

/* What the peer (or a proxy on the way) meant. Some codes only make sense
 * as the answer to a call (busy, declined, ...); any other request that
 * gets them failed for a reason a person cannot act on: a network error. */
static const struct {
  int         status;
  MtEndReason invite;    /* the answer to a call */
  MtEndReason other;     /* the answer to REGISTER (or anything else) */
} status_reasons[] = {
  { 401, MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
  { 403, MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
  { 404, MT_END_REASON_NOT_FOUND,       MT_END_REASON_NOT_FOUND },
  { 407, MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
  /* a proxy gave up on the next hop: the callee's phone did not pick up,
   * or the registrar behind the proxy did not answer */
  { 408, MT_END_REASON_NO_ANSWER,       MT_END_REASON_UNREACHABLE },
  { 415, MT_END_REASON_NO_COMMON_CODEC, MT_END_REASON_NETWORK_ERROR },
  { 480, MT_END_REASON_NO_ANSWER,       MT_END_REASON_NETWORK_ERROR },
  { 484, MT_END_REASON_NOT_FOUND,       MT_END_REASON_NOT_FOUND },
  { 486, MT_END_REASON_BUSY,            MT_END_REASON_NETWORK_ERROR },
  { 487, MT_END_REASON_CANCELLED,       MT_END_REASON_NETWORK_ERROR },
  { 488, MT_END_REASON_NO_COMMON_CODEC, MT_END_REASON_NETWORK_ERROR },
  { 600, MT_END_REASON_BUSY,            MT_END_REASON_NETWORK_ERROR },
  { 603, MT_END_REASON_DECLINED,        MT_END_REASON_NETWORK_ERROR },
  { 604, MT_END_REASON_NOT_FOUND,       MT_END_REASON_NOT_FOUND },
  { 606, MT_END_REASON_NO_COMMON_CODEC, MT_END_REASON_NETWORK_ERROR },
  /* nua's own "No matching challenge": our credentials do not fit */
  { 904, MT_END_REASON_AUTH_FAILED,     MT_END_REASON_AUTH_FAILED },
};

/* Responses that nta makes up itself (transport errors, timeouts) look like
 * real ones, To tag included, but name no server: peers and proxies do. */
gboolean
mt_sip_response_from_peer (const sip_t *sip)
{
  return sip != NULL && (sip->sip_server != NULL || sip->sip_user_agent != NULL);
}

MtEndReason
mt_sip_status_to_reason (int status, const sip_t *sip, sip_method_t method)
{
  gboolean made_up = !mt_sip_response_from_peer (sip);

  /* nta's timeouts (408), transport errors (503) and nua's internal errors
   * (9xx): no answer came from anywhere */
  if (made_up && status != 904 && (status == 408 || (status >= 500 && status < 600) ||
                                   status >= 900))
    return MT_END_REASON_UNREACHABLE;

  for (guint i = 0; i < G_N_ELEMENTS (status_reasons); i++)
    if (status_reasons[i].status == status)
      return method == sip_method_invite ? status_reasons[i].invite : status_reasons[i].other;

  return MT_END_REASON_NETWORK_ERROR;
}

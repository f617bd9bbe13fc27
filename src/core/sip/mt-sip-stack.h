/* mt-sip-stack.h: Sofia-SIP on the GLib main context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MT_TYPE_SIP_STACK (mt_sip_stack_get_type ())
G_DECLARE_FINAL_TYPE (MtSipStack, mt_sip_stack, MT, SIP_STACK, GObject)

/* The one stack of this process, attached to the thread-default main context
 * of its first caller. Returns a new reference. */
MtSipStack *mt_sip_stack_dup_default (void);

/* su_root_t *, kept opaque so that GObject users need no Sofia headers */
gpointer    mt_sip_stack_get_root (MtSipStack *self);

/* Print every SIP message sent and received on stderr */
void        mt_sip_stack_set_trace (MtSipStack *self, gboolean trace);
gboolean    mt_sip_stack_get_trace (MtSipStack *self);

G_END_DECLS

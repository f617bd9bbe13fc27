/* mt-nua.h: Sofia's nua.h with our magic types
 *
 * nua hands its callback two pointers of ours: the nua_t's magic (the
 * MtAccount that owns the stack) and each handle's magic (the MtCall bound
 * to it, or NULL). nua.h types them from NUA_MAGIC_T / NUA_HMAGIC_T at
 * inclusion, so every file includes nua.h through this header and the types
 * agree everywhere. Naming a struct here needs none of its header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if defined(NUA_H) && !defined(MT_NUA_H)
#error "include mt-nua.h before any other Sofia nua header"
#endif
#define MT_NUA_H

#define NUA_MAGIC_T  struct _MtAccount
#define NUA_HMAGIC_T struct _MtCall
#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

/* mt-h225.c: H.225.0 call signalling messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-h323"

#include "config.h"

#include <string.h>

#include "mt-h225.h"
#include "mt-per.h"
#include "mt-text.h"

G_DEFINE_QUARK (mt-h225-error-quark, mt_h225_error)

#define Q931_PROTOCOL      0x08
#define IE_BEARER          0x04
#define IE_CAUSE           0x08
#define IE_DISPLAY         0x28
#define IE_USER_USER       0x7e
#define UU_PROTOCOL_X208   0x05
#define DIGITS             "0123456789#*,"
#define MAX_ALIASES        64

/* {itu-t recommendation h 2250 version 4} */
static const guint32 h225_oid[] = { 0, 0, 8, 2250, 0, 4 };

/* ---- the fields of extension additions we know ---------------------------- */

typedef enum {
  X_OTHER,
  X_SOURCE_ADDRESS,
  X_CALL_ID,
  X_FAST_START,
  X_MEDIA_WAIT,        /* mandatory BOOLEANs, sent FALSE */
  X_OVERLAP,
  X_MULTIPLE_CALLS,
  X_MAINTAIN,
  X_FAST_REFUSED,
  X_TUNNELLING,
  X_H245_CONTROL,
} XKind;

#define O X_OTHER
/* H323-UU-PDU: h4501SupplementaryService, h245Tunnelling, h245Control, ... */
static const XKind uu_ext[] = { O, X_TUNNELLING, X_H245_CONTROL, O, O, O, O, O, O };
static const XKind setup_ext[] = {
  X_SOURCE_ADDRESS, O, X_CALL_ID, O, O, O, X_FAST_START, X_MEDIA_WAIT, X_OVERLAP, O,
  X_MULTIPLE_CALLS, X_MAINTAIN, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O };
static const XKind proceeding_ext[] = {
  X_CALL_ID, O, O, O, X_FAST_START, X_MULTIPLE_CALLS, X_MAINTAIN, X_FAST_REFUSED, O };
static const XKind alerting_ext[] = {
  X_CALL_ID, O, O, O, X_FAST_START, X_MULTIPLE_CALLS, X_MAINTAIN, O, O, O, X_FAST_REFUSED,
  O, O, O, O };
static const XKind connect_ext[] = {
  X_CALL_ID, O, O, O, X_FAST_START, X_MULTIPLE_CALLS, X_MAINTAIN, O, O, O, O, X_FAST_REFUSED,
  O, O, O, O };
static const XKind release_ext[] = { X_CALL_ID, O, O, O, O, O, O, O, O, O, O };
/* Facility-UUIE */
static const XKind facility_ext[] = {
  X_CALL_ID, O, O, O, O, O, O, X_FAST_START, X_MULTIPLE_CALLS, X_MAINTAIN, X_FAST_REFUSED,
  O, O, O, O, O };
#undef O

/* ---- message ---------------------------------------------------------------- */

MtH225Message *
mt_h225_message_new (MtQ931Type type, guint16 call_reference, gboolean from_destination)
{
  MtH225Message *m = g_new0 (MtH225Message, 1);

  m->type = type;
  m->call_reference = call_reference & 0x7fff;
  m->from_destination = from_destination;
  m->has_uu = TRUE;
  m->h245_tunnelling = FALSE;
  m->reason = MT_H225_REASON_NONE;
  return m;
}

void
mt_h225_message_free (MtH225Message *m)
{
  if (m == NULL)
    return;
  g_free (m->display);
  g_free (m->source_alias);
  g_free (m->dest_alias);
  g_free (m->product);
  g_clear_pointer (&m->fast_start, g_ptr_array_unref);
  g_clear_pointer (&m->h245_control, g_ptr_array_unref);
  g_free (m);
}

void
mt_h225_message_add_fast_start (MtH225Message *m, GBytes *olc)
{
  g_return_if_fail (m != NULL && olc != NULL);

  if (m->fast_start == NULL)
    m->fast_start = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (m->fast_start, g_bytes_ref (olc));
}

/* ---- encoding: common types ------------------------------------------------ */

static void
put_oid_h225 (MtPerWriter *w)
{
  mt_per_put_oid (w, h225_oid, G_N_ELEMENTS (h225_oid));
}

static void
put_transport_address (MtPerWriter *w, const MtH225Address *a)
{
  mt_per_put_choice (w, 0, 7, TRUE);            /* ipAddress */
  mt_per_put_octets (w, a->ip, 4, 4, 4);
  mt_per_put_constrained (w, a->port, 0, 65535);
}

static gboolean
is_digits (const char *s)
{
  return *s && strlen (s) <= 128 && strspn (s, DIGITS) == strlen (s);
}

static void
put_aliases (MtPerWriter *w, const char *alias)
{
  mt_per_put_length (w, 1);
  if (is_digits (alias))
    {
      mt_per_put_choice (w, 0, 2, TRUE);        /* dialledDigits */
      mt_per_put_ia5 (w, alias, 1, 128, DIGITS);
    }
  else
    {
      mt_per_put_choice (w, 1, 2, TRUE);        /* h323-ID */
      mt_per_put_bmp (w, alias, 1, 256);
    }
}

static void
put_octet_strings (MtPerWriter *w, GPtrArray *list)
{
  mt_per_put_length (w, list->len);
  for (guint i = 0; i < list->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (list, i), &len);

      mt_per_put_octets (w, data, len, 0, G_MAXSIZE);
    }
}

/* EndpointType: a terminal, with our vendor identification */
static void
put_endpoint_type (MtPerWriter *w)
{
  static const char product[] = "MTAVIPClient";
  static const char version[] = PACKAGE_VERSION;

  mt_per_put_bool (w, FALSE);                  /* no extensions */
  mt_per_put_bits (w, 0x11, 6);                /* vendor, terminal */
  /* VendorIdentifier */
  mt_per_put_bool (w, FALSE);
  mt_per_put_bits (w, 0x3, 2);                 /* productId, versionId */
  mt_per_put_bool (w, FALSE);                  /* H221NonStandard */
  mt_per_put_constrained (w, 0xb5, 0, 255);    /* T.35: United States */
  mt_per_put_constrained (w, 0, 0, 255);
  mt_per_put_constrained (w, 0x6d74, 0, 65535);
  mt_per_put_octets (w, (const guint8 *) product, strlen (product), 1, 256);
  mt_per_put_octets (w, (const guint8 *) version, strlen (version), 1, 256);
  /* TerminalInfo */
  mt_per_put_bool (w, FALSE);
  mt_per_put_bool (w, FALSE);
  mt_per_put_bool (w, FALSE);                  /* mc */
  mt_per_put_bool (w, FALSE);                  /* undefinedNode */
}

static gboolean
addition_present (const MtH225Message *m, XKind kind)
{
  switch (kind)
    {
    case X_CALL_ID:
    case X_MEDIA_WAIT:
    case X_OVERLAP:
    case X_MULTIPLE_CALLS:
    case X_MAINTAIN:
    case X_TUNNELLING:
      return TRUE;
    case X_SOURCE_ADDRESS:
      return m->source_address.set;
    case X_FAST_START:
      return m->fast_start != NULL && m->fast_start->len > 0;
    case X_FAST_REFUSED:
      return m->fast_connect_refused;
    case X_H245_CONTROL:
      return m->h245_control != NULL && m->h245_control->len > 0;
    case X_OTHER:
    default:
      return FALSE;
    }
}

static void
put_addition (MtPerWriter *w, const MtH225Message *m, XKind kind)
{
  switch (kind)
    {
    case X_CALL_ID:
      mt_per_put_bool (w, FALSE);
      mt_per_put_octets (w, m->call_id, 16, 16, 16);
      break;
    case X_SOURCE_ADDRESS:
      put_transport_address (w, &m->source_address);
      break;
    case X_FAST_START:
      put_octet_strings (w, m->fast_start);
      break;
    case X_H245_CONTROL:
      put_octet_strings (w, m->h245_control);
      break;
    case X_TUNNELLING:
      mt_per_put_bool (w, m->h245_tunnelling);
      break;
    case X_MEDIA_WAIT:
    case X_OVERLAP:
    case X_MULTIPLE_CALLS:
    case X_MAINTAIN:
      mt_per_put_bool (w, FALSE);
      break;
    case X_FAST_REFUSED:             /* NULL */
    case X_OTHER:
    default:
      break;
    }
}

static void
put_additions (MtPerWriter *w, const MtH225Message *m, const XKind *kinds, guint n)
{
  gboolean present[64];

  for (guint i = 0; i < n; i++)
    present[i] = addition_present (m, kinds[i]);
  mt_per_put_ext_bitmap (w, present, n);
  for (guint i = 0; i < n; i++)
    if (present[i])
      {
        MtPerWriter inner;

        mt_per_writer_init (&inner);
        put_addition (&inner, m, kinds[i]);
        mt_per_put_open (w, &inner);
        mt_per_writer_clear (&inner);
      }
}

/* ---- encoding: the UUIEs ------------------------------------------------------ */

static void
put_setup (MtPerWriter *w, const MtH225Message *m)
{
  mt_per_put_bool (w, TRUE);                   /* extensions follow */
  /* h245Address, sourceAddress, destinationAddress, destCallSignalAddress,
   * destExtraCallInfo, destExtraCRV, callServices */
  mt_per_put_bool (w, FALSE);
  mt_per_put_bool (w, m->source_alias != NULL);
  mt_per_put_bool (w, m->dest_alias != NULL);
  mt_per_put_bool (w, m->dest_address.set);
  mt_per_put_bits (w, 0, 3);
  put_oid_h225 (w);
  if (m->source_alias)
    put_aliases (w, m->source_alias);
  put_endpoint_type (w);
  if (m->dest_alias)
    put_aliases (w, m->dest_alias);
  if (m->dest_address.set)
    put_transport_address (w, &m->dest_address);
  mt_per_put_bool (w, FALSE);                  /* activeMC */
  mt_per_put_octets (w, m->conference_id, 16, 16, 16);
  mt_per_put_choice (w, 0, 3, TRUE);           /* conferenceGoal: create */
  mt_per_put_choice (w, 0, 4, TRUE);           /* callType: pointToPoint */
  put_additions (w, m, setup_ext, G_N_ELEMENTS (setup_ext));
}

/* CallProceeding and Alerting: protocolIdentifier, destinationInfo, [h245Address] */
static void
put_progress_like (MtPerWriter *w, const MtH225Message *m, const XKind *kinds, guint n)
{
  mt_per_put_bool (w, TRUE);
  mt_per_put_bool (w, FALSE);                  /* h245Address */
  put_oid_h225 (w);
  put_endpoint_type (w);
  put_additions (w, m, kinds, n);
}

static void
put_connect (MtPerWriter *w, const MtH225Message *m)
{
  mt_per_put_bool (w, TRUE);
  mt_per_put_bool (w, FALSE);                  /* h245Address */
  put_oid_h225 (w);
  put_endpoint_type (w);
  mt_per_put_octets (w, m->conference_id, 16, 16, 16);
  put_additions (w, m, connect_ext, G_N_ELEMENTS (connect_ext));
}

static void
put_release_complete (MtPerWriter *w, const MtH225Message *m)
{
  mt_per_put_bool (w, TRUE);
  mt_per_put_bool (w, m->reason != MT_H225_REASON_NONE);
  put_oid_h225 (w);
  if (m->reason != MT_H225_REASON_NONE)
    mt_per_put_choice (w, (guint) m->reason, 12, TRUE);
  put_additions (w, m, release_ext, G_N_ELEMENTS (release_ext));
}

static void
put_facility (MtPerWriter *w, const MtH225Message *m)
{
  mt_per_put_bool (w, TRUE);
  /* alternativeAddress, alternativeAliasAddress, conferenceID */
  mt_per_put_bits (w, 0x1, 3);
  put_oid_h225 (w);
  mt_per_put_octets (w, m->conference_id, 16, 16, 16);
  mt_per_put_choice (w, 3, 4, TRUE);           /* reason: undefinedReason */
  put_additions (w, m, facility_ext, G_N_ELEMENTS (facility_ext));
}

static guint
body_index (MtQ931Type type)
{
  switch (type)
    {
    case MT_Q931_SETUP: return 0;
    case MT_Q931_CALL_PROCEEDING: return 1;
    case MT_Q931_CONNECT: return 2;
    case MT_Q931_ALERTING: return 3;
    case MT_Q931_RELEASE_COMPLETE: return 5;
    case MT_Q931_FACILITY: return 6;
    default: return 8;                          /* empty */
    }
}

static GBytes *
encode_uu (const MtH225Message *m)
{
  MtPerWriter w;
  MtPerWriter empty;
  guint index = body_index (m->type);
  GBytes *out;

  mt_per_writer_init (&w);
  mt_per_put_bool (&w, FALSE);                 /* H323-UserInformation: no extensions */
  mt_per_put_bool (&w, FALSE);                 /* no user-data */
  mt_per_put_bool (&w, TRUE);                  /* H323-UU-PDU: extensions follow */
  mt_per_put_bool (&w, FALSE);                 /* no nonStandardData */
  mt_per_put_choice (&w, index, 7, TRUE);
  switch (index)
    {
    case 0: put_setup (&w, m); break;
    case 1: put_progress_like (&w, m, proceeding_ext, G_N_ELEMENTS (proceeding_ext)); break;
    case 2: put_connect (&w, m); break;
    case 3: put_progress_like (&w, m, alerting_ext, G_N_ELEMENTS (alerting_ext)); break;
    case 5: put_release_complete (&w, m); break;
    case 6: put_facility (&w, m); break;
    default:                                   /* empty: a NULL in an open type */
      mt_per_writer_init (&empty);
      mt_per_put_open (&w, &empty);
      mt_per_writer_clear (&empty);
      break;
    }
  put_additions (&w, m, uu_ext, G_N_ELEMENTS (uu_ext));
  out = mt_per_writer_finish (&w);
  mt_per_writer_clear (&w);
  return out;
}

static void
put_ie (GByteArray *out, guint8 id, const guint8 *data, gsize len)
{
  guint8 head[2] = { id, (guint8) MIN (len, 255) };

  g_byte_array_append (out, head, 2);
  g_byte_array_append (out, data, MIN (len, 255));
}

GBytes *
mt_h225_message_encode (const MtH225Message *m)
{
  static const guint8 bearer[] = { 0x88, 0x90, 0xa5 }; /* unrestricted digital, 64k, H.221 */
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 head[5];

  g_return_val_if_fail (m != NULL, NULL);

  head[0] = Q931_PROTOCOL;
  head[1] = 2;
  head[2] = (guint8) ((m->from_destination ? 0x80 : 0) | ((m->call_reference >> 8) & 0x7f));
  head[3] = (guint8) (m->call_reference & 0xff);
  head[4] = (guint8) m->type;
  g_byte_array_append (out, head, 5);
  if (m->type == MT_Q931_SETUP)
    put_ie (out, IE_BEARER, bearer, sizeof bearer);
  if (m->cause)
    {
      guint8 cause[2] = { 0x80, (guint8) (0x80 | (m->cause & 0x7f)) };

      put_ie (out, IE_CAUSE, cause, 2);
    }
  if (m->display && *m->display)
    put_ie (out, IE_DISPLAY, (const guint8 *) m->display, strlen (m->display));
  if (m->has_uu)
    {
      g_autoptr(GBytes) uu = encode_uu (m);
      gsize len;
      const guint8 *data = g_bytes_get_data (uu, &len);
      guint8 uu_head[4] = { IE_USER_USER, (guint8) ((len + 1) >> 8), (guint8) (len + 1),
                            UU_PROTOCOL_X208 };

      g_byte_array_append (out, uu_head, 4);
      g_byte_array_append (out, data, len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---- decoding: common types ---------------------------------------------------- */

static void skip_nonstandard (MtPerReader *r);

static void
skip_extensions (MtPerReader *r, gboolean ext)
{
  gboolean present[64];
  guint n;

  if (!ext)
    return;
  n = mt_per_get_ext_bitmap (r, present, 64);
  for (guint i = 0; i < n && !r->failed; i++)
    if (present[i])
      mt_per_skip_open (r);
}

static void
get_h221 (MtPerReader *r)
{
  gboolean ext = mt_per_get_bool (r);

  mt_per_get_constrained (r, 0, 255);
  mt_per_get_constrained (r, 0, 255);
  mt_per_get_constrained (r, 0, 65535);
  skip_extensions (r, ext);
}

static void
skip_nonstandard (MtPerReader *r)
{
  guint32 arcs[32];
  guint index = mt_per_get_choice (r, 2, TRUE);
  gsize len;

  if (index == 0)
    mt_per_get_oid (r, arcs, G_N_ELEMENTS (arcs));
  else if (index == 1)
    get_h221 (r);
  else
    mt_per_skip_open (r);
  g_free (mt_per_get_octets (r, 0, G_MAXSIZE, &len));
}

static void
check_h225_oid (MtPerReader *r)
{
  guint32 arcs[16];
  guint n = mt_per_get_oid (r, arcs, G_N_ELEMENTS (arcs));

  if (!r->failed && (n < 6 || arcs[0] != 0 || arcs[1] != 0 || arcs[2] != 8 || arcs[3] != 2250))
    mt_per_fail (r, "not an H.225.0 protocol identifier");
}

static void
get_transport_address (MtPerReader *r, MtH225Address *a)
{
  guint index = mt_per_get_choice (r, 7, TRUE);
  g_autofree guint8 *ip = NULL;
  gsize len;

  memset (a, 0, sizeof *a);
  if (index == 0)
    {
      ip = mt_per_get_octets (r, 4, 4, &len);
      a->port = (guint16) mt_per_get_constrained (r, 0, 65535);
      if (ip)
        {
          memcpy (a->ip, ip, 4);
          a->set = TRUE;
        }
    }
  else if (index == 3)                          /* ip6Address: read, not used */
    {
      gboolean ext = mt_per_get_bool (r);

      ip = mt_per_get_octets (r, 16, 16, &len);
      mt_per_get_constrained (r, 0, 65535);
      skip_extensions (r, ext);
    }
  else if (index >= 7)
    mt_per_skip_open (r);
  else
    mt_per_fail (r, "unsupported transport address");
}

/* one AliasAddress as text, or NULL for kinds we do not show */
static char *
get_alias (MtPerReader *r)
{
  guint index = mt_per_get_choice (r, 2, TRUE);
  MtPerReader inner;

  switch (index)
    {
    case 0:
      return mt_per_get_ia5 (r, 1, 128, DIGITS);
    case 1:
      return mt_per_get_bmp (r, 1, 256);
    case 2:                                     /* url-ID */
    case 4:                                     /* email-ID */
      if (mt_per_get_open (r, &inner))
        return mt_per_get_ia5 (&inner, 1, 512, NULL);
      return NULL;
    default:
      mt_per_skip_open (r);
      return NULL;
    }
}

static char *get_aliases_raw (MtPerReader *r);

/* the first alias, through the one door for network text */
static char *
get_aliases (MtPerReader *r)
{
  g_autofree char *raw = get_aliases_raw (r);

  return mt_text_from_network (raw, -1, FALSE);
}

static char *
get_aliases_raw (MtPerReader *r)
{
  gsize n = mt_per_get_length (r);
  char *first = NULL;

  if (n > MAX_ALIASES)
    {
      mt_per_fail (r, "too many aliases");
      return NULL;
    }
  for (gsize i = 0; i < n && !r->failed; i++)
    {
      char *alias = get_alias (r);

      if (first == NULL)
        first = alias;
      else
        g_free (alias);
    }
  if (r->failed)
    g_clear_pointer (&first, g_free);
  return first;
}

static GPtrArray *
get_octet_strings (MtPerReader *r)
{
  gsize n = mt_per_get_length (r);
  GPtrArray *list;

  if (n > MT_H225_MAX_ELEMENTS)
    {
      mt_per_fail (r, "too many elements");
      return NULL;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (gsize i = 0; i < n && !r->failed; i++)
    {
      gsize len;
      guint8 *data = mt_per_get_octets (r, 0, G_MAXSIZE, &len);

      if (data)
        g_ptr_array_add (list, g_bytes_new_take (data, len));
    }
  if (r->failed)
    g_clear_pointer (&list, g_ptr_array_unref);
  return list;
}

static void
get_vendor (MtPerReader *r, MtH225Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_product = mt_per_get_bool (r);
  gboolean has_version = mt_per_get_bool (r);
  gsize len;

  get_h221 (r);
  if (has_product)
    {
      g_autofree guint8 *product = mt_per_get_octets (r, 1, 256, &len);

      if (product && m->product == NULL)
        {
          m->product = mt_text_from_network ((const char *) product, (gssize) len, FALSE);
        }
    }
  if (has_version)
    g_free (mt_per_get_octets (r, 1, 256, &len));
  skip_extensions (r, ext);
}

/* GatekeeperInfo, TerminalInfo, McuInfo: [nonStandardData], ... */
static void
get_simple_info (MtPerReader *r)
{
  gboolean ext = mt_per_get_bool (r);

  if (mt_per_get_bool (r))
    skip_nonstandard (r);
  skip_extensions (r, ext);
}

static void
get_endpoint_type (MtPerReader *r, MtH225Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  guint opt = (guint) mt_per_get_bits (r, 6);

  if (opt & 0x20)
    skip_nonstandard (r);
  if (opt & 0x10)
    get_vendor (r, m);
  if (opt & 0x08)
    get_simple_info (r);
  if (opt & 0x04)
    {
      gboolean gw_ext = mt_per_get_bool (r);
      gboolean has_protocol = mt_per_get_bool (r);

      if (has_protocol)
        {
          mt_per_fail (r, "gateway protocols are not supported");
          return;
        }
      if (mt_per_get_bool (r))
        skip_nonstandard (r);
      skip_extensions (r, gw_ext);
    }
  if (opt & 0x02)
    get_simple_info (r);
  if (opt & 0x01)
    get_simple_info (r);
  mt_per_get_bool (r);                          /* mc */
  mt_per_get_bool (r);                          /* undefinedNode */
  skip_extensions (r, ext);
}

static void
get_addition (MtPerReader *r, MtH225Message *m, XKind kind)
{
  gsize len;

  switch (kind)
    {
    case X_CALL_ID:
      {
        gboolean ext = mt_per_get_bool (r);
        g_autofree guint8 *guid = mt_per_get_octets (r, 16, 16, &len);

        if (guid)
          memcpy (m->call_id, guid, 16);
        skip_extensions (r, ext);
      }
      break;
    case X_SOURCE_ADDRESS:
      get_transport_address (r, &m->source_address);
      break;
    case X_FAST_START:
      g_clear_pointer (&m->fast_start, g_ptr_array_unref);
      m->fast_start = get_octet_strings (r);
      break;
    case X_H245_CONTROL:
      g_clear_pointer (&m->h245_control, g_ptr_array_unref);
      m->h245_control = get_octet_strings (r);
      break;
    case X_TUNNELLING:
      m->h245_tunnelling = mt_per_get_bool (r);
      break;
    case X_FAST_REFUSED:
      m->fast_connect_refused = TRUE;
      break;
    case X_MEDIA_WAIT:
    case X_OVERLAP:
    case X_MULTIPLE_CALLS:
    case X_MAINTAIN:
    case X_OTHER:
    default:
      break;
    }
}

static void
get_additions (MtPerReader *r, MtH225Message *m, gboolean ext, const XKind *kinds, guint n_kinds)
{
  gboolean present[64];
  guint n;

  if (!ext)
    return;
  n = mt_per_get_ext_bitmap (r, present, 64);
  for (guint i = 0; i < n && !r->failed; i++)
    {
      MtPerReader inner;

      if (!present[i])
        continue;
      if (!mt_per_get_open (r, &inner))
        return;
      if (i < n_kinds && kinds[i] != X_OTHER)
        {
          get_addition (&inner, m, kinds[i]);
          if (inner.failed)
            mt_per_fail (r, inner.error);
        }
    }
}

/* ---- decoding: the UUIEs -------------------------------------------------------- */

static void
get_conference_id (MtPerReader *r, MtH225Message *m)
{
  gsize len;
  g_autofree guint8 *id = mt_per_get_octets (r, 16, 16, &len);

  if (id)
    memcpy (m->conference_id, id, 16);
}

static void
get_setup (MtPerReader *r, MtH225Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  guint opt = (guint) mt_per_get_bits (r, 7);
  MtH225Address ignored;

  check_h225_oid (r);
  if (opt & 0x40)
    get_transport_address (r, &ignored);
  if (opt & 0x20)
    m->source_alias = get_aliases (r);
  get_endpoint_type (r, m);
  if (opt & 0x10)
    m->dest_alias = get_aliases (r);
  if (opt & 0x08)
    get_transport_address (r, &m->dest_address);
  if (opt & 0x04)
    g_free (get_aliases (r));
  if (opt & 0x02)
    {
      gsize n = mt_per_get_length (r);

      for (gsize i = 0; i < n && !r->failed; i++)
        mt_per_get_constrained (r, 0, 65535);
    }
  mt_per_get_bool (r);                          /* activeMC */
  get_conference_id (r, m);
  if (mt_per_get_choice (r, 3, TRUE) >= 3)      /* conferenceGoal */
    mt_per_skip_open (r);
  if (opt & 0x01)                               /* callServices: QseriesOptions */
    {
      gboolean q_ext = mt_per_get_bool (r);
      gboolean d_ext;

      mt_per_get_bits (r, 7);
      d_ext = mt_per_get_bool (r);
      mt_per_get_bits (r, 2);
      skip_extensions (r, d_ext);
      skip_extensions (r, q_ext);
    }
  if (mt_per_get_choice (r, 4, TRUE) >= 4)      /* callType */
    mt_per_skip_open (r);
  get_additions (r, m, ext, setup_ext, G_N_ELEMENTS (setup_ext));
}

static void
get_progress_like (MtPerReader *r, MtH225Message *m, const XKind *kinds, guint n)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_h245 = mt_per_get_bool (r);
  MtH225Address ignored;

  check_h225_oid (r);
  get_endpoint_type (r, m);
  if (has_h245)
    get_transport_address (r, &ignored);
  get_additions (r, m, ext, kinds, n);
}

static void
get_connect (MtPerReader *r, MtH225Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_h245 = mt_per_get_bool (r);
  MtH225Address ignored;

  check_h225_oid (r);
  if (has_h245)
    get_transport_address (r, &ignored);
  get_endpoint_type (r, m);
  get_conference_id (r, m);
  get_additions (r, m, ext, connect_ext, G_N_ELEMENTS (connect_ext));
}

static void
get_release_complete (MtPerReader *r, MtH225Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  gboolean has_reason = mt_per_get_bool (r);

  check_h225_oid (r);
  if (has_reason)
    {
      guint index = mt_per_get_choice (r, 12, TRUE);

      if (index >= 12)
        mt_per_skip_open (r);
      else
        m->reason = (MtH225Reason) index;
    }
  get_additions (r, m, ext, release_ext, G_N_ELEMENTS (release_ext));
}

static void
get_facility (MtPerReader *r, MtH225Message *m)
{
  gboolean ext = mt_per_get_bool (r);
  guint opt = (guint) mt_per_get_bits (r, 3);
  MtH225Address ignored;

  check_h225_oid (r);
  if (opt & 0x4)
    get_transport_address (r, &ignored);
  if (opt & 0x2)
    g_free (get_aliases (r));
  if (opt & 0x1)
    get_conference_id (r, m);
  if (mt_per_get_choice (r, 4, TRUE) >= 4)
    mt_per_skip_open (r);
  get_additions (r, m, ext, facility_ext, G_N_ELEMENTS (facility_ext));
}

static gboolean
decode_uu (const guint8 *data, gsize len, MtH225Message *m, GError **error)
{
  MtPerReader r;
  gboolean info_ext, pdu_ext;
  guint index;

  mt_per_reader_init (&r, data, len);
  info_ext = mt_per_get_bool (&r);
  if (mt_per_get_bool (&r))                     /* user-data */
    {
      gboolean ud_ext = mt_per_get_bool (&r);
      gsize n;

      mt_per_get_constrained (&r, 0, 255);
      g_free (mt_per_get_octets (&r, 1, 131, &n));
      skip_extensions (&r, ud_ext);
    }
  pdu_ext = mt_per_get_bool (&r);
  {
    gboolean has_nonstandard = mt_per_get_bool (&r);

    index = mt_per_get_choice (&r, 7, TRUE);
    if (body_index (m->type) != 8 && index != body_index (m->type))
      {
        g_set_error (error, MT_H225_ERROR, MT_H225_ERROR_INVALID,
                     "A Q.931 %s carries another H.323 message", mt_q931_type_to_string (m->type));
        return FALSE;
      }
    switch (index)
      {
      case 0: get_setup (&r, m); break;
      case 1: get_progress_like (&r, m, proceeding_ext, G_N_ELEMENTS (proceeding_ext)); break;
      case 2: get_connect (&r, m); break;
      case 3: get_progress_like (&r, m, alerting_ext, G_N_ELEMENTS (alerting_ext)); break;
      case 5: get_release_complete (&r, m); break;
      case 6: get_facility (&r, m); break;
      case 4:                                   /* information: not used by us */
        mt_per_fail (&r, "Information is not supported");
        break;
      default:                                  /* extensions: progress, empty, ... */
        mt_per_skip_open (&r);
        break;
      }
    if (has_nonstandard)
      skip_nonstandard (&r);
  }
  get_additions (&r, m, pdu_ext, uu_ext, G_N_ELEMENTS (uu_ext));
  skip_extensions (&r, info_ext);
  if (r.failed)
    {
      g_set_error (error, MT_H225_ERROR, MT_H225_ERROR_INVALID,
                   "The H.323 user information does not decode: %s", r.error);
      return FALSE;
    }
  m->has_uu = TRUE;
  return TRUE;
}

MtH225Message *
mt_h225_message_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(MtH225Message) m = NULL;
  gsize pos;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < 5)
    {
      g_set_error_literal (error, MT_H225_ERROR, MT_H225_ERROR_TRUNCATED,
                           "The Q.931 message is too short");
      return NULL;
    }
  if (data[0] != Q931_PROTOCOL || data[1] != 2)
    {
      g_set_error_literal (error, MT_H225_ERROR, MT_H225_ERROR_INVALID,
                           "Not a Q.931 message with a two-octet call reference");
      return NULL;
    }
  m = mt_h225_message_new ((MtQ931Type) data[4], (guint16) (((data[2] & 0x7f) << 8) | data[3]),
                           (data[2] & 0x80) != 0);
  m->has_uu = FALSE;
  for (pos = 5; pos < len;)
    {
      guint8 id = data[pos];
      gsize ie_len, head;

      if (id & 0x80)                            /* single-octet information element */
        {
          pos++;
          continue;
        }
      head = id == IE_USER_USER ? 3 : 2;
      if (pos + head > len)
        break;
      ie_len = id == IE_USER_USER ? ((gsize) data[pos + 1] << 8 | data[pos + 2]) : data[pos + 1];
      if (pos + head + ie_len > len)
        {
          g_set_error (error, MT_H225_ERROR, MT_H225_ERROR_TRUNCATED,
                       "Information element 0x%02x is longer than the message", id);
          return NULL;
        }
      switch (id)
        {
        case IE_CAUSE:
          if (ie_len >= 2)
            {
              gsize at = (data[pos + head] & 0x80) ? 1 : 2;

              if (at < ie_len)
                m->cause = data[pos + head + at] & 0x7f;
            }
          break;
        case IE_DISPLAY:
          g_free (m->display);
          m->display = mt_text_from_network ((const char *) data + pos + head, (gssize) ie_len,
                                             FALSE);
          break;
        case IE_USER_USER:
          if (ie_len < 2 || data[pos + head] != UU_PROTOCOL_X208)
            {
              g_set_error_literal (error, MT_H225_ERROR, MT_H225_ERROR_INVALID,
                                   "The user-user information is not X.208 coded");
              return NULL;
            }
          if (!decode_uu (data + pos + head + 1, ie_len - 1, m, error))
            return NULL;
          break;
        default:
          break;
        }
      pos += head + ie_len;
    }
  if (pos != len)
    {
      g_set_error_literal (error, MT_H225_ERROR, MT_H225_ERROR_TRUNCATED,
                           "The last information element is cut short");
      return NULL;
    }
  return g_steal_pointer (&m);
}

/* ---- TPKT -------------------------------------------------------------------------- */

GBytes *
mt_tpkt_wrap (GBytes *payload)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  GByteArray *out = g_byte_array_sized_new ((guint) len + 4);
  guint8 head[4] = { 3, 0, (guint8) ((len + 4) >> 8), (guint8) (len + 4) };

  g_return_val_if_fail (len + 4 <= 65535, NULL);
  g_byte_array_append (out, head, 4);
  g_byte_array_append (out, data, len);
  return g_byte_array_free_to_bytes (out);
}

gssize
mt_tpkt_frame_length (const guint8 *data, gsize len)
{
  gsize frame;

  if (len < 4)
    return (len >= 1 && data[0] != 3) ? -1 : 0;
  frame = (gsize) data[2] << 8 | data[3];
  if (data[0] != 3 || frame < 5)
    return -1;
  return len >= frame ? (gssize) frame : 0;
}

/* ---- names and reasons ------------------------------------------------------------------ */

const char *
mt_q931_type_to_string (MtQ931Type type)
{
  switch (type)
    {
    case MT_Q931_ALERTING: return "Alerting";
    case MT_Q931_CALL_PROCEEDING: return "Call Proceeding";
    case MT_Q931_SETUP: return "Setup";
    case MT_Q931_CONNECT: return "Connect";
    case MT_Q931_RELEASE_COMPLETE: return "Release Complete";
    case MT_Q931_FACILITY: return "Facility";
    case MT_Q931_STATUS: return "Status";
    default: return "unknown";
    }
}

MtEndReason
mt_h225_end_reason_from (guint cause, MtH225Reason reason, MtCallDirection direction,
                         gboolean answered)
{
  if (answered)
    return MT_END_REASON_REMOTE_HANGUP;
  if (direction == MT_CALL_DIRECTION_INCOMING)
    return MT_END_REASON_CANCELLED;       /* the caller gave up before we answered */
  switch (cause)
    {
    case MT_Q931_CAUSE_USER_BUSY:
      return MT_END_REASON_BUSY;
    case MT_Q931_CAUSE_NO_USER_RESPONDING:
    case MT_Q931_CAUSE_NO_ANSWER:
    case MT_Q931_CAUSE_RECOVERY_ON_TIMER:
      return MT_END_REASON_NO_ANSWER;
    case MT_Q931_CAUSE_CALL_REJECTED:
      return MT_END_REASON_DECLINED;
    case MT_Q931_CAUSE_UNALLOCATED_NUMBER:
      return MT_END_REASON_NOT_FOUND;
    case MT_Q931_CAUSE_NO_ROUTE:
    case MT_Q931_CAUSE_DEST_OUT_OF_ORDER:
    case MT_Q931_CAUSE_NETWORK_OUT_OF_ORDER:
      return MT_END_REASON_UNREACHABLE;
    case MT_Q931_CAUSE_BEARER_NOT_IMPLEMENTED:
    case MT_Q931_CAUSE_INCOMPATIBLE_DEST:
      return MT_END_REASON_NO_COMMON_CODEC;
    default:
      break;
    }
  switch (reason)
    {
    case MT_H225_REASON_IN_CONF:
    case MT_H225_REASON_ADAPTIVE_BUSY:
      return MT_END_REASON_BUSY;
    case MT_H225_REASON_DESTINATION_REJECTION:
      return MT_END_REASON_DECLINED;
    case MT_H225_REASON_UNREACHABLE_DEST:
      return MT_END_REASON_UNREACHABLE;
    default:
      return MT_END_REASON_DECLINED;
    }
}

guint
mt_h225_cause_for (MtEndReason reason, MtH225Reason *rc_reason)
{
  MtH225Reason dummy;

  if (rc_reason == NULL)
    rc_reason = &dummy;
  *rc_reason = MT_H225_REASON_NONE;
  switch (reason)
    {
    case MT_END_REASON_BUSY:
      *rc_reason = MT_H225_REASON_IN_CONF;
      return MT_Q931_CAUSE_USER_BUSY;
    case MT_END_REASON_DECLINED:
      *rc_reason = MT_H225_REASON_DESTINATION_REJECTION;
      return MT_Q931_CAUSE_CALL_REJECTED;
    case MT_END_REASON_NO_ANSWER:
      return MT_Q931_CAUSE_NO_ANSWER;
    case MT_END_REASON_NO_COMMON_CODEC:
      return MT_Q931_CAUSE_INCOMPATIBLE_DEST;
    case MT_END_REASON_MEDIA_TIMEOUT:
    case MT_END_REASON_NETWORK_ERROR:
      *rc_reason = MT_H225_REASON_UNDEFINED;
      return MT_Q931_CAUSE_RECOVERY_ON_TIMER;
    case MT_END_REASON_LOCAL_HANGUP:
    case MT_END_REASON_CANCELLED:
    default:
      return MT_Q931_CAUSE_NORMAL_CLEARING;
    }
}

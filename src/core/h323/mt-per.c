/* mt-per.c: ASN.1 aligned PER bits in and out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mt-h323"

#include <string.h>

#include "mt-per.h"

#define IA5_FULL_BITS 8   /* aligned PER rounds 7 up to 8 */

/* ---- helpers --------------------------------------------------------------- */

/* bits to hold 0..range-1 */
static guint
bits_for_range (guint64 range)
{
  guint n = 0;

  while (n < 64 && (G_GUINT64_CONSTANT (1) << n) < range)
    n++;
  return n;
}

/* octets to hold v (at least one) */
static guint
octets_for (guint64 v)
{
  guint n = 1;

  while (n < 8 && (v >> (8 * n)) != 0)
    n++;
  return n;
}

/* aligned PER rounds a character width up to a power of two */
static guint
aligned_char_bits (guint n_chars)
{
  guint b = bits_for_range (n_chars);

  if (b <= 1) return 1;
  if (b <= 2) return 2;
  if (b <= 4) return 4;
  if (b <= 8) return 8;
  if (b <= 16) return 16;
  return 32;
}

/* the alphabet in canonical (value) order */
static char *
sorted_alphabet (const char *alphabet)
{
  char *sorted = g_strdup (alphabet);
  gsize n = strlen (sorted);

  for (gsize i = 1; i < n; i++)
    for (gsize j = i; j > 0 && (guchar) sorted[j - 1] > (guchar) sorted[j]; j--)
      {
        char t = sorted[j];
        sorted[j] = sorted[j - 1];
        sorted[j - 1] = t;
      }
  return sorted;
}

/* ---- writer ---------------------------------------------------------------- */

void
mt_per_writer_init (MtPerWriter *w)
{
  w->bytes = g_byte_array_new ();
  w->bit = 0;
}

void
mt_per_writer_clear (MtPerWriter *w)
{
  g_clear_pointer (&w->bytes, g_byte_array_unref);
  w->bit = 0;
}

GBytes *
mt_per_writer_finish (MtPerWriter *w)
{
  GBytes *bytes;

  if (w->bytes->len == 0)
    g_byte_array_append (w->bytes, (const guint8 *) "", 1);
  bytes = g_byte_array_free_to_bytes (w->bytes);
  w->bytes = g_byte_array_new ();
  w->bit = 0;
  return bytes;
}

void
mt_per_put_bits (MtPerWriter *w, guint64 value, guint n_bits)
{
  for (guint i = n_bits; i > 0; i--)
    {
      guint bit = (value >> (i - 1)) & 1;

      if (w->bit == 0)
        g_byte_array_append (w->bytes, (const guint8 *) "", 1);
      if (bit)
        w->bytes->data[w->bytes->len - 1] |= 0x80 >> w->bit;
      w->bit = (w->bit + 1) % 8;
    }
}

void
mt_per_align (MtPerWriter *w)
{
  w->bit = 0;
}

static void
put_octets_aligned (MtPerWriter *w, const guint8 *data, gsize len)
{
  mt_per_align (w);
  g_byte_array_append (w->bytes, data, len);
}

void
mt_per_put_bool (MtPerWriter *w, gboolean value)
{
  mt_per_put_bits (w, value ? 1 : 0, 1);
}

static void
put_uint_octets (MtPerWriter *w, guint64 v, guint n)
{
  mt_per_align (w);
  mt_per_put_bits (w, v, 8 * n);
}

void
mt_per_put_constrained (MtPerWriter *w, guint64 value, guint64 lb, guint64 ub)
{
  guint64 range = ub - lb + 1;
  guint64 v;

  g_return_if_fail (lb <= ub);
  value = CLAMP (value, lb, ub);
  v = value - lb;
  if (range == 1)
    return;
  if (range <= 255 && range != 0)
    mt_per_put_bits (w, v, bits_for_range (range));
  else if (range == 256)
    put_uint_octets (w, v, 1);
  else if (range <= 65536 && range != 0)
    put_uint_octets (w, v, 2);
  else
    {
      guint max_octets = octets_for (ub - lb);
      guint n = octets_for (v);

      mt_per_put_constrained (w, n, 1, max_octets);
      put_uint_octets (w, v, n);
    }
}

void
mt_per_put_length (MtPerWriter *w, gsize length)
{
  g_return_if_fail (length < 16384);

  mt_per_align (w);
  if (length < 128)
    mt_per_put_bits (w, length, 8);
  else
    mt_per_put_bits (w, 0x8000 | length, 16);
}

void
mt_per_put_length_constrained (MtPerWriter *w, gsize length, gsize lb, gsize ub)
{
  if (ub < 65536)
    mt_per_put_constrained (w, length, lb, ub);
  else
    mt_per_put_length (w, length);
}

void
mt_per_put_semi (MtPerWriter *w, guint64 value, guint64 lb)
{
  guint64 v = value >= lb ? value - lb : 0;
  guint n = octets_for (v);

  mt_per_put_length (w, n);
  put_uint_octets (w, v, n);
}

void
mt_per_put_unconstrained (MtPerWriter *w, gint64 value)
{
  guint n = 1;

  while (n < 8 && !(value >= -(G_GINT64_CONSTANT (1) << (8 * n - 1)) &&
                    value < (G_GINT64_CONSTANT (1) << (8 * n - 1))))
    n++;
  mt_per_put_length (w, n);
  put_uint_octets (w, (guint64) value & (n == 8 ? G_MAXUINT64 : ((G_GUINT64_CONSTANT (1) << (8 * n)) - 1)), n);
}

void
mt_per_put_small (MtPerWriter *w, guint64 value)
{
  if (value <= 63)
    {
      mt_per_put_bits (w, 0, 1);
      mt_per_put_bits (w, value, 6);
    }
  else
    {
      mt_per_put_bits (w, 1, 1);
      mt_per_put_semi (w, value, 0);
    }
}

void
mt_per_put_choice (MtPerWriter *w, guint index, guint n_root, gboolean extensible)
{
  gboolean ext = index >= n_root;

  g_return_if_fail (extensible || !ext);
  if (extensible)
    mt_per_put_bool (w, ext);
  if (!ext)
    mt_per_put_constrained (w, index, 0, n_root - 1);
  else
    mt_per_put_small (w, index - n_root);
}

void
mt_per_put_octets (MtPerWriter *w, const guint8 *data, gsize len, gsize lb, gsize ub)
{
  if (ub == 0)
    return;
  if (lb == ub && ub <= 2)
    {
      for (gsize i = 0; i < len; i++)
        mt_per_put_bits (w, data[i], 8);
      return;
    }
  if (lb == ub && ub < 65536)
    {
      put_octets_aligned (w, data, len);
      return;
    }
  mt_per_put_length_constrained (w, len, lb, ub);
  put_octets_aligned (w, data, len);
}

void
mt_per_put_bitstring (MtPerWriter *w, const guint8 *data, gsize n_bits, gsize lb, gsize ub)
{
  if (ub == 0)
    return;
  if (!(lb == ub && ub < 65536))
    mt_per_put_length_constrained (w, n_bits, lb, ub);
  if (ub > 16)
    mt_per_align (w);
  for (gsize i = 0; i < n_bits; i++)
    mt_per_put_bits (w, (data[i / 8] >> (7 - i % 8)) & 1, 1);
}

/* X.691 27.5: known-multiplier character strings */
static void
put_chars (MtPerWriter *w, const guint32 *chars, gsize n, gsize lb, gsize ub,
           guint b, const char *alphabet)
{
  g_autofree char *sorted = alphabet ? sorted_alphabet (alphabet) : NULL;
  gboolean use_index = FALSE;

  if (sorted)
    use_index = (guchar) sorted[strlen (sorted) - 1] >= (1u << b);
  if (!(lb == ub && ub < 65536))
    mt_per_put_length_constrained (w, n, lb, ub);
  if ((guint64) ub * b > 16)
    mt_per_align (w);
  for (gsize i = 0; i < n; i++)
    {
      guint32 c = chars[i];

      if (use_index)
        {
          const char *p = strchr (sorted, (int) c);

          c = p && c ? (guint32) (p - sorted) : 0;
        }
      mt_per_put_bits (w, c, b);
    }
}

void
mt_per_put_ia5 (MtPerWriter *w, const char *s, gsize lb, gsize ub, const char *alphabet)
{
  gsize n = strlen (s);
  g_autofree guint32 *chars = g_new (guint32, n + 1);
  guint b = alphabet ? aligned_char_bits ((guint) strlen (alphabet)) : IA5_FULL_BITS;

  n = CLAMP (n, lb, ub);
  for (gsize i = 0; i < n; i++)
    chars[i] = (guchar) s[i] & 0x7f;
  put_chars (w, chars, n, lb, ub, b, alphabet);
}

void
mt_per_put_bmp (MtPerWriter *w, const char *utf8, gsize lb, gsize ub)
{
  g_autoptr(GArray) chars = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (const char *p = utf8; *p && chars->len < ub; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      guint32 v = (c == (gunichar) -1 || c == (gunichar) -2 || c > 0xffff) ? '?' : c;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      g_array_append_val (chars, v);
    }
  while (chars->len < lb)
    {
      guint32 space = ' ';
      g_array_append_val (chars, space);
    }
  put_chars (w, (guint32 *) chars->data, chars->len, lb, ub, 16, NULL);
}

void
mt_per_put_oid (MtPerWriter *w, const guint32 *arcs, guint n_arcs)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();

  g_return_if_fail (n_arcs >= 2);
  for (guint i = 1; i < n_arcs; i++)
    {
      guint32 sub = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
      guint8 tmp[5];
      guint n = 0;

      do
        {
          tmp[n++] = sub & 0x7f;
          sub >>= 7;
        }
      while (sub);
      while (n > 0)
        {
          guint8 b;

          n--;
          b = tmp[n] | (n > 0 ? 0x80 : 0);
          g_byte_array_append (content, &b, 1);
        }
    }
  mt_per_put_length (w, content->len);
  put_octets_aligned (w, content->data, content->len);
}

void
mt_per_put_open (MtPerWriter *w, MtPerWriter *inner)
{
  g_autoptr(GBytes) bytes = mt_per_writer_finish (inner);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  mt_per_put_length (w, len);
  put_octets_aligned (w, data, len);
}

void
mt_per_put_ext_bitmap (MtPerWriter *w, const gboolean *present, guint n)
{
  g_return_if_fail (n >= 1 && n <= 64);

  mt_per_put_bits (w, 0, 1);
  mt_per_put_bits (w, n - 1, 6);
  for (guint i = 0; i < n; i++)
    mt_per_put_bool (w, present[i]);
}

/* ---- reader ---------------------------------------------------------------- */

void
mt_per_reader_init (MtPerReader *r, const guint8 *data, gsize len)
{
  memset (r, 0, sizeof *r);
  r->data = data;
  r->len = len;
}

gboolean
mt_per_reader_failed (const MtPerReader *r)
{
  return r->failed;
}

guint64
mt_per_fail (MtPerReader *r, const char *why)
{
  if (!r->failed)
    {
      r->failed = TRUE;
      r->error = why;
    }
  return 0;
}

gsize
mt_per_reader_remaining_bits (const MtPerReader *r)
{
  return r->failed ? 0 : r->len * 8 - r->pos;
}

guint64
mt_per_get_bits (MtPerReader *r, guint n_bits)
{
  guint64 v = 0;

  if (r->failed)
    return 0;
  if (n_bits > 64 || n_bits > mt_per_reader_remaining_bits (r))
    return mt_per_fail (r, "truncated");
  for (guint i = 0; i < n_bits; i++, r->pos++)
    v = (v << 1) | ((r->data[r->pos / 8] >> (7 - r->pos % 8)) & 1);
  return v;
}

void
mt_per_skip_align (MtPerReader *r)
{
  if (r->failed)
    return;
  r->pos = (r->pos + 7) / 8 * 8;
  if (r->pos > r->len * 8)
    mt_per_fail (r, "truncated");
}

gboolean
mt_per_get_bool (MtPerReader *r)
{
  return mt_per_get_bits (r, 1) != 0;
}

static guint64
get_uint_octets (MtPerReader *r, guint n)
{
  mt_per_skip_align (r);
  return mt_per_get_bits (r, 8 * n);
}

static guint64
check_range (MtPerReader *r, guint64 v, guint64 lb, guint64 ub)
{
  if (v > ub - lb)
    return mt_per_fail (r, "value out of range");
  return v + lb;
}

guint64
mt_per_get_constrained (MtPerReader *r, guint64 lb, guint64 ub)
{
  guint64 range = ub - lb + 1;

  if (range == 1)
    return lb;
  if (range <= 255 && range != 0)
    return check_range (r, mt_per_get_bits (r, bits_for_range (range)), lb, ub);
  if (range == 256)
    return check_range (r, get_uint_octets (r, 1), lb, ub);
  if (range <= 65536 && range != 0)
    return check_range (r, get_uint_octets (r, 2), lb, ub);
  {
    guint n = (guint) mt_per_get_constrained (r, 1, octets_for (ub - lb));

    return check_range (r, get_uint_octets (r, n), lb, ub);
  }
}

gsize
mt_per_get_length (MtPerReader *r)
{
  guint64 first;

  mt_per_skip_align (r);
  first = mt_per_get_bits (r, 8);
  if ((first & 0x80) == 0)
    return (gsize) first;
  if ((first & 0xc0) == 0x80)
    return (gsize) (((first & 0x3f) << 8) | mt_per_get_bits (r, 8));
  return mt_per_fail (r, "fragmented length");
}

gsize
mt_per_get_length_constrained (MtPerReader *r, gsize lb, gsize ub)
{
  gsize n;

  if (ub < 65536)
    return (gsize) mt_per_get_constrained (r, lb, ub);
  n = mt_per_get_length (r);
  if (n < lb)
    return mt_per_fail (r, "length below the lower bound");
  return n;
}

guint64
mt_per_get_semi (MtPerReader *r, guint64 lb)
{
  gsize n = mt_per_get_length (r);

  if (n == 0 || n > 8)
    return mt_per_fail (r, "integer too large");
  return get_uint_octets (r, (guint) n) + lb;
}

gint64
mt_per_get_unconstrained (MtPerReader *r)
{
  gsize n = mt_per_get_length (r);
  guint64 v;

  if (n == 0 || n > 8)
    return (gint64) mt_per_fail (r, "integer too large");
  v = get_uint_octets (r, (guint) n);
  if (n < 8 && (v >> (8 * n - 1)) & 1)
    v |= G_MAXUINT64 << (8 * n);
  return (gint64) v;
}

guint64
mt_per_get_small (MtPerReader *r)
{
  if (!mt_per_get_bool (r))
    return mt_per_get_bits (r, 6);
  return mt_per_get_semi (r, 0);
}

guint
mt_per_get_choice (MtPerReader *r, guint n_root, gboolean extensible)
{
  if (extensible && mt_per_get_bool (r))
    {
      guint64 i = mt_per_get_small (r);

      if (i > 1000)
        return (guint) mt_per_fail (r, "choice index out of range");
      return n_root + (guint) i;
    }
  return (guint) mt_per_get_constrained (r, 0, n_root - 1);
}

static guint8 *
get_aligned_octets (MtPerReader *r, gsize n)
{
  mt_per_skip_align (r);
  if (r->failed || n * 8 > mt_per_reader_remaining_bits (r))
    {
      mt_per_fail (r, "truncated");
      return NULL;
    }
  r->pos += n * 8;
  if (n == 0)
    return g_malloc0 (1);
  return g_memdup2 (r->data + r->pos / 8 - n, n);
}

guint8 *
mt_per_get_octets (MtPerReader *r, gsize lb, gsize ub, gsize *len)
{
  gsize n;

  *len = 0;
  if (ub == 0)
    return g_malloc0 (1);
  if (lb == ub && ub <= 2)
    {
      guint8 *out = g_malloc0 (ub);

      for (gsize i = 0; i < ub; i++)
        out[i] = (guint8) mt_per_get_bits (r, 8);
      if (r->failed)
        return g_free (out), NULL;
      *len = ub;
      return out;
    }
  n = (lb == ub && ub < 65536) ? ub : mt_per_get_length_constrained (r, lb, ub);
  if (r->failed || n < lb || n > ub)
    {
      mt_per_fail (r, "octet string size out of range");
      return NULL;
    }
  *len = n;
  return get_aligned_octets (r, n);
}

guint8 *
mt_per_get_bitstring (MtPerReader *r, gsize lb, gsize ub, gsize *n_bits)
{
  gsize n;
  guint8 *out;

  *n_bits = 0;
  n = (lb == ub && ub < 65536) ? ub : mt_per_get_length_constrained (r, lb, ub);
  if (r->failed || n < lb || n > ub || n > mt_per_reader_remaining_bits (r))
    {
      mt_per_fail (r, "bit string size out of range");
      return NULL;
    }
  if (ub > 16)
    mt_per_skip_align (r);
  out = g_malloc0 (n / 8 + 1);
  for (gsize i = 0; i < n; i++)
    if (mt_per_get_bits (r, 1))
      out[i / 8] |= 0x80 >> (i % 8);
  if (r->failed)
    return g_free (out), NULL;
  *n_bits = n;
  return out;
}

static guint32 *
get_chars (MtPerReader *r, gsize lb, gsize ub, guint b, const char *alphabet, gsize *n_out)
{
  g_autofree char *sorted = alphabet ? sorted_alphabet (alphabet) : NULL;
  gboolean use_index = sorted && (guchar) sorted[strlen (sorted) - 1] >= (1u << b);
  gsize n = (lb == ub && ub < 65536) ? ub : mt_per_get_length_constrained (r, lb, ub);
  guint32 *chars;

  if (r->failed || n < lb || n > ub || n * b > mt_per_reader_remaining_bits (r))
    {
      mt_per_fail (r, "string size out of range");
      return NULL;
    }
  if ((guint64) ub * b > 16)
    mt_per_skip_align (r);
  chars = g_new0 (guint32, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      guint32 c = (guint32) mt_per_get_bits (r, b);

      if (use_index)
        {
          if (c >= strlen (sorted))
            {
              mt_per_fail (r, "character outside the permitted alphabet");
              break;
            }
          c = (guchar) sorted[c];
        }
      chars[i] = c;
    }
  if (r->failed)
    return g_free (chars), NULL;
  *n_out = n;
  return chars;
}

char *
mt_per_get_ia5 (MtPerReader *r, gsize lb, gsize ub, const char *alphabet)
{
  guint b = alphabet ? aligned_char_bits ((guint) strlen (alphabet)) : IA5_FULL_BITS;
  gsize n = 0;
  g_autofree guint32 *chars = get_chars (r, lb, ub, b, alphabet, &n);
  char *s;

  if (chars == NULL)
    return NULL;
  s = g_malloc0 (n + 1);
  for (gsize i = 0; i < n; i++)
    {
      if (chars[i] == 0 || chars[i] > 0x7f)
        {
          g_free (s);
          mt_per_fail (r, "not an IA5 character");
          return NULL;
        }
      s[i] = (char) chars[i];
    }
  return s;
}

char *
mt_per_get_bmp (MtPerReader *r, gsize lb, gsize ub)
{
  gsize n = 0;
  g_autofree guint32 *chars = get_chars (r, lb, ub, 16, NULL, &n);
  GString *s;

  if (chars == NULL)
    return NULL;
  s = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      guint32 c = chars[i];

      /* surrogates and controls become '?': the text is for people */
      if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
        c = '?';
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

guint
mt_per_get_oid (MtPerReader *r, guint32 *arcs, guint max_arcs)
{
  gsize n = mt_per_get_length (r);
  g_autofree guint8 *content = NULL;
  guint n_arcs = 0;
  guint64 sub = 0;

  if (r->failed || n == 0 || max_arcs < 2)
    return (guint) mt_per_fail (r, "bad object identifier");
  content = get_aligned_octets (r, n);
  if (content == NULL)
    return 0;
  for (gsize i = 0; i < n; i++)
    {
      sub = (sub << 7) | (content[i] & 0x7f);
      if (sub > G_MAXUINT32)
        return (guint) mt_per_fail (r, "object identifier arc too large");
      if (content[i] & 0x80)
        continue;
      if (n_arcs == 0)
        {
          arcs[0] = sub < 40 ? 0 : sub < 80 ? 1 : 2;
          arcs[1] = (guint32) (sub - arcs[0] * 40);
          n_arcs = 2;
        }
      else if (n_arcs < max_arcs)
        arcs[n_arcs++] = (guint32) sub;
      else
        return (guint) mt_per_fail (r, "object identifier too long");
      sub = 0;
    }
  if (content[n - 1] & 0x80)
    return (guint) mt_per_fail (r, "object identifier cut short");
  return n_arcs;
}

gboolean
mt_per_get_open (MtPerReader *r, MtPerReader *inner)
{
  gsize n = mt_per_get_length (r);

  mt_per_skip_align (r);
  if (r->failed || n * 8 > mt_per_reader_remaining_bits (r))
    {
      mt_per_fail (r, "open type truncated");
      mt_per_reader_init (inner, NULL, 0);
      inner->failed = TRUE;
      return FALSE;
    }
  mt_per_reader_init (inner, r->data + r->pos / 8, n);
  r->pos += n * 8;
  return TRUE;
}

void
mt_per_skip_open (MtPerReader *r)
{
  MtPerReader inner;

  mt_per_get_open (r, &inner);
}

guint
mt_per_get_ext_bitmap (MtPerReader *r, gboolean *present, guint max_present)
{
  guint n;

  if (mt_per_get_bool (r))
    return (guint) mt_per_fail (r, "too many extension additions");
  n = (guint) mt_per_get_bits (r, 6) + 1;
  for (guint i = 0; i < n; i++)
    {
      gboolean bit = mt_per_get_bool (r);

      if (i < max_present)
        present[i] = bit;
    }
  for (guint i = n; i < max_present; i++)
    present[i] = FALSE;
  return r->failed ? 0 : n;
}

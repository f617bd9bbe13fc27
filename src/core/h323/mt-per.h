/* mt-per.h: ASN.1 aligned PER (ITU-T X.691, BASIC-PER ALIGNED) bits in and out
 *
 * A writer appends to a growing buffer; a reader walks a borrowed one. The
 * reader's errors are sticky: after the first short read or out-of-range
 * value every read returns 0 and mt_per_reader_failed() says so, so decoders
 * read a whole structure and check once. Only what H.225.0 and H.245 need:
 * lengths below 16K (no fragmentation), whole numbers up to 64 bits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GByteArray *bytes;
  guint       bit;     /* bits used in the last octet, 0..7 (0: octet-aligned) */
} MtPerWriter;

typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;   /* in bits */
  gboolean      failed;
  const char   *error; /* what went wrong first, for logs */
} MtPerReader;

/* ---- writer ---------------------------------------------------------------- */

void    mt_per_writer_init   (MtPerWriter *w);
void    mt_per_writer_clear  (MtPerWriter *w);
/* The encoding, padded to a whole octet; an empty encoding becomes one zero
 * octet (X.691 10.1.3). The writer is left empty. */
GBytes *mt_per_writer_finish (MtPerWriter *w);

void mt_per_put_bits          (MtPerWriter *w, guint64 value, guint n_bits);
void mt_per_align             (MtPerWriter *w);
void mt_per_put_bool          (MtPerWriter *w, gboolean value);
/* X.691 10.5: lb <= value <= ub */
void mt_per_put_constrained   (MtPerWriter *w, guint64 value, guint64 lb, guint64 ub);
/* X.691 10.7: value >= lb */
void mt_per_put_semi          (MtPerWriter *w, guint64 value, guint64 lb);
/* X.691 10.8: two's complement */
void mt_per_put_unconstrained (MtPerWriter *w, gint64 value);
/* X.691 10.6: normally small non-negative whole number */
void mt_per_put_small         (MtPerWriter *w, guint64 value);
/* X.691 10.9: unconstrained length (< 16384), aligned */
void mt_per_put_length        (MtPerWriter *w, gsize length);
/* X.691 10.9: length with a size constraint lb..ub (ub < 64K) */
void mt_per_put_length_constrained (MtPerWriter *w, gsize length, gsize lb, gsize ub);
/* CHOICE index / ENUMERATED: `index` < n_root is a root alternative, else an
 * extension (index - n_root); the caller then writes an open type for it */
void mt_per_put_choice        (MtPerWriter *w, guint index, guint n_root, gboolean extensible);
/* OCTET STRING (SIZE(lb..ub)); ub == G_MAXSIZE: no upper bound */
void mt_per_put_octets        (MtPerWriter *w, const guint8 *data, gsize len, gsize lb, gsize ub);
/* BIT STRING (SIZE(lb..ub)); bits are MSB first in `data` */
void mt_per_put_bitstring     (MtPerWriter *w, const guint8 *data, gsize n_bits, gsize lb, gsize ub);
/* IA5String (SIZE(lb..ub)) (FROM (alphabet)), alphabet NULL: all of IA5 */
void mt_per_put_ia5           (MtPerWriter *w, const char *s, gsize lb, gsize ub, const char *alphabet);
/* BMPString (SIZE(lb..ub)) from UTF-8 (characters above U+FFFF become '?') */
void mt_per_put_bmp           (MtPerWriter *w, const char *utf8, gsize lb, gsize ub);
/* OBJECT IDENTIFIER from arcs */
void mt_per_put_oid           (MtPerWriter *w, const guint32 *arcs, guint n_arcs);
/* an open type: length + the complete encoding of `inner` (consumed) */
void mt_per_put_open          (MtPerWriter *w, MtPerWriter *inner);
/* SEQUENCE extension additions: the "present" bitmap of n additions (a
 * normally small length n-1, then n bits); the caller then writes one open
 * type per present addition */
void mt_per_put_ext_bitmap    (MtPerWriter *w, const gboolean *present, guint n);

/* ---- reader ---------------------------------------------------------------- */

void     mt_per_reader_init    (MtPerReader *r, const guint8 *data, gsize len);
gboolean mt_per_reader_failed  (const MtPerReader *r);
/* marks the reader failed (first reason wins); returns 0 for convenience */
guint64  mt_per_fail           (MtPerReader *r, const char *why);
gsize    mt_per_reader_remaining_bits (const MtPerReader *r);

guint64  mt_per_get_bits          (MtPerReader *r, guint n_bits);
void     mt_per_skip_align        (MtPerReader *r);
gboolean mt_per_get_bool          (MtPerReader *r);
guint64  mt_per_get_constrained   (MtPerReader *r, guint64 lb, guint64 ub);
guint64  mt_per_get_semi          (MtPerReader *r, guint64 lb);
gint64   mt_per_get_unconstrained (MtPerReader *r);
guint64  mt_per_get_small         (MtPerReader *r);
gsize    mt_per_get_length        (MtPerReader *r);
gsize    mt_per_get_length_constrained (MtPerReader *r, gsize lb, gsize ub);
/* returns the alternative index; extensions come back as n_root + i */
guint    mt_per_get_choice        (MtPerReader *r, guint n_root, gboolean extensible);
/* a copy of the octets (NULL on failure), length in *len */
guint8  *mt_per_get_octets        (MtPerReader *r, gsize lb, gsize ub, gsize *len);
guint8  *mt_per_get_bitstring     (MtPerReader *r, gsize lb, gsize ub, gsize *n_bits);
char    *mt_per_get_ia5           (MtPerReader *r, gsize lb, gsize ub, const char *alphabet);
/* UTF-8, or NULL */
char    *mt_per_get_bmp           (MtPerReader *r, gsize lb, gsize ub);
/* arcs into `arcs` (at most max_arcs), returns how many, 0 on failure */
guint    mt_per_get_oid           (MtPerReader *r, guint32 *arcs, guint max_arcs);
/* An open type: a reader over its contents (sharing the buffer); the outer
 * reader moves past it */
gboolean mt_per_get_open          (MtPerReader *r, MtPerReader *inner);
/* skips an open type */
void     mt_per_skip_open         (MtPerReader *r);
/* extension additions bitmap: returns n, the bits in present[] (up to
 * max_present; further bits are read and counted, not stored) */
guint    mt_per_get_ext_bitmap    (MtPerReader *r, gboolean *present, guint max_present);

G_END_DECLS

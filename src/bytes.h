/*
 * bytes.h: fixed-width little-endian integers and unsigned LEB128
 * varints, as the Parquet and Thrift formats store them.
 *
 * Writers fill a caller buffer of the stated size; readers read exactly
 * the stated number of bytes (bounds are the caller's job).
 */
#ifndef DS_BYTES_H
#define DS_BYTES_H

#include <stddef.h>
#include <stdint.h>

#define BYTES_ULEB128_MAX	10	/* bytes of the longest uint64_t */

void		bytes_put_le32(unsigned char *, uint32_t);
void		bytes_put_le64(unsigned char *, uint64_t);
uint32_t	bytes_get_le32(const unsigned char *);
uint64_t	bytes_get_le64(const unsigned char *);

/* Encode v into out (BYTES_ULEB128_MAX bytes); returns the length. */
size_t		bytes_put_uleb128(unsigned char *out, uint64_t v);

#endif

/*
 * bytes.c: little-endian integers and LEB128 varints (see bytes.h).
 */
#include "config.h"

#include "bytes.h"

void
bytes_put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

void
bytes_put_le64(unsigned char *p, uint64_t v)
{
	bytes_put_le32(p, (uint32_t)v);
	bytes_put_le32(p + 4, (uint32_t)(v >> 32));
}

uint32_t
bytes_get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

uint64_t
bytes_get_le64(const unsigned char *p)
{
	return (uint64_t)bytes_get_le32(p) |
	    (uint64_t)bytes_get_le32(p + 4) << 32;
}

size_t
bytes_put_uleb128(unsigned char *out, uint64_t v)
{
	size_t	 n = 0;

	while (v >= 0x80) {
		out[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char)v;
	return n;
}

/*
 * hello-fcgi.c: the FastCGI floor of the benchmark: a libfcgi responder
 * that does nothing but answer, behind the same front end and config as
 * deltashare.  "?bytes=N" answers N bytes (the streaming floor, written
 * in 64 KiB pieces like deltashare's NDJSON); otherwise a small JSON
 * body of the size of a list-shares answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#define PIECE	65536

static void
answer(FCGX_Request *r)
{
	static char	 piece[PIECE];
	const char	*q = FCGX_GetParam("QUERY_STRING", r->envp);
	long		 left = 0, n;

	if (q != NULL && strncmp(q, "bytes=", 6) == 0)
		left = atol(q + 6);
	if (left <= 0) {
		FCGX_FPrintF(r->out, "Status: 200 OK\r\nContent-Type: "
		    "application/json; charset=utf-8\r\n\r\n"
		    "{\"items\":[{\"name\":\"share1\",\"id\":"
		    "\"7e8a4b1c-0d2f-4c3e-9a1b-2c3d4e5f6a7b\"}]}");
		return;
	}
	if (piece[0] == '\0')
		memset(piece, 'x', sizeof(piece));
	FCGX_FPrintF(r->out, "Status: 200 OK\r\nContent-Type: "
	    "application/octet-stream\r\nContent-Length: %ld\r\n\r\n", left);
	while (left > 0) {
		n = left > PIECE ? PIECE : left;
		if (FCGX_PutStr(piece, (int)n, r->out) != (int)n)
			return;
		left -= n;
	}
}

int
main(void)
{
	FCGX_Request	 r;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		answer(&r);
		FCGX_Finish_r(&r);
	}
	return 0;
}

/*
 * api_file.h: the route that serves table files by signed URL
 * (GET/HEAD {prefix}/files/{token}; see fileurl.h).
 */
#ifndef DS_API_FILE_H
#define DS_API_FILE_H

struct req;

int	file_get(struct req *);

#endif

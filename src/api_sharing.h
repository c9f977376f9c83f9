/*
 * api_sharing.h: handlers of the Delta Sharing discovery endpoints
 * (protocol-notes §1.1-§1.5): list shares, get share, list schemas,
 * list tables, list all tables.  All need a recipient token and see only
 * the shares granted to that recipient.
 */
#ifndef DS_API_SHARING_H
#define DS_API_SHARING_H

struct req;

int	sharing_list_shares(struct req *);
int	sharing_get_share(struct req *);
int	sharing_list_schemas(struct req *);
int	sharing_list_tables(struct req *);
int	sharing_list_all_tables(struct req *);

#endif

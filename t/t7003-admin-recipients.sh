#!/bin/sh
# t7003-admin-recipients: recipients and their bearer tokens: profiles
# that official clients accept, listing without secrets, revocation that
# takes effect on the next request, and deletion.

. "$(dirname "$0")/lib-ds.sh"
ds_start "[auth]
max_token_ttl = 8640000"

DS_TOKEN=$ADMIN_TOKEN

test_expect_success 'create, duplicate, get, patch, list recipients' '
	api POST /admin/recipients "{\"name\":\"acme\",\"comment\":\"Acme Corp\"}" &&
	expect_status 201 &&
	expect_json ".name == \"acme\" and .comment == \"Acme Corp\" and .shares == [] and .activeTokens == 0" &&
	api POST /admin/recipients "{\"name\":\"ACME\"}" && expect_error 409 RESOURCE_ALREADY_EXISTS &&
	api POST /admin/recipients "{\"name\":\"a/b\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "recipient name must not contain" &&
	api PATCH /admin/recipients/acme "{\"comment\":\"ACME Corporation\"}" &&
	expect_status 200 && expect_json ".comment == \"ACME Corporation\"" &&
	api POST /admin/recipients "{\"name\":\"globex\"}" && expect_status 201 &&
	api GET /admin/recipients && expect_json "[.items[].name] == [\"acme\",\"globex\"]"
'

test_expect_success 'a token comes back as a valid profile file, once' '
	api POST /admin/recipients/acme/tokens "{\"ttlSeconds\":3600}" &&
	expect_status 201 &&
	expect_json ".id | test(\"^[0-9a-f-]{36}$\")" &&
	expect_json ".profile | keys == [\"bearerToken\",\"endpoint\",\"expirationTime\",\"shareCredentialsVersion\"]" &&
	expect_json ".profile.shareCredentialsVersion == 1 and .profile.endpoint == \"$DS_URL\"" &&
	jget .profile >acme.share && jget .id >acme.id &&
	exp=$(jget .profile.expirationTime) &&
	now=$(date +%s) && e=$(date -d "$exp" +%s) &&
	test $((e - now)) -ge 3590 && test $((e - now)) -le 3610 &&
	test "$(header Cache-Control)" = no-store
'

test_expect_success 'the profile works against the sharing API' '
	T=$(jq -r .bearerToken acme.share) &&
	api -t "$T" GET /shares && expect_status 200 && test "$(body)" = "{}"
'

test_expect_success 'token ttl bounds and defaults' '
	api POST /admin/recipients/acme/tokens "{\"ttlSeconds\":59}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "ttlSeconds" &&
	api POST /admin/recipients/acme/tokens "{\"ttlSeconds\":8640001}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "ttlSeconds" &&
	api POST /admin/recipients/acme/tokens "{\"ttlSeconds\":\"60\"}" &&
	expect_error 400 INVALID_PARAMETER_VALUE "integer" &&
	api POST /admin/recipients/acme/tokens "{}" && expect_status 201 &&
	e=$(date -d "$(jget .profile.expirationTime)" +%s) &&
	test $((e - $(date +%s))) -ge $((7776000 - 10)) &&
	api POST /admin/recipients/nobody/tokens "{}" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST "recipient '\''nobody'\'' not found"
'

test_expect_success 'tokens are listed without secrets' '
	api GET /admin/recipients/acme/tokens && expect_status 200 &&
	expect_json "(.items | length) == 2 and all(.items[]; .active == true)" &&
	expect_json "all(.items[]; keys == [\"active\",\"createdAt\",\"expiresAt\",\"id\"])" &&
	! grep -q "$(jq -r .bearerToken acme.share)" resp.body &&
	api GET /admin/recipients/acme && expect_json ".activeTokens == 2"
'

test_expect_success 'revocation takes effect on the next request' '
	T=$(jq -r .bearerToken acme.share) &&
	api -t "$T" GET /shares && expect_status 200 &&
	api DELETE "/admin/recipients/acme/tokens/$(cat acme.id)" && expect_status 204 &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED "revoked" &&
	api GET /admin/recipients/acme/tokens &&
	expect_json "[.items[] | select(.id == \"$(cat acme.id)\")][0] | .active == false and (.revokedAt | length) > 0" &&
	api DELETE "/admin/recipients/acme/tokens/$(cat acme.id)" && expect_status 204
'

test_expect_success 'another recipient cannot revoke, nor see, acme tokens' '
	api DELETE "/admin/recipients/globex/tokens/$(cat acme.id)" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST &&
	api DELETE "/admin/recipients/acme/tokens/not-a-uuid" &&
	expect_error 400 INVALID_PARAMETER_VALUE "token id" &&
	api DELETE "/admin/recipients/acme/tokens/00000000-0000-4000-8000-000000000000" &&
	expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'an expired token is refused' '
	api POST /admin/recipients/globex/tokens "{\"ttlSeconds\":60}" &&
	T=$(jget .profile.bearerToken) && id=$(jget .id) &&
	api -t "$T" GET /shares && expect_status 200 &&
	pg_sql "UPDATE token SET expires_at = now() - interval '\''1 second'\'' WHERE id = '\''$id'\''" &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED "expired"
'

test_expect_success 'renaming a recipient keeps its tokens and grants' '
	api POST /admin/recipients/globex/tokens "{}" && T=$(jget .profile.bearerToken) &&
	api POST /admin/shares "{\"name\":\"s\"}" &&
	api POST /admin/shares/s/recipients "{\"recipient\":\"globex\"}" && expect_status 201 &&
	api PATCH /admin/recipients/globex "{\"name\":\"initech\"}" && expect_status 200 &&
	expect_json ".shares == [\"s\"]" &&
	api -t "$T" GET /shares && expect_json "[.items[].name] == [\"s\"]"
'

test_expect_success 'deleting a recipient kills its tokens and grants' '
	api DELETE /admin/recipients/initech && expect_status 204 &&
	api -t "$T" GET /shares && expect_error 401 UNAUTHENTICATED &&
	api GET /admin/shares/s && expect_json ".recipients == []" &&
	api GET /admin/recipients/initech && expect_error 404 RESOURCE_DOES_NOT_EXIST
'

test_expect_success 'token changes are audited without the token' '
	api GET "/admin/audit?objectType=token" &&
	expect_json "[.items[].action] | (index(\"token.create\") != null and index(\"token.revoke\") != null)" &&
	! grep -q "$(jq -r .bearerToken acme.share)" resp.body
'

test_done

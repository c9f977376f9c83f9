#!/bin/sh
# t8010-operations: what an operator watches, through lighttpd with the
# shipped config: {prefix}/health for load balancers, the Prometheus
# metrics at {prefix}/admin/metrics (the same totals whichever worker
# answers, across worker restarts: shared memory), the audit log of
# sharing calls (JSON lines in audit.file and rows read back through
# GET {prefix}/admin/audit/sharing), and admin changes taking effect on
# the next request without restarting anything.
#
# Requests answered by deltashare in CGI mode, one process each, count
# in the same totals as lighttpd's workers: the proof that the numbers
# are shared, not per process.

. "$(dirname "$0")/lib-ds.sh"
MKTABLE=$DS_BUILD_DIR/src/mktable
test -x "$MKTABLE" || test_skip_all "mktable not built"
AUDIT_FILE=$TRASH/audit.log
ds_start "[audit]
file = $AUDIT_FILE"

get_metrics() {
	api -t "$ADMIN_TOKEN" GET /admin/metrics && expect_status 200
}

test_expect_success 'set up: a table shared with recipient r' '
	DS_TOKEN=$ADMIN_TOKEN &&
	"$MKTABLE" --seed 1 "$TRASH/tables/demo" >demo.mk &&
	api POST /admin/tables "{\"name\":\"demo\",\"location\":\"$TRASH/tables/demo\"}" &&
	expect_status 201 &&
	share_to_recipient s d r demo
'
R=$(cat r.token 2>/dev/null)
T=/shares/s/schemas/d/tables/demo

test_expect_success 'health: 200 JSON without a token' '
	api -t "" GET /health && expect_status 200 &&
	expect_json ".status == \"ok\" and (.version | type == \"string\")" &&
	api -t "" HEAD /health && expect_status 200
'

test_expect_success 'metrics need an admin token' '
	api -t "" GET /admin/metrics && expect_error 401 UNAUTHENTICATED &&
	api -t "$R" GET /admin/metrics && expect_status 401
'

test_expect_success 'metrics: Prometheus text, shared by all workers' '
	get_metrics &&
	header Content-Type | grep -q "^text/plain; version=0.0.4" &&
	test "$(metric_value deltashare_metrics_shared)" = 1 &&
	grep -q "^deltashare_build_info{version=\"[0-9.]*\"} 1$" resp.body &&
	grep -q "^# TYPE deltashare_http_request_duration_seconds histogram$" resp.body
'

# cgi_get PATH: one request answered by a deltashare process of its own.
cgi_get() {
	REQUEST_METHOD=GET REQUEST_URI=/delta-sharing$1 \
	    HTTP_AUTHORIZATION="Bearer $R" DELTASHARE_CONF=$DS_CONF \
	    "$DS_BIN" >cgi.out 2>cgi.err
}

test_expect_success 'request counts add up over every worker process' '
	for i in 1 2 3 4 5 6; do
		api -t "$R" GET /shares && expect_status 200 &&
		cgi_get /shares && grep -q "^Status: 200" cgi.out || return 1
	done &&
	api -t "$R" GET /shares/nope && expect_status 404 &&
	get_metrics &&
	test "$(metric_value "deltashare_http_requests_total{method=\"GET\",route=\"/shares\",status=\"200\"}")" = 12 &&
	test "$(metric_value "deltashare_http_requests_total{method=\"GET\",route=\"/shares/{share}\",status=\"404\"}")" = 1 &&
	test "$(metric_value deltashare_worker_starts_total)" -ge 2
'

test_expect_success 'histograms: cumulative buckets, +Inf = count = requests' '
	h="deltashare_http_request_duration_seconds" &&
	l="method=\"GET\",route=\"/shares\"" &&
	test "$(metric_value "${h}_count{$l}")" = 12 &&
	test "$(metric_value "${h}_bucket{$l,le=\"+Inf\"}")" = 12 &&
	grep "^${h}_bucket{$l," resp.body | awk "{ if (\$2 < last) exit 1; last = \$2 }"
'

test_expect_success 'workers: as many alive as lighttpd runs' '
	n=$(lighttpd_workers | wc -l) &&
	get_metrics &&
	busy=$(metric_value "deltashare_workers{state=\"busy\"}") &&
	idle=$(metric_value "deltashare_workers{state=\"idle\"}") &&
	test "$busy" -ge 1 && test $((busy + idle)) -eq "$n"
'

test_expect_success 'a query: storage operations counted and timed' '
	api -t "$R" POST "$T/query" "{\"limitHint\":1}" &&
	expect_status 200 &&
	get_metrics &&
	test "$(metric_value "deltashare_storage_operations_total{backend=\"local\",op=\"list\",outcome=\"ok\"}")" -ge 1 &&
	test "$(metric_value "deltashare_storage_operation_duration_seconds_count{backend=\"local\",op=\"list\"}")" -ge 1 &&
	test "$(metric_value deltashare_files_listed_total)" -ge 1 &&
	test "$(metric_value deltashare_db_connects_total)" -ge 1
'

test_expect_success 'the metrics command shows the same segment' '
	ds metrics >cli.out &&
	grep -q "^deltashare_metrics_shared 1$" cli.out &&
	grep -q "route=\"/shares\",status=\"200\"} 12$" cli.out
'

# --- the audit log of sharing calls ---------------------------------------

test_expect_success 'sharing calls of every kind' '
	api -t "$R" GET "$T/metadata" && expect_status 200 &&
	api -t "$R" POST "$T/query" "{\"jsonPredicateHints\":\"{\\\"op\\\":\\\"equal\\\",\\\"children\\\":[{\\\"op\\\":\\\"column\\\",\\\"name\\\":\\\"region\\\",\\\"valueType\\\":\\\"string\\\"},{\\\"op\\\":\\\"literal\\\",\\\"value\\\":\\\"north\\\",\\\"valueType\\\":\\\"string\\\"}]}\"}" \
	    -A "audit-test/1.0" &&
	expect_status 200 &&
	grep "\"file\"" resp.body | head -n 1 | jq -r .file.url >url &&
	curl -s -o file.out -w "%{http_code}" "$(cat url)" >file.status &&
	test "$(cat file.status)" = 200 &&
	api -t "not-a-token" GET /shares && expect_status 401 &&
	api -t "$R" GET "/shares/s/schemas/d/tables/nope/metadata" &&
	expect_status 404
'

test_expect_success 'read back: newest first, filtered by recipient' '
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?recipient=R&maxResults=100" &&
	expect_status 200 &&
	expect_json "[.items[].recipient] | unique == [\"r\"]" &&
	expect_json ".items[0].status == 404 and .items[0].errorCode == \"RESOURCE_DOES_NOT_EXIST\" and .items[0].table == \"nope\"" &&
	expect_json ".items[1].route == \"/shares/{share}/schemas/{schema}/tables/{table}/query\" and .items[1].method == \"POST\"" &&
	expect_json ".items[1].share == \"s\" and .items[1].schema == \"d\" and .items[1].table == \"demo\"" &&
	expect_json ".items[1].hints == [\"jsonPredicateHints\"] and .items[1].served.version == 3" &&
	expect_json ".items[1].files >= 1 and .items[1].bytes > 0 and .items[1].userAgent == \"audit-test/1.0\"" &&
	expect_json ".items[1].client == \"127.0.0.1\" and (.items[1].tokenId | test(\"^[0-9a-f-]{36}$\"))" &&
	expect_json ".items[1].requestId | test(\"^[0-9a-f]{16}$\")" &&
	expect_json "[.items[] | select(.route == \"/shares\")] | length == 12"
'

test_expect_success 'versions asked and served, limitHint applied' '
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?table=demo&maxResults=100" &&
	expect_status 200 &&
	expect_json "[.items[] | select(.asked.limitHint == 1)][0] | .served.version == 3 and .hints == [\"limitHint\"] and .files == 1" &&
	api -t "$R" POST "$T/query" "{\"version\":1}" &&
	expect_error 400 INVALID_PARAMETER_VALUE &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?table=DEMO&maxResults=1" &&
	expect_json ".items[0].asked == {\"version\":1} and .items[0].status == 400 and .items[0].served == null" &&
	api -t "$R" GET "$T/version?startingTimestamp=2000-01-01T00:00:00Z" &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=1" &&
	expect_json ".items[0].asked == {\"startingTimestamp\":\"2000-01-01T00:00:00Z\"}"
'

test_expect_success 'file downloads are audited by table id and file' '
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=100" &&
	expect_json "[.items[] | select(.route == \"/files/{file}\")][0] | .status == 200 and (.file | endswith(\".parquet\")) and .tableId > 0"
'

test_expect_success 'a bad token is audited without a recipient' '
	expect_json "[.items[] | select(.status == 401)][0] | .recipient == null and .errorCode == \"UNAUTHENTICATED\""
'

test_expect_success 'filters: time window, paging, bad input' '
	since=$(jq -r ".items[-1].time" resp.body) &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?until=$since" &&
	expect_status 200 &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?since=2999-01-01T00:00:00Z" &&
	expect_status 200 && expect_json "(.items // []) == []" &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=2" &&
	expect_json "(.items | length) == 2 and (.nextPageToken | type == \"string\")" &&
	first=$(jq -r ".items[1].requestId" resp.body) &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=2&pageToken=$(jget .nextPageToken)" &&
	expect_status 200 && expect_json ".items[0].requestId != \"$first\"" &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?since=yesterday" &&
	expect_error 400 INVALID_PARAMETER_VALUE "ISO-8601" &&
	api -t "$R" GET "/admin/audit/sharing" && expect_status 401
'

# A user agent with a quote and a backslash: escaped in the JSON line,
# and again in the array literal of a batched INSERT.
UA='burst/1.0 "q" \\ x'

burst_stored() {
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=500" &&
	test "$(jq --arg ua "$UA" "[.items[] | select(.userAgent == \$ua)] |
	    length" resp.body)" = 40
}

test_expect_success 'calls made while others queue: each stored once, soon' '
	seq 40 | xargs -P 8 -I{} curl -s -o /dev/null -A "$UA" \
	    -H "Authorization: Bearer $R" "$DS_URL/shares" &&
	test_poll burst_stored &&
	jq -r --arg ua "$UA" ".items[] | select(.userAgent == \$ua) |
	    .requestId" resp.body | sort | uniq -d >dups && test ! -s dups
'

test_expect_success 'audit.file has the same records, one JSON line each' '
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=500" &&
	expect_json ".nextPageToken == null" &&
	jq -r ".items[].requestId" resp.body | sort >db.ids &&
	jq -c ".items[]" resp.body | sort >db.lines &&
	sort "$AUDIT_FILE" >file.lines && test_cmp db.lines file.lines &&
	jq -r .requestId "$AUDIT_FILE" | sort >file.ids &&
	test_cmp db.ids file.ids &&
	get_metrics &&
	test "$(metric_value "deltashare_audit_records_total{result=\"stored\"}")" = "$(wc -l <db.ids)"
'

test_expect_success 'no token, password or signed URL in the audit log' '
	url_token=$(sed "s|.*/||" url) && test -n "$url_token" &&
	! grep -F -e "$R" -e "$ADMIN_TOKEN" -e "$url_token" -e "$ADMIN_PASSWORD" \
	    "$AUDIT_FILE" &&
	api -t "$ADMIN_TOKEN" GET "/admin/audit/sharing?maxResults=500" &&
	! grep -F -e "$R" -e "$url_token" resp.body
'

# --- the database down ----------------------------------------------------

test_expect_success 'health: 503 JSON while PostgreSQL is down, 200 after' '
	pg_stop &&
	api -t "" GET /health && expect_error 503 TEMPORARILY_UNAVAILABLE &&
	test "$(header Retry-After)" = 1 &&
	pg_ctl_start &&
	api -t "" GET /health && expect_status 200
'

test_expect_success 'a record the database cannot take: in the file and the log' '
	pg_stop &&
	api -t "$R" GET /shares && expect_error 503 TEMPORARILY_UNAVAILABLE &&
	rid=$(header X-Request-Id) &&
	pg_ctl_start &&
	jq -e "select(.requestId == \"$rid\") | .status == 503" "$AUDIT_FILE" &&
	grep "audit: record not stored" "$HTTPD_DIR/deltashare.log" |
	    grep -q "\"requestId\":\"$rid\"" &&
	get_metrics &&
	test "$(metric_value "deltashare_audit_records_total{result=\"failed\"}")" -ge 1
'

# --- admin changes: the next request sees them --------------------------

test_expect_success 'admin changes take effect on the next request' '
	lighttpd_workers | sort >pids.before &&
	api -t "$ADMIN_TOKEN" DELETE /admin/shares/s/recipients/r &&
	expect_status 204 &&
	api -t "$R" GET /shares && expect_json "(.items // []) == []" &&
	api -t "$R" GET "$T/metadata" && expect_status 404 &&
	api -t "$ADMIN_TOKEN" POST /admin/shares/s/recipients "{\"recipient\":\"r\"}" &&
	expect_status 201 &&
	api -t "$R" GET "$T/metadata" && expect_status 200 &&
	tid=$(jq -r .tokenId "$AUDIT_FILE" | grep -v null | head -n 1) &&
	api -t "$ADMIN_TOKEN" DELETE "/admin/recipients/r/tokens/$tid" &&
	expect_status 204 &&
	api -t "$R" GET /shares && expect_status 401 &&
	lighttpd_workers | sort >pids.after &&
	test -s pids.after
'

test_done

#!/bin/sh
# t7005-admin-concurrency: several admins change one share at the same
# time, through lighttpd with the shipped configuration (2 workers):
# tables added to schemas (new and shared ones), schemas created and
# deleted, the comment patched, recipients granted and revoked.  No
# update is lost, races on one name end in one success and clear 409s,
# never a 5xx, and the audit trail has exactly one record per successful
# change, with its actor and object.

. "$(dirname "$0")/lib-ds.sh"
ds_start

DS_TOKEN=$ADMIN_TOKEN
CLIENTS="1 2 3 4 5 6 7 8 9"

# Each client is an admin account of its own: opsN.
test_expect_success 'setup: accounts, tables, recipients, the share' '
	for n in $CLIENTS; do
		api -t "$ADMIN_TOKEN" POST /admin/accounts \
		    "{\"name\":\"ops$n\",\"password\":\"password-of-ops$n\"}" &&
		expect_status 201 &&
		ds_login "ops$n" "password-of-ops$n" &&
		echo "$DS_TOKEN" >"ops$n.token" || return 1
	done &&
	DS_TOKEN=$ADMIN_TOKEN &&
	: >expected-audit &&
	for k in 1 2 3 4; do
		for i in 0 1 2 3 4; do
			make_table_dir "t${k}_$i" &&
			api POST /admin/tables "{\"name\":\"t${k}_$i\",\"location\":\"$TRASH/tables/t${k}_$i\"}" &&
			expect_status 201 || return 1
		done
	done &&
	make_table_dir dup &&
	api POST /admin/tables "{\"name\":\"dup\",\"location\":\"$TRASH/tables/dup\"}" &&
	expect_status 201 &&
	for r in r0 r1 r2 r3 r4 r5 q0 q1 q2; do
		api POST /admin/recipients "{\"name\":\"$r\"}" &&
		expect_status 201 || return 1
	done &&
	api POST /admin/shares "{\"name\":\"hot\",\"comment\":\"initial\"}" &&
	expect_status 201 &&
	api GET "/admin/audit?maxResults=1" && jget ".items[0].id" >mark
'

# req N METHOD PATH [BODY]: one request as opsN; "STATUS METHOD PATH" goes
# to client-N.log.  Prints the status.
req() {
	_s=$(curl -s -o /dev/null -w '%{http_code}' -X "$2" \
	    -H "Authorization: Bearer $(cat "ops$1.token")" \
	    ${4:+-H 'Content-Type: application/json' --data-binary "$4"} \
	    "$DS_URL$3")
	echo "$_s $2 $3" >>"client-$1.log"
	echo "$_s"
}

# expect N STATUS ACTION TYPE OBJECT: the audit record a 2xx stands for.
expect() {
	case $2 in
	2??) echo "ops$1 $3 $4 $5" >>expected-audit ;;
	esac
}

add_table() {
	expect "$1" "$(req "$1" POST "/admin/shares/hot/schemas/$2/tables" \
	    "{\"table\":\"$3\",\"alias\":\"$4\"}")" share.table.add table \
	    "hot.$2.$4"
}

# Clients 1-4: five tables each into a schema of their own (created by
# the first add) and into the shared schema "common"; clients 1 and 2
# both add "dup" to "common".
client_adder() {
	for i in 0 1 2 3 4; do
		add_table "$1" "s$1" "t$1_$i" "t$1_$i"
		[ "$i" != 0 ] || echo "ops$1 schema.create schema hot.s$1" \
		    >>expected-audit
		add_table "$1" common "t$1_$i" "k$1_$i"
	done
	[ "$1" -gt 2 ] || add_table "$1" common dup dup
}

# Client 5: eight schemas, then deletes half of them.
client_schemas() {
	for i in 0 1 2 3 4 5 6 7; do
		expect 5 "$(req 5 POST /admin/shares/hot/schemas \
		    "{\"name\":\"x$i\"}")" schema.create schema "hot.x$i"
	done
	for i in 0 1 2 3; do
		expect 5 "$(req 5 DELETE "/admin/shares/hot/schemas/x$i")" \
		    schema.delete schema "hot.x$i"
	done
}

# Clients 6 and 7: ten comments each.
client_comment() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		expect "$1" "$(req "$1" PATCH /admin/shares/hot \
		    "{\"comment\":\"ops$1-$i\"}")" share.update share hot
	done
}

grant() {
	expect "$1" "$(req "$1" POST /admin/shares/hot/recipients \
	    "{\"recipient\":\"$2\"}")" grant.add grant "hot:$2"
}

# Clients 8 and 9 both grant r0-r5 (in opposite orders); client 8 also
# grants and revokes q0-q2.
client_grants() {
	if [ "$1" = 8 ]; then
		set -- 8 r0 r1 r2 r3 r4 r5
	else
		set -- 9 r5 r4 r3 r2 r1 r0
	fi
	_n=$1
	shift
	for r in "$@"; do
		grant "$_n" "$r"
		if [ "$_n" = 8 ] && [ "$r" \< r3 ]; then
			q=q${r#r}
			grant 8 "$q"
			expect 8 "$(req 8 DELETE "/admin/shares/hot/recipients/$q")" \
			    grant.remove grant "hot:$q"
		fi
	done
}

test_expect_success 'nine admins change the share at once' '
	pids=
	# Not "done &&": that would put the loop in the background job of
	# client_schemas, whose pids the wait below would never see.
	for n in 1 2 3 4; do
		client_adder $n & pids="$pids $!"
	done
	client_schemas & pids="$pids $!"
	client_comment 6 & pids="$pids $!"
	client_comment 7 & pids="$pids $!"
	client_grants 8 & pids="$pids $!"
	client_grants 9 & pids="$pids $!"
	for p in $pids; do
		wait $p || return 1
	done &&
	cat client-*.log >all.log &&
	echo "# $(wc -l <all.log) requests:" $(cut -d" " -f1 all.log | sort | uniq -c)
'

test_expect_success 'every answer is a success or a 409, none a 5xx' '
	! grep -v "^20[014] \|^409 " all.log
'

test_expect_success 'each race on one name: one success, then 409' '
	grep "^409 " all.log >conflicts &&
	test $(grep -c "POST /admin/shares/hot/recipients$" conflicts) = 6 &&
	test $(grep -c "POST /admin/shares/hot/schemas/common/tables$" conflicts) = 1 &&
	test $(wc -l <conflicts) = 7 &&
	grep -v " share.update " expected-audit | sort | uniq -d >twice &&
	test_cmp /dev/null twice
'

test_expect_success 'the share holds the union of all changes' '
	api GET /admin/shares/hot && expect_status 200 &&
	jget "[.schemas[] | .name + \":\" + ([.tables[].name] | sort | join(\",\"))] | sort | .[]" >got &&
	{
		for k in 1 2 3 4; do
			echo "s$k:t${k}_0,t${k}_1,t${k}_2,t${k}_3,t${k}_4"
		done
		printf "common:dup"
		for k in 1 2 3 4; do
			for i in 0 1 2 3 4; do printf ",k${k}_$i"; done
		done
		echo
		echo x4: && echo x5: && echo x6: && echo x7:
	} | sort >want &&
	test_cmp want got &&
	jget ".recipients | sort | join(\",\")" >got &&
	echo r0,r1,r2,r3,r4,r5 >want && test_cmp want got &&
	expect_json ".comment == \"ops6-10\" or .comment == \"ops7-10\""
'

test_expect_success 'one audit record per successful change, actor and object right' '
	api GET "/admin/audit?since=1970-01-01T00:00:00Z&maxResults=500" &&
	expect_status 200 && expect_json "has(\"nextPageToken\") | not" &&
	jq -r --argjson mark "$(cat mark)" ".items[] | select(.id > \$mark) |
	    \"\(.actor) \(.action) \(.objectType) \(.objectName)\"" \
	    resp.body | sort >got &&
	# Which adder created "common" depends on the race.
	grep -c "^ops[1-4] schema.create schema hot.common$" got >n &&
	echo 1 >one && test_cmp one n &&
	grep -v " schema.create schema hot.common$" got >got.rest &&
	sort expected-audit >want && test_cmp want got.rest
'

test_expect_success 'each comment update saw the one before it' '
	api GET "/admin/audit?objectType=share&object=hot&maxResults=500" &&
	jget "[.items[] | select(.action == \"share.update\")] | reverse |
	    .[] | \"\(.before.comment) \(.after.comment)\"" >chain &&
	test $(wc -l <chain) = 20 &&
	prev=initial &&
	while read before after; do
		test "$before" = "$prev" || {
			echo "update from \"$before\", expected \"$prev\"" >&2
			return 1
		}
		prev=$after
	done <chain &&
	api GET /admin/shares/hot && test "$(jget .comment)" = "$prev"
'

test_done

#!/bin/sh
# t0006-install: "make install DESTDIR=..." from the build tree puts every
# file where the README says, filled in for the configured paths; the
# installed programs run and the installed sample configuration passes
# "deltashare -n" once its paths are made real; the man pages are
# lint-clean; the web-server snippets work as Debian's conf-available
# files (a2enconf + apache2ctl -t, lighty-enable-mod + lighttpd -tt, an
# nginx server {} include + nginx -t); "make uninstall" removes it all.

. "$(dirname "$0")/test-lib.sh"

command -v make >/dev/null 2>&1 || test_skip_all "make not installed"
[ -f "$DS_BUILD_DIR/Makefile" ] || test_skip_all "no configured build tree"

DEST=$TRASH/dest

# make in the build tree, not as part of the make running this script.
build_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$DS_BUILD_DIR" \
	    "$@"
}

# The configured installation directories, as make expands them.
cat >"$TRASH/dirs.mk" <<'EOF2'
print-dirs:
	@echo "bindir='$(bindir)' sbindir='$(sbindir)'"
	@echo "sysconfdir='$(sysconfdir)' pkgdatadir='$(pkgdatadir)'"
	@echo "cgibindir='$(cgibindir)' mandir='$(mandir)'"
	@echo "VERSION='$(VERSION)'"
EOF2
eval "$(build_make -f Makefile -f "$TRASH/dirs.mk" print-dirs)" ||
	test_skip_all "cannot read the installation directories"

test_expect_success 'make install DESTDIR' '
	build_make install DESTDIR="$DEST" >install.out 2>&1 ||
	{ cat install.out; false; }
'

test_expect_success 'every file in its place, and nothing else' '
	cat >want <<-EOF &&
	$bindir/deltashare-inspect 755
	$cgibindir/deltashare.cgi 755
	$mandir/man1/deltashare-inspect.1 644
	$mandir/man5/deltashare.ini.5 644
	$mandir/man8/deltashare.8 644
	$pkgdatadir/apache/deltashare-cgi.conf 644
	$pkgdatadir/apache/deltashare-fcgid.conf 644
	$pkgdatadir/apache/deltashare.conf 644
	$pkgdatadir/deltashare.ini.sample 644
	$pkgdatadir/lighttpd/deltashare-cgi.conf 644
	$pkgdatadir/lighttpd/deltashare.conf 644
	$pkgdatadir/nginx/deltashare.conf 644
	$pkgdatadir/nginx/deltashare.service 644
	$pkgdatadir/nginx/deltashare.socket 644
	$pkgdatadir/openapi.yaml 644
	$pkgdatadir/sql/0001-catalog.sql 644
	$pkgdatadir/sql/0002-storage.sql 644
	$pkgdatadir/sql/0003-sharing-log.sql 644
	$pkgdatadir/sql/0004-catalog-notify.sql 644
	$pkgdatadir/sql/0005-sharing-log-keys.sql 644
	$sbindir/deltashare 755
	EOF
	(cd "$DEST" && find . -type f -printf "/%P %m\n") | sed "s|^//|/|" |
	    LC_ALL=C sort >got &&
	LC_ALL=C sort want >want.sorted &&
	test_cmp want.sorted got
'

SNIPPETS="apache/deltashare.conf apache/deltashare-fcgid.conf
apache/deltashare-cgi.conf lighttpd/deltashare.conf
lighttpd/deltashare-cgi.conf nginx/deltashare.conf"

test_expect_success 'snippets and the CGI wrapper: no @WORD@ left, installed paths' '
	cd "$DEST" &&
	! grep -n "@[A-Z_]*@" $(for s in $SNIPPETS; do
	    echo ".$pkgdatadir/$s"; done) ".$cgibindir/deltashare.cgi" &&
	grep -q "\"$sbindir/deltashare\"" ".$pkgdatadir/lighttpd/deltashare.conf" &&
	grep -q "\"$sbindir/deltashare\"" ".$pkgdatadir/apache/deltashare-fcgid.conf" &&
	grep -q "\"$cgibindir/deltashare.cgi\"" ".$pkgdatadir/apache/deltashare-cgi.conf" &&
	grep -q "\"$cgibindir/deltashare.cgi\"" ".$pkgdatadir/lighttpd/deltashare-cgi.conf" &&
	for s in lighttpd/deltashare.conf apache/deltashare-fcgid.conf; do
		grep -q "\"$sysconfdir/deltashare/deltashare.ini\"" ".$pkgdatadir/$s" ||
		return 1
	done &&
	grep -q "^exec $sbindir/deltashare$" ".$cgibindir/deltashare.cgi"
'

test_expect_success 'the installed programs run' '
	"$DEST$sbindir/deltashare" -V >out &&
	echo "deltashare $VERSION" >want && test_cmp want out &&
	test_must_fail "$DEST$bindir/deltashare-inspect" 2>err &&
	grep -q "^usage: deltashare-inspect" err
'

# The sample with its paths made real: the two secrets, allowed_roots.
test_expect_success 'the installed sample configuration passes -n once its paths exist' '
	mkdir -p etc tables &&
	head -c 48 /dev/urandom | base64 >etc/server.secret &&
	head -c 48 /dev/urandom | base64 >etc/jwt.secret &&
	chmod 600 etc/server.secret etc/jwt.secret &&
	sed -e "s|/etc/deltashare/|$TRASH/etc/|" \
	    -e "s|^allowed_roots = .*|allowed_roots = $TRASH/tables|" \
	    "$DEST$pkgdatadir/deltashare.ini.sample" >etc/deltashare.ini &&
	"$DEST$sbindir/deltashare" -f etc/deltashare.ini -n >out 2>err &&
	grep -q "^configuration OK" out &&
	grep -q "^server.secret_file = (64 bytes, not shown)" out &&
	! grep -q "jwt.secret\|server.secret$" out &&
	DELTASHARE_CONF=$TRASH/etc/deltashare.ini \
	    "$DEST$sbindir/deltashare" -n >out 2>err &&
	grep -q "^configuration OK" out
'

test_expect_success 'without a configuration it says which file it looked for' '
	test_must_fail env -u DELTASHARE_CONF "$DEST$sbindir/deltashare" -n 2>err &&
	grep -q "$sysconfdir/deltashare/deltashare.ini" err
'

command -v mandoc >/dev/null 2>&1 && test_set_prereq MANDOC
command -v man >/dev/null 2>&1 && test_set_prereq MAN

test_expect_success MANDOC 'the installed man pages are lint-clean' '
	mandoc -T lint -W warning "$DEST$mandir"/man*/* >lint 2>&1 ||
	{ cat lint; false; }
'

test_expect_success MAN 'man -l renders each installed page' '
	for p in man1/deltashare-inspect.1 man5/deltashare.ini.5 \
	    man8/deltashare.8; do
		MANWIDTH=80 man -l "$DEST$mandir/$p" >page 2>err &&
		test ! -s err && grep -q "^NAME" page || return 1
	done
'

# Debian's Apache layout, copied: a2enmod/a2enconf and apache2ctl work on
# it through APACHE_CONFDIR (and keep their state in the copy too).
APACHE2CTL=$(command -v apache2ctl 2>/dev/null || echo /usr/sbin/apache2ctl)
[ -x "$APACHE2CTL" ] && [ -d /etc/apache2/conf-available ] &&
	command -v a2enconf >/dev/null 2>&1 && test_set_prereq DEBIAN_APACHE

apache_check() {
	rm -rf apache2 apache-state &&
	cp -a /etc/apache2 apache2 &&
	APACHE_CONFDIR=$TRASH/apache2 APACHE_STATE_DIRECTORY=$TRASH/apache-state &&
	export APACHE_CONFDIR APACHE_STATE_DIRECTORY &&
	rm -f apache2/conf-enabled/deltashare.conf &&
	cp "$DEST$pkgdatadir/apache/$1" apache2/conf-available/deltashare.conf &&
	a2enmod -q $2 && a2enconf -q deltashare &&
	"$APACHE2CTL" -t >check.out 2>&1 &&
	grep -q "Syntax OK" check.out || { cat check.out; return 1; }
}

test_expect_success DEBIAN_APACHE 'apache: deltashare.conf as conf-available, with proxy_fcgi' '
	apache_check deltashare.conf "proxy_fcgi buffer"
'

test_expect_success DEBIAN_APACHE 'apache: without its module, the snippet says which one' '
	rm -rf apache2 apache-state && cp -a /etc/apache2 apache2 &&
	APACHE_CONFDIR=$TRASH/apache2 APACHE_STATE_DIRECTORY=$TRASH/apache-state &&
	export APACHE_CONFDIR APACHE_STATE_DIRECTORY &&
	rm -f apache2/mods-enabled/proxy_fcgi.load &&
	cp "$DEST$pkgdatadir/apache/deltashare.conf" apache2/conf-available/ &&
	a2enconf -q deltashare &&
	test_must_fail "$APACHE2CTL" -t >check.out 2>&1 &&
	grep -q "needs mod_proxy_fcgi: run a2enmod proxy_fcgi" check.out
'

test_have_prereq DEBIAN_APACHE && [ -f /usr/lib/apache2/modules/mod_fcgid.so ] &&
	test_set_prereq APACHE_FCGID
test_expect_success APACHE_FCGID 'apache: deltashare-fcgid.conf as conf-available, with fcgid' '
	apache_check deltashare-fcgid.conf fcgid
'

test_expect_success DEBIAN_APACHE 'apache: deltashare-cgi.conf as conf-available, with cgid' '
	apache_check deltashare-cgi.conf cgid
'

# Debian's lighttpd layout, copied, with its include pointed at the copy.
LIGHTTPD=$(command -v lighttpd 2>/dev/null || echo /usr/sbin/lighttpd)
[ -x "$LIGHTTPD" ] && [ -f /etc/lighttpd/lighttpd.conf ] &&
	[ -d /etc/lighttpd/conf-available ] && test_set_prereq DEBIAN_LIGHTTPD

lighttpd_copy() {
	rm -rf lighttpd && cp -a /etc/lighttpd lighttpd &&
	sed -i "s|\"/etc/lighttpd/|\"$TRASH/lighttpd/|g" lighttpd/lighttpd.conf &&
	grep -q "^include \"$TRASH/lighttpd/conf-enabled/\*.conf\"" \
	    lighttpd/lighttpd.conf &&
	rm -f lighttpd/conf-enabled/*-deltashare.conf
}

# The snippet as conf-available/50-deltashare.conf.  lighttpd -tt checks
# that "bin-path" exists: the program is under DESTDIR here.
lighttpd_avail() {
	sed "s|\"$sbindir/|\"$DEST$sbindir/|" "$DEST$pkgdatadir/lighttpd/$1" \
	    >lighttpd/conf-available/50-deltashare.conf
}

# lighttpd -tt exits 0 even when it finds errors: read what it says.
lighttpd_tt() {
	"$LIGHTTPD" -tt -f lighttpd/lighttpd.conf >check.out 2>&1 ||
	{ cat check.out; return 1; }
	! grep -v "unknown config-key: accesslog.format" check.out | grep .
}

# What lighty-enable-mod does: conf-enabled/NN-name.conf -> conf-available.
lighttpd_check() {
	lighttpd_copy && lighttpd_avail "$1" &&
	ln -s ../conf-available/50-deltashare.conf lighttpd/conf-enabled/ &&
	lighttpd_tt
}

test_expect_success DEBIAN_LIGHTTPD 'lighttpd: deltashare.conf as conf-available/50-deltashare.conf' '
	lighttpd_check deltashare.conf
'

test_expect_success DEBIAN_LIGHTTPD 'lighttpd: deltashare-cgi.conf as conf-available/50-deltashare.conf' '
	lighttpd_check deltashare-cgi.conf
'

# lighty-enable-mod works on /etc/lighttpd only: as root, run it in a
# private mount namespace where the copy is mounted there.
test_have_prereq DEBIAN_LIGHTTPD && [ "$(id -u)" = 0 ] &&
	command -v lighty-enable-mod >/dev/null 2>&1 &&
	unshare -m true 2>/dev/null && test_set_prereq LIGHTY_ENABLE_MOD

test_expect_success LIGHTY_ENABLE_MOD 'lighttpd: lighty-enable-mod deltashare' '
	lighttpd_copy && lighttpd_avail deltashare.conf &&
	unshare -m sh -c "mount --bind \"$TRASH/lighttpd\" /etc/lighttpd &&
	    lighty-enable-mod deltashare" >enable.out 2>&1 &&
	test "$(readlink lighttpd/conf-enabled/50-deltashare.conf)" = \
	    ../conf-available/50-deltashare.conf &&
	lighttpd_tt
'

NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -x "$NGINX" ] && [ -f /etc/nginx/fastcgi_params ] && test_set_prereq NGINX

test_expect_success NGINX 'nginx: the snippet inside a server {}' '
	mkdir -p nginx &&
	cat >nginx/nginx.conf <<-EOF &&
	pid $TRASH/nginx/nginx.pid;
	error_log stderr;
	events {}
	http {
		access_log off;
		server {
			listen 127.0.0.1:1;
			include $DEST$pkgdatadir/nginx/deltashare.conf;
		}
	}
	EOF
	"$NGINX" -e stderr -t -p "$TRASH/nginx" -c "$TRASH/nginx/nginx.conf" \
	    >check.out 2>&1 || { cat check.out; false; }
'

test_expect_success 'make uninstall removes every file' '
	build_make uninstall DESTDIR="$DEST" >uninstall.out 2>&1 ||
	{ cat uninstall.out; false; }
	(cd "$DEST" && find . -type f) >left &&
	test_cmp /dev/null left
'

test_done

# lib-corpus.sh: a working copy of the shared Delta table corpus
# ($SHARED_DIR/delta-tables) for t3300 and t4100.
#
#	. "$(dirname "$0")/lib-corpus.sh"
#	corpus_copy corpus		# in a test_expect_success
#
# corpus_skip_unless_ready skips the whole script (visibly) when the
# corpus or python3 is missing.  corpus_copy copies the corpus, sets its
# commit times with its set-commit-mtimes.py, and mends two tables as
# their origin projects' own tests mend them before reading:
#  - delta-spark/table-with-dv-special-char is a template: its 'p'
#    deletion vector path holds {{FOLDER_WITH_SPECIAL_CHAR}};
#  - delta-spark/table-with-dv-large names its DV files with Spark's
#    test-only prefix "test%dv%prefix-", which the log does not record
#    (Spark's tests set it in a JVM static): the protocol's file name is
#    deletion_vector_<uuid>.bin, so the copies are renamed to that.

CORPUS=$SHARED_DIR/delta-tables

corpus_skip_unless_ready() {
	[ -d "$CORPUS" ] || test_skip_all "no table corpus in $CORPUS"
	command -v python3 >/dev/null 2>&1 ||
		test_skip_all "python3 needed to set the corpus commit times"
}

corpus_copy() {
	cp -a "$CORPUS" "$1" &&
	chmod -R u+w "$1" &&
	python3 "$1/set-commit-mtimes.py" "$1" >"$1.mtimes" &&
	grep -q "^[1-9][0-9]* commit files set" "$1.mtimes" &&
	corpus_mend_template "$1/delta-spark/table-with-dv-special-char/delta" &&
	corpus_mend_prefix "$1/delta-spark/table-with-dv-large/delta"
}

corpus_mend_template() {
	_dir=$(cd "$1" && pwd -P) &&
	_log=$1/_delta_log/00000000000000000000.json &&
	_enc="folder\&with%25special%20char" &&
	sed "s|{{FOLDER_WITH_SPECIAL_CHAR}}|$_dir/$_enc|" "$_log" >"$_log.new" &&
	touch -r "$_log" "$_log.new" &&
	mv "$_log.new" "$_log" &&
	! grep -q FOLDER_WITH "$_log"
}

corpus_mend_prefix() {
	for _f in "$1"/test%dv%prefix-deletion_vector_*.bin; do
		mv "$_f" "$1/${_f##*/test%dv%prefix-}" || return 1
	done &&
	test $(ls "$1" | grep -c "^deletion_vector_.*\.bin\$") = 2
}

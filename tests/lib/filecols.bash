# filecols.bash - oracles for the file columns (statx -o, walk -o), loaded
# by tests/statx.bats and tests/walk-columns.bats.

# stat -c %F's words in TYPE's: one word each, and stat's "regular empty
# file" is a regular file like any other.
stat_type() {
	case $1 in
	'regular file' | 'regular empty file') echo regular ;;
	directory) echo directory ;;
	'symbolic link') echo symlink ;;
	'character special file') echo char-device ;;
	'block special file') echo block-device ;;
	fifo) echo fifo ;;
	socket) echo socket ;;
	*) echo "unknown type '$1'" >&2; return 1 ;;
	esac
}

# getent's name for an id, or the number when it has none (as ls and find
# show it; stat -c %U says UNKNOWN): id_name passwd|group ID
id_name() {
	local n
	n=$(getent "$1" "$2" | cut -d: -f1)
	echo "${n:-$2}"
}

# The first id from START on, in steps of STEP, that no user and no group
# has: free_id START STEP
free_id() {
	local i=$1
	while getent passwd "$i" >/dev/null || getent group "$i" >/dev/null; do
		i=$((i + $2))
	done
	echo "$i"
}

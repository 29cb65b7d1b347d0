#!/usr/bin/env bats
# lsmount's columns mean what findmnt's columns of the same name mean: each
# one compared with findmnt -o for every mount of a namespace with tmpfs,
# bind, read-only bind, shared, slave, shared+slave and unbindable mounts.
# And -J keeps the tree: ids in every row, rows in the table's order.
load helpers

setup_file() {
	tn_setup_tmpfs
	skip_unless_syscall listmount
	mkdir -p "$TT"/{a,b,b2,c,d,e,f,src/sub}
	mount -t tmpfs -o size=1m,mode=0750 fa "$TT/a"
	mount --make-shared "$TT/a"
	mount --bind "$TT/a" "$TT/b"
	mount --make-slave "$TT/b"
	mount --bind "$TT/b" "$TT/b2"
	mount --make-shared "$TT/b2"			# shared:N master:M
	mount --bind "$TT/src/sub" "$TT/c"
	mount -o remount,bind,ro,nosuid,noexec "$TT/c"	# read-only bind, root /src/sub
	mount -t tmpfs -o noatime,nodev fd "$TT/d"
	mount --make-unbindable "$TT/d"
	mount -t tmpfs -o ro,sync,lazytime,nodiratime fe "$TT/e"	# read-only superblock
	mount -t tmpfs -o strictatime,nosymfollow ff "$TT/f"
}

teardown_file() { tn_teardown_tmpfs; }

# same COL: tnos's column and findmnt's column of that name, mount by mount
# (rows keyed by mountinfo's id: findmnt's ID, tnos's OLD-ID)
same() {
	diff <(findmnt -n -r -o "ID,$1" ${2:+"$2"} | sort) <("$TNOS" lsmount -n -r -l -o "OLD-ID,$1" | sort)
}

@test "TARGET, FSTYPE, MAJ:MIN, OPTIONS, VFS-OPTIONS, FS-OPTIONS and OPT-FIELDS are findmnt's, for every mount" {
	[ "$(findmnt -n -r -o ID | wc -l)" -gt 10 ]
	for c in TARGET FSTYPE MAJ:MIN OPTIONS VFS-OPTIONS FS-OPTIONS OPT-FIELDS; do
		same "$c" || { echo "column $c differs from findmnt's"; return 1; }
	done
	# the read-only bind keeps its ro in OPTIONS; the read-only superblock too
	[ "$("$TNOS" lsmount -n -o OPTIONS "$TT/c")" = "$(findmnt -n -o OPTIONS "$TT/c")" ]
	[[ $("$TNOS" lsmount -n -o OPTIONS "$TT/c") == ro,nosuid,noexec,* ]]
	[[ $("$TNOS" lsmount -n -o FS-OPTIONS "$TT/e") == ro,sync,lazytime* ]]
	# findmnt's default columns are lsmount's
	[ "$("$TNOS" lsmount -l "$TT/c" | head -1 | tr -s ' ')" = "$(findmnt -l "$TT/c" | head -1 | tr -s ' ')" ]
}

@test "SOURCE is findmnt -v's (--nofsroot), ROOT is findmnt's FSROOT, OLD-ID and OLD-PARENT are findmnt's ID and PARENT" {
	same SOURCE --nofsroot
	diff <(findmnt -n -r -o ID,FSROOT | sort) <("$TNOS" lsmount -n -r -l -o OLD-ID,ROOT | sort)
	diff <(findmnt -n -r -o ID,PARENT | sort) <("$TNOS" lsmount -n -r -l -o OLD-ID,OLD-PARENT | sort)
	# ID and PARENT are the unique ids, as statx STATX_MNT_ID_UNIQUE says
	[ "$("$TNOS" lsmount -n -o ID "$TT/c")" = "$(unique_mnt_id "$TT/c")" ]
	[ "$("$TNOS" lsmount -n -o PARENT "$TT/c")" = "$(unique_mnt_id "$TT")" ]
}

@test "PROPAGATION: the kernel's words, findmnt's less the 'private' it puts before slave and unbindable" {
	diff <(findmnt -n -r -o ID,PROPAGATION | sed 's/ private,/ /' | sort) \
	     <("$TNOS" lsmount -n -r -l -o OLD-ID,PROPAGATION | sort)
	[ "$("$TNOS" lsmount -n -o PROPAGATION "$TT/b2")" = shared,slave ]
	[ "$("$TNOS" lsmount -n -o PROPAGATION "$TT/d")" = unbindable ]
}

@test "JSON: mnt_opts is FS-OPTIONS (rw or ro first, as truenas_os), options and vfs_options are findmnt's" {
	run -0 --separate-stderr "$TNOS" lsmount -J -o OLD-ID,OPTIONS,VFS-OPTIONS,FS-OPTIONS,OPT-FIELDS
	want=$(findmnt -J -o ID,OPTIONS,VFS-OPTIONS,FS-OPTIONS,OPT-FIELDS |
		jq -c '[.. | objects | select(has("id")) | [.id, .options, ."vfs-options", ."fs-options", (."opt-fields" // "")]] | sort')
	got=$(echo "$output" | jq -c '[.mounts[] | [.mnt_id_old, .options, .vfs_options, .mnt_opts, .opt_fields]] | sort')
	[ "$want" = "$got" ]
	# statmount too
	[ "$("$TNOS" statmount -J "$TT/e" | jq -r .mnt_opts)" = "$(findmnt -n -o FS-OPTIONS "$TT/e")" ]
}

@test "OPTIONS and FS-OPTIONS decode the kernel's \\ooo escapes (a comma, space, tab, newline or backslash in a value) as findmnt does, in every form" {
	tn_overlay_escapes "$TT/ovl"
	# the kernel escapes them in the option list
	mi=$(grep -F " $TT/ovl/" /proc/self/mountinfo)
	for e in '\134\0541' 'l\0541,' '\040' '\011' '\012'; do
		[[ $mi == *"$e"* ]] || { echo "mountinfo has no $e"; return 1; }
	done
	for m in classic fsconfig; do
		mp=$TT/ovl/$m
		# the raw table is findmnt's, byte for byte (both escape backslashes and blanks)
		[ "$("$TNOS" lsmount -n -r -o OPTIONS,FS-OPTIONS "$mp")" = "$(findmnt -n -r -o OPTIONS,FS-OPTIONS -M "$mp")" ]
		# JSON is findmnt -J's text, from lsmount, --ndjson and statmount
		want=$(findmnt -J -o OPTIONS,FS-OPTIONS -M "$mp" | jq -c '.filesystems[0] | [.options, ."fs-options"]')
		[ "$("$TNOS" lsmount -J -o OPTIONS,FS-OPTIONS "$mp" | jq -c '.mounts[0] | [.options, .mnt_opts]')" = "$want" ]
		[ "$("$TNOS" lsmount --ndjson -o OPTIONS,FS-OPTIONS "$mp" | jq -c '[.options, .mnt_opts]')" = "$want" ]
		[ "$("$TNOS" statmount -J "$mp" | jq -c '[.options, .mnt_opts]')" = "$want" ]
	done
	# for people: findmnt's table; the tab and the newline as \x09 and \x0a,
	# so no control byte reaches the terminal and the row stays one line
	mp=$TT/ovl/fsconfig
	want=$(findmnt -n -o OPTIONS,FS-OPTIONS -M "$mp")
	[[ $want == *'l,1,'*'l 2,'*'l\x093,'*'u\x0ax,'* ]]
	run -0 "$TNOS" lsmount -n -o OPTIONS,FS-OPTIONS "$mp"
	[ "$output" = "$want" ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output != *$'\t'* ]]
	[ "$("$TNOS" statmount -o FS-OPTIONS "$mp")" = "FS-OPTIONS: $(findmnt -n -o FS-OPTIONS -M "$mp")" ]
	# -P evaluates to the same text
	eval "$("$TNOS" lsmount -P -o OPTIONS,FS-OPTIONS "$mp")"
	[ "$OPTIONS $FS_OPTIONS" = "$want" ]
	# a backslash is \\ in tnos's table (its escape of every cell), \ in findmnt's
	[ "$("$TNOS" lsmount -n -o FS-OPTIONS "$TT/ovl/classic")" = "$(findmnt -n -o FS-OPTIONS -M "$TT/ovl/classic" | sed 's/\\/\\\\/g')" ]
	umount "$TT/ovl/classic" "$TT/ovl/fsconfig"
}

@test "-J carries mnt_id and mnt_parent_id whatever -o says; jq rebuilds mountinfo's tree from them" {
	for o in "-o TARGET" "-o +ROOT" "" "-o SOURCE,ID" "-l -o TARGET"; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr "$TNOS" lsmount -J $o
		echo "$output" | jq -e '.mounts | length > 10 and all(has("mnt_id") and has("mnt_parent_id"))'
	done
	# parent relation from JSON (unique ids), mapped to mountinfo's ids
	# through statx of each mount point, equals mountinfo's
	run -0 --separate-stderr "$TNOS" lsmount -J -o TARGET,OLD-ID,OLD-PARENT
	got=$(echo "$output" | jq -r '.mounts as $m | ($m | map({key: (.mnt_id | tostring), value: .mnt_id_old}) | from_entries) as $old |
		$m[] | "\(.mnt_id_old) \($old[.mnt_parent_id | tostring] // .mnt_parent_id_old)"' | sort)
	want=$(awk '{ print $1, $2 }' /proc/self/mountinfo | sort)
	[ "$got" = "$want" ]
	# the ids are the kernel's: statx STATX_MNT_ID_UNIQUE of a mount point
	echo "$output" | jq -e --arg t "$TT/c" --argjson id "$(unique_mnt_id "$TT/c")" \
		--argjson p "$(unique_mnt_id "$TT")" '.mounts[] | select(.mnt_point == $t) | .mnt_id == $id and .mnt_parent_id == $p'
	# --ndjson too
	"$TNOS" lsmount --ndjson -o TARGET | jq -se 'length > 10 and all(has("mnt_id") and has("mnt_parent_id"))'
}

@test "-J lists mounts in the table's order, parents before children, also after a mount --move" {
	# an older mount moved under a newer one: its id is smaller than its parent's
	mkdir -p "$TT/mv1" "$TT/mv2"
	mount -t tmpfs mv1 "$TT/mv1"
	mount -t tmpfs mv2 "$TT/mv2"
	mkdir "$TT/mv2/in"
	mount --move "$TT/mv1" "$TT/mv2/in"
	[ "$(unique_mnt_id "$TT/mv2/in")" -lt "$(unique_mnt_id "$TT/mv2")" ]
	table=$("$TNOS" lsmount -n -o TARGET | sed 's/^[^/]*//')
	json=$("$TNOS" lsmount -J -o TARGET | jq -r '.mounts[].mnt_point')
	[ "$table" = "$json" ]
	# each mount comes after its parent (mountinfo's parent relation)
	"$TNOS" lsmount -J -o OLD-ID,OLD-PARENT | jq -e '
		.mounts | (to_entries | map({key: (.value.mnt_id_old | tostring), value: .key}) | from_entries) as $pos |
		all(.[]; ($pos[.mnt_parent_id_old | tostring] // -1) < $pos[.mnt_id_old | tostring] or .mnt_parent_id_old == .mnt_id_old)'
	# -l: the list's order, in JSON too
	[ "$("$TNOS" lsmount -l -n -r -o TARGET)" = "$("$TNOS" lsmount -l -J -o TARGET | jq -r '.mounts[].mnt_point')" ]
	umount "$TT/mv2/in" "$TT/mv2"
}

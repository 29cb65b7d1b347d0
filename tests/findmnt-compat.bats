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

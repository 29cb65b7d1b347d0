#!/usr/bin/env bats
# make install and the Debian package: the same tree, working links, man
# pages that man(1) finds, nothing setuid, one version everywhere.
#
# setup_file copies the source tree (without build products) and, in that
# copy, runs "make install DESTDIR=... PREFIX=/usr" and then
# "dpkg-buildpackage -us -uc -b" -- the real commands, never in the tree
# under test (dpkg-buildpackage starts with "make clean").
load helpers

setup_file() {
	SRC=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	export SRC
	VERSION=$(cat "$SRC/VERSION")
	export VERSION
	W=$BATS_FILE_TMPDIR/w
	export W
	mkdir -p "$W/src"
	tar -C "$SRC" --exclude=./.git --exclude=./build --exclude=./build-asan \
		--exclude='./tnos_*' --exclude='./tnos-dbgsym_*' --exclude=./tnos \
		--exclude=./debian/tnos --exclude=./debian/.debhelper -cf - . |
		tar -C "$W/src" -xf -
	make -C "$W/src" install DESTDIR="$W/dest" PREFIX=/usr >"$W/install.log" 2>&1 ||
		{ cat "$W/install.log" >&2; return 1; }
	if command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null; then
		(cd "$W/src" && dpkg-buildpackage -us -uc -b) >"$W/deb.log" 2>&1 ||
			{ tail -30 "$W/deb.log" >&2; return 1; }
		DEB=$(ls "$W"/tnos_"$VERSION"_*.deb)
		export DEB
	fi
}

need_deb() {
	[ -n "${DEB:-}" ] || tn_skip "dpkg-buildpackage or debhelper missing (make deps)"
}

# "TYPE MODE PATH [-> TARGET]" for each entry, with the two differences that
# Debian makes on purpose taken out: dh_compress gzips man pages (names and
# link targets get .gz), dh_installdocs adds usr/share/doc/tnos/.
deb_tree() {
	dpkg-deb -c "$1" | awk '{ m = $1; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print m, $0 }' |
		sed -e 's|^\([^ ]*\) \./|\1 |' -e 's|/$||' |
		grep -v -e ' usr/share/doc$' -e ' usr/share/doc/tnos' -e '^d[^ ]* *$' |
		sed -e 's|^\([^ ]* usr/share/man/.*\)\.gz\( -> .*\)\.gz$|\1\2|' \
		    -e 's|^\([^ ]* usr/share/man/.*\)\.gz$|\1|' | sort
}

dest_tree() {
	(cd "$1" && find . -mindepth 1 -printf '%M %P\n') |
		while read -r m p; do
			if [ "${m:0:1}" = l ]; then echo "$m $p -> $(readlink "$1/$p")"; else echo "$m $p"; fi
		done | sort
}

@test "make install DESTDIR=... PREFIX=/usr writes exactly the tree the .deb contains" {
	need_deb
	deb_tree "$DEB" >"$W/deb.txt"
	dest_tree "$W/dest" >"$W/dest.txt"
	[ -s "$W/deb.txt" ]
	run diff -u "$W/deb.txt" "$W/dest.txt"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	# and the package's only additions are Debian's copyright and changelog
	run -0 bash -c "dpkg-deb -c '$DEB' | awk '{print \$6}' | grep '^./usr/share/doc/tnos/.' | sort"
	[ "$output" = "./usr/share/doc/tnos/changelog.gz
./usr/share/doc/tnos/copyright" ]
}

@test "the package holds the binary, a link per command, every man page, three completions" {
	need_deb
	list=$(dpkg-deb -c "$DEB" | awk '{ print $6 ($7 ? " " $7 " " $8 : "") }')
	grep -qx '\./usr/bin/tnos' <<<"$list"
	for c in $("$TNOS" __links); do
		grep -qx "\./usr/bin/$c -> tnos" <<<"$list" || { echo "no link $c"; false; }
		grep -qx "\./usr/share/bash-completion/completions/$c -> tnos" <<<"$list"
		grep -qx "\./usr/share/fish/vendor_completions.d/$c.fish -> tnos.fish" <<<"$list"
	done
	# a subcommand named like a system tool (umount(8), rename(1), xattr(1)) gets no
	# link that would shadow it: not in bin, man1 or the completions
	nolink=$(comm -23 <("$TNOS" __options | sort) <("$TNOS" __links | sort))
	[ "$(echo $nolink)" = "rename umount xattr" ]
	for c in $nolink; do
		! grep -q "/$c\( \|\.1\.gz\|\.fish\)" <<<"$list" || { echo "link for $c"; false; }
		grep -qx "\./usr/share/man/man1/tnos-$c.1.gz" <<<"$list"
	done
	for m in "$SRC"/man/*.1; do
		n=$(basename "$m")
		grep -qx "\./usr/share/man/man1/$n.gz" <<<"$list" || { echo "no $n"; false; }
		# the page is the source page, compressed
		cmp <(dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - "./usr/share/man/man1/$n.gz" | gzip -dc) "$m"
	done
	grep -qx '\./usr/share/bash-completion/completions/tnos' <<<"$list"
	grep -qx '\./usr/share/zsh/vendor-completions/_tnos' <<<"$list"
	grep -qx '\./usr/share/fish/vendor_completions.d/tnos.fish' <<<"$list"
}

@test "nothing is installed setuid or setgid, nothing writable by others" {
	run -0 find "$W/dest" -perm /6002 ! -type l
	[ -z "$output" ]
	[ "$(stat -c %a "$W/dest/usr/bin/tnos")" = 755 ]
	need_deb
	run -0 bash -c "dpkg-deb -c '$DEB' | awk '\$1 !~ /^l/ && \$1 ~ /[sS]|w.\$/'"
	[ -z "$output" ]
}

@test "the installed links run their subcommand" {
	[ "$("$W/dest/usr/bin/tnos" --version)" = "tnos $VERSION" ]
	for c in $("$TNOS" __links); do
		run -0 --separate-stderr "$W/dest/usr/bin/$c" --help
		[[ $output == "Usage: tnos $c "* ]]
		[ "$(readlink "$W/dest/usr/bin/$c")" = tnos ]
	done
}

@test "man -w finds every installed page, and each command's page by its link name" {
	command -v man >/dev/null || tn_skip "no man-db (make deps)"
	export MANPATH=$W/dest/usr/share/man
	for m in "$SRC"/man/*.1; do
		n=$(basename "$m" .1)
		run -0 man -w "$n"
		[ "$output" = "$MANPATH/man1/$n.1" ]
	done
	for c in $("$TNOS" __links); do
		run -0 man -w "tnos-$c"
		run -0 man -w "$c"
		[ "$(readlink -f "$output")" = "$(readlink -f "$MANPATH/man1/tnos-$c.1")" ]
	done
}

@test "one version: VERSION = tnos --version = debian/changelog = every man page's .TH = the package" {
	[ "$("$TNOS" --version)" = "tnos $VERSION" ]
	if command -v dpkg-parsechangelog >/dev/null; then
		[ "$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)" = "$VERSION" ] ||
			{ echo "debian/changelog's top entry is not $VERSION"; false; }
	else
		[ "$(sed -n '1s/^tnos (\([^)]*\)).*/\1/p' "$SRC/debian/changelog")" = "$VERSION" ]
	fi
	for m in "$SRC"/man/*.1; do
		th=$(grep -m1 '^\.TH ' "$m")
		[[ $th == *"\"tnos $VERSION\""* ]] || { echo "$m: $th (want \"tnos $VERSION\")"; false; }
	done
	need_deb
	[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ]
}

@test "make uninstall removes every file make install wrote" {
	make -C "$W/src" uninstall DESTDIR="$W/dest" PREFIX=/usr >/dev/null
	run -0 find "$W/dest" ! -type d
	[ -z "$output" ] || { echo "left behind: $output"; false; }
}

@test "zsh finds the completion in its default fpath, for PREFIX=/usr and /usr/local" {
	command -v zsh >/dev/null || tn_skip "no zsh (make deps)"
	fpath=$(zsh -fc 'print -l $fpath')
	for prefix in /usr /usr/local; do
		rm -rf "$W/p"
		make -C "$W/src" install DESTDIR="$W/p" PREFIX="$prefix" >/dev/null
		f=$(cd "$W/p" && find . -name _tnos)
		[ -n "$f" ]
		d=$(dirname "${f#.}")
		grep -qx "$d" <<<"$fpath" || { echo "$prefix: $d is not in zsh's fpath"; false; }
	done
}

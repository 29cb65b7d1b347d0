# tnos - build, test, install.  See README.md.
SHELL := /bin/bash
VERSION := $(shell cat VERSION)
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# zsh reads /usr/share/zsh/vendor-completions (packages) and
# /usr/local/share/zsh/site-functions (local installs), not a vendor dir
# under /usr/local
ZSHCOMPDIR  ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC      ?= cc
PKG_CONFIG ?= pkg-config
PKGS    := libbsd-overlay
DEPS_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DEPS_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# tnos writes its JSON itself (src/emit/jsonw.c); jansson is the fuzz
# harnesses' oracle, the parser that checks what the writer wrote.
FUZZ_PKGS   := jansson
FUZZ_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(FUZZ_PKGS) 2>/dev/null)
FUZZ_LIBS   := $(shell $(PKG_CONFIG) --libs $(FUZZ_PKGS) 2>/dev/null)

# -Werror for development and CI; a distribution build passes WERROR= (as
# debian/rules does) so that a newer compiler's new warning is not a failure.
WERROR  ?= -Werror
WARN    := -Wall -Wextra $(WERROR) -Wno-missing-field-initializers -Wmissing-noreturn
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fPIE
CFLAGS  ?= -O2 -g
ALL_CFLAGS  = -std=gnu11 $(WARN) $(HARDEN) $(CPPFLAGS) $(CFLAGS) $(DEPS_CFLAGS) -DTNOS_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS    = $(DEPS_LIBS)

SRCS := $(wildcard src/*.c src/core/*.c src/emit/*.c src/cmd/*.c src/cmd/common/*.c)
OBJS := $(SRCS:src/%.c=build/%.o)
ASAN_OBJS := $(SRCS:src/%.c=build-asan/%.o)
CLANG_OBJS := $(SRCS:src/%.c=build-clang/%.o)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# the subcommands that get a link (TNOS_CMD lines; not TNOS_CMD_NOLINK ones,
# whose names are system tools': umount)
CMDS := $(shell sed -n 's/^TNOS_CMD(\([a-z0-9_]*\)).*/\1/p' src/cmds.h)
MANS := $(wildcard man/*.1)

DEB_PKGS := build-essential pkg-config libjansson-dev libbsd-dev bats jq util-linux \
	python3 mandoc groff-base bfs hyperfine valgrind zsh fish clang cppcheck liburing-dev \
	time coreutils findutils attr strace \
	dpkg-dev debhelper fakeroot lintian man-db

.PHONY: all deps check check-mutants check-asan check-valgrind check-clang check-cppcheck fuzz fuzz-smoke bench bench-smoke install uninstall clean lint-man deb lint-deb

all: tnos

tnos: $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

build/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build-asan/tnos: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_OBJS) $(LIBS)

build-asan/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -O2 -D_FORTIFY_SOURCE=2,$(ALL_CFLAGS)) $(ASAN_FLAGS) -c -o $@ $<

# The same sources built by clang, -Werror whatever WERROR says, in
# build-clang/ (the gcc build in build/ is left alone).
CLANG ?= clang
build-clang/tnos: $(CLANG_OBJS)
	$(CLANG) $(ALL_LDFLAGS) -o $@ $(CLANG_OBJS) $(LIBS)

build-clang/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(ALL_CFLAGS) -Werror -c -o $@ $<

check-clang: build-clang/tnos
	build-clang/tnos --version >/dev/null
	@echo "clang build warning-free"

# cppcheck over src/: every finding fails.  A false positive is silenced on
# its line only (/* cppcheck-suppress ID */, with the reason beside it).
# __linux__: the code is Linux-only, so cppcheck checks that configuration.
CPPCHECK_FLAGS := --enable=warning,style,performance,portability --std=c11 \
	--inline-suppr --error-exitcode=1 --quiet -D__linux__ --suppress=missingIncludeSystem
check-cppcheck:
	cppcheck $(CPPCHECK_FLAGS) src
	@echo "cppcheck: no findings in src/"

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(CLANG_OBJS:.o=.d)

# Every Debian package needed to build, test and benchmark; idempotent.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all build, test and bench packages are installed"; fi

check: tnos
	tests/lint-bats
	TNOS=$(CURDIR)/tnos tests/run

# Every mutant in tests/mutants/ (a deliberate bug) must make the suites it
# names fail; built and run in a scratch copy of the working tree.
check-mutants:
	tests/check-mutants

check-asan: build-asan/tnos
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99 \
	TNOS=$(CURDIR)/build-asan/tnos tests/run

# memcheck over the suites: every error or definite/indirect leak fails (exit 99).
# Valgrind 3.19 (Debian 12) answers listmount/statmount/mount_setattr, and
# also openat2, fsopen and open_tree, with ENOSYS, so the default subset is the
# suites whose paths it can run: the older-kernel paths (compat) and statx
# (about 75 s together).  openat2, fhandle, fsmount and cli fail under it for
# that reason only (exit 3, or the mountinfo fallback's notice on stderr).
VALGRIND_SUITES ?= tests/compat.bats tests/statx.bats
check-valgrind: tnos
	@mkdir -p build-valgrind
	ln -sf $(CURDIR)/tests/valgrind-wrap build-valgrind/tnos
	TNOS_REAL=$(CURDIR)/tnos TNOS=$(CURDIR)/build-valgrind/tnos tests/run $(VALGRIND_SUITES)

# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME):
# make fuzz runs each for FUZZ_SECONDS; make fuzz-smoke is the short CI pass.
FUZZ_SRCS := $(filter-out src/tnos.c,$(SRCS))
FUZZERS := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 120
FUZZ_CC ?= clang

build-fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS) $(wildcard src/*.h src/*/*.h)
	@mkdir -p build-fuzz
	$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(DEPS_CFLAGS) $(FUZZ_CFLAGS) -DTNOS_VERSION='"$(VERSION)"' -o $@ $< $(FUZZ_SRCS) $(LIBS) $(FUZZ_LIBS)

fuzz: $(FUZZERS)
	@for f in $(FUZZERS); do \
		n=$${f#build-fuzz/fuzz_}; mkdir -p build-fuzz/corpus-$$n; \
		echo "== $$n: $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build-fuzz/$$n- \
			build-fuzz/corpus-$$n tests/fuzz/corpus/$$n 2>&1 | \
			grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)' ; \
		[ $${PIPESTATUS[0]} -eq 0 ] || exit 1; \
	done

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

bench: tnos
	bench/run

# the benchmark at a tiny size (well under a minute): proves it still runs
bench-smoke: tnos
	BENCH_MOUNTS=200 BENCH_RUNS=2 BENCH_WALK="20 20" RUNS=1 WHERE=tmpfs bench/run

lint-man:
	@for m in $(MANS); do mandoc -Tlint -W warning $$m || exit 1; done; echo "man pages lint-clean"

install: tnos
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 tnos $(DESTDIR)$(BINDIR)/tnos
	for c in $(CMDS); do ln -sf tnos $(DESTDIR)$(BINDIR)/$$c; done
	install -m 0644 $(MANS) $(DESTDIR)$(MANDIR)/man1/
	for c in $(CMDS); do [ ! -f man/tnos-$$c.1 ] || ln -sf tnos-$$c.1 $(DESTDIR)$(MANDIR)/man1/$$c.1; done
	install -m 0644 completions/tnos.bash $(DESTDIR)$(BASHCOMPDIR)/tnos
	for c in $(CMDS); do ln -sf tnos $(DESTDIR)$(BASHCOMPDIR)/$$c; done
	install -m 0644 completions/_tnos $(DESTDIR)$(ZSHCOMPDIR)/_tnos
	install -m 0644 completions/tnos.fish $(DESTDIR)$(FISHCOMPDIR)/tnos.fish
	for c in $(CMDS); do ln -sf tnos.fish $(DESTDIR)$(FISHCOMPDIR)/$$c.fish; done

# The Debian package (debian/).  dpkg-buildpackage writes into the parent
# directory; the results are moved here: tnos_$(VERSION)_ARCH.deb, its
# -dbgsym package, .buildinfo and .changes.
DEB_ARCH = $(shell dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null)
DEB_OUT  = tnos_$(VERSION)_$(DEB_ARCH).deb tnos-dbgsym_$(VERSION)_$(DEB_ARCH).deb \
	tnos_$(VERSION)_$(DEB_ARCH).buildinfo tnos_$(VERSION)_$(DEB_ARCH).changes

deb:
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || \
		{ echo "debian/changelog is at $$v but VERSION says $(VERSION): add a changelog entry" >&2; exit 1; }
	dpkg-buildpackage -us -uc -b
	for f in $(DEB_OUT); do if [ -e ../$$f ]; then mv -f ../$$f .; fi; done
	@echo "built tnos_$(VERSION)_$(DEB_ARCH).deb"

lint-deb:
	lintian --fail-on error --display-info tnos_$(VERSION)_$(DEB_ARCH).changes

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tnos $(addprefix $(DESTDIR)$(BINDIR)/,$(CMDS))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANS)) $(addsuffix .1,$(CMDS)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/tnos $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(CMDS))
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_tnos $(DESTDIR)$(FISHCOMPDIR)/tnos.fish
	rm -f $(addprefix $(DESTDIR)$(FISHCOMPDIR)/,$(addsuffix .fish,$(CMDS)))

clean:
	rm -rf build build-asan build-clang build-valgrind build-fuzz tnos bench/floor-lsmount bench/floor-walk bench/mkmounts
	rm -f tnos_*.deb tnos-dbgsym_*.deb tnos_*.buildinfo tnos_*.changes

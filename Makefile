# oversight — top-level build.
#   make            build the extension (PGXS, C++17) and the loader
#   make install    install the extension into the PostgreSQL that pg_config names
#   make installcheck   the pg_regress suite against that installed server (PGHOST, PGPORT…)
#   make install-loader PREFIX=/usr/local   install oversight-load and its mapping files
#   make test       every suite in a throwaway cluster (tests/run.sh)
#   make demo       the demo on bundled data in a throwaway cluster (demo/run.sh)
#   make bench      benchmarks (bench/run.sh)
#   make deps       install the Debian packages the build and tests need (scripts/install-deps.sh)
#   make format / make lint

EXT         := oversight
PG_CONFIG   ?= pg_config
EXTVERSION  := $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" extension/$(EXT).control)

MODULE_big  = $(EXT)
MODULEDIR   = extension
OBJS        = $(patsubst %.cpp,%.o,$(sort $(wildcard extension/src/*.cpp extension/src/*/*.cpp extension/src/*/*/*.cpp)))
# Upgrade scripts not yet released are assembled from sql/updates/ and the sql/src/ files they include
# (scripts/build-sql.sh); released scripts are plain files in sql/, frozen.
SQL_UPDATES = $(sort $(wildcard sql/updates/$(EXT)--*.sql))
DATA_built  = $(patsubst sql/updates/%,sql/%,$(SQL_UPDATES))
DATA        = extension/$(EXT).control $(filter-out $(DATA_built),$(sort $(wildcard sql/$(EXT)--*.sql)))

PG_CPPFLAGS = -Iextension/include -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CXXFLAGS = -std=c++17 -fvisibility=hidden -fvisibility-inlines-hidden -Wall -Wextra $(WERROR) -MMD -MP
SHLIB_LINK  = -lstdc++ -lsimdjson
EXTRA_CLEAN = $(OBJS:.o=.d)

# `make installcheck`: the pg_regress suite against an installed server (PGHOST, PGPORT…), after `make install`.
REGRESS      = $(shell sed -n 's/^test: *//p' tests/regress/schedule)
REGRESS_OPTS = --inputdir=tests/regress --load-extension=oversight
export OVERSIGHT_ROOT := $(CURDIR)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS compiles LLVM bitcode with clang and BITCODE_CXXFLAGS, not PG_CXXFLAGS (guide §2.3 F3).
BITCODE_CXXFLAGS += -std=c++17 -Iextension/include

-include $(OBJS:.o=.d)

sql/$(EXT)--%.sql: sql/updates/$(EXT)--%.sql $(wildcard sql/src/*.sql sql/src/*/*.sql) scripts/build-sql.sh
	bash scripts/build-sql.sh $< >$@.tmp && mv $@.tmp $@

.PHONY: deps loader install-loader unit test demo demo-stop bench format lint


deps:
	bash scripts/install-deps.sh

loader:
	$(MAKE) -C loader

# Installs oversight-load and its mapping files under PREFIX (the loader finds them relative to itself).
PREFIX ?= /usr/local
install-loader: loader
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/oversight/loader/mappings
	install -m 755 loader/build/oversight-load $(DESTDIR)$(PREFIX)/bin/oversight-load
	install -m 644 loader/mappings/*.map $(DESTDIR)$(PREFIX)/share/oversight/loader/mappings/

unit:
	$(MAKE) -C tests/unit

# The README's two commands: each installs missing Debian packages first, so a fresh machine needs
# nothing else.
test: deps
	bash tests/run.sh

demo: deps
	bash demo/run.sh

# The demo keeps its database running for exploring; this stops it.
demo-stop:
	bash demo/stop.sh

bench: deps
	bash bench/run.sh

format:
	clang-format -i $(shell git ls-files '*.cpp' '*.hpp')

lint:
	clang-format --dry-run --Werror $(shell git ls-files '*.cpp' '*.hpp')

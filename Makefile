# landpolicy — PGXS build.  `make test` and `make demo` bootstrap everything they need (README).
EXTENSION    = landpolicy
EXTVERSION   = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big   = landpolicy
OBJS         = $(patsubst %.c,%.o,$(wildcard src/*.c))
DATA_built   = $(EXTENSION)--$(EXTVERSION).sql
# Earlier releases' install scripts, frozen as released, and the update scripts between releases
# (docs/upgrading.md): CREATE EXTENSION ... VERSION '0.1.0' and ALTER EXTENSION ... UPDATE use them.
DATA         = $(wildcard updates/*.sql)
DOCS         =
EXTRA_CLEAN  = src/landclass_data.h output_iso

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
ISOLATION    = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))

PG_CFLAGS    = -Werror -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
PG_CPPFLAGS  = -I$(srcdir)/src $(shell geos-config --cflags 2>/dev/null)
SHLIB_LINK   = $(shell geos-config --clibs 2>/dev/null)

# Debian's server is built with LLVM JIT; we do not need bitcode (nor clang) for an extension.
override with_llvm = no

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
endif

# The install script is assembled from numbered parts, in order.
$(EXTENSION)--$(EXTVERSION).sql: $(sort $(wildcard src/sql/*.sql))
	cat $^ > $@

src/landclass_data.h: data/landclass.csv data/landclass_extra.csv scripts/landclass_data.awk
	LC_ALL=C sort -t, -k1,1 data/landclass.csv data/landclass_extra.csv | awk -f scripts/landclass_data.awk > $@.tmp
	mv $@.tmp $@

src/landclass.o: src/landclass_data.h

.PHONY: test demo demo-stop bootstrap valgrind bench fuzz
bootstrap:
	scripts/bootstrap.sh

# Build with warnings as errors, install, and run every regress and isolation test on a throwaway cluster.
test:
	scripts/test.sh

# A throwaway cluster with a sample county (闽侯县), its rules, and a compliance report.
demo:
	scripts/demo.sh start

demo-stop:
	scripts/demo.sh stop

# The regress suite under valgrind memcheck (slow; not part of make test).
valgrind:
	scripts/valgrind.sh

bench: ; bench/run.sh

# The libFuzzer harness over the type input functions (ASan + UBSan): make fuzz FUZZ_RUNS=1000000
FUZZ_RUNS ?= 1000000
fuzz: ; fuzz/run.sh $(FUZZ_RUNS)

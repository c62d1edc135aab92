# liang — a plain Makefile with pkg-config.
#
#   make            build ./liang
#   make site       install missing packages (as root), build liang, build the demo into out/
#   make test       the whole test suite; make test SAN=1 runs it under ASan + UBSan
#   make bench      benchmarks (not part of make test)
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each (tests/fuzz/fuzz.mk)
#   make valgrind   the demo build under valgrind: no leak, no invalid access
#   make format     clang-format (.clang-format) on the lines changed since the last commit
#   make lint       cppcheck

PKGS     := sqlite3 yaml-0.1 libjpeg libturbojpeg libpng libxml-2.0 icu-uc icu-i18n libcmark-gfm \
            harfbuzz harfbuzz-subset libqrencode zlib
CC       ?= cc
VERSION  := 0.1.0
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -DLIANG_VERSION='"$(VERSION)"' -Isrc -Ibuild
# libharu ships no pkg-config file.
LDLIBS   += -lcmark-gfm-extensions -lhpdf -lm -lpthread

ifeq ($(SAN),1)
BUILD    := build/san
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all $(filter-out -O2 -g,$(CFLAGS))
LDFLAGS  += -fsanitize=address,undefined
else
BUILD    := build/release
endif

# FAULTS=1: a binary whose allocations and writes can be made to fail
# (LIANG_FAULT_ALLOC=N, LIANG_FAULT_WRITE=N; see src/fault.h), for the tests.
ifeq ($(FAULTS),1)
BUILD    := $(BUILD)-faults
CFLAGS   += -DLIANG_FAULTS
endif

# pkg-config is asked only when compiling, so that `make deps` works on a
# machine that has none of the libraries yet.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Every module of src/ but main.c goes into the library the tests link.
LIB_SRC  := $(sort $(filter-out src/main.c,$(wildcard src/*.c)))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
EMBED    := src/schema.sql src/views.sql src/queries.sql src/stats.sql $(sort $(shell find themes/default -type f ! -name '*.md'))

TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_OBJ := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)

.PHONY: all deps site test unit check-demo bench format lint clean valgrind
all: liang

liang: $(BUILD)/liang
	cp $< $@

$(BUILD)/liang: $(BUILD)/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/embed: tools/embed.c | $(BUILD)
	$(CC) -O1 -o $@ $<

$(BUILD)/embedded.c: $(BUILD)/embed $(EMBED)
	$(BUILD)/embed $@ $(foreach f,$(EMBED),$(f)=$(f))

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/tests/%.o: tests/%.c | $(BUILD)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests -MMD -MP -c -o $@ $<

$(BUILD)/unit: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

deps:
	@sh tools/deps.sh

site: deps
	$(MAKE) liang
	./liang build

test: deps
	$(MAKE) $(BUILD)/liang $(BUILD)/unit $(REPLAY_BINS)
	$(MAKE) FAULTS=1 $(BUILD)-faults/liang
	@LIANG=$(BUILD)/liang UNIT=$(BUILD)/unit LIANG_FAULTS_BIN=$(BUILD)-faults/liang sh tests/run.sh

valgrind: liang
	d=$$(mktemp -d /tmp/liang-valgrind-XXXXXX) && \
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	  --error-exitcode=1 ./liang build -q -o $$d/out; rc=$$?; rm -rf $$d; exit $$rc

bench:
	@sh tools/deps.sh bench
	$(MAKE) liang
	@for f in tests/bench.sh $(filter-out tests/bench.sh,$(sort $(wildcard tests/bench*.sh))); do sh $$f || exit 1; done

# Only the lines changed since the last commit: the sources were written
# by hand in the style .clang-format describes, and clang-format run over
# whole files would rewrap some hundreds of lines it places differently
# (long calls, aligned tables) for no gain. A new file is formatted once
# it is added (git add): git clang-format sees only tracked files.
format:
	git clang-format -f --style=file -- src tests tools

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
	  --suppress=missingIncludeSystem -Isrc src tools

clean:
	rm -rf build liang

include tests/fuzz/fuzz.mk

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)

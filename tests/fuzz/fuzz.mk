# fuzz.mk — libFuzzer harnesses of tests/fuzz/ (included by the Makefile).
#
#   make fuzz [FUZZ_SECONDS=60]   build with clang into build/fuzz/ and run
#                                 each harness for FUZZ_SECONDS seconds
#
# make test builds the same harnesses with a plain main (replay.c) and
# replays tests/fuzz/regress/ and the seed corpora through them.

FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ_NAMES   := $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                -DLIANG_VERSION='"$(VERSION)"' -Isrc -Ibuild/fuzz $(FUZZ_FLAGS)
FUZZ_OBJ     := $(LIB_SRC:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/embedded.o
REPLAY_BINS  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

# keep the objects: they are intermediate files of the pattern rules
.PRECIOUS: build/fuzz/obj/%.o build/fuzz/embedded.c $(BUILD)/fuzz/%.o

.PHONY: fuzz fuzz-build
fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_NAMES)

fuzz-build: $(FUZZ_NAMES:%=build/fuzz/%)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

build/fuzz/embedded.c: build/fuzz/embed $(EMBED)
	build/fuzz/embed $@ $(foreach f,$(EMBED),$(f)=$(f))

build/fuzz/obj/embedded.o: build/fuzz/embedded.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-overlength-strings -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# the replay binaries, built like the unit tests (SAN=1 included)
$(BUILD)/fuzz/%.o: tests/fuzz/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/replay.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

-include $(wildcard build/fuzz/obj/*.d $(BUILD)/fuzz/*.d)

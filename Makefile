# The workbook's build. `make help` lists the targets; scripts/workbook runs
# what this file builds (lessons, exercises, tests, grading).

CC      ?= cc
CFLAGS  ?= -O2 -g
STD     := -std=c11 -Wall -Wextra -Werror -pthread -D_POSIX_C_SOURCE=200809L
BUILD   := build
WORKBOOK := scripts/workbook

LESSONS   := $(notdir $(sort $(wildcard lessons/[0-9][0-9]-*)))
SOLUTIONS := $(wildcard solutions/*/*.c)
STUBS     := $(patsubst solutions/%,lessons/%,$(SOLUTIONS))
DEMO_SRC  := $(filter-out $(STUBS),$(wildcard lessons/*/*.c))
DEMOS     := $(addprefix $(BUILD)/bin/,$(notdir $(DEMO_SRC:.c=)))

COMMON_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard common/*.c))
LIBCOMMON  := $(BUILD)/libcommon.a
HARNESS    := $(BUILD)/obj/tests/harness.o
MODULE_TESTS := $(notdir $(basename $(wildcard tests/test_[a-z]*.c)))

# Check is needed only for tests; `make lesson-N` must work without it.
CHECK_FLAGS = $(shell pkg-config --cflags --libs check 2>/dev/null)
TEST_LDFLAGS = -Wl,--wrap=pthread_create -Wl,--wrap=pthread_join
COMPILE = $(CC) $(STD) $(CFLAGS) -Icommon
LINK_TEST = $(COMPILE) -Itests -DBIN_DIR='"$(CURDIR)/$(BUILD)/bin"' $(TEST_LDFLAGS)

.PHONY: all demos tests help list test check grade bench clean FORCE
.DELETE_ON_ERROR:
.SECONDARY:

all: demos

demos: $(DEMOS)

help:
	@echo "make lesson-N [PROGRAM=name] [ARGS=...]  run lesson N's demos"
	@echo "make exercise-N                          check your answer to lesson N's exercise"
	@echo "make grade                               score every exercise"
	@echo "make test                                prove the workbook (installs Check if missing)"
	@echo "make list                                the lessons"
	@echo "make bench                               queue and executor throughput"
	@echo "make clean                               remove build/"

lesson-%: FORCE
	@$(WORKBOOK) lesson '$*'
exercise-%: FORCE
	@$(WORKBOOK) exercise '$*'
test check: FORCE
	@$(WORKBOOK) test
grade: FORCE
	@$(WORKBOOK) grade
list: FORCE
	@$(WORKBOOK) list
clean:
	rm -rf $(BUILD)

# Throughput of common/queue and common/executor, always at -O2.
bench: $(BUILD)/bench
	@$(BUILD)/bench
$(BUILD)/bench: tests/bench.c $(wildcard common/*.c common/*.h)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon tests/bench.c $(wildcard common/*.c) -lm -o $@
FORCE:

$(BUILD)/obj/%.o: %.c $(wildcard common/*.h) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(COMPILE) -c $< -o $@

$(LIBCOMMON): $(COMMON_OBJ)
	$(AR) rcs $@ $^

$(HARNESS): tests/harness.c tests/harness.h $(wildcard common/*.h)
	@mkdir -p $(@D)
	$(COMPILE) $(shell pkg-config --cflags check 2>/dev/null) -DBIN_DIR='"$(CURDIR)/$(BUILD)/bin"' -c $< -o $@

# Demos: every lessons/NN-slug/name.c that is not an exercise is build/bin/name.
vpath %.c $(addprefix lessons/,$(LESSONS))
$(BUILD)/bin/%: %.c $(LIBCOMMON) $(wildcard common/*.h)
	@mkdir -p $(@D)
	$(COMPILE) $< $(LIBCOMMON) -lm -o $@

# Tests of common/ and of the harness itself.
$(BUILD)/tests/%: tests/%.c $(HARNESS) $(LIBCOMMON) $(DEMOS) $(BUILD)/tests/harness_probe
	@mkdir -p $(@D)
	$(LINK_TEST) $< $(HARNESS) $(LIBCOMMON) $(CHECK_FLAGS) -o $@

$(BUILD)/tests/harness_probe: tests/harness_probe.c $(HARNESS) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(LINK_TEST) $< $(HARNESS) $(LIBCOMMON) $(CHECK_FLAGS) -o $@

# Lesson tests, three ways: against solutions/, against the student's file
# in lessons/, and against the stub as committed (scripts/workbook extracts it).
define LESSON_TESTS
$(1)_ID  := $$(subst -,_,$(1))
$(1)_EX  := $$(notdir $$(wildcard solutions/$(1)/*.c))
$(1)_DEP := tests/test_$$($(1)_ID).c $$(HARNESS) $$(LIBCOMMON) $$(DEMOS)
$(BUILD)/tests/solution/test_$$($(1)_ID): $$($(1)_DEP) $$(addprefix solutions/$(1)/,$$($(1)_EX))
	@mkdir -p $$(@D)
	$$(LINK_TEST) -Ilessons/$(1) $$(filter %.c,$$^) $$(HARNESS) $$(LIBCOMMON) $$(CHECK_FLAGS) -o $$@
$(BUILD)/tests/student/test_$$($(1)_ID): $$($(1)_DEP) $$(addprefix lessons/$(1)/,$$($(1)_EX))
	@mkdir -p $$(@D)
	$$(LINK_TEST) -Ilessons/$(1) $$(filter %.c,$$^) $$(HARNESS) $$(LIBCOMMON) $$(CHECK_FLAGS) -o $$@
$(BUILD)/tests/stub/test_$$($(1)_ID): $$($(1)_DEP) $$(addprefix $(BUILD)/stubs/$(1)/,$$($(1)_EX))
	@mkdir -p $$(@D)
	$$(LINK_TEST) -Ilessons/$(1) $$(filter %.c,$$^) $$(HARNESS) $$(LIBCOMMON) $$(CHECK_FLAGS) -o $$@
endef
$(foreach l,$(LESSONS),$(if $(wildcard tests/test_$(subst -,_,$(l)).c),$(eval $(call LESSON_TESTS,$(l)))))

# Everything `make test` runs, for scripts/workbook.
tests: $(DEMOS) $(addprefix $(BUILD)/tests/,$(MODULE_TESTS)) \
       $(foreach l,$(LESSONS),$(if $(wildcard tests/test_$(subst -,_,$(l)).c),$(BUILD)/tests/solution/test_$(subst -,_,$(l))))

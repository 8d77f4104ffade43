# The workbook's build. `make help` lists the targets; scripts/workbook.sh runs
# what this file builds (lessons, exercises, tests, grading).

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -pthread -D_POSIX_C_SOURCE=200809L
BUILD   := build
# PORTABLE=1: the paths a system without Linux's extras takes (common/portable.h).
ifdef PORTABLE
BUILD   := build/portable
WARN    += -DWORKBOOK_PORTABLE
endif
STD     := $(WARN) -Werror
WORKBOOK := scripts/workbook.sh
STUDENT := scripts/student.sh

# (make autograder-zip LESSONS="1 3" names lessons of its own: kept, then LESSONS is the folders)
ZIP_LESSONS := $(if $(filter command line,$(origin LESSONS)),$(LESSONS))
override LESSONS := $(notdir $(sort $(wildcard lessons/[0-9][0-9]-*)))
SOLUTIONS := $(wildcard solutions/*/*.c)
STUBS     := $(patsubst solutions/%,lessons/%,$(SOLUTIONS))
DEMO_SRC  := $(filter-out $(STUBS),$(wildcard lessons/*/*.c))
DEMOS     := $(addprefix $(BUILD)/bin/,$(notdir $(DEMO_SRC:.c=)))

# ---- the model of the lessons. Each lesson states what the build and the
# scripts know of it in lessons/NN-slug/lesson.mk, read here into
# LESSON/<lesson>/<key> (README, "Adding a lesson", says what each key means);
# make -s facts prints it all, with what the folders say, for the scripts.
LESSON_KEYS := demos needs tsan libs.% bench.% sanitize.thread.% sanitize.address.% sanitize.helgrind.%
define read_lesson
$$(if $$(wildcard lessons/$(1)/lesson.mk),,$$(error lessons/$(1) has no lesson.mk: README, "Adding a lesson", says what it holds))
include lessons/$(1)/lesson.mk
LESSON/$(1)/KEYS := $$(filter-out $$(MODEL_VARS) LESSON/%,$$(.VARIABLES))
$$(foreach k,$$(LESSON/$(1)/KEYS),$$(if $$(filter $$(LESSON_KEYS),$$(k)),,$$(error lessons/$(1)/lesson.mk sets $$(k), \
    which is not one of: demos, needs, tsan, libs.<demo>, bench.<demo>, sanitize.<thread|address|helgrind>.<demo>))$$(eval LESSON/$(1)/$$(k) := $$(value $$(k)))$$(eval undefine $$(k)))
endef
MODEL_VARS := $(.VARIABLES) MODEL_VARS
$(foreach l,$(LESSONS),$(eval $(call read_lesson,$(l))))
# The lessons whose exercise is graded under ThreadSanitizer too, and how:
# its flags, its options for a test and a test's longer time limit.
TSAN_GRADED := $(foreach l,$(LESSONS),$(if $(LESSON/$(l)/tsan),$(l)))
TSAN_CFLAGS := -O1 -g -fsanitize=thread
TSAN_TEST_OPTIONS := report_thread_leaks=0 atexit_sleep_ms=0
TSAN_TIMEOUT_MULTIPLIER := 4
# lesson_bins LESSON: the demos its tests and demos run, its own and those it needs.
lesson_bins = $(addprefix $(BUILD)/bin/,$(LESSON/$(1)/demos) $(LESSON/$(1)/needs))
# bench_keys LESSON: its bench.<demo> keys, in the order of its demos.
bench_keys = $(foreach d,$(LESSON/$(1)/demos),$(filter bench.$(d),$(LESSON/$(1)/KEYS)))

# The add-a-lesson contract (README, "Adding a lesson"), checked when make is
# run by hand (the makes that scripts/workbook.sh starts skip it).
ifeq ($(MAKELEVEL),0)
DEMO_NAMES := $(notdir $(DEMO_SRC:.c=))
DUPLICATES := $(strip $(foreach n,$(sort $(DEMO_NAMES)),$(if $(word 2,$(filter $(n),$(DEMO_NAMES))),$(n))))
$(if $(DUPLICATES),$(error two lessons have a demo named $(DUPLICATES): demos all build into $(BUILD)/bin, so each name must be unique))
NO_TESTS := $(filter-out $(patsubst tests/test_%.c,%,$(wildcard tests/test_[0-9]*.c)),$(subst -,_,$(LESSONS)))
$(if $(NO_TESTS),$(error no test file for lesson(s) $(NO_TESTS): lesson NN-slug has tests/test_NN_slug.c))
lesson_demos = $(notdir $(basename $(filter lessons/$(1)/%,$(DEMO_SRC))))
demos_differ = $(strip $(filter-out $(1),$(2)) $(filter-out $(2),$(1)))
$(foreach l,$(LESSONS),$(if $(call demos_differ,$(call lesson_demos,$(l)),$(LESSON/$(l)/demos)),\
    $(error lessons/$(l)/lesson.mk: demos must name each demo of the lesson, in the order make lesson-N runs them; \
      it and the lesson's .c files differ by: $(call demos_differ,$(call lesson_demos,$(l)),$(LESSON/$(l)/demos)))))
$(foreach l,$(LESSONS),$(foreach k,$(LESSON/$(l)/KEYS),$(if $(filter libs.% bench.% sanitize.%,$(k)),\
    $(if $(filter $(lastword $(subst ., ,$(k))),$(LESSON/$(l)/demos)),,\
      $(error lessons/$(l)/lesson.mk sets $(k), but $(lastword $(subst ., ,$(k))) is not one of its demos)))))
$(foreach l,$(LESSONS),$(if $(filter tsan,$(LESSON/$(l)/KEYS)),$(if $(LESSON/$(l)/tsan),,\
    $(error lessons/$(l)/lesson.mk: tsan needs its reason, tsan := <the shared memory no pthread call brackets>))$\
  $(if $(wildcard solutions/$(l)/*.c),,$(error lessons/$(l)/lesson.mk sets tsan, but the lesson has no exercise))))
$(foreach l,$(LESSONS),$(foreach d,$(LESSON/$(l)/needs),$(if $(filter $(d),$(DEMO_NAMES)),,\
    $(error lessons/$(l)/lesson.mk needs $(d), which is no lesson's demo))))
endif

COMMON_H   := $(wildcard common/*.h)
COMMON_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard common/*.c))
LIBCOMMON  := $(BUILD)/libcommon.a
# Lesson libraries: lessons/NN-slug/lib/*.c is a lesson's support code, neither
# demo nor exercise, compiled once into $(BUILD)/lib/NN-slug.a and linked into
# the lesson's demos and tests; its headers sit in lib/ or beside the lesson's.
LIB_LESSONS := $(sort $(patsubst lessons/%/lib/,%,$(dir $(wildcard lessons/*/lib/*.c))))
lesson_lib = $(if $(filter $(1),$(LIB_LESSONS)),$(BUILD)/lib/$(1).a)
lesson_includes = -Ilessons/$(1)$(if $(filter $(1),$(LIB_LESSONS)), -Ilessons/$(1)/lib)
lesson_headers = $(wildcard lessons/$(1)/*.h lessons/$(1)/lib/*.h)
lib_objects = $(patsubst lessons/%.c,$(BUILD)/obj/lessons/%.o,$(wildcard lessons/$(1)/lib/*.c))
# A lesson whose demos run its exercise's reference answer (lesson 11's
# servers serve each client with solutions/11-socket-server/handler.c).
ANSWER_IN_DEMOS := 11-socket-server
answer_objects = $(if $(filter $(1),$(ANSWER_IN_DEMOS)),$(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard solutions/$(1)/*.c)))
HARNESS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out %/harness_probe.c,$(wildcard tests/harness/*.c)))
SPY_HOOK   := tests/harness/spy_hook.h
MODULE_TESTS := $(notdir $(basename $(wildcard tests/test_[a-z]*.c)))

# Check is needed only for tests; `make lesson-N` must work without it.
# (asked once, when first used)
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(shell pkg-config --cflags check 2>/dev/null))$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $$(shell pkg-config --libs check 2>/dev/null))$(CHECK_LIBS)
COMPILE = $(CC) $(STD) $(CFLAGS) -Icommon
# Test programs link with gold, or lld, where the compiler can use one: make
# test links some 230 of them, and a link took 0.021 s with gold, 0.030 s with
# lld and 0.035 s with ld.bfd here. Found once, then passed on to sub-makes.
COMMA := ,
ifeq ($(origin FAST_LD),undefined)
FAST_LD := $(shell for l in gold lld; do $(CC) -fuse-ld=$$l -Wl,--version >/dev/null 2>&1 && { echo -fuse-ld=$$l; break; }; done)
# (gold reads its inputs and writes its output without mapping them whole:
# a fifth less time a link, most of it the kernel's, 24 against 19 ms here)
FAST_LD := $(FAST_LD)$(if $(filter -fuse-ld=gold,$(FAST_LD)), -Wl$(COMMA)--no-map-whole-files$(COMMA)--no-mmap-output-file)
endif
export FAST_LD
# Header dependencies come from the compiler: each object or demo has a .d
# beside it. One that has none yet (a build made before) is rebuilt once.
# The .d itself is never a prerequisite: clang writes it after the object,
# which would then look stale to every make that comes after.
DEPS = -MMD -MP
NO_DEPS_YET = $$(if $$(wildcard $$(basename $$@).d),,FORCE)
TEST_INCLUDES = -Icommon -Itests/harness $(CHECK_CFLAGS)

.PHONY: all demos tests harness help list test check grade grader-unit autograder-zip classroom-workflow bench facts docs-check tsan asan helgrind progress next clean FORCE
.DELETE_ON_ERROR:
.SECONDARY:
.SECONDEXPANSION:

all: demos

demos: $(DEMOS)

help:
	@echo "make lesson-N [PROGRAM=name] [ARGS=...]  run lesson N's demos"
	@echo "     [VIEW=timeline]                     (their logs as one column per thread)"
	@echo "make exercise-N [SANITIZE=thread]        check your answer to lesson N's exercise"
	@echo "                                         (SANITIZE=thread: under ThreadSanitizer)"
	@echo "make progress                            which exercises pass, which you started, what next"
	@echo "make next                                run the tests of the exercise make progress names"
	@echo "make hint-N [ALL=1] [FILE=x.c]           the next hint for exercise N (ALL=1: all of them)"
	@echo "make reset-N [FILE=x.c]                  save your file beside it, put the stub back"
	@echo "make watch-N                             rerun exercise N's tests on every save (Ctrl-C stops)"
	@echo "make grade                               score every exercise (your files)"
	@echo "make grade SUBMISSIONS=dir [ONLY=x|FAILED=1]  grade a class (instructors; README)"
	@echo "make autograder-zip [LESSONS=...]        Gradescope's autograder zip"
	@echo "make classroom-workflow                  GitHub Classroom's autograding workflow"
	@echo "make test                                prove the workbook (installs Check if missing)"
	@echo "make check-N                             prove lesson N's exercise: the reference answer"
	@echo "                                         passes, the stub and every wrong answer fail"
	@echo "make tsan | make asan                    every demo and test under ThreadSanitizer or"
	@echo "                                         AddressSanitizer+UBSan (lesson.mk: sanitize.*)"
	@echo "make helgrind                            every demo under valgrind's helgrind"
	@echo "make list                                the lessons"
	@echo "make -s facts                            the lessons' model (lesson.mk), one fact a line"
	@echo "make docs-check                          the output the READMEs quote, run again and compared"
	@echo "make bench                               throughput of the queues (lesson 13) and the executor,"
	@echo "                                         a new thread's cost beside a pool's, servers"
	@echo "                                         (lessons 11, 16), speed-ups (12, 16)"
	@echo "make clean                               remove build/"

lesson-%: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) lesson '$*'
exercise-%: FORCE
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) $(STUDENT) exercise '$*'
progress next: FORCE
	@BUILD=$(BUILD) $(STUDENT) $@
hint-%: FORCE
	@BUILD=$(BUILD) $(STUDENT) hint '$*'
reset-%: FORCE
	@BUILD=$(BUILD) $(STUDENT) reset '$*'
watch-%: FORCE
	@BUILD=$(BUILD) $(STUDENT) watch '$*'
check-%: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) test '$*'
test check: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) test
# grade: a class with SUBMISSIONS (scripts/grade, Python 3; ONLY=<folder>
# regrades one, FAILED=1 those not graded yet); without, your own files
# (scripts/student.sh, bash only).
grade: FORCE
	@BUILD=$(BUILD) $(if $(SUBMISSIONS),$(WORKBOOK) grade $(if $(ONLY),--only '$(ONLY)') $(if $(FAILED),--failed) \
	    '$(SUBMISSIONS)',$(STUDENT) grade)
tsan: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) sanitize thread
asan: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) sanitize address
helgrind: demos FORCE
	@BUILD=$(BUILD) $(WORKBOOK) sanitize helgrind
grade-selftest: FORCE
	@BUILD=$(BUILD) scripts/grade --selftest
# Gradescope's autograder zip (LESSONS="1 3": only those; README, "Gradescope").
autograder-zip: FORCE
	@BUILD=$(BUILD) GRADE_LESSONS='$(ZIP_LESSONS)' scripts/grade --autograder-zip $(BUILD)/autograder.zip
# GitHub Classroom's autograding workflow (README, "GitHub Classroom").
classroom-workflow: FORCE
	@BUILD=$(BUILD) GRADE_LESSONS='$(ZIP_LESSONS)' scripts/grade --classroom-workflow .github/workflows/classroom.yml
# The grader's own unit tests (scripts/grader/test_*.py; make test runs them).
grader-unit: FORCE
	@cd scripts && python3 -m unittest discover -s grader -t .
list: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) list
clean:
	rm -rf $(BUILD)

# Throughput: each lesson's bench.<demo> (lesson.mk), the demo as built
# (CFLAGS: -O2 unless it is set) with its "bench: " lines kept, lesson by
# lesson, then common/executor's figure.
bench: $(DEMOS) $(BUILD)/bench/executor_bench
	@set -e; $(foreach l,$(LESSONS),$(foreach k,$(call bench_keys,$(l)),\
	    $(BUILD)/bin/$(k:bench.%=%) $(LESSON/$(l)/$(k)) | grep '^bench: ';))
	@$(BUILD)/bench/executor_bench
$(BUILD)/bench/executor_bench: tests/bench.c $(LIBCOMMON)
	@mkdir -p $(@D)
	$(COMPILE) $< $(LIBCOMMON) -lm -o $@

# The model, one line a fact: <lesson> TAB <key> TAB <value>, the lesson "*"
# for what holds for all (README, "Adding a lesson").
EMPTY :=
TAB   := $(EMPTY)	$(EMPTY)
fact = $(info $(1)$(TAB)$(2)$(TAB)$(3))
lesson_facts = $(call fact,$(1),demos,$(LESSON/$(1)/demos)) \
    $(if $(filter $(1),$(EXERCISE_LESSONS)),$(call fact,$(1),exercise,$(notdir $(wildcard solutions/$(1)/*.c)))) \
    $(foreach k,$(filter tsan,$(LESSON/$(1)/KEYS)) $(sort $(filter-out demos tsan,$(LESSON/$(1)/KEYS))),\
        $(call fact,$(1),$(k),$(LESSON/$(1)/$(k)))) \
    $(foreach w,$(call WRONG,$(1)),$(call fact,$(1),wrong.$(basename $(notdir $(w))),$(call wrong_file,$(w))))
facts: FORCE
	@:$(call fact,*,tsan.cflags,$(TSAN_CFLAGS)) $(call fact,*,tsan.options,$(TSAN_TEST_OPTIONS)) \
	  $(call fact,*,tsan.timeout_multiplier,$(TSAN_TIMEOUT_MULTIPLIER)) $(foreach l,$(LESSONS),$(call lesson_facts,$(l)))
FORCE:

$(BUILD)/obj/common/%.o: common/%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) -c $< -o $@

$(LIBCOMMON): $(COMMON_OBJ)
	$(AR) rcs $@ $^

# A lesson library's files see the lesson's headers; so does a reference
# answer built for the demos (ANSWER_IN_DEMOS).
$(BUILD)/obj/lessons/%.o: lessons/%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) $(call lesson_includes,$(firstword $(subst /, ,$*))) -c $< -o $@
$(BUILD)/obj/solutions/%.o: solutions/%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) $(call lesson_includes,$(firstword $(subst /, ,$*))) -c $< -o $@
$(BUILD)/lib/%.a: $$(call lib_objects,$$*)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# Demos: every lessons/NN-slug/name.c that is not an exercise is build/bin/name,
# linked with its lesson's library.
vpath %.c $(addprefix lessons/,$(LESSONS))
demo_lesson = $(word 2,$(subst /, ,$(filter %/$(1).c,$(DEMO_SRC))))
demo_links = $(call answer_objects,$(1)) $(call lesson_lib,$(1))
$(BUILD)/bin/%: %.c $(NO_DEPS_YET) $$(call demo_links,$$(call demo_lesson,$$*)) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) $(FAST_LD) $(call lesson_includes,$(call demo_lesson,$*)) $< \
	    $(call demo_links,$(call demo_lesson,$*)) $(LIBCOMMON) -lm $(LESSON/$(call demo_lesson,$*)/libs.$*) -o $@

# The harness, and test files: a lesson's test file sees its lesson's headers.
$(BUILD)/obj/tests/harness/%.o: tests/harness/%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) $(TEST_INCLUDES) -DBIN_DIR='"$(CURDIR)/$(BUILD)/bin"' -c $< -o $@
# A test file is compiled without optimisation (-O0 after CFLAGS): the files
# are long, their speed does not matter, and -O2 took three times as long.
$(BUILD)/obj/tests/test_%.o: tests/test_%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) -O0 $(DEPS) $(TEST_INCLUDES) $(call lesson_includes,$(subst _,-,$*)) $(INCLUDES_test_$*) -c $< -o $@

# Code the tests watch through the spies (spy_hook.h forced in front).
$(BUILD)/spied/%.o: %.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) -include $(SPY_HOOK) -Itests/harness -c $< -o $@
SPIED_test_executor := $(BUILD)/spied/common/executor.o
SPIED_test_event := $(BUILD)/spied/common/event.o
SPIED_test_harness := $(BUILD)/spied/tests/spy_hook_calls.o
SPIED := $(SPIED_test_executor) $(SPIED_test_event) $(SPIED_test_harness)

# LIB_<test>, INCLUDES_<test>: a lesson library a test of common/ links.
INCLUDES_test_fastqueue := $(call lesson_includes,13-fast-queue)
LIB_test_fastqueue := $(call lesson_lib,13-fast-queue)

# Tests of common/ and of the harness itself, and of lessons with no exercise.
test_lib = $(LIB_$(1)) $(call lesson_lib,$(subst _,-,$(patsubst test_%,%,$(1))))
# (A test program waits for the demos it runs, only: the rest of make test
# need not wait for every demo before it starts.)
TESTS_OF_ALL_DEMOS := test_demos test_prerequisites
$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $$(SPIED_$$*) $$(call test_lib,$$*) $(HARNESS) $(LIBCOMMON) \
                  | $$(if $$(filter $$*,$(TESTS_OF_ALL_DEMOS)),$(DEMOS),$$(call lesson_bins,$$(subst _,-,$$(patsubst test_%,%,$$*)))) \
                    $(BUILD)/tests/harness_probe
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $(FAST_LD) $^ $(LIBCOMMON) $(CHECK_LIBS) -lm -o $@
$(BUILD)/tests/harness_probe: $(BUILD)/obj/tests/harness/harness_probe.o $(HARNESS) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $^ $(CHECK_LIBS) -lm -o $@

# Lesson tests, built from a "set": build/sets/<tag>/<lesson>/ holds an object
# of each exercise file of the lesson: the reference answers (solution), the
# stubs as committed (stub), a wrong answer of tests/wrong/ (wrong-<bug>, with
# the reference answer's other files), each copied here first; the student's
# files (student), compiled where they are, in lessons/; a student of a class
# (scripts/grade puts the files there). Exercise files are the student's code:
# compiled with warnings shown but not fatal, with the lesson's own headers
# (never a copy's), and with the spies hooked in.
set_lesson = $(notdir $(patsubst %/,%,$(dir $(1))))
# A stub or a wrong answer is compiled without debugging information (nobody
# debugs them: a fifth of their compile time), except for a sanitizer, whose
# reports name the lines.
NO_DEBUG = $(if $(filter -fsanitize=%,$(CFLAGS)),,-g0)
# Every file of a set begins with spy_hook.h and the system headers it
# includes, some 3000 lines: gcc reads them precompiled (a quarter of the
# time of a wrong answer's compile), from a copy beside the precompiled file,
# which gcc uses instead of the copy when the flags allow and ignores when not.
# It is made before the sets (with the harness) and replaced whole, never
# rewritten in place: a compiler reading it maps it into memory.
# (clang refuses a precompiled header made with other flags: it reads the header.)
ifeq ($(origin GCC_PCH),undefined)
GCC_PCH := $(shell $(CC) -dM -E -x c /dev/null 2>/dev/null | grep -q __clang__ || echo yes)
endif
export GCC_PCH
PCH := $(if $(GCC_PCH),$(BUILD)/pch/spy_hook.h.gch)
$(BUILD)/pch/spy_hook.h: $(SPY_HOOK)
	@mkdir -p $(@D)
	cp $< $@
$(BUILD)/pch/spy_hook.h.gch: $(BUILD)/pch/spy_hook.h $(COMMON_H)
	$(CC) $(WARN) $(CFLAGS) -Icommon -Itests/harness -x c-header $< -o $@.$$$$ && mv $@.$$$$ $@
set_compile = $(CC) $(WARN) $(if $(filter solution/%,$*),-Werror) $(CFLAGS) $(if $(filter stub/% wrong-%,$*),$(NO_DEBUG)) \
    -Icommon -Itests/harness $(call lesson_includes,$(call set_lesson,$*)) \
    -include $(if $(PCH),$(basename $(PCH)),$(SPY_HOOK)) -c $< -o $@
SET_DEPS = $(SPY_HOOK) $(COMMON_H) $$(call lesson_headers,$$(call set_lesson,$$*)) $(PCH)
$(BUILD)/sets/student/%.o: lessons/%.c $(SET_DEPS)
	@mkdir -p $(@D)
	$(set_compile)
$(BUILD)/sets/%.o: $(BUILD)/sets/%.c $(SET_DEPS)
	$(set_compile)
# The grader's ThreadSanitizer build of a student's file compiles the very
# tokens its plain build compiled (the .i made with the plain flags), so no
# #if can tell the two builds apart.
$(BUILD)/sets/%.i: $(BUILD)/sets/%.c $(SPY_HOOK) $(COMMON_H) $$(call lesson_headers,$$(call set_lesson,$$*))
	$(CC) $(WARN) $(CFLAGS) -Icommon -Itests/harness \
	    $(call lesson_includes,$(call set_lesson,$*)) -include $(SPY_HOOK) -E $< -o $@
$(BUILD)/sets/%.o: $(BUILD)/sets/%.i
	$(CC) $(WARN) -w $(CFLAGS) -c $< -o $@
# A set's test waits for its lesson's demos and the other lessons' demos its
# lesson.mk needs (lesson 11's tests run lesson 16's servers), only: the rest
# of make test need not wait for every demo before it starts.
# set_objects TAG/LESSON: a set make fills, and the student's, has an object
# per file of the reference answer (a wrong answer's set only the one it replaces: it links
# the reference answer's objects of the others); another has one per file put
# there.
set_objects = $(if $(filter solution/% stub/% student/%,$(1)),\
    $(patsubst solutions/%.c,$(BUILD)/sets/$(dir $(1))%.o,$(wildcard solutions/$(notdir $(1))/*.c)),\
    $(if $(filter wrong-%,$(1)),$(call wrong_objects,$(patsubst wrong-%/,%,$(dir $(1))),$(notdir $(1))),\
    $(addsuffix .o,$(basename $(wildcard $(BUILD)/sets/$(1)/*.c $(BUILD)/sets/$(1)/*.i)))))
wrong_objects = $(foreach f,$(notdir $(wildcard solutions/$(2)/*.c)),\
    $(BUILD)/sets/$(if $(filter $(f),$(call wrong_file,tests/wrong/$(2)/$(1).c)),wrong-$(1),solution)/$(2)/$(f:.c=.o))
$(BUILD)/sets/%/test: $$(call set_objects,$$*) \
                      $(BUILD)/obj/tests/test_$$(subst -,_,$$(notdir $$*)).o $(HARNESS) \
                      $$(call lesson_lib,$$(notdir $$*)) $(LIBCOMMON) \
                      $(if $(NO_DEMOS),,| $$(call lesson_bins,$$(notdir $$*)))
	$(CC) $(STD) $(CFLAGS) $(FAST_LD) $(filter %.o,$^) $(call lesson_lib,$(notdir $*)) $(LIBCOMMON) $(CHECK_LIBS) -lm -o $@

# The copies. A stub as committed (as on disk outside git), so a stub can
# never ship solved; rewritten only when it changed, so that make rebuilds
# only what did.
$(BUILD)/sets/solution/%.c: solutions/%.c
	@mkdir -p $(@D)
	cp $< $@
$(BUILD)/sets/stub/%.c: FORCE
	@mkdir -p $(@D)
	@git show 'HEAD:lessons/$*.c' >$@.new 2>/dev/null || cp 'lessons/$*.c' $@.new
	@cmp -s $@.new $@ || mv $@.new $@; rm -f $@.new
# wrong-<bug>/<lesson>/<file>.c: tests/wrong/<lesson>/<bug>.c, whose first
# line names <file>.c ("/* <file>.c, wrong: <what> */", tests/wrong/README.md).
WRONG_FILES = $(eval WRONG_FILES := $$(shell awk 'FNR == 1 && sub(/^\/\* */, "") && sub(/, wrong: .*/, "") { print FILENAME "=" $$$$0 }' \
                  /dev/null $$(wildcard tests/wrong/*/*.c)))$(WRONG_FILES)
wrong_file = $(patsubst $(1)=%,%,$(filter $(1)=%,$(WRONG_FILES)))
$(BUILD)/sets/wrong-%.c: tests/wrong/$$(word 2,$$(subst /, ,$$*))/$$(word 1,$$(subst /, ,$$*)).c
	@mkdir -p $(@D)
	cp $< $@

$(BUILD)/%.d: ;
-include $(wildcard $(BUILD)/obj/common/*.d $(BUILD)/obj/tests/*.d $(BUILD)/obj/tests/harness/*.d \
                    $(BUILD)/obj/lessons/*/lib/*.d $(BUILD)/obj/solutions/*/*.d \
                    $(BUILD)/bin/*.d $(BUILD)/spied/common/*.d $(BUILD)/spied/tests/*.d)

# What every set links with (make test builds it for ThreadSanitizer first).
harness: $(HARNESS) $(LIBCOMMON) $(PCH)

# The test programs besides the sets (make tsan and make asan build them):
# the tests of common/ and the harness, and those of lessons that have no
# exercise.
EXERCISE_LESSONS := $(sort $(notdir $(patsubst %/,%,$(dir $(SOLUTIONS)))))
PLAIN_LESSON_TESTS := $(addprefix test_,$(subst -,_,$(filter-out $(EXERCISE_LESSONS),$(LESSONS))))
tests: $(DEMOS) $(SPIED) $(addprefix $(BUILD)/tests/,$(MODULE_TESTS) $(PLAIN_LESSON_TESTS))

# ---- make test and make check-N (scripts/workbook.sh asks for these logs in one
# make -k -j and reports them). Each run of a test program is a target that
# writes its log, $(LOGS)/<what ran>.log, whose last line is "counts: CHECKS
# FAILURES ERRORS" (a program that crashed, or ran no test, counts as one
# error). A stub or a wrong answer runs its exercise suite only up to its
# first failure: one proves the point, and the tests after it would wait out
# the same bug. A wrong answer that passes is run again under ThreadSanitizer
# (a data race no pthread call brackets), in its own set, built into
# $(TSAN_BUILD) by a make of its own (with this one's job slots); the lessons of
# TSAN_GRADED (lesson.mk's tsan) have their reference answers' ThreadSanitizer
# sets built first, so their wrong answers' follow-ups run along with the rest
# (scripts/workbook.sh asks for any other one afterwards).
LOGS       := $(BUILD)/logs
TSAN_BUILD := $(BUILD)/tsan
TSAN_FLAGS  = --no-print-directory -s BUILD=$(TSAN_BUILD) NO_DEMOS=1 CFLAGS='$(TSAN_CFLAGS)'
TSAN_ENV   := TSAN_OPTIONS="$(TSAN_TEST_OPTIONS) $$TSAN_OPTIONS" CK_TIMEOUT_MULTIPLIER=$(TSAN_TIMEOUT_MULTIPLIER)
# NO_TSAN=1: where ThreadSanitizer does not work (scripts/workbook.sh tries it).
TSAN_LESSONS = $(if $(NO_TSAN),,$(filter $(EXERCISE_LESSONS),$(TSAN_GRADED)))
WRONG = $(wildcard tests/wrong/$(1)/*.c)
ifdef PORTABLE
# (a wrong answer that says "Not a bug with PORTABLE=1" is left out of that build)
WRONG = $(filter-out $(shell grep -l 'Not a bug with PORTABLE=1' /dev/null tests/wrong/$(1)/*.c),$(wildcard tests/wrong/$(1)/*.c))
endif
# wrong_log LOGDIR, tests/wrong/<lesson>/<bug>.c: LOGDIR/sets/wrong-<bug>/<lesson>.log
wrong_log = $(foreach w,$(2),$(1)/sets/wrong-$(basename $(notdir $(w)))/$(notdir $(patsubst %/,%,$(dir $(w)))).log)

# run_log BINARY,SUITE,STOP,ENV: the recipe of a log. SUITE: one suite (else
# all); STOP: up to the first failure; ENV: the run's environment.
run_log = rm -f $@.result $@.stop; \
    env -u CK_RUN_SUITE -u WORKBOOK_STOP_FILE $(4) $(if $(2),CK_RUN_SUITE=$(2)) WORKBOOK_RESULT_FILE=$@.result \
        $(if $(3),WORKBOOK_STOP_FILE=$@.stop) $(1) >$@.tmp 2>&1; \
    c=0 f=0 e=0; [ ! -s $@.result ] || read -r c f e <$@.result; [ "$$c" -gt 0 ] || c=1 e=1; \
    echo "counts: $$c $$f $$e" >>$@.tmp; rm -f $@.result $@.stop; mv $@.tmp $@

$(LOGS)/tests/%.log: $(BUILD)/tests/%
	@mkdir -p $(@D); $(call run_log,$<)
$(LOGS)/sets/solution/%.log: $(BUILD)/sets/solution/%/test
	@mkdir -p $(@D); $(call run_log,$<)
$(LOGS)/sets/%.log: $(BUILD)/sets/%/test
	@mkdir -p $(@D); $(call run_log,$<,exercise,stop)
$(LOGS)/tsan/sets/solution/%.log: $(TSAN_BUILD)/sets/solution/%/test
	@mkdir -p $(@D); $(call run_log,$<,exercise,,$(TSAN_ENV))
$(LOGS)/tsan/sets/wrong-%.log: $(LOGS)/sets/wrong-%.log \
        | $$(if $$(filter $$(notdir $$*),$$(TSAN_LESSONS)),$(TSAN_BUILD)/sets/solution/$$(notdir $$*)/test,tsan-common)
	@if grep -q '^counts: [0-9]* 0 0$$' $<; then $(MAKE) $(TSAN_FLAGS) $(TSAN_BUILD)/sets/wrong-$*/test && \
	    { mkdir -p $(@D); $(call run_log,$(TSAN_BUILD)/sets/wrong-$*/test,exercise,stop,$(TSAN_ENV)); }; fi
$(TSAN_BUILD)/sets/solution/%/test: tsan-common
	@$(MAKE) $(TSAN_FLAGS) $@
tsan-common:
	@$(MAKE) $(TSAN_FLAGS) harness

# The grader against its adversarial class, lesson 1 only (make grade-selftest
# grades the whole class), once what it builds too is built. Its make is its
# own (not this one's -j and -k).
$(LOGS)/grade-selftest.log: $(patsubst %,$(BUILD)/sets/solution/%/test,$(EXERCISE_LESSONS))
	@mkdir -p $(@D); env -u MAKEFLAGS -u MFLAGS BUILD=$(BUILD) scripts/grade --selftest-fast >$@.tmp 2>&1; \
	echo "counts: 1 $$(($$? != 0)) 0" >>$@.tmp; mv $@.tmp $@

# The grader's unit tests, a module each.
$(LOGS)/grader-unit.log: FORCE
	@mkdir -p $(@D); (cd scripts && python3 -m unittest discover -s grader -t .) >$@.tmp 2>&1; \
	echo "counts: 1 $$(($$? != 0)) 0" >>$@.tmp; mv $@.tmp $@

# check-logs-<lesson>: a lesson's exercise proved; test-logs: everything, the
# long runs first (the short ones fill in around them).
lesson_logs = $(LOGS)/sets/solution/$(1).log $(LOGS)/sets/stub/$(1).log $(call wrong_log,$(LOGS),$(call WRONG,$(1))) \
    $(if $(filter $(1),$(TSAN_LESSONS)),$(LOGS)/tsan/sets/solution/$(1).log $(call wrong_log,$(LOGS)/tsan,$(call WRONG,$(1))))
check-logs-%: $$(call lesson_logs,$$*) ;
test-logs: $$(LOGS)/grade-selftest.log $$(LOGS)/grader-unit.log \
           $$(patsubst tests/%.c,$$(LOGS)/tests/%.log,$$(wildcard tests/test_[a-z]*.c)) \
           $$(addprefix $$(LOGS)/tests/,$$(addsuffix .log,$$(PLAIN_LESSON_TESTS))) \
           $$(patsubst %,$$(LOGS)/sets/solution/%.log,$$(EXERCISE_LESSONS)) \
           $$(patsubst %,$$(LOGS)/tsan/sets/solution/%.log,$$(TSAN_LESSONS)) \
           $$(foreach l,$$(EXERCISE_LESSONS),$$(call lesson_logs,$$(l)))
.PHONY: test-logs tsan-common

# ---- the workbook's own checks. make docs-check: the output the READMEs
# quote is what their commands print now (scripts/docs_check.py: how a block
# names its command). make test runs it, and tests/add_lesson.sh (a lesson
# added to a copy of the workbook edits no other file), beside its other logs.
docs-check: $(DEMOS)
	@BUILD=$(BUILD) scripts/docs_check.py
test-logs: $(LOGS)/docs-check.log $(LOGS)/add-lesson.log
$(LOGS)/docs-check.log: $(DEMOS)
	@mkdir -p $(@D); BUILD=$(BUILD) scripts/docs_check.py >$@.tmp 2>&1; \
	echo "counts: 1 $$(($$? != 0)) 0" >>$@.tmp; mv $@.tmp $@
$(LOGS)/add-lesson.log: $(DEMOS) $(HARNESS) $(LIBCOMMON)
	@mkdir -p $(@D); BUILD=$(BUILD) tests/add_lesson.sh >$@.tmp 2>&1; \
	echo "counts: 1 $$(($$? != 0)) 0" >>$@.tmp; mv $@.tmp $@

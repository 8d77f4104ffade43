# The workbook's build. `make help` lists the targets; scripts/workbook runs
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
WORKBOOK := scripts/workbook
STUDENT := scripts/student

LESSONS   := $(notdir $(sort $(wildcard lessons/[0-9][0-9]-*)))
SOLUTIONS := $(wildcard solutions/*/*.c)
STUBS     := $(patsubst solutions/%,lessons/%,$(SOLUTIONS))
DEMO_SRC  := $(filter-out $(STUBS),$(wildcard lessons/*/*.c))
DEMOS     := $(addprefix $(BUILD)/bin/,$(notdir $(DEMO_SRC:.c=)))

# The add-a-lesson contract (README, "Adding a lesson"), checked when make is
# run by hand (the makes that scripts/workbook starts skip it).
ifeq ($(MAKELEVEL),0)
DEMO_NAMES := $(notdir $(DEMO_SRC:.c=))
DUPLICATES := $(strip $(foreach n,$(sort $(DEMO_NAMES)),$(if $(word 2,$(filter $(n),$(DEMO_NAMES))),$(n))))
$(if $(DUPLICATES),$(error two lessons have a demo named $(DUPLICATES): demos all build into $(BUILD)/bin, so each name must be unique))
NO_TESTS := $(filter-out $(patsubst tests/test_%.c,%,$(wildcard tests/test_[0-9]*.c)),$(subst -,_,$(LESSONS)))
$(if $(NO_TESTS),$(error no test file for lesson(s) $(NO_TESTS): lesson NN-slug has tests/test_NN_slug.c))
lesson_demos = $(notdir $(basename $(filter lessons/$(1)/%,$(DEMO_SRC))))
listed_demos = $(shell cat lessons/$(1)/demos.list 2>/dev/null)
demos_differ = $(strip $(filter-out $(1),$(2)) $(filter-out $(2),$(1)))
$(foreach l,$(LESSONS),$(if $(call demos_differ,$(call lesson_demos,$(l)),$(call listed_demos,$(l))),\
    $(error lessons/$(l)/demos.list must name each demo of the lesson, in the order make lesson-N runs them; \
      it and the lesson's .c files differ by: $(call demos_differ,$(call lesson_demos,$(l)),$(call listed_demos,$(l))))))
endif

COMMON_H   := $(wildcard common/*.h)
COMMON_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard common/*.c))
LIBCOMMON  := $(BUILD)/libcommon.a
HARNESS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out %/harness_probe.c,$(wildcard tests/harness/*.c)))
SPY_HOOK   := tests/harness/spy_hook.h
MODULE_TESTS := $(notdir $(basename $(wildcard tests/test_[a-z]*.c)))

# Check is needed only for tests; `make lesson-N` must work without it.
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)
COMPILE = $(CC) $(STD) $(CFLAGS) -Icommon
# Test programs link with gold, or lld, where the compiler can use one: make
# test links some 230 of them, and a link took 0.021 s with gold, 0.030 s with
# lld and 0.035 s with ld.bfd here. Found once, then passed on to sub-makes.
ifeq ($(origin FAST_LD),undefined)
FAST_LD := $(shell for l in gold lld; do $(CC) -fuse-ld=$$l -Wl,--version >/dev/null 2>&1 && { echo -fuse-ld=$$l; break; }; done)
endif
export FAST_LD
# Header dependencies come from the compiler: each object or demo has a .d
# beside it. One that has none yet (a build made before) is rebuilt once.
# The .d itself is never a prerequisite: clang writes it after the object,
# which would then look stale to every make that comes after.
DEPS = -MMD -MP
NO_DEPS_YET = $$(if $$(wildcard $$(basename $$@).d),,FORCE)
TEST_INCLUDES = -Icommon -Itests/harness $(CHECK_CFLAGS)

.PHONY: all demos tests harness help list test check grade bench tsan asan helgrind progress next clean FORCE
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
	@echo "make grade                               score every exercise"
	@echo "make test                                prove the workbook (installs Check if missing)"
	@echo "make check-N                             prove lesson N's exercise: the reference answer"
	@echo "                                         passes, the stub and every wrong answer fail"
	@echo "make tsan | make asan                    every demo and test under ThreadSanitizer or"
	@echo "                                         AddressSanitizer+UBSan (tests/sanitizers.tsv)"
	@echo "make helgrind                            every demo under valgrind's helgrind"
	@echo "make list                                the lessons"
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
grade: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) grade $(if $(SUBMISSIONS),'$(SUBMISSIONS)')
tsan: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) sanitize thread
asan: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) sanitize address
helgrind: demos FORCE
	@BUILD=$(BUILD) $(WORKBOOK) sanitize helgrind
grade-selftest: FORCE
	@BUILD=$(BUILD) scripts/grade --selftest
list: FORCE
	@BUILD=$(BUILD) $(WORKBOOK) list
clean:
	rm -rf $(BUILD)

# Throughput, always at -O2: lesson 13's two queues, common/executor,
# lesson 3's cost of a new thread beside a hand-off to a pool thread,
# lesson 12's speed-up, lesson 11's two servers, lesson 16's three and
# its processes, and lesson 14's counters and
# spin locks (the demos, built with CFLAGS: -O2 unless it is set).
BENCH_DEPS := $(wildcard common/*.c) $(COMMON_H)
bench: $(BUILD)/bin-O2/queue_bench $(BUILD)/bin-O2/executor_bench $(BUILD)/bin-O2/pool_cost \
       $(BUILD)/bin-O2/primes $(BUILD)/bin-O2/false_sharing $(BUILD)/bin-O2/primes_procs $(DEMOS)
	@$(BUILD)/bin-O2/queue_bench 5 | grep '^bench: '
	@$(BUILD)/bin-O2/executor_bench
	@$(BUILD)/bin-O2/pool_cost | grep '^bench: '
	@$(BUILD)/bin-O2/primes 2 | grep '^bench: '
	@$(BUILD)/bin-O2/false_sharing 2 | grep '^bench: '
	@$(BUILD)/bin/conn_bench | grep '^bench: '
	@$(BUILD)/bin/loop_bench | grep '^bench: '
	@$(BUILD)/bin-O2/primes_procs 2 | grep '^bench: '
	@$(BUILD)/bin/counter | grep '^bench: '
	@$(BUILD)/bin/spinlocks | grep '^bench: '
$(BUILD)/bin-O2/pool_cost: lessons/03-many-threads/pool_cost.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon $< $(wildcard common/*.c) -lm -o $@
$(BUILD)/bin-O2/primes: lessons/12-parallel-speedup/primes.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon $< $(wildcard common/*.c) -lm -o $@
$(BUILD)/bin-O2/false_sharing: lessons/12-parallel-speedup/false_sharing.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon $< $(wildcard common/*.c) -lm -o $@
$(BUILD)/bin-O2/primes_procs: lessons/16-event-loop-and-processes/primes_procs.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon -Ilessons/12-parallel-speedup $< $(wildcard common/*.c) -lm -o $@
$(BUILD)/bin-O2/queue_bench: lessons/13-fast-queue/queue_bench.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon $< $(wildcard common/*.c) -lm $(LIBS_queue_bench) -o $@
$(BUILD)/bin-O2/executor_bench: tests/bench.c $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(CC) $(STD) -O2 -Icommon $< $(wildcard common/*.c) -lm -o $@
FORCE:

$(BUILD)/obj/common/%.o: common/%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) -c $< -o $@

$(LIBCOMMON): $(COMMON_OBJ)
	$(AR) rcs $@ $^

# Demos: every lessons/NN-slug/name.c that is not an exercise is build/bin/name.
vpath %.c $(addprefix lessons/,$(LESSONS))
# LIBS_<demo>: what one demo links besides (queue_bench's dlopen: -ldl, empty on new glibc).
LIBS_queue_bench := -ldl
# Lesson 16's demos build on lesson 11's net.h and lesson 12's cpus.h (until they move to common/).
NET_H_USERS := lessons/16-%
$(BUILD)/bin/%: %.c $(NO_DEPS_YET) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(COMPILE) $(if $(filter $(NET_H_USERS),$<),-Ilessons/11-socket-server -Ilessons/12-parallel-speedup) $(DEPS) $< $(LIBCOMMON) -lm $(LIBS_$*) -o $@

# The harness, and test files: a lesson's test file sees its lesson's headers.
$(BUILD)/obj/tests/harness/%.o: tests/harness/%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) $(TEST_INCLUDES) -DBIN_DIR='"$(CURDIR)/$(BUILD)/bin"' -c $< -o $@
$(BUILD)/obj/tests/test_%.o: tests/test_%.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) $(TEST_INCLUDES) -Ilessons/$(subst _,-,$*) -c $< -o $@

# Code the tests watch through the spies (spy_hook.h forced in front).
$(BUILD)/spied/%.o: %.c $(NO_DEPS_YET)
	@mkdir -p $(@D)
	$(COMPILE) $(DEPS) -include $(SPY_HOOK) -Itests/harness -c $< -o $@
SPIED_test_executor := $(BUILD)/spied/common/executor.o
SPIED_test_event := $(BUILD)/spied/common/event.o
SPIED_test_harness := $(BUILD)/spied/tests/spy_hook_calls.o
SPIED := $(SPIED_test_executor) $(SPIED_test_event) $(SPIED_test_harness)

# Tests of common/ and of the harness itself.
$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $$(SPIED_$$*) $(HARNESS) $(LIBCOMMON) | $(DEMOS) $(BUILD)/tests/harness_probe
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $(FAST_LD) $^ $(LIBCOMMON) $(CHECK_LIBS) -lm -o $@
$(BUILD)/tests/harness_probe: $(BUILD)/obj/tests/harness/harness_probe.o $(HARNESS) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $^ $(CHECK_LIBS) -lm -o $@

# Lesson tests, built from a "set": build/sets/<tag>/<lesson>/ holds one copy
# of each exercise file of the lesson: the reference answers (solution), the
# stubs as committed (stub), the reference answers with one file replaced by a
# wrong answer of tests/wrong/ (wrong-<bug>), all three copied here; the
# student's files (student, copied by scripts/student), a student of a class
# (scripts/grade). Exercise files are the student's code: compiled with
# warnings shown but not fatal, with the lesson's own headers (never a copy's),
# and with the spies hooked in.
set_lesson = $(notdir $(patsubst %/,%,$(dir $(1))))
$(BUILD)/sets/%.o: $(BUILD)/sets/%.c $(SPY_HOOK) $(COMMON_H) $$(wildcard lessons/$$(call set_lesson,$$*)/*.h)
	$(CC) $(WARN) $(if $(filter solution/%,$*),-Werror) $(CFLAGS) -Icommon -Itests/harness \
	    -Ilessons/$(call set_lesson,$*) -include $(SPY_HOOK) -c $< -o $@
# The grader's ThreadSanitizer build of a student's file compiles the very
# tokens its plain build compiled (the .i made with the plain flags), so no
# #if can tell the two builds apart.
$(BUILD)/sets/%.i: $(BUILD)/sets/%.c $(SPY_HOOK) $(COMMON_H) $$(wildcard lessons/$$(call set_lesson,$$*)/*.h)
	$(CC) $(WARN) $(CFLAGS) -Icommon -Itests/harness \
	    -Ilessons/$(call set_lesson,$*) -include $(SPY_HOOK) -E $< -o $@
$(BUILD)/sets/%.o: $(BUILD)/sets/%.i
	$(CC) $(WARN) -w $(CFLAGS) -c $< -o $@
# set_objects TAG/LESSON: a set make fills has an object per file of the
# reference answer; another has one per file put there.
set_objects = $(if $(filter solution/% stub/% wrong-%,$(1)),\
    $(patsubst solutions/%.c,$(BUILD)/sets/$(dir $(1))%.o,$(wildcard solutions/$(notdir $(1))/*.c)),\
    $(addsuffix .o,$(basename $(wildcard $(BUILD)/sets/$(1)/*.c $(BUILD)/sets/$(1)/*.i))))
$(BUILD)/sets/%/test: $$(call set_objects,$$*) \
                      $(BUILD)/obj/tests/test_$$(subst -,_,$$(notdir $$*)).o $(HARNESS) $(LIBCOMMON) \
                      $(if $(NO_DEMOS),,| $(DEMOS))
	$(CC) $(STD) $(CFLAGS) $(FAST_LD) $(filter %.o,$^) $(LIBCOMMON) $(CHECK_LIBS) -lm -o $@

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
# wrong-<bug>/<lesson>/<file>.c: tests/wrong/<lesson>/<bug>.c if its first
# line names <file>.c ("/* <file>.c, wrong: <what> */", tests/wrong/README.md),
# else the reference answer's <file>.c.
WRONG_FILES = $(eval WRONG_FILES := $$(shell awk 'FNR == 1 && sub(/^\/\* */, "") && sub(/, wrong: .*/, "") { print FILENAME "=" $$$$0 }' \
                  /dev/null $$(wildcard tests/wrong/*/*.c)))$(WRONG_FILES)
wrong_file = $(patsubst $(1)=%,%,$(filter $(1)=%,$(WRONG_FILES)))
wrong_copy = $(if $(filter $(3).c,$(call wrong_file,tests/wrong/$(2)/$(1).c)),tests/wrong/$(2)/$(1).c,solutions/$(2)/$(3).c)
$(BUILD)/sets/wrong-%.c: $$(call wrong_copy,$$(word 1,$$(subst /, ,$$*)),$$(word 2,$$(subst /, ,$$*)),$$(word 3,$$(subst /, ,$$*)))
	@mkdir -p $(@D)
	cp $< $@

$(BUILD)/%.d: ;
-include $(wildcard $(BUILD)/obj/common/*.d $(BUILD)/obj/tests/*.d $(BUILD)/obj/tests/harness/*.d \
                    $(BUILD)/bin/*.d $(BUILD)/spied/common/*.d $(BUILD)/spied/tests/*.d)

# What every set links with (make test builds it for ThreadSanitizer first).
harness: $(HARNESS) $(LIBCOMMON)

# The test programs besides the sets (make tsan and make asan build them):
# the tests of common/ and the harness, and those of lessons that have no
# exercise.
EXERCISE_LESSONS := $(sort $(notdir $(patsubst %/,%,$(dir $(SOLUTIONS)))))
PLAIN_LESSON_TESTS := $(addprefix test_,$(subst -,_,$(filter-out $(EXERCISE_LESSONS),$(LESSONS))))
tests: $(DEMOS) $(SPIED) $(addprefix $(BUILD)/tests/,$(MODULE_TESTS) $(PLAIN_LESSON_TESTS))

# ---- make test and make check-N (scripts/workbook asks for these logs in one
# make -k -j and reports them). Each run of a test program is a target that
# writes its log, $(LOGS)/<what ran>.log, whose last line is "counts: CHECKS
# FAILURES ERRORS" (a program that crashed, or ran no test, counts as one
# error). A stub or a wrong answer runs its exercise suite only up to its
# first failure: one proves the point, and the tests after it would wait out
# the same bug. A wrong answer that passes is run again under ThreadSanitizer
# (a data race no pthread call brackets), in its own set, built into
# $(TSAN_BUILD) by a make of its own (with this one's job slots); the lessons of
# tests/grading/tsan-lessons.txt have their reference answers' ThreadSanitizer
# sets built first, so their wrong answers' follow-ups run along with the rest
# (scripts/workbook asks for any other one afterwards).
LOGS       := $(BUILD)/logs
TSAN_BUILD := $(BUILD)/tsan
TSAN_FLAGS  = --no-print-directory -s BUILD=$(TSAN_BUILD) NO_DEMOS=1 CFLAGS='-O1 -g -fsanitize=thread'
TSAN_ENV   := TSAN_OPTIONS="report_thread_leaks=0 atexit_sleep_ms=0 $$TSAN_OPTIONS" CK_TIMEOUT_MULTIPLIER=4
# NO_TSAN=1: where ThreadSanitizer does not work (scripts/workbook tries it).
TSAN_LESSONS = $(eval TSAN_LESSONS := $$(if $$(NO_TSAN),,$$(filter $$(EXERCISE_LESSONS),\
                   $$(shell sed 's/$$(HASH).*//' tests/grading/tsan-lessons.txt))))$(TSAN_LESSONS)
HASH := \#
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

# check-logs-<lesson>: a lesson's exercise proved; test-logs: everything, the
# long runs first (the short ones fill in around them).
lesson_logs = $(LOGS)/sets/solution/$(1).log $(LOGS)/sets/stub/$(1).log $(call wrong_log,$(LOGS),$(call WRONG,$(1))) \
    $(if $(filter $(1),$(TSAN_LESSONS)),$(LOGS)/tsan/sets/solution/$(1).log $(call wrong_log,$(LOGS)/tsan,$(call WRONG,$(1))))
check-logs-%: $$(call lesson_logs,$$*) ;
test-logs: $$(LOGS)/grade-selftest.log \
           $$(patsubst tests/%.c,$$(LOGS)/tests/%.log,$$(wildcard tests/test_[a-z]*.c)) \
           $$(addprefix $$(LOGS)/tests/,$$(addsuffix .log,$$(PLAIN_LESSON_TESTS))) \
           $$(patsubst %,$$(LOGS)/sets/solution/%.log,$$(EXERCISE_LESSONS)) \
           $$(patsubst %,$$(LOGS)/tsan/sets/solution/%.log,$$(TSAN_LESSONS)) \
           $$(foreach l,$$(EXERCISE_LESSONS),$$(call lesson_logs,$$(l)))
.PHONY: test-logs tsan-common

/*
 * test_prerequisites.c - every exercise needs only what its lesson and the
 * lessons before it show in their demos.
 *
 * A primitive is a name that starts with pthread_, pt_ (common/pt.h),
 * atomic_ or sem_. A lesson teaches the primitives its demos (the programs
 * its lesson.mk names) use in their code, comments and strings aside. Then:
 * - a reference answer, solutions/NN-slug/x.c, may call only a primitive
 *   that a demo of lessons 1 to NN calls;
 * - an exercise's header and stub, lessons/NN-slug/x.h and x.c, may name
 *   in their code, and call in their comments, only what lessons 1 to NN
 *   showed, so that no student meets a primitive first in an exercise;
 * - the top README's table of primitives (between its "primitives" markers)
 *   is the one these facts give, printed whole when it differs.
 */
#include "harness.h"

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PRIMS 256
#define MAX_LESSON 64

struct prim {
    char name[64];
    int lesson;                 /* the first lesson whose demo uses it, 0 if none */
    char demo[64];              /* that demo */
    bool called;                /* a demo calls it (not only names a type) */
    bool used_by[MAX_LESSON];   /* the exercises whose reference answer calls it */
};

static struct prim prims[MAX_PRIMS];
static int nprims;

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0, got;

    ck_assert_msg(f != NULL, "cannot read %s", path);
    do {
        if (cap - len < 4096)
            ck_assert((text = realloc(text, cap = cap * 2 + 4096)) != NULL);
        got = fread(text + len, 1, cap - len - 1, f);
        len += got;
    } while (got > 0);
    fclose(f);
    text[len] = '\0';
    return text;
}

/* Blank comments and string and character literals, in place, or only the
 * literals when keep_comments: what is left is code the compiler reads. */
static void blank(char *s, bool keep_comments)
{
    for (char *p = s; *p != '\0'; p++) {
        if (p[0] == '/' && p[1] == '*' && !keep_comments) {
            for (; *p != '\0' && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p != '\n')
                    *p = ' ';
            if (*p == '\0')
                return;
            p[0] = p[1] = ' ';
            p++;
        } else if (p[0] == '/' && p[1] == '/' && !keep_comments) {
            for (; *p != '\0' && *p != '\n'; p++)
                *p = ' ';
            if (*p == '\0')
                return;
        } else if (*p == '"' || *p == '\'') {
            char quote = *p;
            for (p++; *p != '\0' && *p != quote && *p != '\n'; p++) {
                if (*p == '\\' && p[1] != '\0' && p[1] != '\n')
                    *p++ = ' ';
                *p = ' ';
            }
            if (*p == '\0')
                return;
        }
    }
}

static bool is_primitive(const char *word, size_t len)
{
    static const char *const prefixes[] = { "pthread_", "pt_", "atomic_", "sem_" };

    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (len > n && strncmp(word, prefixes[i], n) == 0)
            return true;
    }
    return false;
}

/* Calls fn for each primitive in text, with whether a '(' follows it. */
static void each_primitive(const char *text, void (*fn)(const char *name, bool call, void *ctx),
                           void *ctx)
{
    const char *p = text;

    while (*p != '\0') {
        if (!(isalpha((unsigned char)*p) || *p == '_')) {
            p++;
            continue;
        }
        const char *start = p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t len = (size_t)(p - start);
        if (is_primitive(start, len) && len < sizeof prims[0].name) {
            char name[sizeof prims[0].name];
            const char *q = p;
            memcpy(name, start, len);
            name[len] = '\0';
            while (*q == ' ' || *q == '\t' || *q == '\n')
                q++;
            fn(name, *q == '(', ctx);
        }
    }
}

static struct prim *find(const char *name)
{
    for (int i = 0; i < nprims; i++)
        if (strcmp(prims[i].name, name) == 0)
            return &prims[i];
    return NULL;
}

static struct prim *find_or_add(const char *name)
{
    struct prim *p = find(name);

    if (p == NULL) {
        ck_assert_msg(nprims < MAX_PRIMS, "more than %d primitives", MAX_PRIMS);
        p = &prims[nprims++];
        snprintf(p->name, sizeof p->name, "%s", name);
    }
    return p;
}

struct demo { int lesson; const char *name; };

static void taught(const char *name, bool call, void *ctx)
{
    const struct demo *d = ctx;
    struct prim *p = find_or_add(name);

    if (p->lesson == 0) {
        p->lesson = d->lesson;
        snprintf(p->demo, sizeof p->demo, "%s", d->name);
    }
    /* A function counts from the first lesson whose demo calls it. */
    if (call && !p->called) {
        p->called = true;
        p->lesson = d->lesson;
        snprintf(p->demo, sizeof p->demo, "%s", d->name);
    }
}

static int lesson_number(const char *path)
{
    const char *slash = strchr(path, '/');
    return slash != NULL ? atoi(slash + 1) : 0;
}

/* Read every lesson's demos, in lesson order. */
static void learn_demos(void)
{
    static char demos[256][128];
    size_t n = harness_demos(demos, 256);
    char path[160];

    nprims = 0;
    for (size_t i = 0; i < n; i++) {
        int lesson = lesson_number(demos[i]);
        ck_assert_msg(lesson > 0 && lesson < MAX_LESSON, "%s: not in a lesson's folder", demos[i]);
        struct demo d = { lesson, strrchr(demos[i], '/') + 1 };
        snprintf(path, sizeof path, "%s.c", demos[i]);
        char *text = read_file(path);
        blank(text, false);
        each_primitive(text, taught, &d);
        free(text);
    }
}

/* What one exercise file needs that its lessons did not show. */
struct needs {
    const char *path;
    int lesson;
    bool calls_only;            /* a reference answer: only what it calls */
    bool record;                /* note the use in the table */
    char missing[2048];
};

static void needed(const char *name, bool call, void *ctx)
{
    struct needs *n = ctx;
    struct prim *p = find(name);
    bool shown = p != NULL && p->lesson <= n->lesson && (!call || p->called);
    char entry[160];

    if (n->calls_only && !call)
        return;
    if (shown) {
        if (n->record && call)
            p->used_by[n->lesson] = true;
        return;
    }
    snprintf(entry, sizeof entry, "%s%s%s", n->missing[0] != '\0' ? ", " : "", name, call ? "()" : "");
    if (strstr(n->missing, name) == NULL && strlen(n->missing) + strlen(entry) < sizeof n->missing)
        strcat(n->missing, entry);
}

/* Check one file; returns its complaint, or "" when it needs nothing new. */
static void check_file(struct needs *n, bool keep_comments, char *report, size_t size)
{
    char *text = read_file(n->path);

    n->missing[0] = '\0';
    blank(text, false);
    each_primitive(text, needed, n);
    free(text);
    if (keep_comments) {
        /* In comments, only a call: "wait with pt_cond_wait_until(...)". */
        bool calls_only = n->calls_only;
        text = read_file(n->path);
        blank(text, true);
        n->calls_only = true;
        n->record = false;
        each_primitive(text, needed, n);
        n->calls_only = calls_only;
        free(text);
    }
    if (n->missing[0] != '\0')
        snprintf(report + strlen(report), size - strlen(report),
                 "\n  %s uses %s, which no demo of lessons 1 to %d shows", n->path, n->missing,
                 n->lesson);
}

/* Every exercise: its reference answers, then its headers and stubs. */
static void check_exercises(char *report, size_t size)
{
    glob_t answers;
    char path[512];

    report[0] = '\0';
    ck_assert_int_eq(glob("solutions/[0-9][0-9]-*/*.c", 0, NULL, &answers), 0);
    for (size_t i = 0; i < answers.gl_pathc; i++) {
        const char *answer = answers.gl_pathv[i];
        int lesson = lesson_number(answer);
        struct needs n = { .path = answer, .lesson = lesson, .calls_only = true, .record = true };
        size_t stem = strlen(answer) - 2;

        check_file(&n, false, report, size);
        snprintf(path, sizeof path, "lessons/%s", strchr(answer, '/') + 1);
        n = (struct needs){ .path = path, .lesson = lesson };
        check_file(&n, true, report, size);
        snprintf(path, sizeof path, "lessons/%.*s.h", (int)(stem - strlen("solutions/")),
                 strchr(answer, '/') + 1);
        FILE *h = fopen(path, "r");
        if (h != NULL) {
            fclose(h);
            check_file(&n, true, report, size);
        }
    }
    globfree(&answers);
}

START_TEST(every_exercise_needs_only_what_came_before_it)
{
    static char report[16384];

    learn_demos();
    check_exercises(report, sizeof report);
    ck_assert_msg(report[0] == '\0',
                  "an exercise needs a primitive no demo before it teaches: show it in a demo of "
                  "that lesson or an earlier one (lessons/NN-slug/lesson.mk's demos), or do without it:%s",
                  report);
}
END_TEST

/* The table the facts give: one row per primitive an exercise calls. */
static void table(char *out, size_t size)
{
    out[0] = '\0';
    for (int lesson = 1; lesson < MAX_LESSON; lesson++)
        for (int i = 0; i < nprims; i++) {
            const struct prim *p = &prims[i];
            char used[256] = "";
            if (p->lesson != lesson || !p->called)
                continue;
            for (int l = 1; l < MAX_LESSON; l++)
                if (p->used_by[l])
                    snprintf(used + strlen(used), sizeof used - strlen(used), "%s%d",
                             used[0] != '\0' ? ", " : "", l);
            if (used[0] == '\0')
                continue;
            snprintf(out + strlen(out), size - strlen(out), "| `%s` | %d (`%s`) | %s |\n",
                     p->name, p->lesson, p->demo, used);
        }
}

START_TEST(the_readme_table_of_primitives_is_current)
{
    static char report[16384], want[16384];
    char *readme = read_file("README.md");
    const char *begin = strstr(readme, "<!-- primitives -->\n");
    const char *end = begin != NULL ? strstr(begin, "<!-- end primitives -->") : NULL;
    const char *header = "| primitive | first shown in lesson (demo) | exercises that use it |\n"
                         "|---|---|---|\n";

    learn_demos();
    check_exercises(report, sizeof report);
    snprintf(want, sizeof want, "%s", header);
    table(want + strlen(want), sizeof want - strlen(want));
    ck_assert_msg(begin != NULL && end != NULL,
                  "README.md has no table of primitives between '<!-- primitives -->' and "
                  "'<!-- end primitives -->'; it should be:\n%s", want);
    begin += strlen("<!-- primitives -->\n");
    bool same = (size_t)(end - begin) == strlen(want) && strncmp(begin, want, strlen(want)) == 0;
    if (!same)
        fprintf(stderr, "%s", want);
    ck_assert_msg(same, "README.md's table of primitives is not what the lessons' demos and the "
                        "reference answers give: replace the lines between its markers with the "
                        "table printed above");
    free(readme);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("prerequisites");
    TCase *tc = harness_tcase("prerequisites", 10);
    tcase_add_test(tc, every_exercise_needs_only_what_came_before_it);
    tcase_add_test(tc, the_readme_table_of_primitives_is_current);
    suite_add_tcase(s, tc);
    return harness_main((Suite *[]){ s, NULL });
}

/*
 * download_pages.c - the first tutorial's example for join(): download
 * twenty pages on twenty threads into a Queue(maxsize=20), join every
 * thread, then compile() the pages, which needs all of them.
 *
 * The tutorial's code is broken (its threads run requests.get instead of
 * put_page_to_q, are never started nor kept in the list, its join loop has
 * no body, and compile() prints "Done compiling!" under the raise for a
 * queue that is not full, where it can never run); this is what it means.
 * No network: a page is made up after a short sleep, longer for lower page
 * numbers, so the pages arrive out of order. Only after the joins is the
 * queue certainly full.
 */
#include "alloc.h"
#include "cli.h"
#include "log.h"
#include "pt.h"
#include "queue.h"
#include "timing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGES 20

static queue_t *q;              /* Queue(maxsize=20) */

static void *put_page_to_q(void *arg)
{
    int page_num = (int)(intptr_t)arg;
    char *page = alloc_zeroed(32, 1);

    timing_sleep(0.01 * (PAGES - page_num));    /* the fake network */
    snprintf(page, 32, "page %d", page_num);
    queue_put(q, page);
    return NULL;
}

/* Needs every page: refuses a queue that is not full, as the tutorial meant. */
static void compile(queue_t *pages)
{
    char order[PAGES * 4] = "";
    void *page;

    if (!queue_full(pages)) {
        log_info("compile: only %zu of %d pages", queue_size(pages), PAGES);
        exit(1);
    }
    while (queue_try_get(pages, &page) == QUEUE_OK) {
        strcat(order, strchr(page, ' '));
        free(page);
    }
    log_info("Pages in the order they arrived:%s", order);
    log_info("Done compiling!");
}

int main(int argc, char **argv)
{
    pthread_t threads[PAGES];

    cli_no_args(argc, argv);
    q = queue_create(PAGES);
    for (int page_num = 0; page_num < PAGES; page_num++)
        PT(pthread_create(&threads[page_num], NULL, put_page_to_q, (void *)(intptr_t)page_num));
    /* Join every thread before compile(): only then are all pages in. */
    for (int page_num = 0; page_num < PAGES; page_num++)
        PT(pthread_join(threads[page_num], NULL));
    compile(q);
    queue_destroy(q);
    return 0;
}

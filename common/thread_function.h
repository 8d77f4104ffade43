/*
 * thread_function.h - the article's thread_function, which lessons 1-3 run:
 *
 *   def thread_function(name):
 *       logging.info("Thread %s: starting", name)
 *       time.sleep(2)
 *       logging.info("Thread %s: finishing", name)
 *
 * Its argument is the thread's name, a number passed by value:
 * pthread_create(&x, NULL, thread_function, (void *)(intptr_t)1).
 */
#ifndef WORKBOOK_THREAD_FUNCTION_H
#define WORKBOOK_THREAD_FUNCTION_H

void *thread_function(void *name);

#endif

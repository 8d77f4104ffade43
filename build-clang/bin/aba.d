build-clang/bin/aba: lessons/14-atomics/aba.c common/cli.h

common/cli.h:

"""primes_mp.py - lesson 16: lesson 12's primes.py work, split across
processes with multiprocessing instead of threads.

Each process is a Python interpreter of its own, with a GIL of its own,
so the rows rise as C's do: the speed-up threads cannot give CPython
(lesson 12). The numbers are cut into chunks, and a Pool of N processes
counts them; is_prime is primes.py's own, imported from lesson 12.

usage: python3 primes_mp.py LIMIT PROCESSES
"""
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "12-parallel-speedup"))
from primes import is_prime  # noqa: E402  (lesson 12's)

CHUNK = 1000


def count_chunk(start_limit):
    start, limit = start_limit
    return sum(1 for n in range(start, min(start + CHUNK, limit)) if is_prime(n))


def count_primes(limit, processes):
    chunks = [(start, limit) for start in range(0, limit, CHUNK)]
    began = time.perf_counter()
    with multiprocessing.Pool(processes) as pool:
        primes = sum(pool.map(count_chunk, chunks))
    return primes, time.perf_counter() - began


def main():
    limit, processes = int(sys.argv[1]), int(sys.argv[2])
    print("Python %s, multiprocessing: primes below %d" % (sys.version.split()[0], limit))
    print("processes   seconds  speedup")
    one = two = None
    for p in range(1, processes + 1):
        primes, seconds = count_primes(limit, p)
        one = one or seconds
        if p == 2:
            two = seconds
        print("%9d  %8.3f  %6.2fx  %s" % (p, seconds, one / seconds,
                                          "#" * min(72, round(one / seconds * 12))))
    print("(%d primes below %d in every row)" % (primes, limit))
    if two:
        print("bench: speedup_cpu_python_2processes %.2f x" % (one / two))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

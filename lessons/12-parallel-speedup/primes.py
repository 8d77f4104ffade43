"""primes.py - lesson 12: primes.c's work in Python threads.

Count the primes below LIMIT by trial division on 1, 2, ... THREADS
threads, each taking chunks of the range, as primes.c does. Under the GIL
only one thread runs Python code at a time, so the rows stay near 1.0x.
(Python 3.13's free-threaded build, python3.13t, experimental, runs with the
GIL disabled unless something turns it back on: there the rows should rise
as C's do. multiprocessing sidesteps the GIL with processes instead.)

usage: python3 primes.py LIMIT THREADS
"""
import sys
import threading
import time

CHUNK = 1000


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(limit, threads):
    lock = threading.Lock()
    state = {"next": 0, "primes": 0}

    def worker():
        mine = 0
        while True:
            with lock:
                start = state["next"]
                state["next"] += CHUNK
            if start >= limit:
                break
            for n in range(start, min(start + CHUNK, limit)):
                mine += is_prime(n)
        with lock:
            state["primes"] += mine

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return state["primes"], time.perf_counter() - began


def main():
    limit, threads = int(sys.argv[1]), int(sys.argv[2])
    # Whether the GIL is on now: a free-threaded build can run with it (3.13+).
    gil = "with the GIL" if getattr(sys, "_is_gil_enabled", lambda: True)() else "GIL disabled"
    print("Python %s (%s): primes below %d" % (sys.version.split()[0], gil, limit))
    print("threads   seconds  speedup")
    one = two = None
    for t in range(1, threads + 1):
        primes, seconds = count_primes(limit, t)
        one = one or seconds
        if t == 2:
            two = seconds
        print("%7d  %8.3f  %6.2fx  %s" % (t, seconds, one / seconds,
                                          "#" * min(72, round(one / seconds * 12))))
    print("(%d primes below %d in every row)" % (primes, limit))
    if two:
        print("bench: speedup_cpu_python_2threads %.2f x" % (one / two))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

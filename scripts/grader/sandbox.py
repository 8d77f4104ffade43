"""Who runs student code, and how it is contained.

Grading as root, each slot (a job running at a time) has users of its own from
GRADE_UIDS, claimed through lock files so that two graders on one machine never
share one; student code runs as that user (setpriv), under rlimits (CPU, address
space, processes, open files, file size, no core), killed at a wall-time limit.
Where the kernel allows it, a run has a PID namespace of its own whose first
process is a shell that the run cannot signal and that reaps what it leaves:
when the run ends, the kernel ends everything of it. Elsewhere it runs in a
session of its own, killed with all of that session afterwards. Nothing of a
slot's user outlives a job: a zombie that nothing reaps leaves the slot's user
for the next job, which takes the slot's next user.
"""
import fcntl
import grp
import os
import pwd
import re
import signal
import subprocess
import threading
import time

from .model import Fault, Usage

# The limits are set by a shell as the student's user, then the command runs.
LIMITED = ('ulimit -t "$1" -v "$2" -u "$3" -n "$4" -f "$5" -c 0 || exit 125; '
           'cd "$6" || exit 125; shift 6; exec "$@"')
LOCKS = "/tmp/workbook-grade-locks"


def run_quiet(argv):
    return subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def processes_of(uid):
    """The PIDs whose real user is uid (pgrep's view)."""
    r = subprocess.run(["pgrep", "-U", str(uid)], capture_output=True, text=True)
    return r.stdout.split()


def states_of(uid):
    r = subprocess.run(["ps", "-o", "pid=,stat=,comm=", "-U", str(uid)], capture_output=True, text=True)
    return [line.split() for line in r.stdout.splitlines() if line.strip()]


def kill_uid(uid):
    """End every process of uid; False if one is left (a zombie nothing reaps)."""
    for _ in range(50):
        if not processes_of(uid):
            return True
        run_quiet(["pkill", "-KILL", "-U", str(uid)])
        time.sleep(0.05)
    return False


def tree_rss_kb(top):
    """{pid: rss in KB} of top's descendants and of whoever shares a session with one."""
    up, sid, rss = {}, {}, {}
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(p)
        up[pid], sid[pid], rss[pid] = int(fields[1]), int(fields[3]), int(fields[21]) * page_kb
    mine = set()
    for pid in up:
        q = pid
        while q > 1 and q != top and q in up:
            q = up[q]
        if q == top:
            mine.add(pid)
    mine |= {p for p in up if sid[p] in mine}
    return {p: rss[p] for p in mine}


class Result:
    def __init__(self, rc, output, ms, memory):
        self.rc, self.output, self.ms, self.memory = rc, output, ms, memory


class Sandbox:
    def __init__(self, settings):
        self.s = settings
        self.me = os.geteuid()
        self.root = self.me == 0
        self.unshare = ["unshare", "--pid", "--fork", "--kill-child"]
        if not self.root:
            self.unshare = ["unshare", "--user", "--map-current-user", "--pid", "--fork", "--kill-child"]
        self.ns = run_quiet(self.unshare + ["true"]) == 0
        self.slot_uid = [self.me] * settings.jobs
        self.slot_users = [[self.me] for _ in range(settings.jobs)]
        self.locks = []

    def claim_uids(self):
        """Root: users of GRADE_UIDS for each slot (spares when there are no PID
        namespaces: a zombie no one reaps keeps its user)."""
        m = re.fullmatch(r"(\d+)-(\d+)", self.s.uids)
        if not m:
            raise Usage("GRADE_UIDS must be FIRST-LAST, e.g. 64123-64222")
        jobs = self.s.jobs
        want = jobs if self.ns else jobs * 8
        os.makedirs(LOCKS, exist_ok=True)
        got = []
        for u in range(int(m.group(1)), int(m.group(2)) + 1):
            if len(got) >= want:
                break
            if self.account_exists(u):
                continue
            fd = os.open(f"{LOCKS}/{u}", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self.locks.append(fd)
            run_quiet(["pkill", "-KILL", "-U", str(u)])     # left by a grader that died
            got.append(u)
        if len(got) < jobs:
            raise Fault(f"no free user id in GRADE_UIDS={self.s.uids} for {jobs} slots")
        self.slot_uid = got[:jobs]
        self.slot_users = [got[s::jobs] for s in range(jobs)]
        return got

    @staticmethod
    def account_exists(u):
        for lookup in (pwd.getpwuid, grp.getgrgid):
            try:
                lookup(u)
                return True
            except KeyError:
                pass
        return False

    def users(self):
        return [u for users in self.slot_users for u in users]

    def slot_user(self, slot):
        """The slot's first user with no process left (root); a fault when every one has some."""
        if not self.root:
            return
        for u in self.slot_users[slot]:
            if not processes_of(u):
                self.slot_uid[slot] = u
                return
        left = " ".join(" ".join(p) for p in states_of(self.slot_uid[slot])[:3])
        raise Fault(f"every user of slot {slot} ({self.slot_users[slot]}) has processes left that nothing reaps: {left}")

    def reap(self, slot):
        """Nothing of the slot's user may outlive a job."""
        if not self.root:
            return
        uid = self.slot_uid[slot]
        if kill_uid(uid):
            return
        alive = [p for p in states_of(uid) if not p[1].startswith("Z")]
        if alive:
            raise Fault(f"processes of user {uid} survive SIGKILL: {alive[:3]}")
        self.slot_user(slot)

    def private_dir(self, path, slot):
        """A fresh directory only the slot's user may use."""
        subprocess.run(["rm", "-rf", path])
        os.makedirs(path, mode=0o700)
        if self.root:
            os.chown(path, self.slot_uid[slot], self.slot_uid[slot])

    def chown_tree(self, path, uid):
        if self.root:
            subprocess.run(["chown", "-R", f"{uid}:{uid}", path], check=True)

    def as_user(self, slot, argv):
        if not self.root:
            return argv
        u = str(self.slot_uid[slot])
        return ["setpriv", f"--reuid={u}", f"--regid={u}", "--clear-groups", "--no-new-privs", "--"] + argv

    def run(self, slot, secs, cwd, argv, cpu=None, mem_mb=None, procs=None, out_kb=256, guard_mb=0):
        """Run argv in cwd as the slot's user under the limits, killed at secs.
        mem_mb 0: no address-space limit (guard_mb then bounds the memory of the
        whole run). Returns a Result: rc (argv's status, 137 at secs, 125 when
        the limits could not be set), the first out_kb KB of its output, ms, and
        whether the memory guard stopped it."""
        cpu = self.s.cpu_seconds if cpu is None else cpu
        mem_mb = self.s.memory_mb if mem_mb is None else mem_mb
        procs = self.s.processes if procs is None else procs
        if not self.root:
            # (the user's own processes count against RLIMIT_NPROC too)
            r = subprocess.run(["ps", "-L", "-U", str(self.me), "--no-headers"], capture_output=True, text=True)
            procs += len(r.stdout.splitlines())
        vm = str(mem_mb * 1024) if mem_mb else "unlimited"
        inner = self.as_user(slot, ["bash", "-c", LIMITED, "limited", str(cpu), vm, str(procs),
                                    str(self.s.open_files), str(self.s.file_kb), cwd] + list(argv))
        timed = ["timeout", "-s", "KILL", str(secs)] + inner
        if self.ns:
            cmd = self.unshare + ["bash", "-c", 'timeout -s KILL "$@"; exit $?', "ns-init", str(secs)] + inner
        else:
            cmd = timed
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True)
        kept = bytearray()

        def read():
            limit = out_kb * 1024
            while True:
                chunk = p.stdout.read1(65536)
                if not chunk:
                    break
                if len(kept) < limit:
                    kept.extend(chunk[:limit - len(kept)])
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        memory = []
        if guard_mb:
            threading.Thread(target=self.guard, args=(p, guard_mb, memory), daemon=True).start()
        try:
            rc = p.wait(timeout=secs + 30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            rc = p.wait()
        if not self.ns:
            run_quiet(["pkill", "-KILL", "-s", str(p.pid)])
        reader.join(timeout=10)
        p.stdout.close()
        ms = int((time.monotonic() - start) * 1000)
        if rc < 0:
            rc = 128 - rc
        return Result(rc, bytes(kept), ms, bool(memory))

    def guard(self, p, max_mb, flag):
        """While p runs, once its processes hold more than max_mb MB together,
        kill them all and say so in flag."""
        while p.poll() is None:
            rss = tree_rss_kb(p.pid)
            if sum(rss.values()) > max_mb * 1024:
                flag.append(sorted(rss))
                for pid in rss:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
            time.sleep(0.2)

    def close(self):
        """On the way out: nothing of the grading users is left."""
        if self.root:
            for u in self.users():
                run_quiet(["pkill", "-KILL", "-U", str(u)])
        for fd in self.locks:
            os.close(fd)
        self.locks = []

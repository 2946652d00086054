/*
 * floor.c - the reference floor of the restart-latency benchmark: the least a supervisor can do.
 *
 * A plain C loop: posix_spawn the child, let it live more than --live-ms (default 1110 ms,
 * i.e. > 1.1 s, as the supervised runs do), take CLOCK_MONOTONIC (t0), kill -9 it, waitpid()
 * it, posix_spawn the next one. Latency of one restart = the new child's own stamp (its first
 * CLOCK_MONOTONIC reading, published by child.c) - t0. Nothing else runs in the loop: the
 * stamp of a child is read only after it has lived its span, so the floor's own polling never
 * competes with the restart it measures.
 *
 * usage: floor <child-executable> <stampdir> [N] [--warmup W] [--live-ms MS]
 *   N defaults to 20, W (unmeasured restarts first) to 2.
 * Prints the same percentile lines as RestartLatency.java (nearest rank, ms, 3 decimals) and
 * the loop's own CPU time per restart (getrusage(RUSAGE_SELF) around kill + waitpid + spawn).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(long long abs_ns)
{
    struct timespec ts = { (time_t)(abs_ns / 1000000000LL), (long)(abs_ns % 1000000000LL) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static void sleep_ns(long long ns)
{
    sleep_until(now_ns() + ns);
}

/* Reads <dir>/<pid> ("<pid> <ns>\n"), waiting up to 10 s for it; returns the stamp or -1. */
static long long read_stamp(const char *dir, pid_t pid)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%d", dir, (int)pid);
    long long deadline = now_ns() + 10LL * 1000000000LL;
    for (;;) {
        FILE *f = fopen(path, "r");
        if (f) {
            int p = 0;
            long long ns = -1;
            int ok = fscanf(f, "%d %lld", &p, &ns) == 2 && p == (int)pid;
            fclose(f);
            if (ok)
                return ns;
            fprintf(stderr, "floor: malformed stamp file %s\n", path);
            return -1;
        }
        if (now_ns() > deadline) {
            fprintf(stderr, "floor: no stamp from pid %d after 10 s\n", (int)pid);
            return -1;
        }
        sleep_ns(1000000LL);
    }
}

static void remove_stamp(const char *dir, pid_t pid)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%d", dir, (int)pid);
    unlink(path);
}

static pid_t spawn_child(char *const argv[])
{
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        fprintf(stderr, "floor: posix_spawn %s: %s\n", argv[0], strerror(rc));
        exit(1);
    }
    return pid;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array: the smallest value with >= p% of samples at or below it. */
static long long pct(const long long *s, int n, double p)
{
    int rank = (int)ceil(p / 100.0 * n);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return s[rank - 1];
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3 + ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
}

static pid_t current = -1;

static void on_signal(int sig)
{
    if (current > 0)
        kill(current, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

int main(int argc, char **argv)
{
    const char *child = NULL, *dir = NULL;
    int n = 20, warmup = 2;
    long long live_ns = 1110LL * 1000000LL;
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
            warmup = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--live-ms") == 0 && i + 1 < argc) {
            live_ns = atoll(argv[++i]) * 1000000LL;
        } else if (pos == 0) {
            child = argv[i]; pos++;
        } else if (pos == 1) {
            dir = argv[i]; pos++;
        } else if (pos == 2) {
            n = atoi(argv[i]); pos++;
        } else {
            pos = 99;
        }
    }
    if (!child || !dir || n < 1 || warmup < 0 || live_ns <= 1100LL * 1000000LL || pos > 3) {
        fprintf(stderr, "usage: floor <child-executable> <stampdir> [N>=1] [--warmup W] [--live-ms MS>1100]\n");
        return 2;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    char *cargv[] = { (char *)child, (char *)dir, NULL };
    long long *lat = calloc((size_t)n, sizeof *lat);
    if (!lat)
        return 1;

    current = spawn_child(cargv);
    long long stamp = read_stamp(dir, current);
    if (stamp < 0)
        goto fail;

    printf("floor: C posix_spawn + kill -9 + waitpid loop, child %s, N=%d (after %d unmeasured), each child lives > %.0f ms\n",
           child, n, warmup, live_ns / 1e6);
    fflush(stdout);
    double cpu_sum = 0;
    for (int i = -warmup; i < n; i++) {
        sleep_until(stamp + live_ns);
        pid_t old = current;
        double cpu0 = cpu_ms();
        long long t0 = now_ns();
        kill(old, SIGKILL);
        int st;
        while (waitpid(old, &st, 0) < 0 && errno == EINTR)
            ;
        current = spawn_child(cargv);
        double cpu1 = cpu_ms(); /* kill + waitpid + spawn only; waits and stamp reads excluded */
        if (i >= 0)
            cpu_sum += cpu1 - cpu0;
        remove_stamp(dir, old);
        if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
            fprintf(stderr, "floor: pid %d did not die of SIGKILL (status 0x%x)\n", (int)old, st);
            goto fail;
        }
        /* Let the new child live first: no polling while the restart happens. */
        sleep_ns(live_ns / 2);
        stamp = read_stamp(dir, current);
        if (stamp < 0)
            goto fail;
        if (i >= 0) {
            lat[i] = stamp - t0;
            if (i == n - 1) {
                double per = cpu_sum / n;
                qsort(lat, (size_t)n, sizeof *lat, cmp_ll);
                printf("floor: kill->restarted latency (ms): p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  (min %.3f, N=%d)\n",
                       pct(lat, n, 50) / 1e6, pct(lat, n, 90) / 1e6, pct(lat, n, 99) / 1e6, lat[n - 1] / 1e6,
                       lat[0] / 1e6, n);
                printf("floor: supervisor CPU per restart: %.3f ms (getrusage of the loop)\n", per);
            }
        }
    }
    kill(current, SIGKILL);
    waitpid(current, NULL, 0);
    remove_stamp(dir, current);
    free(lat);
    return 0;
fail:
    if (current > 0) {
        kill(current, SIGKILL);
        waitpid(current, NULL, 0);
    }
    return 1;
}

/*
 * child.c - the supervised process of the restart-latency benchmark.
 *
 * First thing in main: read CLOCK_MONOTONIC and publish "<pid> <monotonic_ns>\n" as
 * <dir>/<pid> (written to <dir>/.<pid>.tmp and renamed, so a reader never sees a partial
 * file). Then sleep until killed. Built with gcc -O2 -static so that exec -> main is as short
 * as it gets (no dynamic loader), the same child for every supervisor compared.
 *
 * usage: child <stampdir>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);

    if (argc < 2) {
        static const char msg[] = "usage: child <stampdir>\n";
        (void)!write(2, msg, sizeof msg - 1);
        return 2;
    }
    pid_t pid = getpid();
    unsigned long long ns = (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;

    char tmp[4096], dst[4096], line[64];
    int n1 = snprintf(tmp, sizeof tmp, "%s/.%d.tmp", argv[1], (int)pid);
    int n2 = snprintf(dst, sizeof dst, "%s/%d", argv[1], (int)pid);
    int len = snprintf(line, sizeof line, "%d %llu\n", (int)pid, ns);
    if (n1 <= 0 || n1 >= (int)sizeof tmp || n2 <= 0 || n2 >= (int)sizeof dst) {
        static const char msg[] = "child: stamp directory path too long\n";
        (void)!write(2, msg, sizeof msg - 1);
        return 2;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "child: open %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    if (write(fd, line, (size_t)len) != len) {
        fprintf(stderr, "child: write %s: %s\n", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return 1;
    }
    close(fd);
    if (rename(tmp, dst) != 0) {
        fprintf(stderr, "child: rename %s -> %s: %s\n", tmp, dst, strerror(errno));
        unlink(tmp);
        return 1;
    }
    for (;;)
        pause();
}

/*
 * ham-spawner — the HAM's process launcher and reaper.
 *
 * Why: a JVM's ProcessBuilder pays ~1.5 ms to spawn when it runs once a second (cold code and
 * caches) and learns of a child's exit through the JDK's reaper thread with only 128+signal
 * for a status. This helper posix_spawns children at once and waitpid()s them, reporting the
 * full wait status (signal, core dump) the moment a child ends.
 *
 * Protocol (lines on stdin / stdout; fields separated by the byte 0x1f, lines end with '\n'):
 *   request:  S <id> <output file> <argv0> <argv1> ...
 *   replies:  P <id> <pid>            spawned
 *             E <id> <errno>          spawn failed (errno of posix_spawn)
 *             X <pid> <wait status>   a child ended (raw status as waitpid returns it)
 * Children get /dev/null as stdin and their stdout/stderr appended to <output file>.
 * When stdin closes (the HAM died or stopped) the spawner exits; its children live on (they are
 * reparented to init), as processes the HAM started do when the HAM itself dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define SEP '\x1f'
#define MAXLINE (1 << 20)
#define MAXARGS 4096

static char inbuf[MAXLINE];
static size_t inlen;

static void reply(const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(1, text, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            _exit(3); /* the HAM is gone */
        }
        text += n;
        len -= (size_t)n;
    }
}

static void spawn_line(char *line)
{
    char *fields[MAXARGS + 3];
    int nf = 0;
    char *p = line;
    fields[nf++] = p;
    for (; *p; p++) {
        if (*p == SEP) {
            *p = '\0';
            if (nf < MAXARGS + 2)
                fields[nf++] = p + 1;
        }
    }
    if (nf < 4 || strcmp(fields[0], "S") != 0)
        return; /* not a request we know: ignore rather than guess */
    const char *id = fields[1];
    const char *out = fields[2];
    char **argv = &fields[3];
    fields[nf] = NULL;

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    /* The child starts with the default signal mask and dispositions, not ours. */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);

    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    char buf[128];
    int n = rc == 0 ? snprintf(buf, sizeof buf, "P%c%s%c%d\n", SEP, id, SEP, (int)pid)
                    : snprintf(buf, sizeof buf, "E%c%s%c%d\n", SEP, id, SEP, rc);
    reply(buf, (size_t)n);
}

static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        char buf[64];
        int n = snprintf(buf, sizeof buf, "X%c%d%c%d\n", SEP, (int)pid, SEP, status);
        reply(buf, (size_t)n);
    }
}

int main(void)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0)
        return 2;

    struct pollfd pfd[2] = {{0, POLLIN, 0}, {sfd, POLLIN, 0}};
    for (;;) {
        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return 2;
        }
        if (pfd[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si)
                ; /* drain: one waitpid loop reaps every child that ended */
            reap();
        }
        if (pfd[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(0, inbuf + inlen, sizeof inbuf - inlen);
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                reap();
                return 0; /* stdin closed: the HAM is gone */
            }
            inlen += (size_t)n;
            char *start = inbuf, *nl;
            while ((nl = memchr(start, '\n', inbuf + inlen - start)) != NULL) {
                *nl = '\0';
                spawn_line(start);
                start = nl + 1;
            }
            inlen = (size_t)(inbuf + inlen - start);
            memmove(inbuf, start, inlen);
            if (inlen == sizeof inbuf)
                inlen = 0; /* a line longer than 1 MiB: drop it */
        }
    }
}

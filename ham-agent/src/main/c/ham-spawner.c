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
 *   request:  A <pid> <token> <mode> <output file> <argv0> ...   arm a restart of child <pid>
 *             U <pid>                                          disarm it
 *   reply:    R <pid> <wait status> <token> <new pid>          <pid> ended and was restarted at once
 * An armed child that ends (mode D: any death; mode A: only by a core-dump signal) is replaced
 * the moment waitpid returns, before the HAM hears of it: the HAM arms a child only when its
 * restart action heads its death list, so nothing would have run before it. A failed armed
 * spawn is reported as a plain X, and the HAM then runs its lists as usual.
 *   request:  H <id> <output file> <argv0> ...   as S, for an entity's instance: held (killed if
 *                                                the HAM goes away) until the HAM confirms it with C
 *   request:  C <pid>   the HAM saved child <pid> (held, or restarted) in its state: it may outlive the HAM
 * A restarted child not confirmed yet is killed when the HAM goes away: the HAM that takes over
 * does not know it and restarts the entity by the saved state, so it would run twice.
 *   request:  K <id> <pid> <signum> <value>   queue signal <signum> with int <value> to <pid> (sigqueue)
 *   reply:    K <id> <errno>                  0 when sent, else sigqueue's errno (ESRCH, EPERM, EINVAL,
 *                                             EAGAIN); EINVAL also for a malformed request or a pid < 1
 * A signal is answered at once (sigqueue does not block); pid 0 and -1 are refused, as they would
 * signal a whole group or every process.
 * Children get /dev/null as stdin and their stdout/stderr appended to <output file>.
 * When stdin closes (the HAM died or stopped) the spawner exits; its children live on (they are
 * reparented to init), as processes the HAM started do when the HAM itself dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* Armed restarts: few (one per entity), so a small table searched linearly. */
#define MAXARMED 4096
struct armed {
    pid_t pid;
    char mode;
    char *request; /* the A line, its separators turned into NULs */
    char **argv;
    char *token;
    char *out;
};
static struct armed armed[MAXARMED];
static int narmed;

/* Children restarted here that the HAM has not confirmed (C) yet. */
static pid_t unconfirmed[MAXARMED];
static int nunconfirmed;

static void confirmed(pid_t pid)
{
    for (int i = 0; i < nunconfirmed; i++)
        if (unconfirmed[i] == pid) {
            unconfirmed[i] = unconfirmed[--nunconfirmed];
            return;
        }
}

/* The HAM is gone: the next HAM restarts by the saved state what it never confirmed. */
static void kill_unconfirmed(void)
{
    for (int i = 0; i < nunconfirmed; i++)
        kill(unconfirmed[i], SIGKILL);
    nunconfirmed = 0;
}

static void reply(const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(1, text, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            kill_unconfirmed();
            _exit(3); /* the HAM is gone */
        }
        text += n;
        len -= (size_t)n;
    }
}

static int start(const char *out, char **argv, pid_t *pid)
{
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
    int rc = posix_spawn(pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc;
}

static int find_armed(pid_t pid)
{
    for (int i = 0; i < narmed; i++)
        if (armed[i].pid == pid)
            return i;
    return -1;
}

static void disarm(int i)
{
    free(armed[i].request);
    free(armed[i].argv);
    armed[i] = armed[--narmed];
}

/* fields: A pid token mode out argv... (already split) */
static void arm(char **fields, int nf, const char *line, size_t len)
{
    if (nf < 6)
        return;
    pid_t pid = (pid_t)atoi(fields[1]);
    int i = find_armed(pid);
    if (i >= 0)
        disarm(i);
    if (narmed == MAXARMED)
        return;
    struct armed *a = &armed[narmed];
    a->request = malloc(len + 1);
    a->argv = calloc((size_t)(nf - 5 + 1), sizeof(char *));
    if (!a->request || !a->argv) {
        free(a->request);
        free(a->argv);
        return;
    }
    memcpy(a->request, line, len + 1);
    /* Re-point the fields into our own copy. */
    char *f[MAXARGS + 3];
    int n = 0;
    char *p = a->request;
    f[n++] = p;
    for (size_t k = 0; k < len && n < nf; k++)
        if (a->request[k] == '\0')
            f[n++] = a->request + k + 1;
    a->pid = pid;
    a->token = f[2];
    a->mode = f[3][0];
    a->out = f[4];
    for (int k = 5; k < nf; k++)
        a->argv[k - 5] = f[k];
    a->argv[nf - 5] = NULL;
    narmed++;
}

static int core_signal(int sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
    case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
        return 1;
    default:
        return 0;
    }
}

/* A decimal int in [min, max], the whole field; 0 when it is not one. */
static int parse_int(const char *s, long min, long max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return 0;
    *out = (int)v;
    return 1;
}

/* fields: K id pid signum value. Answered at once: sigqueue does not block. */
static void signal_line(char **fields, int nf)
{
    int pid, sig, value, err;
    if (nf != 5 || !parse_int(fields[2], 1, INT_MAX, &pid) || !parse_int(fields[3], 0, INT_MAX, &sig)
            || !parse_int(fields[4], INT_MIN, INT_MAX, &value))
        err = EINVAL; /* pid 0 or -1 would signal a whole group: never */
    else
        err = sigqueue((pid_t)pid, sig, (union sigval){.sival_int = value}) == 0 ? 0 : errno;
    char buf[128];
    int n = snprintf(buf, sizeof buf, "K%c%.64s%c%d\n", SEP, fields[1], SEP, err);
    reply(buf, (size_t)n);
}

static void spawn_line(char *line, size_t len)
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
    if (strcmp(fields[0], "A") == 0) {
        arm(fields, nf, line, len);
        return;
    }
    if (strcmp(fields[0], "K") == 0 && nf >= 2) {
        signal_line(fields, nf);
        return;
    }
    if (strcmp(fields[0], "C") == 0 && nf >= 2) {
        confirmed((pid_t)atoi(fields[1]));
        return;
    }
    if (strcmp(fields[0], "U") == 0 && nf >= 2) {
        int i = find_armed((pid_t)atoi(fields[1]));
        if (i >= 0)
            disarm(i);
        return;
    }
    int held = strcmp(fields[0], "H") == 0;
    if (nf < 4 || (strcmp(fields[0], "S") != 0 && !held))
        return; /* not a request we know: ignore rather than guess */
    const char *id = fields[1];
    const char *out = fields[2];
    char **argv = &fields[3];
    fields[nf] = NULL;

    pid_t pid;
    int rc = start(out, argv, &pid);
    if (rc == 0 && held && nunconfirmed < MAXARMED)
        unconfirmed[nunconfirmed++] = pid;
    char buf[128];
    int n = rc == 0 ? snprintf(buf, sizeof buf, "P%c%s%c%d\n", SEP, id, SEP, (int)pid)
                    : snprintf(buf, sizeof buf, "E%c%s%c%d\n", SEP, id, SEP, rc);
    reply(buf, (size_t)n);
}

static pid_t ham_pid; /* the HAM that started us: once we are reparented, it is gone */

/* True while the HAM lives. A HAM killed together with its child must not find the child restarted
 * behind its back: the HAM taking over restarts it by the saved state, and a second instance
 * would run unmonitored. */
static int ham_alive(void)
{
    struct pollfd in = {0, POLLIN, 0};
    char path[64], buf[512];
    if (getppid() != ham_pid)
        return 0;
    if (poll(&in, 1, 0) > 0 && (in.revents & (POLLHUP | POLLERR)))
        return 0;
    /* A multi-threaded HAM being killed keeps us (reparented to its last threads) and our stdin
     * until its last thread is gone; its main thread is a zombie before that. */
    snprintf(path, sizeof path, "/proc/%d/stat", (int)ham_pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    return !(p != NULL && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        char buf[160];
        int n;
        int i = find_armed(pid);
        pid_t next;
        confirmed(pid); /* ended: its pid may be reused, never kill it */
        if (i >= 0 && ham_alive() && (armed[i].mode == 'D' || (WIFSIGNALED(status) && core_signal(WTERMSIG(status))))
                && start(armed[i].out, armed[i].argv, &next) == 0) {
            n = snprintf(buf, sizeof buf, "R%c%d%c%d%c%s%c%d\n", SEP, (int)pid, SEP, status, SEP, armed[i].token,
                         SEP, (int)next);
            if (nunconfirmed < MAXARMED)
                unconfirmed[nunconfirmed++] = next;
        } else {
            n = snprintf(buf, sizeof buf, "X%c%d%c%d\n", SEP, (int)pid, SEP, status);
        }
        if (i >= 0)
            disarm(i);
        reply(buf, (size_t)n);
    }
}

int main(void)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    ham_pid = getppid();
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
        /* Requests first: a disarm sent before a child died must win over its restart. */
        if (pfd[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(0, inbuf + inlen, sizeof inbuf - inlen);
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                narmed = 0; /* the HAM is gone: nobody to tell of a restart, so none happens */
                kill_unconfirmed();
                reap();
                return 0; /* stdin closed: the HAM is gone */
            }
            inlen += (size_t)n;
            char *begin = inbuf, *nl;
            while ((nl = memchr(begin, '\n', inbuf + inlen - begin)) != NULL) {
                *nl = '\0';
                spawn_line(begin, (size_t)(nl - begin));
                begin = nl + 1;
            }
            inlen = (size_t)(inbuf + inlen - begin);
            memmove(inbuf, begin, inlen);
            if (inlen == sizeof inbuf)
                inlen = 0; /* a line longer than 1 MiB: drop it */
        }
        if (pfd[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si)
                ; /* drain: one waitpid loop reaps every child that ended */
            reap();
        }
    }
}

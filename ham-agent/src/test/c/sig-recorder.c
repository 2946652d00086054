/*
 * sig-recorder — a test child that prints every signal it receives with its sigqueue value:
 *   ready <pid>
 *   sig <signum> code <si_code> value <si_value.sival_int>
 * It blocks every signal glibc lets it (not 32 and 33, which glibc keeps) and takes them with
 * sigtimedwait, so none kills it but SIGKILL. Why the timeout: to notice its parent (the test
 * JVM) is gone and exit, rather than outlive a killed test run.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    pid_t parent = getppid();
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    struct timespec tick = {1, 0};
    for (int idle = 0; idle < 600; ) {
        siginfo_t si;
        int sig = sigtimedwait(&all, &si, &tick);
        if (sig < 0) {
            if (getppid() != parent)
                return 0;
            idle++;
            continue;
        }
        idle = 0;
        printf("sig %d code %d value %d\n", sig, si.si_code, si.si_value.sival_int);
        fflush(stdout);
    }
    return 0; /* ten idle minutes: no test waits that long */
}

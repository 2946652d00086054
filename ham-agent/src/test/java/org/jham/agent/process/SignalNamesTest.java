package org.jham.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jham.Errno;
import org.jham.HamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1, 1", "10, 10", "31, 31", "32, 32", "64, 64", "' 15 ', 15",
        "SIGHUP, 1", "SIGINT, 2", "SIGQUIT, 3", "SIGKILL, 9", "SIGUSR1, 10", "SIGSEGV, 11", "SIGUSR2, 12",
        "SIGTERM, 15", "SIGSTKFLT, 16", "SIGCHLD, 17", "SIGCONT, 18", "SIGSTOP, 19", "SIGWINCH, 28",
        "SIGIO, 29", "SIGPWR, 30", "SIGSYS, 31",
        "USR1, 10", "usr1, 10", "sigusr1, 10", "SigTerm, 15", "hup, 1",
        "SIGIOT, 6", "CLD, 17", "POLL, 29", "SIG32, 32", "sig33, 33",
        "SIGRTMIN, 34", "RTMIN, 34", "sigrtmin, 34", "SIGRTMIN+0, 34", "SIGRTMIN+1, 35", "SIGRTMIN+15, 49",
        "SIGRTMIN+30, 64", "rtmin+3, 37",
        "SIGRTMAX, 64", "RTMAX, 64", "SIGRTMAX-0, 64", "SIGRTMAX-1, 63", "SIGRTMAX-14, 50", "SIGRTMAX-30, 34",
    })
    void parsesNumbersNamesAndRealtimeOffsets(String signal, int expected) {
        assertEquals(expected, SignalNames.parse(signal));
    }

    @ParameterizedTest(name = "''{0}'' is EINVAL")
    @ValueSource(strings = {"", " ", "0", "65", "-1", "+10", "1.0", "99999999999", "SIG", "SIGFOO", "USR3",
        "SIGSIGUSR1", "SIG10", "SIG0", "SIG65", "SIGRTMIN+31", "SIGRTMAX-31", "SIGRTMIN-1", "SIGRTMAX+1",
        "SIGRTMIN+", "SIGRTMIN+-1", "SIGRTMIN+ 1", "RTMID", "SIG USR1", "0x0a"})
    void rejectsAnythingElse(String signal) {
        HamException e = assertThrows(HamException.class, () -> SignalNames.parse(signal));
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void rejectsNull() {
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> SignalNames.parse(null)).errno());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1, SIGHUP", "2, SIGINT", "6, SIGABRT", "9, SIGKILL", "10, SIGUSR1", "11, SIGSEGV", "15, SIGTERM",
        "17, SIGCHLD", "29, SIGIO", "31, SIGSYS", "32, SIG32", "33, SIG33",
        "34, SIGRTMIN", "35, SIGRTMIN+1", "49, SIGRTMIN+15", "50, SIGRTMAX-14", "63, SIGRTMAX-1", "64, SIGRTMAX",
    })
    void namesNumbers(int signum, String expected) {
        assertEquals(expected, SignalNames.name(signum));
    }

    @ParameterizedTest(name = "{0} is EINVAL")
    @ValueSource(ints = {0, -1, 65, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void namesOnlySignals(int signum) {
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> SignalNames.name(signum)).errno());
    }

    @Test
    void everyNameReadsBack() {
        for (int s = 1; s <= SignalNames.SIGRTMAX; s++) {
            assertEquals(s, SignalNames.parse(SignalNames.name(s)), SignalNames.name(s));
        }
    }
}

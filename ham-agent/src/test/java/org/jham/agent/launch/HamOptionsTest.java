package org.jham.agent.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.log.ActivityLogConfig;
import org.jham.agent.log.TimestampMode;
import org.junit.jupiter.api.Test;

class HamOptionsTest {
    private static final Path HOME = Path.of("/home/op");
    private static final Map<String, String> NO_ENV = Map.of();
    private static final Path STATE = Path.of("/home/op/.local/state/jham");

    private static HamOptions parse(String... args) {
        return HamOptions.parse(NO_ENV, HOME, args);
    }

    private static HamOptions agent(String args) {
        return HamOptions.parseAgentOptions(NO_ENV, HOME, args);
    }

    private static void assertEinval(String[] args, String... fragments) {
        HamException e = assertThrows(HamException.class, () -> parse(args), String.join(" ", args));
        assertEquals(Errno.EINVAL, e.errno());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static void assertAgentEinval(String args, String... fragments) {
        HamException e = assertThrows(HamException.class, () -> agent(args), args);
        assertEquals(Errno.EINVAL, e.errno());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    private static String[] a(String... args) {
        return args;
    }

    @Test
    void defaults() {
        HamOptions o = parse();
        assertFalse(o.help());
        assertFalse(o.logDisabled());
        assertNull(o.logFile());
        assertEquals(TimestampMode.RELATIVE, o.timestamps());
        assertEquals(1, o.verbosity());
        assertEquals(7770, o.port());
        assertEquals("127.0.0.1", o.bind());
        assertEquals(STATE, o.stateDir());
        assertFalse(o.fresh());
        assertFalse(o.foreground());
        assertEquals(20, o.pollMillis());
        assertEquals(20, o.restartMax());
        assertEquals(10, o.restartWindowSeconds());
        assertEquals(List.of(STATE.resolve("plugins")), o.pluginPath());
        assertEquals(o, HamOptions.parse(NO_ENV, HOME, (String[]) null));
        assertEquals(new ActivityLogConfig(false, 1, TimestampMode.RELATIVE, null), o.activityLogConfig());
    }

    @Test
    void defaultsFromTheRealEnvironment() {
        HamOptions o = HamOptions.parse();
        assertTrue(o.stateDir().isAbsolute());
        assertTrue(o.stateDir().endsWith("jham"), o.stateDir().toString());
        assertEquals(o, HamOptions.defaults());
        assertEquals(o, HamOptions.parseAgentOptions(null));
    }

    @Test
    void stateDirFollowsXdgStateHome() {
        assertEquals(Path.of("/xdg/state/jham"),
                HamOptions.parse(Map.of("XDG_STATE_HOME", "/xdg/state"), HOME).stateDir());
        // The XDG spec: an empty or relative value is ignored.
        assertEquals(STATE, HamOptions.parse(Map.of("XDG_STATE_HOME", ""), HOME).stateDir());
        assertEquals(STATE, HamOptions.parse(Map.of("XDG_STATE_HOME", "rel/state"), HOME).stateDir());
        assertEquals(Path.of("/given"),
                HamOptions.parse(Map.of("XDG_STATE_HOME", "/xdg"), HOME, "--state-dir", "/given").stateDir());
    }

    @Test
    void help() {
        assertTrue(parse("-h").help());
        assertTrue(parse("-?").help());
        assertTrue(parse("--help").help());
        assertTrue(parse("-v", "-h", "--port", "1").help());
        String u = HamOptions.usage();
        for (String opt : new String[] {"-?", "-h", "-d", "-f", "-t", "none", "relative", "absolute", "shortabs",
            "-v", "-Vn", "--port", "--bind", "--state-dir", "--fresh", "--foreground", "--poll-ms",
            "--restart-intensity", "--plugin-path"}) {
            assertTrue(u.contains(opt), "usage lacks " + opt);
        }
    }

    @Test
    void disableVerbosity() {
        HamOptions o = parse("-d");
        assertTrue(o.logDisabled());
        assertTrue(o.activityLogConfig().disabled());
    }

    @Test
    void logFile() {
        assertEquals(Path.of("/var/log/ham.log"), parse("-f", "/var/log/ham.log").logFile());
        assertEquals(Path.of("/var/log/ham.log"), parse("-f/var/log/ham.log").logFile());
        assertEquals(Path.of("/var/log/ham.log"), parse("-f", "/var/log/../log/ham.log").logFile());
        assertEquals(Path.of("rel.log").toAbsolutePath(), parse("-f", "rel.log").logFile());
        assertEquals(Path.of("/var/log/ham.log"), parse("-f", "/var/log/ham.log").activityLogConfig().file());
    }

    @Test
    void logFileDefaultsToTheStateDirectory() {
        assertEquals(STATE.resolve("ham.log"), parse("-f").logFile());
        assertEquals(STATE.resolve("ham.log"), parse("-f", "-v").logFile());
        assertEquals(2, parse("-f", "-v").verbosity());
        assertEquals(STATE.resolve("ham.log"), parse("-vf").logFile());
        // Resolved against the final state directory, whatever the order.
        assertEquals(Path.of("/s/ham.log"), parse("-f", "--state-dir", "/s").logFile());
        assertEquals(Path.of("/s/ham.log"), parse("--state-dir", "/s", "-f").logFile());
        // A later -f FILE wins over an earlier bare -f, and the other way round.
        assertEquals(Path.of("/x.log"), parse("-f", "-f", "/x.log").logFile());
        assertEquals(STATE.resolve("ham.log"), parse("-f", "/x.log", "-f").logFile());
    }

    @Test
    void timestamps() {
        assertEquals(TimestampMode.NONE, parse("-t", "none").timestamps());
        assertEquals(TimestampMode.RELATIVE, parse("-t", "relative").timestamps());
        assertEquals(TimestampMode.ABSOLUTE, parse("-t", "absolute").timestamps());
        assertEquals(TimestampMode.SHORTABS, parse("-t", "shortabs").timestamps());
        assertEquals(TimestampMode.SHORTABS, parse("-tSHORTABS").timestamps());
        assertEquals(TimestampMode.ABSOLUTE, parse("-t", "absolute").activityLogConfig().timestamps());
    }

    @Test
    void verbosityCountsVsAndSetsWithBigV() {
        assertEquals(2, parse("-v").verbosity());
        assertEquals(3, parse("-v", "-v").verbosity());
        assertEquals(4, parse("-vvv").verbosity());
        assertEquals(5, parse("-vv", "-vv").verbosity());
        assertEquals(3, parse("-V3").verbosity());
        assertEquals(0, parse("-V0").verbosity());
        assertEquals(7, parse("-V", "7").verbosity());
        // In order: -V sets, -v adds to what is there.
        assertEquals(4, parse("-V3", "-v").verbosity());
        assertEquals(3, parse("-v", "-V3").verbosity());
        assertEquals(3, parse("-V3").activityLogConfig().verbosity());
    }

    @Test
    void clusteredShortOptions() {
        HamOptions o = parse("-dvv");
        assertTrue(o.logDisabled());
        assertEquals(3, o.verbosity());
        HamOptions p = parse("-dtnone");
        assertTrue(p.logDisabled());
        assertEquals(TimestampMode.NONE, p.timestamps());
        assertEquals(2, parse("-vV2").verbosity());
        assertEquals(TimestampMode.ABSOLUTE, parse("-vt", "absolute").timestamps());
    }

    @Test
    void port() {
        assertEquals(9000, parse("--port", "9000").port());
        assertEquals(9001, parse("--port=9001").port());
        assertEquals(0, parse("--port", "0").port());
        assertEquals(65535, parse("--port", "65535").port());
    }

    @Test
    void bind() {
        assertEquals("0.0.0.0", parse("--bind", "0.0.0.0").bind());
        assertEquals("::1", parse("--bind=::1").bind());
        assertEquals("localhost", parse("--bind", "localhost").bind());
    }

    @Test
    void stateDir() {
        assertEquals(Path.of("/srv/ham"), parse("--state-dir", "/srv/ham").stateDir());
        assertEquals(Path.of("/srv/ham"), parse("--state-dir=/srv/./ham/").stateDir());
        assertEquals(Path.of("st").toAbsolutePath(), parse("--state-dir", "st").stateDir());
    }

    @Test
    void flags() {
        assertTrue(parse("--fresh").fresh());
        assertTrue(parse("--foreground").foreground());
        HamOptions both = parse("--fresh", "--foreground");
        assertTrue(both.fresh() && both.foreground());
    }

    @Test
    void pollMillis() {
        assertEquals(1, parse("--poll-ms", "1").pollMillis());
        assertEquals(10_000, parse("--poll-ms=10000").pollMillis());
        assertEquals(250, parse("--poll-ms", "250").pollMillis());
    }

    @Test
    void restartIntensity() {
        HamOptions o = parse("--restart-intensity", "5/60");
        assertEquals(5, o.restartMax());
        assertEquals(60, o.restartWindowSeconds());
        HamOptions off = parse("--restart-intensity", "0");
        assertEquals(0, off.restartMax());
        assertEquals(0, off.restartWindowSeconds());
        HamOptions zeroMax = parse("--restart-intensity=0/10");
        assertEquals(0, zeroMax.restartMax());
        assertEquals(0, zeroMax.restartWindowSeconds());
        assertEquals(1, parse("--restart-intensity", "1/1").restartMax());
    }

    @Test
    void pluginPath() {
        assertEquals(List.of(Path.of("/opt/plugins"), Path.of("/x/one.jar")),
                parse("--plugin-path", "/opt/plugins:/x/one.jar").pluginPath());
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), parse("--plugin-path=/a::/b/./:").pluginPath());
        assertEquals(List.of(Path.of("rel/p.jar").toAbsolutePath()), parse("--plugin-path", "rel/p.jar").pluginPath());
        // Empty: no plugins at all (not the default directory).
        assertEquals(List.of(), parse("--plugin-path", "").pluginPath());
        assertEquals(List.of(), parse("--plugin-path=:").pluginPath());
        assertEquals(List.of(Path.of("/b")), parse("--plugin-path", "/a", "--plugin-path", "/b").pluginPath());
    }

    @Test
    void pluginPathDefaultsToTheStateDirectory() {
        assertEquals(List.of(Path.of("/s/plugins")), parse("--state-dir", "/s").pluginPath());
        assertEquals(List.of(Path.of("/p")), parse("--plugin-path", "/p", "--state-dir", "/s").pluginPath());
        assertEquals(List.of(Path.of("/xdg/jham/plugins")),
                HamOptions.parse(Map.of("XDG_STATE_HOME", "/xdg"), HOME).pluginPath());
    }

    @Test
    void badPluginPathIsEinval() {
        assertEinval(a("--plugin-path"), "--plugin-path", "needs a value");
        assertEinval(a("--plugin-path", "/ok:/a\0b"), "--plugin-path", "'/a\0b'", "not a path");
        assertAgentEinval("pluginpath=/a\0b", "agent option pluginpath", "'/a\0b'");
    }

    @Test
    void combination() {
        HamOptions o = parse("-d", "-f", "/l/ham.log", "-t", "shortabs", "-vv", "--port", "0", "--bind", "0.0.0.0",
                "--state-dir", "/st", "--fresh", "--foreground", "--poll-ms", "5", "--restart-intensity", "3/30",
                "--plugin-path", "/p1:/p2/x.jar");
        assertTrue(o.logDisabled());
        assertEquals(Path.of("/l/ham.log"), o.logFile());
        assertEquals(TimestampMode.SHORTABS, o.timestamps());
        assertEquals(3, o.verbosity());
        assertEquals(0, o.port());
        assertEquals("0.0.0.0", o.bind());
        assertEquals(Path.of("/st"), o.stateDir());
        assertTrue(o.fresh());
        assertTrue(o.foreground());
        assertEquals(5, o.pollMillis());
        assertEquals(3, o.restartMax());
        assertEquals(30, o.restartWindowSeconds());
        assertEquals(new ActivityLogConfig(true, 3, TimestampMode.SHORTABS, Path.of("/l/ham.log")),
                o.activityLogConfig());
        assertEquals(List.of(Path.of("/p1"), Path.of("/p2/x.jar")), o.pluginPath());
        assertTrue(o.toString().contains("restartIntensity=3/30"), o.toString());
        assertTrue(o.toString().contains("pluginPath=/p1:/p2/x.jar"), o.toString());
    }

    @Test
    void laterOptionsWin() {
        assertEquals(2, parse("--port", "1", "--port", "2").port());
        assertEquals(TimestampMode.NONE, parse("-t", "absolute", "-t", "none").timestamps());
    }

    @Test
    void equality() {
        assertEquals(parse("-v", "--port", "1"), parse("--port=1", "-v"));
        assertEquals(parse("-v", "--port", "1").hashCode(), parse("--port=1", "-v").hashCode());
        assertNotEquals(parse("-v"), parse("-vv"));
        assertEquals(parse("--plugin-path", "/a:/b"), parse("--plugin-path=/a:/b:"));
        assertNotEquals(parse("--plugin-path", "/a:/b"), parse("--plugin-path", "/b:/a"));
        assertNotEquals(parse(), parse("--plugin-path", ""));
    }

    @Test
    void unknownOptionsAndArgumentsAreEinval() {
        assertEinval(a("-x"), "-x");
        assertEinval(a("-vx"), "-x", "-vx");
        assertEinval(a("--nope"), "--nope");
        assertEinval(a("--nope=1"), "--nope");
        assertEinval(a("--"), "--");
        assertEinval(a("inetd"), "'inetd'");
        assertEinval(a("-"), "'-'");
        assertEinval(a("-v", null), "null");
    }

    @Test
    void badTimestampsAreEinval() {
        assertEinval(a("-t", "sometimes"), "-t", "'sometimes'", "none, relative, absolute, shortabs");
        assertEinval(a("-t"), "-t", "needs a value");
        assertEinval(a("-t", "-v"), "-t", "needs a value");
    }

    @Test
    void badVerbosityIsEinval() {
        assertEinval(a("-Vx"), "-V", "'x'");
        assertEinval(a("-V-1"), "-V", "-1", "out of range");
        assertEinval(a("-V"), "-V", "needs a value");
        assertEinval(a("-V", "three"), "-V", "'three'");
        assertEinval(a("-V99999999999"), "-V", "out of range");
    }

    @Test
    void badLongOptionValuesAreEinval() {
        assertEinval(a("--port"), "--port", "needs a value");
        assertEinval(a("--port", "http"), "--port", "'http'");
        assertEinval(a("--port", "-1"), "--port", "-1", "out of range");
        assertEinval(a("--port", "65536"), "--port", "65536");
        assertEinval(a("--port="), "--port", "''");
        assertEinval(a("--bind", ""), "--bind");
        assertEinval(a("--bind", "a b"), "--bind", "'a b'");
        assertEinval(a("--state-dir", ""), "--state-dir");
        assertEinval(a("--state-dir", "a\0b"), "--state-dir");
        assertEinval(a("--poll-ms", "0"), "--poll-ms", "0", "1..10000");
        assertEinval(a("--poll-ms", "10001"), "--poll-ms", "10001");
        assertEinval(a("--poll-ms", "fast"), "--poll-ms", "'fast'");
        assertEinval(a("--fresh=yes"), "--fresh", "takes no value");
        assertEinval(a("--foreground=1"), "--foreground");
        assertEinval(a("--help=1"), "--help");
    }

    @Test
    void badRestartIntensityIsEinval() {
        assertEinval(a("--restart-intensity", "20"), "--restart-intensity", "'20'", "MAX/SECONDS");
        assertEinval(a("--restart-intensity", "20/0"), "--restart-intensity SECONDS", "out of range");
        assertEinval(a("--restart-intensity", "-1/10"), "--restart-intensity MAX", "-1");
        assertEinval(a("--restart-intensity", "a/10"), "--restart-intensity MAX", "'a'");
        assertEinval(a("--restart-intensity", "5/b"), "--restart-intensity SECONDS", "'b'");
        assertEinval(a("--restart-intensity", "5/"), "--restart-intensity SECONDS");
        assertEinval(a("--restart-intensity"), "--restart-intensity", "needs a value");
    }

    @Test
    void agentOptions() {
        HamOptions o = agent("port=7771,bind=0.0.0.0,statedir=/x,verbosity=2,log=/path/ham.log,timestamps=absolute,"
                + "fresh=true");
        assertEquals(7771, o.port());
        assertEquals("0.0.0.0", o.bind());
        assertEquals(Path.of("/x"), o.stateDir());
        assertEquals(2, o.verbosity());
        assertEquals(Path.of("/path/ham.log"), o.logFile());
        assertEquals(TimestampMode.ABSOLUTE, o.timestamps());
        assertTrue(o.fresh());
        assertFalse(o.foreground());
        assertFalse(o.help());
        assertEquals(new ActivityLogConfig(false, 2, TimestampMode.ABSOLUTE, Path.of("/path/ham.log")),
                o.activityLogConfig());
    }

    @Test
    void agentOptionsMoreKeysAndLeniency() {
        HamOptions o = agent(" Port = 0 , disabled=TRUE, pollms=100, restartintensity=2/5, fresh=false, ");
        assertEquals(0, o.port());
        assertTrue(o.logDisabled());
        assertEquals(100, o.pollMillis());
        assertEquals(2, o.restartMax());
        assertEquals(5, o.restartWindowSeconds());
        assertFalse(o.fresh());
        assertEquals(Path.of("/x/ham.log"), agent("log=,statedir=/x").logFile());
        assertEquals(Path.of("/a=b"), agent("statedir=/a=b").stateDir());
        assertEquals(0, agent("restartintensity=0").restartMax());
        assertEquals(List.of(Path.of("/p"), Path.of("/q/r.jar")), agent("pluginpath=/p:/q/r.jar").pluginPath());
        assertEquals(List.of(), agent("pluginpath=").pluginPath());
        assertEquals(List.of(Path.of("/x/plugins")), agent("statedir=/x").pluginPath());
    }

    @Test
    void agentDefaults() {
        assertEquals(parse(), agent(null));
        assertEquals(parse(), agent(""));
        assertEquals(parse(), agent("  "));
        assertEquals(Path.of("/xdg/jham"), HamOptions.parseAgentOptions(Map.of("XDG_STATE_HOME", "/xdg"), HOME, "")
                .stateDir());
    }

    @Test
    void badAgentOptionsAreEinval() {
        assertAgentEinval("colour=blue", "unknown agent option 'colour'", "port", "pluginpath");
        assertAgentEinval("port", "'port'", "key=value");
        assertAgentEinval("=7770", "'=7770'", "key=value");
        assertAgentEinval("port=x", "agent option port", "'x'");
        assertAgentEinval("port=70000", "agent option port", "70000");
        assertAgentEinval("verbosity=-1", "agent option verbosity", "-1");
        assertAgentEinval("timestamps=often", "agent option timestamps", "'often'");
        assertAgentEinval("fresh=yes", "agent option fresh", "'yes'");
        assertAgentEinval("disabled=1", "agent option disabled", "'1'");
        assertAgentEinval("bind=", "agent option bind");
        assertAgentEinval("statedir=", "agent option statedir");
        assertAgentEinval("pollms=0", "agent option pollms", "0");
        assertAgentEinval("restartintensity=9", "agent option restartintensity", "'9'");
    }

    @Test
    void fsyncAndNoGuardian() {
        HamOptions d = parse();
        assertEquals(false, d.fsync());
        assertEquals(true, d.guardian());
        HamOptions o = parse("--fsync", "--no-guardian");
        assertEquals(true, o.fsync());
        assertEquals(false, o.guardian());
        assertEquals(true, agent("fsync=true,guardian=false").fsync());
        assertEquals(false, agent("fsync=true,guardian=false").guardian());
        assertEinval(a("--fsync=yes"), "--fsync");
        assertAgentEinval("guardian=maybe", "guardian");
    }

    @Test
    void theGuardiansArgumentsMakeTheSameHamOnTheActualPort() {
        HamOptions o = parse("-d", "-f", "/var/log/ham.log", "-t", "absolute", "-V4", "--port", "0", "--bind",
                "127.0.0.2", "--state-dir", "/var/lib/jham", "--fresh", "--poll-ms", "7", "--restart-intensity",
                "3/9", "--plugin-path", "/a.jar:/plugins", "--fsync", "--foreground");
        HamOptions g = parse(o.toArgs(7771).toArray(new String[0]));
        assertEquals(7771, g.port());
        assertEquals(false, g.fresh(), "a takeover continues the state");
        assertEquals(false, g.foreground());
        assertEquals(parse("-d", "-f", "/var/log/ham.log", "-t", "absolute", "-V4", "--port", "7771", "--bind",
                "127.0.0.2", "--state-dir", "/var/lib/jham", "--poll-ms", "7", "--restart-intensity", "3/9",
                "--plugin-path", "/a.jar:/plugins", "--fsync"), g);
        HamOptions none = parse("--plugin-path", "", "--restart-intensity", "0");
        assertEquals(none.pluginPath(), parse(none.toArgs(7770).toArray(new String[0])).pluginPath());
        assertEquals(0, parse(none.toArgs(7770).toArray(new String[0])).restartMax());
    }
}

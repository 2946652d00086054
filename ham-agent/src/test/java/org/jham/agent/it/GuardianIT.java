package org.jham.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jham.Ham;
import org.jham.HamConnection;
import org.jham.agent.testing.Await;
import org.jham.agent.testing.Child;
import org.jham.agent.testing.GuardedHam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Guardian as users meet it: {@code bin/ham} starts a HAM and its Guardian; kill -9 of the HAM
 * leaves the Guardian answering on the same address with the same tree, having restarted what
 * died meanwhile; the HAM replaces a dead Guardian; ham_stop stops both and a later start
 * restores the tree.
 */
class GuardianIT {
    private GuardedHam ham;

    @AfterEach
    void cleanup() {
        if (ham != null) {
            ham.close();
        }
    }

    /** A tree with every kind of item: entities, conditions, actions, action-fail lists, disabled items, flags. */
    private void buildTree() {
        ok("start", "web", "/bin/sleep 1000");
        ok("condition", "web", "CONDDEATH", "death", "HREARMAFTERRESTART");
        ok("restart", "web/death", "again", "/bin/sleep 1000", "HREARMAFTERRESTART");
        ok("logaction", "web/death", "note", "web died", "1", "1", "HACTIONKEEPONFAIL");
        ok("fail", "web/death/note", "execute", "fallback", "/bin/true");
        ok("condition-raise", "web", "alarms", "7", "ANY", "ANY");
        ok("waitfor", "web/alarms", "pause", "500", "-");
        ok("disable", "web/alarms/pause");
        ok("start", "db", "/bin/sleep 1000");
        ok("condition", "db", "CONDDEATH", "death", "HREARMAFTERRESTART");
        ok("restart", "db/death", "again", "/bin/sleep 1000", "HREARMAFTERRESTART");
        ok("entity", "later");
        ok("condition-state", "later", "up", "1", "2");
        ok("disable", "later", "-r");
        ok("condition-raise", "/", "anyalarm", "ANY", "ANY", "9");
        ok("state", "web", "3");
        ok("-verbose");
    }

    private void ok(String... args) {
        Child.Result r = ham.hamctrl(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.out());
    }

    /** The dump as sections by path, without the lines that must change: pids and the failure counts. */
    private Map<String, List<String>> dump() {
        Child.Result r = ham.hamctrl("dump");
        assertEquals(0, r.status(), r.out());
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : r.out().split("\n")) {
            if (line.startsWith("== ")) {
                current = new ArrayList<>();
                sections.put(line.substring(3), current);
            } else if (current != null && !line.startsWith("Ham Pid") && !line.startsWith("Guardian Pid")
                    && !line.startsWith("Ham Failures") && !line.startsWith("Guardian Failures")) {
                current.add(line);
            }
        }
        return sections;
    }

    @Test
    void aKilledHamIsReplacedByItsGuardianWithTheSameTreeAndWhatDiedMeanwhileIsRestarted() throws Exception {
        ham = new GuardedHam();
        buildTree();
        long hamPid = ham.hamPid();
        long guardian = ham.awaitGuardian(0);
        long web = ham.awaitPid("web", 0);
        long db = ham.awaitPid("db", 0);
        Map<String, List<String>> before = dump();

        // db dies while no HAM runs: the Guardian is held until the HAM is gone and db is dead.
        assertEquals(0, Child.run("/bin/kill", "-STOP", Long.toString(guardian)).status());
        GuardedHam.kill9(hamPid);
        GuardedHam.awaitGone(hamPid);
        GuardedHam.kill9(db);
        GuardedHam.awaitGone(db);
        assertEquals(0, Child.run("/bin/kill", "-CONT", Long.toString(guardian)).status());

        Await.until("the Guardian to answer as the HAM", () -> ham.hamPid() == guardian);
        assertEquals(1, ham.numberField(".info", "Ham Failures"));
        long newGuardian = ham.awaitGuardian(guardian);
        long db2 = ham.awaitPid("db", db);
        assertEquals(web, ham.numberField("web", "Entity Pid"), "web kept running and was adopted");
        Await.until("db's restart counted", () -> ham.numberField("db", "Num Restarts") == 1);

        Map<String, List<String>> after = dump();
        assertEquals(before.keySet(), after.keySet());
        for (String path : before.keySet()) {
            if (path.startsWith("db")) {
                continue;
            }
            assertEquals(before.get(path), after.get(path), "section " + path);
        }
        // db: the same tree, with its new pid and the restart that happened.
        assertEquals(before.get("db/death/again").stream().map(l -> l.replace(Long.toString(db), Long.toString(db2)))
                .filter(l -> !l.startsWith("Times Run")).toList(),
                after.get("db/death/again").stream().filter(l -> !l.startsWith("Times Run")).toList());
        assertTrue(ham.hamctrl("log", "100").out().contains("restarted: entity 'db' pid " + db + " -> " + db2));

        // The new HAM replaces its Guardian when it dies.
        GuardedHam.kill9(newGuardian);
        long third = ham.awaitGuardian(newGuardian);
        assertNotEquals(newGuardian, third);
        Await.until("Guardian Failures : 1", () -> ham.numberField(".info", "Guardian Failures") == 1);
        assertEquals(guardian, ham.hamPid());
    }

    @Test
    void selfAttachedJvmsAndClientConnectionsCarryOnAcrossATakeover() throws Exception {
        ham = new GuardedHam();
        long guardian = ham.awaitGuardian(0);
        String jar = Child.MODULE.resolve("target/ham-agent.jar").toString();
        try (Child.Live app = new Child.Live(List.of(Child.JAVA, "-javaagent:" + jar + "=entity=jvm,node=" + ham.node
                + ",hb=100,low=5,high=10", "-cp", Child.MODULE.resolve("target/test-classes").toString(),
                "org.jham.agent.testing.MonitoredApp"));
             HamConnection client = Ham.connect(ham.node)) {
            long appPid = app.process.pid();
            ham.track(appPid);
            Await.until("the JVM self-attached", () -> "SELFATTACHED".equals(ham.field("jvm", "Entity type")));
            ok("condition", "jvm", "CONDHBEATMISSEDHIGH", "hung");
            ok("logaction", "jvm/hung", "note", "jvm hung");
            ok("condition", "jvm", "CONDDEATH", "death");
            ok("logaction", "jvm/death", "note", "jvm died");
            assertEquals(ham.hamPid(), client.ham().getHamPid());

            GuardedHam.kill9(ham.hamPid());
            Await.until("the Guardian to answer as the HAM", () -> ham.hamPid() == guardian);
            // The same client connection object answers, from the new HAM.
            assertEquals(guardian, client.ham().getHamPid());
            assertEquals(1, client.recoveries());
            // The JVM attached itself again and beats: heartbeats arrive, none is missed.
            String firstBeat = Await.value("a heartbeat at the new HAM", () -> {
                String b = ham.field("jvm", "Last Heartbeat");
                return b != null && !b.equals("none") ? b : null;
            });
            Await.until("heartbeats still arriving", () -> !firstBeat.equals(ham.field("jvm", "Last Heartbeat")));
            assertEquals("OK", ham.field("jvm", "HeartBeat State"));
            assertEquals(0, ham.numberField("jvm/hung", "Times Triggered"));
            assertEquals(appPid, ham.numberField("jvm", "Entity Pid"));

            // Its death is still seen, by the new HAM.
            GuardedHam.kill9(appPid);
            Await.until("the JVM's death handled", () -> ham.hamctrl("log", "100").out()
                    .contains("jvm died"));
        }
    }

    @Test
    void stopEndsGuardianAndHamAndTheNextStartRestoresTheTreeAndAdoptsTheProcesses() throws Exception {
        ham = new GuardedHam();
        buildTree();
        long hamPid = ham.hamPid();
        long guardian = ham.awaitGuardian(0);
        long web = ham.awaitPid("web", 0);
        long db = ham.awaitPid("db", 0);
        Map<String, List<String>> before = dump();

        ok("-stop");
        GuardedHam.awaitGone(guardian);
        GuardedHam.awaitGone(hamPid);
        assertTrue(GuardedHam.alive(web) && GuardedHam.alive(db), "monitored processes keep running");

        ham = ham.again();
        assertNotEquals(hamPid, ham.hamPid());
        assertEquals(before, dump(), "the whole tree is back, with the same processes");
        assertEquals(0, ham.numberField(".info", "Ham Failures"));
        ham.awaitGuardian(0);

        // Adopted processes are monitored: a death is restarted.
        GuardedHam.kill9(web);
        ham.awaitPid("web", web);

        ok("-stop");
        Await.until("the HAM to stop", () -> !GuardedHam.alive(ham.pidFile("ham.pid")));
        ham = ham.again("--fresh");
        assertEquals(".info\n", ham.hamctrl("ls").out(), "--fresh starts empty");
    }
}
